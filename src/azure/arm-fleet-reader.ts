import type { Clock } from '../clock';
import type { Logger } from '../log';
import { partFailure, type PartFailure } from '../network/part';
import type { Circuit, CircuitSignals, FleetReader, Fresh, Inventory, ReadOptions } from '../network/types';
import { INVENTORY_QUERY, inventoryFromRows } from './arg-rows';
import { queryResourceGraph } from './arg-query';
import { toCodedError } from './arm-errors';
import type { ClientPool } from './client-pool';
import { linkSignals, rateLimitDrops, throughput } from './metric-signals';
import type { ReadCache } from './read-cache';

export interface ArmFleetReaderOptions {
  pool: ClientPool;
  cache: ReadCache;
  clock: Clock;
  logger: Logger;
}

/** metrics:getBatch takes at most 50 resource ids, all of one subscription, region and resource type. */
export const BATCH_IDS = 50;
const NAMESPACE = 'Microsoft.Network/expressRouteCircuits';
/** Availability is reported per minute; five minutes find the newest ingested one. */
const AVAILABILITY_WINDOW_MS = 5 * 60_000;
/** QosDropBits* has a 5-minute grain; three intervals find the newest complete one. */
const DROPS_WINDOW_MS = 15 * 60_000;

/** The fleet's batched reads: one Resource Graph query per tenant, and metrics:getBatch per subscription and region. */
export class ArmFleetReader implements FleetReader {
  constructor(private readonly options: ArmFleetReaderOptions) {}

  static inventoryKey(tenantId: string): string {
    return `${tenantId.toLowerCase()}|*|inventory|`;
  }

  async inventory(tenantId: string, subscriptionIds: readonly string[], options: ReadOptions = {}): Promise<Fresh<Inventory>> {
    const subscriptions = [...new Set(subscriptionIds.map((s) => s.toLowerCase()))].sort();
    const key = ArmFleetReader.inventoryKey(tenantId) + subscriptions.join(',');
    try {
      return await this.options.cache.read(key, () => this.queryInventory(tenantId, subscriptions, options), {
        fresh: options.fresh === true,
      });
    } catch (e) {
      const coded = toCodedError(e, { resource: 'the Resource Graph inventory' });
      this.options.logger.warn({ code: coded.code, tenantId, ...coded.details, reason: coded.message }, 'resource graph query failed');
      throw coded;
    }
  }

  invalidateInventory(tenantId?: string): void {
    this.options.cache.invalidate(tenantId === undefined ? undefined : ArmFleetReader.inventoryKey(tenantId));
  }

  async signals(
    tenantId: string,
    circuits: readonly Circuit[],
    windowMs: number,
    options: ReadOptions = {},
  ): Promise<Fresh<{ byCircuit: Map<string, CircuitSignals>; failures: Map<string, PartFailure> }>> {
    const groups = new Map<string, Circuit[]>();
    for (const c of circuits) {
      const group = `${c.subscriptionId}|${c.location}`.toLowerCase();
      const members = groups.get(group);
      if (members) members.push(c);
      else groups.set(group, [c]);
    }
    const batches: Circuit[][] = [];
    for (const members of groups.values()) {
      const sorted = [...members].sort((a, b) => a.id.localeCompare(b.id));
      for (let i = 0; i < sorted.length; i += BATCH_IDS) batches.push(sorted.slice(i, i + BATCH_IDS));
    }
    const byCircuit = new Map<string, CircuitSignals>();
    const failures = new Map<string, PartFailure>();
    let fetchedAt = this.options.clock.now();
    let fromCache = true;
    await Promise.all(
      batches.map(async (batch) => {
        const ids = batch.map((c) => c.id.toLowerCase());
        const key = `${tenantId.toLowerCase()}|*|signals|${windowMs}|${ids.join(',')}`;
        try {
          const read = await this.options.cache.read(key, () => this.queryBatch(tenantId, batch, windowMs, options), {
            fresh: options.fresh === true,
          });
          fetchedAt = Math.min(fetchedAt, read.fetchedAt);
          fromCache &&= read.fromCache;
          for (const s of read.value) byCircuit.set(s.circuitId.toLowerCase(), s);
        } catch (e) {
          const failure = partFailure(
            toCodedError(e, { subscriptionId: batch[0]?.subscriptionId ?? '', resource: 'Azure Monitor metrics' }),
          );
          this.options.logger.warn(
            { code: failure.code, reason: failure.message, tenantId, circuits: batch.length },
            'metrics batch failed',
          );
          for (const id of ids) failures.set(id, failure);
        }
      }),
    );
    return { value: { byCircuit, failures }, fetchedAt, fromCache: fromCache && batches.length > 0 };
  }

  private async queryInventory(tenantId: string, subscriptions: readonly string[], options: ReadOptions): Promise<Inventory> {
    const rows = await queryResourceGraph(this.options.pool, tenantId, subscriptions, INVENTORY_QUERY, options);
    const { inventory, skipped } = inventoryFromRows(rows);
    if (skipped > 0) this.options.logger.warn({ tenantId, skipped }, 'resource graph rows not understood were skipped');
    return inventory;
  }

  /** Three getBatch calls per batch: availability (per link), throughput (per device), drops (5-minute grain). */
  private async queryBatch(tenantId: string, batch: readonly Circuit[], windowMs: number, options: ReadOptions): Promise<CircuitSignals[]> {
    const first = batch[0];
    if (!first) return [];
    const client = this.options.pool.metricsBatch(tenantId, first.location);
    const ids = batch.map((c) => c.id);
    const end = this.options.clock.now();
    const at = (ms: number) => new Date(end - ms);
    const common = {
      namespace: NAMESPACE,
      endTime: new Date(end),
      top: 100,
      ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
      ...(options.background ? { background: true } : {}),
    };
    const [availability, usage, drops] = await Promise.all([
      client.query(first.subscriptionId, ids, {
        ...common,
        metricNames: ['BgpAvailability', 'ArpAvailability'],
        startTime: at(AVAILABILITY_WINDOW_MS),
        interval: 'PT1M',
        aggregation: 'Average',
        filter: "PeeringType eq '*' and Peer eq '*'",
      }),
      client.query(first.subscriptionId, ids, {
        ...common,
        metricNames: ['BitsInPerSecond', 'BitsOutPerSecond'],
        startTime: at(windowMs),
        // One data point for the whole window (FULL: its average, and the peak as Maximum). A fleet needs the
        // window's figure per link; 60 one-minute points per series for thousands of circuits is ballast, and a
        // PT1H grain would be cut at the clock's hour, not at the window's start.
        interval: 'FULL',
        aggregation: 'Average,Maximum',
        filter: "DeviceRole eq '*'",
      }),
      client.query(first.subscriptionId, ids, {
        ...common,
        metricNames: ['QosDropBitsInPerSecond', 'QosDropBitsOutPerSecond'],
        startTime: at(DROPS_WINDOW_MS),
        interval: 'PT5M',
        aggregation: 'Average',
      }),
    ]);
    const errors = [...availability.errors, ...usage.errors, ...drops.errors];
    if (errors.length > 0) {
      const { resourceId, metric, code } = errors[0]!;
      this.options.logger.warn(
        { tenantId, errors: errors.length, resourceId, metric, code },
        'metrics came back with errors; those circuits have no data',
      );
    }
    const find = (result: typeof availability, id: string) => result.byResource.get(id.toLowerCase()) ?? [];
    return batch.map((c) => {
      const links = linkSignals(find(availability, c.id));
      const dropped = rateLimitDrops(find(drops, c.id));
      const usageLinks = throughput(find(usage, c.id));
      let asOf: number | undefined;
      for (const l of links) {
        if (l.bgpAvailability && (asOf === undefined || l.bgpAvailability.at > asOf)) asOf = l.bgpAvailability.at;
        if (l.arpAvailability && (asOf === undefined || l.arpAvailability.at > asOf)) asOf = l.arpAvailability.at;
      }
      const signals: CircuitSignals = {
        circuitId: c.id,
        links,
        usage: {
          source: 'metrics',
          windowStart: end - windowMs,
          windowEnd: end,
          links: usageLinks,
          ...(dropped ? { drops: dropped } : {}),
        },
      };
      if (asOf !== undefined) signals.asOf = asOf;
      return signals;
    });
  }
}
