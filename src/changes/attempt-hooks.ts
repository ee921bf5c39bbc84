import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { ChangeEvent } from './change-events';
import type { ExecutionLease } from './execution-lease';
import type { WriteHooks } from './ports';

export interface AttemptHooksOptions {
  lease: ExecutionLease;
  clock: Clock;
  logger: Logger;
  /** When execution began, for elapsed times. */
  startedAt: number;
  /** Past this, polling is aborted: it has no end of its own. */
  deadline: number;
  /** The attempt count saved with the poller state. */
  attempts: number;
  /** Set to true once ARM has accepted the write. */
  sent: { submitted: boolean };
  /** Aborts polling on shutdown. */
  stopping: AbortSignal;
  emit(event: ChangeEvent): void;
}

/**
 * The writer's hooks for one attempt: the poller state saved as soon as ARM accepts, progress passed on, and
 * an abort at the deadline, on shutdown or when the lease is lost.
 */
export function attemptHooks(o: AttemptHooksOptions): WriteHooks {
  const { lease, clock, startedAt } = o;
  const controller = new AbortController();
  let lastStatus: string | undefined;
  return {
    onSubmitted: async (pollerState, correlationId) => {
      o.sent.submitted = true;
      const saved = await lease.save((op) => ({
        ...op,
        attempts: o.attempts,
        pollerState,
        submittedAt: clock.now(),
        status: 'Accepted',
        ...(correlationId ? { correlationId } : {}),
      }));
      if (!saved) {
        // Polling stops (the lease's signal aborts it); whoever holds the change now follows it.
        o.logger.warn({ requestId: lease.req.id }, 'poller state not saved: another instance holds the change or it left executing');
        return;
      }
      o.emit({ type: 'progress', request: lease.req, status: 'Accepted', elapsedMs: clock.now() - startedAt });
    },
    abortSignal: AbortSignal.any([controller.signal, o.stopping, lease.signal]),
    onProgress: (status: string) => {
      const now = clock.now();
      // Each poll keeps the lease; a lost one aborts the poll through its signal.
      lease.keep().catch(() => undefined);
      if (status !== lastStatus) {
        lastStatus = status;
        o.emit({ type: 'progress', request: lease.req, status, elapsedMs: now - startedAt });
      }
      if (now >= o.deadline) controller.abort();
    },
  };
}
