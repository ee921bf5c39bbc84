import type { Actor, AuditEntry, ChangeRequest, ChangeState } from './change-request';

/** The bot's own identity in the audit trail, for what no person did (expiry, execution). */
export const SYSTEM_ACTOR: Actor = { aadObjectId: 'system', name: 'ExpressRoute bot' };

/**
 * What the bot needs to keep cards current: every transition, and progress while ARM works
 * (pending n/m → executing (elapsed, ARM status) → succeeded / failed).
 */
export type ChangeEvent =
  | { type: 'transition'; request: ChangeRequest; from?: ChangeState; to: ChangeState }
  | { type: 'progress'; request: ChangeRequest; status: string; elapsedMs: number }
  /** A succeeded change's post-change check ended (request.verification says how). */
  | { type: 'verification'; request: ChangeRequest };

export type ChangeListener = (event: ChangeEvent) => void;

/**
 * Where a domain publishes its events. Whoever keeps cards current subscribes once it exists: the publisher never
 * holds a reference to its listeners' owners, so nothing is late-bound.
 */
export class EventHub<E> {
  private readonly listeners = new Set<(event: E) => void>();

  constructor(private readonly onListenerError: (error: unknown) => void) {}

  /** Returns the unsubscribe function. */
  subscribe(listener: (event: E) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A listener that throws never stops the others nor the publisher. */
  emit(event: E): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (e) {
        this.onListenerError(e);
      }
    }
  }
}

/** Where the workflow and its executor publish change events (delivery subscribes). */
export class ChangeEvents extends EventHub<ChangeEvent> {}

export function auditEntry(
  request: Pick<ChangeRequest, 'id' | 'customerId'>,
  at: number,
  actor: Actor,
  action: string,
  extra: Omit<AuditEntry, 'requestId' | 'customerId' | 'at' | 'actor' | 'action'> = {},
): AuditEntry {
  return { requestId: request.id, customerId: request.customerId, at, actor, action, ...extra };
}
