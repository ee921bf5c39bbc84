import { awaitsCustomerSide } from '../changes/approval-rule';
import type { AuditEntry, ChangeRequest } from '../changes/change-request';
import type { Hint } from '../command-names';
import type { AdaptiveCardJson, CardElement, Cell } from './card-kit';
import { adaptiveCard, clip, fitToBudget, moreNote, plain, table, text, title } from './card-kit';
import { hintWords } from './hint-words';
import { outcomeMessage } from './outcome-words';
import { utcTime } from './time-words';

export interface RequestsView {
  /** e.g. "Pending change requests". */
  heading: string;
  requests: readonly ChangeRequest[];
  /** Customer id → name, for the customer column. */
  customerNames: Readonly<Record<string, string>>;
  /** What to type for other lists, shown when the list is empty or cut. */
  hint: Hint;
}

function changeText(r: ChangeRequest): string {
  const diff = Object.entries(r.plan.diff).map(([label, [before, after]]) => `${label} ${before} → ${after}`);
  return plain(clip(diff.join('; ') || r.kind, 80));
}

/** The state, and what a reader must not miss: a change that waits to run, or one whose check after it failed. */
function stateCell(r: ChangeRequest): Cell {
  if (r.state === 'approved' && r.schedule) return { text: `approved, waits (${r.schedule.because})` };
  if (r.state === 'succeeded' && r.verification?.status === 'failed') return { text: 'succeeded, verification failed', color: 'Attention' };
  if (r.state === 'succeeded' && r.verification?.status === 'verifying') return { text: 'succeeded, verifying' };
  return { text: r.state, ...(r.state === 'failed' || r.state === 'stale' ? { color: 'Attention' as const } : {}) };
}

/** A list of change requests; each id opens the request's card. */
export function requestsCard(view: RequestsView): AdaptiveCardJson {
  const hint = hintWords(view.hint);
  const build = (shown: number) =>
    adaptiveCard([
      title(view.heading),
      text(`${view.requests.length} request${view.requests.length === 1 ? '' : 's'}. Select an id for its card.`, {
        size: 'Small',
        subtle: true,
      }),
      ...(view.requests.length === 0
        ? [text(`None. ${hint}`)]
        : table(
            [
              { title: 'Request', width: 2 },
              { title: 'Circuit', width: 3 },
              { title: 'Change', width: 4 },
              { title: 'State', width: 2 },
              { title: 'Requested by', width: 2 },
              { title: 'Approvals', width: 1 },
            ],
            view.requests.slice(0, shown).map((r): Cell[] => [
              { text: r.id, weight: 'Bolder', intent: { kind: 'request', id: r.id } },
              { text: `${plain(clip(view.customerNames[r.customerId] ?? r.customerId, 30))} / ${plain(clip(r.circuitName, 50))}` },
              { text: changeText(r) },
              stateCell(r),
              { text: plain(clip(r.requester.name, 40)) },
              // Connect-To: the count alone does not say that the customer's side has yet to approve.
              { text: `${r.approvals.length}/${r.required}${r.state === 'pending' && awaitsCustomerSide(r) ? ' + customer side' : ''}` },
            ]),
          )),
      ...moreNote(view.requests.length - shown, hint),
    ]);
  return fitToBudget(view.requests.length, build);
}

export interface AuditView {
  heading: string;
  /** In the order they were appended (oldest first), as the store returns them; the card shows them newest first. */
  entries: readonly AuditEntry[];
  customerNames: Readonly<Record<string, string>>;
}

/**
 * The audit actions of issue 13 in words, with the colour a reader should notice them by. They change no state
 * (a wait, a check's verdict, an override, a rollback asked for), so they show no transition.
 */
const ACTION_WORDS: Readonly<Record<string, { words: string; color?: 'Attention' | 'Warning' | 'Good' }>> = {
  waiting: { words: 'waits to run' },
  verified: { words: 'verified', color: 'Good' },
  'verification-failed': { words: 'verification failed', color: 'Attention' },
  'verification-skipped': { words: 'not verified' },
  'emergency-override': { words: 'emergency override', color: 'Warning' },
  'rollback-requested': { words: 'rollback requested', color: 'Warning' },
};

/** The "What" cell: the action in words, and the transition it made. */
function whatCell(e: AuditEntry): Cell {
  const worded = ACTION_WORDS[e.action];
  if (worded) return { text: worded.words, ...(worded.color ? { color: worded.color } : {}) };
  return { text: `${plain(clip(e.action, 30))}${transition(e) ? ` (${transition(e)})` : ''}` };
}

function transition(e: AuditEntry): string {
  if (e.from && e.to && e.from !== e.to) return `${e.from} → ${e.to}`;
  return e.to ?? '';
}

function details(e: AuditEntry): string {
  const parts: string[] = [];
  if (e.before && e.after) {
    for (const [k, after] of Object.entries(e.after)) {
      const before = e.before[k];
      parts.push(before !== undefined ? `${k}: ${before} → ${after}` : `${k}: ${after}`);
    }
  } else if (e.after) parts.push(...Object.entries(e.after).map(([k, v]) => `${k}: ${v}`));
  // An execution's end is kept as facts and worded like the request card; other entries carry their words.
  if (e.result) parts.push(outcomeMessage({ state: e.to ?? 'failed', circuitName: 'The circuit', outcome: e.result }));
  else if (e.outcome) parts.push(e.outcome);
  if (e.correlationId) parts.push(`correlation ${e.correlationId}`);
  return plain(clip(parts.join('; '), 200));
}

/**
 * The audit trail, newest first. Read-only: the card has no buttons that change anything. When the card would
 * be too big, the oldest rows are left out, and it says how many.
 */
export function auditCard(view: AuditView): AdaptiveCardJson {
  const newestFirst = [...view.entries].reverse();
  const count = newestFirst.length;
  const build = (shown: number) =>
    adaptiveCard([
      title(view.heading),
      text(`${entries(count)}, newest first. The audit trail is append-only.`, { size: 'Small', subtle: true }),
      ...(count === 0
        ? [text('Nothing recorded yet.')]
        : table(
            [
              { title: 'When', width: 2 },
              { title: 'Request', width: 2 },
              { title: 'Who', width: 2 },
              { title: 'What', width: 2 },
              { title: 'Details', width: 5 },
            ],
            newestFirst
              .slice(0, shown)
              .map((e): Cell[] => [
                { text: utcTime(e.at) },
                { text: e.requestId, intent: { kind: 'request', id: e.requestId } },
                { text: plain(clip(e.actor.name, 40)) },
                whatCell(e),
                { text: details(e) },
              ]),
          )),
      ...olderLeftOut(count - shown),
    ]);
  return fitToBudget(count, build);
}

function entries(n: number): string {
  return `${n} entr${n === 1 ? 'y' : 'ies'}`;
}

/** Under the newest rows: how many older ones did not fit. */
function olderLeftOut(hidden: number): CardElement[] {
  if (hidden <= 0) return [];
  const how = hintWords(['Ask for one customer, or fewer entries, e.g. ', { say: 'audit', args: ['contoso', '20'] }, '.']);
  const older = `${hidden} older entr${hidden === 1 ? 'y' : 'ies'}`;
  return [text(`${older} left out: they did not fit on the card. ${how}`, { size: 'Small', subtle: true })];
}
