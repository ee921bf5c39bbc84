import { asCodedError, CodedError, ErrorCode, type CodedError as CodedErrorType } from '../errors';
import type { Logger } from '../log';
import type { Clock } from '../clock';
import type { Access } from '../directory/access';
import type { Person } from '../directory/directory';
import type { FleetReader, NetworkReader } from '../network/types';
import { PrefixCounts } from './prefix-counts';
import { INTENT_VERB, type Intent } from '../intents/intent';
import { parseCommand } from '../intents/parse-command';
import { typesASecret } from '../intents/parse-change';
import { typedSecretRefused } from './answers/typed-secret';
import { intentFromCardData } from '../intents/card-data';
import { retarget } from '../intents/retarget';
import { errorCard } from '../cards/error-card';
import { progressCard } from '../cards/progress-card';
import { cardReply, type Reply } from './reply';
import { ANSWERS, type AnswerContext } from './answers';
import type { ChangeContext } from './answers/answer-context';
import { refusalCard } from '../cards/refusal-card';
import type { Who } from './who';

export type { Who } from './who';

export type Input = { text: string } | { verb: string; data: unknown };

/** A turn that passed identity and parsing: a known person asking for one typed intent. */
export interface Understood {
  who: Who;
  person: Person;
  intent: Intent;
}

export interface ConversationOptions {
  access: Access;
  changes?: ChangeContext;
  reader: NetworkReader;
  fleet: FleetReader;
  /** Shared with the background prefix reads; a fresh one when not given. */
  prefixCounts?: PrefixCounts;
  clock: Clock;
  demo: boolean;
}

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
      return { who, person, intent };
    } catch (e) {
      return this.presentError(asCodedError(e), log);
    }
  }

  async answer(understood: Understood, log: Logger): Promise<Reply> {
    const context: AnswerContext = {
      access: this.options.access,
      ...(this.options.changes ? { changes: this.options.changes } : {}),
      reader: this.options.reader,
      fleet: this.options.fleet,
      prefixCounts: this.prefixCounts,
      clock: this.options.clock,
      person: understood.person,
      who: understood.who,
      log,
      demo: this.options.demo,
    };
    try {
      const handler = ANSWERS[understood.intent.kind] as (i: Intent, c: AnswerContext) => Promise<Reply>;
      return await handler(understood.intent, context);
    } catch (e) {
      // A "did you mean" choice, clicked, asks the same question about that candidate.
      return this.presentError(asCodedError(e), log, (candidate) => retarget(understood.intent, candidate));
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
    if (who.conversationType !== 'personal' && typesASecret(text)) throw typedSecretRefused(text.trim().split(/\s+/)[1] ?? '<circuit>');
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
    default:
      return 'Reading from Azure…';
  }
}
