import { z } from 'zod';
import { describeInputProblems } from '../input-problems';

/*
 * The Azure Monitor common alert schema, as action groups send it to a webhook with "Enable the common alert
 * schema" on (https://learn.microsoft.com/azure/azure-monitor/alerts/alerts-common-schema, samples in
 * "Sample alert payloads"). Only what the bot reads is checked; everything else Azure adds passes through, so a
 * new field never turns a real alert into a 400. `essentials` is checked for every alert; an `alertContext` only
 * when the alert concerns ExpressRoute and the bot acts on it.
 */

export const COMMON_ALERT_SCHEMA_ID = 'azureMonitorCommonAlertSchema';

/** Azure's other webhook schemas: an action group without the common schema sends these. */
const OTHER_SCHEMA_IDS = ['AzureMonitorMetricAlert', 'Microsoft.Insights/activityLogs', 'Microsoft.Insights/LogAlert'];

const text = (max: number) => z.string().max(max);
/** Absent and null mean "not given". */
const given = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === null ? undefined : v), schema.optional());
/** Absent, null and "" mean "not given" (Azure writes "" for a text it has no value for). */
const givenText = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' || v === null ? undefined : v), schema.optional());

/** A date and time as Azure writes them (ISO 8601, with Z or an offset; 7 fractional digits are fine). */
const DateTime = z
  .string()
  .refine((s) => s.length <= 64 && !Number.isNaN(Date.parse(s)), 'must be a date and time such as 2026-01-31T04:00:00Z');

export const Essentials = z.looseObject({
  alertId: givenText(text(1000)),
  alertRule: givenText(text(500)),
  /** Sev0 (critical) … Sev4 (verbose); null for budget alerts. */
  severity: givenText(text(20)),
  /** Metric, Log, Activity Log (or ActivityLog for Service Health); null for budget alerts. */
  signalType: givenText(text(100)),
  monitorCondition: z.enum(['Fired', 'Resolved']),
  /** Platform, Log Alerts V2, Activity Log - Administrative, ServiceHealth, Resource Health, CostAlerts… */
  monitoringService: z.string().min(1).max(200),
  /** The resources the alert is about, as Azure writes their ids (often in lower case); a subscription for Service Health. */
  alertTargetIDs: given(z.array(text(2000)).max(100)),
  firedDateTime: givenText(DateTime),
  resolvedDateTime: givenText(DateTime),
});
export type Essentials = z.infer<typeof Essentials>;

export const CommonAlert = z.looseObject({
  schemaId: z.literal(COMMON_ALERT_SCHEMA_ID),
  data: z.looseObject({
    essentials: Essentials,
    /** Depends on the monitoring service; read with the schemas below once the alert is known to matter. */
    alertContext: given(z.record(z.string(), z.unknown())),
  }),
});
export type CommonAlert = z.infer<typeof CommonAlert>;

const Dimension = z.looseObject({ name: text(200), value: text(500) });

/** One criterion of a metric alert rule, as it held when the alert fired (or resolved). */
export const MetricCriterion = z.looseObject({
  metricName: z.string().min(1).max(200),
  metricNamespace: givenText(text(200)),
  operator: givenText(text(50)),
  threshold: givenText(z.union([text(50), z.number()])),
  timeAggregation: givenText(text(50)),
  dimensions: given(z.array(Dimension).max(50)),
  metricValue: given(z.number()),
});
export type MetricCriterion = z.infer<typeof MetricCriterion>;

/** monitoringService Platform, signalType Metric: static and dynamic thresholds. */
export const MetricAlertContext = z.looseObject({
  conditionType: givenText(text(100)),
  condition: z.looseObject({
    windowSize: givenText(text(50)),
    allOf: z.array(MetricCriterion).min(1).max(50),
  }),
});
export type MetricAlertContext = z.infer<typeof MetricAlertContext>;

/** monitoringService Resource Health: the resource's health changed. */
export const ResourceHealthContext = z.looseObject({
  /** Active, In Progress, Resolved, Updated. */
  status: givenText(text(100)),
  properties: z.looseObject({
    title: givenText(text(1000)),
    /** Available, Unavailable, Degraded, Unknown. */
    currentHealthStatus: z.string().min(1).max(100),
    previousHealthStatus: givenText(text(100)),
    type: givenText(text(100)),
    cause: givenText(text(100)),
  }),
});
export type ResourceHealthContext = z.infer<typeof ResourceHealthContext>;

const ImpactedService = z.looseObject({
  ServiceName: text(200),
  ImpactedRegions: given(z.array(z.looseObject({ RegionName: text(100) })).max(200)),
});
export type ImpactedService = z.infer<typeof ImpactedService>;

/** A list, or (as most Service Health alerts send it) the same list as escaped JSON text. */
const ImpactedServices = z.union([
  z.array(ImpactedService).max(200),
  z
    .string()
    .max(200_000)
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'is neither a list nor a list written as JSON text' });
        return z.NEVER;
      }
    })
    .pipe(z.array(ImpactedService).max(200)),
]);

/** monitoringService ServiceHealth: an incident, planned maintenance, a health advisory or a security advisory. */
export const ServiceHealthContext = z.looseObject({
  /** Active or Resolved. */
  status: givenText(text(100)),
  properties: z.looseObject({
    title: givenText(text(1000)),
    /** Incident, Maintenance, Informational, ActionRequired, Security. */
    incidentType: z.string().min(1).max(100),
    trackingId: givenText(text(100)),
    /** Incident: Active, Resolved, RCA. Maintenance: Planned, Active, InProgress, Rescheduled, Canceled, Resolved, Complete. */
    stage: givenText(text(100)),
    impactStartTime: givenText(DateTime),
    impactMitigationTime: givenText(DateTime),
    impactedServices: ImpactedServices,
  }),
});
export type ServiceHealthContext = z.infer<typeof ServiceHealthContext>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

/** The body as a common-schema alert, or what is wrong with it (naming fields, never their values). */
export function parseCommonAlert(body: unknown): Parsed<CommonAlert> {
  const parsed = CommonAlert.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  const schemaId = typeof body === 'object' && body !== null ? (body as { schemaId?: unknown }).schemaId : undefined;
  if (typeof schemaId === 'string' && OTHER_SCHEMA_IDS.some((id) => id.toLowerCase() === schemaId.toLowerCase())) {
    return {
      ok: false,
      problem: `this is Azure Monitor's ${schemaId} schema: turn on "Enable the common alert schema" for this webhook in the action group`,
    };
  }
  return { ok: false, problem: describeInputProblems(body, parsed.error.issues) };
}

/** An alert's `alertContext` through one of the schemas above, problems named from the body's root. */
export function parseAlertContext<T>(body: unknown, schema: z.ZodType<T>): Parsed<T> {
  const context = (body as { data?: { alertContext?: unknown } }).data?.alertContext;
  const parsed = schema.safeParse(context);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.map((issue) => ({ ...issue, path: ['data', 'alertContext', ...issue.path] }));
  return { ok: false, problem: describeInputProblems(body, issues) };
}
