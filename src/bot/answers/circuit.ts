import type { IntentOf } from '../../intents/intent';
import { circuitCard } from '../../cards/circuit-card';
import { bandwidthCard } from '../../cards/bandwidth-card';
import { peeringsCard } from '../../cards/peerings-card';
import { cardReply } from '../reply';
import { findCircuit, header, readOptions, type Answer } from './answer-context';
import { text } from '../../cards/card-kit';
import { drillDown } from './circuits';
import { fleetHealth, liveHealth, type OwnedReport } from './fleet-health';
import { liveSources, signalSources } from './sources';

/** The detail card at once from Resource Graph and Azure Monitor, then re-read live and updated in place. */
export const answerCircuit: Answer<IntentOf<'circuit'>> = async (intent, context) => {
  const owned = await findCircuit(context, intent.circuit, intent.fresh);
  const fresh = intent.fresh ?? false;
  const [first] = await fleetHealth(context, [owned], fresh);
  const card = (report: OwnedReport, sources: string[], note?: string) => {
    const built = circuitCard({
      header: header(context, [owned.customer], [report], intent, sources),
      customerName: owned.customerName,
      circuit: report.circuit,
      verdict: report.verdict,
    });
    return note ? { ...built, body: [...built.body, text(`⚠ ${note}`, { color: 'Warning', size: 'Small' })] } : built;
  };
  return drillDown(context, {
    first: first!,
    firstCard: card(first!, [...signalSources([first!], context.clock.now()), 'Reading ARM and the routers now: this card updates in place.']),
    summary: () => `${owned.circuit.name} (${owned.customerName})`,
    live: () => liveHealth(context, owned, fresh),
    liveCard: (r) => card(r, liveSources(r)),
    failedCard: (why) => card(first!, signalSources([first!], context.clock.now()), `Could not confirm live: ${why}`),
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
