import { createHash } from 'node:crypto';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { partFailure, type PartFailure } from '../network/part';
import type { Circuit, CircuitSignals, FleetReader, Fresh, Inventory, RateLimitDrops, ReadOptions } from '../network/types';
import { INVENTORY_QUERY, inventoryFromRows } from './arg-rows';
import { queryResourceGraph } from './arg-query';
import { toCodedError } from './arm-errors';
import type { ClientPool } from './client-pool';
import type { MetricError } from './metrics-batch';
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
/** QosDropBits*'s finest grain (DESIGN.md, Metrics): a newer figure cannot come sooner. */
export const DROPS_GRAIN_MS = 5 * 60_000;
/** Three intervals find the newest complete one, and every one since a read a grain (and a cycle) ago. */
const DROPS_WINDOW_MS = 3 * DROPS_GRAIN_MS;
/** The furthest back a read goes to find the intervals since the last one. */
const DROPS_LOOKBACK_MS = 60 * 60_000;
/** A batch's figures are of no use after that (too old to read on from): forgotten. */
const FORGET_DROPS_MS = DROPS_LOOKBACK_MS;

/** The fleet's batched reads: one Resource Graph query per tenant, and metrics:getBatch per subscription and region. */
export class ArmFleetReader implements FleetReader {
  /**
   * The watcher's drops of each batch (keyed as in the read cache): the last figures read and when, and the cycle
   * of the last try, and whether it failed.
   */
  private readonly lastDrops = new Map<
    string,
    { value?: Map<string, RateLimitDrops>; fetchedAt: number; cycle: number; failed: boolean }
  >();

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
    for (const [, members] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
      const sorted = [...members].sort((a, b) => a.id.localeCompare(b.id));
      for (let i = 0; i < sorted.length; i += BATCH_IDS) batches.push(sorted.slice(i, i + BATCH_IDS));
    }
    const byCircuit = new Map<string, CircuitSignals>();
    const failures = new Map<string, PartFailure>();
    let fetchedAt = this.options.clock.now();
    let fromCache = true;
    if (options.cycle) this.forgetOldDrops();
    // Where the tenant's batches start among the watcher's slots, so that tenants of one batch are not all read at once.
    const firstSlot = createHash('sha256').update(tenantId.toLowerCase()).digest().readUInt32BE(0);
    await Promise.all(
      batches.map(async (batch, index) => {
        const ids = batch.map((c) => c.id.toLowerCase());
        const key = `${tenantId.toLowerCase()}|*|signals|${windowMs}|${ids.join(',')}`;
        try {
          const [read, drops] = await Promise.all([
            this.options.cache.read(key, () => this.queryBatch(tenantId, batch, windowMs, options), {
              fresh: options.fresh === true,
            }),
            this.dropsOf(tenantId, batch, ids, firstSlot + index, options),
          ]);
          fetchedAt = Math.min(fetchedAt, read.fetchedAt);
          fromCache &&= read.fromCache;
          for (const s of read.value) {
            const id = s.circuitId.toLowerCase();
            const dropped = drops?.get(id);
            // The cached answer is shared: each answer gets its own usage, with the drops as last read.
            const usage = { ...s.usage, ...(dropped ? { drops: dropped } : {}), ...(drops ? {} : { dropsUnread: true as const }) };
            byCircuit.set(id, { ...s, usage });
          }
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

  /**
   * The batch's rate-limit drops, or undefined when they are not known for this answer (not read yet, or the read
   * failed: the batch's other metrics stand all the same). A read someone asked for reads them (through the read
   * cache) and leaves the watcher's own record alone. The watcher reads that 5-minute metric once per 5 minutes:
   * each batch in its slot among the cycles of one grain (spread evenly over the cycles), taking the highest
   * interval since the one its last read saw; between, its last figures serve. A batch not tried in the last
   * grain's cycles (a tenant not watched then, a batch new or changed) is read at once; one whose read failed is
   * unknown until its next slot; at the start, a batch waits for its slot (its drops unknown until then).
   */
  private async dropsOf(
    tenantId: string,
    batch: readonly Circuit[],
    ids: readonly string[],
    slot: number,
    options: ReadOptions,
  ): Promise<Map<string, RateLimitDrops> | undefined> {
    const key = `${tenantId.toLowerCase()}|*|drops|${ids.join(',')}`;
    const cycle = options.cycle;
    try {
      if (!cycle) {
        const read = await this.options.cache.read(key, () => this.queryDrops(tenantId, batch, options), {
          fresh: options.fresh === true,
        });
        return read.value;
      }
      const last = this.lastDrops.get(key);
      const turns = cycle.intervalMs > 0 ? Math.max(1, Math.floor(DROPS_GRAIN_MS / cycle.intervalMs)) : 1;
      const tried = last !== undefined && cycle.index - last.cycle < turns;
      if (slot % turns !== cycle.index % turns && (tried || (last === undefined && cycle.index < turns))) {
        return last?.failed ? undefined : last?.value;
      }
      this.lastDrops.set(key, { ...(last ?? { fetchedAt: this.options.clock.now() }), cycle: cycle.index, failed: true });
      // Read on from the last figures only while the tries follow one another: after a gap (this instance not
      // watching the tenant a while), an old interval's drops would pass for new ones.
      const previous = last !== undefined && cycle.index - last.cycle <= turns ? last.value : undefined;
      const value = await this.queryDrops(tenantId, batch, options, previous);
      this.lastDrops.set(key, { value, fetchedAt: this.options.clock.now(), cycle: cycle.index, failed: false });
      return value;
    } catch (e) {
      const coded = toCodedError(e, { subscriptionId: batch[0]?.subscriptionId ?? '', resource: 'Azure Monitor metrics' });
      this.options.logger.warn(
        { code: coded.code, reason: coded.message, tenantId, circuits: batch.length },
        'rate-limit drops could not be read; they are unknown for these circuits',
      );
      return undefined;
    }
  }

  /** Batches read no more (their circuits moved or went) are forgotten after an hour. */
  private forgetOldDrops(): void {
    const before = this.options.clock.now() - FORGET_DROPS_MS;
    for (const [key, read] of this.lastDrops) if (read.fetchedAt < before) this.lastDrops.delete(key);
  }

  private async queryInventory(tenantId: string, subscriptions: readonly string[], options: ReadOptions): Promise<Inventory> {
    const rows = await queryResourceGraph(this.options.pool, tenantId, subscriptions, INVENTORY_QUERY, options);
    const { inventory, skipped } = inventoryFromRows(rows);
    if (skipped > 0) this.options.logger.warn({ tenantId, skipped }, 'resource graph rows not understood were skipped');
    return inventory;
  }

  /** Two getBatch calls per batch: availability (per link) and throughput (per device). */
  private async queryBatch(tenantId: string, batch: readonly Circuit[], windowMs: number, options: ReadOptions): Promise<CircuitSignals[]> {
    const first = batch[0];
    if (!first) return [];
    const client = this.options.pool.metricsBatch(tenantId, first.location);
    const ids = batch.map((c) => c.id);
    const end = this.options.clock.now();
    const at = (ms: number) => new Date(end - ms);
    const [availability, usage] = await Promise.all([
      client.query(first.subscriptionId, ids, {
        ...common(end, options),
        metricNames: ['BgpAvailability', 'ArpAvailability'],
        startTime: at(AVAILABILITY_WINDOW_MS),
        interval: 'PT1M',
        aggregation: 'Average',
        filter: "PeeringType eq '*' and Peer eq '*'",
      }),
      client.query(first.subscriptionId, ids, {
        ...common(end, options),
        metricNames: ['BitsInPerSecond', 'BitsOutPerSecond'],
        startTime: at(windowMs),
        // One data point for the whole window (FULL: its average, and the peak as Maximum). A fleet needs the
        // window's figure per link; 60 one-minute points per series for thousands of circuits is ballast, and a
        // PT1H grain would be cut at the clock's hour, not at the window's start.
        interval: 'FULL',
        aggregation: 'Average,Maximum',
        filter: "DeviceRole eq '*'",
      }),
    ]);
    this.logErrors(tenantId, [...availability.errors, ...usage.errors]);
    const find = (result: typeof availability, id: string) => result.byResource.get(id.toLowerCase()) ?? [];
    return batch.map((c) => {
      const links = linkSignals(find(availability, c.id));
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
        },
      };
      if (asOf !== undefined) signals.asOf = asOf;
      return signals;
    });
  }

  /**
   * One getBatch call: QosDropBitsIn/OutPerSecond, whose finest grain is 5 minutes. With the figures of the last
   * read, each circuit's are the highest interval since the one that read saw last.
   */
  private async queryDrops(
    tenantId: string,
    batch: readonly Circuit[],
    options: ReadOptions,
    previous?: ReadonlyMap<string, RateLimitDrops>,
  ): Promise<Map<string, RateLimitDrops>> {
    const first = batch[0];
    const drops = new Map<string, RateLimitDrops>();
    if (!first) return drops;
    const end = this.options.clock.now();
    // Back to the oldest interval the last read saw (its slots came late, say), within the hour.
    let start = end - DROPS_WINDOW_MS;
    for (const d of previous?.values() ?? []) start = Math.min(start, Math.max(d.at, end - DROPS_LOOKBACK_MS));
    const result = await this.options.pool.metricsBatch(tenantId, first.location).query(
      first.subscriptionId,
      batch.map((c) => c.id),
      {
        ...common(end, options),
        metricNames: ['QosDropBitsInPerSecond', 'QosDropBitsOutPerSecond'],
        startTime: new Date(start),
        interval: 'PT5M',
        aggregation: 'Average',
      },
    );
    this.logErrors(tenantId, result.errors);
    for (const c of batch) {
      const id = c.id.toLowerCase();
      const dropped = rateLimitDrops(result.byResource.get(id) ?? [], previous?.get(id)?.at);
      if (dropped) drops.set(id, dropped);
    }
    return drops;
  }

  private logErrors(tenantId: string, errors: readonly MetricError[]): void {
    if (errors.length === 0) return;
    const { resourceId, metric, code } = errors[0]!;
    this.options.logger.warn(
      { tenantId, errors: errors.length, resourceId, metric, code },
      'metrics came back with errors; those circuits have no data',
    );
  }
}

/** What every getBatch call of a read carries. */
function common(end: number, options: ReadOptions) {
  return {
    namespace: NAMESPACE,
    endTime: new Date(end),
    top: 100,
    ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
    ...(options.background ? { background: true } : {}),
  };
}
