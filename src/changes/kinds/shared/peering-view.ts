import type { Circuit, Peering } from '../../../network/types';
import { PEERING_ARM_NAME } from '../../../network/types';
import type { PeeringFields } from '../../change-kind';
import { armIdName } from '../../../network/arm-id';
import { type IpVersion, overlaps, parsePrefix } from '../../../network/ip-prefix';

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

/** Every link subnet of a peering, IPv4 and IPv6. */
export function linkSubnetsOf(p: Peering): string[] {
  return [
    p.primaryPeerAddressPrefix,
    p.secondaryPeerAddressPrefix,
    p.ipv6?.primaryPeerAddressPrefix,
    p.ipv6?.secondaryPeerAddressPrefix,
  ].filter((s): s is string => s !== undefined && s !== '');
}

/** Another peering of the circuit whose link subnets overlap one of these, if any. */
export function subnetClash(circuit: Circuit, except: string, subnets: string[]): string | undefined {
  const mine = subnets.map((s) => parsePrefix(s)).flatMap((r) => (r.ok ? [r.prefix] : []));
  for (const other of circuit.peerings) {
    if (other.name.toLowerCase() === except.toLowerCase()) continue;
    for (const text of linkSubnetsOf(other)) {
      const r = parsePrefix(text);
      if (r.ok && mine.some((m) => overlaps(m, r.prefix))) return `${other.name} (${text})`;
    }
  }
  return undefined;
}

/**
 * The address family a peering change is about: that of the first address it names (link subnets, then
 * advertised prefixes), IPv4 when it names none. A peering carries both families on one VLAN and ASN.
 */
export function familyOf(addresses: readonly (string | undefined)[]): IpVersion {
  for (const text of addresses) {
    const r = text === undefined ? undefined : parsePrefix(text);
    if (r?.ok) return r.prefix.version;
  }
  return 4;
}

/** A row label for the IPv6 side of a peering: "Primary subnet (IPv6)". */
export const ipv6Label = (label: string): string => `${label} (IPv6)`;

/** A peering's settings in one family: VLAN and ASN are shared, link subnets and Microsoft config are per family. */
export function peeringFieldsOf(p: Peering | undefined, family: IpVersion = 4): PeeringFields {
  if (!p) return {};
  const f: PeeringFields = {};
  if (p.vlanId !== undefined) f.vlanId = p.vlanId;
  if (p.peerAsn !== undefined) f.peerAsn = p.peerAsn;
  const side = family === 6 ? (p.ipv6 ?? {}) : p;
  if (side.primaryPeerAddressPrefix !== undefined) f.primaryPeerAddressPrefix = side.primaryPeerAddressPrefix;
  if (side.secondaryPeerAddressPrefix !== undefined) f.secondaryPeerAddressPrefix = side.secondaryPeerAddressPrefix;
  if (side.advertisedPublicPrefixes !== undefined) f.advertisedPublicPrefixes = [...side.advertisedPublicPrefixes];
  if (side.customerAsn !== undefined) f.customerAsn = side.customerAsn;
  if (side.routingRegistryName !== undefined) f.routingRegistryName = side.routingRegistryName;
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
  if (p.ipv6) {
    out[ipv6Label('Primary subnet')] = show(p.ipv6.primaryPeerAddressPrefix);
    out[ipv6Label('Secondary subnet')] = show(p.ipv6.secondaryPeerAddressPrefix);
    if (p.ipv6.state !== undefined) out[ipv6Label('State')] = p.ipv6.state;
    if (kind === 'microsoft') out[ipv6Label('Advertised prefixes')] = show(p.ipv6.advertisedPublicPrefixes);
  }
  return out;
}
