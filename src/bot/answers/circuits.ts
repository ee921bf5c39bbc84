import type { IntentOf } from '../../intents/intent';
import { circuitsCard } from '../../cards/circuits-card';
import { fleetStatusCard, circuitStatusCard } from '../../cards/status-card';
import { resolveTarget } from '../../directory/resolve-circuit';
import { cardReply } from '../reply';
import { customersFor, header, type Answer, type AnswerContext } from './answer-context';
import { fleetHealth } from './fleet-health';
import { visibleCircuits, type VisibleCircuits } from './visible-circuits';
import type { AdaptiveCardJson } from '../../cards/card-kit';

export const answerCircuits: Answer<IntentOf<'circuits'>> = async (intent, context) => {
  const customers = customersFor(context, intent.customer);
  const fresh = intent.fresh ?? false;
  const visible = await visibleCircuits(context, context.person, { customers, fresh });
  const reports = await fleetHealth(context, visible.circuits, fresh);
  const byName = [...reports].sort(
    (a, b) => a.owned.customerName.localeCompare(b.owned.customerName) || a.circuit.name.localeCompare(b.circuit.name),
  );
  const card = circuitsCard({
    header: header(context, customers, reports.length > 0 ? reports : visible.circuits, intent),
    rows: byName.map((r) => ({ customerName: r.owned.customerName, circuit: r.circuit, health: r.verdict.level })),
  });
  return cardReply(withFailures(card, visible), `${reports.length} circuits`);
};

export const answerStatus: Answer<IntentOf<'status'>> = async (intent, context) => {
  const fresh = intent.fresh ?? false;
  const customersVisible = context.access.customersWith(context.person, 'view');
  let customers = customersFor(context, undefined);
  let visible = await visibleCircuits(context, context.person, { customers, fresh });
  if (intent.target) {
    const target = resolveTarget(intent.target, customersVisible, visible.circuits);
    if (target.kind === 'circuit') {
      const [report] = await fleetHealth(context, [target.circuit], fresh);
      const card = circuitStatusCard({
        header: header(context, [target.circuit.customer], [report!], intent),
        customerName: target.circuit.customerName,
        report: report!,
      });
      return cardReply(card, `${target.circuit.circuit.name}: ${report!.verdict.level}`);
    }
    customers = [target.customer];
    visible = {
      circuits: visible.circuits.filter((c) => c.customerId === target.customer.id),
      failures: visible.failures.filter((f) => f.customer.id === target.customer.id),
    };
  }
  const reports = await fleetHealth(context, visible.circuits, fresh);
  const card = fleetStatusCard({
    header: header(context, customers, reports.length > 0 ? reports : visible.circuits, intent),
    rows: reports.map((r) => ({
      customerName: r.owned.customerName,
      circuitId: r.circuit.id,
      circuitName: r.circuit.name,
      verdict: r.verdict,
    })),
  });
  const counts = ['red', 'amber', 'unknown'].map((l) => `${reports.filter((r) => r.verdict.level === l).length} ${l}`);
  return cardReply(withFailures(card, visible), `${reports.length} circuits: ${counts.join(', ')}`);
};

/** Subscriptions that could not be listed are named on the card: a missing circuit must never look healthy. */
export function withFailures(card: AdaptiveCardJson, visible: VisibleCircuits): AdaptiveCardJson {
  if (visible.failures.length === 0) return card;
  const lines = visible.failures
    .slice(0, 5)
    .map((f) => `${f.customer.name}, subscription ${f.subscriptionId}: ${f.error.message}${f.error.hint ? ` ${f.error.hint}` : ''}`);
  return {
    ...card,
    body: [
      ...card.body,
      {
        type: 'TextBlock',
        text: `⚠ Could not read ${visible.failures.length} subscription(s); their circuits are missing above:\n\n- ${lines.join('\n- ')}`,
        wrap: true,
        color: 'Attention',
      },
    ],
  };
}

export type { AnswerContext };
