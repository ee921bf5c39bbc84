import type { AdaptiveCardJson } from '../../cards/card-kit';
import { asCodedError } from '../../errors';
import type { Reply } from '../reply';
import type { AnswerContext } from './answer-context';
import { fleetHealth, liveHealth, type OwnedReport } from './fleet-health';
import { liveSources, signalSources } from './sources';
import type { OwnedCircuit } from './visible-circuits';

export interface DrillDownView {
  /** The card for a report, with the sources line(s) to show under its header. */
  card(report: OwnedReport, sources: string[]): AdaptiveCardJson;
  summary(report: OwnedReport): string;
}

/** How long a first answer waits for the live check in case the routers' answers are already in the read cache. */
const LIVE_GRACE_MS = 25;

type Settled = { ok: true; report: OwnedReport } | { ok: false; error: unknown };

/**
 * One circuit: the live check (ARM and the routers) starts at once. If it is done within a moment (its reads
 * were cached), that is the answer, and Azure Monitor is not asked. Otherwise the first answer comes from Azure's batched
 * sources and the live one replaces it in place (`then`); a failed live check keeps the first answer and says why.
 */
export async function drillDown(context: AnswerContext, owned: OwnedCircuit, fresh: boolean, view: DrillDownView): Promise<Reply> {
  const live: Promise<Settled> = liveHealth(context, owned, fresh).then(
    (report) => ({ ok: true, report }),
    (error: unknown) => ({ ok: false, error }),
  );
  const early = await settledWithin(live, LIVE_GRACE_MS, context);
  if (early?.ok) return settleLive(context, view, early.report);
  const [first] = await fleetHealth(context, [owned], { fresh });
  const batched = () => signalSources([first!], context.clock.now());
  const settle = (s: Settled): Reply => {
    if (s.ok) return settleLive(context, view, s.report);
    const error = asCodedError(s.error);
    context.log.info({ code: error.code }, 'live confirmation failed');
    const card = withNote(view.card(first!, batched()), `Could not confirm live: ${error.message}`);
    return { kind: 'card', card, summary: view.summary(first!), asOf: context.clock.now() };
  };
  const card = view.card(first!, [...batched(), 'Reading ARM and the routers now: this card updates in place.']);
  return { kind: 'card', card, summary: view.summary(first!), asOf: first!.fetchedAt, then: live.then(settle) };
}

function settleLive(context: AnswerContext, view: DrillDownView, report: OwnedReport): Reply {
  return { kind: 'card', card: view.card(report, liveSources(report)), summary: view.summary(report), asOf: context.clock.now() };
}

/** The live check's outcome if it is ready within `ms` (its reads were cached), else undefined. */
async function settledWithin(live: Promise<Settled>, ms: number, context: AnswerContext): Promise<Settled | undefined> {
  const timer = new AbortController();
  try {
    return await Promise.race([
      live,
      context.clock.sleep(ms, timer.signal).then(
        () => undefined,
        () => undefined,
      ),
    ]);
  } finally {
    timer.abort();
  }
}

function withNote(card: AdaptiveCardJson, note: string): AdaptiveCardJson {
  return { ...card, body: [...card.body, { type: 'TextBlock', text: `⚠ ${note}`, wrap: true, color: 'Warning', size: 'Small' }] };
}
