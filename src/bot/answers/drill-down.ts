import type { AdaptiveCardJson } from '../../cards/card-kit';
import { asCodedError } from '../../errors';
import type { Reply } from '../reply';
import type { AnswerContext } from './answer-context';
import { liveHealth, type OwnedReport } from './fleet-health';
import { liveSources, signalSources } from './sources';
import type { OwnedCircuit } from './visible-circuits';

export interface DrillDownView {
  /** The card for a report, with the sources line(s) to show under its header. */
  card(report: OwnedReport, sources: string[]): AdaptiveCardJson;
  summary(report: OwnedReport): string;
}

/**
 * A first answer from Azure's batched sources, and its live confirmation (ARM and the routers) as `then`, which
 * replaces the card in place. A failed confirmation keeps the first answer and says why.
 */
export function drillDown(context: AnswerContext, owned: OwnedCircuit, first: OwnedReport, fresh: boolean, view: DrillDownView): Reply {
  const batched = () => signalSources([first], context.clock.now());
  const then = liveHealth(context, owned, fresh).then(
    (r): Reply => ({ kind: 'card', card: view.card(r, liveSources(r)), summary: view.summary(r), asOf: context.clock.now() }),
    (e: unknown): Reply => {
      const error = asCodedError(e);
      context.log.info({ code: error.code }, 'live confirmation failed');
      const card = withNote(view.card(first, batched()), `Could not confirm live: ${error.message}`);
      return { kind: 'card', card, summary: view.summary(first), asOf: context.clock.now() };
    },
  );
  const card = view.card(first, [...batched(), 'Reading ARM and the routers now: this card updates in place.']);
  return { kind: 'card', card, summary: view.summary(first), asOf: first.fetchedAt, then };
}

function withNote(card: AdaptiveCardJson, note: string): AdaptiveCardJson {
  return { ...card, body: [...card.body, { type: 'TextBlock', text: `⚠ ${note}`, wrap: true, color: 'Warning', size: 'Small' }] };
}
