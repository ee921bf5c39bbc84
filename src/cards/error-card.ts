import type { CodedError } from '../errors';
import type { Intent } from '../intents/intent';
import type { AdaptiveCardJson, CardElement } from './card-kit';
import { actionSet, adaptiveCard, clip, executeAction, plain, text } from './card-kit';
import { ERROR_WORDS, errorHint } from './outcome-words';

export interface ErrorCardOptions {
  /**
   * Turns a "did you mean" candidate (e.g. `contoso/er1`) into the intent to run if clicked, usually the
   * failed intent with the reference replaced. Without it the candidates are listed as text.
   */
  candidateIntent?: (candidate: string) => Intent | undefined;
}

const MAX_CANDIDATES = 6;

/** details.candidates (ambiguous) or details.suggestions (not found): strings only, anything else ignored. */
function candidatesOf(error: CodedError): string[] {
  const d = error.details ?? {};
  const raw = Array.isArray(d.candidates) ? d.candidates : Array.isArray(d.suggestions) ? d.suggestions : [];
  return raw.filter((c): c is string => typeof c === 'string' && c.length > 0).slice(0, MAX_CANDIDATES);
}

/** The one presenter for failures: what happened, what to do, and (if known) what the user may have meant. */
export function errorCard(error: CodedError, options: ErrorCardOptions = {}): AdaptiveCardJson {
  const candidates = candidatesOf(error);
  const buttons: CardElement[] = [];
  const unclickable: string[] = [];
  for (const c of candidates) {
    const intent = options.candidateIntent?.(c);
    if (intent) buttons.push(executeAction(clip(c, 60), intent));
    else unclickable.push(c);
  }
  const words = ERROR_WORDS[error.code];
  const severe = words.severe === true;
  const said = errorHint(error);
  // The candidates below already say "did you mean"; a hint that only repeats them would say it twice.
  const hint = said && !(candidates.length > 0 && /^did you mean/i.test(said)) ? said : undefined;
  return adaptiveCard([
    text(`${severe ? '⛔' : '⚠'} ${words.title}`, {
      size: 'Medium',
      weight: 'Bolder',
      color: severe ? 'Attention' : 'Warning',
    }),
    text(plain(clip(error.message, 600))),
    ...(hint ? [text(plain(clip(hint, 600)), { subtle: true })] : []),
    ...(candidates.length > 0 ? [text('Did you mean:', { weight: 'Bolder', spacing: 'Medium' })] : []),
    ...actionSet(buttons),
    ...(unclickable.length > 0 ? [text(unclickable.map((c) => `\`${clip(c, 80)}\``).join(', '))] : []),
    text(`Code: ${error.code}`, { size: 'Small', subtle: true }),
  ]);
}
