import { z } from 'zod';
import { type Circuit, PEERING_ARM_NAME } from '../../network/types';
import type { ChangeKind, PeeringFields, Refusal } from '../change-kind';
import { isPrivateAsn } from '../validators/asn';
import { isAligned, parseCidr } from '../validators/cidr';
import { nonPublicReason } from '../validators/special-ranges';
import { PeerAsn, PeerSubnet, Prefix, VlanId, WholeNumber } from './input-parts';
import { fieldDiff, peeringFieldsOf, peeringOf, peeringSummary } from './peering-view';
import { checkPeeringFields, describePeeringChange, keyDiff, keyUse, mergedFields, NOT_BOTH, storedKeyFields, typedKeyFields, withSecretKey } from './private-peering-kind';
import { requireSecret, type SecretOwner, type SecretVault } from './secret-vault';

/** The routing registries ExpressRoute accepts for Microsoft peering prefix validation. */
export const ROUTING_REGISTRIES = ['ARIN', 'APNIC', 'AFRINIC', 'LACNIC', 'RIPENCC', 'RADB', 'ALTDB', 'LEVEL3'] as const;
/** Microsoft peering accepts at most this many advertised prefixes (the BGP session drops past it). */
export const MICROSOFT_PREFIX_LIMIT = 200;

const FIELDS = {
  vlanId: 'VLAN',
  peerAsn: 'Peer ASN',
  primaryPeerAddressPrefix: 'Primary subnet',
  secondaryPeerAddressPrefix: 'Secondary subnet',
  advertisedPublicPrefixes: 'Advertised prefixes',
  customerAsn: 'Customer ASN',
  routingRegistryName: 'Routing registry',
} as const;

const Registry = z
  .string()
  .trim()
  .transform((s, ctx) => {
    const found = ROUTING_REGISTRIES.find((r) => r === s.toUpperCase().replace(/[\s-]/g, ''));
    if (!found) {
      ctx.addIssue({ code: 'custom', message: `use one of ${ROUTING_REGISTRIES.join(', ')}` });
      return z.NEVER;
    }
    return found;
  });

const msBase = {
  /** Azure public peering can be named only to be told it is gone. */
  peeringType: z.enum(['MicrosoftPeering', 'AzurePublicPeering']).optional(),
  vlanId: VlanId.optional(),
  peerAsn: PeerAsn.optional(),
  primaryPeerAddressPrefix: PeerSubnet.optional(),
  secondaryPeerAddressPrefix: PeerSubnet.optional(),
  advertisedPublicPrefixes: z.array(Prefix).min(1).max(MICROSOFT_PREFIX_LIMIT).optional(),
  customerAsn: WholeNumber.pipe(z.number().min(1).max(4_294_967_295)).optional(),
  routingRegistryName: Registry.optional(),
};

/** A stored Microsoft-peering request (a key only as a reference). */
export function microsoftPeeringInput() {
  return z.strictObject({ ...msBase, ...storedKeyFields }).refine((v) => !(v.removeSharedKey && v.sharedKeyRef !== undefined), NOT_BOTH);
}

/** What a person asks for, from chat or a card: a key only as typed; a `sharedKeyRef` is refused. */
export function microsoftPeeringRequestInput(vault: SecretVault, owner: SecretOwner | undefined) {
  return z
    .strictObject({ ...msBase, ...typedKeyFields })
    .refine((v) => !(v.removeSharedKey && v.sharedKey !== undefined), NOT_BOTH)
    .transform(withSecretKey(vault, owner));
}
export type MicrosoftPeeringInput = z.output<ReturnType<typeof microsoftPeeringInput>>;

/** The first prefix that is not a public prefix a customer can own and advertise, with why. */
function publicPrefixRefusal(label: string, prefixes: readonly string[]): Refusal | undefined {
  for (const text of prefixes) {
    const r = parseCidr(text);
    if (!r.ok) return { reason: `${label}: ${r.reason}.`, alternative: 'Write prefixes as address/length.' };
    if (!isAligned(r.cidr)) {
      return { reason: `${label} ${text} is not network-aligned.`, alternative: `Use ${r.cidr.text}.` };
    }
    const why = nonPublicReason(r.cidr);
    if (why) {
      return {
        reason: `${label} ${text} is not a public prefix (${why}); Microsoft peering only carries public addresses you own.`,
        alternative: 'Use public prefixes registered to you (or your customer) in a routing registry; reach private ranges over private peering.',
      };
    }
  }
  return undefined;
}

export function microsoftPeeringKind(vault: SecretVault): ChangeKind<MicrosoftPeeringInput> {
  const armName = PEERING_ARM_NAME.microsoft;
  const target = (circuit: Circuit, input: MicrosoftPeeringInput): PeeringFields => {
    const to = mergedFields(peeringFieldsOf(peeringOf(circuit, 'microsoft')), input);
    if (input.advertisedPublicPrefixes) to.advertisedPublicPrefixes = [...input.advertisedPublicPrefixes];
    if (input.customerAsn !== undefined) to.customerAsn = input.customerAsn;
    if (input.routingRegistryName !== undefined) to.routingRegistryName = input.routingRegistryName;
    return to;
  };
  const fieldsOnly = (f: PeeringFields): PeeringFields => {
    const out: PeeringFields = {};
    for (const k of Object.keys(FIELDS) as (keyof typeof FIELDS)[]) if (f[k] !== undefined) (out as Record<string, unknown>)[k] = f[k];
    return out;
  };
  return {
    name: 'microsoft-peering',
    title: 'Microsoft peering',
    right: 'request',
    input: microsoftPeeringInput(),
    requestInput: (owner) => microsoftPeeringRequestInput(vault, owner),
    needsProvisioned: true,
    check(circuit, input) {
      if (input.peeringType === 'AzurePublicPeering') {
        return {
          reason: 'Azure public peering is deprecated: it cannot be created on a circuit, and Microsoft no longer changes it.',
          alternative: 'Use Microsoft peering with a route filter for Azure PaaS and Microsoft 365 public endpoints (ask for a microsoft-peering change).',
        };
      }
      const existing = peeringOf(circuit, 'microsoft');
      const to = target(circuit, input);
      const fields = checkPeeringFields(circuit, armName, existing !== undefined, to, [
        'vlanId',
        'peerAsn',
        'primaryPeerAddressPrefix',
        'secondaryPeerAddressPrefix',
        'advertisedPublicPrefixes',
        'routingRegistryName',
      ]);
      if (fields) return fields;
      const subnets = [to.primaryPeerAddressPrefix, to.secondaryPeerAddressPrefix].filter((s): s is string => s !== undefined);
      const subnetRefusal = publicPrefixRefusal('Microsoft peering needs public link subnets; the subnet', input.primaryPeerAddressPrefix || input.secondaryPeerAddressPrefix ? subnets : []);
      if (subnetRefusal) return subnetRefusal;
      const prefixRefusal = publicPrefixRefusal('The advertised prefix', input.advertisedPublicPrefixes ?? []);
      if (prefixRefusal) return prefixRefusal;
      if (input.peerAsn !== undefined && isPrivateAsn(input.peerAsn)) {
        return {
          reason: `Peer ASN ${input.peerAsn} is a private ASN; Microsoft peering needs a public ASN unless Microsoft validates the private one by hand.`,
          alternative: 'Use your public ASN (registered in the routing registry with your prefixes), or open an Azure support case to validate a private ASN.',
        };
      }
      if (existing && Object.keys(this.describe(circuit, input).diff).length === 0) {
        return { reason: `${armName} on ${circuit.name} already has these settings.`, alternative: 'Change at least one value.' };
      }
      return undefined;
    },
    describe(circuit, input) {
      const existing = peeringOf(circuit, 'microsoft');
      const diff = fieldDiff(FIELDS, peeringFieldsOf(existing), target(circuit, input));
      const key = keyDiff(existing?.hasSharedKey ?? false, input);
      if (key) diff['MD5 key'] = key;
      const notes = [
        existing?.routeFilterId
          ? 'Microsoft advertises only the services of the attached route filter\'s communities.'
          : 'Nothing is advertised to you over Microsoft peering until a route filter is attached (ask for a route-filter change).',
        'Microsoft validates that the advertised prefixes and ASN are registered to you in the routing registry; until then the peering stays in validation.',
        ...(key ? ['The MD5 key is never shown or stored in the request; set the same key on your routers.'] : []),
      ];
      return describePeeringChange(circuit, armName, existing !== undefined, diff, notes);
    },
    patch(circuit, input) {
      return {
        resource: 'circuitPeering',
        peeringName: armName,
        set: fieldsOnly(target(circuit, input)),
        ...(input.sharedKeyRef !== undefined ? { sharedKey: requireSecret(vault, input.sharedKeyRef, 'MD5 key', keyUse(circuit, input)) } : {}),
        ...(input.removeSharedKey ? { sharedKey: null } : {}),
      };
    },
    isApplied(circuit, input) {
      const p = peeringOf(circuit, 'microsoft');
      if (!p) return false;
      if (input.sharedKeyRef !== undefined && !p.hasSharedKey) return false;
      if (input.removeSharedKey && p.hasSharedKey) return false;
      return Object.keys(fieldDiff(FIELDS, peeringFieldsOf(p), target(circuit, input))).length === 0;
    },
    summary: (circuit) => peeringSummary(circuit, 'microsoft'),
  };
}
