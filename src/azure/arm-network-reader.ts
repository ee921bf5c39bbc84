import type { ExpressRouteCircuit, NetworkManagementClient } from '@azure/arm-network';
import { isRestError } from '@azure/core-rest-pipeline';
import type { Clock } from '../clock';
import { CodedError, ErrorCode } from '../errors';
import type { Logger } from '../log';
import {
  type ArpEntry,
  type BandwidthUsage,
  type BgpServiceCommunity,
  type BgpNeighbour,
  type Circuit,
  type DevicePath,
  type Fresh,
  type NetworkReader,
  PEERING_ARM_NAME,
  type PeeringKind,
  type RateLimitDrops,
  type ReadOptions,
  type RouteFilter,
  type RouteRow,
  type SubscriptionScope,
  type UdrTable,
} from '../network/types';
import { type ArmResourceId, formatArmId, parseArmId, parseCircuitId } from '../network/arm-id';
import { toCodedError } from './arm-errors';
import type { ClientPool } from './client-pool';
import { dropsFromMetrics, linksFromMetrics, metricsInterval } from './links-from-metrics';
import {
  toArpEntry,
  toBgpNeighbour,
  toBgpServiceCommunities,
  toCircuit,
  toCounters,
  toRouteFilter,
  toRouteRow,
  toUdrTable,
} from './map-arm-models';
import type { ReadCache } from './read-cache';

export interface ArmNetworkReaderOptions {
  pool: ClientPool;
  cache: ReadCache;
  clock: Clock;
  logger: Logger;
  /** How often to poll ARM's long-running device reads (route tables, ARP). ARM's Retry-After wins. */
  lroPollIntervalMs?: number;
}

export const DEFAULT_LRO_POLL_INTERVAL_MS = 1_000;

type DeviceOperation = 'routes' | 'bgp' | 'arp';

/** NetworkReader over the real ARM SDK: every read is scheduled, cached briefly and mapped to domain types. */
export class ArmNetworkReader implements NetworkReader {
  private readonly pool: ClientPool;
  private readonly cache: ReadCache;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly lroPollIntervalMs: number;

  constructor(options: ArmNetworkReaderOptions) {
    this.pool = options.pool;
    this.cache = options.cache;
    this.clock = options.clock;
    this.logger = options.logger;
    this.lroPollIntervalMs = options.lroPollIntervalMs ?? DEFAULT_LRO_POLL_INTERVAL_MS;
  }

  async listCircuits(scope: SubscriptionScope, options: ReadOptions = {}): Promise<Fresh<Circuit[]>> {
    return this.read(scope, 'circuits', [], options, 'the ExpressRoute circuits', async () => {
      const client = this.pool.networkClient(scope);
      const circuits: Circuit[] = [];
      for await (const c of client.expressRouteCircuits.listAll({ abortSignal: options.abortSignal })) {
        circuits.push(withAuthorizationConnections(toCircuit(c), c));
      }
      await this.addPortBandwidth(scope, circuits, options);
      return circuits;
    });
  }

  async getCircuit(scope: SubscriptionScope, circuitId: string, options: ReadOptions = {}): Promise<Fresh<Circuit>> {
    const id = this.circuitInScope(scope, circuitId);
    return this.read(scope, 'circuit', [id.resourceGroup, id.name], options, `circuit ${id.name}`, async () => {
      const c = await this.pool
        .networkClient(scope)
        .expressRouteCircuits.get(id.resourceGroup, id.name, { abortSignal: options.abortSignal });
      const circuit = withAuthorizationConnections(toCircuit(c), c);
      await this.addPortBandwidth(scope, [circuit], options);
      return circuit;
    });
  }

  async listRoutes(
    scope: SubscriptionScope,
    circuitId: string,
    peering: string,
    path: DevicePath,
    options: ReadOptions = {},
  ): Promise<Fresh<RouteRow[]>> {
    return this.deviceRead(scope, 'routes', circuitId, peering, path, options, async (client, rg, name, p, lro) => {
      const r = await client.expressRouteCircuits.beginListRoutesTableAndWait(rg, name, p, path, lro);
      return (r.value ?? []).map(toRouteRow);
    });
  }

  async listBgpNeighbours(
    scope: SubscriptionScope,
    circuitId: string,
    peering: string,
    path: DevicePath,
    options: ReadOptions = {},
  ): Promise<Fresh<BgpNeighbour[]>> {
    return this.deviceRead(scope, 'bgp', circuitId, peering, path, options, async (client, rg, name, p, lro) => {
      const r = await client.expressRouteCircuits.beginListRoutesTableSummaryAndWait(rg, name, p, path, lro);
      return (r.value ?? []).map(toBgpNeighbour);
    });
  }

  async listArp(
    scope: SubscriptionScope,
    circuitId: string,
    peering: string,
    path: DevicePath,
    options: ReadOptions = {},
  ): Promise<Fresh<ArpEntry[]>> {
    return this.deviceRead(scope, 'arp', circuitId, peering, path, options, async (client, rg, name, p, lro) => {
      const r = await client.expressRouteCircuits.beginListArpTableAndWait(rg, name, p, path, lro);
      return (r.value ?? []).map(toArpEntry);
    });
  }

  async getBandwidthUsage(
    scope: SubscriptionScope,
    circuitId: string,
    windowMs: number,
    options: ReadOptions = {},
  ): Promise<Fresh<BandwidthUsage>> {
    const id = this.circuitInScope(scope, circuitId);
    if (!Number.isFinite(windowMs) || windowMs <= 0) {
      throw new CodedError(ErrorCode.BadInput, 'The time window for bandwidth use must be a positive duration.', {
        hint: 'Ask for a window such as 1h or 24h.',
      });
    }
    const args = [id.resourceGroup, id.name, String(windowMs)];
    return this.read(scope, 'bandwidth', args, options, `bandwidth use of circuit ${id.name}`, async () => {
      const windowEnd = this.clock.now();
      const windowStart = windowEnd - windowMs;
      const [links, drops] = await Promise.all([
        this.metricLinks(scope, id, windowStart, windowEnd, options),
        this.rateLimitDrops(scope, id, windowEnd, options),
      ]);
      if (links.length > 0)
        return { source: 'metrics', windowStart, windowEnd, links, ...(drops ? { drops } : {}) } satisfies BandwidthUsage;
      const stats = await this.pool
        .networkClient(scope)
        .expressRouteCircuits.getStats(id.resourceGroup, id.name, { abortSignal: options.abortSignal });
      return { source: 'counters', windowStart, windowEnd, links: [], counters: toCounters(stats) } satisfies BandwidthUsage;
    });
  }

  async listRouteFilters(scope: SubscriptionScope, options: ReadOptions = {}): Promise<Fresh<RouteFilter[]>> {
    return this.read(scope, 'routeFilters', [], options, 'the route filters', async () => {
      const filters: RouteFilter[] = [];
      const client = this.pool.networkClient(scope);
      for await (const f of client.routeFilters.list({ abortSignal: options.abortSignal })) filters.push(toRouteFilter(f));
      return filters;
    });
  }

  async listUdrTables(scope: SubscriptionScope, options: ReadOptions = {}): Promise<Fresh<UdrTable[]>> {
    return this.read(scope, 'routeTables', [], options, 'the route tables', async () => {
      const tables: UdrTable[] = [];
      const client = this.pool.networkClient(scope);
      for await (const t of client.routeTables.listAll({ abortSignal: options.abortSignal })) tables.push(toUdrTable(t));
      return tables;
    });
  }

  /** The BGP communities ARM serves for Microsoft peering route filters (cached like every read). */
  async listBgpServiceCommunities(scope: SubscriptionScope, options: ReadOptions = {}): Promise<Fresh<BgpServiceCommunity[]>> {
    return this.read(scope, 'bgpServiceCommunities', [], options, 'the BGP service communities', async () => {
      const out: BgpServiceCommunity[] = [];
      const client = this.pool.networkClient(scope);
      for await (const s of client.bgpServiceCommunities.list({ abortSignal: options.abortSignal })) {
        out.push(...toBgpServiceCommunities(s));
      }
      return out;
    });
  }

  /** A VNet's address prefixes (for UDR black-hole warnings). */
  async getVnetAddressPrefixes(scope: SubscriptionScope, vnetId: string, options: ReadOptions = {}): Promise<Fresh<string[]>> {
    const id = parseArmId(vnetId);
    if (
      id.type.toLowerCase() !== 'virtualnetworks' ||
      id.children.length > 0 ||
      id.subscriptionId.toLowerCase() !== scope.subscriptionId.toLowerCase()
    ) {
      throw new CodedError(ErrorCode.BadInput, `${vnetId.slice(0, 200)} is not a VNet in subscription ${scope.subscriptionId}.`, {
        hint: 'Name the VNet by its full id.',
      });
    }
    return this.read(scope, 'vnet', [id.resourceGroup, id.name], options, `VNet ${id.name}`, async () => {
      const vnet = await this.pool
        .networkClient(scope)
        .virtualNetworks.get(id.resourceGroup, id.name, { abortSignal: options.abortSignal });
      return [...(vnet.addressSpace?.addressPrefixes ?? [])];
    });
  }

  /** Cache prefix of everything read for a subscription; a writer invalidates it after a change. */
  static cachePrefix(scope: SubscriptionScope): string {
    return `${scope.tenantId}|${scope.subscriptionId}|`.toLowerCase();
  }

  private async read<T>(
    scope: SubscriptionScope,
    operation: string,
    args: string[],
    options: ReadOptions,
    what: string,
    load: () => Promise<T>,
  ): Promise<Fresh<T>> {
    const key = ArmNetworkReader.cachePrefix(scope) + [operation, ...args].join('|').toLowerCase();
    try {
      return await this.cache.read(key, load, { fresh: options.fresh === true });
    } catch (e) {
      const coded = toCodedError(e, { subscriptionId: scope.subscriptionId, resource: what });
      this.logger.warn({ code: coded.code, subscriptionId: scope.subscriptionId, operation, details: coded.details }, 'arm read failed');
      throw coded;
    }
  }

  private async deviceRead<T>(
    scope: SubscriptionScope,
    operation: DeviceOperation,
    circuitId: string,
    peering: string,
    path: DevicePath,
    options: ReadOptions,
    call: (
      client: NetworkManagementClient,
      resourceGroup: string,
      circuitName: string,
      peeringName: string,
      lro: { updateIntervalInMs: number; abortSignal?: AbortSignal },
    ) => Promise<T[]>,
  ): Promise<Fresh<T[]>> {
    const id = this.circuitInScope(scope, circuitId);
    const peeringName = armPeeringName(peering);
    if (path !== 'primary' && path !== 'secondary') {
      throw new CodedError(ErrorCode.BadInput, `"${String(path)}" is not a device path.`, {
        hint: 'Use primary or secondary.',
      });
    }
    const what = `the ${operation === 'arp' ? 'ARP table' : 'route table'} of circuit ${id.name} (${peeringName}, ${path})`;
    const args = [id.resourceGroup, id.name, peeringName, path];
    return this.read(scope, operation, args, options, what, async () => {
      const lro = {
        updateIntervalInMs: this.lroPollIntervalMs,
        ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
      };
      try {
        return await call(this.pool.networkClient(scope), id.resourceGroup, id.name, peeringName, lro);
      } catch (e) {
        // arm-network's deserializer maps `value` unguarded, so an answer without rows throws a TypeError.
        if (e instanceof TypeError && !isRestError(e)) return [];
        throw e;
      }
    });
  }

  private async metricLinks(scope: SubscriptionScope, id: ArmResourceId, windowStart: number, windowEnd: number, options: ReadOptions) {
    const resourceUri = this.circuitIdOf(id).replace(/^\//, '');
    try {
      const response = await this.pool.monitorClient(scope).metrics.list(resourceUri, {
        timespan: `${new Date(windowStart).toISOString()}/${new Date(windowEnd).toISOString()}`,
        interval: metricsInterval(windowEnd - windowStart),
        metricnames: 'BitsInPerSecond,BitsOutPerSecond',
        aggregation: 'Average,Maximum',
        filter: "DeviceRole eq '*'",
        abortSignal: options.abortSignal,
      });
      return linksFromMetrics(response.value ?? []);
    } catch (e) {
      if (isRestError(e) && e.statusCode === 404) {
        this.logger.info({ circuit: id.name }, 'no metrics for circuit, falling back to counters');
        return [];
      }
      throw e;
    }
  }

  /** QosDropBitsIn/OutPerSecond (5-minute grain, no dimensions): best effort, a circuit without them has none. */
  private async rateLimitDrops(
    scope: SubscriptionScope,
    id: ArmResourceId,
    windowEnd: number,
    options: ReadOptions,
  ): Promise<RateLimitDrops | undefined> {
    const resourceUri = this.circuitIdOf(id).replace(/^\//, '');
    try {
      const response = await this.pool.monitorClient(scope).metrics.list(resourceUri, {
        timespan: `${new Date(windowEnd - 15 * 60_000).toISOString()}/${new Date(windowEnd).toISOString()}`,
        interval: 'PT5M',
        metricnames: 'QosDropBitsInPerSecond,QosDropBitsOutPerSecond',
        aggregation: 'Average',
        abortSignal: options.abortSignal,
      });
      return dropsFromMetrics(response.value ?? []);
    } catch (e) {
      if (options.abortSignal?.aborted) throw e;
      this.logger.info({ circuit: id.name, status: isRestError(e) ? e.statusCode : undefined }, 'no rate-limit drop metrics');
      return undefined;
    }
  }

  /**
   * Direct circuits: the port's size bounds the bandwidths a circuit on it may grow to; its encapsulation, its
   * circuits and what they add up to feed the port pair rules. Best effort: what is not read stays unknown, and
   * the rules that need it refuse.
   */
  private async addPortBandwidth(scope: SubscriptionScope, circuits: Circuit[], options: ReadOptions): Promise<void> {
    const byPort = new Map<string, Circuit[]>();
    for (const c of circuits) {
      if (!c.direct) continue;
      const key = c.direct.portId.toLowerCase();
      byPort.set(key, [...(byPort.get(key) ?? []), c]);
    }
    await Promise.all(
      [...byPort.values()].map(async (onPort) => {
        const first = onPort[0];
        if (!first?.direct) return;
        try {
          const port = parseArmId(first.direct.portId);
          const portScope = { tenantId: scope.tenantId, subscriptionId: port.subscriptionId };
          const found = await this.pool
            .networkClient(portScope)
            .expressRoutePorts.get(port.resourceGroup, port.name, { abortSignal: options.abortSignal });
          for (const c of onPort) {
            if (c.direct && found.bandwidthInGbps !== undefined) c.direct.portBandwidthInGbps = found.bandwidthInGbps;
            if (c.direct && found.provisionedBandwidthInGbps !== undefined) c.direct.portSubscribedGbps = found.provisionedBandwidthInGbps;
            if (c.direct && found.peeringLocation) c.direct.portPeeringLocation = found.peeringLocation;
            if (c.direct && found.encapsulation) c.direct.portEncapsulation = found.encapsulation;
            if (c.direct && Array.isArray(found.circuits)) c.direct.portCircuitIds = found.circuits.flatMap((r) => (r.id ? [r.id] : []));
          }
        } catch (e) {
          this.logger.info(
            { portId: first.direct.portId, status: isRestError(e) ? e.statusCode : undefined },
            'could not read ExpressRoute port; its bandwidth stays unknown',
          );
        }
      }),
    );
  }

  private circuitInScope(scope: SubscriptionScope, circuitId: string): ArmResourceId {
    const id = parseCircuitId(circuitId);
    if (id.subscriptionId.toLowerCase() !== scope.subscriptionId.toLowerCase()) {
      throw new CodedError(
        ErrorCode.BadInput,
        `Circuit ${id.name} is in subscription ${id.subscriptionId}, not in ${scope.subscriptionId}.`,
        { hint: "Name the circuit through the customer that owns it, e.g. 'customer/circuit'." },
      );
    }
    return id;
  }

  private circuitIdOf(id: ArmResourceId): string {
    return formatArmId({ ...id, children: [] });
  }
}

/** Accepts ARM's peering names and the domain's short kinds (private, microsoft, public). */
export function armPeeringName(peering: string): string {
  const trimmed = peering.trim();
  const lower = trimmed.toLowerCase();
  if (Object.hasOwn(PEERING_ARM_NAME, lower)) return PEERING_ARM_NAME[lower as PeeringKind];
  const byName = Object.values(PEERING_ARM_NAME).find((n) => n.toLowerCase() === lower);
  if (byName) return byName;
  throw new CodedError(ErrorCode.BadInput, `"${peering}" is not an ExpressRoute peering.`, {
    hint: 'Use private (AzurePrivatePeering), microsoft (MicrosoftPeering) or public (AzurePublicPeering).',
  });
}

/** Which connection redeemed each authorization (ARM's connectionResourceUri), for revoke warnings. */
export function withAuthorizationConnections(circuit: Circuit, model: ExpressRouteCircuit): Circuit {
  for (const a of model.authorizations ?? []) {
    const mapped = circuit.authorizations.find((x) => x.name === a.name);
    if (a.connectionResourceUri && mapped) mapped.connectionId = a.connectionResourceUri;
  }
  return circuit;
}
