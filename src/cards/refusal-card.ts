import { type CodedError, ErrorCode } from '../errors';
import type { AdaptiveCardJson } from './card-kit';
import { adaptiveCard, clip, plain, text } from './card-kit';
import { ERROR_WORDS, errorHint, REFUSAL_WORDS } from './outcome-words';

/**
 * A change refused at request time (a decrease, Unlimited → Metered, a write while the circuit is busy…):
 * why, and what to do instead. Nobody was asked to approve anything.
 */
export function refusalCard(error: CodedError): AdaptiveCardJson {
  const hint = errorHint(error);
  return adaptiveCard([
    text(`${REFUSAL_WORDS.icon} ${ERROR_WORDS[ErrorCode.Refused].title}`, { size: 'Medium', weight: 'Bolder', color: 'Attention' }),
    text(plain(clip(error.message, 600))),
    ...(hint ? [text(REFUSAL_WORDS.instead, { weight: 'Bolder', spacing: 'Medium' }), text(plain(clip(hint, 600)))] : []),
    text(REFUSAL_WORDS.footnote, { size: 'Small', subtle: true }),
  ]);
}
