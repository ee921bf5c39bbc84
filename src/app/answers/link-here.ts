import { CodedError, ErrorCode } from '../../errors';
import type { ConversationLinks } from '../../changes/ports';
import type { Customer } from '../../directory/directory';
import type { IntentOf } from '../../intents/intent';
import { hintWords } from '../../cards/hint-words';
import { textReply } from '../reply';
import type { Room } from '../room-scope';
import { customerNames } from '../room-notes';
import type { Answer, AnswerContext } from './answer-context';
import { customerFor } from './customer-for';

function linksOf(context: AnswerContext): ConversationLinks {
  if (context.links) return context.links;
  throw new CodedError(ErrorCode.Config, 'Linking conversations to customers is not switched on in this bot.', {
    hint: 'The bot was started without its store; ask its operator.',
  });
}

/** The shared conversation of this turn; in a 1:1 chat, a refusal that says where to run it instead. */
function sharedRoom(context: AnswerContext, customer: Customer, say: 'link' | 'unlink'): Room {
  if (context.room) return context.room;
  throw new CodedError(
    ErrorCode.BadInput,
    'This is our 1:1 chat, where you already see everything your rights allow: links are for a channel or a group chat.',
    {
      hint:
        say === 'link'
          ? [
              `In the channel or group chat that should show ${customer.name}'s data, mention the bot and type `,
              { say: 'link', args: ['here', customer.id] },
              '.',
            ]
          : ['In that channel or group chat, mention the bot and type ', { say: 'unlink', args: ['here', customer.id] }, '.'],
    },
  );
}

/**
 * Links this turn's channel or group chat to the customer: from now on it may show that customer's data (and
 * of it, each asker still only what their own rights allow). Needs `admin` on the customer, checked here
 * from the asker's identity. `approvals here` links its channel through this too.
 */
export async function linkRoom(context: AnswerContext, customer: Customer): Promise<Room> {
  context.access.requireRight(context.person, 'admin', customer.id, 'that customer');
  const room = sharedRoom(context, customer, 'link');
  await linksOf(context).linkConversation(room.id, customer.id);
  context.log.info({ room: room.id, customerId: customer.id }, 'conversation linked to a customer');
  return room;
}

/** `link here <customer>`; with no customer, which customers this conversation shows. */
export const answerLinkHere: Answer<IntentOf<'link-here'>> = async (intent, context) => {
  if (intent.customer === undefined) {
    return textReply(
      context.room
        ? roomLinksWords(context.room)
        : hintWords([
            'In our 1:1 chat you see everything your rights allow. In a channel or group chat, ',
            { say: 'link', args: ['here'] },
            ' says which customers it shows.',
          ]),
    );
  }
  const customer = customerFor(context, intent.customer);
  const room = await linkRoom(context, customer);
  return textReply(
    `This ${room.noun} now shows ${customer.name}'s data, to each person only what their own rights allow. ` +
      hintWords(['To undo it: ', { say: 'unlink', args: ['here', customer.id] }, '.']),
  );
};

/** `unlink here <customer>`: the conversation stops showing the customer's data (and getting its approval cards). */
export const answerUnlinkHere: Answer<IntentOf<'unlink-here'>> = async (intent, context) => {
  const customer = customerFor(context, intent.customer);
  context.access.requireRight(context.person, 'admin', customer.id, 'that customer');
  const room = sharedRoom(context, customer, 'unlink');
  const removed = await linksOf(context).unlinkConversation(room.id, customer.id);
  context.log.info({ room: room.id, customerId: customer.id, removed }, 'conversation unlinked from a customer');
  return textReply(
    removed
      ? `This ${room.noun} no longer shows ${customer.name}'s data, nor gets its change requests for approval.`
      : `This ${room.noun} wasn't linked to ${customer.name}; nothing changed.`,
  );
};

/** Which customers a shared conversation shows, in a sentence or two (also under `help` there). */
export function roomLinksWords(room: Room): string {
  if (room.linked.length === 0) {
    return hintWords([
      `This ${room.noun} isn't linked to any customer, so answers that show a customer's data go to the asker's 1:1 chat with the bot. `,
      "A customer's admin can link it: ",
      { say: 'link', args: ['here', '<customer>'] },
      '.',
    ]);
  }
  return (
    `This ${room.noun} shows the data of ${customerNames(room.linked, Infinity)}, to each person only what their own rights allow; ` +
    "anything else goes to the asker's 1:1 chat with the bot."
  );
}
