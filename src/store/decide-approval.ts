import { approvalRoom } from '../changes/approval-rule';
import { AuditEntry, ChangeRequest, type Approval } from '../changes/change-request';
import type { AddApprovalResult } from '../changes/ports';

/**
 * Whether one more approval is stored, the same rule in every store: 'duplicate' for an approver who already
 * approved (that wins over a request that is no longer pending: "you already approved" says more), 'not-pending'
 * once the request moved on or has every approval it needs, 'needs-customer-side' for a CSP-side approval that
 * would fill the place the customer's side must take, else the request to store and its audit entry.
 */
export function decideApproval(
  current: ChangeRequest,
  approval: Approval,
  audit: AuditEntry | ((updated: ChangeRequest) => AuditEntry),
  now: number,
): Exclude<AddApprovalResult, ChangeRequest> | { next: ChangeRequest; entry: AuditEntry } {
  if (current.approvals.some((a) => a.by.aadObjectId === approval.by.aadObjectId)) return 'duplicate';
  if (current.state !== 'pending') return 'not-pending';
  const room = approvalRoom(current, approval.side ?? 'csp');
  // A request with every approval is as good as approved: more approvals would only be noise in the audit trail.
  if (room === 'full') return 'not-pending';
  if (room === 'customer-side-only') return 'needs-customer-side';
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
