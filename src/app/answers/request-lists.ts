import type { ChangeState } from '../../changes/change-request';
import type { IntentOf } from '../../intents/intent';
import { auditCard, requestsCard } from '../../cards/requests-card';
import type { Answer } from './answer-context';
import { changesOf } from './changes-of';
import { customerFor } from './customer-for';
import { personalReply } from './personal-reply';

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
