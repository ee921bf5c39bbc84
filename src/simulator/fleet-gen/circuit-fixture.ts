import { subnetAt } from '../ip-prefix';
import { arpRows, routeRows, summaryRows, type LinkSpec, type RoutesSpec } from './device-tables';
import { metricsBody, type DropSpec, type UtilisationSpec } from './metrics-fixture';
import { SeededRandom } from './seeded-random';

/** Generated circuits: a CircuitSpec becomes the circuit's fixture entries (resource, device tables, stats, metrics). */

export type FleetRecord = Record<string, unknown>;

export interface PeeringSpec {
  kind: 'private' | 'microsoft';
  vlanId: number;
  peerAsn: number;
  primary: Omit<LinkSpec, 'peerAsn'>;
  secondary: Omit<LinkSpec, 'peerAsn'>;
  routes: RoutesSpec;
  /** Microsoft peering: the public prefixes the customer advertises, and the route filter's id. */
  advertisedPublicPrefixes?: string[];
  routeFilterId?: string;
  /** Azure port names, e.g. EQIX-AMS-09GMR-CIS-1-PRI-A. */
  portPrefix: string;
}

export interface AuthorizationSpec {
  name: string;
  useStatus: 'Available' | 'InUse';
  /** The connection that redeemed it, in whichever subscription that lives. */
  connectionResourceUri?: string;
}

export interface CircuitSpec {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  tier: 'Standard' | 'Premium' | 'Local';
  family: 'MeteredData' | 'UnlimitedData';
  /** Provider circuits. */
  provider?: { name: string; peeringLocation: string; bandwidthInMbps: number };
  /** ExpressRoute Direct circuits. */
  direct?: { portId: string; bandwidthInGbps: number };
  serviceProviderProvisioningState?: 'Provisioned' | 'NotProvisioned' | 'Provisioning';
  provisioningState?: 'Succeeded' | 'Updating' | 'Failed';
  peerings: PeeringSpec[];
  authorizations?: AuthorizationSpec[];
  utilisation?: UtilisationSpec;
  /** Rate-limit drops in the metrics fixture (needs `utilisation`). */
  qosDrops?: DropSpec;
  tags?: Record<string, string>;
}

const PEERING_NAME = { private: 'AzurePrivatePeering', microsoft: 'MicrosoftPeering' } as const;

export function circuitId(s: Pick<CircuitSpec, 'subscriptionId' | 'resourceGroup' | 'name'>): string {
  return `/subscriptions/${s.subscriptionId}/resourceGroups/${s.resourceGroup}/providers/Microsoft.Network/expressRouteCircuits/${s.name}`;
}

/** ARM lists a port's circuits on it and sums their bandwidth (provisionedBandwidthInGbps). */
function addToPort(fleet: FleetRecord, portId: string, circuit: string, gbps: number): void {
  const port = fleet[portId] as { properties?: { provisionedBandwidthInGbps?: number; circuits?: unknown[] } } | undefined;
  if (!port?.properties) return;
  port.properties.provisionedBandwidthInGbps = (port.properties.provisionedBandwidthInGbps ?? 0) + gbps;
  port.properties.circuits = [...(port.properties.circuits ?? []), { id: circuit }];
}

function authorizationBody(circuit: string, a: AuthorizationSpec, random: SeededRandom): Record<string, unknown> {
  return {
    name: a.name,
    id: `${circuit}/authorizations/${a.name}`,
    etag: random.etag(),
    type: 'Microsoft.Network/expressRouteCircuits/authorizations',
    properties: {
      authorizationKey: random.guid(),
      authorizationUseStatus: a.useStatus,
      provisioningState: 'Succeeded',
      ...(a.connectionResourceUri ? { connectionResourceUri: a.connectionResourceUri } : {}),
    },
  };
}

/** Adds an authorization to a circuit already in the fleet, inline as ARM returns it. */
export function addAuthorization(fleet: FleetRecord, circuit: string, a: AuthorizationSpec): void {
  const body = fleet[circuit] as { properties: { authorizations?: unknown[] } } | undefined;
  if (!body) throw new Error(`no circuit ${circuit} in the fleet to add authorization ${a.name} to`);
  body.properties.authorizations = [
    ...(body.properties.authorizations ?? []),
    authorizationBody(circuit, a, new SeededRandom(a.name + circuit)),
  ];
}

/**
 * Adds a circuit to a fleet: the resource with its peerings and authorizations inline (as ARM returns it),
 * and the POST-style reads (route tables, summaries, ARP) per peering and path, stats, and metrics.
 */
export function addCircuit(fleet: FleetRecord, spec: CircuitSpec, now: number): void {
  const random = new SeededRandom(spec.name + spec.subscriptionId);
  const id = circuitId(spec);
  const provisioned = (spec.serviceProviderProvisioningState ?? 'Provisioned') === 'Provisioned';
  const peerings = spec.peerings.map((p) => peeringBody(id, p, random));
  const authorizations = (spec.authorizations ?? []).map((a) => authorizationBody(id, a, random));
  const properties: Record<string, unknown> = {
    provisioningState: spec.provisioningState ?? 'Succeeded',
    circuitProvisioningState: 'Enabled',
    serviceProviderProvisioningState: spec.serviceProviderProvisioningState ?? 'Provisioned',
    serviceKey: random.guid(),
    serviceProviderNotes: '',
    allowClassicOperations: false,
    globalReachEnabled: false,
    gatewayManagerEtag: '',
    stag: random.int(2, 4000),
    peerings,
    authorizations,
  };
  if (spec.provider) {
    properties.serviceProviderProperties = {
      serviceProviderName: spec.provider.name,
      peeringLocation: spec.provider.peeringLocation,
      bandwidthInMbps: spec.provider.bandwidthInMbps,
    };
  }
  if (spec.direct) {
    properties.expressRoutePort = { id: spec.direct.portId };
    properties.bandwidthInGbps = spec.direct.bandwidthInGbps;
    addToPort(fleet, spec.direct.portId, id, spec.direct.bandwidthInGbps);
  }
  fleet[id] = {
    name: spec.name,
    id,
    etag: random.etag(),
    type: 'Microsoft.Network/expressRouteCircuits',
    location: spec.location,
    tags: spec.tags ?? {},
    sku: { name: `${spec.tier}_${spec.family}`, tier: spec.tier, family: spec.family },
    properties,
  };

  let totalIn = 0;
  let totalOut = 0;
  for (const p of spec.peerings) {
    const peeringId = `${id}/peerings/${PEERING_NAME[p.kind]}`;
    const stats = { primarybytesIn: 0, primarybytesOut: 0, secondarybytesIn: 0, secondarybytesOut: 0 };
    for (const path of ['primary', 'secondary'] as const) {
      const link: LinkSpec = { ...p[path], peerAsn: p.peerAsn };
      const up = provisioned && link.bgpUp;
      const effective = { ...link, bgpUp: up, arp: provisioned && link.arp };
      fleet[`${peeringId}/routeTablesSummary/${path}`] = { value: summaryRows(effective, p.routes, random) };
      fleet[`${peeringId}/routeTables/${path}`] = { value: routeRows(effective, p.routes, random) };
      fleet[`${peeringId}/arpTables/${path}`] = { value: arpRows(effective, random) };
      if (up) {
        stats[`${path}bytesIn`] = random.int(10, 900) * 1_000_000_000;
        stats[`${path}bytesOut`] = random.int(10, 900) * 1_000_000_000;
      }
    }
    fleet[`${peeringId}/stats`] = stats;
    totalIn += stats.primarybytesIn + stats.secondarybytesIn;
    totalOut += stats.primarybytesOut + stats.secondarybytesOut;
  }
  fleet[`${id}/stats`] = {
    primarybytesIn: Math.round(totalIn * 0.6),
    primarybytesOut: Math.round(totalOut * 0.6),
    secondarybytesIn: Math.round(totalIn * 0.4),
    secondarybytesOut: Math.round(totalOut * 0.4),
  };
  if (spec.utilisation) {
    const bandwidthBps = spec.provider ? spec.provider.bandwidthInMbps * 1e6 : (spec.direct?.bandwidthInGbps ?? 1) * 1e9;
    fleet[`${id}/providers/Microsoft.Insights/metrics`] = metricsBody(
      id,
      spec.location,
      bandwidthBps,
      spec.utilisation,
      now,
      random,
      spec.qosDrops,
    );
  }
}

function peeringBody(circuit: string, p: PeeringSpec, random: SeededRandom): unknown {
  const name = PEERING_NAME[p.kind];
  const properties: Record<string, unknown> = {
    provisioningState: 'Succeeded',
    peeringType: name,
    azureASN: 12076,
    peerASN: p.peerAsn,
    primaryPeerAddressPrefix: p.primary.subnet,
    secondaryPeerAddressPrefix: p.secondary.subnet,
    primaryAzurePort: `${p.portPrefix}-PRI-A`,
    secondaryAzurePort: `${p.portPrefix}-SEC-A`,
    state: 'Enabled',
    vlanId: p.vlanId,
    gatewayManagerEtag: '',
    lastModifiedBy: 'Customer',
    connections: [],
    peeredConnections: [],
  };
  if (p.kind === 'microsoft') {
    properties.microsoftPeeringConfig = {
      advertisedPublicPrefixes: p.advertisedPublicPrefixes ?? [],
      advertisedCommunities: [],
      advertisedPublicPrefixesState: 'Configured',
      customerASN: 0,
      legacyMode: 0,
      routingRegistryName: 'ARIN',
    };
  }
  if (p.routeFilterId) properties.routeFilter = { id: p.routeFilterId };
  return {
    name,
    id: `${circuit}/peerings/${name}`,
    etag: random.etag(),
    type: 'Microsoft.Network/expressRouteCircuits/peerings',
    properties,
  };
}

/** A typical private peering on a provider circuit, both sessions up, with `routes` customer prefixes. */
export function privatePeering(o: {
  vlanId: number;
  peerAsn: number;
  subnetBase: string;
  routes: number;
  routesBase: string;
  portPrefix: string;
  primaryUp?: boolean;
  secondaryUp?: boolean;
  primaryArp?: boolean;
  secondaryArp?: boolean;
  azurePrefixes?: string[];
}): PeeringSpec {
  const block = `${o.subnetBase}/24`;
  return {
    kind: 'private',
    vlanId: o.vlanId,
    peerAsn: o.peerAsn,
    portPrefix: o.portPrefix,
    primary: { subnet: subnetAt(block, 30, 0), bgpUp: o.primaryUp ?? true, arp: o.primaryArp ?? true },
    secondary: { subnet: subnetAt(block, 30, 1), bgpUp: o.secondaryUp ?? true, arp: o.secondaryArp ?? true },
    routes: {
      received: o.routes,
      base: o.routesBase,
      length: 24,
      azurePrefixes: o.azurePrefixes ?? [],
      transitAsns: [64520, 64530],
    },
  };
}
