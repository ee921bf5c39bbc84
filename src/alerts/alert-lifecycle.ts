import type { Alert, AlertSource } from './alert';
import { alertKey, isActive, isOpen, isVisible, silenceCovers, type Silence } from './alert';
import { alertCondition, inhibits, type AlertConditionId } from './alert-conditions';

/**
 * The alert state machine and the noise rules, as pure functions of what is stored and what was seen: no store,
 * no clock, no I/O. AlertWorkflow reads, calls these, and writes what changed.
 */

export interface AlertPolicy {
  /** Cycles in a row the signal must be back to normal before an alert resolves. */
  resolveAfterCycles: number;
  /** Flap damping: more than `flapChanges` changes within this window make one flapping alert. */
  flapWindowMs: number;
  flapChanges: number;
  /** A claimed alert whose card has no recorded post this long after the claim is postable again. */
  claimTtlMs: number;
  /** Re-posts of one unacknowledged critical alert at most; then its card says so, and nothing more is posted. */
  maxEscalations: number;
  /** Resolved alerts (and ended silences) are kept this long, then pruned from the store. */
  retentionMs: number;
}

/** How long resolved alerts stay in the store (and in `alerts all`). */
export const ALERT_RETENTION_DAYS = 30;

export const DEFAULT_ALERT_POLICY: AlertPolicy = {
  resolveAfterCycles: 2,
  flapWindowMs: 10 * 60_000,
  flapChanges: 3,
  claimTtlMs: 60_000,
  maxEscalations: 3,
  retentionMs: ALERT_RETENTION_DAYS * 86_400_000,
};

/** What one cycle (or one external report) says about one alert key. */
export type Signal = { status: 'firing'; evidence: readonly string[] } | { status: 'ok' } | { status: 'unknown' };

/** Everything a new alert needs besides the signal. */
export interface AlertOrigin {
  customerId: string;
  circuitId: string;
  circuitName: string;
  peering?: string | undefined;
  link?: 'primary' | 'secondary' | undefined;
  condition: AlertConditionId;
  source: AlertSource;
}

export interface StepContext {
  now: number;
  policy: AlertPolicy;
  newId: () => string;
  /** External reports are already judged: they fire at once, without the condition's pending cycles. */
  immediate?: boolean;
}

function recentChanges(changes: readonly number[], now: number, policy: AlertPolicy): number[] {
  return changes.filter((t) => now - t < policy.flapWindowMs);
}

/** Records a change of the signal, and whether that makes the alert flap. */
function changed(alert: Alert, now: number, policy: AlertPolicy): Pick<Alert, 'changes' | 'flapping'> {
  const changes = [...recentChanges(alert.changes, now, policy), now].slice(-32);
  return { changes, flapping: alert.flapping === true || changes.length > policy.flapChanges };
}

/**
 * The next version of the alert for this key, or undefined when nothing changes. `open` is the key's open alert;
 * `lastResolved` the key's most recently resolved one, which a signal firing again within the flap window reopens
 * (the same alert, the same card updated in place) rather than posting a new one.
 */
export function step(
  open: Alert | undefined,
  lastResolved: Alert | undefined,
  signal: Signal,
  origin: AlertOrigin,
  ctx: StepContext,
): Alert | undefined {
  const { now, policy } = ctx;
  if (signal.status === 'unknown') return undefined;
  const touch = (a: Alert, patch: Partial<Alert>): Alert => ({ ...a, ...patch, updatedAt: now, version: a.version + 1 });
  if (!open) {
    if (signal.status !== 'firing') return undefined;
    if (lastResolved && isVisible(lastResolved) && now - (lastResolved.resolvedAt ?? 0) < policy.flapWindowMs) {
      const flap = changed(lastResolved, now, policy);
      const { resolvedAt: _resolved, escalatedAt: _escalated, escalations: _escalations, acknowledged, ...rest } = lastResolved;
      // Someone acknowledged a flapping link: each bounce is not news to them.
      const keepAck = flap.flapping === true && acknowledged !== undefined;
      return touch(keepAck ? { ...rest, acknowledged } : rest, {
        ...flap,
        // Reopened on its card: the escalation clock starts again.
        ...(rest.groupId !== undefined ? { claimedAt: now } : {}),
        state: keepAck ? 'acknowledged' : 'firing',
        recoveredCycles: 0,
        evidence: [...signal.evidence],
        sources: withSource(lastResolved.sources, origin.source),
      });
    }
    const condition = alertCondition(origin.condition);
    const fires = ctx.immediate === true || condition.raiseAfterCycles <= 1;
    const alert: Alert = {
      id: ctx.newId(),
      key: alertKey(origin),
      customerId: origin.customerId,
      circuitId: origin.circuitId,
      circuitName: origin.circuitName,
      ...(origin.peering ? { peering: origin.peering } : {}),
      ...(origin.link ? { link: origin.link } : {}),
      condition: origin.condition,
      severity: condition.severity,
      state: fires ? 'firing' : 'pending',
      sources: [origin.source],
      evidence: [...signal.evidence],
      createdAt: now,
      updatedAt: now,
      seenCycles: 1,
      recoveredCycles: 0,
      changes: fires ? [now] : [],
      version: 1,
    };
    if (fires) alert.firedAt = now;
    return alert;
  }
  if (open.state === 'pending') {
    if (signal.status === 'ok') return touch(open, { state: 'resolved', resolvedAt: now });
    const seen = open.seenCycles + 1;
    if (ctx.immediate !== true && seen < alertCondition(open.condition).raiseAfterCycles) return touch(open, { seenCycles: seen });
    return touch(open, { seenCycles: seen, state: 'firing', firedAt: now, changes: [now], evidence: [...signal.evidence] });
  }
  if (signal.status === 'firing') {
    const sources = withSource(open.sources, origin.source);
    if (open.recoveredCycles === 0) return sources.length === open.sources.length ? undefined : touch(open, { sources });
    return touch(open, { ...changed(open, now, policy), recoveredCycles: 0, sources });
  }
  const recovered = open.recoveredCycles + 1;
  const flap = open.recoveredCycles === 0 ? changed(open, now, policy) : { changes: open.changes, flapping: open.flapping };
  const lastChange = flap.changes[flap.changes.length - 1] ?? now;
  // A flapping link stays one alert until it has been stable for the whole window.
  const stable = flap.flapping !== true || now - lastChange >= policy.flapWindowMs;
  if (recovered >= policy.resolveAfterCycles && stable)
    return touch(open, { ...flap, recoveredCycles: recovered, state: 'resolved', resolvedAt: now });
  return touch(open, { ...flap, recoveredCycles: recovered });
}

function withSource(sources: readonly AlertSource[], source: AlertSource): AlertSource[] {
  return sources.includes(source) ? [...sources] : [...sources, source];
}

/** Why each open alert is not paged now: its silence, the outage that covers it, or planned work on its circuit. */
export interface SuppressionFacts {
  now: number;
  silences: readonly Silence[];
  /** Circuit id (lower case) → what makes trouble there expected, e.g. "CR-7F3K2QX is executing on this circuit". */
  maintenance: ReadonlyMap<string, string>;
  /** What makes trouble on every circuit of the customer expected now: the change window it is inside, if any. */
  changeWindow?: string | undefined;
}

/**
 * The alert with its suppression brought up to date, or undefined when it is unchanged. `candidates`: the customer's
 * open alerts that may inhibit it (those on its circuit are enough; others are passed over).
 */
export function suppress(alert: Alert, candidates: readonly Alert[], facts: SuppressionFacts): Alert | undefined {
  if (!isOpen(alert)) return undefined;
  const inhibitor = candidates.find(
    (other) =>
      other.id !== alert.id &&
      isOpen(other) &&
      isVisible(other) &&
      other.circuitId.toLowerCase() === alert.circuitId.toLowerCase() &&
      inhibits(other.condition, other.peering, alert.condition, alert.peering),
  );
  const silence = facts.silences.find((s) => isActive(s, facts.now) && silenceCovers(s, alert));
  const expected =
    facts.maintenance.get(alert.circuitId.toLowerCase()) ??
    (alertCondition(alert.condition).pagedInChangeWindow ? undefined : facts.changeWindow);
  const { inhibitedBy: _i, silencedBy: _s, expected: _e, ...rest } = alert;
  const next: Alert = {
    ...rest,
    ...(inhibitor ? { inhibitedBy: inhibitor.id } : {}),
    ...(silence ? { silencedBy: silence.id } : {}),
    ...(expected ? { expected } : {}),
  };
  if (next.inhibitedBy === alert.inhibitedBy && next.silencedBy === alert.silencedBy && next.expected === alert.expected) return undefined;
  return { ...next, updatedAt: facts.now, version: alert.version + 1 };
}

/** Firing, not covered by anything, and not on a card yet: to be posted. */
export function isPostable(alert: Alert): boolean {
  return alert.state === 'firing' && alert.groupId === undefined && !alert.inhibitedBy && !alert.silencedBy && !alert.expected;
}

/** A claim whose card may never have been posted: firing, postable but for its group, claimed `ttlMs` ago or more. */
export function isClaimStale(alert: Alert, now: number, ttlMs: number): boolean {
  if (alert.state !== 'firing' || alert.groupId === undefined || alert.inhibitedBy || alert.silencedBy || alert.expected) return false;
  return now - (alert.claimedAt ?? alert.updatedAt) >= ttlMs;
}

/**
 * An unacknowledged critical alert on a card for `afterMs` since it was put on the card (claimed or reopened on
 * it), or since it was last escalated, is posted again: at most `maxEscalations` times.
 */
export function escalate(alert: Alert, now: number, afterMs: number, maxEscalations = Infinity): Alert | undefined {
  if (alert.state !== 'firing' || alert.severity !== 'critical' || alert.groupId === undefined) return undefined;
  if (alert.inhibitedBy || alert.silencedBy || alert.expected) return undefined;
  if ((alert.escalations ?? 0) >= maxEscalations) return undefined;
  if (now - (alert.escalatedAt ?? alert.claimedAt ?? alert.firedAt ?? now) < afterMs) return undefined;
  return { ...alert, escalations: (alert.escalations ?? 0) + 1, escalatedAt: now, updatedAt: now, version: alert.version + 1 };
}

/** What a card shows of an alert: a change here updates its card in place; anything else is bookkeeping. */
export function shownFacts(alert: Alert): string {
  return JSON.stringify([
    alert.state,
    alert.flapping ?? false,
    alert.acknowledged?.by.aadObjectId ?? '',
    alert.silencedBy ?? '',
    alert.inhibitedBy ?? '',
    alert.expected ?? '',
    alert.sources,
    alert.evidence,
  ]);
}
