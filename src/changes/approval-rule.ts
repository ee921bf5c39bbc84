import type { Side } from '../directory/directory';
import type { ChangeRequest } from './change-request';

type Counted = Pick<ChangeRequest, 'approvals' | 'required' | 'needsCustomerSide'>;

/** A Connect-To circuit-level change with no approval from the customer's side yet. */
export function awaitsCustomerSide(request: Counted): boolean {
  return request.needsCustomerSide === true && !request.approvals.some((a) => a.side === 'customer');
}

/** Every approval the request needs is in: the count of distinct approvers, and the customer's side when it needs one. */
export function approvalComplete(request: Counted): boolean {
  return request.approvals.length >= request.required && !awaitsCustomerSide(request);
}

/**
 * Whether one more approval, from `side`, may be added to a pending request: 'full' once it has every approval it
 * needs; 'customer-side-only' when an approval from the CSP's side would take the last place that the customer's
 * side must fill (or the count is reached without it); else 'room'. Stores decide with it inside their
 * compare-and-set, so racing approvals can never fill the count without the customer's side.
 */
export function approvalRoom(request: Counted, side: Side): 'room' | 'full' | 'customer-side-only' {
  if (approvalComplete(request)) return 'full';
  if (side !== 'customer' && awaitsCustomerSide(request) && request.approvals.length + 1 >= request.required) return 'customer-side-only';
  return 'room';
}

/** "1/2"; "2/2, waiting for the customer's side" when the count alone would say it is complete. */
export function approvalCount(request: Counted): string {
  const count = `${request.approvals.length}/${request.required}`;
  return request.approvals.length >= request.required && awaitsCustomerSide(request) ? `${count}, waiting for the customer's side` : count;
}
