import type { AuditEntry, ChangeRequest } from '../changes/change-request';
import type { Hint } from '../command-names';
import type { AdaptiveCardJson, Cell } from './card-kit';
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
            view.requests
              .slice(0, shown)
              .map((r): Cell[] => [
                { text: r.id, weight: 'Bolder', intent: { kind: 'request', id: r.id } },
                { text: `${plain(clip(view.customerNames[r.customerId] ?? r.customerId, 30))} / ${plain(clip(r.circuitName, 50))}` },
                { text: changeText(r) },
                { text: r.state, ...(r.state === 'failed' || r.state === 'stale' ? { color: 'Attention' as const } : {}) },
                { text: plain(clip(r.requester.name, 40)) },
                { text: `${r.approvals.length}/${r.required}` },
              ]),
          )),
      ...moreNote(view.requests.length - shown, hint),
    ]);
  return fitToBudget(view.requests.length, build);
}

export interface AuditView {
  heading: string;
  entries: readonly AuditEntry[];
  customerNames: Readonly<Record<string, string>>;
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

/** The audit trail, newest first. Read-only: the card has no buttons that change anything. */
export function auditCard(view: AuditView): AdaptiveCardJson {
  const build = (shown: number) =>
    adaptiveCard([
      title(view.heading),
      text(`${view.entries.length} entr${view.entries.length === 1 ? 'y' : 'ies'}, newest first. The audit trail is append-only.`, {
        size: 'Small',
        subtle: true,
      }),
      ...(view.entries.length === 0
        ? [text('Nothing recorded yet.')]
        : table(
            [
              { title: 'When', width: 2 },
              { title: 'Request', width: 2 },
              { title: 'Who', width: 2 },
              { title: 'What', width: 2 },
              { title: 'Details', width: 5 },
            ],
            view.entries
              .slice(0, shown)
              .map((e): Cell[] => [
                { text: utcTime(e.at) },
                { text: e.requestId, intent: { kind: 'request', id: e.requestId } },
                { text: plain(clip(e.actor.name, 40)) },
                { text: `${plain(clip(e.action, 30))}${transition(e) ? ` (${transition(e)})` : ''}` },
                { text: details(e) },
              ]),
          )),
      ...moreNote(view.entries.length - shown, ['Ask for fewer, e.g. ', { say: 'audit', args: ['contoso', '20'] }, '.']),
    ]);
  return fitToBudget(view.entries.length, build);
}
