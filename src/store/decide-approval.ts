import { AuditEntry, ChangeRequest, type Approval } from '../changes/change-request';

/**
 * Whether one more approval is stored, the same rule in every store: 'duplicate' for an approver who already
 * approved (that wins over a request that is no longer pending: "you already approved" says more), 'not-pending'
 * once the request moved on or its count is reached, else the request to store and its audit entry.
 */
export function decideApproval(
  current: ChangeRequest,
  approval: Approval,
  audit: AuditEntry | ((updated: ChangeRequest) => AuditEntry),
  now: number,
): 'duplicate' | 'not-pending' | { next: ChangeRequest; entry: AuditEntry } {
  if (current.approvals.some((a) => a.by.aadObjectId === approval.by.aadObjectId)) return 'duplicate';
  // A reached count is as good as approved: more approvals would only be noise in the audit trail.
  if (current.state !== 'pending' || current.approvals.length >= current.required) return 'not-pending';
  const next = ChangeRequest.parse({
    ...current,
    approvals: [...current.approvals, approval],
    version: current.version + 1,
    updatedAt: now,
  });
  // Built from the request about to be stored, so a retry after a lost race records the count it actually stored.
  const entry = AuditEntry.parse(typeof audit === 'function' ? audit(next) : audit);
  return { next, entry };
}
