import type { AlertConditionId } from '../alerts/alert-conditions';
import type { ExternalSignal } from '../alerts/alert-workflow';
import { MAX_SILENCE_MS } from '../alerts/silence-duration';
import { formatCircuitId, networkResourceId, tryParseArmId } from '../network/arm-id';
import { pathOfDimension, peeringKindOfDimension } from '../network/metric-dimensions';
import { PEERING_ARM_NAME, type DevicePath } from '../network/types';
import { formatBps } from '../network/utilisation';
import type {
  CommonAlert,
  ImpactedService,
  MetricAlertContext,
  MetricCriterion,
  ResourceHealthContext,
  ServiceHealthContext,
} from './common-alert-schema';

/*
 * What a common-schema alert means for ExpressRoute, as pure functions: which circuits it is about, and the
 * signals and silences it asks of the alert intake. Metric names and dimensions map onto the very conditions the
 * watcher raises (same circuit, peering, link and condition: the same alert key), so an alert Azure Monitor sends
 * and one the watcher raises are one alert.
 */

/** A planned-maintenance window: the circuit's alerts are recorded, not posted, from `from` to `to`. */
export interface PlannedSilence {
  circuitId: string;
  from: number;
  to: number;
  reason: string;
  /** The Service Health event's tracking id: its update replaces this circuit's silence for the event. */
  trackingId?: string;
}

/** A Service Health event that is over, or no longer silences anything: its silences on the circuit end. */
export interface EndedMaintenance {
  circuitId: string;
  trackingId: string;
}

/** What one alert asks of the intake, or why it asks nothing. */
export type AlertPlan =
  { kind: 'act'; signals: ExternalSignal[]; silences: PlannedSilence[]; ends?: EndedMaintenance[] } | { kind: 'ignored'; reason: string };

/** The alert kinds the bot reads: the alertContext schema and the plan follow from it. */
export type AlertKind = 'metric' | 'resource-health' | 'service-health';

const CIRCUIT_TYPE = 'expressRouteCircuits';
const EVIDENCE_CHARS = 300;

const squash = (s: string) => s.replace(/[^a-z0-9]/gi, '').toLowerCase();
const clip = (s: string, max = EVIDENCE_CHARS) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);
const utc = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** Which kind of alert this is, or why the bot does not read it. */
export function alertKind(alert: CommonAlert): AlertKind | { ignored: string } {
  const { monitoringService, signalType } = alert.data.essentials;
  const service = squash(monitoringService);
  if (service === 'platform' && squash(signalType ?? '') === 'metric') return 'metric';
  if (service === 'resourcehealth') return 'resource-health';
  if (service === 'servicehealth') return 'service-health';
  return {
    ignored:
      `${clip(monitoringService, 100)}${signalType ? ` ${clip(signalType, 50)}` : ''} alerts are not read: ` +
      'the bot reads metric alerts, Resource Health and Service Health',
  };
}

/**
 * The ExpressRoute circuits among an alert's targets, as canonical ids (Azure writes them in lower case; the
 * subscription, which names the customer, is compared in lower case everywhere).
 */
export function circuitTargets(alert: CommonAlert): string[] {
  const ids = new Map<string, string>();
  for (const target of alert.data.essentials.alertTargetIDs ?? []) {
    const parsed = networkResourceId(target, CIRCUIT_TYPE);
    if (!parsed) continue;
    const id = formatCircuitId(parsed.subscriptionId.toLowerCase(), parsed.resourceGroup, parsed.name);
    if (!ids.has(id.toLowerCase())) ids.set(id.toLowerCase(), id);
  }
  return [...ids.values()];
}

/** Targets that are whole subscriptions (`/subscriptions/<id>`), as Service Health names them. */
export function subscriptionTargets(alert: CommonAlert): string[] {
  const out = new Set<string>();
  for (const target of alert.data.essentials.alertTargetIDs ?? []) {
    const m = /^\/subscriptions\/([0-9a-f-]{36})\/?$/i.exec(target.trim());
    if (m?.[1]) out.add(m[1].toLowerCase());
  }
  return [...out];
}

/** "not about an ExpressRoute circuit (target: microsoft.compute/virtualmachines)". */
export function notAboutCircuits(alert: CommonAlert): string {
  const types = new Set(
    (alert.data.essentials.alertTargetIDs ?? []).map((t) => {
      const parsed = tryParseArmId(t);
      return parsed ? `${parsed.provider}/${parsed.type}`.toLowerCase() : 'not a resource id';
    }),
  );
  const said = [...types].slice(0, 3).map((t) => clip(t, 100));
  return `not about an ExpressRoute circuit (${said.length === 0 ? 'no target' : `target: ${said.join(', ')}`})`;
}

function signal(circuitId: string, at: Subject, status: ExternalSignal['status'], evidence: string[]): ExternalSignal {
  return { circuitId, condition: at.condition, peering: at.peering, link: at.link, status, evidence, source: 'azure-monitor' };
}

/** Where a condition holds: the alert key's parts other than the circuit. */
interface Subject {
  condition: AlertConditionId;
  peering?: string | undefined;
  link?: DevicePath | undefined;
}

function dimension(c: MetricCriterion, name: string): string | undefined {
  return c.dimensions?.find((d) => d.name.toLowerCase() === name.toLowerCase())?.value;
}

/** The peering and link a metric's PeeringType and Peer dimensions name (the rule must split by them). */
function placeOf(c: MetricCriterion): { peering?: string; link?: DevicePath } {
  const kind = peeringKindOfDimension(dimension(c, 'PeeringType') ?? '');
  const link = pathOfDimension(dimension(c, 'Peer') ?? '');
  return { ...(kind ? { peering: PEERING_ARM_NAME[kind] } : {}), ...(link ? { link } : {}) };
}

/** Metrics the bot alerts on, by REST name: the conditions a criterion can raise (or resolve), where. */
const METRIC_CONDITIONS: Record<string, (c: MetricCriterion, status: ExternalSignal['status']) => Subject[]> = {
  bgpavailability: (c, status) => {
    const { peering, link } = placeOf(c);
    if (link) return [{ condition: 'bgp-link-down', peering, link }];
    // Not split by Peer: the value averages both links, so 0 is both down; more says one is, not which.
    if (status === 'resolved')
      return [
        { condition: 'bgp-outage', peering },
        { condition: 'bgp-link-down', peering },
      ];
    return [{ condition: c.metricValue !== undefined && c.metricValue <= 0 ? 'bgp-outage' : 'bgp-link-down', peering }];
  },
  arpavailability: (c) => [{ condition: 'arp-missing', ...placeOf(c) }],
  bitsinpersecond: () => [{ condition: 'utilisation-high' }],
  bitsoutpersecond: () => [{ condition: 'utilisation-high' }],
  qosdropbitsinpersecond: () => [{ condition: 'rate-limit-drops' }],
  qosdropbitsoutpersecond: () => [{ condition: 'rate-limit-drops' }],
};

const MAPPED_METRICS =
  'BgpAvailability, ArpAvailability, BitsInPerSecond, BitsOutPerSecond, QosDropBitsInPerSecond, QosDropBitsOutPerSecond';

function metricValueWords(metric: string, value: number | string | undefined): string {
  const n = typeof value === 'string' ? Number(value) : value;
  if (n === undefined || !Number.isFinite(n)) return value === undefined ? 'no value' : clip(String(value), 50);
  if (/persecond$/i.test(metric)) return formatBps(n);
  if (/availability$/i.test(metric)) return `${Number(n.toPrecision(4))}%`;
  return String(Number(n.toPrecision(6)));
}

/** "Azure Monitor rule "er-bgp" (Sev1): BgpAvailability 0% (LessThan 90%, Average over PT5M), PeeringType PrivatePeering, Peer Primary-IPv4". */
function criterionEvidence(alert: CommonAlert, context: MetricAlertContext, c: MetricCriterion): string {
  const { alertRule, severity } = alert.data.essentials;
  const rule = `Azure Monitor${alertRule ? ` rule "${clip(alertRule, 80)}"` : ''}${severity ? ` (${severity})` : ''}`;
  const test = [
    [c.operator, c.threshold === undefined ? undefined : metricValueWords(c.metricName, c.threshold)].filter(Boolean).join(' '),
    [c.timeAggregation, context.condition.windowSize ? `over ${context.condition.windowSize}` : undefined].filter(Boolean).join(' '),
  ].filter(Boolean);
  const dims = (c.dimensions ?? []).slice(0, 4).map((d) => `${clip(d.name, 40)} ${clip(d.value, 60)}`);
  return clip(
    `${rule}: ${c.metricName} ${metricValueWords(c.metricName, c.metricValue)}${test.length > 0 ? ` (${test.join(', ')})` : ''}` +
      (dims.length > 0 ? `, ${dims.join(', ')}` : ''),
  );
}

function status(alert: CommonAlert): ExternalSignal['status'] {
  return alert.data.essentials.monitorCondition === 'Resolved' ? 'resolved' : 'firing';
}

/** A metric alert on circuits: each criterion on a metric the bot alerts on, for each circuit. */
export function metricPlan(alert: CommonAlert, context: MetricAlertContext, circuitIds: readonly string[]): AlertPlan {
  const how = status(alert);
  const bySubject = new Map<string, { at: Subject; evidence: string[] }>();
  for (const c of context.condition.allOf) {
    for (const at of METRIC_CONDITIONS[c.metricName.toLowerCase()]?.(c, how) ?? []) {
      const key = [at.condition, at.peering ?? '', at.link ?? ''].join('|');
      const found = bySubject.get(key) ?? { at, evidence: [] };
      found.evidence.push(criterionEvidence(alert, context, c));
      bySubject.set(key, found);
    }
  }
  if (bySubject.size === 0) {
    const names = [...new Set(context.condition.allOf.map((c) => clip(c.metricName, 80)))].slice(0, 3).join(', ');
    return { kind: 'ignored', reason: `the metric ${names} is not one the bot alerts on (${MAPPED_METRICS})` };
  }
  const signals = circuitIds.flatMap((id) => [...bySubject.values()].map(({ at, evidence }) => signal(id, at, how, evidence)));
  return { kind: 'act', signals, silences: [] };
}

/** Resource Health: Unavailable or Degraded raises `azure-health` on the circuit; Available (or the end of the event) resolves it. */
export function resourceHealthPlan(alert: CommonAlert, context: ResourceHealthContext, circuitIds: readonly string[]): AlertPlan {
  const p = context.properties;
  const health = p.currentHealthStatus.toLowerCase();
  const over = status(alert) === 'resolved' || context.status?.toLowerCase() === 'resolved' || health === 'available';
  if (!over && health !== 'unavailable' && health !== 'degraded') {
    return { kind: 'ignored', reason: `Resource Health reports ${clip(p.currentHealthStatus, 50)}: nothing to raise or resolve` };
  }
  const evidence = clip(
    `Azure Resource Health: ${p.currentHealthStatus}${p.previousHealthStatus ? ` (was ${p.previousHealthStatus})` : ''}` +
      `${p.title ? `: ${p.title}` : ''}${p.type ? `; ${p.type}` : ''}${p.cause ? `, cause ${p.cause}` : ''}`,
  );
  const at: Subject = { condition: 'azure-health' };
  return { kind: 'act', signals: circuitIds.map((id) => signal(id, at, over ? 'resolved' : 'firing', [evidence])), silences: [] };
}

/** Where a Service Health event strikes ExpressRoute: its services of that name, and their regions (none: all). */
export interface ServiceHealthScope {
  services: ImpactedService[];
  /** Region names squashed ("westeurope"), to compare with a circuit's location; undefined means every region. */
  regions: ReadonlySet<string> | undefined;
}

/** The ExpressRoute part of a Service Health event, or why it has none. */
export function serviceHealthScope(context: ServiceHealthContext): ServiceHealthScope | { ignored: string } {
  const all = context.properties.impactedServices;
  const services = all.filter((s) => /expressroute/i.test(s.ServiceName));
  if (services.length === 0) {
    const names = [...new Set(all.map((s) => clip(s.ServiceName, 80)))].slice(0, 3).join(', ') || 'no service';
    return { ignored: `a Service Health event for ${names}, not ExpressRoute` };
  }
  const names = services.flatMap((s) => (s.ImpactedRegions ?? []).map((r) => squash(r.RegionName)));
  const regions = names.length === 0 || names.includes('global') ? undefined : new Set(names);
  return { services, regions };
}

export function inRegions(scope: ServiceHealthScope, location: string): boolean {
  return scope.regions === undefined || scope.regions.has(squash(location));
}

const ENDED_STAGES = new Set(['resolved', 'complete', 'completed', 'canceled', 'cancelled', 'rca']);
const SHOWN_TYPES = new Set(['incident', 'maintenance', 'actionrequired', 'security']);

/**
 * Service Health on these circuits: an incident (or an action-required or security advisory) raises `azure-health`
 * until its stage says it is over; planned maintenance silences each circuit for its window and is shown.
 */
export function serviceHealthPlan(
  alert: CommonAlert,
  context: ServiceHealthContext,
  scope: ServiceHealthScope,
  circuitIds: readonly string[],
  now: number,
): AlertPlan {
  const p = context.properties;
  const type = squash(p.incidentType);
  if (!SHOWN_TYPES.has(type))
    return { kind: 'ignored', reason: `a Service Health ${clip(p.incidentType, 50)} notice is not an incident nor maintenance` };
  const over = status(alert) === 'resolved' || context.status?.toLowerCase() === 'resolved' || ENDED_STAGES.has(squash(p.stage ?? ''));
  const at: Subject = { condition: 'azure-health' };
  const trackingId = p.trackingId?.trim() ? clip(p.trackingId.trim(), 200) : undefined;
  // The event's silences are keyed by its tracking id: without one, an update or its end cannot be matched.
  const ends = trackingId === undefined ? [] : circuitIds.map((circuitId) => ({ circuitId, trackingId }));
  if (over) return { kind: 'act', signals: circuitIds.map((id) => signal(id, at, 'resolved', [])), silences: [], ends };

  const where = [...new Set(scope.services.flatMap((s) => (s.ImpactedRegions ?? []).map((r) => clip(r.RegionName, 40))))]
    .slice(0, 4)
    .join(', ');
  const what = `${clip(scope.services.map((s) => s.ServiceName).join(', '), 80)}${where ? `, ${where}` : ''}`;
  const tracking = p.trackingId ? ` ${clip(p.trackingId, 40)}` : '';
  const title = p.title ? `: ${clip(p.title, 150)}` : '';
  if (type !== 'maintenance') {
    const evidence = clip(`Azure Service Health ${p.incidentType}${tracking} (${what})${title}`);
    return { kind: 'act', signals: circuitIds.map((id) => signal(id, at, 'firing', [evidence])), silences: [] };
  }

  const from = p.impactStartTime ? Date.parse(p.impactStartTime) : now;
  const end = p.impactMitigationTime ? Date.parse(p.impactMitigationTime) : undefined;
  if (end !== undefined && end <= now) return { kind: 'ignored', reason: `the maintenance window ended at ${utc(end)}` };
  // Silences last at most MAX_SILENCE_MS, as typed ones do; a longer window is silenced for its start.
  const to = end === undefined || end <= from ? undefined : Math.min(end, from + MAX_SILENCE_MS);
  const window = `${utc(from)} to ${end === undefined ? 'an end Azure has not given' : utc(end)}`;
  const evidence = clip(
    `Azure planned maintenance${tracking} (${what}) from ${window}${title}. ` +
      (to === undefined ? 'Nothing is silenced without an end time.' : "The circuit's alerts are silenced for the window."),
  );
  const reason = clip(`Azure planned maintenance${tracking}${title}`, 500);
  return {
    kind: 'act',
    silences:
      to === undefined ? [] : circuitIds.map((circuitId) => ({ circuitId, from, to, reason, ...(trackingId ? { trackingId } : {}) })),
    signals: circuitIds.map((id) => signal(id, at, 'firing', [evidence])),
    // An update that no longer gives an end silences nothing: the window it replaces ends.
    ...(to === undefined ? { ends } : {}),
  };
}
