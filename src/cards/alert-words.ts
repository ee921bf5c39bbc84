import type { Alert } from '../alerts/alert';
import { alertCondition } from '../alerts/alert-conditions';
import type { TextColor } from './card-kit';
import { duration, utcTime } from './time-words';

/** How an alert's severity and state look, on its own card and in lists. */
export const SEVERITY_STYLE: Record<Alert['severity'], { icon: string; color: TextColor; label: string }> = {
  critical: { icon: '🔴', color: 'Attention', label: 'Critical' },
  warning: { icon: '🟠', color: 'Warning', label: 'Warning' },
};

export const RESOLVED_ICON = '🟢';

export function alertIcon(alert: Alert): string {
  return alert.state === 'resolved' ? RESOLVED_ICON : SEVERITY_STYLE[alert.severity].icon;
}

/** The condition's title, flapping said first. */
export function alertTitle(alert: Alert): string {
  const title = alertCondition(alert.condition).title;
  return alert.flapping ? `Flapping: ${title}` : title;
}

/** Where it is: the circuit, and its peering and link when the condition is that fine. */
export function alertPlace(alert: Alert): string {
  return [alert.circuitName, alert.peering, alert.link].filter((x) => x !== undefined && x !== '').join(' · ');
}

/** "Firing", "Acknowledged by Omar at …", "Resolved at … after 4 min", with what keeps it from being posted. */
export function alertStateWords(alert: Alert, now: number): string {
  const since = alert.firedAt ?? alert.createdAt;
  switch (alert.state) {
    case 'resolved':
      return `Resolved at ${utcTime(alert.resolvedAt ?? now)}, after ${duration((alert.resolvedAt ?? now) - since)}`;
    case 'acknowledged':
      return `Acknowledged by ${alert.acknowledged?.by.name ?? 'someone'} at ${utcTime(alert.acknowledged?.at ?? now)}`;
    case 'pending':
      return 'Pending';
    default:
      return alert.silencedBy ? 'Silenced' : alert.inhibitedBy ? 'Suppressed' : alert.expected ? 'Expected' : 'Firing';
  }
}

/** Why it is not posted on its own, or what else is true of it, one sentence each. */
export function alertNotes(alert: Alert, flapWindowMs: number): string[] {
  const notes: string[] = [];
  if (alert.flapping) {
    notes.push(
      `Flapping: ${alert.changes.length} changes within ${duration(flapWindowMs)}. One alert, not posted again at each change; it resolves once the link is stable for ${duration(flapWindowMs)}.`,
    );
  }
  if (alert.inhibitedBy) notes.push(`Covered by the outage ${alert.inhibitedBy}: recorded, not posted on its own.`);
  if (alert.silencedBy) notes.push(`Silenced by ${alert.silencedBy}: recorded, not posted.`);
  if (alert.expected) notes.push(`Expected: ${alert.expected}. Recorded, not paged.`);
  if (alert.escalations)
    notes.push(`Posted again ${alert.escalations === 1 ? 'once' : `${alert.escalations} times`}: not acknowledged in time.`);
  return notes;
}

const SOURCE_WORDS: Record<Alert['sources'][number], string> = {
  watcher: 'the bot’s own checks',
  'azure-monitor': 'Azure Monitor',
  changes: 'the change workflow',
};

export function alertSources(alert: Alert): string {
  return alert.sources.map((s) => SOURCE_WORDS[s]).join(', ');
}
