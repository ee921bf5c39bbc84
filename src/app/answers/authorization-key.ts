import type { IntentOf } from '../../intents/intent';
import { secretCard } from '../../cards/secret-card';
import type { Answer } from './answer-context';
import { changesOf } from './changes-of';

/**
 * `key <id>` and the request card's Show key: the authorization key of the person's own succeeded request,
 * read from Azure at that moment, shown in their 1:1 chat only. Never in a channel or a group chat, never
 * to anyone else, never kept. Only while the person still may request changes for the customer, and only if
 * the authorization is still the one the request created (not revoked and re-created under its name).
 */
export const answerKey: Answer<IntentOf<'key'>> = async (intent, context) => {
  const changes = changesOf(context);
  const privateChat = context.who.conversationType === 'personal';
  const { request, label, secret } = await changes.workflow.revealKey(context.person, intent.id, { privateChat }, changes.secrets);
  context.log.info({ requestId: request.id }, 'authorization key shown to its requester');
  return { kind: 'card', card: secretCard({ request, label, secret }), summary: `The key of ${request.id}` };
};
