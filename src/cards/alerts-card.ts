import type { Alert, Silence } from '../alerts/alert';
import type { Hint } from '../command-names';
import type { AdaptiveCardJson, Cell } from './card-kit';
import { adaptiveCard, clip, fitToBudget, moreNote, plain, table, text } from './card-kit';
import { alertIcon, alertPlace, alertStateWords, alertTitle, SEVERITY_STYLE } from './alert-words';
import { dataHeader, type DataHeader } from './header';
import { hintWords } from './hint-words';
import { utcTime } from './time-words';

export interface AlertsView {
  header: DataHeader;
  heading: string;
  /** Worst and newest first. */
  alerts: readonly Alert[];
  /** How many there are in all, when `alerts` is only the newest of them. */
  total?: number;
  customerNames: Readonly<Record<string, string>>;
  now: number;
  /** Shown when the list is empty or cut: what else to ask for. */
  hint: Hint;
}

/** Alerts, worst and newest first: what fired, where, when, and where it stands. */
export function alertsCard(view: AlertsView): AdaptiveCardJson {
  const hint = hintWords(view.hint);
  const build = (shown: number) =>
    adaptiveCard([
      ...dataHeader(view.heading, view.header),
      ...(view.alerts.length === 0
        ? [text(`No alerts. ${hint}`)]
        : table(
            [
              { title: 'Alert', width: 2 },
              { title: 'What', width: 4 },
              { title: 'Customer · circuit', width: 4 },
              { title: 'Since', width: 2 },
              { title: 'Where it stands', width: 3 },
            ],
            view.alerts
              .slice(0, shown)
              .map((a): Cell[] => [
                { text: `${alertIcon(a)} ${a.id}`, weight: 'Bolder' },
                { text: plain(clip(alertTitle(a), 80)), ...(a.state === 'firing' ? { color: SEVERITY_STYLE[a.severity].color } : {}) },
                { text: `${plain(clip(view.customerNames[a.customerId] ?? a.customerId, 30))} · ${plain(clip(alertPlace(a), 80))}` },
                { text: utcTime(a.firedAt ?? a.createdAt) },
                { text: plain(clip(alertStateWords(a, view.now), 80)) },
              ]),
          )),
      ...moreNote(Math.max(view.total ?? 0, view.alerts.length) - shown, hint),
    ]);
  return fitToBudget(view.alerts.length, build);
}

export interface SilencesView {
  header: DataHeader;
  silences: readonly Silence[];
  customerNames: Readonly<Record<string, string>>;
}

/** The silences in force, soonest to end first. */
export function silencesCard(view: SilencesView): AdaptiveCardJson {
  const none = hintWords(['None. ', { say: 'silence', args: ['<circuit|customer>', '<duration>', '<reason>'] }, ' makes one.']);
  const end = hintWords(['', { say: 'unsilence', args: ['<id>'] }, ' ends one early.']);
  const build = (shown: number) =>
    adaptiveCard([
      ...dataHeader('Silences', view.header),
      ...(view.silences.length === 0
        ? [text(none)]
        : [
            ...table(
              [
                { title: 'Silence', width: 2 },
                { title: 'What', width: 4 },
                { title: 'Until', width: 3 },
                { title: 'Reason', width: 4 },
                { title: 'By', width: 2 },
              ],
              view.silences.slice(0, shown).map((s): Cell[] => [
                { text: s.id, weight: 'Bolder' },
                {
                  text: `${plain(clip(view.customerNames[s.customerId] ?? s.customerId, 30))}${s.circuitName ? ` · ${plain(clip(s.circuitName, 60))}` : ' (every circuit)'}`,
                },
                { text: utcTime(s.endsAt) },
                { text: plain(clip(s.reason, 120)) },
                { text: plain(clip(s.by.name, 40)) },
              ]),
            ),
            text(end, { size: 'Small', subtle: true }),
          ]),
      ...moreNote(view.silences.length - shown, end),
    ]);
  return fitToBudget(view.silences.length, build);
}
