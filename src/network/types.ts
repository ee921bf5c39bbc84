/**
 * The domain's view of ExpressRoute. No SDK types here: src/azure maps ARM models onto these, and everything
 * else (verdicts, cards, changes) works only with these.
 */

import type { PartFailure } from './part';

export type PeeringKind = 'private' | 'microsoft' | 'public';
export type DevicePath = 'primary' | 'secondary';
export const DEVICE_PATHS: readonly DevicePath[] = ['primary', 'secondary'];

/** ARM's peering names, which are also the peering's `peeringType`. */
export const PEERING_ARM_NAME: Record<PeeringKind, string> = {
  private: 'AzurePrivatePeering',
  microsoft: 'MicrosoftPeering',
  public: 'AzurePublicPeering',
};

/** A place in one customer's Azure: the tenant picks the credential, the subscription the ARM client. */
export interface SubscriptionScope {
  tenantId: string;
  subscriptionId: string;
}

export interface CircuitSku {
  /** Standard | Premium | Local | Basic */
  tier: string;
  /** MeteredData | UnlimitedData */
  family: string;
}

export interface PeeringStats {
  primaryBytesIn: number;
  primaryBytesOut: number;
  secondaryBytesIn: number;
  secondaryBytesOut: number;
}

export interface Peering {
  /** ARM name, e.g. AzurePrivatePeering. */
  name: string;
  kind: PeeringKind;
  /** Enabled | Disabled (the admin state). */
  state?: string;
  provisioningState?: string;
  azureAsn?: number;
  peerAsn?: number;
  vlanId?: number;
  primaryPeerAddressPrefix?: string;
  secondaryPeerAddressPrefix?: string;
  primaryAzurePort?: string;
  secondaryAzurePort?: string;
  /** Microsoft peering only. */
  advertisedPublicPrefixes?: string[];
  /**
   * Microsoft peering only: where Microsoft's validation of the advertised prefixes stands (ARM's
   * advertisedPublicPrefixesState): NotConfigured | Configuring | Configured | ValidationNeeded. Nothing is
   * advertised, and the BGP sessions stay down, until it reads Configured.
   */
  advertisedPublicPrefixesState?: string;
  customerAsn?: number;
  routingRegistryName?: string;
  /** ARM id of the attached route filter, if any. */
  routeFilterId?: string;
  /**
   * Global Reach connections on this peering, by name: those made from this circuit (ARM's `connections`) and
   * those made to it (`peeredConnections`). VNet connections are not here: they are resources of their own.
   */
  connections: string[];
  /** Whether an MD5 key is set. The key itself never leaves src/azure. */
  hasSharedKey: boolean;
  stats?: PeeringStats;
  /**
   * ARM's ipv6PeeringConfig: the IPv6 side of the same peering (same VLAN and ASN), with its own /126 link
   * subnets, admin state and, on Microsoft peering, its own advertised prefixes and route filter. The top-level
   * subnet and Microsoft fields above are IPv4 only.
   */
  ipv6?: PeeringIpv6;
}

/** The IPv6 side of a peering (ARM's Ipv6ExpressRouteCircuitPeeringConfig). */
export interface PeeringIpv6 {
  primaryPeerAddressPrefix?: string;
  secondaryPeerAddressPrefix?: string;
  /** Enabled | Disabled */
  state?: string;
  /** Microsoft peering only. */
  advertisedPublicPrefixes?: string[];
  advertisedPublicPrefixesState?: string;
  customerAsn?: number;
  routingRegistryName?: string;
  routeFilterId?: string;
}

export interface CircuitAuthorization {
  name: string;
  /** Available | InUse */
  useStatus?: string;
  provisioningState?: string;
  /** ARM id of the connection that redeemed it, when ARM says (connectionResourceUri). */
  connectionId?: string;
  /** ARM's etag of the authorization: a revoked and re-created one of the same name has another. */
  etag?: string;
}

export interface Circuit {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  etag?: string;
  sku: CircuitSku;
  /** ARM resource state: Succeeded | Updating | Creating | Deleting | Failed */
  provisioningState: string;
  /** Microsoft side: Enabled | Disabled */
  circuitProvisioningState: string;
  /** Provider side: NotProvisioned | Provisioning | Provisioned | Deprovisioning */
  serviceProviderProvisioningState: string;
  /** Provisioned bandwidth in Mbps, whichever model (provider or ExpressRoute Direct). */
  bandwidthMbps: number;
  /** Set for provider circuits. */
  provider?: { name: string; peeringLocation: string };
  /** Set for ExpressRoute Direct circuits (circuit on an ExpressRoutePort). */
  direct?: {
    portId: string;
    bandwidthInGbps: number;
    portBandwidthInGbps?: number;
    /** What the circuits on the port pair add up to (ARM's provisionedBandwidthInGbps on the port), when read. */
    portSubscribedGbps?: number;
    /** The port pair's peering location (a Direct circuit has no serviceProviderProperties), when read. */
    portPeeringLocation?: string;
    /** The port's encapsulation (ARM's ExpressRoutePort encapsulation: Dot1Q or QinQ), when read. */
    portEncapsulation?: string;
    /** Every circuit the port lists as provisioned on it (ARM's circuits[]), in any subscription or tenant, when read. */
    portCircuitIds?: string[];
  };
  globalReachEnabled: boolean;
  peerings: Peering[];
  authorizations: CircuitAuthorization[];
  tags: Record<string, string>;
}

/** One row of a BGP route table, as the Microsoft edge router reports it. */
export interface RouteRow {
  network: string;
  nextHop: string;
  locPrf?: string;
  weight?: number;
  path: string;
}

/** One BGP neighbour from the route table summary. */
export interface BgpNeighbour {
  neighbor: string;
  v?: number;
  as?: number;
  upDown: string;
  /** A number of prefixes received when the session is established, otherwise the BGP state (Idle, Active…). */
  statePfxRcd: string;
}

export interface ArpEntry {
  age?: number;
  interface?: string;
  ipAddress: string;
  macAddress: string;
}

/** Bytes moved since the counters were last reset, from getStats. */
export interface TrafficCounters {
  primaryBytesIn: number;
  primaryBytesOut: number;
  secondaryBytesIn: number;
  secondaryBytesOut: number;
}

export type Direction = 'in' | 'out';

/** Measured throughput of one link in one direction over a window, in bits per second. */
export interface LinkThroughput {
  path: DevicePath;
  direction: Direction;
  averageBps: number;
  peakBps: number;
}

/** Traffic the circuit's rate limiter discarded (Azure Monitor's QosDropBitsIn/OutPerSecond), latest 5 minutes. */
export interface RateLimitDrops {
  inBps: number;
  outBps: number;
  /** Epoch ms of the newest interval read (the figures may be the highest of several, ArmFleetReader). */
  at: number;
}

export interface BandwidthUsage {
  /** Where the figures come from: Azure Monitor metrics, or getStats byte counters (totals only). */
  source: 'metrics' | 'counters';
  windowStart: number;
  windowEnd: number;
  /** Empty when the source is counters. */
  links: LinkThroughput[];
  counters?: TrafficCounters;
  /** Set when Azure Monitor reported the rate limiter's drops. */
  drops?: RateLimitDrops;
  /**
   * Set when the drops were not read for this answer, so none reported means unknown, not none: the watcher
   * reads that 5-minute metric once per 5 minutes (ReadOptions.cycle), a batch whose slot has not come since the
   * start has no figure yet, and a failed read leaves them unknown.
   */
  dropsUnread?: true;
}

export interface RouteFilterRule {
  name: string;
  access: string;
  communities: string[];
}

export interface RouteFilter {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  provisioningState?: string;
  rules: RouteFilterRule[];
  /** ARM ids of the peerings it is attached to. */
  peeringIds: string[];
}

export interface UdrRoute {
  name: string;
  addressPrefix: string;
  /** VirtualAppliance | VirtualNetworkGateway | VnetLocal | Internet | None */
  nextHopType: string;
  nextHopIpAddress?: string;
}

export interface UdrTable {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  disableBgpRoutePropagation: boolean;
  routes: UdrRoute[];
  /** ARM ids of the subnets it is associated with. */
  subnetIds: string[];
}

/** One BGP community Microsoft tags its routes with on Microsoft peering (ARM's bgpServiceCommunities). */
export interface BgpServiceCommunity {
  /** e.g. exchange, azurewesteurope */
  serviceName: string;
  /** e.g. Exchange Online */
  communityName: string;
  /** e.g. 12076:5010 */
  value: string;
  /** e.g. Global, West Europe */
  region?: string;
  /** ARM's serviceGroup, e.g. O365 (Microsoft 365) or Azure. */
  serviceGroup?: string;
  /** ARM's isAuthorizedToUse: whether this subscription may put the community in a route filter. */
  isAuthorizedToUse?: boolean;
}

/** Everything Resource Graph indexes for one tenant that commands look things up in. */
export interface Inventory {
  circuits: Circuit[];
  routeFilters: RouteFilter[];
  routeTables: UdrTable[];
}

/** The latest value of one Azure Monitor metric series, and the start of the minute it describes. */
export interface MetricSample {
  value: number;
  at: number;
}

/** Azure Monitor's view of one peering × link: BgpAvailability and ArpAvailability, in percent. */
export interface LinkSignals {
  kind: PeeringKind;
  path: DevicePath;
  bgpAvailability?: MetricSample;
  arpAvailability?: MetricSample;
}

/** One circuit's health signals from Azure Monitor, read in batches for a whole fleet. */
export interface CircuitSignals {
  circuitId: string;
  links: LinkSignals[];
  /** BitsIn/OutPerSecond per link over the utilisation window. */
  usage: BandwidthUsage;
  /** Epoch ms of the newest data point behind these signals; undefined when Azure Monitor had none. */
  asOf?: number;
}

/**
 * The batched sources of fleet-wide answers (Azure Resource Graph and Azure Monitor's metrics:getBatch), so
 * that "what's broken?" never waits for the routers. src/azure implements it.
 */
export interface FleetReader {
  /** Every circuit, route filter and route table of these subscriptions of one tenant (one query, paged). */
  inventory(tenantId: string, subscriptionIds: readonly string[], options?: ReadOptions): Promise<Fresh<Inventory>>;
  /**
   * Health signals of these circuits of one tenant, batched by subscription and region. A batch that fails
   * leaves its circuits out of the map with the reason in `failures`, never guessed.
   */
  signals(
    tenantId: string,
    circuits: readonly Circuit[],
    windowMs: number,
    options?: ReadOptions,
  ): Promise<Fresh<{ byCircuit: Map<string, CircuitSignals>; failures: Map<string, PartFailure> }>>;
  /** Forget the tenant's inventory (after the bot changed something in it). */
  invalidateInventory(tenantId?: string): void;
}

/** A value read from ARM and when it was read; the age is shown on every card. */
export interface Fresh<T> {
  value: T;
  /** Epoch ms when ARM answered (older than now when served from the read cache). */
  fetchedAt: number;
  fromCache: boolean;
}

export interface ReadOptions {
  /** Skip the read cache. */
  fresh?: boolean;
  abortSignal?: AbortSignal;
  /**
   * Nobody is waiting for the answer (the watcher's reads): it may take longer so that it costs less, going out
   * over fewer connections at once than a read someone asked for.
   */
  background?: boolean;
  /** The watcher's cycle: a metric whose grain spans several cycles is read in slots. Without it, all are read. */
  cycle?: WatcherCycle;
}

/**
 * Which of the watcher's cycles a read is for, numbered from its start, and the interval between them: a metric
 * whose grain spans several cycles is read for each batch in one cycle of the grain (its slot), and its last
 * figures serve in the others.
 */
export interface WatcherCycle {
  index: number;
  intervalMs: number;
}

/**
 * The port the domain reads ARM through; src/azure implements it. Circuit arguments are full ARM ids.
 * Failures are CodedErrors (ArmNotFound, ArmForbidden, ArmThrottled, ArmUnavailable).
 */
export interface NetworkReader {
  listCircuits(scope: SubscriptionScope, options?: ReadOptions): Promise<Fresh<Circuit[]>>;
  getCircuit(scope: SubscriptionScope, circuitId: string, options?: ReadOptions): Promise<Fresh<Circuit>>;
  listRoutes(
    scope: SubscriptionScope,
    circuitId: string,
    peering: string,
    path: DevicePath,
    options?: ReadOptions,
  ): Promise<Fresh<RouteRow[]>>;
  listBgpNeighbours(
    scope: SubscriptionScope,
    circuitId: string,
    peering: string,
    path: DevicePath,
    options?: ReadOptions,
  ): Promise<Fresh<BgpNeighbour[]>>;
  listArp(
    scope: SubscriptionScope,
    circuitId: string,
    peering: string,
    path: DevicePath,
    options?: ReadOptions,
  ): Promise<Fresh<ArpEntry[]>>;
  /** Azure Monitor metrics over the window ending now, falling back to getStats counters. */
  getBandwidthUsage(scope: SubscriptionScope, circuitId: string, windowMs: number, options?: ReadOptions): Promise<Fresh<BandwidthUsage>>;
  listRouteFilters(scope: SubscriptionScope, options?: ReadOptions): Promise<Fresh<RouteFilter[]>>;
  listUdrTables(scope: SubscriptionScope, options?: ReadOptions): Promise<Fresh<UdrTable[]>>;
  /** Optional (added for route filter changes): the communities ARM serves for Microsoft peering. */
  listBgpServiceCommunities?(scope: SubscriptionScope, options?: ReadOptions): Promise<Fresh<BgpServiceCommunity[]>>;
  /** Optional (added for UDR changes): a VNet's address prefixes, by VNet id. */
  getVnetAddressPrefixes?(scope: SubscriptionScope, vnetId: string, options?: ReadOptions): Promise<Fresh<string[]>>;
}
