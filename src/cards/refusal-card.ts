import type { CodedError } from '../errors';
import type { AdaptiveCardJson } from './card-kit';
import { adaptiveCard, clip, plain, text } from './card-kit';

/**
 * A change refused at request time (a decrease, Unlimited → Metered, a write while the circuit is busy…):
 * why, and what to do instead. Nobody was asked to approve anything.
 */
export function refusalCard(error: CodedError): AdaptiveCardJson {
  return adaptiveCard([
    text('🚫 Not possible as asked', { size: 'Medium', weight: 'Bolder', color: 'Attention' }),
    text(plain(clip(error.message, 600))),
    ...(error.hint ? [text('Instead', { weight: 'Bolder', spacing: 'Medium' }), text(plain(clip(error.hint, 600)))] : []),
    text('Nothing was requested and nobody was asked to approve.', { size: 'Small', subtle: true }),
  ]);
}
