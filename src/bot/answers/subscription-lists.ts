import type { Customer } from '../../directory/directory';
import { mapConcurrent } from '../../network/map-concurrent';
import { partFailure } from '../../network/part';
import type { Fresh, SubscriptionScope } from '../../network/types';
import type { PartFailure } from '../../network/part';

export interface Listed<T> {
  items: { customer: Customer; item: T }[];
  stamps: Fresh<unknown>[];
  failures: { customer: Customer; subscriptionId: string; error: PartFailure }[];
}

/** Runs one list call per subscription of the given customers, concurrently; failures are collected, not thrown. */
export async function listPerSubscription<T>(
  customers: readonly Customer[],
  list: (scope: SubscriptionScope) => Promise<Fresh<T[]>>,
): Promise<Listed<T>> {
  const scopes = customers.flatMap((customer) =>
    customer.subscriptions.map((subscriptionId) => ({ customer, scope: { tenantId: customer.tenantId, subscriptionId } })),
  );
  const results = await mapConcurrent(scopes, 16, async ({ customer, scope }) => {
    try {
      return { customer, scope, listed: await list(scope) };
    } catch (e) {
      return { customer, scope, error: partFailure(e) };
    }
  });
  // In directory and subscription order whatever order ARM answered in, so answers are stable.
  const out: Listed<T> = { items: [], stamps: [], failures: [] };
  for (const r of results) {
    if (r.listed) {
      out.stamps.push(r.listed);
      for (const item of r.listed.value) out.items.push({ customer: r.customer, item });
    } else if (r.error) {
      out.failures.push({ customer: r.customer, subscriptionId: r.scope.subscriptionId, error: r.error });
    }
  }
  return out;
}
