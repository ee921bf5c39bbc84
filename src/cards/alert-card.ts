import type { Alert } from '../alerts/alert';
import { alertCondition } from '../alerts/alert-conditions';
import { tryParseArmId } from '../network/arm-id';
import type { Intent } from '../intents/intent';
import type { AdaptiveCardJson, CardElement } from './card-kit';
import { actionSet, adaptiveCard, clip, executeAction, factSet, fitToBudget, moreNote, plain, text, title } from './card-kit';
import { alertIcon, alertNotes, alertPlace, alertSources, alertStateWords, alertTitle, SEVERITY_STYLE } from './alert-words';
import { hintWords } from './hint-words';
import { duration, utcTime } from './time-words';

export interface AlertCardView {
  customer: { id: string; name: string };
  /** The card's alerts, worst first: those that fired together for the customer. */
  alerts: readonly Alert[];
  now: number;
  /** The flap window, for the flapping note. */
  flapWindowMs: number;
  /** A re-post of an unacknowledged critical alert: the people it mentions. */
  escalation?: {
    mentions: readonly { aadObjectId: string; name: string }[];
    afterMs: number;
    /** The how-manyth re-post this is, and whether it is the last one (the cap). */
    times?: number;
    last?: boolean;
  };
  /** Read first, e.g. "Already acknowledged by Omar". */
  notice?: string;
}

/** How long Silence on the card silences for. */
export const CARD_SILENCE = '1h';

/** Is the alert's resource an ExpressRoute circuit (a failed change may be on a route table)? */
function onCircuit(alert: Alert): boolean {
  return tryParseArmId(alert.circuitId)?.type.toLowerCase() === 'expressroutecircuits';
}

function buttons(alert: Alert): CardElement[] {
  const actions: CardElement[] = [];
  if (alert.state === 'firing') actions.push(executeAction('Acknowledge', { kind: 'ack', id: alert.id }, 'positive'));
  if (onCircuit(alert)) {
    if (alert.state !== 'resolved') {
      const silence: Intent = {
        kind: 'silence',
        target: alert.circuitId,
        duration: CARD_SILENCE,
        reason: 'Silenced for an hour from the alert card',
      };
      actions.push(executeAction('Silence 1h', silence));
    }
    actions.push(executeAction('Open circuit', { kind: 'circuit', circuit: alert.circuitId }));
  }
  return actionSet(actions);
}

function alertSection(alert: Alert, view: AlertCardView, several: boolean): CardElement[] {
  const since = alert.firedAt ?? alert.createdAt;
  const condition = alertCondition(alert.condition);
  const style = SEVERITY_STYLE[alert.severity];
  const next = condition.nextStep({
    customerId: alert.customerId,
    circuitName: alert.circuitName,
    peering: alert.peering,
    link: alert.link,
  });
  return [
    {
      type: 'Container',
      separator: several,
      spacing: several ? 'Medium' : 'Small',
      items: [
        ...(several
          ? [
              text(`${alertIcon(alert)} ${alertTitle(alert)}`, {
                weight: 'Bolder',
                color: alert.state === 'resolved' ? 'Good' : style.color,
              }),
            ]
          : []),
        text(alertStateWords(alert, view.now), {
          weight: 'Bolder',
          color: alert.state === 'firing' ? style.color : 'Default',
          spacing: 'None',
        }),
        ...factSet([
          ['Alert', `${alert.id} · ${style.label}`],
          ['Customer', plain(clip(view.customer.name, 80))],
          ['Circuit', plain(clip(alert.circuitName, 80))],
          ['Peering', alert.peering],
          ['Link', alert.link],
          ['Since', `${utcTime(since)} (${duration(Math.max(0, (alert.resolvedAt ?? view.now) - since))})`],
          ['Reported by', alertSources(alert)],
        ]),
        ...alert.evidence.map((e) => text(`• ${plain(clip(e, 300))}`, { size: 'Small', spacing: 'None' })),
        ...alertNotes(alert, view.flapWindowMs).map((n) => text(n, { size: 'Small', subtle: true, spacing: 'Small' })),
        text(`Next: ${hintWords(next)}`, { size: 'Small', spacing: 'Small' }),
        ...buttons(alert),
      ],
    },
  ];
}

function escalationLine(view: AlertCardView): CardElement[] {
  const e = view.escalation;
  if (!e) return [];
  const who = e.mentions.map((p) => `<at>${plain(clip(p.name, 60))}</at>`).join(' ');
  const cap = e.last === true ? ` Escalated ${e.times ?? 1} times, no more re-posts.` : '';
  return [
    text(`Escalated: not acknowledged within ${duration(e.afterMs)}. ${who || 'Nobody has the oncall right on this customer.'}${cap}`, {
      weight: 'Bolder',
      color: 'Attention',
    }),
  ];
}

/**
 * One customer's alerts that fired together, each with what broke, where, since when, the evidence and the next
 * step, and Acknowledge, Silence 1h and Open circuit. Every change of any of them updates this card in place.
 */
export function alertCard(view: AlertCardView): AdaptiveCardJson {
  const [first] = view.alerts;
  const several = view.alerts.length > 1;
  const open = view.alerts.filter((a) => a.state !== 'resolved');
  const worst = open.find((a) => a.severity === 'critical') ?? open[0];
  const heading = !first
    ? 'No alerts'
    : several
      ? `${worst ? SEVERITY_STYLE[worst.severity].icon : alertIcon(first)} ${view.alerts.length} alerts for ${plain(clip(view.customer.name, 60))}`
      : `${alertIcon(first)} ${alertTitle(first)}`;
  const subtitle = several
    ? `${open.length} open, ${view.alerts.length - open.length} resolved`
    : first
      ? `${plain(clip(view.customer.name, 60))} · ${plain(clip(alertPlace(first), 120))}`
      : '';
  const build = (shown: number): AdaptiveCardJson => {
    const card = adaptiveCard([
      title(heading),
      text(subtitle, { size: 'Small', subtle: true, spacing: 'None' }),
      ...escalationLine(view),
      ...(view.notice ? [text(view.notice, { weight: 'Bolder' })] : []),
      ...view.alerts.slice(0, shown).flatMap((a) => alertSection(a, view, several)),
      ...moreNote(view.alerts.length - shown, [{ say: 'alerts', args: [view.customer.id] }, ' lists them all.']),
    ]);
    if (view.escalation && view.escalation.mentions.length > 0) {
      card.msteams = {
        width: 'Full',
        entities: view.escalation.mentions.map((p) => ({
          type: 'mention',
          text: `<at>${plain(clip(p.name, 60))}</at>`,
          mentioned: { id: p.aadObjectId, name: p.name },
        })),
      };
    }
    return card;
  };
  return fitToBudget(view.alerts.length, build);
}

/** What the card says in a notification. */
export function alertSummary(view: Pick<AlertCardView, 'customer' | 'alerts'>): string {
  const [first] = view.alerts;
  if (!first) return `${view.customer.name}: no alerts`;
  if (view.alerts.length > 1) return `${view.customer.name}: ${view.alerts.length} alerts`;
  return `${view.customer.name}: ${alertTitle(first)} on ${alertPlace(first)} (${first.state})`;
}
