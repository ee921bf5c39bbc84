import type { Customer, Person } from '../../directory/directory';
import type { Access } from '../../directory/access';
import type { Right } from '../../directory/rights';
import { subscriptionOfArmId } from '../../network/arm-id';
import { mapConcurrent } from '../../network/map-concurrent';
import { partFailure, type PartFailure } from '../../network/part';
import type { Circuit, FleetReader, Fresh, Inventory, RouteFilter, SubscriptionScope, UdrTable } from '../../network/types';

/** A resource together with the customer it belongs to and the scope to read it through. */
export interface Owned<T> {
  customer: Customer;
  scope: SubscriptionScope;
  fetchedAt: number;
  fromCache: boolean;
  /** Shapes for resolveCircuit. */
  customerId: string;
  customerName: string;
  circuit: T;
}

export type OwnedCircuit = Owned<Circuit>;

export interface VisibleInventory {
  circuits: OwnedCircuit[];
  routeTables: Owned<UdrTable>[];
  routeFilters: Owned<RouteFilter>[];
  /** Customers whose tenant's inventory could not be read; their resources are missing above. */
  failures: { customer: Customer; subscriptionId: string; error: PartFailure }[];
  /** One per tenant read, for the card's freshness. */
  stamps: { fetchedAt: number; fromCache: boolean }[];
}

/** Kept for the answers that only need circuits. */
export type VisibleCircuits = Pick<VisibleInventory, 'circuits' | 'failures'>;

export interface InventoryDeps {
  access: Access;
  fleet: FleetReader;
}

/**
 * Everything the person may see, from the inventory index: one Resource Graph query per customer tenant
 * (cached, shared by every person and command), then filtered to the customers the person holds `right` on.
 * The query covers every subscription the directory lists for that tenant, so that the cache entry is the
 * tenant's, and what one person may see is decided here, by subscription, never by the query.
 */
export async function visibleInventory(
  deps: InventoryDeps,
  /** Whose rights decide; undefined only with explicit `customers` (background work on the bot's behalf). */
  person: Person | undefined,
  options: { right?: Right; customers?: readonly Customer[]; fresh?: boolean; background?: boolean } = {},
): Promise<VisibleInventory> {
  const customers = options.customers ?? deps.access.customersWith(person, options.right ?? 'view');
  const tenants = [...new Set(customers.map((c) => c.tenantId.toLowerCase()))];
  const reads = await mapConcurrent(tenants, 16, async (tenantId) => {
    const subscriptions = deps.access
      .allCustomers()
      .filter((c) => c.tenantId.toLowerCase() === tenantId)
      .flatMap((c) => c.subscriptions);
    try {
      return {
        tenantId,
        read: await deps.fleet.inventory(tenantId, subscriptions, { fresh: options.fresh, background: options.background }),
      };
    } catch (e) {
      return { tenantId, error: partFailure(e) };
    }
  });
  const out: VisibleInventory = { circuits: [], routeTables: [], routeFilters: [], failures: [], stamps: [] };
  const byTenant = new Map(reads.map((r) => [r.tenantId, r]));
  // In directory and subscription order whatever order Azure answered in, so answers are stable.
  for (const customer of customers) {
    const r = byTenant.get(customer.tenantId.toLowerCase());
    if (!r) continue;
    if (!r.read) {
      out.failures.push({ customer, subscriptionId: customer.subscriptions.join(', '), error: r.error });
      continue;
    }
    const read: Fresh<Inventory> = r.read;
    for (const subscriptionId of customer.subscriptions) {
      const own = <T extends { subscriptionId: string }>(items: readonly T[]): Owned<T>[] =>
        items
          .filter((x) => x.subscriptionId.toLowerCase() === subscriptionId.toLowerCase())
          .map((circuit) => ({
            customer,
            scope: { tenantId: customer.tenantId, subscriptionId },
            fetchedAt: read.fetchedAt,
            fromCache: read.fromCache,
            customerId: customer.id,
            customerName: customer.name,
            circuit,
          }));
      out.circuits.push(...own(read.value.circuits));
      out.routeTables.push(...own(read.value.routeTables));
      out.routeFilters.push(...own(read.value.routeFilters));
    }
  }
  out.stamps = reads.flatMap((r) => (r.read ? [r.read] : []));
  return out;
}

/**
 * The customers a name can belong to, so that a qualified name reads one tenant's inventory and not all of
 * them: an ARM id names its subscription, `customer/name` its customer. Anything else may be anywhere.
 */
export function customersForName(query: string, customers: readonly Customer[]): readonly Customer[] {
  const q = query.trim().toLowerCase();
  const sub = subscriptionOfArmId(q);
  const narrowed = sub
    ? customers.filter((c) => c.subscriptions.some((s) => s.toLowerCase() === sub))
    : q.includes('/')
      ? customers.filter((c) => c.id.toLowerCase() === q.split('/')[0]!.trim() || c.name.toLowerCase() === q.split('/')[0]!.trim())
      : [];
  return narrowed.length > 0 ? narrowed : customers;
}
