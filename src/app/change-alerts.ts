import type { ExternalSignal } from '../alerts/alert-workflow';
import { outcomeMessage } from '../cards/outcome-words';
import type { ChangeEvent } from '../changes/change-events';
import type { ChangeRequest } from '../changes/change-request';
import type { ChangeStore } from '../changes/ports';

/**
 * What the change workflow tells the alerts: a failed change raises `change-failed` on its resource; a later
 * change there that succeeds resolves it.
 */
export function changeAlertSignal(event: ChangeEvent): ExternalSignal | undefined {
  if (event.type === 'verification') return verificationSignal(event.request);
  if (event.type !== 'transition' || (event.to !== 'failed' && event.to !== 'succeeded')) return undefined;
  const r = event.request;
  return {
    circuitId: r.circuitId,
    condition: 'change-failed',
    status: event.to === 'failed' ? 'firing' : 'resolved',
    evidence: event.to === 'failed' ? [`${r.id} (${r.kind}, requested by ${r.requester.name}): ${outcomeMessage(r)}`] : [],
    source: 'changes',
  };
}

/**
 * A post-change check that failed is the same alert as a failed change, through the same on-call path (the
 * customer's alerts channel); one that verified resolves it. A skipped check says nothing either way.
 */
function verificationSignal(r: ChangeRequest): ExternalSignal | undefined {
  const v = r.verification;
  if (!v || (v.status !== 'failed' && v.status !== 'verified')) return undefined;
  return {
    circuitId: r.circuitId,
    condition: 'change-failed',
    status: v.status === 'failed' ? 'firing' : 'resolved',
    evidence:
      v.status === 'failed'
        ? [
            `${r.id} (${r.kind}, requested by ${r.requester.name}) succeeded at ARM, verification failed: ${v.why ?? 'not healthy'}`,
            wayBack(r),
          ]
        : [],
    source: 'changes',
  };
}

/** What on-call can do about it: the rollback, or why there is none. */
function wayBack(r: ChangeRequest): string {
  if (!r.undo) return `No rollback recorded for ${r.id}: ask for the change that puts it back.`;
  return 'oneWay' in r.undo ? `No rollback: ${r.undo.oneWay}` : `Way back: rollback ${r.id}`;
}

/** Planned work now: each resource with a change executing (lower-case id) → what is running there. */
export async function executingChanges(store: Pick<ChangeStore, 'list'>): Promise<Map<string, string>> {
  const running = await store.list({ states: ['executing'] });
  return new Map(running.map((r) => [r.circuitId.toLowerCase(), `change ${r.id} (${r.kind}) is executing on this circuit`]));
}
