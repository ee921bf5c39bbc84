import type { Customer } from '../../directory/directory';
import { mapConcurrent } from '../../network/map-concurrent';
import { partFailure } from '../../network/part';
import type { Fresh, SubscriptionScope } from '../../network/types';
import type { VisibleCircuits } from './visible-circuits';

export interface Listed<T> {
  items: { customer: Customer; item: T }[];
  stamps: Fresh<unknown>[];
  failures: VisibleCircuits['failures'];
}

/** Runs one list call per subscription of the given customers, concurrently; failures are collected, not thrown. */
export async function listPerSubscription<T>(
  customers: readonly Customer[],
  list: (scope: SubscriptionScope) => Promise<Fresh<T[]>>,
): Promise<Listed<T>> {
  const scopes = customers.flatMap((customer) =>
    customer.subscriptions.map((subscriptionId) => ({ customer, scope: { tenantId: customer.tenantId, subscriptionId } })),
  );
  const out: Listed<T> = { items: [], stamps: [], failures: [] };
  await mapConcurrent(scopes, 16, async ({ customer, scope }) => {
    try {
      const r = await list(scope);
      out.stamps.push(r);
      for (const item of r.value) out.items.push({ customer, item });
    } catch (e) {
      out.failures.push({ customer, subscriptionId: scope.subscriptionId, error: partFailure(e) });
    }
  });
  return out;
}
