import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import { OutcomeCode } from '../errors';
import type { Logger } from '../log';
import type { Circuit, SubscriptionScope } from '../network/types';
import { type ArmBodyBuilder, isRelatedWrite, subjectOf } from './arm-body-builder';
import type { ChangeSubject, Refusal, VerifyContext } from './change-kind';
import { circuitSummary } from './kinds/shared/circuit-summary';
import { auditEntry, type ChangeEvent, type ChangeListener, SYSTEM_ACTOR } from './change-events';
import type { ChangeKinds, RegisteredKind } from './change-kinds';
import type { AttemptFailure, ChangeRequest, ChangeState, Operation, Outcome, Schedule } from './change-request';
import { attemptHooks } from './attempt-hooks';
import { ExecutionLease, LeaseLost } from './execution-lease';
import { type BoundWrite, bindWrite } from './plan-change';
import type { ChangeStore, NetworkWriter, WriteResult } from './ports';
import { ChangeVerifier } from './verifier';

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
  /** VERIFY_WINDOW_SECONDS: how long a post-change check may take before the change is judged failed; 0: no checks. */
  verifyWindowMs: number;
  /** Pause between two looks of a post-change check (device reads take seconds each). */
  verifyIntervalMs: number;
}

export const DEFAULT_EXECUTOR_LIMITS: ExecutorLimits = {
  maxAttempts: 5,
  retryDelayMs: 5_000,
  deadlineMs: 2 * 60 * 60_000,
  followIntervalMs: 5_000,
  leaseMs: 60_000,
  verifyWindowMs: 600_000,
  verifyIntervalMs: 15_000,
};

/** Whether an approved change may run now, or must wait (for a change window, or the end of a freeze). */
export type Gate = { run: true } | { run: false; schedule: Schedule };

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
  /** The kind's rules again, on the target as it is just before the first write; a refusal makes the change stale. */
  recheck?: (request: ChangeRequest) => Promise<Refusal | undefined>;
  /** Whether an approved change may run at `now` (change windows, freezes); absent: always. */
  gate?: (request: ChangeRequest, now: number) => Gate;
  /** What a post-change check of this request may read; absent or undefined: no check. */
  verifyContext?: (request: ChangeRequest) => VerifyContext | undefined;
}

const BUSY = new Set(['updating', 'creating', 'deleting']);

type Phase =
  /** We know nothing was sent: bind to the approved version and PUT. */
  | { kind: 'submit'; first: boolean }
  /** A write was accepted and its poller saved: poll it, never PUT again. */
  | { kind: 'resume' }
  /** Unknown whether a PUT reached ARM (crash before saving, timeout, reset): find out by reading. */
  | { kind: 'reconcile' };

/** The last failed attempt, for the outcome if the limits end the run. */
interface LastFailure {
  failure: AttemptFailure;
  /** ARM had accepted a write by then. */
  submitted: boolean;
}

/** One execution in progress: what every step reads, and what the steps learn on the way. */
interface Run {
  readonly lease: ExecutionLease;
  readonly kind: RegisteredKind;
  readonly scope: SubscriptionScope;
  readonly startedAt: number;
  readonly deadline: number;
  phase: Phase;
  last?: LastFailure;
}

/** What a step of the loop leaves: undefined to go round again, or the final request when it ended the run. */
type StepResult = ChangeRequest | undefined;

/** ARM's code, or ReadFailed: how a failed attempt is named in the status line and the log. */
function failureCode(failure: AttemptFailure): string {
  return failure.source === 'arm' ? failure.code : OutcomeCode.ReadFailed;
}

/** The audit trail's words for a change that waits, with the date (a label alone says only the weekday). */
function waitingWords(schedule: Schedule): string {
  const why = schedule.because === 'freeze' ? `after the freeze: ${schedule.freeze ?? 'a change freeze'}` : 'the next change window';
  return `runs at ${schedule.label} (${new Date(schedule.runAt).toISOString()}), ${why}`;
}

/** The audit trail's short form of an outcome; the card words it from `result`. */
function auditOutcome(outcome: Outcome): string {
  const why = outcome.failure
    ? ` (${failureCode(outcome.failure)}: ${outcome.failure.message})`
    : outcome.staleBecause
      ? ` (${outcome.staleBecause})`
      : '';
  return `${outcome.code ?? 'unknown'}${why}`;
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

  /** Post-change checks: started when a change succeeds, followed in the background. */
  readonly verifier: ChangeVerifier;

  constructor(private readonly options: ChangeExecutorOptions) {
    this.limits = { ...DEFAULT_EXECUTOR_LIMITS, ...options.limits };
    this.instanceId = options.instanceId ?? `executor-${randomUUID()}`;
    this.verifier = new ChangeVerifier({
      store: options.store,
      kinds: options.kinds,
      clock: options.clock,
      logger: options.logger,
      instanceId: this.instanceId,
      leaseMs: this.limits.leaseMs,
      windowMs: options.verifyContext ? this.limits.verifyWindowMs : 0,
      intervalMs: this.limits.verifyIntervalMs,
      context: (request) => options.verifyContext?.(request),
      emit: (event) => this.emit(event),
      stopping: this.stopping.signal,
    });
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
    if (current.state !== 'approved') return current;
    const gate = this.options.gate?.(current, now) ?? { run: true };
    if (!gate.run) return this.hold(current, gate.schedule);
    const started = await store.transition(
      id,
      { from: ['approved'], expectVersion: current.version },
      'executing',
      { operation: { attempts: 0, startedAt: now, owner: this.instanceId, leaseUntil: now + this.limits.leaseMs } },
      auditEntry(current, now, SYSTEM_ACTOR, 'executing', { from: 'approved', to: 'executing' }),
    );
    if (!started) return (await store.get(id)) ?? current;
    this.emit({ type: 'transition', request: started, from: 'approved', to: 'executing' });
    return this.drive(this.lease(started), { kind: 'submit', first: true });
  }

  /**
   * An approved change that may not run yet waits, approved, with when it will run on the request (its cards say
   * so) and in the audit. Asked again (the sweep, another approval racing), the same wait changes nothing.
   */
  private async hold(request: ChangeRequest, schedule: Schedule): Promise<ChangeRequest> {
    const { store, clock, logger } = this.options;
    const was = request.schedule;
    if (was && was.runAt === schedule.runAt && was.because === schedule.because) return request;
    const held = await store.transition(
      request.id,
      { from: ['approved'], expectVersion: request.version },
      'approved',
      { schedule },
      auditEntry(request, clock.now(), SYSTEM_ACTOR, 'waiting', {
        from: 'approved',
        to: 'approved',
        outcome: waitingWords(schedule),
      }),
    );
    if (!held) return (await store.get(request.id)) ?? request;
    logger.info(
      { requestId: request.id, runAt: new Date(schedule.runAt).toISOString(), because: schedule.because },
      'approved change waits',
    );
    this.emit({ type: 'transition', request: held, from: 'approved', to: 'approved' });
    return held;
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
        // A change that waits runs when its time comes (execute checks the gate again); one left between
        // steps by a dead process once it has settled.
        const due = r.schedule ? now >= r.schedule.runAt : now - r.updatedAt >= this.settleMs;
        if (due) runs.push(this.execute(r.id));
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
    const [resumed] = await Promise.all([Promise.all(runs), this.verifier.resume()]);
    return resumed;
  }

  /**
   * Graceful shutdown: stops polling and retrying, leaving running changes `executing` with their saved
   * poller state and their leases released, so another instance or the next start picks them up at once.
   * ARM's operations carry on regardless.
   */
  stop(): void {
    this.stopping.abort();
  }

  private lease(req: ChangeRequest): ExecutionLease {
    return new ExecutionLease(req, this.options.store, this.options.clock, this.instanceId, this.limits.leaseMs);
  }

  private async drive(lease: ExecutionLease, phase: Phase): Promise<ChangeRequest> {
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
      return this.finish(lease, 'failed', { code: OutcomeCode.Internal, ...(await this.afterState(lease.req)) });
    } finally {
      this.active.delete(id);
    }
  }

  /** On shutdown: the change stays executing, free for the next executor to claim without waiting. */
  private async release(lease: ExecutionLease): Promise<ChangeRequest> {
    try {
      await lease.save((op) => op, { release: true });
    } catch (e) {
      this.options.logger.warn(
        { requestId: lease.req.id, err: e instanceof Error ? e.message : String(e) },
        'could not release the lease; it runs out by itself',
      );
    }
    return lease.req;
  }

  /** One turn at a time until a step ends the run: the limits first, then reading or writing as the phase says. */
  private async loop(lease: ExecutionLease, initial: Phase): Promise<ChangeRequest> {
    const start = lease.req;
    const startedAt = start.operation?.startedAt ?? start.updatedAt;
    const run: Run = {
      lease,
      kind: this.options.kinds.get(start.kind),
      scope: { tenantId: start.tenantId, subscriptionId: start.subscriptionId },
      startedAt,
      deadline: startedAt + this.limits.deadlineMs,
      phase: initial,
    };
    for (;;) {
      if (this.stopping.signal.aborted) {
        this.options.logger.info({ requestId: start.id }, 'executor stopping; the change stays executing and resumes on the next start');
        return this.release(lease);
      }
      await lease.keep();
      const ended =
        (await this.pastLimits(run)) ?? (run.phase.kind === 'reconcile' ? await this.reconcile(run) : await this.attempt(run, run.phase));
      if (ended) return ended;
    }
  }

  /**
   * When the change may not be sent now (a window closed, a freeze began), the schedule to wait for; undefined
   * when it may, or when ARM may already have accepted an earlier attempt (then that attempt is followed through).
   */
  private closedGate(run: Run): Schedule | undefined {
    const req = run.lease.req;
    if (run.last?.submitted || req.operation?.submittedAt !== undefined) return undefined;
    const gate = this.options.gate?.(req, this.options.clock.now());
    return gate && !gate.run ? gate.schedule : undefined;
  }

  /** executing → approved, with when it may run: only ever before anything was sent. */
  private async backToWaiting(lease: ExecutionLease, schedule: Schedule): Promise<ChangeRequest> {
    const { store, clock, logger } = this.options;
    const req = lease.req;
    const operation: Operation = { attempts: 0, ...req.operation, status: 'waiting', leaseUntil: 0 };
    const back = await lease.exclusive(() =>
      lease.lost
        ? Promise.resolve(undefined)
        : store.transition(
            req.id,
            { from: ['executing'], expectVersion: lease.req.version },
            'approved',
            { schedule, operation },
            auditEntry(req, clock.now(), SYSTEM_ACTOR, 'waiting', {
              from: 'executing',
              to: 'approved',
              outcome: `nothing was sent; ${waitingWords(schedule)}`,
            }),
          ),
    );
    if (!back) return (await store.get(req.id)) ?? req;
    logger.info({ requestId: req.id, runAt: new Date(schedule.runAt).toISOString() }, 'change went back to waiting before its first write');
    this.emit({ type: 'transition', request: back, from: 'executing', to: 'approved' });
    return back;
  }

  /** Past the deadline, or out of attempts after a failure: the run ends failed, with the last failure seen. */
  private async pastLimits(run: Run): Promise<StepResult> {
    const req = run.lease.req;
    const attempts = req.operation?.attempts ?? 0;
    if (this.options.clock.now() >= run.deadline) {
      return this.finish(run.lease, 'failed', {
        code: OutcomeCode.Timeout,
        deadlineMs: this.limits.deadlineMs,
        ...(run.last ? { failure: run.last.failure } : {}),
        ...(await this.afterState(req)),
      });
    }
    if (attempts >= this.limits.maxAttempts && run.last) {
      return this.finish(run.lease, 'failed', {
        code: OutcomeCode.GaveUp,
        failure: run.last.failure,
        attempts,
        submitted: run.last.submitted,
        ...(await this.afterState(req)),
      });
    }
    return undefined;
  }

  /** Unknown whether a write reached ARM: the target as it is now tells. Nothing is written here. */
  private async reconcile(run: Run): Promise<StepResult> {
    const { lease, kind } = run;
    const req = lease.req;
    const target = await this.read(run.scope, req);
    if (!target) {
      await this.failedAttempt(run, { source: 'read', message: 'the circuit could not be read' }, run.last?.submitted ?? false);
      return undefined;
    }
    const { circuit, etag } = target;
    if (BUSY.has(circuit.provisioningState.toLowerCase())) {
      // An operation is running on it, most likely ours: follow it by reading, never by writing.
      this.emit({ type: 'progress', request: req, status: circuit.provisioningState, elapsedMs: this.options.clock.now() - run.startedAt });
      await this.pause(lease, this.limits.followIntervalMs);
      return undefined;
    }
    if (kind.isApplied(circuit, req.input))
      return this.finish(lease, 'succeeded', { code: OutcomeCode.FoundApplied, after: kind.summary(circuit, req.input) });
    if (etag !== req.plan.etag) {
      const after = kind.summary(circuit, req.input);
      return this.finish(
        lease,
        'failed',
        run.last ? { code: OutcomeCode.NotApplied, failure: run.last.failure, after } : { code: OutcomeCode.ChangedElsewhere, after },
      );
    }
    // Same version, change absent: the PUT never reached ARM, so sending it now is the first time.
    run.phase = { kind: 'submit', first: false };
    return undefined;
  }

  /** Sends the approved write (or follows the one already sent) and settles what ARM answered. */
  private async attempt(run: Run, phase: Exclude<Phase, { kind: 'reconcile' }>): Promise<StepResult> {
    const { lease } = run;
    const req = lease.req;
    const attempts = req.operation?.attempts ?? 0;
    const sent = { submitted: phase.kind === 'resume' };
    const hooks = attemptHooks({
      lease,
      clock: this.options.clock,
      logger: this.options.logger,
      startedAt: run.startedAt,
      deadline: run.deadline,
      attempts,
      sent,
      stopping: this.stopping.signal,
      emit: (event) => this.emit(event),
    });
    let result: WriteResult;
    if (phase.kind === 'resume') {
      // The stored (redacted) body is only a parameter here: resuming sends no body.
      const write = { targetId: req.plan.targetId, method: req.plan.method, body: req.plan.body };
      result = await this.options.writer.resume(run.scope, write, req.operation?.pollerState ?? '', hooks);
    } else {
      // Nothing has reached ARM yet: a window that closed, or a freeze that began, since execution started (retries,
      // a takeover) still holds the change, which goes back to waiting.
      const closed = this.closedGate(run);
      if (closed) return this.backToWaiting(lease, closed);
      const bound = await this.bind(run, phase);
      if (!bound || 'ended' in bound) return bound?.ended;
      // The reads before the write take seconds: the window may have closed meanwhile.
      const closedNow = this.closedGate(run);
      if (closedNow) return this.backToWaiting(lease, closedNow);
      // The last word before the write: a compare-and-set renewal fails if another instance claimed the change
      // since our previous write, and then this one must not send anything.
      if (!(await lease.save((op) => op))) throw new LeaseLost();
      result = await this.options.writer.execute(
        run.scope,
        { targetId: req.plan.targetId, method: bound.write.method, body: bound.write.body },
        hooks,
      );
    }
    if (lease.lost) throw new LeaseLost();
    return this.settle(run, phase, result, sent.submitted, attempts);
  }

  /** The approved plan against the target as it is now: the write to send, a stale end, or (undefined) another turn. */
  private async bind(
    run: Run,
    phase: { kind: 'submit'; first: boolean },
  ): Promise<{ write: Extract<BoundWrite, { ok: true }>['write'] } | { ended: ChangeRequest } | undefined> {
    const req = run.lease.req;
    let bound: BoundWrite;
    try {
      bound = await bindWrite(this.options, run.scope, req.plan, run.kind, req.input);
    } catch (e) {
      // A failed read is not a verdict on the change; nothing was sent, so try again within the limits.
      await this.failedAttempt(run, { source: 'read', message: e instanceof Error ? e.message : 'the circuit could not be read' }, false);
      return undefined;
    }
    if (bound.ok) {
      if (!phase.first) return { write: bound.write };
      if (!this.options.recheck) return this.withBaseline(run, bound);
      let refusal: Refusal | undefined;
      try {
        refusal = await this.options.recheck(req);
      } catch (e) {
        // The facts the rules need could not be read: not a verdict either, so try again within the limits.
        await this.failedAttempt(
          run,
          { source: 'read', message: e instanceof Error ? e.message : 'the rules could not be checked' },
          false,
        );
        return undefined;
      }
      if (!refusal) return this.withBaseline(run, bound);
      return { ended: await this.stale(run.lease, 'rules', bound.circuit, refusal.reason) };
    }
    if (phase.first) return { ended: await this.stale(run.lease, bound.why, bound.circuit) };
    // Our own earlier attempt may be what moved it; reading tells.
    run.phase = { kind: 'reconcile' };
    return undefined;
  }

  /** The post-change check's baseline, read and saved just before the first write (never again after it). */
  private async withBaseline(
    run: Run,
    bound: Extract<BoundWrite, { ok: true }>,
  ): Promise<{ write: Extract<BoundWrite, { ok: true }>['write'] }> {
    const baseline = await this.verifier.baseline(run.lease.req, bound.circuit);
    if (baseline && !(await run.lease.save((op) => ({ ...op, verifyBaseline: baseline })))) throw new LeaseLost();
    return { write: bound.write };
  }

  /** What ARM answered: success ends the run; a failure ends it, or decides how the next turn finds out more. */
  private async settle(
    run: Run,
    phase: Exclude<Phase, { kind: 'reconcile' }>,
    result: WriteResult,
    sentBefore: boolean,
    attempts: number,
  ): Promise<StepResult> {
    const { lease, kind } = run;
    const req = lease.req;
    if (result.ok) {
      const circuit = await this.readCircuit(run.scope, req, result.body);
      return this.finish(
        lease,
        'succeeded',
        { code: OutcomeCode.Applied, ...(circuit ? { after: kind.summary(circuit, req.input) } : {}) },
        result.correlationId,
      );
    }
    const submitted = sentBefore || result.submitted === true;
    const failure: AttemptFailure = { source: 'arm', code: result.code, message: result.message };
    this.options.logger.warn(
      { requestId: req.id, code: result.code, transient: result.transient, submitted, attempts },
      'change attempt failed',
    );
    if (!result.transient) {
      if (!submitted)
        return this.finish(
          lease,
          'failed',
          { code: OutcomeCode.ArmRejected, failure, ...(await this.afterState(req)) },
          result.correlationId,
        );
      if (phase.kind !== 'resume')
        return this.finish(
          lease,
          'failed',
          { code: OutcomeCode.OperationFailed, failure, ...(await this.afterState(req)) },
          result.correlationId,
        );
      // The saved operation can't be followed further (failed or forgotten by ARM): read what happened.
      run.phase = { kind: 'reconcile' };
    } else {
      // Without a saved poller there is nothing to resume: reading tells whether the PUT took.
      run.phase = submitted && lease.req.operation?.pollerState ? { kind: 'resume' } : { kind: 'reconcile' };
    }
    await this.failedAttempt(run, failure, submitted, result.transient);
    return undefined;
  }

  /** Counts a failed attempt against the limits; a transient one waits its backoff before the next turn. */
  private async failedAttempt(run: Run, failure: AttemptFailure, submitted: boolean, wait = true): Promise<void> {
    run.last = { failure, submitted };
    const saved = await run.lease.save((op) => ({
      ...op,
      attempts: (op.attempts ?? 0) + 1,
      status: `retrying after ${failureCode(failure)}`,
    }));
    if (!saved) throw new LeaseLost();
    if (wait) await this.pause(run.lease, this.backoff(run.lease.req));
  }

  /** A wait that a shutdown cuts short (the loop then stops at its next turn); the lease covers it first. */
  private async pause(lease: ExecutionLease, ms: number): Promise<void> {
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

  private async stale(
    lease: ExecutionLease,
    why: 'etag' | 'body' | 'rules',
    circuit: ChangeSubject,
    refusal?: string,
  ): Promise<ChangeRequest> {
    return this.finish(lease, 'stale', {
      code: OutcomeCode.Stale,
      staleBecause: why,
      ...(refusal ? { refusal: refusal.slice(0, 2000) } : {}),
      after: this.summaryOf(lease.req, circuit),
    });
  }

  private async finish(lease: ExecutionLease, to: ChangeState, outcome: Outcome, correlationId?: string): Promise<ChangeRequest> {
    const { store, clock } = this.options;
    const req = lease.req;
    const corr = correlationId ?? req.operation?.correlationId;
    const audit = auditEntry(req, clock.now(), SYSTEM_ACTOR, to, {
      from: 'executing',
      to,
      ...(outcome.after ? { after: outcome.after } : {}),
      ...(corr ? { correlationId: corr } : {}),
      outcome: auditOutcome(outcome),
      result: outcome,
    });
    const now = clock.now();
    // A success is checked afterwards: the check starts here, held by this instance's lease, in the same write.
    const verification = to === 'succeeded' ? this.verifier.initial(lease.req, now) : undefined;
    const operation: Operation = {
      attempts: 0,
      ...lease.req.operation,
      ...(corr ? { correlationId: corr } : {}),
      status: to,
      ...(verification ? { owner: this.instanceId, leaseUntil: now + this.limits.leaseMs } : {}),
    };
    // Only while our lease holds: an instance that lost the change must not end it over its new owner.
    const done = await lease.exclusive(() =>
      lease.lost
        ? Promise.resolve(undefined)
        : store.transition(
            req.id,
            { from: ['executing'], expectVersion: lease.req.version },
            to,
            { outcome, operation, ...(verification ? { verification } : {}) },
            audit,
          ),
    );
    if (!done) return (await store.get(req.id)) ?? req;
    this.options.logger.info({ requestId: req.id, state: to, code: outcome.code, correlationId: corr }, 'change request finished');
    this.emit({ type: 'transition', request: done, from: 'executing', to });
    if (verification) void this.verifier.follow(done);
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
