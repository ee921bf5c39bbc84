import { z } from 'zod';
import { CodedError, ErrorCode } from '../errors';
import type { Intent } from './intent';
import { intentProblem } from './validate-intent';
import { reasonText } from './plain-text';

/** Teams adds its own keys (msteams, verb…) next to ours, and the card's input values too. */
const CardData = z.looseObject({ intent: z.unknown() });

/**
 * Input ids of the change form: `<section>:<field>`, e.g. `bandwidth:bandwidth`, `sku:tier`. A section is
 * its kind's name, or its own id when a kind has several (route-filter-create, route-filter-attach).
 */
export function changeInputId(section: string, field: string): string {
  return `${section}:${field}`;
}

/** The Reject button's reason field. */
export const REJECT_REASON_INPUT = 'rejectReason';

const MAX_FIELDS = 12;

/**
 * Teams sends input values next to the button's data, not inside it. The intents that take input get theirs
 * copied in here: the change form's fields (only the clicked kind's, empty ones dropped) and a rejection's
 * reason, cleaned like a typed one (plain-text.ts). Everything is still validated by the Intent schema afterwards.
 */
function withInputs(intent: unknown, data: Record<string, unknown>): unknown {
  if (!intent || typeof intent !== 'object' || Array.isArray(intent)) return intent;
  const i = intent as Record<string, unknown>;
  const preset =
    typeof i.input === 'object' && i.input !== null && !Array.isArray(i.input) ? (i.input as Record<string, unknown>) : undefined;
  const noInput = i.input === undefined || (preset !== undefined && Object.keys(preset).length === 0);
  // A section with its own id (several per kind) presets what the button means (e.g. action: attach).
  const form = typeof i.form === 'string' ? i.form : undefined;
  if (i.kind === 'submit-change' && typeof i.change === 'string' && (noInput || (form !== undefined && preset !== undefined))) {
    const prefix = changeInputId(form ?? i.change, '');
    const input: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(data)) {
      if (!key.startsWith(prefix) || Object.keys(input).length >= MAX_FIELDS) continue;
      if (typeof value === 'string' && value.trim() === '') continue;
      input[key.slice(prefix.length)] = value;
    }
    return { ...i, input: { ...input, ...(preset ?? {}) } };
  }
  if (i.kind === 'reject') {
    // The card's field, or a reason the button data carries itself: cleaned exactly like a typed one.
    const given = i.reason ?? data[REJECT_REASON_INPUT];
    if (typeof given !== 'string') return given === undefined ? i : { ...i, reason: given };
    const { reason: _, ...withoutReason } = i;
    const reason = reasonText(given);
    return reason === '' ? withoutReason : { ...i, reason };
  }
  return intent;
}

/**
 * An Action.Execute button's data → the Intent it carries. The data comes back from the client, so it is
 * untrusted: it is validated exactly like typed text, and access is checked later as for any other turn.
 */
export function intentFromCardData(data: unknown): Intent {
  const envelope = CardData.safeParse(data);
  const result = envelope.success ? intentProblem(withInputs(envelope.data.intent, envelope.data)) : { problem: 'it carries no request' };
  if ('intent' in result && result.intent.kind === 'emergency') {
    // No card offers one: data that carries it was made by hand, and an override must be typed with its reason.
    throw new CodedError(ErrorCode.BadInput, "An emergency override is typed, never clicked, so I didn't act on that button.", {
      hint: ['An admin of the customer types ', { say: 'emergency', args: ['<change command>', 'because', '<reason>'] }, '.'],
      details: { problem: 'emergency override in card data' },
    });
  }
  if ('intent' in result) return result.intent;
  throw new CodedError(ErrorCode.BadInput, "That button's data isn't valid, so I didn't act on it.", {
    hint: ['The card may be from an older version of the bot. Type the command instead, or ', { say: 'help' }, ' to see them.'],
    details: { problem: result.problem },
  });
}
