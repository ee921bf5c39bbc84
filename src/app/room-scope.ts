import { CodedError, type CodedErrorOptions } from '../errors';
import type { Customer, Person } from '../directory/directory';
import { EVERY_CUSTOMER } from '../directory/directory';
import type { Right } from '../directory/rights';
import type { Intent } from '../intents/intent';

/**
 * A shared conversation (a channel, a group chat) shows only the data of the customers linked to it: everyone
 * there reads every answer, whatever their own rights. The asker's own rights still apply on top.
 */
export interface Room {
  /** The conversation the links belong to (a channel's threads share the channel's). */
  id: string;
  /** "channel" or "chat", for the notes. */
  noun: 'channel' | 'chat';
  /** The customers linked to it, in directory order. */
  linked: readonly Customer[];
}

/**
 * What an answer shows, as far as a room's links are concerned:
 * - `none`: no customer's data (help, the links themselves, a key, which is never shown outside a 1:1 chat);
 * - `every`: every customer the asker can see, because the question names none (`circuits`, `requests`…);
 * - `named`: the customer, resource or request the question names.
 */
export type RoomScope = 'none' | 'every' | 'named';

export function roomScope(intent: Intent): RoomScope {
  switch (intent.kind) {
    case 'help':
    case 'key':
    case 'approvals-channel':
    case 'link-here':
    case 'unlink-here':
      return 'none';
    case 'alerts':
      return intent.here ? 'none' : intent.customer === undefined ? 'every' : 'named';
    case 'silences':
      return 'every';
    case 'ack':
    case 'silence':
    case 'unsilence':
      return 'named';
    case 'customers':
    case 'requests':
      return 'every';
    case 'circuits':
    case 'filters':
    case 'audit':
      return intent.customer === undefined ? 'every' : 'named';
    case 'status':
    case 'udr':
      return intent.target === undefined ? 'every' : 'named';
    case 'security':
    case 'effective-routes':
    case 'circuit':
    case 'bandwidth':
    case 'routes':
    case 'bgp':
    case 'arp':
    case 'peerings':
    case 'upgrade':
    case 'change':
    case 'submit-change':
    case 'peering':
    case 'filter':
    case 'route':
    case 'authorization':
    case 'request':
    case 'approve':
    case 'reject':
    case 'cancel':
    case 'rollback':
    case 'emergency':
      return 'named';
    default: {
      // A new Intent kind fails to compile here until it says what it shows.
      const unknown: never = intent;
      return unknown;
    }
  }
}

/**
 * The asker as the room sees them: their rights on the room's customers only. Every check downstream (the
 * answers, the workflow, the buttons on a request card) goes through the person's rights, so this one view
 * keeps every answer, list, "did you mean" and refusal inside the room's customers.
 */
export function personInRoom(person: Person, customers: readonly Customer[]): Person {
  const everywhere: readonly Right[] = person.access[EVERY_CUSTOMER] ?? [];
  const access: Record<string, Right[]> = {};
  for (const c of customers) {
    const rights = [...everywhere, ...(person.access[c.id] ?? [])];
    if (rights.length > 0) access[c.id] = rights;
  }
  return { ...person, access };
}

/** Of these customers, those linked to the room (what it may show), in their order. */
export function linkedIn(room: Room, customers: readonly Customer[]): Customer[] {
  const linked = new Set(room.linked.map((c) => c.id));
  return customers.filter((c) => linked.has(c.id));
}

/**
 * A refusal worked out with the asker's full rights in a shared conversation (`link here <typo>`): the room gets
 * these words, which name no customer; `personal`, with its "did you mean", goes to the asker's 1:1 chat.
 */
export class RoomRefusal extends CodedError {
  constructor(
    message: string,
    options: CodedErrorOptions,
    readonly personal: CodedError,
  ) {
    super(personal.code, message, options);
  }
}
