import type { AdaptiveCardJson } from './card-kit';
import { adaptiveCard, clip, executeAction, fitToBudget, moreNote, plain, table, text, title } from './card-kit';

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

const MODEL_LABEL: Record<string, string> = { 'connect-through': 'Connect-Through', 'connect-to': 'Connect-To' };

/** The directory's view of who the asker can see; a click on a name lists that customer's circuits. */
export function customersCard(view: CustomersView): AdaptiveCardJson {
  const customers = [...view.customers].sort((a, b) => a.name.localeCompare(b.name));
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
                  c.model ? (MODEL_LABEL[c.model] ?? c.model) : '',
                  String(c.subscriptions.length),
                ]),
            )),
        ...moreNote(customers.length - shown, ['Ask for one customer by name, e.g. ', { say: 'circuits', args: ['contoso'] }, '.']),
      ],
      customers.length > 0 ? [executeAction('Status of all', { kind: 'status' })] : [],
    );
  return fitToBudget(customers.length, build);
}
