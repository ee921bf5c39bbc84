import type { Alert } from '../../alerts/alert';
import { parseSilenceDuration } from '../../alerts/silence-duration';
import { sortWorstFirst, type AckOutcome } from '../../alerts/alert-workflow';
import { ALERT_RETENTION_DAYS } from '../../alerts/alert-lifecycle';
import { alertCard, alertSummary } from '../../cards/alert-card';
import { alertsCard, silencesCard, type AlertsView } from '../../cards/alerts-card';
import { hintWords } from '../../cards/hint-words';
import { utcTime } from '../../cards/time-words';
import { CodedError, ErrorCode } from '../../errors';
import type { Customer } from '../../directory/directory';
import type { IntentOf } from '../../intents/intent';
import { looksLikeArmId } from '../../network/arm-id';
import { cardReply, textReply, type Reply } from '../reply';
import { type AlertContext, type Answer, type AnswerContext, customersFor, findCircuit, header } from './answer-context';
import { registerChannel } from './approvals-channel';

function alertsOf(context: AnswerContext): AlertContext {
  if (context.alerts) return context.alerts;
  throw new CodedError(ErrorCode.Config, 'Alerts are not switched on in this bot.', {
    hint: 'The bot was started without its alert store; ask its operator.',
  });
}

function customerNames(customers: readonly Customer[]): Record<string, string> {
  return Object.fromEntries(customers.map((c) => [c.id, c.name]));
}

/** `alerts [customer] [open|all]`, and `alerts here <customer>` in a channel. */
export const answerAlerts: Answer<IntentOf<'alerts'>> = async (intent, context) => {
  const alerts = alertsOf(context);
  if (intent.here) {
    const { customer, reference } = await registerChannel(context, intent.customer ?? '', 'alert cards', (id) => ({
      say: 'alerts',
      args: ['here', id],
    }));
    await alerts.registerAlertsChannel(customer.id, reference);
    context.log.info({ customerId: customer.id }, 'alerts channel registered');
    return textReply(
      `This channel now gets ${customer.name}'s alert cards: what broke, the evidence and the next step, with Acknowledge, Silence 1h ` +
        `and Open circuit; each card is kept current in place. It is also linked to ${customer.name}: it may show its data.`,
    );
  }
  const customers = customersFor(context, intent.customer);
  const all = intent.filter === 'all';
  const { alerts: newest, total } = await alerts.workflow.list(context.person, customers, { all });
  const found = sortWorstFirst(newest);
  const one = intent.customer === undefined ? undefined : customers[0];
  const view: AlertsView = {
    header: header(context, customers, [], intent),
    heading: all ? 'Alerts, open and resolved' : 'Open alerts',
    alerts: found,
    total,
    customerNames: customerNames(customers),
    now: context.clock.now(),
    hint: all
      ? one
        ? [`Resolved alerts are kept for ${ALERT_RETENTION_DAYS} days. `, { say: 'alerts', args: [one.id] }, ' lists the open ones.']
        : [`Resolved alerts are kept for ${ALERT_RETENTION_DAYS} days. `, { say: 'alerts' }, ' lists the open ones.']
      : one
        ? [{ say: 'alerts', args: [one.id, 'all'] }, ' adds the resolved ones.']
        : [{ say: 'alerts', args: ['all'] }, ' adds the resolved ones.'],
  };
  return cardReply(alertsCard(view), `${total} ${all ? '' : 'open '}alert${total === 1 ? '' : 's'}`);
};

const ACK_NOTICE: Record<AckOutcome, (a: Alert) => string> = {
  acknowledged: (a) => `You acknowledged ${a.id}: you are on it, and it is not escalated.`,
  'already-acknowledged': (a) => `${a.id} was already acknowledged by ${a.acknowledged?.by.name ?? 'someone'}.`,
  resolved: (a) => `${a.id} has resolved already.`,
};

/** The card an alert is on, as everyone sees it, with a line for the person who asked. */
async function groupReply(context: AnswerContext, alert: Alert, notice: string): Promise<Reply> {
  const { workflow } = alertsOf(context);
  const customer = context.access.customer(alert.customerId);
  const group = alert.groupId ? await workflow.group(alert.customerId, alert.groupId) : [alert];
  const view = {
    customer: { id: alert.customerId, name: customer?.name ?? alert.customerId },
    alerts: group.length > 0 ? group : [alert],
    now: context.clock.now(),
    flapWindowMs: workflow.policy.flapWindowMs,
    notice,
  };
  return cardReply(alertCard(view), alertSummary(view));
}

/** `ack <id>` and the card's Acknowledge. */
export const answerAck: Answer<IntentOf<'ack'>> = async (intent, context) => {
  const { alert, outcome } = await alertsOf(context).workflow.acknowledge(intent.id.toUpperCase(), context.person);
  return groupReply(context, alert, ACK_NOTICE[outcome](alert));
};

/** A customer by its exact id, or else a circuit: what `silence` silences. */
async function silenceTarget(
  context: AnswerContext,
  query: string,
): Promise<{ customer: Customer; circuitId?: string; circuitName?: string }> {
  const q = query.trim();
  if (!q.includes('/') && !looksLikeArmId(q)) {
    const customer = context.access.visibleCustomers(context.person).find((c) => c.id === q.toLowerCase());
    if (customer) return { customer };
  }
  const owned = await findCircuit(context, q);
  return { customer: owned.customer, circuitId: owned.circuit.id, circuitName: owned.circuit.name };
}

/** `silence <circuit|customer> <duration> <reason>` and the card's Silence 1h. */
export const answerSilence: Answer<IntentOf<'silence'>> = async (intent, context) => {
  const { workflow } = alertsOf(context);
  const target = await silenceTarget(context, intent.target);
  const durationMs = parseSilenceDuration(intent.duration) ?? 0;
  const silence = await workflow.silence(context.person, target, durationMs, intent.reason);
  const what = target.circuitName ? `${target.circuitName} (${target.customer.name})` : `every circuit of ${target.customer.name}`;
  return textReply(
    `Silenced ${what} until ${utcTime(silence.endsAt)} (${silence.id}): its alerts are recorded, not posted. ` +
      hintWords([{ say: 'unsilence', args: [silence.id] }, ' ends it early.']),
  );
};

/** `silences`. */
export const answerSilences: Answer<IntentOf<'silences'>> = async (intent, context) => {
  const silences = await alertsOf(context).workflow.silences(context.person);
  const customers = context.access.customersWith(context.person, 'view');
  return cardReply(
    silencesCard({ header: header(context, customers, [], intent), silences, customerNames: customerNames(customers) }),
    `${silences.length} silence${silences.length === 1 ? '' : 's'} in force`,
  );
};

/** `unsilence <id>`. */
export const answerUnsilence: Answer<IntentOf<'unsilence'>> = async (intent, context) => {
  const silence = await alertsOf(context).workflow.unsilence(intent.id.toUpperCase(), context.person);
  return textReply(`Silence ${silence.id} has ended: alerts it held back that are still firing are posted now.`);
};
