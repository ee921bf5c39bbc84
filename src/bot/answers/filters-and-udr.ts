import type { IntentOf } from '../../intents/intent';
import { filtersCard } from '../../cards/filters-card';
import { udrCard } from '../../cards/udr-card';
import { resolveCircuit } from '../../directory/resolve-circuit';
import type { UdrTable } from '../../network/types';
import { cardReply } from '../reply';
import { customersFor, header, readOptions, type Answer } from './answer-context';
import { withFailures } from './circuits';
import { listPerSubscription } from './subscription-lists';

export const answerFilters: Answer<IntentOf<'filters'>> = async (intent, context) => {
  const customers = customersFor(context, intent.customer);
  const listed = await listPerSubscription(customers, (scope) => context.reader.listRouteFilters(scope, readOptions(intent)));
  const filters = listed.items.map((x) => x.item).sort((a, b) => a.name.localeCompare(b.name));
  const card = filtersCard({ header: header(context, customers, listed.stamps, intent), filters });
  return cardReply(withFailures(card, { circuits: [], failures: listed.failures }), `${filters.length} route filters`);
};

export const answerUdr: Answer<IntentOf<'udr'>> = async (intent, context) => {
  const visible = context.access.customersWith(context.person, 'view');
  const target = intent.target;
  const named = target ? visible.filter((c) => c.id === target.toLowerCase() || c.name.toLowerCase() === target.toLowerCase()) : [];
  const customers = target === undefined ? customersFor(context, undefined) : named.length === 1 ? named : visible;
  const listed = await listPerSubscription(customers, (scope) => context.reader.listUdrTables(scope, readOptions(intent)));
  let tables: { customer: (typeof customers)[number]; item: UdrTable }[] = listed.items;
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
    header: header(context, shownCustomers.length > 0 ? shownCustomers : customers, listed.stamps, intent),
    tables: tables.map((t) => t.item).sort((a, b) => a.name.localeCompare(b.name)),
  });
  return cardReply(withFailures(card, { circuits: [], failures: listed.failures }), `${tables.length} route tables`);
};
