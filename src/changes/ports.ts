import type { AuditEntry, ChangeRequest, ChangeState, Approval } from './change-request';
import type { SubscriptionScope } from '../network/types';

/**
 * Which customers' data a shared conversation (a channel, a group chat) may show: the links `link here` makes,
 * one per conversation and customer. Kept with the conversation references, in the same store.
 */
export interface ConversationLinks {
  /** Idempotent. */
  linkConversation(conversationId: string, customerId: string): Promise<void>;
  /** False when there was no such link. */
  unlinkConversation(conversationId: string, customerId: string): Promise<boolean>;
  /** The linked customers' ids, sorted. */
  linkedCustomers(conversationId: string): Promise<string[]>;
}

/**
 * Persistence port for the approval workflow. src/store implements it (SQLite embedded; Azure Table Storage for
 * scale-out). Every method is async so that a remote store fits the same shape.
 */
export interface ChangeStore extends ConversationLinks {
  /**
   * Stores a new request with its audit entry, atomically with the target's lock (target-lock.ts): throws
   * TargetBusy naming the holder when another request on the same `plan.targetId` holds it at `now` (the
   * store's clock), so that across every instance at most one request per target is pending, approved or
   * executing.
   */
  create(request: ChangeRequest, audit: AuditEntry): Promise<void>;
  get(id: string): Promise<ChangeRequest | undefined>;
  list(filter: ChangeFilter): Promise<ChangeRequest[]>;
  /**
   * Atomic compare-and-set: applies `patch` and `to` only if the request is currently in one of `from` (and,
   * when given, at `expectVersion`), appending `audit` in the same transaction. Returns the updated request, or
   * undefined if the condition failed (someone else moved it first). This is what makes approval → execution
   * happen exactly once however many clicks race.
   */
  transition(
    id: string,
    condition: { from: readonly ChangeState[]; expectVersion?: number },
    to: ChangeState,
    patch: Partial<Pick<ChangeRequest, 'approvals' | 'operation' | 'outcome' | 'rejection' | 'schedule' | 'verification'>>,
    audit: AuditEntry,
  ): Promise<ChangeRequest | undefined>;
  /**
   * Adds one approval if the approver has not approved yet and the request is still pending and short of what it
   * needs (a request that has every approval is on its way to approved); returns the updated request,
   * 'duplicate', 'not-pending', or 'needs-customer-side' (a CSP-side approval that would take the place only the
   * customer's side may fill: see approvalRoom). Atomic with its audit entry. `audit` may be a function of the
   * updated request, so that what it records (e.g. "2/2") is what was stored, not a stale read.
   */
  addApproval(id: string, approval: Approval, audit: AuditEntry | ((updated: ChangeRequest) => AuditEntry)): Promise<AddApprovalResult>;
  /**
   * Saves LRO progress without changing state (poller state right after submission, last status seen, the
   * execution lease). With `expectVersion` it is a compare-and-set on the version too. Every successful save
   * bumps the version by exactly one, so a caller that knows the version it wrote can chain saves.
   */
  saveOperation(id: string, operation: ChangeRequest['operation'], expectState: ChangeState, expectVersion?: number): Promise<boolean>;
  /** Appends one audit entry on its own (an event that changes no request: an override, a rollback asked for). */
  appendAudit(entry: AuditEntry): Promise<void>;
  /** Append-only: there is no update or delete. */
  audit(filter: { customerIds: readonly string[]; requestId?: string; limit: number }): Promise<AuditEntry[]>;

  /** Where a request's cards were posted, so every transition can update them. */
  addCardPost(post: CardPost): Promise<void>;
  cardPosts(requestId: string): Promise<CardPost[]>;
  /** Stops updating a post (e.g. its conversation was unlinked from the customer). Idempotent. */
  removeCardPost(post: Pick<CardPost, 'requestId' | 'conversationKey' | 'activityId'>): Promise<void>;
  /** Conversation references (opaque JSON) for proactive messages: approvals channels, approvers' 1:1 chats. */
  saveReference(key: string, reference: unknown): Promise<void>;
  getReference(key: string): Promise<unknown>;
  close(): Promise<void>;
}

export type AddApprovalResult = ChangeRequest | 'duplicate' | 'not-pending' | 'needs-customer-side';

export interface ChangeFilter {
  customerIds?: readonly string[];
  states?: readonly ChangeState[];
  requesterId?: string;
  /** Only requests written (any change, lease renewals included) at or after this time. */
  updatedSince?: number;
  limit?: number;
}

export interface CardPost {
  requestId: string;
  /** Key of the stored conversation reference. */
  conversationKey: string;
  activityId: string;
  /** requester | approver | channel */
  audience: string;
}

/** The write side of ARM, implemented in src/azure. Bodies are opaque JSON that only src/azure understands. */
export interface NetworkWriter {
  /** Re-reads the target: its etag and the raw body the plan is built on. */
  readForWrite(scope: SubscriptionScope, targetId: string): Promise<{ etag: string; body: unknown }>;
  /**
   * Submits the write and follows it to the end. `onSubmitted` is awaited with the serialized poller state as
   * soon as ARM accepted the request, before polling starts.
   */
  execute(
    scope: SubscriptionScope,
    write: { targetId: string; method: 'PUT' | 'PATCH' | 'DELETE'; body: unknown },
    hooks: WriteHooks,
  ): Promise<WriteResult>;
  /** Resumes polling a submitted write from its saved poller state; never submits again. */
  resume(
    scope: SubscriptionScope,
    write: { targetId: string; method: 'PUT' | 'PATCH' | 'DELETE'; body: unknown },
    pollerState: string,
    hooks: WriteHooks,
  ): Promise<WriteResult>;
}

export interface WriteHooks {
  onSubmitted(pollerState: string, correlationId: string | undefined): Promise<void>;
  onProgress?(status: string): void;
  abortSignal?: AbortSignal;
}

export type WriteResult =
  | { ok: true; body: unknown; correlationId?: string }
  | {
      ok: false;
      code: string;
      message: string;
      transient: boolean;
      correlationId?: string;
      /**
       * True when ARM had accepted the write before the failure (e.g. the operation failed, or the first poll
       * failed before `onSubmitted` could run). Absent means unknown or not accepted.
       */
      submitted?: boolean;
    };
