import type { IntentOf } from '../../intents/intent';
import { circuitCard } from '../../cards/circuit-card';
import { bandwidthCard } from '../../cards/bandwidth-card';
import { peeringsCard } from '../../cards/peerings-card';
import { cardReply } from '../reply';
import { findCircuit, header, readOptions, type Answer } from './answer-context';
import { drillDown } from './drill-down';

/** The detail card at once from Resource Graph and Azure Monitor, then re-read live and updated in place. */
export const answerCircuit: Answer<IntentOf<'circuit'>> = async (intent, context) => {
  const owned = await findCircuit(context, intent.circuit, intent.fresh);
  const fresh = intent.fresh ?? false;
  return drillDown(context, owned, fresh, {
    card: (report, sources) =>
      circuitCard({
        header: header(context, [owned.customer], [report], intent, sources),
        customerName: owned.customerName,
        model: owned.customer.model,
        circuit: report.circuit,
        verdict: report.verdict,
      }),
    summary: () => `${owned.circuit.name} (${owned.customerName})`,
  });
};

export const answerBandwidth: Answer<IntentOf<'bandwidth'>> = async (intent, context) => {
  const owned = await findCircuit(context, intent.circuit, intent.fresh);
  const usage = await context.reader.getBandwidthUsage(owned.scope, owned.circuit.id, 60 * 60 * 1000, readOptions(intent));
  const card = bandwidthCard({
    header: header(context, [owned.customer], [owned, usage], intent),
    customerName: owned.customerName,
    circuit: owned.circuit,
    usage: usage.value,
  });
  return cardReply(card, `Bandwidth of ${owned.circuit.name}`);
};

export const answerPeerings: Answer<IntentOf<'peerings'>> = async (intent, context) => {
  const owned = await findCircuit(context, intent.circuit, intent.fresh);
  const card = peeringsCard({ header: header(context, [owned.customer], [owned], intent), circuit: owned.circuit });
  return cardReply(card, `Peerings of ${owned.circuit.name}`);
};
