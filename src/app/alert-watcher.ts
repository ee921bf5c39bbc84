import { randomUUID } from 'node:crypto';
import type { AlertStore } from '../alerts/alert-store';
import type { AlertWorkflow } from '../alerts/alert-workflow';
import type { Clock } from '../clock';
import type { Access } from '../directory/access';
import type { Logger } from '../log';
import type { FleetReader, WatcherCycle } from '../network/types';
import { fleetHealth, type OwnedReport } from './answers/fleet-health';
import { visibleInventory } from './answers/visible-circuits';
import type { Customer } from '../directory/directory';
import { mapWeighted } from '../network/map-concurrent';
import type { PrefixCounts } from './prefix-counts';
import type { PartFailure } from '../network/part';

export interface AlertWatcherOptions {
  access: Access;
  fleet: FleetReader;
  /** Received-prefix counts left by router reads (the sweeper's), as `status` uses them. */
  prefixCounts: PrefixCounts;
  alerts: AlertWorkflow;
  /** Where the per-customer leases live: the alert store, shared by every instance. */
  leases: Pick<AlertStore, 'claimLeases' | 'releaseLeases'>;
  /** Circuit id (lower case) → the planned work on it now (a change executing): trouble there is expected. */
  maintenance?: () => Promise<ReadonlyMap<string, string>>;
  clock: Clock;
  logger: Logger;
  /** The pause between cycles (WATCH_INTERVAL_SECONDS). */
  intervalMs: number;
  /** How long a customer stays this instance's to watch without a renewal; another takes over after it. */
  leaseMs?: number;
  /** Names this instance in the leases; random by default (one per process). */
  instanceId?: string;
}

/** What one cycle did, for the log and the benchmark. */
export interface WatchCycle {
  /** Customers this instance watched (held the lease of) this cycle. */
  customers: number;
  circuits: number;
  /** Customers skipped because their inventory could not be read (their alerts hold as they were). */
  unread: number;
  /** Customers read but whose alerts could not be brought up to date (the store failed, say); they hold as they were. */
  failed: number;
  written: number;
  durationMs: number;
}

/**
 * Subscriptions a cycle has in progress at once. Each tenant goes from its Resource Graph query through its
 * verdicts to its alerts on its own, and its reports and raw answers are garbage as soon as it is done (the read
 * cache keeps only the parsed inventory and signals). Forty subscriptions are ~90 getBatch calls, enough to keep the scheduler's background slots busy; reading
 * every tenant before judging any held the whole fleet's answers at once, and V8 paid for that in collections.
 */
export const WATCH_SUBSCRIPTIONS_AT_ONCE = 40;

/**
 * How long the watcher may go without finishing a cycle before it counts as stalled (`/healthz` answers 503): as
 * long as an unacknowledged critical alert waits before it is escalated by default (15 minutes), or ten intervals
 * when they are longer. A cycle over 2,000 circuits takes seconds; one slowed by ARM's throttling, minutes.
 */
export function stallAfterMs(intervalMs: number): number {
  return Math.max(15 * 60_000, 10 * intervalMs);
}

/**
 * How the watcher stands, for `/healthz`, which answers anyone: no customer is named, nor counted.
 * off       its loop is not running (WATCH_INTERVAL_SECONDS=0, or stopped)
 * starting  running, its first cycle not yet done
 * watching  a cycle ended within `stallAfterMs`
 * stalled   none did: nothing new is being raised for anyone
 */
export interface WatcherHealth {
  state: 'off' | 'starting' | 'watching' | 'stalled';
  /** Whole seconds since the last cycle ended, once one has. */
  lastCycleEndedSecondsAgo?: number;
}

/**
 * The watcher's state at `now`: stalled when no cycle has ended for `stallAfterMs` since its loop started (a
 * cycle run by hand before then does not count for the loop).
 */
export function watcherHealth(at: {
  now: number;
  intervalMs: number;
  loopStartedAt: number | undefined;
  lastCycleEndedAt: number | undefined;
}): WatcherHealth {
  const { now, loopStartedAt, lastCycleEndedAt: ended } = at;
  const ago = ended === undefined ? {} : { lastCycleEndedSecondsAgo: Math.max(0, Math.floor((now - ended) / 1000)) };
  if (loopStartedAt === undefined) return { state: 'off', ...ago };
  const since = ended !== undefined && ended >= loopStartedAt ? ended : undefined;
  if (now - (since ?? loopStartedAt) > stallAfterMs(at.intervalMs)) return { state: 'stalled', ...ago };
  return { state: since === undefined ? 'starting' : 'watching', ...ago };
}

/** A customer's watcher lease. */
export const watchLease = (customerId: string): string => `watch:${customerId}`;

/**
 * Checks every circuit of every customer this instance holds the lease of, every `intervalMs`, from the very
 * reads and verdicts of `status` (one Resource Graph query per tenant, metrics:getBatch per subscription and
 * region), and hands each customer's reports to the alert workflow. With several instances on one store, the
 * per-customer leases make exactly one of them watch a given customer; another takes over within a lease period.
 */
export class AlertWatcher {
  readonly instanceId: string;
  readonly leaseMs: number;
  private readonly abort = new AbortController();
  private running: Promise<void> = Promise.resolve();
  private held: string[] = [];
  /** Customers whose inventory this instance could not read at its last try: said once, not each cycle. */
  private readonly blind = new Set<string>();
  /** Cycles run since the start. */
  private cycles = 0;
  /** When the loop started (`start`), while it runs. */
  private loopStartedAt: number | undefined;
  /** When the last cycle that ran to its end did (per-tenant failures included: those are logged and retried). */
  private lastCycleEndedAt: number | undefined;

  constructor(private readonly options: AlertWatcherOptions) {
    this.instanceId = options.instanceId ?? `watcher-${randomUUID()}`;
    this.leaseMs = options.leaseMs ?? Math.max(3 * options.intervalMs, 30_000);
  }

  /** Cycles until `stop`, the first at once; a failed cycle is logged and the next one runs on time. */
  start(): void {
    const { clock, logger, intervalMs } = this.options;
    this.loopStartedAt = clock.now();
    this.running = (async () => {
      while (!this.abort.signal.aborted) {
        await this.runCycle().catch((err: unknown) => logger.warn({ err }, 'watch cycle failed'));
        await clock.sleep(intervalMs, this.abort.signal).catch(() => undefined);
      }
    })();
  }

  /** Ends the loop and gives the leases back, so another instance takes over at once. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
    this.loopStartedAt = undefined;
    await this.options.leases.releaseLeases(this.held, this.instanceId).catch((err: unknown) => {
      this.options.logger.warn({ err }, 'could not release the watcher leases; they run out by themselves');
    });
    this.held = [];
  }

  async runCycle(): Promise<WatchCycle> {
    const { access, clock, logger } = this.options;
    const started = clock.now();
    const customers = access.allCustomers();
    this.held = await this.options.leases.claimLeases(
      customers.map((c) => watchLease(c.id)),
      this.instanceId,
      started,
      this.leaseMs,
    );
    const held = new Set(this.held);
    const mine = customers.filter((c) => held.has(watchLease(c.id)));
    // A customer another instance now watches is that instance's to report; if it comes back here, it is reported anew.
    for (const id of this.blind.keys()) if (!held.has(watchLease(id))) this.blind.delete(id);
    const cycle: WatchCycle = { customers: mine.length, circuits: 0, unread: 0, failed: 0, written: 0, durationMs: 0 };
    // Metrics whose grain spans several cycles are read in slots (ReadOptions.cycle).
    const thisCycle: WatcherCycle = { index: this.cycles++, intervalMs: this.options.intervalMs };
    if (mine.length > 0) {
      const maintenance = (await this.options.maintenance?.()) ?? new Map<string, string>();
      const byTenant = new Map<string, Customer[]>();
      for (const customer of mine) {
        const tenant = customer.tenantId.toLowerCase();
        const group = byTenant.get(tenant);
        if (group) group.push(customer);
        else byTenant.set(tenant, [customer]);
      }
      const subscriptions = (group: readonly Customer[]) => new Set(group.flatMap((c) => c.subscriptions.map((s) => s.toLowerCase()))).size;
      // Heaviest first: a big tenant waiting for room would otherwise leave the slots nearly empty before it starts.
      const tenants = [...byTenant.values()].sort((a, b) => subscriptions(b) - subscriptions(a));
      await mapWeighted(tenants, WATCH_SUBSCRIPTIONS_AT_ONCE, subscriptions, (group) =>
        this.watchTenant(group, maintenance, cycle, thisCycle),
      );
    }
    this.lastCycleEndedAt = clock.now();
    cycle.durationMs = this.lastCycleEndedAt - started;
    logger.debug({ ...cycle, instance: this.instanceId }, 'watch cycle done');
    return cycle;
  }

  /** Whether the loop is watching, for `/healthz` (`watcherHealth`). */
  health(): WatcherHealth {
    return watcherHealth({
      now: this.options.clock.now(),
      intervalMs: this.options.intervalMs,
      loopStartedAt: this.loopStartedAt,
      lastCycleEndedAt: this.lastCycleEndedAt,
    });
  }

  /**
   * Says in the log when a customer's inventory can no longer be read (its access revoked, say) and when it can
   * again: while it cannot, its alerts hold as they were and nothing new is raised for it, which on-call must know.
   */
  private noteBlind(customers: readonly Customer[], failures: readonly { customer: Customer; error: PartFailure }[]): void {
    const { logger } = this.options;
    const why = new Map<string, PartFailure>();
    for (const f of failures) if (!why.has(f.customer.id)) why.set(f.customer.id, f.error);
    for (const customer of customers) {
      const error = why.get(customer.id);
      if (error && !this.blind.has(customer.id)) {
        this.blind.add(customer.id);
        logger.warn(
          { customer: customer.id, code: error.code, reason: error.message, hint: error.hint },
          "cannot read this customer's inventory: its alerts hold as they were and nothing new is raised for it until it can",
        );
      } else if (!error && this.blind.delete(customer.id)) {
        logger.warn({ customer: customer.id }, "this customer's inventory can be read again: it is watched again");
      }
    }
  }

  /**
   * One tenant's customers, from their Resource Graph query to their alerts. A failure here is this tenant's
   * only: the others are watched all the same, and this one's alerts hold as they were until the next cycle.
   */
  private async watchTenant(
    customers: readonly Customer[],
    maintenance: ReadonlyMap<string, string>,
    cycle: WatchCycle,
    thisCycle: WatcherCycle,
  ): Promise<void> {
    const { alerts, logger } = this.options;
    let reports: OwnedReport[];
    let unread: Set<string>;
    try {
      // Nobody waits for the watcher: its reads go out gently (ReadOptions.background).
      const inventory = await visibleInventory(this.options, undefined, { customers, fresh: true, background: true });
      unread = new Set(inventory.failures.map((f) => f.customer.id));
      this.noteBlind(customers, inventory.failures);
      const owned = inventory.circuits.filter((c) => !unread.has(c.customer.id));
      reports = await fleetHealth(this.options, owned, { fresh: true, background: true, cycle: thisCycle });
      cycle.circuits += owned.length;
      cycle.unread += unread.size;
    } catch (err) {
      logger.warn({ err, customers: customers.map((c) => c.id) }, 'watching these customers failed this cycle; their alerts hold');
      cycle.failed += customers.length;
      return;
    }
    const byCustomer = new Map<string, OwnedReport[]>();
    for (const r of reports) {
      const list = byCustomer.get(r.owned.customer.id);
      if (list) list.push(r);
      else byCustomer.set(r.owned.customer.id, [r]);
    }
    for (const customer of customers) {
      if (unread.has(customer.id)) continue;
      try {
        cycle.written += (await alerts.applyCycle(customer.id, byCustomer.get(customer.id) ?? [], maintenance)).written;
      } catch (err) {
        logger.warn({ err, customer: customer.id }, "could not update this customer's alerts this cycle; they hold as they were");
        cycle.failed += 1;
      }
    }
  }
}
