import type {
  BgpServiceCommunity as ArmBgpServiceCommunity,
  ExpressRouteCircuit,
  ExpressRouteCircuitArpTable,
  ExpressRouteCircuitPeering,
  ExpressRouteCircuitPeeringConfig,
  ExpressRouteCircuitRoutesTable,
  ExpressRouteCircuitRoutesTableSummary,
  ExpressRouteCircuitStats,
  RouteFilter as ArmRouteFilter,
  RouteTable,
} from '@azure/arm-network';
import type {
  ArpEntry,
  BgpNeighbour,
  BgpServiceCommunity,
  Circuit,
  Peering,
  PeeringIpv6,
  PeeringKind,
  RouteFilter,
  RouteRow,
  TrafficCounters,
  UdrTable,
} from '../network/types';
import { parseArmId } from '../network/arm-id';

/*
 * ARM SDK models → domain types. Everything here copies fields one by one on purpose: secrets that ARM
 * returns (peering MD5 keys, authorization keys, service keys) must not be carried along by a spread.
 */

const PEERING_KINDS: Record<string, PeeringKind> = {
  azureprivatepeering: 'private',
  microsoftpeering: 'microsoft',
  azurepublicpeering: 'public',
};

export function peeringKindOf(peering: { peeringType?: string; name?: string }): PeeringKind | undefined {
  return PEERING_KINDS[(peering.peeringType ?? peering.name ?? '').toLowerCase()];
}

function locationOf(id: string | undefined): { subscriptionId: string; resourceGroup: string } {
  if (!id) return { subscriptionId: '', resourceGroup: '' };
  try {
    const parsed = parseArmId(id);
    return { subscriptionId: parsed.subscriptionId, resourceGroup: parsed.resourceGroup };
  } catch {
    return { subscriptionId: '', resourceGroup: '' };
  }
}

export function toPeering(p: ExpressRouteCircuitPeering): Peering | undefined {
  const kind = peeringKindOf(p);
  if (!kind) return undefined;
  const connections = [
    ...(p.connections ?? []).map((c) => c.name),
    ...(p.peeredConnections ?? []).map((c) => c.connectionName ?? c.name),
  ].filter((n): n is string => typeof n === 'string' && n.length > 0);
  const peering: Peering = {
    name: p.name ?? p.peeringType ?? '',
    kind,
    connections,
    hasSharedKey: typeof p.sharedKey === 'string' && p.sharedKey.length > 0,
  };
  if (p.state !== undefined) peering.state = p.state;
  if (p.provisioningState !== undefined) peering.provisioningState = p.provisioningState;
  if (p.azureASN !== undefined) peering.azureAsn = p.azureASN;
  if (p.peerASN !== undefined) peering.peerAsn = p.peerASN;
  if (p.vlanId !== undefined) peering.vlanId = p.vlanId;
  if (p.primaryPeerAddressPrefix !== undefined) peering.primaryPeerAddressPrefix = p.primaryPeerAddressPrefix;
  if (p.secondaryPeerAddressPrefix !== undefined) peering.secondaryPeerAddressPrefix = p.secondaryPeerAddressPrefix;
  if (p.primaryAzurePort !== undefined) peering.primaryAzurePort = p.primaryAzurePort;
  if (p.secondaryAzurePort !== undefined) peering.secondaryAzurePort = p.secondaryAzurePort;
  Object.assign(peering, microsoftConfig(p.microsoftPeeringConfig, p.routeFilter));
  if (p.stats) peering.stats = toCounters(p.stats);
  const v6 = p.ipv6PeeringConfig;
  if (v6) {
    const ipv6: PeeringIpv6 = microsoftConfig(v6.microsoftPeeringConfig, v6.routeFilter);
    if (v6.primaryPeerAddressPrefix !== undefined) ipv6.primaryPeerAddressPrefix = v6.primaryPeerAddressPrefix;
    if (v6.secondaryPeerAddressPrefix !== undefined) ipv6.secondaryPeerAddressPrefix = v6.secondaryPeerAddressPrefix;
    if (v6.state !== undefined) ipv6.state = v6.state;
    peering.ipv6 = ipv6;
  }
  return peering;
}

/** Microsoft peering's prefixes, ASN, registry and route filter: the same shape for the IPv4 and the IPv6 side. */
function microsoftConfig(ms: ExpressRouteCircuitPeeringConfig | undefined, filter: { id?: string } | undefined): PeeringIpv6 {
  const out: PeeringIpv6 = {};
  if (ms?.advertisedPublicPrefixes !== undefined) out.advertisedPublicPrefixes = [...ms.advertisedPublicPrefixes];
  if (ms?.advertisedPublicPrefixesState) out.advertisedPublicPrefixesState = ms.advertisedPublicPrefixesState;
  if (ms?.customerASN !== undefined) out.customerAsn = ms.customerASN;
  if (ms?.routingRegistryName !== undefined) out.routingRegistryName = ms.routingRegistryName;
  if (filter?.id) out.routeFilterId = filter.id;
  return out;
}

/** One service of ARM's bgpServiceCommunities list → its communities, with whether this subscription may use each. */
export function toBgpServiceCommunities(s: ArmBgpServiceCommunity): BgpServiceCommunity[] {
  const out: BgpServiceCommunity[] = [];
  for (const c of s.bgpCommunities ?? []) {
    if (!c.communityValue) continue;
    const community: BgpServiceCommunity = {
      serviceName: s.serviceName ?? s.name ?? '',
      communityName: c.communityName ?? c.communityValue,
      value: c.communityValue,
    };
    if (c.serviceSupportedRegion) community.region = c.serviceSupportedRegion;
    if (c.serviceGroup) community.serviceGroup = c.serviceGroup;
    if (c.isAuthorizedToUse !== undefined) community.isAuthorizedToUse = c.isAuthorizedToUse;
    out.push(community);
  }
  return out;
}

export function toCircuit(c: ExpressRouteCircuit): Circuit {
  const id = c.id ?? '';
  const where = locationOf(id);
  const sp = c.serviceProviderProperties;
  const portId = c.expressRoutePort?.id;
  const bandwidthMbps = portId
    ? (c.bandwidthInGbps ?? 0) * 1000
    : (sp?.bandwidthInMbps ?? (c.bandwidthInGbps !== undefined ? c.bandwidthInGbps * 1000 : 0));
  const circuit: Circuit = {
    id,
    name: c.name ?? '',
    subscriptionId: where.subscriptionId,
    resourceGroup: where.resourceGroup,
    location: c.location ?? '',
    sku: { tier: c.sku?.tier ?? '', family: c.sku?.family ?? '' },
    provisioningState: c.provisioningState ?? '',
    circuitProvisioningState: c.circuitProvisioningState ?? '',
    serviceProviderProvisioningState: c.serviceProviderProvisioningState ?? '',
    bandwidthMbps,
    globalReachEnabled: c.globalReachEnabled ?? false,
    peerings: (c.peerings ?? []).map(toPeering).filter((p): p is Peering => p !== undefined),
    authorizations: (c.authorizations ?? []).map((a) => {
      const auth: Circuit['authorizations'][number] = { name: a.name ?? '' };
      if (a.authorizationUseStatus !== undefined) auth.useStatus = a.authorizationUseStatus;
      if (a.provisioningState !== undefined) auth.provisioningState = a.provisioningState;
      if (a.etag !== undefined) auth.etag = a.etag;
      return auth;
    }),
    tags: { ...(c.tags ?? {}) },
  };
  if (c.etag !== undefined) circuit.etag = c.etag;
  if (sp && (sp.serviceProviderName || sp.peeringLocation)) {
    circuit.provider = { name: sp.serviceProviderName ?? '', peeringLocation: sp.peeringLocation ?? '' };
  }
  if (portId) circuit.direct = { portId, bandwidthInGbps: c.bandwidthInGbps ?? 0 };
  return circuit;
}

export function toCounters(s: ExpressRouteCircuitStats): TrafficCounters {
  return {
    primaryBytesIn: s.primarybytesIn ?? 0,
    primaryBytesOut: s.primarybytesOut ?? 0,
    secondaryBytesIn: s.secondarybytesIn ?? 0,
    secondaryBytesOut: s.secondarybytesOut ?? 0,
  };
}

export function toRouteRow(r: ExpressRouteCircuitRoutesTable): RouteRow {
  const row: RouteRow = { network: r.network ?? '', nextHop: r.nextHop ?? '', path: r.path ?? '' };
  if (r.locPrf !== undefined && r.locPrf !== '') row.locPrf = r.locPrf;
  if (r.weight !== undefined) row.weight = r.weight;
  return row;
}

export function toBgpNeighbour(s: ExpressRouteCircuitRoutesTableSummary): BgpNeighbour {
  const n: BgpNeighbour = { neighbor: s.neighbor ?? '', upDown: s.upDown ?? '', statePfxRcd: s.statePfxRcd ?? '' };
  if (s.v !== undefined) n.v = s.v;
  if (s.as !== undefined) n.as = s.as;
  return n;
}

export function toArpEntry(a: ExpressRouteCircuitArpTable): ArpEntry {
  const e: ArpEntry = { ipAddress: a.ipAddress ?? '', macAddress: a.macAddress ?? '' };
  if (a.age !== undefined) e.age = a.age;
  if (a.interface !== undefined) e.interface = a.interface;
  return e;
}

export function toRouteFilter(f: ArmRouteFilter): RouteFilter {
  const id = f.id ?? '';
  const where = locationOf(id);
  const filter: RouteFilter = {
    id,
    name: f.name ?? '',
    subscriptionId: where.subscriptionId,
    resourceGroup: where.resourceGroup,
    location: f.location ?? '',
    rules: (f.rules ?? []).map((r) => ({ name: r.name ?? '', access: r.access ?? '', communities: [...(r.communities ?? [])] })),
    peeringIds: [...(f.peerings ?? []), ...(f.ipv6Peerings ?? [])].map((p) => p.id).filter((x): x is string => typeof x === 'string'),
  };
  if (f.provisioningState !== undefined) filter.provisioningState = f.provisioningState;
  return filter;
}

export function toUdrTable(t: RouteTable): UdrTable {
  const id = t.id ?? '';
  const where = locationOf(id);
  return {
    id,
    name: t.name ?? '',
    subscriptionId: where.subscriptionId,
    resourceGroup: where.resourceGroup,
    location: t.location ?? '',
    disableBgpRoutePropagation: t.disableBgpRoutePropagation ?? false,
    routes: (t.routes ?? []).map((r) => {
      const route: UdrTable['routes'][number] = {
        name: r.name ?? '',
        addressPrefix: r.addressPrefix ?? '',
        nextHopType: r.nextHopType ?? '',
      };
      if (r.nextHopIpAddress !== undefined) route.nextHopIpAddress = r.nextHopIpAddress;
      return route;
    }),
    subnetIds: (t.subnets ?? []).map((s) => s.id).filter((x): x is string => typeof x === 'string'),
  };
}
