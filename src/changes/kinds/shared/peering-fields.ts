import { z } from 'zod';
import type { IpVersion } from '../../../network/ip-prefix';
import type { Circuit, Peering } from '../../../network/types';
import type { DomainPatch, KindDescription, PeeringFields, Refusal } from '../../change-kind';
import { declareFields, type FormPlan, type KindField, type ShapeOf } from '../../kind-fields';
import { checkPeeringSubnets } from '../../validators/peering-subnets';
import { vlanClash } from '../../validators/vlan';
import { displayText, familyOf, ipv6Label, peeringFieldsOf, peeringOf, show, subnetClash } from './peering-view';
import { PeerAsn, PeerSubnet, SecretRefText, SharedKeyText, VlanId } from './input-parts';
import { requireSecret, type SecretOwner, type SecretVault } from './secret-vault';

/**
 * What private and Microsoft peering share: the link fields (declared once, with their labels, words and
 * shapes), the MD5 key's handling, and the rules on VLANs and link subnets.
 */

/** A peering's link: VLAN, peer ASN and the two /30 link subnets. */
export const LINK_FIELDS = declareFields([
  {
    key: 'vlanId',
    label: 'VLAN',
    noun: 'a VLAN id',
    help: '1–4094, unique on the circuit',
    shape: 'number',
    example: '100',
    words: ['vlan'],
    maxLength: 60,
    schema: VlanId.optional(),
  },
  {
    key: 'peerAsn',
    label: 'Peer ASN',
    noun: 'a peer ASN',
    help: '65515–65520 are Azure’s',
    shape: 'asn',
    example: '65010',
    words: ['asn', 'peer-asn', 'peerasn'],
    maxLength: 60,
    schema: PeerAsn.optional(),
  },
  {
    key: 'primaryPeerAddressPrefix',
    label: 'Primary subnet',
    noun: 'the primary link subnet',
    help: '/30, or /126 for IPv6',
    shape: 'subnet',
    example: '10.0.0.0/30',
    words: ['primary'],
    maxLength: 60,
    schema: PeerSubnet.optional(),
  },
  {
    key: 'secondaryPeerAddressPrefix',
    label: 'Secondary subnet',
    noun: 'the secondary link subnet',
    help: '/30, or /126 for IPv6',
    shape: 'subnet',
    example: '10.0.0.4/30',
    words: ['secondary'],
    maxLength: 60,
    schema: PeerSubnet.optional(),
  },
]);

/** The MD5 key as a person gives it: typed once, or removed. Never stored as typed (see withSecretKey). */
export const KEY_FIELDS = declareFields([
  {
    key: 'sharedKey',
    label: 'MD5 key',
    noun: 'the MD5 key',
    help: 'optional, at most 25 characters; never shown or stored',
    shape: 'secret',
    example: '<md5 key>',
    words: ['key', 'md5', 'md5-key', 'md5key', 'shared-key', 'sharedkey'],
    optional: true,
    maxLength: 25,
    schema: SharedKeyText.optional(),
  },
  {
    key: 'removeSharedKey',
    label: 'Remove the MD5 key',
    noun: 'no-key',
    shape: 'flag',
    example: '',
    words: ['no-key', 'nokey', 'remove-key'],
    optional: true,
    schema: z.boolean().optional(),
  },
]);

/** The person-facing fields without the key: what the peering's own settings are. */
export const settingsOf = (fields: readonly KindField[]): KindField[] => fields.filter((f) => f.shape !== 'secret' && f.shape !== 'flag');

/** Whom a stored key reference was given for, besides the circuit (which is checked against ARM's own id). */
export const SharedKeyOwner = z.strictObject({ customerId: z.string().min(1), requesterId: z.string().min(1) });

/** The key fields of a stored request: a reference and whom it was given for, never the key. */
export const storedKeyFields = {
  sharedKeyRef: SecretRefText.optional(),
  sharedKeyOwner: SharedKeyOwner.optional(),
  removeSharedKey: z.boolean().optional(),
};

/** The key fields a person may type: the key itself, never a reference (one could be someone else's). */
export const typedKeyFields = {
  /** As typed; never stored (see withSecretKey). */
  sharedKey: SharedKeyText.optional(),
  removeSharedKey: z.boolean().optional(),
};

export const NOT_BOTH = 'give a new MD5 key or remove it, not both';

/**
 * The MD5 key is taken out of typed input as soon as it is parsed: the vault keeps it for this request's
 * customer, circuit and requester, and the stored input keeps an opaque reference and whom it is for.
 */
export function withSecretKey<T extends { sharedKey?: string | undefined }>(vault: SecretVault, owner: SecretOwner | undefined) {
  return (v: T, ctx: z.core.$RefinementCtx<T>) => {
    const { sharedKey, ...rest } = v;
    if (sharedKey === undefined) return rest;
    if (owner === undefined) {
      // A wiring bug, not the person's mistake: without an owner the key could not be bound, so keep nothing.
      ctx.addIssue({ code: 'custom', message: 'the bot cannot take an MD5 key here', path: ['sharedKey'] });
      return z.NEVER;
    }
    return {
      ...rest,
      sharedKeyRef: vault.put(sharedKey, owner),
      sharedKeyOwner: { customerId: owner.customerId, requesterId: owner.requesterId },
    };
  };
}

/** The owner a stored key reference must have been given for: the stored claim, on the circuit being written. */
export function keyUse(
  circuit: Circuit,
  input: { sharedKeyOwner?: { customerId: string; requesterId: string } | undefined },
): SecretOwner | undefined {
  return input.sharedKeyOwner ? { ...input.sharedKeyOwner, circuitId: circuit.id } : undefined;
}

type KeyBits = { removeSharedKey?: boolean; sharedKeyRef?: string; sharedKey?: string };
const notBoth = (v: KeyBits) => !(v.removeSharedKey && (v.sharedKeyRef !== undefined || v.sharedKey !== undefined));

/** A peering kind's schemas, from its fields: stored (a key only as a reference) and as a person gives it. */
export function peeringSchemas<const Fs extends readonly KindField[], const E extends Record<string, z.ZodType>>(fields: Fs, extra: E) {
  const settings = Object.fromEntries(settingsOf(fields).map((f) => [f.key, f.schema])) as Omit<
    ShapeOf<Fs>,
    'sharedKey' | 'removeSharedKey'
  >;
  const stored = () => z.strictObject({ ...extra, ...settings, ...storedKeyFields }).refine((v) => notBoth(v as KeyBits), NOT_BOTH);
  type Stored = z.output<ReturnType<typeof stored>>;
  return {
    stored,
    typed: (vault: SecretVault, owner: SecretOwner | undefined): z.ZodType<Stored> =>
      z
        .strictObject({ ...extra, ...settings, ...typedKeyFields })
        .refine((v) => notBoth(v as KeyBits), NOT_BOTH)
        .transform((v, ctx) => withSecretKey(vault, owner)(v as KeyBits, ctx as z.core.$RefinementCtx<KeyBits>) as Stored),
  };
}

/** The peering as it will be: the current values with the input's settings over them. */
export function mergedFields(fields: readonly KindField[], current: PeeringFields, input: object): PeeringFields {
  const out: PeeringFields = { ...current };
  for (const { key } of settingsOf(fields)) {
    const v = (input as Record<string, unknown>)[key];
    if (v !== undefined) (out as Record<string, unknown>)[key] = Array.isArray(v) ? [...(v as unknown[])] : v;
  }
  return out;
}

/** Only the fields' settings of a peering, for the patch. */
export function settingsOnly(fields: readonly KindField[], f: PeeringFields): PeeringFields {
  const out: PeeringFields = {};
  for (const { key } of settingsOf(fields)) {
    const v = (f as Record<string, unknown>)[key];
    if (v !== undefined) (out as Record<string, unknown>)[key] = v;
  }
  return out;
}

/** The settings ARM keeps per address family (top level for IPv4, ipv6PeeringConfig for IPv6); VLAN and ASN are shared. */
const PER_FAMILY: ReadonlySet<string> = new Set<keyof PeeringFields>([
  'primaryPeerAddressPrefix',
  'secondaryPeerAddressPrefix',
  'advertisedPublicPrefixes',
  'customerAsn',
  'routingRegistryName',
]);

/** A field's label for a change in one family: the IPv6 side's own settings say so ("Primary subnet (IPv6)"). */
export const familyLabel = (f: Pick<KindField, 'key' | 'label'>, family: IpVersion) =>
  family === 6 && PER_FAMILY.has(f.key) ? ipv6Label(f.label) : f.label;

/** Label → [before, after] of the settings that change, labelled for the change's family. */
export function settingsDiff(
  fields: readonly KindField[],
  before: PeeringFields,
  after: PeeringFields,
  family: IpVersion = 4,
): Record<string, [string, string]> {
  const diff: Record<string, [string, string]> = {};
  for (const f of settingsOf(fields)) {
    const [b, a] = [show((before as Record<string, unknown>)[f.key]), show((after as Record<string, unknown>)[f.key])];
    if (b !== a) diff[familyLabel(f, family)] = [b, a];
  }
  return diff;
}

/**
 * One peering change as the rules see it. A peering carries IPv4 and IPv6 on one VLAN and ASN, each family with
 * its own link subnets (and Microsoft config); a change is about the family of the addresses it names, and is
 * compared with that family's side of the peering only.
 */
export interface PeeringChange {
  family: IpVersion;
  peering: Peering | undefined;
  /** The peering's settings now, in the change's family. */
  now: PeeringFields;
  /** The settings as they will be: `now` with the input over it. */
  to: PeeringFields;
}

export function peeringChange(fields: readonly KindField[], circuit: Circuit, kind: 'private' | 'microsoft', input: object): PeeringChange {
  const v = input as PeeringFields;
  // The link subnets decide; advertised prefixes only when no subnet is given (subnets of two families are refused).
  const family = familyOf([v.primaryPeerAddressPrefix, v.secondaryPeerAddressPrefix, ...(v.advertisedPublicPrefixes ?? [])]);
  const peering = peeringOf(circuit, kind);
  const now = peeringFieldsOf(peering, family);
  return { family, peering, now, to: mergedFields(fields, now, input) };
}

/** Rules both peering kinds share: required fields on create, VLAN unique, subnets valid and not clashing. */
export function checkPeeringFields(
  circuit: Circuit,
  armName: string,
  change: PeeringChange,
  fields: readonly KindField[],
): Refusal | undefined {
  const { to, now, family } = change;
  // Adding IPv6 to a peering that has only IPv4 needs the IPv6 side's own settings, as creating it does.
  const creating =
    !change.peering || (family === 6 && now.primaryPeerAddressPrefix === undefined && now.secondaryPeerAddressPrefix === undefined);
  const missing = settingsOf(fields).filter((f) => !f.optional && (to as Record<string, unknown>)[f.key] === undefined);
  if (creating && missing.length > 0) {
    const what = change.peering ? `Adding IPv6 to ${armName}` : `Creating ${armName}`;
    return {
      reason: `${what} on ${circuit.name} needs ${missing.map((f) => familyLabel(f, family)).join(', ')}.`,
      alternative: [
        'Give every field (the form of ',
        { say: 'change', args: [circuit.name] },
        ' lists them); ',
        { say: 'help', args: ['peering'] },
        ' shows an example.',
      ],
    };
  }
  if (to.vlanId !== undefined) {
    const clash = vlanClash(circuit.peerings, to.vlanId, armName);
    if (clash) {
      return {
        reason: `VLAN ${to.vlanId} is already used by ${clash} on ${circuit.name}; each peering needs its own VLAN.`,
        alternative: [
          'Pick a VLAN that no other peering of this circuit uses (',
          { say: 'peerings', args: [circuit.name] },
          ' lists them).',
        ],
      };
    }
  }
  if (to.primaryPeerAddressPrefix !== undefined && to.secondaryPeerAddressPrefix !== undefined) {
    const subnets = checkPeeringSubnets(to.primaryPeerAddressPrefix, to.secondaryPeerAddressPrefix);
    if (!subnets.ok) {
      return {
        reason: subnets.reason,
        alternative: 'Use two distinct, network-aligned /30 subnets (/126 for IPv6), e.g. 10.0.0.0/30 and 10.0.0.4/30.',
      };
    }
    const clash = subnetClash(circuit, armName, [to.primaryPeerAddressPrefix, to.secondaryPeerAddressPrefix]);
    if (clash) {
      return {
        reason: `The subnets overlap those of ${clash}.`,
        alternative: 'Use link subnets that no other peering of this circuit uses.',
      };
    }
  }
  return undefined;
}

export function keyDiff(
  hadKey: boolean,
  input: { sharedKeyRef?: string | undefined; removeSharedKey?: boolean | undefined },
): [string, string] | undefined {
  // Only whether a key is set, never the key: this goes to cards and the audit trail.
  if (input.sharedKeyRef !== undefined) return [hadKey ? 'set' : 'not set', hadKey ? 'set (new key)' : 'set'];
  if (input.removeSharedKey && hadKey) return ['set', 'not set'];
  return undefined;
}

export function describePeeringChange(
  circuit: Circuit,
  armName: string,
  exists: boolean,
  diff: Record<string, [string, string]>,
  notes: string[],
): KindDescription {
  const resets = exists && Object.keys(diff).length > 0;
  return {
    diff,
    impact: {
      downtime: exists
        ? 'expected: both BGP sessions of this peering reset and must come up again with the new settings on your routers'
        : 'none for existing traffic: a new peering',
      oneWay: false,
      billing: 'No change: peerings are included in the circuit price.',
      disruptive: resets,
      notes: [
        ...(exists ? [`Configure the same values on your (or the provider's) routers at the same time, or ${armName} stays down.`] : []),
        ...notes,
      ],
    },
  };
}

const text = (v: unknown): string | undefined =>
  v === undefined || v === null || v === '' ? undefined : Array.isArray(v) ? v.join(', ') : displayText(v);

/** The form section of a peering kind: its fields filled with the peering as it is now. */
export function peeringFormPlan(
  fields: readonly KindField[],
  circuit: Circuit,
  p: Peering | undefined,
  what: string,
  extraSummary = '',
): FormPlan {
  const unavailable =
    circuit.serviceProviderProvisioningState !== 'Provisioned'
      ? `Not possible yet: ${circuit.provider?.name ?? 'the provider'} has not provisioned ${circuit.name} (provider state ${circuit.serviceProviderProvisioningState || 'unknown'}).`
      : undefined;
  const ipv6 = p?.ipv6?.primaryPeerAddressPrefix
    ? ` (IPv6 ${p.ipv6.primaryPeerAddressPrefix} and ${p.ipv6.secondaryPeerAddressPrefix ?? '?'})`
    : '';
  const now = p
    ? `Now VLAN ${p.vlanId ?? '?'}, ASN ${p.peerAsn ?? '?'}, ${p.primaryPeerAddressPrefix ?? '?'} and ${p.secondaryPeerAddressPrefix ?? '?'}${ipv6}, MD5 key ${p.hasSharedKey ? 'set' : 'not set'}. Changing a field resets both BGP sessions (disruptive).`
    : `No ${what} yet: give every field to create it.`;
  const current = peeringFieldsOf(p) as Record<string, unknown>;
  return {
    summary: `${now}${extraSummary ? ` ${extraSummary}` : ''}`,
    ...(unavailable ? { unavailable } : {}),
    creating: p === undefined,
    values: Object.fromEntries(settingsOf(fields).map((f) => [f.key, text(current[f.key])])),
    placeholders: { sharedKey: p?.hasSharedKey ? 'leave empty to keep the current key' : 'leave empty for no key' },
    ...(p?.hasSharedKey ? {} : { omit: ['removeSharedKey'] }),
  };
}

/** Stored peering input's key bits: a vault reference (and whom it was given for), or a removal. */
export interface StoredKey {
  sharedKeyRef?: string | undefined;
  sharedKeyOwner?: { customerId: string; requesterId: string } | undefined;
  removeSharedKey?: boolean | undefined;
}

/** The write of a peering kind: the settings it asks for, and the MD5 key from the vault (or its removal). */
export function peeringPatch(
  vault: SecretVault,
  armName: string,
  fields: readonly KindField[],
  circuit: Circuit,
  to: PeeringFields,
  input: StoredKey,
): DomainPatch {
  return {
    resource: 'circuitPeering',
    peeringName: armName,
    set: settingsOnly(fields, to),
    ...(input.sharedKeyRef !== undefined ? { sharedKey: requireSecret(vault, input.sharedKeyRef, 'MD5 key', keyUse(circuit, input)) } : {}),
    ...(input.removeSharedKey ? { sharedKey: null } : {}),
  };
}

/**
 * What the peering shows that the change did not ask for ("VLAN reads 100, not 101"), or undefined when it shows
 * the change: its settings in the change's family, and the key set or removed as asked.
 */
export function peeringMismatch(change: PeeringChange, fields: readonly KindField[], input: StoredKey): string | undefined {
  const p = change.peering;
  if (!p) return 'the peering is not there';
  // A Failed peering may show the asked settings without ARM holding them: write again (private and Microsoft alike).
  if (p.provisioningState === 'Failed') return 'its provisioning state is Failed';
  if (input.sharedKeyRef !== undefined && !p.hasSharedKey) return 'no MD5 key is set';
  if (input.removeSharedKey && p.hasSharedKey) return 'an MD5 key is still set';
  const diff = Object.entries(settingsDiff(fields, change.now, change.to, change.family));
  return diff.length === 0 ? undefined : diff.map(([label, [now, asked]]) => `${label} reads ${now}, not ${asked}`).join('; ');
}

/** Whether the peering already shows the change (see peeringMismatch). */
export function peeringApplied(change: PeeringChange, fields: readonly KindField[], input: StoredKey): boolean {
  return peeringMismatch(change, fields, input) === undefined;
}
