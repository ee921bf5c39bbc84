import type { Circuit, Peering } from '../../../network/types';
import { PEERING_ARM_NAME } from '../../../network/types';
import type { PeeringFields } from '../../change-kind';
import { armIdName } from '../../../network/arm-id';
import { overlaps, parsePrefix } from '../../../network/ip-prefix';

/** A value as String() shows it, except that objects show as JSON rather than '[object Object]'. */
export function displayText(v: unknown): string {
  if (typeof v === 'object' && v !== null) return JSON.stringify(v);
  return String(v);
}

export function peeringOf(circuit: Circuit, kind: 'private' | 'microsoft' | 'public'): Peering | undefined {
  return circuit.peerings.find((p) => p.kind === kind || p.name.toLowerCase() === PEERING_ARM_NAME[kind].toLowerCase());
}

export const show = (v: unknown): string =>
  v === undefined || v === null || v === '' ? '(none)' : Array.isArray(v) ? (v.length ? v.join(', ') : '(none)') : displayText(v);

/** Label → [before, after] for the fields that change. */
export function fieldDiff(labels: Record<string, string>, before: object, after: object): Record<string, [string, string]> {
  const diff: Record<string, [string, string]> = {};
  for (const [key, label] of Object.entries(labels)) {
    const [b, a] = [show((before as Record<string, unknown>)[key]), show((after as Record<string, unknown>)[key])];
    if (b !== a) diff[label] = [b, a];
  }
  return diff;
}

/** Another peering of the circuit whose link subnets overlap one of these, if any. */
export function subnetClash(circuit: Circuit, except: string, subnets: string[]): string | undefined {
  const mine = subnets.map((s) => parsePrefix(s)).flatMap((r) => (r.ok ? [r.prefix] : []));
  for (const other of circuit.peerings) {
    if (other.name.toLowerCase() === except.toLowerCase()) continue;
    for (const text of [other.primaryPeerAddressPrefix, other.secondaryPeerAddressPrefix]) {
      const r = text ? parsePrefix(text) : undefined;
      if (r?.ok && mine.some((m) => overlaps(m, r.prefix))) return `${other.name} (${text})`;
    }
  }
  return undefined;
}

export function peeringFieldsOf(p: Peering | undefined): PeeringFields {
  if (!p) return {};
  const f: PeeringFields = {};
  if (p.vlanId !== undefined) f.vlanId = p.vlanId;
  if (p.peerAsn !== undefined) f.peerAsn = p.peerAsn;
  if (p.primaryPeerAddressPrefix !== undefined) f.primaryPeerAddressPrefix = p.primaryPeerAddressPrefix;
  if (p.secondaryPeerAddressPrefix !== undefined) f.secondaryPeerAddressPrefix = p.secondaryPeerAddressPrefix;
  if (p.advertisedPublicPrefixes !== undefined) f.advertisedPublicPrefixes = [...p.advertisedPublicPrefixes];
  if (p.customerAsn !== undefined) f.customerAsn = p.customerAsn;
  if (p.routingRegistryName !== undefined) f.routingRegistryName = p.routingRegistryName;
  return f;
}

export function peeringSummary(circuit: Circuit, kind: 'private' | 'microsoft'): Record<string, string> {
  const p = peeringOf(circuit, kind);
  if (!p) return { Peering: `${PEERING_ARM_NAME[kind]}: not configured`, 'Circuit state': circuit.provisioningState };
  const out: Record<string, string> = {
    Peering: p.name,
    State: show(p.state),
    'Provisioning state': show(p.provisioningState),
    VLAN: show(p.vlanId),
    'Peer ASN': show(p.peerAsn),
    'Primary subnet': show(p.primaryPeerAddressPrefix),
    'Secondary subnet': show(p.secondaryPeerAddressPrefix),
    'MD5 key': p.hasSharedKey ? 'set' : 'not set',
  };
  if (kind === 'microsoft') {
    out['Advertised prefixes'] = show(p.advertisedPublicPrefixes);
    out['Customer ASN'] = show(p.customerAsn);
    out['Routing registry'] = show(p.routingRegistryName);
    out['Route filter'] = p.routeFilterId ? armIdName(p.routeFilterId) : '(none)';
  }
  return out;
}
