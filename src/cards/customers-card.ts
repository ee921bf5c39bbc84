import type { AdaptiveCardJson } from './card-kit';
import { adaptiveCard, clip, executeAction, fitToBudget, moreNote, plain, table, text, title } from './card-kit';
import { modelLabel, modelLine } from './model-words';

export interface CustomerView {
  id: string;
  name: string;
  tenantId: string;
  /** connect-through | connect-to */
  model?: string;
  subscriptions: readonly string[];
}

export interface CustomersView {
  customers: readonly CustomerView[];
}

/** The directory's view of who the asker can see; a click on a name lists that customer's circuits. */
export function customersCard(view: CustomersView): AdaptiveCardJson {
  const customers = [...view.customers].sort((a, b) => a.name.localeCompare(b.name));
  // One reminder per model shown of who runs the routers, rather than a long sentence on every row.
  const models = [...new Set(customers.flatMap((c) => (c.model ? [c.model] : [])))].sort();
  const build = (shown: number) =>
    adaptiveCard(
      [
        title('Customers you can see'),
        text(`${customers.length} customer${customers.length === 1 ? '' : 's'}. Select a name to list its circuits.`, {
          subtle: true,
          spacing: 'None',
        }),
        ...(customers.length === 0
          ? [text('You have no access to any customer yet. Ask a bot admin to add you.')]
          : table(
              [
                { title: 'Customer', width: 3 },
                { title: 'Tenant', width: 4 },
                { title: 'Model', width: 2 },
                { title: 'Subs', width: 1 },
              ],
              customers
                .slice(0, shown)
                .map((c) => [
                  { text: plain(clip(c.name, 60)), weight: 'Bolder', intent: { kind: 'circuits', customer: c.id } },
                  c.tenantId,
                  c.model ? modelLabel(c.model) : '',
                  String(c.subscriptions.length),
                ]),
            )),
        ...models.map((m) => text(plain(modelLine(m)), { size: 'Small', subtle: true, spacing: 'Small' })),
        ...moreNote(customers.length - shown, ['Ask for one customer by name, e.g. ', { say: 'circuits', args: ['contoso'] }, '.']),
      ],
      customers.length > 0 ? [executeAction('Status of all', { kind: 'status' })] : [],
    );
  return fitToBudget(customers.length, build);
}
