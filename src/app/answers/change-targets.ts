import { CodedError, ErrorCode } from '../../errors';
import type { ChangeTargetType } from '../../changes/change-kind';
import type { Customer } from '../../directory/directory';
import { resolveCircuit } from '../../directory/resolve-circuit';
import { networkResourceId } from '../../network/arm-id';
import type { Circuit, RouteFilter, SubscriptionScope, UdrTable } from '../../network/types';
import { findCircuit, type AnswerContext } from './answer-context';
import { customersForName, visibleInventory, type VisibleInventory } from './visible-circuits';

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

/**
 * A route table or route filter the person may view, found by name in the inventory index like circuits
 * ("did you mean"), then read again from ARM: a change is planned on the resource as it is now.
 */
async function findListed<T extends { id: string; name: string; subscriptionId: string }>(
  context: AnswerContext,
  query: string,
  noun: string,
  pick: (inventory: VisibleInventory) => Listed<T>[],
  reread: (scope: SubscriptionScope) => Promise<{ value: T[] }>,
): Promise<Listed<T>> {
  const customers = customersForName(query, context.access.customersWith(context.person, 'view'));
  const visible = await visibleInventory(context, context.person, { customers });
  let found: Listed<T>;
  try {
    found = resolveCircuit(query, pick(visible), noun);
  } catch (e) {
    const first = visible.failures[0];
    if (e instanceof CodedError && e.code === ErrorCode.NotFound && first) {
      throw new CodedError(first.error.code, `${e.message} Some subscriptions could not be read: ${first.error.message}`, {
        ...(first.error.hint ? { hint: first.error.hint } : {}),
        details: e.details ?? {},
      });
    }
    throw e;
  }
  const current = (await reread(found.scope)).value.find((x) => x.id.toLowerCase() === found.circuit.id.toLowerCase());
  if (!current) {
    throw new CodedError(ErrorCode.NotFound, `The ${noun} ${found.circuit.name} no longer exists in Azure.`, {
      hint: ['It may have just been deleted; try ', { say: 'udr' }, ' or ', { say: 'filters' }, ' to see what is there now.'],
    });
  }
  return { ...found, circuit: current };
}

export async function findChangeTarget(context: AnswerContext, query: string, type: ChangeTargetType): Promise<ChangeTarget> {
  if (type === 'expressRouteCircuit') {
    const owned = await findCircuit(context, query);
    // The inventory found it; ARM has the version (and etag) the change will be bound to.
    const circuit = (await context.reader.getCircuit(owned.scope, owned.circuit.id, { fresh: true })).value;
    return { type, customer: owned.customer, customerName: owned.customerName, scope: owned.scope, circuit };
  }
  if (type === 'routeTable') {
    const found = await findListed(
      context,
      query,
      'route table',
      (v) => v.routeTables,
      (scope) => context.reader.listUdrTables(scope, { fresh: true }),
    );
    return { type, customer: found.customer, customerName: found.customerName, scope: found.scope, table: found.circuit };
  }
  const found = await findListed(
    context,
    query,
    'route filter',
    (v) => v.routeFilters,
    (scope) => context.reader.listRouteFilters(scope, { fresh: true }),
  );
  return { type, customer: found.customer, customerName: found.customerName, scope: found.scope, filter: found.circuit };
}

/**
 * `change <x>`: a circuit first (the usual case), then a route table, then a route filter. An unknown name
 * gets the circuits' "did you mean", since that is what most people name.
 */
export async function findAnyChangeTarget(context: AnswerContext, query: string): Promise<ChangeTarget> {
  const isId = (type: string) => networkResourceId(query, type) !== undefined;
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
