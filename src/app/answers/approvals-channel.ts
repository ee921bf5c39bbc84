import { CodedError, ErrorCode } from '../../errors';
import type { CommandRef } from '../../command-names';
import type { Customer } from '../../directory/directory';
import type { IntentOf } from '../../intents/intent';
import { textReply } from '../reply';
import type { Answer, AnswerContext } from './answer-context';
import { changesOf } from './changes-of';
import { customerFor } from './customer-for';
import { linkRoom } from './link-here';

/**
 * The channel of this turn, made to receive a customer's cards (`approvals here`, `alerts here`): needs `admin` on
 * the customer, a channel, and links it to the customer first (the cards it is about to get show its data).
 * Returns the channel's conversation reference.
 */
export async function registerChannel(
  context: AnswerContext,
  query: string,
  cards: string,
  command: (customerId: string) => CommandRef,
): Promise<{ customer: Customer; reference: unknown }> {
  const customer = customerFor(context, query);
  context.access.requireRight(context.person, 'admin', customer.id, 'that customer');
  if (context.who.conversationType !== 'channel' || !context.who.reference) {
    throw new CodedError(ErrorCode.BadInput, `Run this in the Teams channel that should get the ${cards}, not here.`, {
      hint: ['In that channel, mention the bot: ', command(customer.id), '.'],
    });
  }
  await linkRoom(context, customer);
  return { customer, reference: context.who.reference };
}

/** `approvals here <customer>`, run in a channel: that channel gets the customer's requests for approval. */
export const answerApprovalsChannel: Answer<IntentOf<'approvals-channel'>> = async (intent, context) => {
  const changes = changesOf(context);
  const { customer, reference } = await registerChannel(context, intent.customer, 'approval cards', (id) => ({
    say: 'approvals',
    args: ['here', id],
  }));
  await changes.registerApprovalsChannel(customer.id, reference);
  context.log.info({ customerId: customer.id }, 'approvals channel registered');
  return textReply(
    `This channel now gets ${customer.name}'s change requests for approval. Approvers see Approve and Reject here; everyone else sees the status. ` +
      `It is also linked to ${customer.name}: it may show its data.`,
  );
};
