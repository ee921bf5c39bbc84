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
}

export const DEFAULT_EXECUTOR_LIMITS: ExecutorLimits = {
  maxAttempts: 5,
  retryDelayMs: 5_000,
  deadlineMs: 2 * 60 * 60_000,
  followIntervalMs: 5_000,
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
}

const BUSY = new Set(['updating', 'creating', 'deleting']);

type Phase =
  /** We know nothing was sent: bind to the approved version and PUT. */
  | { kind: 'submit'; first: boolean }
  /** A write was accepted and its poller saved: poll it, never PUT again. */
  | { kind: 'resume' }
  /** Unknown whether a PUT reached ARM (crash before saving, timeout, reset): find out by reading. */
  | { kind: 'reconcile' };

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

  constructor(private readonly options: ChangeExecutorOptions) {
    this.limits = { ...DEFAULT_EXECUTOR_LIMITS, ...options.limits };
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
      { operation: { attempts: 0, startedAt: now } },
      auditEntry(current, now, SYSTEM_ACTOR, 'executing', { from: 'approved', to: 'executing' }),
    );
    if (!started) return (await store.get(id)) ?? current;
    this.emit({ type: 'transition', request: started, from: 'approved', to: 'executing' });
    return this.drive(started, { kind: 'submit', first: true });
  }

  /**
   * On start: every `executing` request is taken up again. A saved poller is resumed (no second PUT); without
   * one, the circuit is read to learn whether the PUT reached ARM before the crash.
   */
  async resumeExecuting(): Promise<ChangeRequest[]> {
    const running = await this.options.store.list({ states: ['executing'] });
    this.options.logger.info({ count: running.length }, 'resuming executing change requests');
    return Promise.all(running.map((r) => this.drive(r, r.operation?.pollerState ? { kind: 'resume' } : { kind: 'reconcile' })));
  }

  /**
   * Graceful shutdown: stops polling and retrying, leaving running changes `executing` with their saved
   * poller state, so `resumeExecuting` on the next start picks them up. ARM's operations carry on regardless.
   */
  stop(): void {
    this.stopping.abort();
  }

  private async drive(start: ChangeRequest, phase: Phase): Promise<ChangeRequest> {
    try {
      return await this.loop(start, phase);
    } catch (e) {
      if (this.stopping.signal.aborted) return (await this.options.store.get(start.id)) ?? start;
      // Nothing may stay executing: a bug or a store failure still ends the request, with what we know.
      this.options.logger.error({ requestId: start.id, err: e instanceof Error ? e.message : String(e) }, 'executor failed unexpectedly');
      return this.finish(start, 'failed', {
        code: 'Internal',
        message: 'The bot hit an internal error while running the change; check the circuit before asking again.',
        ...(await this.afterState(start)),
      });
    }
  }

  private async loop(start: ChangeRequest, initial: Phase): Promise<ChangeRequest> {
    const { store, clock, logger } = this.options;
    const kind = this.options.kinds.get(start.kind);
    const scope: SubscriptionScope = { tenantId: start.tenantId, subscriptionId: start.subscriptionId };
    let req = start;
    let phase = initial;
    let last: LastFailure | undefined;
    const startedAt = req.operation?.startedAt ?? req.updatedAt;
    const deadline = startedAt + this.limits.deadlineMs;

    for (;;) {
      if (this.stopping.signal.aborted) {
        logger.info({ requestId: req.id }, 'executor stopping; the change stays executing and resumes on the next start');
        return req;
      }
      const attempts = req.operation?.attempts ?? 0;
      if (clock.now() >= deadline) {
        const why = last ? ` The last answer was ${last.code}: ${last.message}` : '';
        return this.finish(req, 'failed', {
          code: last?.code ?? 'Timeout',
          message: `Azure did not finish the change within ${Math.round(this.limits.deadlineMs / 60_000)} minutes, so the bot stopped following it.${why} Check the circuit before asking again.`,
          ...(await this.afterState(req)),
        });
      }
      if (attempts >= this.limits.maxAttempts && last) {
        return this.finish(req, 'failed', {
          code: last.code,
          message: `Azure kept failing (${last.code}: ${last.message}); the bot gave up after ${attempts} attempts.${last.submitted ? ' The operation may still complete in Azure.' : ' Nothing was changed.'}`,
          ...(await this.afterState(req)),
        });
      }

      if (phase.kind === 'reconcile') {
        const target = await this.read(scope, req);
        if (!target) {
          last = { code: 'ReadFailed', message: 'the circuit could not be read', submitted: last?.submitted ?? false };
          req = await this.countFailure(req, last);
          await this.pause(this.backoff(req));
          continue;
        }
        const { circuit, etag } = target;
        if (BUSY.has(circuit.provisioningState.toLowerCase())) {
          // An operation is running on it, most likely ours: follow it by reading, never by writing.
          this.emit({ type: 'progress', request: req, status: circuit.provisioningState, elapsedMs: clock.now() - startedAt });
          await this.pause(this.limits.followIntervalMs);
          continue;
        }
        if (kind.isApplied(circuit, req.input)) {
          return this.finish(req, 'succeeded', { message: 'The change is in place.', after: kind.summary(circuit, req.input) });
        }
        if (etag !== req.plan.etag) {
          return this.finish(req, 'failed', {
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
      const hooks = this.hooks(req, startedAt, deadline, async (pollerState, correlationId) => {
        submitted = true;
        const operation: Operation = {
          ...req.operation,
          attempts,
          pollerState,
          submittedAt: clock.now(),
          status: 'Accepted',
          ...(correlationId ? { correlationId } : {}),
        };
        if (!(await store.saveOperation(req.id, operation, 'executing'))) {
          logger.warn({ requestId: req.id }, 'poller state not saved: the request left executing');
        }
        req = { ...req, operation };
        this.emit({ type: 'progress', request: req, status: 'Accepted', elapsedMs: clock.now() - startedAt });
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
          req = await this.countFailure(req, last);
          await this.pause(this.backoff(req));
          continue;
        }
        if (!bound.ok) {
          if (phase.first) return this.stale(req, bound.why, bound.circuit);
          // Our own earlier attempt may be what moved it; reading tells.
          phase = { kind: 'reconcile' };
          continue;
        }
        result = await this.options.writer.execute(scope, { targetId: req.plan.targetId, method: bound.write.method, body: bound.write.body }, hooks.hooks);
      }

      if (result.ok) {
        const circuit = await this.readCircuit(scope, req, result.body);
        return this.finish(req, 'succeeded', {
          message: 'Azure applied the change.',
          ...(circuit ? { after: kind.summary(circuit, req.input) } : {}),
        }, result.correlationId);
      }
      if (result.submitted) submitted = true;
      last = { code: result.code, message: result.message, submitted };
      logger.warn({ requestId: req.id, code: result.code, transient: result.transient, submitted, attempts }, 'change attempt failed');
      if (!result.transient) {
        if (!submitted) {
          return this.finish(req, 'failed', {
            code: result.code,
            message: `Azure refused the change (${result.code}): ${result.message}`,
            ...(await this.afterState(req)),
          }, result.correlationId);
        }
        if (phase.kind === 'resume') {
          // The saved operation can't be followed further (failed or forgotten by ARM): read what happened.
          phase = { kind: 'reconcile' };
        } else {
          return this.finish(req, 'failed', {
            code: result.code,
            message: `Azure accepted the change but the operation failed (${result.code}): ${result.message}`,
            ...(await this.afterState(req)),
          }, result.correlationId);
        }
      } else {
        // Without a saved poller there is nothing to resume: reading tells whether the PUT took.
        phase = submitted && req.operation?.pollerState ? { kind: 'resume' } : { kind: 'reconcile' };
      }
      req = await this.countFailure(req, last);
      if (result.transient) await this.pause(this.backoff(req));
    }
  }

  /** A wait that a shutdown cuts short (the loop then stops at its next turn). */
  private async pause(ms: number): Promise<void> {
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

  private hooks(req: ChangeRequest, startedAt: number, deadline: number, onSubmitted: (state: string, correlationId: string | undefined) => Promise<void>) {
    const controller = new AbortController();
    let lastStatus: string | undefined;
    return {
      hooks: {
        onSubmitted,
        abortSignal: AbortSignal.any([controller.signal, this.stopping.signal]),
        onProgress: (status: string) => {
          const now = this.options.clock.now();
          if (status !== lastStatus) {
            lastStatus = status;
            this.emit({ type: 'progress', request: req, status, elapsedMs: now - startedAt });
          }
          // Polling has no end of its own; the deadline gives it one.
          if (now >= deadline) controller.abort();
        },
      },
    };
  }

  private async countFailure(req: ChangeRequest, last: LastFailure): Promise<ChangeRequest> {
    const operation: Operation = { ...req.operation, attempts: (req.operation?.attempts ?? 0) + 1, status: `retrying after ${last.code}` };
    await this.options.store.saveOperation(req.id, operation, 'executing');
    return { ...req, operation };
  }

  private async stale(req: ChangeRequest, why: 'etag' | 'body', circuit: ChangeSubject): Promise<ChangeRequest> {
    const message =
      why === 'etag'
        ? `${req.circuitName} changed after this request was made, so the approval no longer covers it. Nothing was sent to Azure.`
        : `The change the bot would send now differs from the one approved. Nothing was sent to Azure.`;
    return this.finish(req, 'stale', { code: 'Stale', message: `${message} Ask again to plan it on the current circuit.`, after: this.summaryOf(req, circuit) });
  }

  private async finish(req: ChangeRequest, to: ChangeState, outcome: Outcome, correlationId?: string): Promise<ChangeRequest> {
    const { store, clock } = this.options;
    const corr = correlationId ?? req.operation?.correlationId;
    const audit = auditEntry(req, clock.now(), SYSTEM_ACTOR, to, {
      from: 'executing',
      to,
      ...(outcome.after ? { after: outcome.after } : {}),
      ...(corr ? { correlationId: corr } : {}),
      outcome: outcome.code ? `${outcome.code}: ${outcome.message}` : outcome.message,
    });
    const operation: Operation = { attempts: 0, ...req.operation, ...(corr ? { correlationId: corr } : {}), status: to };
    const done = await store.transition(req.id, { from: ['executing'] }, to, { outcome, operation }, audit);
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
