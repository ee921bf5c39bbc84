import { CodedError, ErrorCode } from '../../errors';
import type { ChangeTargetType } from '../../changes/change-kind';
import type { Customer } from '../../directory/directory';
import { resolveCircuit } from '../../directory/resolve-circuit';
import type { Circuit, RouteFilter, SubscriptionScope, UdrTable } from '../../network/types';
import { findCircuit, type AnswerContext } from './answer-context';
import { listPerSubscription } from './subscription-lists';

/** What a change applies to, found among the resources the person may see. */
export type ChangeTarget =
  | { type: 'expressRouteCircuit'; customer: Customer; customerName: string; scope: SubscriptionScope; circuit: Circuit }
  | { type: 'routeTable'; customer: Customer; customerName: string; scope: SubscriptionScope; table: UdrTable }
  | { type: 'routeFilter'; customer: Customer; customerName: string; scope: SubscriptionScope; filter: RouteFilter };

export function targetId(t: ChangeTarget): string {
  return t.type === 'expressRouteCircuit' ? t.circuit.id : t.type === 'routeTable' ? t.table.id : t.filter.id;
}

export function targetName(t: ChangeTarget): string {
  return t.type === 'expressRouteCircuit' ? t.circuit.name : t.type === 'routeTable' ? t.table.name : t.filter.name;
}

type Listed<T> = { customer: Customer; circuit: T; customerId: string; customerName: string; scope: SubscriptionScope };

/** Route tables or route filters of the customers the person may view, resolved like circuits ("did you mean"). */
async function findListed<T extends { id: string; name: string; subscriptionId: string }>(
  context: AnswerContext,
  query: string,
  noun: string,
  list: (scope: SubscriptionScope) => Promise<{ value: T[]; fetchedAt: number; fromCache: boolean }>,
): Promise<Listed<T>> {
  const customers = context.access.customersWith(context.person, 'view');
  const listed = await listPerSubscription(customers, list);
  const candidates = listed.items.map(({ customer, item }) => ({
    customer,
    circuit: item,
    customerId: customer.id,
    customerName: customer.name,
    scope: { tenantId: customer.tenantId, subscriptionId: item.subscriptionId },
  }));
  try {
    return resolveCircuit(query, candidates, noun);
  } catch (e) {
    const first = listed.failures[0];
    if (e instanceof CodedError && e.code === ErrorCode.NotFound && first) {
      throw new CodedError(first.error.code, `${e.message} Some subscriptions could not be read: ${first.error.message}`, {
        ...(first.error.hint ? { hint: first.error.hint } : {}),
        details: e.details ?? {},
      });
    }
    throw e;
  }
}

export async function findChangeTarget(context: AnswerContext, query: string, type: ChangeTargetType): Promise<ChangeTarget> {
  if (type === 'expressRouteCircuit') {
    const owned = await findCircuit(context, query, true);
    return { type, customer: owned.customer, customerName: owned.customerName, scope: owned.scope, circuit: owned.circuit };
  }
  if (type === 'routeTable') {
    const found = await findListed(context, query, 'route table', (scope) => context.reader.listUdrTables(scope, { fresh: true }));
    return { type, customer: found.customer, customerName: found.customerName, scope: found.scope, table: found.circuit };
  }
  const found = await findListed(context, query, 'route filter', (scope) => context.reader.listRouteFilters(scope, { fresh: true }));
  return { type, customer: found.customer, customerName: found.customerName, scope: found.scope, filter: found.circuit };
}

/**
 * `change <x>`: a circuit first (the usual case), then a route table, then a route filter. An unknown name
 * gets the circuits' "did you mean", since that is what most people name.
 */
export async function findAnyChangeTarget(context: AnswerContext, query: string): Promise<ChangeTarget> {
  const isId = (type: string) => new RegExp(`/providers/Microsoft\\.Network/${type}/`, 'i').test(query);
  if (isId('routeTables')) return findChangeTarget(context, query, 'routeTable');
  if (isId('routeFilters')) return findChangeTarget(context, query, 'routeFilter');
  try {
    return await findChangeTarget(context, query, 'expressRouteCircuit');
  } catch (e) {
    if (!(e instanceof CodedError) || e.code !== ErrorCode.NotFound || isId('expressRouteCircuits')) throw e;
    for (const type of ['routeTable', 'routeFilter'] as const) {
      try {
        return await findChangeTarget(context, query, type);
      } catch (other) {
        if (!(other instanceof CodedError) || other.code !== ErrorCode.NotFound) throw other;
      }
    }
    throw e;
  }
}
