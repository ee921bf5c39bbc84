import { z } from 'zod';
import { type Circuit, PEERING_ARM_NAME } from '../../network/types';
import type { ChangeKind, KindDescription, PeeringFields, Refusal } from '../change-kind';
import { checkPeeringSubnets } from '../validators/peering-subnets';
import { vlanClash } from '../validators/vlan';
import { PeerAsn, PeerSubnet, SecretRefText, SharedKeyText, VlanId } from './input-parts';
import { fieldDiff, peeringFieldsOf, peeringOf, peeringSummary, subnetClash } from './peering-view';
import { requireSecret, type SecretOwner, type SecretVault } from './secret-vault';

const FIELDS = {
  vlanId: 'VLAN',
  peerAsn: 'Peer ASN',
  primaryPeerAddressPrefix: 'Primary subnet',
  secondaryPeerAddressPrefix: 'Secondary subnet',
} as const;

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
    return { ...rest, sharedKeyRef: vault.put(sharedKey, owner), sharedKeyOwner: { customerId: owner.customerId, requesterId: owner.requesterId } };
  };
}

/** The owner a stored key reference must have been given for: the stored claim, on the circuit being written. */
export function keyUse(circuit: Circuit, input: { sharedKeyOwner?: { customerId: string; requesterId: string } | undefined }): SecretOwner | undefined {
  return input.sharedKeyOwner ? { ...input.sharedKeyOwner, circuitId: circuit.id } : undefined;
}

const base = {
  vlanId: VlanId.optional(),
  peerAsn: PeerAsn.optional(),
  primaryPeerAddressPrefix: PeerSubnet.optional(),
  secondaryPeerAddressPrefix: PeerSubnet.optional(),
};

/** A stored private-peering request (a key only as a reference). */
export function privatePeeringInput() {
  return z.strictObject({ ...base, ...storedKeyFields }).refine((v) => !(v.removeSharedKey && v.sharedKeyRef !== undefined), NOT_BOTH);
}

/** What a person asks for, from chat or a card: a key only as typed; a `sharedKeyRef` is refused. */
export function privatePeeringRequestInput(vault: SecretVault, owner: SecretOwner | undefined) {
  return z
    .strictObject({ ...base, ...typedKeyFields })
    .refine((v) => !(v.removeSharedKey && v.sharedKey !== undefined), NOT_BOTH)
    .transform(withSecretKey(vault, owner));
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
    input: privatePeeringInput(),
    requestInput: (owner) => privatePeeringRequestInput(vault, owner),
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
        ...(input.sharedKeyRef !== undefined ? { sharedKey: requireSecret(vault, input.sharedKeyRef, 'MD5 key', keyUse(circuit, input)) } : {}),
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
