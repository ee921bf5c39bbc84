import type { Customer } from '../../directory/directory';
import { customersFor, type AnswerContext } from './answer-context';

/**
 * A customer named in `audit <customer>` or `approvals here <customer>`, among the customers the person can
 * see at all (approvers may lack view).
 */
export function customerFor(context: AnswerContext, query: string): Customer {
  const visible = context.access.visibleCustomers(context.person);
  if (visible.length === 0) return customersFor(context, query)[0]!;
  const q = query.trim().toLowerCase();
  const found = visible.find((c) => c.id === q || c.name.toLowerCase() === q);
  return found ?? customersFor(context, query)[0]!;
}
