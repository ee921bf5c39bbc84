import { asCodedError, CodedError, ErrorCode, type CodedError as CodedErrorType } from '../errors';
import type { Logger } from '../log';
import type { Clock } from '../clock';
import type { Access } from '../directory/access';
import type { Customer, Person } from '../directory/directory';
import type { ConversationLinks } from '../changes/ports';
import type { FleetReader, NetworkReader } from '../network/types';
import type { PostureReader } from '../network/posture-facts';
import type { EffectiveRoutesReader } from '../network/effective-routes';
import { PrefixCounts } from './prefix-counts';
import { INTENT_VERB, type Intent } from '../intents/intent';
import { parseCommand } from '../intents/parse-command';
import { typesASecret } from '../intents/parse-change';
import { typedSecretRefused } from './answers/typed-secret';
import { intentFromCardData } from '../intents/card-data';
import { retarget } from '../intents/retarget';
import { errorCard } from '../cards/error-card';
import { progressCard } from '../cards/progress-card';
import { cardReply, textReply, type Reply } from './reply';
import { ANSWERS, type AnswerContext } from './answers';
import type { AlertContext, ChangeContext } from './answers/answer-context';
import { refusalCard } from '../cards/refusal-card';
import { roomIdOf, type Who } from './who';
import { linkedIn, personInRoom, RoomRefusal, roomScope, type Room } from './room-scope';
import { elsewhereNote, suggestionsNote, unlinkedMeanwhileNote, withNote } from './room-notes';

export type { Who } from './who';

/** `automatic`: a card's refresh that Teams fetched by itself as the card came into view; nobody clicked. */
export type Input = { text: string } | { verb: string; data: unknown; automatic?: boolean };

/** A turn that passed identity and parsing: a known person asking for one typed intent. */
export interface Understood {
  who: Who;
  person: Person;
  intent: Intent;
  /** Nobody asked (a card's automatic refresh): answered where it was fetched, never sent to a 1:1 chat. */
  automatic?: true;
}

export interface ConversationOptions {
  access: Access;
  changes?: ChangeContext;
  alerts?: AlertContext;
  reader: NetworkReader;
  fleet: FleetReader;
  posture: PostureReader;
  effectiveRoutes: EffectiveRoutesReader;
  /** Shared with the background prefix reads; a fresh one when not given. */
  prefixCounts?: PrefixCounts;
  /** Which customers each shared conversation may show (`link here`); without it, they show none. */
  links?: ConversationLinks;
  clock: Clock;
  demo: boolean;
}

/**
 * The asker's 1:1 chat with the bot, opened if need be: where the answer of a shared conversation goes when it
 * shows customers that conversation isn't linked to. The Teams adapter implements it for each turn.
 */
export interface PersonalChat {
  /** Sends the reply there; false when it could not (Teams refused to open the chat, e.g. the app isn't installed for the person). */
  send(reply: Reply): Promise<boolean>;
}

/** An answer worked out but not presented yet: a refusal may still send the question elsewhere. */
type Outcome = { ok: true; reply: Reply } | { ok: false; error: CodedErrorType };

/** Refusals that may only mean "not among the customers this conversation shows". */
const MAY_BE_ELSEWHERE: ReadonlySet<ErrorCode> = new Set([ErrorCode.NotFound, ErrorCode.Forbidden]);

/**
 * Everything a turn does that isn't Bot Framework plumbing: who is asking, what they asked, and the answer.
 * Knows nothing of botbuilder, so a change of Teams SDK only touches create-bot.ts.
 */
export class Conversation {
  readonly prefixCounts: PrefixCounts;

  constructor(private readonly options: ConversationOptions) {
    this.prefixCounts = options.prefixCounts ?? new PrefixCounts();
  }

  /** Identity first (unknown people get nothing else), then the command or button. */
  understand(who: Who, input: Input, log: Logger): Understood | Reply {
    try {
      const person = this.options.access.requirePerson(who.aadObjectId);
      let intent: Intent;
      if ('text' in input) intent = parseTyped(input.text, who);
      else {
        if (input.verb !== INTENT_VERB) {
          throw new CodedError(ErrorCode.BadInput, "That button isn't one I know.", {
            hint: ['The card may come from an older version of the bot. Type ', { say: 'help' }, ' to start again.'],
          });
        }
        intent = intentFromCardData(input.data);
      }
      log.info({ person: person.aadObjectId, intent: intent.kind }, 'understood');
      return { who, person, intent, ...('automatic' in input && input.automatic ? { automatic: true as const } : {}) };
    } catch (e) {
      return this.presentError(asCodedError(e), log);
    }
  }

  /**
   * The answer for where it was asked. In a 1:1 chat: everything the asker may see. In a shared conversation,
   * only what its links allow (room-scope.ts): the asker's rights are narrowed to the linked customers, once,
   * for the whole answer; whatever shows other customers goes to the asker's 1:1 chat (`personalChat`) and the
   * conversation gets a line saying so.
   */
  async answer(understood: Understood, log: Logger, personalChat?: PersonalChat): Promise<Reply> {
    const { who, person, intent } = understood;
    if (who.conversationType === 'personal') return this.present(understood, await this.attempt(understood, person, log), log);
    const room = await this.room(who, log);
    const visible = this.options.access.visibleCustomers(person);
    const shown = linkedIn(room, visible);
    const outside = visible.filter((c) => !shown.includes(c));
    const scope = roomScope(intent);
    const as = (p: Person) => this.attempt(understood, p, log, room);
    // Whatever is worked out with the asker's full rights and may show more than the room does goes to the 1:1
    // chat, never to the room, whether it is an answer or a refusal: the room gets a line saying so.
    const toPersonalChat = async (outcome: Outcome): Promise<boolean> => {
      const sent = await this.sendPersonally(personalChat, this.present(understood, outcome, log), log);
      log.info({ room: room.id, scope, outside: outside.length, sent }, 'answer meant for the 1:1 chat');
      return sent;
    };
    if (scope === 'none') {
      // No customer's data, so the asker's own rights; a refusal that would name other customers is split in two.
      const outcome = await as(person);
      if (outcome.ok || !(outcome.error instanceof RoomRefusal) || understood.automatic) return this.present(understood, outcome, log);
      const sent = await toPersonalChat({ ok: false, error: outcome.error.personal });
      return withNote(this.present(understood, outcome, log), suggestionsNote(room, sent));
    }
    // Shown in the room only while the room is still linked to the customers it was worked out for.
    const guarded = (reply: Reply) => this.stillLinked(room, shown, reply, log);
    // Nothing to hold back: the room may see everything the asker may.
    if (outside.length === 0) return guarded(this.present(understood, await as(person), log));
    const inRoom = personInRoom(person, room.linked);
    // A refresh nobody asked for must not post to anyone's 1:1 chat each time a card comes into view.
    if (understood.automatic) return guarded(this.present(understood, await as(inRoom), log));
    const elsewhere = async (full: Outcome, partial: boolean) =>
      elsewhereNote({ room, shown, outside, partial, sent: await toPersonalChat(full) });
    if (scope === 'every') {
      const [here, full] = await Promise.all([shown.length > 0 ? as(inRoom) : undefined, as(person)]);
      // The full answer, or its failure (which may name other customers' resources), is for the 1:1 chat only.
      const note = await elsewhere(full, here !== undefined);
      return here ? guarded(withNote(this.present(understood, here, log), note)) : textReply(note);
    }
    const here = await as(inRoom);
    if (here.ok || !MAY_BE_ELSEWHERE.has(here.error.code)) return guarded(this.present(understood, here, log));
    const full = await as(person);
    // Not found among everything the asker may see either: the room's own refusal, which names only its customers.
    if (!full.ok && MAY_BE_ELSEWHERE.has(full.error.code)) return guarded(this.present(understood, here, log));
    return textReply(await elsewhere(full, false));
  }

  /**
   * The reply, if the room is still linked to every customer it was worked out for (`shown`), checked again for
   * each newer version that follows it (`then`); else a line saying so. A slow answer (a router read) is posted
   * long after the links were read: an `unlink here` meanwhile must not let the unlinked customer's data in.
   */
  private async stillLinked(room: Room, shown: readonly Customer[], reply: Reply, log: Logger): Promise<Reply> {
    if (shown.length === 0) return reply;
    const now = await this.linkedIds(room.id, log);
    if (shown.some((c) => !now.includes(c.id))) {
      log.info({ room: room.id }, 'answer not posted: the room was unlinked meanwhile');
      return textReply(unlinkedMeanwhileNote(room));
    }
    if (reply.kind !== 'card' || !reply.then) return reply;
    return { ...reply, then: reply.then.then((next) => this.stillLinked(room, shown, next, log)) };
  }

  /** One run of the answer, as `person` (the asker, or the asker as the room sees them). */
  private async attempt(understood: Understood, person: Person, log: Logger, room?: Room): Promise<Outcome> {
    const context: AnswerContext = {
      access: this.options.access,
      ...(this.options.changes ? { changes: this.options.changes } : {}),
      ...(this.options.alerts ? { alerts: this.options.alerts } : {}),
      ...(this.options.links ? { links: this.options.links } : {}),
      ...(room ? { room } : {}),
      reader: this.options.reader,
      fleet: this.options.fleet,
      posture: this.options.posture,
      effectiveRoutes: this.options.effectiveRoutes,
      prefixCounts: this.prefixCounts,
      clock: this.options.clock,
      person,
      who: understood.who,
      log,
      demo: this.options.demo,
    };
    try {
      const handler = ANSWERS[understood.intent.kind] as (i: Intent, c: AnswerContext) => Promise<Reply>;
      return { ok: true, reply: await handler(understood.intent, context) };
    } catch (e) {
      return { ok: false, error: asCodedError(e) };
    }
  }

  private present(understood: Understood, outcome: Outcome, log: Logger): Reply {
    if (outcome.ok) return outcome.reply;
    // A "did you mean" choice, clicked, asks the same question about that candidate.
    return this.presentError(outcome.error, log, (candidate) => retarget(understood.intent, candidate));
  }

  /** The shared conversation of this turn and the customers linked to it, in directory order. */
  private async room(who: Who, log: Logger): Promise<Room> {
    const id = roomIdOf(who.conversationId);
    const noun = who.conversationType === 'channel' ? 'channel' : 'chat';
    const ids = await this.linkedIds(id, log);
    const linked = ids.map((c) => this.options.access.customer(c)).filter((c): c is Customer => c !== undefined);
    return { id, noun, linked: this.options.access.allCustomers().filter((c) => linked.includes(c)) };
  }

  /** The ids of the customers linked to a room; none when they cannot be read. */
  private async linkedIds(roomId: string, log: Logger): Promise<string[]> {
    try {
      return (await this.options.links?.linkedCustomers(roomId)) ?? [];
    } catch (e) {
      // Unknown links show nothing here: the answers go to the 1:1 chat rather than to the wrong audience.
      log.warn({ code: asCodedError(e).code, room: roomId }, 'could not read the conversation links');
      return [];
    }
  }

  private async sendPersonally(chat: PersonalChat | undefined, reply: Reply, log: Logger): Promise<boolean> {
    if (!chat) return false;
    try {
      return await chat.send(reply);
    } catch (e) {
      log.warn({ code: asCodedError(e).code }, 'could not send to the 1:1 chat');
      return false;
    }
  }

  progress(understood: Understood): Reply {
    return cardReply(progressCard({ reading: [progressText(understood.intent)] }), 'Reading from the Microsoft edge routers…');
  }

  private presentError(error: CodedErrorType, log: Logger, candidateIntent?: (candidate: string) => Intent | undefined): Reply {
    if (error.code === ErrorCode.Internal) log.error({ err: error.cause ?? error }, 'answer failed');
    else log.info({ code: error.code }, 'refused');
    // A change the rules refuse is not a typing mistake: it gets the reason and the supported alternative.
    if (error.code === ErrorCode.Refused) return cardReply(refusalCard(error), error.message);
    return cardReply(errorCard(error, candidateIntent ? { candidateIntent } : {}), error.message);
  }
}

/**
 * A typed line, parsed. One that gives a key a value where others read it is told the key is exposed even when
 * it does not parse: the message is in the conversation's history either way.
 */
function parseTyped(text: string, who: Who): Intent {
  try {
    return parseCommand(text);
  } catch (e) {
    // No word of a line that did not parse is repeated: any of them may be the key.
    if (who.conversationType !== 'personal' && typesASecret(text)) throw typedSecretRefused('<circuit>');
    throw e;
  }
}

function progressText(intent: Intent): string {
  switch (intent.kind) {
    case 'routes':
      return `Reading the BGP route table of ${intent.circuit} from the Microsoft edge routers…`;
    case 'bgp':
      return `Reading the BGP summary of ${intent.circuit} from the Microsoft edge routers…`;
    case 'arp':
      return `Reading the ARP table of ${intent.circuit} from the Microsoft edge routers…`;
    case 'status':
      return `Checking BGP, ARP and utilisation${intent.target ? ` for ${intent.target}` : ' across your customers'}…`;
    case 'security':
      return `Checking the security posture of ${intent.target}: VNets, NSGs and gateways from Resource Graph, 0.0.0.0/0 from the edge routers…`;
    case 'effective-routes':
      return `Reading the effective routes of ${intent.target} (Azure computes them from system routes, UDRs and BGP)…`;
    default:
      return 'Reading from Azure…';
  }
}
