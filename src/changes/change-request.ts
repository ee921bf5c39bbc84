import { z } from 'zod';
import { Side } from '../directory/directory';

/**
 * A change request and its audit trail, as stored. Rows read back from a store are parsed with these schemas
 * (a store is an untrusted boundary too: a hand-edited or half-migrated row must fail loudly, not silently).
 */

export const ChangeState = z.enum(['pending', 'approved', 'executing', 'succeeded', 'failed', 'rejected', 'cancelled', 'expired', 'stale']);
export type ChangeState = z.infer<typeof ChangeState>;

export const TERMINAL_STATES: readonly ChangeState[] = ['succeeded', 'failed', 'rejected', 'cancelled', 'expired', 'stale'];

export const Actor = z.object({ aadObjectId: z.string().min(1), name: z.string() });
export type Actor = z.infer<typeof Actor>;

/** `side`: whom the approver spoke for when they approved (absent in rows written before sides: the CSP's). */
export const Approval = z.object({ by: Actor, at: z.number(), side: Side.optional() });
export type Approval = z.infer<typeof Approval>;

/** What the change will do, in words, for the request card. */
export const Impact = z.object({
  /** e.g. "none" or "expected: BGP sessions reset". */
  downtime: z.string(),
  oneWay: z.boolean(),
  /** e.g. "billed at the 2 Gbps rate from the change". */
  billing: z.string(),
  /** Marked when the change interrupts traffic. */
  disruptive: z.boolean().default(false),
  notes: z.array(z.string()).default([]),
});
export type Impact = z.infer<typeof Impact>;

/**
 * The exact change an approval covers: the target, the etag it was planned against, and the ARM body that
 * will be sent (opaque JSON built by src/azure) with its hash.
 */
export const ChangePlan = z.object({
  targetId: z.string().min(1),
  etag: z.string(),
  /** Human before/after, e.g. { Bandwidth: ["1 Gbps", "2 Gbps"] }. */
  diff: z.record(z.string(), z.tuple([z.string(), z.string()])),
  /** The ARM request: method and opaque body (SDK model JSON). */
  method: z.enum(['PUT', 'PATCH', 'DELETE']),
  body: z.unknown(),
  bodyHash: z.string().min(1),
  impact: Impact,
});
export type ChangePlan = z.infer<typeof ChangePlan>;

export const Operation = z.object({
  /** Serialized LRO poller state, saved as soon as the write is submitted. */
  pollerState: z.string().optional(),
  correlationId: z.string().optional(),
  submittedAt: z.number().optional(),
  /** When execution began (approved → executing); bounds how long the executor keeps trying. */
  startedAt: z.number().optional(),
  /** Last ARM status seen while polling, e.g. InProgress. */
  status: z.string().optional(),
  attempts: z.number().int().default(0),
  /** The executor instance driving the change now; only it may write to ARM while its lease runs. */
  owner: z.string().optional(),
  /** Until when `owner` holds the change (epoch ms, its clock); past it any instance may take it over. */
  leaseUntil: z.number().optional(),
  /** What the kind's post-change check read just before the write (see KindVerification.baseline). */
  verifyBaseline: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
});
export type Operation = z.infer<typeof Operation>;

/**
 * One failed attempt as the executor saw it: ARM's answer (its code is ARM's, kept as data), or the bot's own
 * read of the target failing.
 */
export const AttemptFailure = z.discriminatedUnion('source', [
  z.object({ source: z.literal('arm'), code: z.string(), message: z.string() }),
  z.object({ source: z.literal('read'), message: z.string() }),
]);
export type AttemptFailure = z.infer<typeof AttemptFailure>;

/**
 * How an execution ended, as facts; src/cards/outcome-words.ts puts them into words. `code` is an OutcomeCode
 * (src/errors.ts) in rows written now. Rows written before hold a sentence in `message`, and `code` is then
 * ARM's code or one of Timeout, ReadFailed, ChangedElsewhere, Stale, Internal; both stay readable.
 */
export const Outcome = z.object({
  code: z.string().optional(),
  /** Older rows: the sentence shown for the outcome. */
  message: z.string().optional(),
  /** After-state read back from ARM (succeeded) or the state the resource is left in (failed). */
  after: z.record(z.string(), z.string()).optional(),
  /** The failure that decided the outcome, or the last one seen before giving up or running out of time. */
  failure: AttemptFailure.optional(),
  /** ARM had accepted a write before the failure, so the operation may still complete there. */
  submitted: z.boolean().optional(),
  /** Attempts made, when the executor gave up. */
  attempts: z.number().int().optional(),
  /** The deadline that ran out, for a timeout. */
  deadlineMs: z.number().optional(),
  /**
   * Why a change went stale: the target's version moved (etag), the body to send now differs (body), or the
   * kind's rules, checked again just before the write, refuse it now (rules; `refusal` says why).
   */
  staleBecause: z.enum(['etag', 'body', 'rules']).optional(),
  /** The rule that refused the change just before the write (staleBecause rules). */
  refusal: z.string().max(2000).optional(),
});
export type Outcome = z.infer<typeof Outcome>;

/** How the change is undone (see Undo in change-kind.ts), recorded when it is requested. */
export const UndoPlan = z.union([
  z.object({
    kind: z.string().min(1),
    input: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    precondition: z.string().max(500).optional(),
  }),
  z.object({ oneWay: z.string().min(1).max(500) }),
]);
export type UndoPlan = z.infer<typeof UndoPlan>;

/**
 * The post-change check after ARM succeeded (issue 13). `verifying` until the kind's look is healthy
 * (`verified`) or its time runs out (`failed`, with the last reason); `skipped` when the bot could not look.
 */
export const Verification = z.object({
  status: z.enum(['verifying', 'verified', 'failed', 'skipped']),
  startedAt: z.number(),
  /** When the check gives up and judges the change failed. */
  deadline: z.number(),
  /** What the kind read just before the write. */
  baseline: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
  /** Healthy: the evidence, in words. */
  evidence: z.string().max(1000).optional(),
  /** Not healthy (yet): why, in words, and since when that has been so. */
  why: z.string().max(1000).optional(),
  since: z.number().optional(),
  /** Looks taken so far. */
  looks: z.number().int().default(0),
  /** When it ended. */
  endedAt: z.number().optional(),
});
export type Verification = z.infer<typeof Verification>;

/** When an approved change waits: for a change window to open, or a freeze to end (issue 13). */
export const Schedule = z.object({
  runAt: z.number(),
  /** "Sat 22:00 Europe/Amsterdam". */
  label: z.string().max(200),
  because: z.enum(['window', 'freeze']),
  /** The freeze's reason, when one holds it. */
  freeze: z.string().max(300).optional(),
});
export type Schedule = z.infer<typeof Schedule>;

/** An admin's emergency override of a freeze or a change window: typed, with a reason, costing one more approval. */
export const Override = z.object({
  by: Actor,
  reason: z.string().min(1).max(500),
  at: z.number(),
  /** The freeze it overrides, by its reason; absent when only a change window was in the way. */
  freeze: z.string().max(300).optional(),
});
export type Override = z.infer<typeof Override>;

export const ChangeRequest = z.object({
  /** Short and typeable, e.g. CR-7F3K2. */
  id: z.string().regex(/^CR-[0-9A-Z]{5,12}$/),
  customerId: z.string().min(1),
  tenantId: z.string().min(1),
  subscriptionId: z.string().min(1),
  circuitId: z.string().min(1),
  circuitName: z.string().min(1),
  /** The change kind's name, e.g. bandwidth, sku. */
  kind: z.string().min(1),
  /** The kind's validated input, e.g. { bandwidthMbps: 2000 }. Never holds secrets. */
  input: z.record(z.string(), z.unknown()),
  plan: ChangePlan,
  requester: Actor,
  approvals: z.array(Approval),
  required: z.number().int().min(0),
  /** A circuit-level change for a Connect-To customer: one of the approvals must come from the customer's side. */
  needsCustomerSide: z.boolean().optional(),
  state: ChangeState,
  createdAt: z.number(),
  expiresAt: z.number(),
  updatedAt: z.number(),
  /** Optimistic-concurrency version, bumped by every store write. */
  version: z.number().int().min(1),
  operation: Operation.optional(),
  outcome: Outcome.optional(),
  rejection: z.object({ by: Actor, reason: z.string(), at: z.number() }).optional(),
  /** How to undo it, from the target before it (absent in rows written before rollback existed). */
  undo: UndoPlan.optional(),
  /** This request undoes that one (a rollback). */
  rollbackOf: z.string().optional(),
  /** An admin's emergency override of a freeze or window. */
  override: Override.optional(),
  /** Approved, waiting for a window or the end of a freeze. */
  schedule: Schedule.optional(),
  /** The post-change check, once ARM succeeded. */
  verification: Verification.optional(),
});
export type ChangeRequest = z.infer<typeof ChangeRequest>;

export const AuditEntry = z.object({
  requestId: z.string(),
  customerId: z.string(),
  at: z.number(),
  actor: Actor,
  /** e.g. requested, approved, rejected, cancelled, expired, stale, executing, succeeded, failed. */
  action: z.string(),
  from: ChangeState.optional(),
  to: ChangeState.optional(),
  /** Before/after of the resource or of the request, in words. Never secrets. */
  before: z.record(z.string(), z.string()).optional(),
  after: z.record(z.string(), z.string()).optional(),
  correlationId: z.string().optional(),
  outcome: z.string().optional(),
  /** How an execution ended, as facts (the card puts them into words); `outcome` then holds them in short. */
  result: Outcome.optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
