import type { Clock } from '../clock';
import { CodedError, ErrorCode } from '../errors';
import type { Logger } from '../log';
import { type Actor } from '../changes/change-request';
import { EventHub, SYSTEM_ACTOR } from '../changes/change-events';
import type { Access } from '../directory/access';
import { DEFAULT_ESCALATE_AFTER_MINUTES, type Customer, type Person } from '../directory/directory';
import { armIdName, subscriptionOfArmId } from '../network/arm-id';
import type { CircuitHealthReport } from '../network/health-check';
import { type Alert, type AlertPost, type AlertSource, type Silence, alertKey, isOpen, isVisible } from './alert';
import { WATCHED_CONDITIONS, alertCondition, type AlertConditionId } from './alert-conditions';
import { newAlertId, newGroupId, newSilenceId } from './alert-ids';
import { changeWindowNote, isChangeWindowNote } from './change-window-note';
import {
  type AlertOrigin,
  type AlertPolicy,
  DEFAULT_ALERT_POLICY,
  type Signal,
  escalate,
  isClaimStale,
  isPostable,
  shownFacts,
  step,
  suppress,
} from './alert-lifecycle';
import type { AlertStore, PruneOutcome } from './alert-store';
import { MAX_SILENCE_MS, MIN_SILENCE_MS } from './silence-duration';

/**
 * What delivery needs to keep alert cards where people work:
 * - `postable`: alerts of one customer to show, not on a card yet (claim them, then post one card for them all);
 * - `changed`: something a card shows changed (acknowledged, silenced, resolved…): update its posts in place;
 * - `escalated`: a card with unacknowledged critical alerts to post again, mentioning the customer's on-call
 *   people: one event per card (group) and cycle, however many of its alerts escalated.
 */
export type AlertEvent =
  | { type: 'postable'; customerId: string; alerts: Alert[] }
  | { type: 'changed'; alert: Alert }
  | { type: 'escalated'; customerId: string; groupId: string; alerts: Alert[] };

/**
 * An observation from outside the watcher (AlertIntake): Azure Monitor through the webhook, or the change
 * workflow. It is deduplicated against the watcher's alerts by the same key.
 */
export interface ExternalSignal {
  /** The circuit's full ARM id; its subscription names the customer. */
  circuitId: string;
  condition: AlertConditionId;
  peering?: string;
  link?: 'primary' | 'secondary';
  status: 'firing' | 'resolved';
  evidence: readonly string[];
  source: Exclude<AlertSource, 'watcher'>;
}

/** The port the Azure Monitor webhook (and the change workflow) hand their observations to. */
export interface AlertIntake {
  /** Raises, confirms or resolves the alert for the signal's key; undefined when nothing changed. */
  ingest(signal: ExternalSignal): Promise<Alert | undefined>;
  /**
   * Planned maintenance: the circuit's alerts are recorded but not posted between `from` and `to`. With the
   * Service Health event's `trackingId`, the circuit has one silence per event: an update with another window (or
   * reason) replaces it, and a repeat of the same one returns it unchanged.
   */
  silenceFor(circuitId: string, from: number, to: number, reason: string, trackingId?: string): Promise<Silence>;
  /** The event is over (completed, resolved, canceled): its silences on the circuit end now. Returns those ended. */
  endSilencesFor(circuitId: string, trackingId: string): Promise<Silence[]>;
}

export interface AlertWorkflowOptions {
  store: AlertStore;
  access: Access;
  clock: Clock;
  logger: Logger;
  policy?: Partial<AlertPolicy>;
}

export type AckOutcome = 'acknowledged' | 'already-acknowledged' | 'resolved';

export interface CycleOutcome {
  /** Alerts written this cycle (new, changed state, suppression, escalation). */
  written: number;
  /** Writes another instance got in first; the next cycle sees theirs. */
  lost: number;
  postable: number;
}

/** One alert's change this round: the stored version it replaces (none for a new alert), and the new one. */
interface Change {
  before: Alert | undefined;
  after: Alert;
  escalated?: boolean;
}

const ATTEMPTS = 5;

/** `alerts` and `alerts all` show at most this many, newest first, and say how many more there are. */
export const LIST_LIMIT = 100;

function actorOf(person: Person): Actor {
  return { aadObjectId: person.aadObjectId, name: person.name };
}

/**
 * Alerts, their lifecycle and noise control over the AlertStore: what the watcher saw each cycle, what Azure
 * Monitor and the change workflow report, and what people do (acknowledge, silence). Every right is checked
 * here, from the person, on every call. Publishes AlertEvents; it never posts anything itself.
 */
export class AlertWorkflow implements AlertIntake {
  readonly events: EventHub<AlertEvent>;
  readonly policy: AlertPolicy;
  private readonly postedGroups = new Set<string>();

  constructor(private readonly options: AlertWorkflowOptions) {
    this.policy = { ...DEFAULT_ALERT_POLICY, ...options.policy };
    this.events = new EventHub<AlertEvent>((err) => options.logger.error({ err }, 'alert event listener failed'));
  }

  get store(): AlertStore {
    return this.options.store;
  }

  /** How long an unacknowledged critical alert of this customer waits before it is posted again. */
  escalateAfterMs(customerId: string): number {
    return (this.options.access.customer(customerId)?.escalateAfterMinutes ?? DEFAULT_ESCALATE_AFTER_MINUTES) * 60_000;
  }

  /**
   * One watch cycle of one customer: each circuit's health report judged by every watched condition, the
   * lifecycle stepped for every key, then suppression, escalation, and the alerts to post. `reports` must cover
   * every circuit of the customer (an alert on a circuit that is no longer there recovers).
   */
  async applyCycle(
    customerId: string,
    reports: readonly CircuitHealthReport[],
    maintenance: ReadonlyMap<string, string> = new Map(),
  ): Promise<CycleOutcome> {
    const now = this.options.clock.now();
    const existing = await this.recent(customerId, now);
    const signals = new Map<string, { origin: AlertOrigin; signal: Signal }>();
    for (const report of reports) {
      for (const condition of WATCHED_CONDITIONS) {
        for (const f of condition.evaluate?.(report) ?? []) {
          const origin: AlertOrigin = {
            customerId,
            circuitId: report.circuit.id,
            circuitName: report.circuit.name,
            peering: f.peering,
            link: f.link,
            condition: condition.id,
            source: 'watcher',
          };
          signals.set(alertKey(origin), {
            origin,
            signal: f.status === 'firing' ? { status: 'firing', evidence: f.evidence } : { status: 'unknown' },
          });
        }
      }
    }
    const { open, lastResolved } = byKey(existing);
    for (const alert of open.values()) {
      if (signals.has(alert.key) || alertCondition(alert.condition).evaluate === undefined) continue;
      signals.set(alert.key, { origin: { ...alert, source: 'watcher' }, signal: { status: 'ok' } });
    }
    const changes = new Map<string, Change>();
    for (const [key, { origin, signal }] of signals) {
      const before = open.get(key) ?? (signal.status === 'firing' ? lastResolved.get(key) : undefined);
      const after = step(open.get(key), lastResolved.get(key), signal, origin, this.stepContext(now));
      if (after) changes.set(after.id, { before: after.version === 1 ? undefined : before, after });
    }
    return this.commit(customerId, existing, changes, { now, maintenance, escalate: true });
  }

  /**
   * A write that lost a compare-and-set race (another instance, the watcher or a click got in first) is decided
   * again on what won, a few times; then it fails, so that the webhook answers 503 and Azure Monitor sends again.
   */
  async ingest(signal: ExternalSignal): Promise<Alert | undefined> {
    const customer = this.customerOf(signal.circuitId);
    const origin: AlertOrigin = {
      customerId: customer.id,
      circuitId: signal.circuitId,
      circuitName: armIdName(signal.circuitId),
      peering: signal.peering,
      link: signal.link,
      condition: signal.condition,
      source: signal.source,
    };
    const key = alertKey(origin);
    for (let attempt = 1; ; attempt++) {
      const now = this.options.clock.now();
      const existing = await this.recent(customer.id, now);
      const { open: openByKey, lastResolved: resolvedByKey } = byKey(existing);
      const open = openByKey.get(key);
      const lastResolved = resolvedByKey.get(key);
      let after: Alert | undefined;
      if (signal.status === 'firing') {
        after = step(open, lastResolved, { status: 'firing', evidence: signal.evidence.slice(0, 8) }, origin, {
          ...this.stepContext(now),
          immediate: true,
        });
      } else if (open && !open.sources.includes('watcher')) {
        // The watcher reads the same metrics: only what it did not see itself is resolved on another's word.
        after = { ...open, state: 'resolved', resolvedAt: now, updatedAt: now, version: open.version + 1 };
      }
      if (!after) return undefined;
      const before = after.version === 1 ? undefined : (open ?? lastResolved);
      const { lostIds } = await this.commit(customer.id, existing, new Map([[after.id, { before, after }]]), { now });
      if (!lostIds.has(after.id)) {
        this.options.logger.info(
          { alertId: after.id, condition: signal.condition, status: signal.status, source: signal.source },
          'alert reported',
        );
        return this.options.store.getAlert(after.id);
      }
      if (attempt >= ATTEMPTS) {
        this.options.logger.warn(
          { circuitId: signal.circuitId, condition: signal.condition, attempts: attempt },
          'alert report lost every race',
        );
        throw new CodedError(
          ErrorCode.Conflict,
          `The ${signal.condition} alert of ${origin.circuitName} is being changed elsewhere at the same time.`,
          {
            hint: 'Send the report again in a moment.',
          },
        );
      }
    }
  }

  async silenceFor(circuitId: string, from: number, to: number, reason: string, trackingId?: string): Promise<Silence> {
    const customer = this.customerOf(circuitId);
    if (trackingId !== undefined) {
      const running = await this.eventSilences(customer.id, circuitId, trackingId);
      const same = running.find((s) => s.startsAt === from && s.endsAt === to && s.reason === reason);
      const replaced = await this.endAll(
        running.filter((s) => s !== same),
        'planned maintenance updated',
      );
      if (same) {
        if (replaced.length > 0) await this.refresh(customer.id);
        return same;
      }
    }
    return this.createSilence(customer, {
      circuitId,
      circuitName: armIdName(circuitId),
      startsAt: from,
      endsAt: to,
      reason,
      by: SYSTEM_ACTOR,
      ...(trackingId !== undefined ? { trackingId } : {}),
    });
  }

  async endSilencesFor(circuitId: string, trackingId: string): Promise<Silence[]> {
    const customer = this.customerOf(circuitId);
    const ended = await this.endAll(await this.eventSilences(customer.id, circuitId, trackingId), 'planned maintenance over');
    if (ended.length > 0) await this.refresh(customer.id);
    return ended;
  }

  /** The running (or future) silences of one Service Health event on one circuit. */
  private async eventSilences(customerId: string, circuitId: string, trackingId: string): Promise<Silence[]> {
    const found = await this.options.store.listSilences({ customerIds: [customerId], endingAfter: this.options.clock.now() });
    return found.filter((s) => s.trackingId === trackingId && s.circuitId?.toLowerCase() === circuitId.toLowerCase());
  }

  /** Ends these silences now, by the bot; returns those this call ended (another instance may have got there first). */
  private async endAll(silences: readonly Silence[], why: string): Promise<Silence[]> {
    const ended: Silence[] = [];
    for (const silence of silences) {
      const by = { by: SYSTEM_ACTOR, at: this.options.clock.now() };
      if (!(await this.options.store.endSilence(silence.id, by))) continue;
      this.options.logger.info({ silenceId: silence.id, trackingId: silence.trackingId, why }, 'silence ended');
      ended.push({ ...silence, ended: by });
    }
    return ended;
  }

  /** `ack <id>` and the card's Acknowledge: needs `oncall` (or `admin`) on the alert's customer. */
  async acknowledge(id: string, person: Person): Promise<{ alert: Alert; outcome: AckOutcome }> {
    for (let attempt = 1; ; attempt++) {
      const alert = await this.visibleAlert(id, person);
      this.options.access.requireRight(person, 'oncall', alert.customerId, 'that alert');
      if (alert.state === 'acknowledged') return { alert, outcome: 'already-acknowledged' };
      if (alert.state === 'resolved') return { alert, outcome: 'resolved' };
      const now = this.options.clock.now();
      const next: Alert = {
        ...alert,
        state: 'acknowledged',
        acknowledged: { by: actorOf(person), at: now },
        updatedAt: now,
        version: alert.version + 1,
      };
      if (await this.options.store.updateAlert(next, alert.version)) {
        this.options.logger.info({ alertId: id, by: person.aadObjectId }, 'alert acknowledged');
        if (next.groupId) this.events.emit({ type: 'changed', alert: next });
        return { alert: next, outcome: 'acknowledged' };
      }
      if (attempt >= ATTEMPTS) throw busy(id);
    }
  }

  /** `silence <circuit|customer> <duration> <reason>`, and the card's Silence 1h. */
  async silence(
    person: Person,
    target: { customer: Customer; circuitId?: string; circuitName?: string },
    durationMs: number,
    reason: string,
  ): Promise<Silence> {
    this.options.access.requireRight(person, 'oncall', target.customer.id, 'that customer');
    if (!(durationMs >= MIN_SILENCE_MS && durationMs <= MAX_SILENCE_MS)) {
      throw new CodedError(ErrorCode.BadInput, 'A silence lasts from a minute to 30 days.', {
        hint: 'Give a duration such as 30m, 2h or 1d.',
      });
    }
    const now = this.options.clock.now();
    return this.createSilence(target.customer, {
      ...(target.circuitId ? { circuitId: target.circuitId, circuitName: target.circuitName ?? armIdName(target.circuitId) } : {}),
      startsAt: now,
      endsAt: now + durationMs,
      reason,
      by: actorOf(person),
    });
  }

  /** `unsilence <id>`: ends a silence early; alerts it held back are posted. */
  async unsilence(id: string, person: Person): Promise<Silence> {
    const silence = await this.options.store.getSilence(id);
    if (!silence || !this.options.access.can(person, 'view', silence.customerId)) {
      throw new CodedError(ErrorCode.NotFound, `There is no silence ${id} you can see.`, {
        hint: ['Check the id; ', { say: 'silences' }, ' lists the active ones.'],
      });
    }
    this.options.access.requireRight(person, 'oncall', silence.customerId, 'that customer');
    const now = this.options.clock.now();
    if (silence.ended || silence.endsAt <= now) {
      throw new CodedError(ErrorCode.Conflict, `Silence ${id} has already ended.`, {
        hint: ['', { say: 'silences' }, ' lists the active ones.'],
      });
    }
    const ended = { by: actorOf(person), at: now };
    if (!(await this.options.store.endSilence(id, ended))) throw new CodedError(ErrorCode.Conflict, `Silence ${id} has already ended.`);
    this.options.logger.info({ silenceId: id, by: person.aadObjectId }, 'silence ended');
    await this.refresh(silence.customerId);
    return { ...silence, ended };
  }

  /**
   * The person's alerts: open ones, or (`all`) also those resolved since `since`; the newest `limit` (default
   * LIST_LIMIT), and how many there are in all.
   */
  async list(
    person: Person,
    customers: readonly Customer[],
    options: { all: boolean; since?: number; limit?: number },
  ): Promise<{ alerts: Alert[]; total: number }> {
    const ids = customers.filter((c) => this.options.access.can(person, 'view', c.id)).map((c) => c.id);
    const filter = { customerIds: ids, firedOnly: true, ...(options.all ? { resolvedSince: options.since ?? 0 } : {}) };
    const limit = options.limit ?? LIST_LIMIT;
    const found = await this.options.store.listAlerts({ ...filter, limit });
    const total = found.length < limit ? found.length : await this.options.store.countAlerts(filter);
    return { alerts: found.filter(isVisible), total };
  }

  /** Active silences of the customers the person may view, soonest to end first. */
  async silences(person: Person): Promise<Silence[]> {
    const ids = this.options.access.customersWith(person, 'view').map((c) => c.id);
    const found = await this.options.store.listSilences({ customerIds: ids, endingAfter: this.options.clock.now() });
    return found.filter((s) => s.startsAt <= this.options.clock.now()).sort((a, b) => a.endsAt - b.endsAt);
  }

  /** One visible alert the person may view; NotFound otherwise (never confirming another customer's alert). */
  async visibleAlert(id: string, person: Person): Promise<Alert> {
    const alert = await this.options.store.getAlert(id);
    if (alert && isVisible(alert) && this.options.access.rights(person, alert.customerId).size > 0) return alert;
    throw new CodedError(ErrorCode.NotFound, `There is no alert ${id} you can see.`, {
      hint: ['Check the id; ', { say: 'alerts', args: ['all'] }, ' lists the alerts you can see.'],
    });
  }

  /**
   * Takes postable alerts for one card: each is marked with the card's group and the claim's time in the store
   * (compare-and-set), so whichever instance claims it posts it, once. A claim older than `claimTtlMs` whose card
   * was never posted (the workflow checked) may be taken again. Returns the alerts this caller won.
   */
  async claim(alerts: readonly Alert[]): Promise<{ groupId: string; alerts: Alert[] }> {
    const groupId = newGroupId();
    const claimable = (a: Alert) => isPostable(a) || isClaimStale(a, this.options.clock.now(), this.policy.claimTtlMs);
    // One batch of compare-and-sets per attempt (one commit where the store has transactions), each alert winning or
    // losing on its own; those lost are read again and tried again while still claimable.
    const won = new Map<number, Alert>();
    let trying = alerts.flatMap((alert, i) => (claimable(alert) ? [{ i, alert }] : []));
    for (let attempt = 1; trying.length > 0 && attempt <= ATTEMPTS; attempt++) {
      const claims = trying.map(({ alert }) => ({ id: alert.id, customerId: alert.customerId, expectVersion: alert.version }));
      const saved = await this.options.store.claimAlerts(claims, { groupId, claimedAt: this.options.clock.now() });
      const lost = trying.filter(({ i }, j) => {
        const alert = saved[j];
        if (alert) won.set(i, alert);
        return !alert;
      });
      if (attempt >= ATTEMPTS) break;
      const reread = await Promise.all(lost.map(async ({ i, alert }) => ({ i, alert: await this.options.store.getAlert(alert.id) })));
      trying = reread.flatMap(({ i, alert }) => (alert && claimable(alert) ? [{ i, alert }] : []));
    }
    // In the order asked for (worst first), as one by one would have had them.
    return { groupId, alerts: [...won].sort(([a], [b]) => a - b).map(([, alert]) => alert) };
  }

  async recordPost(post: AlertPost): Promise<void> {
    await this.options.store.addAlertPost(post);
    this.posted(post.groupId);
  }

  /** Whether a card was ever posted for the group (posts are never removed, so a yes is remembered). */
  private async hasPosts(customerId: string, groupId: string): Promise<boolean> {
    if (this.postedGroups.has(groupId)) return true;
    const found = (await this.options.store.alertPosts(customerId, groupId)).length > 0;
    if (found) this.posted(groupId);
    return found;
  }

  private posted(groupId: string): void {
    if (this.postedGroups.size >= 10_000) this.postedGroups.clear();
    this.postedGroups.add(groupId);
  }

  /** The alerts on one card, worst and newest first. */
  async group(customerId: string, groupId: string): Promise<Alert[]> {
    return sortWorstFirst(await this.options.store.alertsInGroup(customerId, groupId));
  }

  posts(customerId: string, groupId: string): Promise<AlertPost[]> {
    return this.options.store.alertPosts(customerId, groupId);
  }

  /** People an escalation mentions: `oncall` (or `admin`) on the customer. */
  oncallPeople(customerId: string): Person[] {
    return this.options.access.peopleWith('oncall', customerId);
  }

  /**
   * What a watch cycle does besides reading the fleet, for when no watcher runs (WATCH_INTERVAL_SECONDS=0) and
   * alerts come only from Azure Monitor and the change workflow: each customer with open alerts gets suppression
   * brought up to date (a silence that ran out lets its alerts be posted) and its unacknowledged critical alerts
   * escalated. Compare-and-set writes, so several instances doing this post nothing twice.
   */
  async upkeep(customerIds: readonly string[]): Promise<CycleOutcome> {
    const now = this.options.clock.now();
    const open = await this.options.store.listAlerts({ customerIds });
    const byCustomer = new Map<string, Alert[]>();
    for (const a of open) byCustomer.set(a.customerId, [...(byCustomer.get(a.customerId) ?? []), a]);
    const total: CycleOutcome = { written: 0, lost: 0, postable: 0 };
    for (const [customerId, alerts] of byCustomer) {
      const { written, lost, postable } = await this.commit(customerId, alerts, new Map(), { now, escalate: true });
      total.written += written;
      total.lost += lost;
      total.postable += postable;
    }
    return total;
  }

  /** Forgets alerts resolved, and silences ended, more than `retentionMs` ago. */
  async prune(): Promise<PruneOutcome> {
    const pruned = await this.options.store.prune(this.options.clock.now() - this.policy.retentionMs);
    if (pruned.alerts > 0 || pruned.silences > 0) this.options.logger.info(pruned, 'old alerts and silences pruned');
    return pruned;
  }

  /** Suppression and postable alerts again, after a silence began or ended or an external report. */
  async refresh(customerId: string): Promise<CycleOutcome> {
    const now = this.options.clock.now();
    return this.commit(customerId, await this.recent(customerId, now), new Map(), { now });
  }

  private stepContext(now: number) {
    return { now, policy: this.policy, newId: newAlertId };
  }

  private recent(customerId: string, now: number): Promise<Alert[]> {
    return this.options.store.listAlerts({ customerIds: [customerId], resolvedSince: now - this.policy.flapWindowMs });
  }

  private async createSilence(customer: Customer, fields: Omit<Silence, 'id' | 'customerId' | 'createdAt'>): Promise<Silence> {
    const silence: Silence = { id: newSilenceId(), customerId: customer.id, createdAt: this.options.clock.now(), ...fields };
    await this.options.store.createSilence(silence);
    this.options.logger.info(
      { silenceId: silence.id, customerId: customer.id, circuitId: silence.circuitId, endsAt: silence.endsAt },
      'silence created',
    );
    await this.refresh(customer.id);
    return silence;
  }

  private customerOf(circuitId: string): Customer {
    const subscription = subscriptionOfArmId(circuitId);
    const customer = this.options.access
      .allCustomers()
      .find((c) => subscription !== undefined && c.subscriptions.some((s) => s.toLowerCase() === subscription));
    if (customer) return customer;
    throw new CodedError(ErrorCode.NotFound, `No customer in the directory has the subscription of ${circuitId.slice(0, 200)}.`, {
      hint: 'Add the subscription to its customer in the directory file.',
    });
  }

  /**
   * Applies `changes` on top of what was stored, brings every open alert's suppression up to date, escalates
   * (in a watch cycle), writes each change as a compare-and-set, and publishes what the cards need.
   */
  private async commit(
    customerId: string,
    existing: readonly Alert[],
    changes: Map<string, Change>,
    facts: { now: number; maintenance?: ReadonlyMap<string, string>; escalate?: boolean },
  ): Promise<CycleOutcome & { lostIds: ReadonlySet<string> }> {
    const stored = new Map(existing.map((a) => [a.id, a]));
    const working = new Map(stored);
    for (const c of changes.values()) working.set(c.after.id, c.after);
    const update = (after: Alert, escalated = false) => {
      const prior = changes.get(after.id);
      changes.set(after.id, {
        before: prior ? prior.before : stored.get(after.id),
        after,
        escalated: escalated || prior?.escalated === true,
      });
      working.set(after.id, after);
    };
    const open = [...working.values()].filter(isOpen);
    if (open.length > 0) {
      const silences = await this.options.store.listSilences({ customerIds: [customerId], endingAfter: facts.now });
      const customer = this.options.access.customer(customerId);
      const changeWindow = customer && changeWindowNote(customer, facts.now);
      // Outside a cycle, a change executing is what the last cycle saw; the change window is judged afresh.
      const maintenance =
        facts.maintenance ??
        new Map(
          open.flatMap((a) =>
            a.expected && !(customer && isChangeWindowNote(customer, a.expected)) ? [[a.circuitId.toLowerCase(), a.expected] as const] : [],
          ),
        );
      // Only an alert on the same circuit can inhibit another: grouped once, so a customer's outage with a thousand
      // open alerts costs a thousand lookups, not a million comparisons.
      const onCircuit = new Map<string, Alert[]>();
      for (const alert of open) {
        const circuit = alert.circuitId.toLowerCase();
        const list = onCircuit.get(circuit);
        if (list) list.push(alert);
        else onCircuit.set(circuit, [alert]);
      }
      for (const alert of open) {
        const next = suppress(alert, onCircuit.get(alert.circuitId.toLowerCase()) ?? [], {
          now: facts.now,
          silences,
          maintenance,
          changeWindow,
        });
        if (next) update(next);
      }
      if (facts.escalate) {
        // A card is posted again once (per cycle) when any of its alerts is due; all its due-able alerts count it.
        const afterMs = this.escalateAfterMs(customerId);
        const max = this.policy.maxEscalations;
        const current = [...working.values()].filter(isOpen);
        const due = new Set(current.flatMap((a) => (a.groupId !== undefined && escalate(a, facts.now, afterMs, max) ? [a.groupId] : [])));
        for (const alert of current) {
          const next = alert.groupId !== undefined && due.has(alert.groupId) ? escalate(alert, facts.now, 0, max) : undefined;
          if (next) update(next, true);
        }
      }
    }
    const outcome: CycleOutcome = { written: 0, lost: 0, postable: 0 };
    const lostIds = new Set<string>();
    const escalated = new Map<string, Alert[]>();
    const writes = [...changes.values()].map((change) => ({
      change,
      alert: { ...change.after, version: (change.before?.version ?? 0) + 1 },
    }));
    const saved =
      writes.length === 0
        ? []
        : await this.options.store.saveAlerts(
            writes.map(({ change, alert }) => (change.before ? { alert, expectVersion: change.before.version } : { alert })),
          );
    writes.forEach(({ change, alert: after }, i) => {
      const { before } = change;
      if (!saved[i]) {
        outcome.lost++;
        lostIds.add(after.id);
        working.delete(after.id);
        return;
      }
      outcome.written++;
      working.set(after.id, after);
      if (after.groupId && (!before || shownFacts(before) !== shownFacts(after))) this.events.emit({ type: 'changed', alert: after });
      if (change.escalated && after.groupId) escalated.set(after.groupId, [...(escalated.get(after.groupId) ?? []), after]);
    });
    for (const [groupId, alerts] of escalated) this.events.emit({ type: 'escalated', customerId, groupId, alerts });
    const postable = [...working.values()].filter(isPostable);
    // Claims never posted (every send failed, or the instance died between claim and send): postable again.
    const stale = [...working.values()].filter((a) => isClaimStale(a, facts.now, this.policy.claimTtlMs));
    for (const groupId of new Set(stale.map((a) => a.groupId!))) {
      if (!(await this.hasPosts(customerId, groupId))) postable.push(...stale.filter((a) => a.groupId === groupId));
    }
    outcome.postable = postable.length;
    if (postable.length > 0) this.events.emit({ type: 'postable', customerId, alerts: sortWorstFirst(postable) });
    if (outcome.written > 0 || outcome.lost > 0) this.options.logger.debug({ customerId, ...outcome }, 'alerts updated');
    return { ...outcome, lostIds };
  }
}

function byKey(alerts: readonly Alert[]): { open: Map<string, Alert>; lastResolved: Map<string, Alert> } {
  const open = new Map<string, Alert>();
  const lastResolved = new Map<string, Alert>();
  for (const a of alerts) {
    if (isOpen(a)) open.set(a.key, a);
    else if ((lastResolved.get(a.key)?.resolvedAt ?? -Infinity) < (a.resolvedAt ?? 0)) lastResolved.set(a.key, a);
  }
  return { open, lastResolved };
}

/** Critical first, then newest first. */
export function sortWorstFirst(alerts: readonly Alert[]): Alert[] {
  const rank = (a: Alert) => (a.state === 'resolved' ? 2 : a.severity === 'critical' ? 0 : 1);
  return [...alerts].sort(
    (a, b) => rank(a) - rank(b) || (b.firedAt ?? b.createdAt) - (a.firedAt ?? a.createdAt) || a.id.localeCompare(b.id),
  );
}

function busy(id: string): CodedError {
  return new CodedError(ErrorCode.Conflict, `Alert ${id} is being changed by several people at once.`, { hint: 'Try again in a moment.' });
}
