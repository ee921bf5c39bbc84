import type { Actor, AuditEntry, ChangeRequest, ChangeState } from './change-request';

/** The bot's own identity in the audit trail, for what no person did (expiry, execution). */
export const SYSTEM_ACTOR: Actor = { aadObjectId: 'system', name: 'ExpressRoute bot' };

/**
 * What the bot needs to keep cards current: every transition, and progress while ARM works
 * (pending n/m → executing (elapsed, ARM status) → succeeded / failed).
 */
export type ChangeEvent =
  | { type: 'transition'; request: ChangeRequest; from?: ChangeState; to: ChangeState }
  | { type: 'progress'; request: ChangeRequest; status: string; elapsedMs: number };

export type ChangeListener = (event: ChangeEvent) => void;

export function auditEntry(
  request: Pick<ChangeRequest, 'id' | 'customerId'>,
  at: number,
  actor: Actor,
  action: string,
  extra: Omit<AuditEntry, 'requestId' | 'customerId' | 'at' | 'actor' | 'action'> = {},
): AuditEntry {
  return { requestId: request.id, customerId: request.customerId, at, actor, action, ...extra };
}
