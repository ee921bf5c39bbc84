import { CodedError, ErrorCode } from '../../errors';
import type { IntentOf } from '../../intents/intent';
import { textReply } from '../reply';
import type { Answer } from './answer-context';
import { changesOf } from './changes-of';
import { customerFor } from './customer-for';
import { linkRoom } from './link-here';

/** `approvals here <customer>`, run in a channel: that channel gets the customer's requests for approval. */
export const answerApprovalsChannel: Answer<IntentOf<'approvals-channel'>> = async (intent, context) => {
  const changes = changesOf(context);
  const customer = customerFor(context, intent.customer);
  context.access.requireRight(context.person, 'admin', customer.id, 'that customer');
  if (context.who.conversationType !== 'channel' || !context.who.reference) {
    throw new CodedError(ErrorCode.BadInput, 'Run this in the Teams channel that should get the approval cards, not here.', {
      hint: ['In that channel, mention the bot: ', { say: 'approvals', args: ['here', customer.id] }, '.'],
    });
  }
  // Linked first: the approval cards it is about to get show the customer's data.
  await linkRoom(context, customer);
  await changes.registerApprovalsChannel(customer.id, context.who.reference);
  context.log.info({ customerId: customer.id }, 'approvals channel registered');
  return textReply(
    `This channel now gets ${customer.name}'s change requests for approval. Approvers see Approve and Reject here; everyone else sees the status. ` +
      `It is also linked to ${customer.name}: it may show its data.`,
  );
};
