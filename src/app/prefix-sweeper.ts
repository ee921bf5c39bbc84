import type { Clock } from '../clock';
import type { Access } from '../directory/access';
import type { Logger } from '../log';
import { bgpFromNeighbours } from '../network/health';
import { checkablePeerings } from '../network/health-check';
import { mapConcurrent } from '../network/map-concurrent';
import type { FleetReader, NetworkReader } from '../network/types';
import { DEVICE_PATHS } from '../network/types';
import { visibleInventory } from './answers/visible-circuits';
import type { PrefixCounts } from './prefix-counts';

export interface PrefixSweeperOptions {
  access: Access;
  fleet: FleetReader;
  reader: NetworkReader;
  counts: PrefixCounts;
  clock: Clock;
  logger: Logger;
  /** How old a count may get before it is read again; also the pause between sweeps. */
  intervalMs: number;
  /** Router reads in flight at once: few, so they never crowd out what a user asked for. */
  concurrency?: number;
  /** Tokens left in a subscription's write bucket (device reads are POSTs, which ARM counts as writes). */
  writeTokens: (subscriptionId: string) => number;
  /** Below this many, the sweep leaves the subscription to users and comes back next time. */
  reserveTokens?: number;
}

export interface SweepResult {
  read: number;
  skipped: number;
  failed: number;
}

/**
 * Counts received prefixes in the background. Azure Monitor has no metric for them, so only a route-table
 * summary (a router read of seconds) shows how close a peering is to its limit; the fleet view shows the last
 * count with its age and never waits for one.
 */
export class PrefixSweeper {
  private timer: NodeJS.Timeout | undefined;
  private readonly abort = new AbortController();
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: PrefixSweeperOptions) {}

  start(firstAfterMs = 5_000): void {
    const schedule = (ms: number) => {
      this.timer = setTimeout(() => {
        this.running = this.sweep()
          .catch((err: unknown) => this.options.logger.warn({ err }, 'prefix sweep failed'))
          .finally(() => {
            if (!this.abort.signal.aborted) schedule(this.options.intervalMs);
          });
      }, ms);
      this.timer.unref();
    };
    schedule(firstAfterMs);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    if (this.timer) clearTimeout(this.timer);
    await this.running.catch(() => undefined);
  }

  async sweep(): Promise<SweepResult> {
    const o = this.options;
    const result: SweepResult = { read: 0, skipped: 0, failed: 0 };
    const inventory = await visibleInventory(o, undefined, { customers: o.access.allCustomers(), background: true });
    const now = o.clock.now();
    const work = inventory.circuits.flatMap((owned) =>
      checkablePeerings(owned.circuit).flatMap((peering) => DEVICE_PATHS.map((path) => ({ owned, peering: peering.name, path }))),
    );
    const due = work.filter((w) => {
      const known = o.counts.get(w.owned.circuit.id, w.peering, w.path);
      return !known || now - known.fetchedAt >= o.intervalMs;
    });
    await mapConcurrent(due, o.concurrency ?? 2, async ({ owned, peering, path }) => {
      if (this.abort.signal.aborted) return;
      if (o.writeTokens(owned.scope.subscriptionId) < (o.reserveTokens ?? 50)) {
        result.skipped += 1;
        return;
      }
      try {
        const read = await o.reader.listBgpNeighbours(owned.scope, owned.circuit.id, peering, path, { abortSignal: this.abort.signal });
        const evidence = bgpFromNeighbours(read.value);
        if (evidence.up && evidence.prefixes)
          o.counts.set(owned.circuit.id, peering, path, { prefixes: evidence.prefixes, fetchedAt: read.fetchedAt });
        result.read += 1;
      } catch (err) {
        result.failed += 1;
        o.logger.debug({ err, circuit: owned.circuit.name }, 'prefix count read failed');
      }
    });
    o.logger.info({ ...result, due: due.length }, 'prefix sweep done');
    return result;
  }
}
