import type { HintPart } from '../command-names';
import type { Customer } from '../directory/directory';
import { adaptiveCard, text } from '../cards/card-kit';
import { hintWords } from '../cards/hint-words';
import { cardReply, type Reply } from './reply';
import type { Room } from './room-scope';

/**
 * The one line a shared conversation gets when (part of) an answer went to the asker's 1:1 chat instead, or
 * could not: it says why and what to do, and never carries the answer itself.
 */

export interface Elsewhere {
  room: Room;
  /** The asker's customers the room is linked to: what it was shown. */
  shown: readonly Customer[];
  /** The asker's customers it is not linked to: what went to the 1:1 chat (never named in the room). */
  outside: readonly Customer[];
  /** The room got the answer for `shown` (a list); otherwise it got only this note. */
  partial: boolean;
  /** Whether the 1:1 chat got it. */
  sent: boolean;
}

const LINK_IT: HintPart[] = ["A customer's admin can link it: ", { say: 'link', args: ['here', '<customer>'] }, '.'];
const OPEN_A_CHAT =
  "I couldn't open a 1:1 chat with you to send it there: open a chat with the bot in Teams (Chat, New chat, search for the bot), then ask again there.";

/** "Contoso Ltd", "Contoso Ltd and Fabrikam Inc", "A, B, C and 2 more" (past `limit` names). */
export function customerNames(customers: readonly Customer[], limit = 3): string {
  const names = customers.slice(0, limit).map((c) => c.name);
  const more = customers.length - names.length;
  if (more > 0) return `${names.join(', ')} and ${more} more`;
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function sentWords(sent: boolean): string {
  return sent ? 'I sent it to you in our 1:1 chat.' : OPEN_A_CHAT;
}

export function elsewhereNote(e: Elsewhere): string {
  const here = `this ${e.room.noun}`;
  const there = sentWords(e.sent);
  if (e.shown.length === 0) {
    const unlinked = e.room.linked.length === 0;
    const why = unlinked ? "isn't linked to any customer" : "isn't linked to any of the customers that answer shows";
    return hintWords([`${capital(here)} ${why}, so that answer isn't posted here: ${there}`, ...(unlinked ? [' ', ...LINK_IT] : [])]);
  }
  // The customers outside the room are never named here: that they are customers at all is theirs to share.
  if (e.partial) {
    return `${capital(here)} shows only ${customerNames(e.shown)}. The full answer also covers customers ${here} isn't linked to: ${there}`;
  }
  return `That answer is about a customer ${here} isn't linked to, so it isn't posted here: ${there}`;
}

/** Under a refusal whose "did you mean" went to the 1:1 chat: it could name customers the room isn't linked to. */
export function suggestionsNote(room: Room, sent: boolean): string {
  return `What I could suggest might name customers this ${room.noun} isn't linked to, so it isn't posted here: ${sentWords(sent)}`;
}

/** Instead of an answer whose customers this room was unlinked from while it was being worked out. */
export function unlinkedMeanwhileNote(room: Room): string {
  return `The customers this ${room.noun} is linked to changed while I was answering, so that answer isn't posted here. Ask again.`;
}

/** What a request card in a shared conversation becomes once that conversation is unlinked from the request's customer. */
export function unlinkedCard(noun: Room['noun']): Reply {
  const words = `This request's customer is no longer linked to this ${noun}; its updates stop here.`;
  return cardReply(adaptiveCard([text(words)]), words);
}

/** A reply with the note under it; a newer version of the card that follows (`then`) keeps it. */
export function withNote(reply: Reply, note: string): Reply {
  if (reply.kind === 'text') return { kind: 'text', text: `${reply.text}\n\n${note}` };
  return {
    ...reply,
    card: { ...reply.card, body: [...reply.card.body, text(note, { separator: true, spacing: 'Medium', size: 'Small' })] },
    ...(reply.then ? { then: reply.then.then((next) => withNote(next, note)) } : {}),
  };
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
