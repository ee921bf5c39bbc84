import type { Customer, Person } from '../../directory/directory';
import type { Access } from '../../directory/access';
import type { Right } from '../../directory/rights';
import type { PartFailure } from '../../network/part';
import type { Circuit, NetworkReader, SubscriptionScope } from '../../network/types';
import { listPerSubscription } from './subscription-lists';

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
  options: { right?: Right; customers?: Customer[]; fresh?: boolean } = {},
): Promise<VisibleCircuits> {
  const customers = options.customers ?? deps.access.customersWith(person, options.right ?? 'view');
  const listed = await listPerSubscription(customers, (scope) =>
    deps.reader.listCircuits(scope, options.fresh ? { fresh: true } : {}).then((r) => ({
      ...r,
      value: r.value.map((circuit) => ({ circuit, scope, fetchedAt: r.fetchedAt, fromCache: r.fromCache })),
    })),
  );
  return {
    circuits: listed.items.map(({ customer, item }) => ({
      ...item,
      customer,
      customerId: customer.id,
      customerName: customer.name,
    })),
    failures: listed.failures,
  };
}
