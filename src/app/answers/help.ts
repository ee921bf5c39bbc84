import { CodedError, ErrorCode } from '../../errors';
import { commandsFor, findCommand } from '../../intents/catalog';
import type { IntentOf } from '../../intents/intent';
import { helpCard } from '../../cards/help-card';
import { customersCard } from '../../cards/customers-card';
import { cardReply } from '../reply';
import type { Customer } from '../../directory/directory';
import { linkedIn } from '../room-scope';
import type { Answer } from './answer-context';
import { settle } from '../../settle';
import { roomLinksWords } from './link-here';

export const answerHelp: Answer<IntentOf<'help'>> = (intent, context) =>
  settle(() => {
    const rights = context.access.rightsAnywhere(context.person);
    const mine = commandsFor(rights);
    const customers = context.access.visibleCustomers(context.person);
    if (intent.command) {
      const spec = findCommand(intent.command);
      if (!spec || !mine.includes(spec)) {
        throw new CodedError(ErrorCode.UnknownCommand, `There is no command '${intent.command}' that you can use.`, {
          hint: ['Type ', { say: 'help' }, ' to see the commands you can use.'],
        });
      }
      return cardReply(helpCard({ entries: [spec], heading: `help ${spec.name}` }), `Help for ${spec.name}`);
    }
    const demo = context.demo ? ' (demo mode: simulated ARM, no real Azure)' : '';
    const intro = context.room
      ? `Hi ${context.person.name}. Here you can see ${count(linkedIn(context.room, customers))}${demo}; in our 1:1 chat, everything your rights allow. ${roomLinksWords(context.room)}`
      : `Hi ${context.person.name}. You can see ${count(customers)}${demo}.`;
    return cardReply(helpCard({ entries: mine, intro }), 'Commands you can use');
  });

function count(customers: readonly Customer[]): string {
  return `${customers.length} customer${customers.length === 1 ? '' : 's'}`;
}

export const answerCustomers: Answer<IntentOf<'customers'>> = (_intent, context) =>
  settle(() => {
    const customers = context.access.visibleCustomers(context.person);
    return cardReply(
      customersCard({
        customers: customers.map((c) => ({
          id: c.id,
          name: c.name,
          tenantId: c.tenantId,
          model: c.model,
          subscriptions: c.subscriptions,
        })),
      }),
      `${customers.length} customers`,
    );
  });
