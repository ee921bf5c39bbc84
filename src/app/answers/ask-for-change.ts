import { CodedError, ErrorCode } from '../../errors';
import type { ChangeRequest } from '../../changes/change-request';
import type { IntentOf } from '../../intents/intent';
import { findCommand, type CommandSpec } from '../../intents/catalog';
import type { HintPart } from '../../command-names';
import type { RequestNotice } from '../../cards/request-card';
import type { Reply } from '../reply';
import type { Answer, AnswerContext } from './answer-context';
import { findChangeTarget, targetId } from './change-targets';
import { changesOf } from './changes-of';
import { personalReply } from './personal-reply';
import { typedSecretRefused } from './typed-secret';

/** Where the request came from: a typed command (its catalog entry) or a form. */
type Origin = { typed: CommandSpec } | { form: true };

const PERSONAL_SECRET_NOTE: HintPart[] = [
  'The bot did not keep or repeat the MD5 key, but your message still holds it in this chat’s history. Next time, use the form (',
  { say: 'change', args: ['<circuit>'] },
  '): its key field is masked and never posted.',
];

/**
 * A kind's schema complaint (already in the fields' labels), with how to say it right: the command's usage and
 * an example for a typed command, the form for a click. Rule refusals pass through unchanged.
 */
function explained(e: unknown, kind: string, origin: Origin): unknown {
  if (!(e instanceof CodedError) || e.code !== ErrorCode.BadInput || e.details?.kind !== kind) return e;
  const how =
    'typed' in origin
      ? `Usage: \`${origin.typed.usage}\`, for example \`${origin.typed.examples[0] ?? origin.typed.usage}\`.`
      : 'Correct that field on the form and submit it again.';
  return new CodedError(ErrorCode.BadInput, e.message, { hint: how, details: e.details ?? {} });
}

async function requestChange(
  context: AnswerContext,
  query: string,
  kindName: string,
  raw: Record<string, unknown>,
  origin: Origin,
): Promise<Reply> {
  const { workflow } = changesOf(context);
  const kind = workflow.kinds.get(kindName);
  const secretTyped = 'typed' in origin && kind.holdsTypedSecret(raw);
  if (secretTyped && context.who.conversationType !== 'personal') throw typedSecretRefused(query);
  let request: ChangeRequest;
  try {
    const target = await findChangeTarget(context, query, kind.target);
    request = await workflow.request(context.person, target.customer.id, targetId(target), kind.name, raw);
  } catch (e) {
    throw explained(e, kind.name, origin);
  }
  // Typed in the 1:1 chat: it works, with a word about the chat's history.
  const notice: RequestNotice | undefined = secretTyped ? { text: PERSONAL_SECRET_NOTE, tone: 'warning' } : undefined;
  return personalReply(context, request, `${request.id}: ${kind.title} of ${request.circuitName} waits for approval`, {
    announce: true,
    notice,
  });
}

function commandSpec(name: string): CommandSpec {
  const spec = findCommand(name);
  if (!spec) throw new Error(`no catalog entry ${name}`);
  return spec;
}

export const answerUpgrade: Answer<IntentOf<'upgrade'>> = (intent, context) =>
  requestChange(context, intent.circuit, 'bandwidth', { bandwidth: intent.bandwidth }, { typed: commandSpec('upgrade') });

export const answerSubmitChange: Answer<IntentOf<'submit-change'>> = (intent, context) =>
  requestChange(context, intent.circuit, intent.change, intent.input, { form: true });

/** `peering`, `filter`, `route`, `authorization`: the typed equivalents of the form's sections. */
export const answerTypedChange: Answer<IntentOf<'peering' | 'filter' | 'route' | 'authorization'>> = (intent, context) =>
  requestChange(context, intent.target, intent.change, intent.input, { typed: commandSpec(intent.kind) });
