import type { Alert } from '../alerts/alert';
import type { AlertIntake } from '../alerts/alert-workflow';
import type { Clock } from '../clock';
import type { Access } from '../directory/access';
import type { Customer } from '../directory/directory';
import { CodedError, ErrorCode } from '../errors';
import type { Logger } from '../log';
import { armIdName } from '../network/arm-id';
import type { Circuit } from '../network/types';
import {
  MetricAlertContext,
  ResourceHealthContext,
  ServiceHealthContext,
  parseAlertContext,
  parseCommonAlert,
  type CommonAlert,
} from './common-alert-schema';
import {
  type AlertPlan,
  alertKind,
  circuitTargets,
  inRegions,
  metricPlan,
  notAboutCircuits,
  resourceHealthPlan,
  serviceHealthPlan,
  serviceHealthScope,
  subscriptionTargets,
} from './expressroute-alerts';

/** What became of one POST: the HTTP adapter answers 400, 200 `{ ignored }` or 200 `{ accepted }` from it. */
export type AzureAlertOutcome =
  | { kind: 'malformed'; problem: string }
  | { kind: 'ignored'; reason: string }
  | {
      kind: 'accepted';
      /** Alerts raised, joined, reopened or resolved. */
      alerts: { id: string; circuit: string; condition: string; state: string }[];
      silences: { id: string; circuit: string; startsAt: string; endsAt: string }[];
      /** Silences of a planned maintenance that is over (or was moved): ended now. */
      endedSilences: { id: string; circuit: string }[];
      /** Signals that changed nothing (e.g. resolved while the watcher still sees the trouble). */
      unchanged: number;
    };

/**
 * The circuits of these customers from the inventory every answer reads (app/answers/visible-circuits), and the
 * customers whose inventory could not be read.
 */
export type CircuitInventory = (customers: readonly Customer[]) => Promise<{ circuits: { circuit: Circuit }[]; failures: unknown[] }>;

export interface AzureMonitorIntakeOptions {
  /** The alert workflow's port: raises, joins and resolves alerts, and silences circuits for maintenance. */
  intake: AlertIntake;
  /** Which customer lists a subscription. */
  access: Access;
  /** Where a Service Health event's subscriptions find their circuits. */
  inventory: CircuitInventory;
  clock: Clock;
  logger: Logger;
}

/**
 * Azure Monitor in: one common-schema alert from an action group's webhook → signals and silences for the alert
 * intake. Malformed bodies change nothing; alerts about anything but the directory's ExpressRoute circuits are
 * ignored with the reason; circuits whose subscription no customer lists are skipped (and logged), never guessed.
 */
export class AzureMonitorIntake {
  constructor(private readonly options: AzureMonitorIntakeOptions) {}

  async receive(body: unknown): Promise<AzureAlertOutcome> {
    const { logger } = this.options;
    const parsed = parseCommonAlert(body);
    if (!parsed.ok) {
      logger.warn({ problem: parsed.problem }, 'azure alert refused: not a common-schema alert');
      return { kind: 'malformed', problem: parsed.problem };
    }
    const alert = parsed.value;
    const { alertId, monitoringService, monitorCondition } = alert.data.essentials;
    const about = { alertId, monitoringService, monitorCondition };
    const plan = await this.plan(body, alert);
    if (plan.kind === 'malformed') {
      logger.warn({ ...about, problem: plan.problem }, 'azure alert refused: malformed alert context');
      return plan;
    }
    if (plan.kind === 'ignored') {
      logger.info({ ...about, reason: plan.reason }, 'azure alert ignored');
      return plan;
    }
    return this.apply(plan, about);
  }

  private async plan(body: unknown, alert: CommonAlert): Promise<AlertPlan | { kind: 'malformed'; problem: string }> {
    const kind = alertKind(alert);
    if (typeof kind === 'object') return { kind: 'ignored', reason: kind.ignored };
    const circuits = circuitTargets(alert);
    if (kind === 'service-health') {
      const context = parseAlertContext(body, ServiceHealthContext);
      if (!context.ok) return { kind: 'malformed', problem: context.problem };
      const scope = serviceHealthScope(context.value);
      if ('ignored' in scope) return { kind: 'ignored', reason: scope.ignored };
      const impacted = [...circuits, ...(await this.circuitsIn(subscriptionTargets(alert), (location) => inRegions(scope, location)))];
      if (impacted.length === 0)
        return { kind: 'ignored', reason: 'no circuit this bot looks after is in the impacted subscriptions and regions' };
      const unique = [...new Map(impacted.map((id) => [id.toLowerCase(), id])).values()];
      return serviceHealthPlan(alert, context.value, scope, unique, this.options.clock.now());
    }
    if (circuits.length === 0) return { kind: 'ignored', reason: notAboutCircuits(alert) };
    if (kind === 'metric') {
      const context = parseAlertContext(body, MetricAlertContext);
      return context.ok ? metricPlan(alert, context.value, circuits) : { kind: 'malformed', problem: context.problem };
    }
    const context = parseAlertContext(body, ResourceHealthContext);
    return context.ok ? resourceHealthPlan(alert, context.value, circuits) : { kind: 'malformed', problem: context.problem };
  }

  /**
   * The circuits of these subscriptions whose location passes `where`, from the inventory. A tenant whose
   * inventory cannot be read fails the whole call: Azure Monitor retries a 503, and a guess would be worse.
   */
  private async circuitsIn(subscriptionIds: readonly string[], where: (location: string) => boolean): Promise<string[]> {
    if (subscriptionIds.length === 0) return [];
    const wanted = new Set(subscriptionIds);
    const customers = this.options.access.allCustomers().filter((c) => c.subscriptions.some((s) => wanted.has(s.toLowerCase())));
    if (customers.length === 0) return [];
    const found = await this.options.inventory(customers);
    if (found.failures.length > 0) {
      throw new CodedError(ErrorCode.ArmUnavailable, 'The circuits of the impacted subscriptions could not be read.', {
        hint: 'Azure Monitor sends the alert again.',
      });
    }
    return found.circuits
      .map((o) => o.circuit)
      .filter((c) => wanted.has(c.subscriptionId.toLowerCase()) && where(c.location))
      .map((c) => c.id);
  }

  private async apply(plan: Extract<AlertPlan, { kind: 'act' }>, about: Record<string, unknown>): Promise<AzureAlertOutcome> {
    const { intake, logger } = this.options;
    const outcome: Extract<AzureAlertOutcome, { kind: 'accepted' }> = {
      kind: 'accepted',
      alerts: [],
      silences: [],
      endedSilences: [],
      unchanged: 0,
    };
    const skipped = new Set<string>();
    for (const e of plan.ends ?? []) {
      const ended = await notInDirectory(skipped, e.circuitId, () => intake.endSilencesFor(e.circuitId, e.trackingId));
      for (const s of ended ?? []) outcome.endedSilences.push({ id: s.id, circuit: s.circuitName ?? armIdName(e.circuitId) });
    }
    // Silences first: an alert raised inside its window is recorded, not posted.
    for (const s of plan.silences) {
      if (skipped.has(s.circuitId.toLowerCase())) continue;
      const silence = await notInDirectory(skipped, s.circuitId, () =>
        intake.silenceFor(s.circuitId, s.from, s.to, s.reason, s.trackingId),
      );
      if (silence) {
        const window = { startsAt: new Date(silence.startsAt).toISOString(), endsAt: new Date(silence.endsAt).toISOString() };
        outcome.silences.push({ id: silence.id, circuit: silence.circuitName ?? armIdName(s.circuitId), ...window });
      }
    }
    for (const signal of plan.signals) {
      if (skipped.has(signal.circuitId.toLowerCase())) continue;
      const alert: Alert | undefined | null = await notInDirectory(skipped, signal.circuitId, () => intake.ingest(signal));
      if (alert) outcome.alerts.push({ id: alert.id, circuit: alert.circuitName, condition: alert.condition, state: alert.state });
      else if (alert === undefined) outcome.unchanged++;
    }
    if (skipped.size > 0)
      logger.info({ ...about, circuits: [...skipped] }, 'azure alert: circuits of no customer in the directory skipped');
    if (outcome.alerts.length === 0 && outcome.silences.length === 0 && outcome.endedSilences.length === 0 && outcome.unchanged === 0) {
      return { kind: 'ignored', reason: 'the alert is about no circuit this bot looks after' };
    }
    logger.info(
      {
        ...about,
        alerts: outcome.alerts.map((a) => a.id),
        silences: outcome.silences.map((s) => s.id),
        endedSilences: outcome.endedSilences.map((s) => s.id),
        unchanged: outcome.unchanged,
      },
      'azure alert accepted',
    );
    return outcome;
  }
}

/**
 * Runs `work` for a circuit; a circuit whose subscription no customer lists (the intake's NotFound) is added to
 * `skipped` and gives null. Anything else fails the request: Azure Monitor retries it.
 */
async function notInDirectory<T>(skipped: Set<string>, circuitId: string, work: () => Promise<T>): Promise<T | null> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof CodedError && e.code === ErrorCode.NotFound) {
      skipped.add(circuitId.toLowerCase());
      return null;
    }
    throw e;
  }
}
