import type { HintPart } from '../../command-names';
import { CodedError, ErrorCode, asCodedError } from '../../errors';
import type { Customer } from '../../directory/directory';
import { linkedIn, RoomRefusal, type Room } from '../room-scope';
import { customersFor, type AnswerContext } from './answer-context';

/**
 * A customer named in `audit <customer>`, `link here <customer>` or `approvals here <customer>`, among the
 * customers the person can see at all (approvers may lack view).
 *
 * In a shared conversation, when the person sees customers it isn't linked to (the answers that run with the
 * asker's full rights there: `link here`, `unlink here`, `approvals here`), only an exact id or name is taken: a
 * "did you mean" would name, in front of everyone there, customers the room doesn't show. The miss is refused
 * there without naming any customer; the full refusal, with its suggestions, is for the asker's 1:1 chat.
 */
export function customerFor(context: AnswerContext, query: string): Customer {
  const visible = context.access.visibleCustomers(context.person);
  if (visible.length === 0) return customersFor(context, query)[0]!;
  const q = query.trim().toLowerCase();
  const found = visible.find((c) => c.id === q || c.name.toLowerCase() === q);
  if (found) return found;
  const room = context.room;
  if (!room || linkedIn(room, visible).length === visible.length) return customersFor(context, query)[0]!;
  try {
    // No exact match above, so this only refuses, with suggestions from every customer the asker can see.
    return customersFor(context, query)[0]!;
  } catch (e) {
    throw roomMiss(room, query, asCodedError(e));
  }
}

/** The room's refusal for a customer it can't take: it names none; the full one goes with it for the 1:1 chat. */
function roomMiss(room: Room, query: string, full: CodedError): CodedError {
  const message = `'${query.trim().slice(0, 80)}' isn't the exact id or name of a customer you can see.`;
  const hint: HintPart[] = [
    `In a ${room.noun} I take only a customer's exact id or name, so that no other customer is named here. `,
    { say: 'customers' },
    ' lists the customers you can see.',
  ];
  const suggests = [full.details?.suggestions, full.details?.candidates].some((list) => Array.isArray(list) && list.length > 0);
  return suggests ? new RoomRefusal(message, { hint }, full) : new CodedError(ErrorCode.NotFound, message, { hint });
}
