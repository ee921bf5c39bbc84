import { CodedError, ErrorCode } from '../../errors';
import type { ChangeRequest } from '../../changes/change-request';
import type { RequestOptions } from '../../changes/workflow';
import type { EmergencyChange, IntentOf } from '../../intents/intent';
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
  options: RequestOptions = {},
): Promise<Reply> {
  const { workflow } = changesOf(context);
  const kind = workflow.kinds.get(kindName);
  const secretTyped = 'typed' in origin && kind.holdsTypedSecret(raw);
  if (secretTyped && context.who.conversationType !== 'personal') throw typedSecretRefused(query);
  let request: ChangeRequest;
  try {
    const target = await findChangeTarget(context, query, kind.target);
    request = await workflow.request(context.person, target.customer.id, targetId(target), kind.name, raw, options);
  } catch (e) {
    throw explained(e, kind.name, origin);
  }
  // Typed in the 1:1 chat: it works, with a word about the chat's history.
  const notice: RequestNotice | undefined = secretTyped ? { text: PERSONAL_SECRET_NOTE, tone: 'warning' } : undefined;
  return personalReply(context, request, `${request.id}: ${kind.title} of ${request.circuitName} ${waits(request)}`, {
    announce: true,
    notice,
  });
}

/** What happens next, for the reply's summary. */
function waits(request: ChangeRequest): string {
  return request.state === 'pending' ? `waits for approval (${request.required} needed)` : request.state;
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

/**
 * `rollback <id>`, typed or the card's Rollback: a new request that undoes a succeeded change, approved like any
 * other. The workflow checks the rights, that the change succeeded and can be undone, and the way back's preconditions.
 */
export const answerRollback: Answer<IntentOf<'rollback'>> = (intent, context) => rollback(context, intent.id, {});

async function rollback(context: AnswerContext, id: string, options: Pick<RequestOptions, 'emergency'>): Promise<Reply> {
  const request = await changesOf(context).workflow.rollback(context.person, id, options);
  const of = request.rollbackOf ?? id;
  return personalReply(context, request, `${request.id}: rollback of ${of} on ${request.circuitName} ${waits(request)}`, {
    announce: true,
  });
}

/**
 * `emergency <change command> because <reason>`: an admin asks for the wrapped change despite a freeze or the change
 * windows. Typed only (card data never carries one); the workflow checks the admin right and records the override.
 */
export const answerEmergency: Answer<IntentOf<'emergency'>> = async (intent, context) => {
  try {
    return await emergencyChange(intent.change, intent.reason, context);
  } catch (e) {
    throw notAdmin(e, context) ?? e;
  }
};

/** The workflow's "no admin right" said as what it is here: an override only the customer's admins may make, and who they are. */
function notAdmin(e: unknown, context: AnswerContext): CodedError | undefined {
  if (!(e instanceof CodedError) || e.code !== ErrorCode.Forbidden || e.details?.right !== 'admin') return undefined;
  const customerId = typeof e.details.customerId === 'string' ? e.details.customerId : undefined;
  const customer = customerId === undefined ? undefined : context.access.customer(customerId);
  if (!customer) return undefined;
  const admins = context.access.directory.people.filter((p) => context.access.can(p, 'admin', customer.id)).map((p) => p.name);
  return new CodedError(
    ErrorCode.Forbidden,
    `An emergency override of ${customer.name}'s freeze or change windows needs the admin right on ${customer.name}, and you don't have it. Nothing was requested.`,
    {
      hint:
        admins.length > 0
          ? `Ask one of its admins (${admins.slice(0, 5).join(', ')}) to type it, or ask for the change without "emergency" once it may run.`
          : `Ask a bot admin to grant 'admin' on ${customer.id} in the directory file, or ask for the change without "emergency" once it may run.`,
      details: { right: 'admin', customerId: customer.id },
    },
  );
}

function emergencyChange(change: EmergencyChange, reason: string, context: AnswerContext): Promise<Reply> {
  const options = { emergency: reason };
  switch (change.kind) {
    case 'upgrade':
      return requestChange(
        context,
        change.circuit,
        'bandwidth',
        { bandwidth: change.bandwidth },
        { typed: commandSpec('upgrade') },
        options,
      );
    case 'peering':
    case 'filter':
    case 'route':
    case 'authorization':
      return requestChange(context, change.target, change.change, change.input, { typed: commandSpec(change.kind) }, options);
    case 'rollback':
      return rollback(context, change.id, options);
  }
}
