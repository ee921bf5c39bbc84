import { CodedError, ErrorCode } from '../errors';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { isWriteConflict } from './table-errors';

export interface WriteRace {
  /** How many times to re-read and retry after losing a race before giving up. */
  maxAttempts: number;
  clock: Clock;
  logger: Logger;
}

/** One round: an answer that needs no write (the condition no longer holds), or a write that may lose the race. */
export type Round<T> = { settled: T } | { write: () => Promise<T> };

/**
 * Read, decide, write under the etag; on a lost race (a stale etag, 412, or a row that already exists, 409) read
 * and decide again. `round` reads and decides; only its write can lose a race. `onLost` may turn a lost race
 * into an answer instead of another round: a 409 on a row someone else just wrote can be the answer itself.
 */
export async function tableCompareAndSet<T>(
  race: WriteRace,
  what: { operation: string; requestId: string },
  round: () => Promise<Round<T>>,
  onLost?: (e: unknown) => Promise<{ settled: T } | undefined>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const plan = await round();
    if ('settled' in plan) return plan.settled;
    try {
      return await plan.write();
    } catch (e) {
      if (!isWriteConflict(e)) throw e;
      const answer = await onLost?.(e);
      if (answer) return answer.settled;
      await backOff(race, attempt, what.operation, what.requestId);
    }
  }
}

/** Lost races are retried at once a few times, then with a short random pause so racers spread out. */
async function backOff(race: WriteRace, attempt: number, operation: string, id: string): Promise<void> {
  if (attempt >= race.maxAttempts) {
    throw new CodedError(ErrorCode.Internal, `Change request ${id} is being changed by many people at once; ${operation} gave up.`, {
      hint: 'Try again in a moment.',
      details: { requestId: id, attempts: attempt },
    });
  }
  race.logger.debug({ requestId: id, operation, attempt }, 'lost a write race; re-reading');
  if (attempt > 2) await race.clock.sleep(Math.floor(Math.random() * Math.min(200, 10 * attempt)));
}
