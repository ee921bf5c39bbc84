import { z } from 'zod';
import { Actor } from '../changes/change-request';
import { AlertConditionId, AlertSeverity } from './alert-conditions';

/**
 * An alert as the store keeps it: one per (circuit, peering, link, condition) while it is open. Rows are an
 * untrusted boundary, so the store reads them back through this schema.
 *
 * pending      the condition holds but not yet for its `raiseAfterCycles` (never shown, never posted)
 * firing       someone should look: posted unless silenced, inhibited or expected
 * acknowledged someone is on it (by whom, when); critical alerts stop escalating
 * resolved     the signal recovered for `RESOLVE_AFTER_CYCLES` cycles (or the source said so)
 */
export const AlertState = z.enum(['pending', 'firing', 'acknowledged', 'resolved']);
export type AlertState = z.infer<typeof AlertState>;

export const OPEN_STATES: readonly AlertState[] = ['pending', 'firing', 'acknowledged'];

/** Who told: the bot's own watcher, Azure Monitor (the webhook), or the change workflow. */
export const AlertSource = z.enum(['watcher', 'azure-monitor', 'changes']);
export type AlertSource = z.infer<typeof AlertSource>;

export const LinkPath = z.enum(['primary', 'secondary']);

export const ALERT_ID_PATTERN = /^AL-[0-9A-Z]{5,12}$/;
export const SILENCE_ID_PATTERN = /^SI-[0-9A-Z]{5,12}$/;

/** Field by field, with no rule across fields: `onCard` relies on that. */
export const Alert = z.object({
  /** Short and typeable, e.g. AL-7F3K2QX. */
  id: z.string().regex(ALERT_ID_PATTERN),
  /** The dedup key (alertKey): at most one open alert per key, in every store. */
  key: z.string().min(1).max(1200),
  customerId: z.string().min(1),
  circuitId: z.string().min(1),
  circuitName: z.string().min(1),
  /** ARM peering name (AzurePrivatePeering…), for peering- and link-level conditions. */
  peering: z.string().optional(),
  link: LinkPath.optional(),
  condition: AlertConditionId,
  severity: AlertSeverity,
  state: AlertState,
  sources: z.array(AlertSource).min(1),
  /** What was seen when it fired (metric values, the last router read), in words. */
  evidence: z.array(z.string().max(500)).max(8),
  createdAt: z.number(),
  updatedAt: z.number(),
  /** When it fired (left pending); the card's "since". */
  firedAt: z.number().optional(),
  resolvedAt: z.number().optional(),
  acknowledged: z.object({ by: Actor, at: z.number() }).optional(),
  /** Consecutive cycles the condition held while pending. */
  seenCycles: z.number().int().min(0),
  /** Consecutive cycles the signal has been back to normal while open. */
  recoveredCycles: z.number().int().min(0),
  /** When the signal last went bad or back to normal, within the flap window: what flap damping counts. */
  changes: z.array(z.number()).max(64),
  /** Changed state too often: one alert, held open until the link is stable for the flap window. */
  flapping: z.boolean().optional(),
  /** Recorded, not posted: a silence covers it. */
  silencedBy: z.string().optional(),
  /** Recorded, not posted: a circuit-level outage covers it. */
  inhibitedBy: z.string().optional(),
  /** Expected, not paged: planned work on the circuit (a change executing, a change window). */
  expected: z.string().max(300).optional(),
  /** The card it is shown on (every post of the group lists the same alerts). */
  groupId: z.string().optional(),
  /**
   * When it was put on its card (claimed), or reopened on it: the escalation clock starts here. A claim whose
   * card has no recorded post after the claim period is taken again (the sends failed, or the instance died).
   */
  claimedAt: z.number().optional(),
  /** Re-posts of an unacknowledged critical alert, and the last one's time. */
  escalations: z.number().int().min(0).optional(),
  escalatedAt: z.number().optional(),
  /** Optimistic-concurrency version, bumped by every store write. */
  version: z.number().int().min(1),
});
export type Alert = z.infer<typeof Alert>;

/** What putting alerts on a card sets on each (`AlertStore.claimAlerts`), checked once for all of them. */
export const CardClaim = z.object({ groupId: Alert.shape.groupId.unwrap().min(1), claimedAt: Alert.shape.claimedAt.unwrap() });
export type CardClaim = z.infer<typeof CardClaim>;

const ALERT_FIELDS = Object.keys(Alert.shape) as (keyof Alert)[];

/**
 * An alert put on a card: its group and the claim's time, nothing else changed but the write's time and version.
 * Valid whenever `alert` and `claim` are (the schema has no rule across fields), so a store that read `alert`
 * through the schema need not check it again. Its fields come in the schema's order, as parsing gives them, so its
 * JSON is the text any store connection gets back from checking it (and remembers; SqliteAlertStore).
 */
export function onCard(alert: Alert, claim: CardClaim): Alert {
  const set: Partial<Alert> = {
    groupId: claim.groupId,
    claimedAt: claim.claimedAt,
    updatedAt: claim.claimedAt,
    version: alert.version + 1,
  };
  const next: Record<string, unknown> = {};
  for (const field of ALERT_FIELDS) {
    const value = field in set ? set[field] : alert[field];
    if (value !== undefined) next[field] = value;
  }
  return next as Alert;
}

/** Where a condition holds: the circuit, and for finer conditions its peering and link. */
export interface AlertSubject {
  circuitId: string;
  peering?: string | undefined;
  link?: 'primary' | 'secondary' | undefined;
  condition: AlertConditionId;
}

/** One open alert per (circuit, peering, link, condition): ARM ids and names compared without case. */
export function alertKey(s: AlertSubject): string {
  return [s.circuitId, s.peering ?? '', s.link ?? '', s.condition].join('|').toLowerCase();
}

export function isOpen(alert: Pick<Alert, 'state'>): boolean {
  return alert.state !== 'resolved';
}

/** Shown to people: pending alerts are the watcher's business only. */
export function isVisible(alert: Pick<Alert, 'state' | 'firedAt'>): boolean {
  return alert.state !== 'pending' && alert.firedAt !== undefined;
}

/** Why an open alert is not paged, if it is not. */
export function suppression(alert: Alert): 'silenced' | 'inhibited' | 'expected' | undefined {
  if (alert.inhibitedBy) return 'inhibited';
  if (alert.silencedBy) return 'silenced';
  if (alert.expected) return 'expected';
  return undefined;
}

/** Matching alerts are recorded but not posted until it ends (`silence`, `unsilence`). */
export const Silence = z.object({
  id: z.string().regex(SILENCE_ID_PATTERN),
  customerId: z.string().min(1),
  /** A circuit's ARM id; absent: every circuit of the customer. */
  circuitId: z.string().optional(),
  circuitName: z.string().optional(),
  startsAt: z.number(),
  endsAt: z.number(),
  reason: z.string().min(1).max(500),
  by: Actor,
  createdAt: z.number(),
  /** Ended early (`unsilence`): when and by whom. */
  ended: z.object({ by: Actor, at: z.number() }).optional(),
  /**
   * The Service Health event (its tracking id) whose planned maintenance this silence is: one silence per circuit
   * and event, replaced when Azure updates the event's window and ended when the event is over.
   */
  trackingId: z.string().min(1).max(200).optional(),
});
export type Silence = z.infer<typeof Silence>;

/** In force at `now`: started, not past its end, not ended early. */
export function isActive(silence: Silence, now: number): boolean {
  return silence.startsAt <= now && now < silence.endsAt && silence.ended === undefined;
}

export function silenceCovers(silence: Silence, alert: Pick<Alert, 'customerId' | 'circuitId'>): boolean {
  if (silence.customerId !== alert.customerId) return false;
  return silence.circuitId === undefined || silence.circuitId.toLowerCase() === alert.circuitId.toLowerCase();
}

/** Where an alert card was posted, so every change of its alerts updates it in place. */
export const AlertPost = z.object({
  groupId: z.string().min(1),
  customerId: z.string().min(1),
  /** Key of the stored conversation reference. */
  conversationKey: z.string().min(1),
  activityId: z.string().min(1),
  at: z.number(),
});
export type AlertPost = z.infer<typeof AlertPost>;

/**
 * A customer the watcher could not read: since when, and whether its alerts channel was told. Kept in the store,
 * so an instance that takes the customer over (or the same one after a restart) neither says the loss again nor
 * misses saying when it ends.
 */
export const WatchGap = z.object({
  customerId: z.string().min(1),
  since: z.number().int().nonnegative(),
  told: z.boolean(),
});
export type WatchGap = z.infer<typeof WatchGap>;
