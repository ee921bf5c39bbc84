import { z } from 'zod';
import { CodedError, ErrorCode } from '../errors';
import type { Intent } from './intent';
import { intentProblem } from './validate-intent';

/** Teams adds its own keys (msteams, verb…) next to ours, so only `intent` is read. */
const CardData = z.looseObject({ intent: z.unknown() });

/**
 * An Action.Execute button's data → the Intent it carries. The data comes back from the client, so it is
 * untrusted: it is validated exactly like typed text, and access is checked later as for any other turn.
 */
export function intentFromCardData(data: unknown): Intent {
  const envelope = CardData.safeParse(data);
  const result = envelope.success ? intentProblem(envelope.data.intent) : { problem: 'it carries no request' };
  if ('intent' in result) return result.intent;
  throw new CodedError(ErrorCode.BadInput, "That button's data isn't valid, so I didn't act on it.", {
    hint: 'The card may be from an older version of the bot. Type the command instead, or `help` to see them.',
    details: { problem: result.problem },
  });
}
