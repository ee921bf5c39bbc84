import { z } from 'zod';
import { parseAddress, parsePrefix } from '../../../network/ip-prefix';
import { checkPeerAsn } from '../../validators/asn';
import { parseCommunity } from '../../validators/community';
import { checkPeeringSubnet } from '../../validators/peering-subnets';
import { VLAN_RANGE } from '../../validators/vlan';

/** Card inputs arrive as numbers (Input.Number) or digit strings (Input.Text); chat parses to numbers. */
export const WholeNumber = z
  .union([
    z.number(),
    z
      .string()
      .trim()
      .regex(/^\d{1,10}$/, 'use digits only')
      .transform(Number),
  ])
  .pipe(z.number().int('use a whole number'));

export const VlanId = WholeNumber.pipe(z.number().min(VLAN_RANGE.min, 'a VLAN is 1–4094').max(VLAN_RANGE.max, 'a VLAN is 1–4094'));

export const PeerAsn = WholeNumber.superRefine((asn, ctx) => {
  const verdict = checkPeerAsn(asn);
  if (!verdict.ok) ctx.addIssue({ code: 'custom', message: verdict.reason });
});

export const PeerSubnet = z
  .string()
  .trim()
  .max(60)
  .superRefine((text, ctx) => {
    const verdict = checkPeeringSubnet('the subnet', text);
    if (!verdict.ok) ctx.addIssue({ code: 'custom', message: verdict.reason });
  });

/** A prefix in canonical text; alignment is a domain rule checked with the reason, so only parsing here. */
export const Prefix = z
  .string()
  .trim()
  .max(60)
  .superRefine((text, ctx) => {
    const r = parsePrefix(text);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.reason });
  });

export const IpAddress = z
  .string()
  .trim()
  .max(45)
  .refine((t) => parseAddress(t) !== undefined, 'not a valid IPv4 or IPv6 address');

/** Communities in canonical text, without duplicates. */
export const Communities = z
  .array(
    z
      .string()
      .trim()
      .max(20)
      .refine((c) => parseCommunity(c) !== undefined, 'a community is 12076:5NNN (service) or 12076:5NNNN (regional)'),
  )
  .min(1, 'give at least one community')
  .max(50)
  .transform((list) => [...new Set(list.map((c) => parseCommunity(c)?.value ?? c))]);

/** ARM resource names: letters, digits, '.', '-', '_'; starting with a letter or digit. */
export const ResourceName = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,78}[A-Za-z0-9_]$|^[A-Za-z0-9]$/,
    'use 1–80 letters, digits, ".", "-" or "_", starting with a letter or digit',
  );

/** An MD5 key as typed: BGP MD5 keys are at most 25 characters in ExpressRoute. */
export const SharedKeyText = z.string().min(1, 'the MD5 key is empty').max(25, 'the MD5 key is at most 25 characters');

export const SecretRefText = z.string().regex(/^secret-[0-9a-f]{32}$/, 'not a key reference');

/** How a choice word is compared: any case, spaces, dashes and underscores ignored ("Virtual-Appliance"). */
export const choiceKey = (s: string): string => s.toLowerCase().replace(/[\s_-]/g, '');

/**
 * A choice field's schema, from the field's declared `choices` and `aliases`: chat and card data then accept
 * the same words. Compared by `choiceKey`; the value is always one of `choices`.
 */
export function oneOf<const C extends readonly [string, ...string[]]>(choices: C, aliases: Readonly<Record<string, C[number]>> = {}) {
  const words = new Map<string, C[number]>([
    ...choices.map((c) => [choiceKey(c), c] as const),
    ...Object.entries(aliases).map(([word, c]) => [choiceKey(word), c] as const),
  ]);
  return z
    .string()
    .trim()
    .max(60)
    .transform((s, ctx): C[number] => {
      const found = words.get(choiceKey(s));
      if (found === undefined) {
        ctx.addIssue({ code: 'custom', message: `use one of ${choices.join(', ')}` });
        return z.NEVER;
      }
      return found;
    });
}

/** The BGP communities a route filter's Allow rule lets through: one field, used by both route-filter kinds. */
export function communitiesField<const A extends readonly string[] | undefined = undefined>(actions?: A) {
  return {
    key: 'communities',
    label: 'BGP communities',
    noun: 'the BGP communities',
    help: 'comma-separated, to allow',
    shape: 'communities',
    example: '12076:5010,12076:51004',
    words: ['communities', 'community'],
    ...(actions ? { actions } : {}),
    maxLength: 1000,
    schema: Communities,
  } as const;
}
