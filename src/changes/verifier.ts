import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { ChangeSubject, VerifyBaseline, VerifyContext, VerifyLook } from './change-kind';
import { auditEntry, type ChangeEvent, SYSTEM_ACTOR } from './change-events';
import type { ChangeKinds, RegisteredVerification } from './change-kinds';
import type { ChangeRequest, Operation, Verification } from './change-request';
import { ExecutionLease, LeaseLost } from './execution-lease';
import type { ChangeStore } from './ports';

export interface VerifierOptions {
  store: ChangeStore;
  kinds: ChangeKinds;
  clock: Clock;
  logger: Logger;
  /** Names this instance in the leases it takes (the executor's). */
  instanceId: string;
  leaseMs: number;
  /** VERIFY_WINDOW_SECONDS in ms; 0 turns post-change checks off. A kind may ask for less. */
  windowMs: number;
  /** Pause between two looks. */
  intervalMs: number;
  /** What the checks of this request may read; undefined when the bot can't look (then the check is skipped). */
  context: (request: ChangeRequest) => VerifyContext | undefined;
  emit: (event: ChangeEvent) => void;
  /** Aborted on shutdown: looks stop, leases are released, and the next start resumes the check. */
  stopping: AbortSignal;
}

/** How often, at least, the resume sweep reads every succeeded request rather than the recent ones. */
const FULL_PASS_MS = 30 * 60_000;

/** A look that threw is a look that could not tell: not healthy, and why. */
async function lookSafely(verification: RegisteredVerification, ctx: VerifyContext, request: ChangeRequest): Promise<VerifyLook> {
  try {
    return await verification.look(ctx, request.input, request.verification?.baseline ?? request.operation?.verifyBaseline);
  } catch (e) {
    return { healthy: false, why: `could not look: ${e instanceof Error ? e.message.slice(0, 300) : 'unknown error'}` };
  }
}

/**
 * Post-change verification (issue 13): after ARM succeeded, the kind's own idea of "healthy after" is looked at
 * until it holds (verified) or VERIFY_WINDOW_SECONDS run out (failed, with the last reason and since when).
 * The request stays `succeeded` meanwhile; its `verification` says where the check stands. A lease on the
 * request (as for execution) makes one instance look at a time; a crash leaves the check `verifying` with its
 * deadline, and whoever finds the lease run out takes it up again. Nothing here ever writes to ARM.
 */
export class ChangeVerifier {
  /** Checks this instance is following now. */
  private readonly following = new Map<string, Promise<ChangeRequest>>();
  /** When the last unbounded pass over succeeded requests ran. */
  private lastFullPass: number | undefined;

  constructor(private readonly options: VerifierOptions) {}

  private verification(request: Pick<ChangeRequest, 'kind'>): RegisteredVerification | undefined {
    if (this.options.windowMs <= 0) return undefined;
    try {
      return this.options.kinds.get(request.kind).verification;
    } catch {
      return undefined;
    }
  }

  /** The kind's baseline, read just before the write; undefined when it has none or the read failed. */
  async baseline(request: ChangeRequest, before: ChangeSubject): Promise<VerifyBaseline | undefined> {
    const verification = this.verification(request);
    const ctx = verification?.baseline ? this.options.context(request) : undefined;
    if (!verification?.baseline || !ctx) return undefined;
    try {
      return await verification.baseline(ctx, before, request.input);
    } catch (e) {
      this.options.logger.warn(
        { requestId: request.id, err: e instanceof Error ? e.message : String(e) },
        'could not read the baseline for the post-change check; it will check what it can',
      );
      return undefined;
    }
  }

  /** The check a request that just succeeded starts with, or undefined when its kind has none. */
  initial(request: ChangeRequest, now: number): Verification | undefined {
    const verification = this.verification(request);
    if (!verification) return undefined;
    const windowMs = Math.min(this.options.windowMs, verification.maxMs ?? Number.POSITIVE_INFINITY);
    const baseline = request.operation?.verifyBaseline;
    return { status: 'verifying', startedAt: now, deadline: now + windowMs, looks: 0, ...(baseline ? { baseline } : {}) };
  }

  /** Follows a request's check in the background; resolves to the request as the check left it. Never rejects. */
  follow(request: ChangeRequest): Promise<ChangeRequest> {
    const running = this.following.get(request.id);
    if (running) return running;
    const lease = new ExecutionLease(
      request,
      this.options.store,
      this.options.clock,
      this.options.instanceId,
      this.options.leaseMs,
      'succeeded',
    );
    const run = this.run(lease)
      .catch(async (e: unknown) => {
        if (!(e instanceof LeaseLost))
          this.options.logger.error({ requestId: request.id, err: e instanceof Error ? e.message : String(e) }, 'post-change check failed');
        return (await this.options.store.get(request.id).catch(() => undefined)) ?? lease.req;
      })
      .finally(() => this.following.delete(request.id));
    this.following.set(request.id, run);
    return run;
  }

  /** The check of `id` this instance is following, if any (tests and shutdown wait on it). */
  running(id: string): Promise<ChangeRequest> | undefined {
    return this.following.get(id);
  }

  /**
   * Takes up checks nobody follows: `verifying` requests whose lease ran out (their instance died or stopped).
   * Claimed by compare-and-set, so one instance wins. A full pass reads every succeeded request (the first one, then
   * at least every half hour: a check left by a bot that was down for days is ended then); the others only those
   * written within a check's window and a few leases, since a check in progress renews its lease, and so its row,
   * every third of a lease.
   */
  async resume(): Promise<ChangeRequest[]> {
    const { store, clock, logger } = this.options;
    if (this.options.stopping.aborted) return [];
    const now = clock.now();
    // Now and then a full pass too: a row written by an older version (no updatedStamp on Azure Tables), or by an
    // instance that stalled for longer than the window, is found all the same.
    const full = this.lastFullPass === undefined || now - this.lastFullPass >= Math.max(this.options.windowMs, FULL_PASS_MS);
    const since = full ? undefined : now - this.options.windowMs - 3 * this.options.leaseMs;
    const rows = await store.list({ states: ['succeeded'], ...(since !== undefined ? { updatedSince: since } : {}) });
    if (full) this.lastFullPass = now;
    const claimed: Promise<ChangeRequest>[] = [];
    for (const r of rows) {
      if (r.verification?.status !== 'verifying' || this.following.has(r.id)) continue;
      if ((r.operation?.leaseUntil ?? 0) > now) continue;
      const operation: Operation = { attempts: 0, ...r.operation, owner: this.options.instanceId, leaseUntil: now + this.options.leaseMs };
      if (!(await store.saveOperation(r.id, operation, 'succeeded', r.version))) continue;
      logger.info({ requestId: r.id, previousOwner: r.operation?.owner }, 'took up a post-change check');
      claimed.push(this.follow({ ...r, operation, version: r.version + 1 }));
    }
    return Promise.all(claimed);
  }

  private async run(lease: ExecutionLease): Promise<ChangeRequest> {
    const { clock, logger } = this.options;
    const verification = this.verification(lease.req);
    const ctx = this.options.context(lease.req);
    if (!verification || !ctx) return this.end(lease, 'skipped', { why: 'the bot has nothing to check this change with', looks: 0 });
    let last: { why: string; since: number } | undefined;
    let looks = lease.req.verification?.looks ?? 0;
    for (;;) {
      if (this.options.stopping.aborted) {
        await lease.save((op) => op, { release: true }).catch(() => false);
        return lease.req;
      }
      await lease.keep();
      // Someone else ended or took the check (a rollback ended it, another instance claimed it): stop, silently.
      const stored = await this.options.store.get(lease.req.id);
      if (stored?.version !== lease.req.version) return stored ?? lease.req;
      const look = await lookSafely(verification, ctx, lease.req);
      looks++;
      const now = clock.now();
      if (look.healthy) return this.end(lease, 'verified', { evidence: look.evidence, looks });
      last = last?.why === look.why ? last : { why: look.why, since: now };
      const deadline = lease.req.verification?.deadline ?? now;
      if (now >= deadline) return this.end(lease, 'failed', { why: last.why, since: last.since, looks });
      logger.debug({ requestId: lease.req.id, why: look.why }, 'post-change check: not healthy yet');
      const wait = Math.min(this.options.intervalMs, Math.max(0, deadline - now));
      await lease.keep(wait);
      try {
        await clock.sleep(wait, this.options.stopping);
      } catch (e) {
        if (!this.options.stopping.aborted) throw e;
      }
    }
  }

  /**
   * Ends a check that no longer means anything (the change is being rolled back), whoever follows it: the store's
   * compare-and-set moves the version, so the instance following it loses its lease at its next write and stops.
   */
  async supersede(id: string, why: string): Promise<void> {
    const { store, clock, logger } = this.options;
    // The instance following the check renews its lease now and then: a version that moved is read again.
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await store.get(id);
      if (current?.state !== 'succeeded' || current.verification?.status !== 'verifying') return;
      const now = clock.now();
      const verification: Verification = { ...current.verification, status: 'skipped', why, endedAt: now };
      const done = await store.transition(
        id,
        { from: ['succeeded'], expectVersion: current.version },
        'succeeded',
        { verification, operation: { attempts: 0, ...current.operation, leaseUntil: 0 } },
        auditEntry(current, now, SYSTEM_ACTOR, 'verification-skipped', {
          from: 'succeeded',
          to: 'succeeded',
          outcome: `not verified: ${why}`,
        }),
      );
      if (!done) continue;
      logger.info({ requestId: id, why }, 'post-change check ended early');
      this.options.emit({ type: 'verification', request: done });
      return;
    }
    logger.warn({ requestId: id }, 'could not end the post-change check early; it ends by itself');
  }

  /** The verdict: stored with its audit entry (succeeded → succeeded), the lease given back, cards told. */
  private async end(
    lease: ExecutionLease,
    status: Exclude<Verification['status'], 'verifying'>,
    found: Pick<Verification, 'evidence' | 'why' | 'since' | 'looks'>,
  ): Promise<ChangeRequest> {
    const { store, clock, logger } = this.options;
    const now = clock.now();
    const req = lease.req;
    const verification: Verification = {
      ...(req.verification ?? { startedAt: now, deadline: now, looks: 0 }),
      ...found,
      status,
      endedAt: now,
    };
    const outcome =
      status === 'verified'
        ? `verified: ${found.evidence ?? 'healthy'}`
        : status === 'failed'
          ? `verification failed: ${found.why ?? 'not healthy'}`
          : `not verified: ${found.why ?? 'nothing to check'}`;
    const audit = auditEntry(
      req,
      now,
      SYSTEM_ACTOR,
      status === 'failed' ? 'verification-failed' : status === 'verified' ? 'verified' : 'verification-skipped',
      {
        from: 'succeeded',
        to: 'succeeded',
        outcome,
      },
    );
    const operation: Operation = { attempts: 0, ...req.operation, owner: req.operation?.owner ?? this.options.instanceId, leaseUntil: 0 };
    const done = await lease.exclusive(() =>
      lease.lost
        ? Promise.resolve(undefined)
        : store.transition(
            req.id,
            { from: ['succeeded'], expectVersion: lease.req.version },
            'succeeded',
            { verification, operation },
            audit,
          ),
    );
    if (!done) return (await store.get(req.id)) ?? req;
    logger.info({ requestId: req.id, verification: status, looks: found.looks }, 'post-change check ended');
    this.options.emit({ type: 'verification', request: done });
    return done;
  }
}
