import type { IntentOf } from '../../intents/intent';
import { filtersCard } from '../../cards/filters-card';
import { udrCard } from '../../cards/udr-card';
import { resolveCircuit } from '../../directory/resolve-circuit';
import type { UdrTable } from '../../network/types';
import { cardReply } from '../reply';
import { customersFor, header, type Answer } from './answer-context';
import { withFailures } from './circuits';
import { visibleInventory } from './visible-circuits';

const INVENTORY_SOURCE = ['Route filters and route tables: Azure Resource Graph'];

export const answerFilters: Answer<IntentOf<'filters'>> = async (intent, context) => {
  const customers = customersFor(context, intent.customer);
  const listed = await visibleInventory(context, context.person, { customers, fresh: intent.fresh ?? false });
  const filters = listed.routeFilters.map((x) => x.circuit).sort((a, b) => a.name.localeCompare(b.name));
  const card = filtersCard({ header: header(context, customers, listed.stamps, intent, INVENTORY_SOURCE), filters });
  return cardReply(withFailures(card, { circuits: [], failures: listed.failures }), `${filters.length} route filters`);
};

export const answerUdr: Answer<IntentOf<'udr'>> = async (intent, context) => {
  const visible = context.access.customersWith(context.person, 'view');
  const target = intent.target;
  const named = target ? visible.filter((c) => c.id === target.toLowerCase() || c.name.toLowerCase() === target.toLowerCase()) : [];
  const customers = target === undefined ? customersFor(context, undefined) : named.length === 1 ? named : visible;
  const listed = await visibleInventory(context, context.person, { customers, fresh: intent.fresh ?? false });
  let tables: { customer: (typeof customers)[number]; item: UdrTable }[] = listed.routeTables.map((t) => ({
    customer: t.customer,
    item: t.circuit,
  }));
  if (target !== undefined && named.length !== 1) {
    // Not a customer: a route table, by name, customer/name or ARM id, among the tables the person may see.
    const found = resolveCircuit(
      target,
      tables.map((t) => ({ customerId: t.customer.id, customerName: t.customer.name, circuit: t.item, entry: t })),
      'route table',
    );
    tables = [found.entry];
  }
  const shownCustomers = [...new Set(tables.map((t) => t.customer))];
  const card = udrCard({
    header: header(context, shownCustomers.length > 0 ? shownCustomers : customers, listed.stamps, intent, INVENTORY_SOURCE),
    tables: tables.map((t) => t.item).sort((a, b) => a.name.localeCompare(b.name)),
  });
  return cardReply(withFailures(card, { circuits: [], failures: listed.failures }), `${tables.length} route tables`);
};
