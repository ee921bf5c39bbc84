import type { Customer, Person } from '../../directory/directory';
import type { Access } from '../../directory/access';
import type { Right } from '../../directory/rights';
import { mapConcurrent } from '../../network/map-concurrent';
import { partFailure, type PartFailure } from '../../network/part';
import type { Circuit, NetworkReader, SubscriptionScope } from '../../network/types';

/** A circuit together with the customer it belongs to and the scope to read it through. */
export interface OwnedCircuit {
  customer: Customer;
  scope: SubscriptionScope;
  circuit: Circuit;
  fetchedAt: number;
  fromCache: boolean;
  /** Shapes for resolveCircuit. */
  customerId: string;
  customerName: string;
}

export interface VisibleCircuits {
  circuits: OwnedCircuit[];
  /** Subscriptions that could not be listed; their circuits are missing from `circuits`. */
  failures: { customer: Customer; subscriptionId: string; error: PartFailure }[];
}

/**
 * Lists every circuit in the subscriptions of the customers the person holds `right` on. Subscriptions are
 * listed concurrently; one that fails (no access, ARM down) is reported, not fatal.
 */
export async function visibleCircuits(
  deps: { access: Access; reader: NetworkReader },
  person: Person,
  options: { right?: Right; customers?: Customer[]; fresh?: boolean; concurrency?: number } = {},
): Promise<VisibleCircuits> {
  const customers = options.customers ?? deps.access.customersWith(person, options.right ?? 'view');
  const scopes = customers.flatMap((customer) =>
    customer.subscriptions.map((subscriptionId) => ({ customer, scope: { tenantId: customer.tenantId, subscriptionId } })),
  );
  const result: VisibleCircuits = { circuits: [], failures: [] };
  const lists = await mapConcurrent(scopes, options.concurrency ?? 16, async ({ customer, scope }) => {
    try {
      const listed = await deps.reader.listCircuits(scope, options.fresh ? { fresh: true } : {});
      return { customer, scope, listed };
    } catch (e) {
      return { customer, scope, error: partFailure(e) };
    }
  });
  for (const item of lists) {
    if ('error' in item && item.error) {
      result.failures.push({ customer: item.customer, subscriptionId: item.scope.subscriptionId, error: item.error });
      continue;
    }
    if (!('listed' in item) || !item.listed) continue;
    for (const circuit of item.listed.value) {
      result.circuits.push({
        customer: item.customer,
        scope: item.scope,
        circuit,
        fetchedAt: item.listed.fetchedAt,
        fromCache: item.listed.fromCache,
        customerId: item.customer.id,
        customerName: item.customer.name,
      });
    }
  }
  return result;
}
