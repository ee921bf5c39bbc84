import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Circuit, SubscriptionScope } from '../network/types';
import { type ArmBodyBuilder, isRelatedWrite, subjectOf } from './arm-body-builder';
import type { ChangeSubject } from './change-kind';
import { circuitSummary } from './kinds/circuit-summary';
import { auditEntry, type ChangeEvent, type ChangeListener, SYSTEM_ACTOR } from './change-events';
import type { ChangeKinds } from './change-kinds';
import type { ChangeRequest, ChangeState, Operation, Outcome } from './change-request';
import { bindWrite } from './plan-change';
import type { ChangeStore, NetworkWriter, WriteResult } from './ports';

export interface ExecutorLimits {
  /** Transient failures tolerated before giving up. */
  maxAttempts: number;
  /** First wait after a transient failure; doubles each time, capped at a minute. */
  retryDelayMs: number;
  /** From approved → executing: past this, the change ends failed rather than stay executing. */
  deadlineMs: number;
  /** How often to re-read a circuit whose operation we follow without a poller. */
  followIntervalMs: number;
  /**
   * How long an executor holds a running change without renewing its lease (renewed every third of it while
   * it works). A crashed instance's changes are taken over once this has passed; a request left between
   * steps (pending with its approvals, approved) is moved on after it too.
   */
  leaseMs: number;
}

export const DEFAULT_EXECUTOR_LIMITS: ExecutorLimits = {
  maxAttempts: 5,
  retryDelayMs: 5_000,
  deadlineMs: 2 * 60 * 60_000,
  followIntervalMs: 5_000,
  leaseMs: 60_000,
};

export interface ChangeExecutorOptions {
  store: ChangeStore;
  writer: NetworkWriter;
  builder: ArmBodyBuilder;
  kinds: ChangeKinds;
  clock: Clock;
  logger: Logger;
  limits?: Partial<ExecutorLimits>;
  onEvent?: ChangeListener;
  /** Names this executor in the leases it takes; a fresh random id by default (one per process). */
  instanceId?: string;
}

const BUSY = new Set(['updating', 'creating', 'deleting']);

type Phase =
  /** We know nothing was sent: bind to the approved version and PUT. */
  | { kind: 'submit'; first: boolean }
  /** A write was accepted and its poller saved: poll it, never PUT again. */
  | { kind: 'resume' }
  /** Unknown whether a PUT reached ARM (crash before saving, timeout, reset): find out by reading. */
  | { kind: 'reconcile' };

/** Another instance took the change over (or the request left executing): stop without writing anything. */
class LeaseLost extends Error {
  constructor() {
    super('the execution lease was lost');
  }
}

/**
 * This executor's hold on one executing request. Every write is a compare-and-set on the version this holder
 * wrote last, and the writes are queued, so a renewal never races the loop's own saves and a takeover by
 * another instance is noticed at the next write (which fails) rather than after a second PUT.
 */
class Lease {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly lostController = new AbortController();

  constructor(
    public req: ChangeRequest,
    private readonly store: ChangeStore,
    private readonly clock: Clock,
    private readonly owner: string,
    private readonly leaseMs: number,
  ) {}

  get lost(): boolean {
    return this.lostController.signal.aborted;
  }

  /** Aborts when the lease is lost, so a poll in flight stops. */
  get signal(): AbortSignal {
    return this.lostController.signal;
  }

  /** Runs `fn` after every write queued before it. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.then(fn, fn);
    this.chain = p.catch(() => undefined);
    return p;
  }

  /** Saves the operation with the lease renewed to cover `holdMs` more (or released); false once lost. */
  save(update: (op: Operation) => Operation, options: { holdMs?: number; release?: boolean } = {}): Promise<boolean> {
    return this.exclusive(async () => {
      if (this.lost) return false;
      const now = this.clock.now();
      const operation: Operation = {
        ...update(this.req.operation ?? { attempts: 0 }),
        owner: this.owner,
        leaseUntil: options.release ? 0 : now + (options.holdMs ?? 0) + this.leaseMs,
      };
      if (!(await this.store.saveOperation(this.req.id, operation, 'executing', this.req.version))) {
        this.lostController.abort(new LeaseLost());
        return false;
      }
      this.req = { ...this.req, operation, version: this.req.version + 1 };
      return true;
    });
  }

  /** Renews once a third of the lease has passed, or when what is left would not cover `holdMs` more. */
  async keep(holdMs = 0): Promise<void> {
    if (this.lost) throw new LeaseLost();
    const left = (this.req.operation?.leaseUntil ?? 0) - this.clock.now();
    if (left > holdMs + (2 * this.leaseMs) / 3) return;
    if (!(await this.save((op) => op, { holdMs }))) throw new LeaseLost();
  }
}

interface LastFailure {
  code: string;
  message: string;
  submitted: boolean;
}

/**
 * Runs approved changes exactly once and follows them to an end state. approved → executing is the store's
 * compare-and-set, so however many approvals race, one executor wins. Every path ends in succeeded, failed or
 * stale: transient failures are retried within an attempt count and a deadline on the injected clock.
 */
export class ChangeExecutor {
  private readonly limits: ExecutorLimits;
  private readonly stopping = new AbortController();
  /** Names this executor in leases. */
  readonly instanceId: string;
  /** Requests this executor is driving now, so a sweep never starts a second drive of its own. */
  private readonly active = new Set<string>();

  constructor(private readonly options: ChangeExecutorOptions) {
    this.limits = { ...DEFAULT_EXECUTOR_LIMITS, ...options.limits };
    this.instanceId = options.instanceId ?? `executor-${randomUUID()}`;
  }

  /** How long a request may sit between steps before a sweep moves it on; also how often sweeps are worth it. */
  get settleMs(): number {
    return this.limits.leaseMs;
  }

  /** approved → executing, then the write. Returns the final request, or the current one if another executor won. */
  async execute(id: string): Promise<ChangeRequest> {
    const { store, clock } = this.options;
    const now = clock.now();
    const current = await store.get(id);
    if (!current) throw new Error(`change request ${id} vanished`);
    const started = await store.transition(
      id,
      { from: ['approved'] },
      'executing',
      { operation: { attempts: 0, startedAt: now, owner: this.instanceId, leaseUntil: now + this.limits.leaseMs } },
      auditEntry(current, now, SYSTEM_ACTOR, 'executing', { from: 'approved', to: 'executing' }),
    );
    if (!started) return (await store.get(id)) ?? current;
    this.emit({ type: 'transition', request: started, from: 'approved', to: 'executing' });
    return this.drive(this.lease(started), { kind: 'submit', first: true });
  }

  /**
   * On start and on a timer: takes up what no live executor is driving. An `executing` request whose lease
   * has run out (its instance crashed, stopped or hung) is claimed by compare-and-set, so one instance wins;
   * a saved poller is resumed (no second PUT), and without one the circuit is read to learn whether the PUT
   * reached ARM. An `approved` request left there for `settleMs` (its process died before executing) is run.
   */
  async resumeExecuting(): Promise<ChangeRequest[]> {
    const { store, clock, logger } = this.options;
    const now = clock.now();
    const rows = await store.list({ states: ['approved', 'executing'] });
    const runs: Promise<ChangeRequest>[] = [];
    for (const r of rows) {
      if (this.active.has(r.id) || this.stopping.signal.aborted) continue;
      if (r.state === 'approved') {
        if (now - r.updatedAt >= this.settleMs) runs.push(this.execute(r.id));
        continue;
      }
      const leaseUntil = r.operation?.leaseUntil;
      if (leaseUntil !== undefined && leaseUntil > now) continue;
      const operation: Operation = { attempts: 0, ...r.operation, owner: this.instanceId, leaseUntil: now + this.limits.leaseMs };
      if (!(await store.saveOperation(r.id, operation, 'executing', r.version))) continue;
      logger.info({ requestId: r.id, previousOwner: r.operation?.owner }, 'took over an executing change request');
      const lease = this.lease({ ...r, operation, version: r.version + 1 });
      runs.push(this.drive(lease, operation.pollerState ? { kind: 'resume' } : { kind: 'reconcile' }));
    }
    if (runs.length > 0) logger.info({ count: runs.length }, 'resuming change requests');
    return Promise.all(runs);
  }

  /**
   * Graceful shutdown: stops polling and retrying, leaving running changes `executing` with their saved
   * poller state and their leases released, so another instance or the next start picks them up at once.
   * ARM's operations carry on regardless.
   */
  stop(): void {
    this.stopping.abort();
  }

  private lease(req: ChangeRequest): Lease {
    return new Lease(req, this.options.store, this.options.clock, this.instanceId, this.limits.leaseMs);
  }

  private async drive(lease: Lease, phase: Phase): Promise<ChangeRequest> {
    const id = lease.req.id;
    this.active.add(id);
    try {
      return await this.loop(lease, phase);
    } catch (e) {
      if (e instanceof LeaseLost || lease.lost) {
        this.options.logger.warn({ requestId: id }, 'another instance took this change over; this one stops following it');
        return (await this.options.store.get(id)) ?? lease.req;
      }
      if (this.stopping.signal.aborted) return this.release(lease);
      // Nothing may stay executing: a bug or a store failure still ends the request, with what we know.
      this.options.logger.error({ requestId: id, err: e instanceof Error ? e.message : String(e) }, 'executor failed unexpectedly');
      return this.finish(lease, 'failed', {
        code: 'Internal',
        message: 'The bot hit an internal error while running the change; check the circuit before asking again.',
        ...(await this.afterState(lease.req)),
      });
    } finally {
      this.active.delete(id);
    }
  }

  /** On shutdown: the change stays executing, free for the next executor to claim without waiting. */
  private async release(lease: Lease): Promise<ChangeRequest> {
    try {
      await lease.save((op) => op, { release: true });
    } catch (e) {
      this.options.logger.warn({ requestId: lease.req.id, err: e instanceof Error ? e.message : String(e) }, 'could not release the lease; it runs out by itself');
    }
    return lease.req;
  }

  private async loop(lease: Lease, initial: Phase): Promise<ChangeRequest> {
    const { clock, logger } = this.options;
    const start = lease.req;
    const kind = this.options.kinds.get(start.kind);
    const scope: SubscriptionScope = { tenantId: start.tenantId, subscriptionId: start.subscriptionId };
    let phase = initial;
    let last: LastFailure | undefined;
    const startedAt = start.operation?.startedAt ?? start.updatedAt;
    const deadline = startedAt + this.limits.deadlineMs;

    for (;;) {
      if (this.stopping.signal.aborted) {
        logger.info({ requestId: start.id }, 'executor stopping; the change stays executing and resumes on the next start');
        return this.release(lease);
      }
      await lease.keep();
      const req = lease.req;
      const attempts = req.operation?.attempts ?? 0;
      if (clock.now() >= deadline) {
        const why = last ? ` The last answer was ${last.code}: ${last.message}` : '';
        return this.finish(lease, 'failed', {
          code: last?.code ?? 'Timeout',
          message: `Azure did not finish the change within ${Math.round(this.limits.deadlineMs / 60_000)} minutes, so the bot stopped following it.${why} Check the circuit before asking again.`,
          ...(await this.afterState(req)),
        });
      }
      if (attempts >= this.limits.maxAttempts && last) {
        return this.finish(lease, 'failed', {
          code: last.code,
          message: `Azure kept failing (${last.code}: ${last.message}); the bot gave up after ${attempts} attempts.${last.submitted ? ' The operation may still complete in Azure.' : ' Nothing was changed.'}`,
          ...(await this.afterState(req)),
        });
      }

      if (phase.kind === 'reconcile') {
        const target = await this.read(scope, req);
        if (!target) {
          last = { code: 'ReadFailed', message: 'the circuit could not be read', submitted: last?.submitted ?? false };
          await this.countFailure(lease, last);
          await this.pause(lease, this.backoff(lease.req));
          continue;
        }
        const { circuit, etag } = target;
        if (BUSY.has(circuit.provisioningState.toLowerCase())) {
          // An operation is running on it, most likely ours: follow it by reading, never by writing.
          this.emit({ type: 'progress', request: req, status: circuit.provisioningState, elapsedMs: clock.now() - startedAt });
          await this.pause(lease, this.limits.followIntervalMs);
          continue;
        }
        if (kind.isApplied(circuit, req.input)) {
          return this.finish(lease, 'succeeded', { message: 'The change is in place.', after: kind.summary(circuit, req.input) });
        }
        if (etag !== req.plan.etag) {
          return this.finish(lease, 'failed', {
            code: last?.code ?? 'ChangedElsewhere',
            message: last
              ? `Azure did not apply the change (${last.code}: ${last.message}).`
              : 'The circuit changed in Azure, but not the way this request asked; nothing more was sent.',
            after: kind.summary(circuit, req.input),
          });
        }
        // Same version, change absent: the PUT never reached ARM, so sending it now is the first time.
        phase = { kind: 'submit', first: false };
        continue;
      }

      let submitted = phase.kind === 'resume';
      let result: WriteResult;
      const hooks = this.hooks(lease, startedAt, deadline, async (pollerState, correlationId) => {
        submitted = true;
        const saved = await lease.save((op) => ({
          ...op,
          attempts,
          pollerState,
          submittedAt: clock.now(),
          status: 'Accepted',
          ...(correlationId ? { correlationId } : {}),
        }));
        if (!saved) {
          // Polling stops (the lease's signal aborts it); whoever holds the change now follows it.
          logger.warn({ requestId: req.id }, 'poller state not saved: another instance holds the change or it left executing');
          return;
        }
        this.emit({ type: 'progress', request: lease.req, status: 'Accepted', elapsedMs: clock.now() - startedAt });
      });

      if (phase.kind === 'resume') {
        const pollerState = req.operation?.pollerState ?? '';
        // The stored (redacted) body is only a parameter here: resuming sends no body.
        result = await this.options.writer.resume(scope, { targetId: req.plan.targetId, method: req.plan.method, body: req.plan.body }, pollerState, hooks.hooks);
      } else {
        let bound: Awaited<ReturnType<typeof bindWrite>>;
        try {
          bound = await bindWrite(this.options, scope, req.plan, kind, req.input);
        } catch (e) {
          // A failed read is not a verdict on the change; nothing was sent, so try again within the limits.
          last = { code: 'ReadFailed', message: e instanceof Error ? e.message : 'the circuit could not be read', submitted: false };
          await this.countFailure(lease, last);
          await this.pause(lease, this.backoff(lease.req));
          continue;
        }
        if (!bound.ok) {
          if (phase.first) return this.stale(lease, bound.why, bound.circuit);
          // Our own earlier attempt may be what moved it; reading tells.
          phase = { kind: 'reconcile' };
          continue;
        }
        // The last word before the write: a compare-and-set renewal fails if another instance claimed the change
        // since our previous write, and then this one must not send anything.
        if (!(await lease.save((op) => op))) throw new LeaseLost();
        result = await this.options.writer.execute(scope, { targetId: req.plan.targetId, method: bound.write.method, body: bound.write.body }, hooks.hooks);
      }

      if (lease.lost) throw new LeaseLost();
      if (result.ok) {
        const circuit = await this.readCircuit(scope, req, result.body);
        return this.finish(lease, 'succeeded', {
          message: 'Azure applied the change.',
          ...(circuit ? { after: kind.summary(circuit, req.input) } : {}),
        }, result.correlationId);
      }
      if (result.submitted) submitted = true;
      last = { code: result.code, message: result.message, submitted };
      logger.warn({ requestId: req.id, code: result.code, transient: result.transient, submitted, attempts }, 'change attempt failed');
      if (!result.transient) {
        if (!submitted) {
          return this.finish(lease, 'failed', {
            code: result.code,
            message: `Azure refused the change (${result.code}): ${result.message}`,
            ...(await this.afterState(req)),
          }, result.correlationId);
        }
        if (phase.kind === 'resume') {
          // The saved operation can't be followed further (failed or forgotten by ARM): read what happened.
          phase = { kind: 'reconcile' };
        } else {
          return this.finish(lease, 'failed', {
            code: result.code,
            message: `Azure accepted the change but the operation failed (${result.code}): ${result.message}`,
            ...(await this.afterState(req)),
          }, result.correlationId);
        }
      } else {
        // Without a saved poller there is nothing to resume: reading tells whether the PUT took.
        phase = submitted && lease.req.operation?.pollerState ? { kind: 'resume' } : { kind: 'reconcile' };
      }
      await this.countFailure(lease, last);
      if (result.transient) await this.pause(lease, this.backoff(lease.req));
    }
  }

  /** A wait that a shutdown cuts short (the loop then stops at its next turn); the lease covers it first. */
  private async pause(lease: Lease, ms: number): Promise<void> {
    await lease.keep(ms);
    try {
      await this.options.clock.sleep(ms, this.stopping.signal);
    } catch (e) {
      if (!this.stopping.signal.aborted) throw e;
    }
  }

  private backoff(req: ChangeRequest): number {
    const attempts = req.operation?.attempts ?? 1;
    return Math.min(60_000, this.limits.retryDelayMs * 2 ** Math.max(0, attempts - 1));
  }

  private hooks(lease: Lease, startedAt: number, deadline: number, onSubmitted: (state: string, correlationId: string | undefined) => Promise<void>) {
    const controller = new AbortController();
    let lastStatus: string | undefined;
    return {
      hooks: {
        onSubmitted,
        abortSignal: AbortSignal.any([controller.signal, this.stopping.signal, lease.signal]),
        onProgress: (status: string) => {
          const now = this.options.clock.now();
          // Each poll keeps the lease; a lost one aborts the poll through its signal.
          lease.keep().catch(() => undefined);
          if (status !== lastStatus) {
            lastStatus = status;
            this.emit({ type: 'progress', request: lease.req, status, elapsedMs: now - startedAt });
          }
          // Polling has no end of its own; the deadline gives it one.
          if (now >= deadline) controller.abort();
        },
      },
    };
  }

  private async countFailure(lease: Lease, last: LastFailure): Promise<void> {
    const saved = await lease.save((op) => ({ ...op, attempts: (op.attempts ?? 0) + 1, status: `retrying after ${last.code}` }));
    if (!saved) throw new LeaseLost();
  }

  private async stale(lease: Lease, why: 'etag' | 'body', circuit: ChangeSubject): Promise<ChangeRequest> {
    const req = lease.req;
    const message =
      why === 'etag'
        ? `${req.circuitName} changed after this request was made, so the approval no longer covers it. Nothing was sent to Azure.`
        : `The change the bot would send now differs from the one approved. Nothing was sent to Azure.`;
    return this.finish(lease, 'stale', { code: 'Stale', message: `${message} Ask again to plan it on the current circuit.`, after: this.summaryOf(req, circuit) });
  }

  private async finish(lease: Lease, to: ChangeState, outcome: Outcome, correlationId?: string): Promise<ChangeRequest> {
    const { store, clock } = this.options;
    const req = lease.req;
    const corr = correlationId ?? req.operation?.correlationId;
    const audit = auditEntry(req, clock.now(), SYSTEM_ACTOR, to, {
      from: 'executing',
      to,
      ...(outcome.after ? { after: outcome.after } : {}),
      ...(corr ? { correlationId: corr } : {}),
      outcome: outcome.code ? `${outcome.code}: ${outcome.message}` : outcome.message,
    });
    const operation: Operation = { attempts: 0, ...req.operation, ...(corr ? { correlationId: corr } : {}), status: to };
    // Only while our lease holds: an instance that lost the change must not end it over its new owner.
    const done = await lease.exclusive(() =>
      lease.lost ? Promise.resolve(undefined) : store.transition(req.id, { from: ['executing'], expectVersion: lease.req.version }, to, { outcome, operation }, audit),
    );
    if (!done) return (await store.get(req.id)) ?? req;
    this.options.logger.info({ requestId: req.id, state: to, code: outcome.code, correlationId: corr }, 'change request finished');
    this.emit({ type: 'transition', request: done, from: 'executing', to });
    return done;
  }

  /** The kind's after-state of the subject; empty when the kind is no longer registered. */
  private summaryOf(req: ChangeRequest, subject: ChangeSubject): Record<string, string> {
    return this.options.kinds.get(req.kind).summary(subject, req.input);
  }

  private async read(scope: SubscriptionScope, req: ChangeRequest): Promise<{ circuit: ChangeSubject; etag: string } | undefined> {
    try {
      const target = await this.options.writer.readForWrite(scope, req.plan.targetId);
      return { circuit: subjectOf(this.options.builder, this.options.kinds.get(req.kind).target, target.body), etag: target.etag };
    } catch (e) {
      this.options.logger.warn({ requestId: req.id, err: e instanceof Error ? e.message : String(e) }, 'could not read the circuit');
      return undefined;
    }
  }

  /** After success: read the circuit back from ARM; the operation's own result stands in if the read fails. */
  private async readCircuit(scope: SubscriptionScope, req: ChangeRequest, resultBody: unknown): Promise<ChangeSubject | undefined> {
    const read = await this.read(scope, req);
    if (read) return read.circuit;
    // The operation's own result is the target's body only for writes to the target itself.
    if (isRelatedWrite(req.plan.body)) return undefined;
    try {
      return this.options.builder.circuitOf(resultBody);
    } catch {
      return undefined;
    }
  }

  /** The state a failed change leaves the circuit in, best effort. */
  private async afterState(req: ChangeRequest): Promise<Pick<Outcome, 'after'>> {
    const read = await this.read({ tenantId: req.tenantId, subscriptionId: req.subscriptionId }, req);
    return read ? { after: this.summaryOf(req, read.circuit) } : {};
  }

  private emit(event: ChangeEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch (e) {
      this.options.logger.warn({ err: e instanceof Error ? e.message : String(e) }, 'change listener failed');
    }
  }
}

/** The circuit as a card shows it after a change. */
export function summary(circuit: Circuit): Record<string, string> {
  return circuitSummary(circuit);
}
