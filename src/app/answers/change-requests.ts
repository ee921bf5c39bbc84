import { CodedError, ErrorCode } from '../../errors';
import type { ChangeRequest, ChangeState } from '../../changes/change-request';
import type { IntentOf } from '../../intents/intent';
import { changeFormCard, type ChangeFormView, type FormSection } from '../../cards/change-form-card';
import { auditCard, requestsCard } from '../../cards/requests-card';
import { textReply, type Reply } from '../reply';
import { customersFor, type Answer, type AnswerContext, type ChangeContext } from './answer-context';
import { formSections } from './change-forms';
import type { FormFacts } from '../../changes/change-kind';
import { findAnyChangeTarget, findChangeTarget, targetId, type ChangeTarget } from './change-targets';
import { findCommand, type CommandSpec } from '../../intents/catalog';
import { text } from '../../cards/card-kit';
import { bandwidthLabel, circuitModel, skuLabel } from '../../cards/circuit-labels';
import { secretCard } from '../../cards/secret-card';
import { hintWords } from '../../cards/hint-words';
import type { HintPart } from '../../intents/command-names';

function changesOf(context: AnswerContext): ChangeContext {
  if (context.changes) return context.changes;
  throw new CodedError(ErrorCode.Config, 'Change requests are not switched on in this bot.', {
    hint: 'The bot was started without its change store; ask its operator.',
  });
}

/** The request as this person sees it: their buttons, and kept current once delivered (`track`). */
async function personalReply(context: AnswerContext, request: ChangeRequest, summary: string, announce = false): Promise<Reply> {
  const card = await changesOf(context).views.personalCard(request, context.person);
  return { kind: 'card', card, summary, ...(announce ? { track: { requestId: request.id, version: request.version, announce } } : {}) };
}

/** Where the request came from: a typed command (its catalog entry) or a form. */
type Origin = { typed: CommandSpec } | { form: true };

/**
 * A kind's schema complaint (already in the fields' labels), with how to say it right: the command's usage and
 * an example for a typed command, the form for a click. Rule refusals pass through unchanged.
 */
function explained(e: unknown, kind: string, origin: Origin, secretTyped: boolean, channel: boolean): unknown {
  if (!(e instanceof CodedError)) return e;
  const warning: HintPart[] = secretTyped && channel ? [...CHANNEL_SECRET_WARNING, ' '] : [];
  if (e.code !== ErrorCode.BadInput || e.details?.kind !== kind) {
    return warning.length > 0
      ? new CodedError(e.code, e.message, {
          hint: e.hintParts ? [...warning, ...e.hintParts] : CHANNEL_SECRET_WARNING,
          ...(e.details ? { details: e.details } : {}),
        })
      : e;
  }
  const how =
    'typed' in origin
      ? `Usage: \`${origin.typed.usage}\`, for example \`${origin.typed.examples[0] ?? origin.typed.usage}\`.`
      : 'Correct that field on the form and submit it again.';
  return new CodedError(ErrorCode.BadInput, e.message, { hint: [...warning, how], details: e.details ?? {} });
}

const CHANNEL_SECRET_WARNING: HintPart[] = [
  '⚠ You typed an MD5 key where others can read it: treat it as exposed and set a new one with the form (',
  { say: 'change', args: ['<circuit>'] },
  ') in a 1:1 chat with the bot.',
];
const PERSONAL_SECRET_NOTE: HintPart[] = [
  'The bot did not keep or repeat the MD5 key, but your message still holds it in this chat’s history. Next time, use the form (',
  { say: 'change', args: ['<circuit>'] },
  '): its key field is masked and never posted.',
];

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
  const channel = context.who.conversationType !== 'personal';
  let request: ChangeRequest;
  try {
    const target = await findChangeTarget(context, query, kind.target);
    request = await workflow.request(context.person, target.customer.id, targetId(target), kind.name, raw);
  } catch (e) {
    throw explained(e, kind.name, origin, secretTyped, channel);
  }
  const reply = await personalReply(context, request, `${request.id}: ${kind.title} of ${request.circuitName} waits for approval`, true);
  if (secretTyped && reply.kind === 'card') {
    const warning = text(hintWords(channel ? CHANNEL_SECRET_WARNING : PERSONAL_SECRET_NOTE), {
      color: channel ? 'Attention' : 'Warning',
      size: channel ? 'Default' : 'Small',
      weight: channel ? 'Bolder' : undefined,
    });
    reply.card = { ...reply.card, body: [warning, ...reply.card.body] };
  }
  return reply;
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

async function circuitFilters(context: AnswerContext, target: Extract<ChangeTarget, { type: 'expressRouteCircuit' }>): Promise<FormFacts> {
  try {
    return { filters: (await context.reader.listRouteFilters(target.scope, { fresh: true })).value };
  } catch (e) {
    // The attach section then says there is nothing to attach; the rest of the form still works.
    context.log.info({ err: e instanceof Error ? e.message : String(e) }, 'could not list route filters for the change form');
    return {};
  }
}

const FORM_NOTE =
  'An MD5 key typed into this form is masked and goes only to the bot: it is never shown, logged or stored with the request.';

export const answerChange: Answer<IntentOf<'change'>> = async (intent, context) => {
  const { workflow } = changesOf(context);
  const target = await findAnyChangeTarget(context, intent.circuit);
  context.access.requireRight(context.person, 'request', target.customer.id);
  const sections: FormSection[] = [];
  let subject: ChangeFormView['subject'];
  if (target.type === 'expressRouteCircuit') {
    const c = target.circuit;
    const facts = await circuitFilters(context, target);
    for (const name of workflow.kinds.names()) sections.push(...formSections(workflow.kinds.get(name), { circuit: c }, facts));
    subject = {
      id: c.id,
      name: c.name,
      facts: [
        ['Now', `${bandwidthLabel(c)} · ${skuLabel(c)}`],
        ['Where', circuitModel(c)],
        ['State', `${c.provisioningState} · provider ${c.serviceProviderProvisioningState}`],
        ['Peerings', c.peerings.map((p) => `${p.name} (${p.state ?? 'Enabled'})`).join(', ') || 'none'],
      ],
    };
  } else if (target.type === 'routeTable') {
    const t = target.table;
    for (const name of workflow.kinds.names()) sections.push(...formSections(workflow.kinds.get(name), { routeTable: t }, {}));
    subject = {
      id: t.id,
      name: t.name,
      facts: [
        ['Route table', `${t.name} · ${t.resourceGroup} · ${t.location}`],
        ['Routes', String(t.routes.length)],
        ['Subnets', String(t.subnetIds.length)],
      ],
    };
  } else {
    const f = target.filter;
    for (const name of workflow.kinds.names()) sections.push(...formSections(workflow.kinds.get(name), { routeFilter: f }, {}));
    subject = {
      id: f.id,
      name: f.name,
      facts: [
        ['Route filter', `${f.name} · ${f.resourceGroup} · ${f.location}`],
        ['Attached to', `${f.peeringIds.length} peering(s)`],
      ],
    };
  }
  const card = changeFormCard({
    customer: { name: target.customerName, tenantId: target.customer.tenantId },
    subject,
    sections,
    ...(target.type === 'expressRouteCircuit' ? { note: FORM_NOTE } : {}),
  });
  return { kind: 'card', card, summary: `Change ${subject.name}` };
};

/**
 * `key <id>` and the request card's Show key: the authorization key of the person's own succeeded request,
 * read from Azure at that moment, shown in their 1:1 chat only. Never in a channel or a group chat, never
 * to anyone else, never kept. Only while the person still may request changes for the customer, and only if
 * the authorization is still the one the request created (not revoked and re-created under its name).
 */
export const answerKey: Answer<IntentOf<'key'>> = async (intent, context) => {
  const changes = changesOf(context);
  const privateChat = context.who.conversationType === 'personal';
  const { request, label, secret } = await changes.workflow.revealKey(context.person, intent.id, { privateChat }, changes.secrets);
  context.log.info({ requestId: request.id }, 'authorization key shown to its requester');
  return { kind: 'card', card: secretCard({ request, label, secret }), summary: `The key of ${request.id}` };
};

const FILTERS: Record<'pending' | 'mine' | 'all', { heading: string; states?: ChangeState[]; mine?: boolean }> = {
  pending: { heading: 'Pending change requests', states: ['pending'] },
  mine: { heading: 'Change requests you asked for', mine: true },
  all: { heading: 'All change requests' },
};

export const answerRequests: Answer<IntentOf<'requests'>> = async (intent, context) => {
  const { workflow } = changesOf(context);
  const filter = FILTERS[intent.filter ?? 'pending'];
  const requests = await workflow.list(context.person, {
    ...(filter.states ? { states: filter.states } : {}),
    ...(filter.mine ? { mine: true } : {}),
    limit: 100,
  });
  const customerNames = Object.fromEntries(context.access.visibleCustomers(context.person).map((c) => [c.id, c.name]));
  const card = requestsCard({
    heading: filter.heading,
    requests,
    customerNames,
    hint: ['Try ', { say: 'requests', args: ['all'] }, ' or ', { say: 'requests', args: ['mine'] }, '.'],
  });
  return { kind: 'card', card, summary: `${requests.length} change requests` };
};

export const answerRequest: Answer<IntentOf<'request'>> = async (intent, context) => {
  const request = await changesOf(context).workflow.get(context.person, intent.id);
  return personalReply(context, request, `${request.id}: ${request.state}`);
};

export const answerApprove: Answer<IntentOf<'approve'>> = async (intent, context) => {
  const changes = changesOf(context);
  const result = await changes.workflow.approve(context.person, intent.id);
  if (result.execution) changes.runInBackground('execute-change', result.execution);
  const r = result.request;
  const summary = result.decisive ? `${r.id} approved: running in Azure` : `${r.id}: ${r.approvals.length}/${r.required} approvals`;
  return personalReply(context, r, summary);
};

export const answerReject: Answer<IntentOf<'reject'>> = async (intent, context) => {
  const request = await changesOf(context).workflow.reject(context.person, intent.id, intent.reason);
  return personalReply(context, request, `${request.id} rejected`);
};

export const answerCancel: Answer<IntentOf<'cancel'>> = async (intent, context) => {
  const request = await changesOf(context).workflow.cancel(context.person, intent.id);
  return personalReply(context, request, `${request.id} cancelled`);
};

export const answerAudit: Answer<IntentOf<'audit'>> = async (intent, context) => {
  const { workflow } = changesOf(context);
  const customers =
    intent.customer === undefined ? context.access.visibleCustomers(context.person) : [customerFor(context, intent.customer)];
  const entries = await workflow.audit(context.person, {
    ...(intent.customer !== undefined && customers[0] ? { customerId: customers[0].id } : {}),
    limit: intent.count ?? 20,
  });
  const heading = customers.length === 1 && customers[0] ? `Audit trail: ${customers[0].name}` : 'Audit trail';
  const customerNames = Object.fromEntries(customers.map((c) => [c.id, c.name]));
  return { kind: 'card', card: auditCard({ heading, entries, customerNames }), summary: `${entries.length} audit entries` };
};

/** `audit <customer>` resolves among the customers the person can see at all (approvers may lack view). */
function customerFor(context: AnswerContext, query: string) {
  const visible = context.access.visibleCustomers(context.person);
  if (visible.length === 0) return customersFor(context, query)[0]!;
  const q = query.trim().toLowerCase();
  const found = visible.find((c) => c.id === q || c.name.toLowerCase() === q);
  return found ?? customersFor(context, query)[0]!;
}

export const answerApprovalsChannel: Answer<IntentOf<'approvals-channel'>> = async (intent, context) => {
  const changes = changesOf(context);
  const customer = customerFor(context, intent.customer);
  context.access.requireRight(context.person, 'admin', customer.id, 'that customer');
  if (context.who.conversationType !== 'channel' || !context.who.reference) {
    throw new CodedError(ErrorCode.BadInput, 'Run this in the Teams channel that should get the approval cards, not here.', {
      hint: ['In that channel, mention the bot: ', { say: 'approvals', args: ['here', customer.id] }, '.'],
    });
  }
  await changes.registerApprovalsChannel(customer.id, context.who.reference);
  context.log.info({ customerId: customer.id }, 'approvals channel registered');
  return textReply(
    `This channel now gets ${customer.name}'s change requests for approval. Approvers see Approve and Reject here; everyone else sees the status.`,
  );
};
