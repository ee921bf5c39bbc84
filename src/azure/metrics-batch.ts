import type { TokenCredential } from '@azure/core-auth';
import { createHttpHeaders, createPipelineRequest } from '@azure/core-rest-pipeline';
import { isRecord, LeanJsonClient, shapeError, type LeanClientOptions } from './lean-pipeline';
import type { SeriesMetric } from './metric-signals';

/** Azure Monitor's metrics data plane, `metrics:getBatch` (REST spec: monitor/data-plane, metricBatch.json). */
export const METRICS_BATCH_API_VERSION = '2024-02-01';
const WHAT = 'Azure Monitor answered metrics:getBatch';

export interface MetricsBatchQuery {
  namespace: string;
  metricNames: readonly string[];
  startTime: Date;
  endTime: Date;
  /** ISO 8601 duration, or FULL for one point over the whole span. */
  interval: string;
  /** Comma separated: Average, Maximum… */
  aggregation: string;
  filter?: string;
  top?: number;
  abortSignal?: AbortSignal;
  /** Nobody is waiting (the watcher): see the scheduler's maxConcurrencyBackground. */
  background?: boolean;
}

/** The answer, as the REST spec's MetricResultsResponse defines it (only what the bot reads). */
interface RestMetric extends SeriesMetric {
  errorCode?: string | null;
  errorMessage?: string | null;
}
interface MetricResultsResponse {
  values?: { resourceid?: string | null; value?: RestMetric[] | null }[] | null;
}

const isObject = isRecord;
/** Absent, or of the type: Azure may write an absent value as null (an `average` for a minute without data). */
const optional = (x: unknown, type: 'string' | 'number') => x === undefined || x === null || typeof x === type;

/**
 * Where the answer departs from the documented shape (a path and what is wrong), or undefined when it does not.
 * Checked in place rather than parsed into a copy: a cycle reads ~100,000 points, and a schema library's copy of
 * each one doubled the garbage of the watcher's hottest path. Only what the bot reads is checked; the rest
 * (displayDescription, unit, namespace…) passes unread, as Azure may add to it.
 */
export function answerProblem(body: unknown): string | undefined {
  if (!isObject(body)) return 'body: expected an object';
  if (body.values == null) return undefined;
  if (!Array.isArray(body.values)) return 'values: expected an array';
  const values: unknown[] = body.values;
  for (let i = 0; i < values.length; i++) {
    const problem = entryProblem(values[i]);
    if (problem !== undefined) return `values.${i}${problem}`;
  }
  return undefined;
}

/*
 * The checks below run over every point of every answer, so each is a small function with a plain loop (cheap for
 * V8 to compile on a cold start), and a problem's path is put together only on the way out.
 */

function entryProblem(entry: unknown): string | undefined {
  if (!isObject(entry)) return ': expected an object';
  if (!optional(entry.resourceid, 'string')) return '.resourceid: expected a string';
  if (entry.value == null) return undefined;
  if (!Array.isArray(entry.value)) return '.value: expected an array';
  const metrics: unknown[] = entry.value;
  for (let j = 0; j < metrics.length; j++) {
    const problem = metricProblem(metrics[j]);
    if (problem !== undefined) return `.value.${j}${problem}`;
  }
  return undefined;
}

function metricProblem(metric: unknown): string | undefined {
  if (!isObject(metric)) return ': expected an object';
  if (!isObject(metric.name) || typeof metric.name.value !== 'string') return '.name.value: expected a string';
  if (!optional(metric.id, 'string')) return '.id: expected a string';
  if (!optional(metric.errorCode, 'string')) return '.errorCode: expected a string';
  if (!optional(metric.errorMessage, 'string')) return '.errorMessage: expected a string';
  if (metric.timeseries == null) return undefined;
  if (!Array.isArray(metric.timeseries)) return '.timeseries: expected an array';
  const series: unknown[] = metric.timeseries;
  for (let k = 0; k < series.length; k++) {
    const problem = seriesProblem(series[k]);
    if (problem !== undefined) return `.timeseries.${k}${problem}`;
  }
  return undefined;
}

function seriesProblem(series: unknown): string | undefined {
  if (!isObject(series)) return ': expected an object';
  if (series.metadatavalues != null) {
    if (!Array.isArray(series.metadatavalues)) return '.metadatavalues: expected an array';
    const problem = metadataProblem(series.metadatavalues);
    if (problem !== undefined) return `.metadatavalues${problem}`;
  }
  if (series.data != null) {
    if (!Array.isArray(series.data)) return '.data: expected an array';
    const problem = pointsProblem(series.data);
    if (problem !== undefined) return `.data${problem}`;
  }
  return undefined;
}

function metadataProblem(values: unknown[]): string | undefined {
  for (let m = 0; m < values.length; m++) {
    const v = values[m];
    if (!isObject(v)) return `.${m}: expected an object`;
    if (v.name != null && (!isObject(v.name) || typeof v.name.value !== 'string')) return `.${m}.name.value: expected a string`;
    if (!optional(v.value, 'string')) return `.${m}.value: expected a string`;
  }
  return undefined;
}

function pointsProblem(points: unknown[]): string | undefined {
  for (let d = 0; d < points.length; d++) {
    const point = points[d];
    if (!isObject(point) || typeof point.timeStamp !== 'string') return `.${d}.timeStamp: expected a string`;
    if (!optional(point.average, 'number') || !optional(point.maximum, 'number')) return `.${d}: average and maximum must be numbers`;
  }
  return undefined;
}

/** A metric a resource could not be given (its `errorCode` is not Success): the others still count. */
export interface MetricError {
  resourceId: string;
  metric: string;
  code: string;
  message?: string;
}

export interface MetricsBatchResult {
  /** Resource id (lower case) → its metrics; the first entry is kept if the service repeats one. */
  byResource: Map<string, SeriesMetric[]>;
  errors: MetricError[];
}

/**
 * metrics:getBatch for one tenant and one regional endpoint: the lean sender (lean-pipeline.ts) over the given
 * transport, and the answer read against the REST spec. The watcher sends ~440 of these a cycle over 2,000
 * circuits, which is why this is not the generated MetricsClient, whose pipeline, transport and deserialisers
 * cost more CPU per call than the rest of a cycle's work (figures: src/azure/README.md).
 */
export class MetricsBatchClient extends LeanJsonClient {
  constructor(endpoint: string, credential: TokenCredential, options: LeanClientOptions) {
    super(endpoint, credential, options, WHAT);
  }

  async query(subscriptionId: string, resourceIds: readonly string[], q: MetricsBatchQuery): Promise<MetricsBatchResult> {
    const params = queryString({
      'api-version': METRICS_BATCH_API_VERSION,
      starttime: q.startTime.toISOString(),
      endtime: q.endTime.toISOString(),
      interval: q.interval,
      metricnamespace: q.namespace,
      metricnames: q.metricNames.join(','),
      aggregation: q.aggregation,
      ...(q.top !== undefined ? { top: String(q.top) } : {}),
      ...(q.filter !== undefined ? { filter: q.filter } : {}),
    });
    const request = createPipelineRequest({
      url: `${this.endpoint}/subscriptions/${encodeURIComponent(subscriptionId)}/metrics:getBatch?${params}`,
      method: 'POST',
      headers: createHttpHeaders({ accept: 'application/json', 'content-type': 'application/json' }),
      body: JSON.stringify({ resourceids: resourceIds }),
      ...(q.abortSignal ? { abortSignal: q.abortSignal } : {}),
    });
    const body = await this.send(request, q.background);
    const problem = answerProblem(body);
    if (problem !== undefined) throw shapeError(WHAT, problem, request);
    const answer = body as MetricResultsResponse;
    const byResource = new Map<string, SeriesMetric[]>();
    const errors: MetricError[] = [];
    for (const entry of answer.values ?? []) {
      const value = entry.value ?? [];
      const resourceId = entry.resourceid ?? resourceOfMetricId(value[0]?.id ?? undefined);
      if (resourceId === undefined) continue;
      const key = resourceId.toLowerCase();
      if (byResource.has(key)) continue;
      const metrics: SeriesMetric[] = [];
      for (const m of value) {
        if (m.errorCode != null && m.errorCode !== 'Success') {
          errors.push({ resourceId, metric: m.name.value, code: m.errorCode, ...(m.errorMessage ? { message: m.errorMessage } : {}) });
          continue;
        }
        metrics.push(m);
      }
      byResource.set(key, metrics);
    }
    return { byResource, errors };
  }
}

/** Percent-encoded as the generated clients send it (a space is %20, never +, inside an OData filter). */
function queryString(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
}

/** `…/providers/Microsoft.Insights/metrics/{name}` → the resource it belongs to. */
function resourceOfMetricId(id: string | undefined): string | undefined {
  const match = id === undefined ? null : /^(.+)\/providers\/microsoft\.insights\/metrics\/[^/]*$/i.exec(id);
  return match?.[1];
}
