import { CodedError, ErrorCode } from '../../errors';
import type { ChangeRequest, ChangeState } from '../../changes/change-request';
import type { IntentOf } from '../../intents/intent';
import { changeFormCard, type FormSection } from '../../cards/change-form-card';
import { auditCard, requestsCard } from '../../cards/requests-card';
import { textReply, type Reply } from '../reply';
import { customersFor, findCircuit, type Answer, type AnswerContext, type ChangeContext } from './answer-context';
import { CIRCUIT_FORMS } from './change-forms';

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

async function requestChange(context: AnswerContext, circuitQuery: string, kind: string, input: unknown): Promise<Reply> {
  const { workflow } = changesOf(context);
  const owned = await findCircuit(context, circuitQuery, true);
  const request = await workflow.request(context.person, owned.customer.id, owned.circuit.id, kind, input);
  return personalReply(context, request, `${request.id}: ${workflow.kinds.get(kind).title} of ${request.circuitName} waits for approval`, true);
}

export const answerUpgrade: Answer<IntentOf<'upgrade'>> = (intent, context) =>
  requestChange(context, intent.circuit, 'bandwidth', { bandwidth: intent.bandwidth });

export const answerSubmitChange: Answer<IntentOf<'submit-change'>> = (intent, context) =>
  requestChange(context, intent.circuit, intent.change, intent.input);

export const answerChange: Answer<IntentOf<'change'>> = async (intent, context) => {
  const { workflow } = changesOf(context);
  const owned = await findCircuit(context, intent.circuit, true);
  context.access.requireRight(context.person, 'request', owned.customer.id);
  const sections: FormSection[] = [];
  for (const name of workflow.kinds.names()) {
    const form = CIRCUIT_FORMS[name];
    if (form) sections.push(form(owned.circuit, workflow.kinds.get(name).title));
  }
  const card = changeFormCard({ customer: { name: owned.customerName, tenantId: owned.customer.tenantId }, circuit: owned.circuit, sections });
  return { kind: 'card', card, summary: `Change ${owned.circuit.name}` };
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
  const card = requestsCard({ heading: filter.heading, requests, customerNames, hint: 'Try `requests all` or `requests mine`.' });
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
  const customers = intent.customer === undefined ? context.access.visibleCustomers(context.person) : [customerFor(context, intent.customer)];
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
      hint: `In that channel, mention the bot: \`approvals here ${customer.id}\`.`,
    });
  }
  await changes.registerApprovalsChannel(customer.id, context.who.reference);
  context.log.info({ customerId: customer.id }, 'approvals channel registered');
  return textReply(`This channel now gets ${customer.name}'s change requests for approval. Approvers see Approve and Reject here; everyone else sees the status.`);
};
