import type { ConversationLinks } from '../changes/ports';
import { roomIdOf } from './who';

/** Saved Bot Framework conversation references, read without botbuilder: where a proactive card may go. */

/** The conversation id of a saved reference, if it has one. */
export function conversationIdOf(reference: unknown): string | undefined {
  const id = (reference as { conversation?: { id?: unknown } } | null | undefined)?.conversation?.id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** Whether a saved conversation reference is a 1:1 chat: typed `personal` and not marked as a group. */
export function isPersonalChat(reference: unknown): boolean {
  const conversation = (reference as { conversation?: { conversationType?: unknown; isGroup?: unknown } } | null)?.conversation;
  return conversation?.conversationType === 'personal' && conversation.isGroup !== true;
}

/** The Entra object id of the person a saved 1:1 chat reference is with, if it says. */
export function chatUserOf(reference: unknown): string | undefined {
  const id = (reference as { user?: { aadObjectId?: unknown } } | null | undefined)?.user?.aadObjectId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** What a shared conversation's reference is called in what the bot says there. */
export function nounOf(reference: unknown): 'channel' | 'chat' {
  return (reference as { conversation?: { conversationType?: unknown } } | null)?.conversation?.conversationType === 'channel'
    ? 'channel'
    : 'chat';
}

/** A stored reference without the message it was taken from: proactive sends start a new message, not a reply. */
export function forSending(reference: Record<string, unknown>, channel: boolean): Record<string, unknown> {
  const { activityId: _activityId, ...rest } = reference;
  const conversation = rest.conversation as Record<string, unknown> | undefined;
  if (channel && conversation && typeof conversation.id === 'string') {
    // Teams channel threads are `19:…@thread.tacv2;messageid=…`; the channel itself gets a new post.
    return { ...rest, conversation: { ...conversation, id: roomIdOf(conversation.id) } };
  }
  return rest;
}

/** Whether a conversation may show the customer's cards: a 1:1 chat always, a shared one while linked to it. */
export async function mayShowCustomer(
  links: Pick<ConversationLinks, 'linkedCustomers'>,
  reference: unknown,
  customerId: string,
): Promise<boolean> {
  if (isPersonalChat(reference)) return true;
  const id = conversationIdOf(reference);
  return id !== undefined && (await links.linkedCustomers(roomIdOf(id))).includes(customerId);
}
