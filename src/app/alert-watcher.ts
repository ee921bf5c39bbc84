import { randomUUID } from 'node:crypto';
import type { AlertStore } from '../alerts/alert-store';
import type { AlertWorkflow } from '../alerts/alert-workflow';
import type { Clock } from '../clock';
import type { Access } from '../directory/access';
import type { Logger } from '../log';
import type { FleetReader, WatcherCycle } from '../network/types';
import { fleetHealth, type OwnedReport } from './answers/fleet-health';
import { visibleInventory } from './answers/visible-circuits';
import { DEFAULT_ESCALATE_AFTER_MINUTES, type Customer } from '../directory/directory';
import { mapWeighted } from '../network/map-concurrent';
import type { PrefixCounts } from './prefix-counts';
import type { PartFailure } from '../network/part';
import { SETUP_ERRORS } from '../errors';

export interface AlertWatcherOptions {
  access: Access;
  fleet: FleetReader;
  /** Received-prefix counts left by router reads (the sweeper's), as `status` uses them. */
  prefixCounts: PrefixCounts;
  alerts: AlertWorkflow;
  /** Where the per-customer leases and the watch gaps live: the alert store, shared by every instance. */
  store: Pick<
    AlertStore,
    'claimLeases' | 'releaseLeases' | 'listWatchGaps' | 'openWatchGap' | 'tellWatchGap' | 'untellWatchGap' | 'closeWatchGap'
  >;
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
  /**
   * How often the loop checks on itself (`health`), so a cycle that has stalled is logged even where nothing asks
   * `/healthz`; by a timer of its own, as the stalled cycle holds the loop. 60 s by default.
   */
  stallCheckMs?: number;
  /**
   * Told when a customer's inventory can no longer be read, and when it can again (alert delivery posts it): whether
   * it reached anyone (or had nowhere to go), once its posts are done.
   */
  notify?: (notice: WatchNotice) => Promise<boolean>;
}

/**
 * A customer became unreadable (`since` the cycle that first found it; said as `tellUnreadable` says), or readable
 * again (said only if the first was). Each is said once, whichever instance watches: the gap and whether it was
 * told live in the store (`WatchGap`), so one that takes the customer over, or restarts, carries on from there.
 * A loss that reached no one (every post of it failed) is taken back in the store within its cycle, while this
 * instance holds the customer's lease, and said again at the next; an end whose posts failed is not tried again (its
 * gap is gone from the store by then).
 */
export type WatchNotice =
  | { type: 'unreadable'; customer: Customer; since: number; error: PartFailure }
  | { type: 'readable'; customer: Customer; since: number; until: number };

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
 * How long one cycle may run before the watcher counts as stalled (`/healthz` answers 503): as long as an
 * unacknowledged critical alert waits before it is escalated by default, ten intervals when those are longer, or
 * three times the last cycle when that was slow (ARM throttling it, say). A cycle over 2,000 circuits takes seconds.
 */
export function stallAfterMs(intervalMs: number, lastCycleMs = 0): number {
  return Math.max(DEFAULT_ESCALATE_AFTER_MINUTES * 60_000, 10 * intervalMs, 3 * lastCycleMs);
}

/**
 * How the watcher stands, for `/healthz`, which answers anyone: no customer is named, nor counted.
 * off       its loop is not running (WATCH_INTERVAL_SECONDS=0, or stopped)
 * starting  running, no cycle ended yet
 * watching  the last cycle ran to its end (a customer it could not read or write is logged; `WatchNotice`)
 * failing   the last cycle failed outright (the store unreachable, say): the log says why; a restart would not mend it
 * stalled   a cycle has run for longer than `stallAfterMs`: stuck, nothing new is raised for anyone
 */
export interface WatcherHealth {
  state: 'off' | 'starting' | 'watching' | 'failing' | 'stalled';
  /** Whole seconds since the last cycle ended (or failed), once one has. */
  lastCycleEndedSecondsAgo?: number;
}

/** The last cycle's end, for `/healthz`. */
export interface CycleEnd {
  endedAt: number;
  durationMs: number;
  failed: boolean;
}

/** The watcher's state at `now` (WatcherHealth). */
export function watcherHealth(at: {
  now: number;
  intervalMs: number;
  loopRunning: boolean;
  /** When the oldest cycle still running began. */
  runningSince: number | undefined;
  lastCycle: CycleEnd | undefined;
}): WatcherHealth {
  const { now, lastCycle } = at;
  const ago = lastCycle === undefined ? {} : { lastCycleEndedSecondsAgo: Math.max(0, Math.floor((now - lastCycle.endedAt) / 1000)) };
  if (!at.loopRunning) return { state: 'off', ...ago };
  if (at.runningSince !== undefined && now - at.runningSince > stallAfterMs(at.intervalMs, lastCycle?.durationMs)) {
    return { state: 'stalled', ...ago };
  }
  if (lastCycle === undefined) return { state: 'starting' };
  return { state: lastCycle.failed ? 'failing' : 'watching', ...ago };
}

/** How long failures other than SETUP_ERRORS (throttling, an outage, a timeout) must last before Teams is told: a blip says nothing. */
export const UNREADABLE_NOTICE_AFTER_MS = 5 * 60_000;

/** Whether a customer unreadable for `forMs` with `error` is to be said in its alerts channel now. */
export function tellUnreadable(error: PartFailure, forMs: number): boolean {
  return SETUP_ERRORS.has(error.code) || forMs >= UNREADABLE_NOTICE_AFTER_MS;
}

/** A customer's watcher lease. */
export const watchLease = (customerId: string): string => `watch:${customerId}`;

/**
 * How long a cycle waits for the posts of a loss notice, to take its tell back if none went through (`untell`): past
 * that (the connector hanging), the cycle's lease, or the watcher's stop, the cycle goes on and the notice counts as
 * said.
 */
const NOTICE_WAIT_MS = 30_000;

/**
 * What `work` gives within `ms` of `clock` (and before `stop` aborts), else undefined (`work` carries on). `stop` is
 * forwarded by hand, not through AbortSignal.any, which on Node 20 keeps an entry on a long-lived signal per call.
 */
async function within<T>(clock: Clock, work: Promise<T>, ms: number, stop: AbortSignal): Promise<T | undefined> {
  const giveUp = new AbortController();
  const forward = () => giveUp.abort();
  if (stop.aborted) forward();
  else stop.addEventListener('abort', forward, { once: true });
  const late = clock.sleep(Math.max(0, ms), giveUp.signal).then(
    () => undefined,
    () => undefined,
  );
  try {
    return await Promise.race([work, late]);
  } finally {
    stop.removeEventListener('abort', forward);
    giveUp.abort();
  }
}

/** The key of a notice of one gap in what an instance has said (`AlertWatcher.said`). */
const saidKey = (customerId: string, since: number, notice: WatchNotice['type']) => `${notice}|${since}|${customerId}`;

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
  /**
   * The open watch gaps of the customers this instance watches, as the store has them (read when it took them up,
   * written through on every change): a cycle with nothing new costs the store nothing.
   */
  private readonly gaps = new Map<string, { since: number; told: boolean }>();
  /** The customers whose gaps were read from the store since this instance last took them up. */
  private readonly watching = new Set<string>();
  /**
   * What this instance has said, by customer, gap and notice: the store answers a tell or close as its caller's
   * when that caller asks again (its first answer lost), so this is what keeps such a second answer from being said
   * again. Forgetting a gap (`forget`, `takeUp`) never clears it; taking a tell back (`untell`) clears that one.
   */
  private readonly said = new Set<string>();
  /** Customers whose gap this instance is writing now: one step at a time each, even with two cycles running. */
  private readonly noting = new Set<string>();
  /** When this instance last claimed its leases: after a longer pause than a lease, it may have lost them meanwhile. */
  private lastClaimAt: number | undefined;
  /** Cycles run since the start. */
  private cycles = 0;
  /** Whether the loop (`start`) runs. */
  private looping = false;
  /** The cycles running now (one, but for one run by hand alongside), by when each began. */
  private readonly inProgress = new Set<{ startedAt: number }>();
  private lastCycle: CycleEnd | undefined;
  /** Whether the watcher was last found stalled (by `/healthz` or the loop's check): said in the log once each way. */
  private stalled = false;

  constructor(private readonly options: AlertWatcherOptions) {
    this.instanceId = options.instanceId ?? `watcher-${randomUUID()}`;
    this.leaseMs = options.leaseMs ?? Math.max(3 * options.intervalMs, 30_000);
  }

  /** Cycles until `stop`, the first at once; a failed cycle is logged and the next one runs on time. */
  start(): void {
    const { clock, logger, intervalMs } = this.options;
    // One loop per watcher, and none after `stop` (its abort signal stays aborted).
    if (this.looping || this.abort.signal.aborted) return;
    this.looping = true;
    const check = setInterval(() => this.health(), Math.max(10, this.options.stallCheckMs ?? 60_000));
    check.unref();
    this.running = (async () => {
      while (!this.abort.signal.aborted) {
        await this.runCycle().catch((err: unknown) => logger.warn({ err }, 'watch cycle failed'));
        await clock.sleep(intervalMs, this.abort.signal).catch(() => undefined);
      }
    })().finally(() => {
      clearInterval(check);
      this.looping = false;
    });
  }

  /** Ends the loop and gives the leases back, so another instance takes over at once. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
    await this.options.store.releaseLeases(this.held, this.instanceId).catch((err: unknown) => {
      this.options.logger.warn({ err }, 'could not release the watcher leases; they run out by themselves');
    });
    this.held = [];
    this.watching.clear();
    this.gaps.clear();
  }

  /** One cycle; what it did, or why it failed outright (then nothing was written for anyone). */
  async runCycle(): Promise<WatchCycle> {
    const { clock } = this.options;
    const running = { startedAt: clock.now() };
    this.inProgress.add(running);
    let failed = true;
    try {
      const cycle = await this.cycle(running.startedAt);
      failed = false;
      return cycle;
    } finally {
      this.inProgress.delete(running);
      const endedAt = clock.now();
      this.lastCycle = { endedAt, durationMs: endedAt - running.startedAt, failed };
    }
  }

  private async cycle(started: number): Promise<WatchCycle> {
    const { access, clock, logger } = this.options;
    const customers = access.allCustomers();
    this.held = await this.options.store.claimLeases(
      customers.map((c) => watchLease(c.id)),
      this.instanceId,
      started,
      this.leaseMs,
    );
    const held = new Set(this.held);
    const mine = customers.filter((c) => held.has(watchLease(c.id)));
    await this.takeUp(mine, started);
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
        this.watchTenant(group, maintenance, cycle, thisCycle, started),
      );
    }
    cycle.durationMs = clock.now() - started;
    logger.debug({ ...cycle, instance: this.instanceId }, 'watch cycle done');
    return cycle;
  }

  /**
   * How the watcher stands, for `/healthz` (`watcherHealth`); becoming stalled, and ceasing to be, is logged, whether
   * `/healthz` or the loop's own check (`stallCheckMs`) finds it.
   */
  health(): WatcherHealth {
    let runningSince: number | undefined;
    for (const c of this.inProgress) runningSince = Math.min(runningSince ?? c.startedAt, c.startedAt);
    const health = watcherHealth({
      now: this.options.clock.now(),
      intervalMs: this.options.intervalMs,
      loopRunning: this.looping,
      runningSince,
      lastCycle: this.lastCycle,
    });
    const stalled = health.state === 'stalled';
    if (stalled !== this.stalled) {
      this.stalled = stalled;
      if (stalled)
        this.options.logger.warn({ runningSince }, 'a watch cycle has run too long: the watcher is stalled (/healthz answers 503)');
      else this.options.logger.warn({ state: health.state }, 'the watcher is no longer stalled');
    }
    return health;
  }

  /**
   * Reads the gaps of the customers this instance has just taken up (at its start, from another instance, or after a
   * pause longer than a lease) and forgets those of the customers it no longer watches. If the store cannot say, the
   * cycle fails: watching without knowing what was told could say it twice.
   */
  private async takeUp(mine: readonly Customer[], now: number): Promise<void> {
    // Held all along only if claimed within a lease: otherwise another instance may have watched them meanwhile.
    if (this.lastClaimAt === undefined || now - this.lastClaimAt >= this.leaseMs) this.watching.clear();
    this.lastClaimAt = now;
    const ids = new Set(mine.map((c) => c.id));
    for (const id of this.gaps.keys()) if (!this.watching.has(id) || !ids.has(id)) this.gaps.delete(id);
    for (const id of this.watching) if (!ids.has(id)) this.watching.delete(id);
    const fresh = [...ids].filter((id) => !this.watching.has(id));
    if (fresh.length === 0) return;
    for (const gap of await this.options.store.listWatchGaps(fresh)) this.gaps.set(gap.customerId, { since: gap.since, told: gap.told });
    for (const id of fresh) this.watching.add(id);
  }

  /**
   * Says when a customer's inventory can no longer be read (its access revoked, say) and when it can again, in the
   * log and through `notify` (its alerts channel) as `tellUnreadable` says: while it cannot, its alerts hold as they
   * were and nothing new is raised for it, which on-call must know. Each step is a compare-and-set in the store, so
   * it is said once whichever instance sees it; a step the store refuses is logged and tried at the next cycle.
   */
  private async noteGaps(
    customers: readonly Customer[],
    failures: readonly { customer: Customer; error: PartFailure }[],
    started: number,
  ): Promise<void> {
    // The leases were claimed when the cycle began: past their term, another instance may watch these customers now.
    if (this.options.clock.now() - started >= this.leaseMs) {
      this.options.logger.warn(
        { customers: customers.map((c) => c.id) },
        'this watch cycle outlasted its leases: whether these customers can be read is left to the instance watching them now',
      );
      for (const c of customers) this.forget(c.id);
      return;
    }
    const why = new Map<string, PartFailure>();
    for (const f of failures) if (!why.has(f.customer.id)) why.set(f.customer.id, f.error);
    await Promise.all(
      customers.map((customer) => {
        // Another cycle of this instance is at it: the next cycle sees what it did.
        if (this.noting.has(customer.id)) return Promise.resolve();
        this.noting.add(customer.id);
        return this.noteGap(customer, why.get(customer.id), started)
          .catch((err: unknown) => {
            this.options.logger.warn(
              { err, customer: customer.id },
              'could not record whether this customer can be read; trying again next cycle',
            );
          })
          .finally(() => this.noting.delete(customer.id));
      }),
    );
  }

  private async noteGap(customer: Customer, error: PartFailure | undefined, started: number): Promise<void> {
    const { logger, clock, notify, store } = this.options;
    const now = clock.now();
    let gap = this.gaps.get(customer.id);
    if (error) {
      if (!gap) {
        const stored = await store.openWatchGap(customer.id, now);
        gap = { since: stored.since, told: stored.told };
        this.gaps.set(customer.id, gap);
        logger.warn(
          { customer: customer.id, code: error.code, reason: error.message, hint: error.hint, since: new Date(gap.since).toISOString() },
          "cannot read this customer's inventory: its alerts hold as they were and nothing new is raised for it until it can",
        );
      }
      if (!gap.told && tellUnreadable(error, now - gap.since)) {
        if (await store.tellWatchGap(customer.id, gap.since, this.instanceId)) {
          gap.told = true;
          if (notify && this.firstSaying(customer.id, gap.since, 'unreadable')) {
            const said = notify({ type: 'unreadable', customer, since: gap.since, error }).catch(() => false);
            // No longer than the lease the cycle began with, nor past this instance's stop.
            const waitMs = Math.min(NOTICE_WAIT_MS, started + this.leaseMs - clock.now());
            const reached = await within(clock, said, waitMs, this.abort.signal);
            if (reached === false) await this.untell(customer.id, gap, started);
            else if (reached === undefined)
              logger.warn({ customer: customer.id }, 'a watch notice was still being posted when the wait ended: counted as said');
          }
        } else this.forget(customer.id);
      }
    } else if (gap) {
      const closed = await store.closeWatchGap(customer.id, gap.since, this.instanceId);
      this.gaps.delete(customer.id);
      if (!closed) {
        this.forget(customer.id);
        return;
      }
      logger.warn({ customer: customer.id }, "this customer's inventory can be read again: it is watched again");
      if (closed.told && this.firstSaying(customer.id, closed.since, 'readable'))
        void notify?.({ type: 'readable', customer, since: closed.since, until: now });
    }
  }

  /**
   * The loss of a customer was told but reached no one: taken back, so the next cycle tells it anew. Only within the
   * lease the cycle began with: past it, another instance may have read it as told already. If the store fails, this
   * instance's next tell is still answered as its own, and says it.
   */
  private async untell(customerId: string, gap: { since: number; told: boolean }, started: number): Promise<void> {
    const { store, clock, logger } = this.options;
    if (clock.now() - started >= this.leaseMs) {
      logger.warn({ customer: customerId }, 'a watch notice reached no one, but its cycle outlasted its lease: it is not said again');
      return;
    }
    this.said.delete(saidKey(customerId, gap.since, 'unreadable'));
    gap.told = false;
    await store.untellWatchGap(customerId, gap.since, this.instanceId);
    logger.warn({ customer: customerId }, 'a watch notice reached no one: its tell taken back, to be said again at the next cycle');
  }

  /** Whether this notice of this gap is said by this instance for the first time (and marks it said). */
  private firstSaying(customerId: string, since: number, notice: WatchNotice['type']): boolean {
    const key = saidKey(customerId, since, notice);
    if (this.said.has(key)) return false;
    // Notices are rare (two per gap): the bound only keeps a process of many months from growing it without end.
    if (this.said.size >= 10_000) this.said.clear();
    this.said.add(key);
    return true;
  }

  /**
   * The store's gap is not the one this instance knew (another instance told or closed it, its lease having run out
   * meanwhile): read again at the next cycle, so what is said follows the store's, never this instance's memory.
   */
  private forget(customerId: string): void {
    this.gaps.delete(customerId);
    this.watching.delete(customerId);
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
    started: number,
  ): Promise<void> {
    const { alerts, logger } = this.options;
    let reports: OwnedReport[];
    let unread: Set<string>;
    try {
      // Nobody waits for the watcher: its reads go out gently (ReadOptions.background).
      const inventory = await visibleInventory(this.options, undefined, { customers, fresh: true, background: true });
      unread = new Set(inventory.failures.map((f) => f.customer.id));
      await this.noteGaps(customers, inventory.failures, started);
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
