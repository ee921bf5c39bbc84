import { z } from 'zod';
import { type Circuit, PEERING_ARM_NAME } from '../../network/types';
import type { ChangeKind, KindDescription, PeeringFields, Refusal } from '../change-kind';
import { checkPeeringSubnets } from '../validators/peering-subnets';
import { vlanClash } from '../validators/vlan';
import { PeerAsn, PeerSubnet, SecretRefText, SharedKeyText, VlanId } from './input-parts';
import { fieldDiff, peeringFieldsOf, peeringOf, peeringSummary, subnetClash } from './peering-view';
import { requireSecret, type SecretVault } from './secret-vault';

const FIELDS = {
  vlanId: 'VLAN',
  peerAsn: 'Peer ASN',
  primaryPeerAddressPrefix: 'Primary subnet',
  secondaryPeerAddressPrefix: 'Secondary subnet',
} as const;

/**
 * The MD5 key is taken out of the input as soon as it is parsed: the vault keeps it, the input keeps an
 * opaque reference. Stored requests (which hold the reference) parse through the same schema unchanged.
 */
export function withSecretKey<T extends { sharedKey?: string | undefined; sharedKeyRef?: string | undefined }>(vault: SecretVault) {
  return (v: T): Omit<T, 'sharedKey'> => {
    const { sharedKey, ...rest } = v;
    return sharedKey === undefined ? rest : { ...rest, sharedKeyRef: vault.put(sharedKey) };
  };
}

const base = {
  vlanId: VlanId.optional(),
  peerAsn: PeerAsn.optional(),
  primaryPeerAddressPrefix: PeerSubnet.optional(),
  secondaryPeerAddressPrefix: PeerSubnet.optional(),
  /** As typed; never stored (see withSecretKey). */
  sharedKey: SharedKeyText.optional(),
  sharedKeyRef: SecretRefText.optional(),
  removeSharedKey: z.boolean().optional(),
};

export function privatePeeringInput(vault: SecretVault) {
  return z
    .strictObject(base)
    .refine((v) => !(v.removeSharedKey && (v.sharedKey !== undefined || v.sharedKeyRef !== undefined)), 'give a new MD5 key or remove it, not both')
    .transform(withSecretKey(vault));
}
export type PrivatePeeringInput = z.output<ReturnType<typeof privatePeeringInput>>;

/** The peering as it will be: the current values with the input's over them. */
export function mergedFields(current: PeeringFields, input: PeeringFields): PeeringFields {
  const out: PeeringFields = { ...current };
  for (const key of Object.keys(FIELDS) as (keyof typeof FIELDS)[]) {
    const v = input[key];
    if (v !== undefined) (out as Record<string, unknown>)[key] = v;
  }
  return out;
}

const only = (f: PeeringFields): PeeringFields => {
  const out: PeeringFields = {};
  for (const key of Object.keys(FIELDS) as (keyof typeof FIELDS)[]) if (f[key] !== undefined) (out as Record<string, unknown>)[key] = f[key];
  return out;
};

/** Field names in the words the form and the `peering` command use. */
const MISSING_WORDS: Partial<Record<keyof PeeringFields, string>> = {
  ...FIELDS,
  advertisedPublicPrefixes: 'Advertised prefixes',
  customerAsn: 'Customer ASN',
  routingRegistryName: 'Routing registry',
};

/** Rules both peering kinds share: required fields on create, VLAN unique, subnets valid and not clashing. */
export function checkPeeringFields(circuit: Circuit, armName: string, exists: boolean, to: PeeringFields, required: readonly (keyof PeeringFields)[]): Refusal | undefined {
  const missing = required.filter((k) => to[k] === undefined);
  if (!exists && missing.length > 0) {
    return {
      reason: `Creating ${armName} on ${circuit.name} needs ${missing.map((k) => MISSING_WORDS[k] ?? k).join(', ')}.`,
      alternative: `Give every field (the form of \`change ${circuit.name}\` lists them); \`help peering\` shows an example.`,
    };
  }
  if (to.vlanId !== undefined) {
    const clash = vlanClash(circuit.peerings, to.vlanId, armName);
    if (clash) {
      return {
        reason: `VLAN ${to.vlanId} is already used by ${clash} on ${circuit.name}; each peering needs its own VLAN.`,
        alternative: 'Pick a VLAN that no other peering of this circuit uses (the `peerings` command lists them).',
      };
    }
  }
  if (to.primaryPeerAddressPrefix !== undefined && to.secondaryPeerAddressPrefix !== undefined) {
    const subnets = checkPeeringSubnets(to.primaryPeerAddressPrefix, to.secondaryPeerAddressPrefix);
    if (!subnets.ok) {
      return { reason: subnets.reason, alternative: 'Use two distinct, network-aligned /30 subnets (/126 for IPv6), e.g. 10.0.0.0/30 and 10.0.0.4/30.' };
    }
    const clash = subnetClash(circuit, armName, [to.primaryPeerAddressPrefix, to.secondaryPeerAddressPrefix]);
    if (clash) {
      return { reason: `The subnets overlap those of ${clash}.`, alternative: 'Use link subnets that no other peering of this circuit uses.' };
    }
  }
  return undefined;
}

export function keyDiff(hadKey: boolean, input: { sharedKeyRef?: string | undefined; removeSharedKey?: boolean | undefined }): [string, string] | undefined {
  // Only whether a key is set, never the key: this goes to cards and the audit trail.
  if (input.sharedKeyRef !== undefined) return [hadKey ? 'set' : 'not set', hadKey ? 'set (new key)' : 'set'];
  if (input.removeSharedKey && hadKey) return ['set', 'not set'];
  return undefined;
}

export function describePeeringChange(circuit: Circuit, armName: string, exists: boolean, diff: Record<string, [string, string]>, notes: string[]): KindDescription {
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

export function privatePeeringKind(vault: SecretVault): ChangeKind<PrivatePeeringInput> {
  const armName = PEERING_ARM_NAME.private;
  const target = (circuit: Circuit, input: PrivatePeeringInput) => mergedFields(peeringFieldsOf(peeringOf(circuit, 'private')), input);
  return {
    name: 'private-peering',
    title: 'Private peering',
    right: 'request',
    input: privatePeeringInput(vault),
    needsProvisioned: true,
    check(circuit, input) {
      const existing = peeringOf(circuit, 'private');
      const to = target(circuit, input);
      const refusal = checkPeeringFields(circuit, armName, existing !== undefined, to, ['vlanId', 'peerAsn', 'primaryPeerAddressPrefix', 'secondaryPeerAddressPrefix']);
      if (refusal) return refusal;
      if (existing && Object.keys(this.describe(circuit, input).diff).length === 0) {
        return { reason: `${armName} on ${circuit.name} already has these settings.`, alternative: 'Change at least one value.' };
      }
      return undefined;
    },
    describe(circuit, input) {
      const existing = peeringOf(circuit, 'private');
      const diff = fieldDiff(FIELDS, peeringFieldsOf(existing), target(circuit, input));
      const key = keyDiff(existing?.hasSharedKey ?? false, input);
      if (key) diff['MD5 key'] = key;
      const notes = key ? ['The MD5 key is never shown or stored in the request; set the same key on your routers.'] : [];
      return describePeeringChange(circuit, armName, existing !== undefined, diff, notes);
    },
    patch(circuit, input) {
      return {
        resource: 'circuitPeering',
        peeringName: armName,
        set: only(target(circuit, input)),
        ...(input.sharedKeyRef !== undefined ? { sharedKey: requireSecret(vault, input.sharedKeyRef, 'MD5 key') } : {}),
        ...(input.removeSharedKey ? { sharedKey: null } : {}),
      };
    },
    isApplied(circuit, input) {
      const p = peeringOf(circuit, 'private');
      if (!p) return false;
      const to = target(circuit, input);
      const fieldsMatch = Object.keys(fieldDiff(FIELDS, peeringFieldsOf(p), to)).length === 0;
      if (input.sharedKeyRef !== undefined && !p.hasSharedKey) return false;
      if (input.removeSharedKey && p.hasSharedKey) return false;
      return fieldsMatch && p.provisioningState !== 'Failed';
    },
    summary: (circuit) => peeringSummary(circuit, 'private'),
  };
}
