import type { ChangeRequest, ChangeState } from './change-request';

/**
 * One change per target (issue 13): while a request on a resource is pending, approved or executing, no second
 * request on it is created. The store holds the lock (a compare-and-set, so it holds across instances); stale,
 * rejected, cancelled, expired and finished requests release it, and so does a pending request past its TTL
 * that nobody has expired yet.
 */
export const LOCKING_STATES: readonly ChangeState[] = ['pending', 'approved', 'executing'];

/** The request that holds a target now, as a refusal names it. */
export interface LockHolder {
  id: string;
  state: ChangeState;
  circuitName: string;
}

/** Thrown by ChangeStore.create when another request holds the target. */
export class TargetBusy extends Error {
  constructor(readonly holder: LockHolder) {
    super(`${holder.id} is ${holder.state} on ${holder.circuitName}`);
    this.name = 'TargetBusy';
  }
}

/** Whether `request` holds its target's lock at `now`. */
export function holdsLock(request: Pick<ChangeRequest, 'state' | 'expiresAt'>, now: number): boolean {
  if (!LOCKING_STATES.includes(request.state)) return false;
  return request.state !== 'pending' || request.expiresAt > now;
}

/** The key a target is locked under: ARM ids are case-insensitive. */
export function targetKey(targetId: string): string {
  return targetId.trim().toLowerCase();
}
