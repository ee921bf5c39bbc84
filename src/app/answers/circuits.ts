import type { IntentOf } from '../../intents/intent';
import { circuitsCard } from '../../cards/circuits-card';
import { fleetStatusCard, circuitStatusCard } from '../../cards/status-card';
import { resolveTarget } from '../../directory/resolve-circuit';
import { cardReply, type Reply } from '../reply';
import { customersFor, header, type Answer, type AnswerContext } from './answer-context';
import { drillDown } from './drill-down';
import { fleetHealth } from './fleet-health';
import { signalSources } from './sources';
import { customersForName, visibleInventory, type OwnedCircuit, type VisibleCircuits } from './visible-circuits';
import type { AdaptiveCardJson } from '../../cards/card-kit';

export const answerCircuits: Answer<IntentOf<'circuits'>> = async (intent, context) => {
  const customers = customersFor(context, intent.customer);
  const fresh = intent.fresh ?? false;
  const visible = await visibleInventory(context, context.person, { customers, fresh });
  const reports = await fleetHealth(context, visible.circuits, { fresh });
  const byName = [...reports].sort(
    (a, b) => a.owned.customerName.localeCompare(b.owned.customerName) || a.circuit.name.localeCompare(b.circuit.name),
  );
  const now = context.clock.now();
  const card = circuitsCard({
    header: header(context, customers, reports.length > 0 ? reports : visible.stamps, intent, signalSources(reports, now)),
    rows: byName.map((r) => ({ customerName: r.owned.customerName, circuit: r.circuit, health: r.verdict.level })),
  });
  return cardReply(withFailures(card, visible), `${reports.length} circuits`);
};

export const answerStatus: Answer<IntentOf<'status'>> = async (intent, context) => {
  const fresh = intent.fresh ?? false;
  const customersVisible = context.access.customersWith(context.person, 'view');
  let customers = customersFor(context, undefined);
  // A qualified circuit (customer/name, ARM id) needs only its own tenant's inventory.
  const inventory = await visibleInventory(context, context.person, {
    customers: intent.target ? customersForName(intent.target, customers) : customers,
    fresh,
  });
  let visible: VisibleCircuits = inventory;
  if (intent.target) {
    const target = resolveTarget(intent.target, customersVisible, inventory.circuits);
    if (target.kind === 'circuit') return circuitStatus(intent, context, target.circuit);
    customers = [target.customer];
    visible = {
      circuits: inventory.circuits.filter((c) => c.customerId === target.customer.id),
      failures: inventory.failures.filter((f) => f.customer.id === target.customer.id),
    };
  }
  const reports = await fleetHealth(context, visible.circuits, { fresh });
  const now = context.clock.now();
  const card = fleetStatusCard({
    header: header(context, customers, reports.length > 0 ? reports : inventory.stamps, intent, signalSources(reports, now)),
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

/**
 * `status <circuit>`: at once from Azure Monitor (the same verdict the fleet view gives), then live from the
 * routers, the card updated in place.
 */
async function circuitStatus(intent: IntentOf<'status'>, context: AnswerContext, owned: OwnedCircuit): Promise<Reply> {
  const fresh = intent.fresh ?? false;
  return drillDown(context, owned, fresh, {
    card: (report, sources) =>
      circuitStatusCard({
        header: header(context, [owned.customer], [report], intent, sources),
        customerName: owned.customerName,
        report,
      }),
    summary: (r) => `${owned.circuit.name}: ${r.verdict.level}`,
  });
}

/** Subscriptions that could not be listed are named on the card: a missing circuit must never look healthy. */
export function withFailures(card: AdaptiveCardJson, visible: VisibleCircuits): AdaptiveCardJson {
  if (visible.failures.length === 0) return card;
  const subscriptions = visible.failures.reduce((n, f) => n + f.subscriptionId.split(', ').length, 0);
  const lines = visible.failures
    .slice(0, 5)
    .map((f) => `${f.customer.name}, subscription ${f.subscriptionId}: ${f.error.message}${f.error.hint ? ` ${f.error.hint}` : ''}`);
  return {
    ...card,
    body: [
      ...card.body,
      {
        type: 'TextBlock',
        text: `⚠ Could not read ${subscriptions} subscription(s); their circuits are missing above:\n\n- ${lines.join('\n- ')}`,
        wrap: true,
        color: 'Attention',
      },
    ],
  };
}

export type { AnswerContext };
