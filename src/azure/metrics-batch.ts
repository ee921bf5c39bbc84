import type { TokenCredential } from '@azure/core-auth';
import {
  bearerTokenAuthenticationPolicy,
  createEmptyPipeline,
  createHttpHeaders,
  createPipelineRequest,
  RestError,
  type HttpClient,
  type Pipeline,
  type PipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';
import type { SeriesMetric } from './metric-signals';
import type { ArmScheduler } from './scheduler';

/** Azure Monitor's metrics data plane, `metrics:getBatch` (REST spec: monitor/data-plane, metricBatch.json). */
export const METRICS_BATCH_API_VERSION = '2024-02-01';
/** The data plane's token audience in the public cloud. */
export const METRICS_SCOPE = 'https://metrics.monitor.azure.com/.default';

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
}

/** The answer, as the REST spec's MetricResultsResponse defines it (only what the bot reads). */
interface RestMetric extends SeriesMetric {
  errorCode?: string;
  errorMessage?: string;
}
interface MetricResultsResponse {
  values: { resourceid?: string; value: RestMetric[] }[];
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const optional = (x: unknown, type: 'string' | 'number') => x === undefined || typeof x === type;

/**
 * Where the answer departs from the documented shape (a path and what is wrong), or undefined when it does not.
 * Checked in place rather than parsed into a copy: a cycle reads ~100,000 points, and a schema library's copy of
 * each one doubled the garbage of the watcher's hottest path. Only what the bot reads is checked; the rest
 * (displayDescription, unit, namespace…) passes unread, as Azure may add to it.
 */
export function answerProblem(body: unknown): string | undefined {
  if (!isObject(body) || !Array.isArray(body.values)) return 'values: expected an array';
  for (const [i, entry] of body.values.entries()) {
    if (!isObject(entry)) return `values.${i}: expected an object`;
    if (!optional(entry.resourceid, 'string')) return `values.${i}.resourceid: expected a string`;
    if (!Array.isArray(entry.value)) return `values.${i}.value: expected an array`;
    for (const [j, metric] of entry.value.entries()) {
      const at = `values.${i}.value.${j}`;
      if (!isObject(metric)) return `${at}: expected an object`;
      if (!isObject(metric.name) || typeof metric.name.value !== 'string') return `${at}.name.value: expected a string`;
      for (const key of ['id', 'errorCode', 'errorMessage'] as const) {
        if (!optional(metric[key], 'string')) return `${at}.${key}: expected a string`;
      }
      if (metric.timeseries === undefined) continue;
      if (!Array.isArray(metric.timeseries)) return `${at}.timeseries: expected an array`;
      for (const [k, series] of metric.timeseries.entries()) {
        const problem = seriesProblem(series);
        if (problem) return `${at}.timeseries.${k}${problem}`;
      }
    }
  }
  return undefined;
}

function seriesProblem(series: unknown): string | undefined {
  if (!isObject(series)) return ': expected an object';
  const { metadatavalues, data } = series;
  if (metadatavalues !== undefined) {
    if (!Array.isArray(metadatavalues)) return '.metadatavalues: expected an array';
    for (const [m, v] of metadatavalues.entries()) {
      if (!isObject(v)) return `.metadatavalues.${m}: expected an object`;
      if (v.name !== undefined && (!isObject(v.name) || typeof v.name.value !== 'string'))
        return `.metadatavalues.${m}.name.value: expected a string`;
      if (!optional(v.value, 'string')) return `.metadatavalues.${m}.value: expected a string`;
    }
  }
  if (data !== undefined) {
    if (!Array.isArray(data)) return '.data: expected an array';
    for (let d = 0; d < data.length; d++) {
      const point: unknown = data[d];
      if (!isObject(point) || typeof point.timeStamp !== 'string') return `.data.${d}.timeStamp: expected a string`;
      if (!optional(point.average, 'number') || !optional(point.maximum, 'number'))
        return `.data.${d}: average and maximum must be numbers`;
    }
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
 * metrics:getBatch for one tenant and one regional endpoint: a lean core-rest-pipeline (the tenant's bearer
 * token, then the ARM scheduler's budgets and retries) over the given transport, and the answer read against
 * the REST spec. The watcher sends ~600 of these a cycle over 2,000 circuits, which is why this is not the
 * generated MetricsClient: its pipeline and deserialisers cost the bot about twice the CPU per call
 * (`npm run bench -- alerts`).
 */
export class MetricsBatchClient {
  private readonly pipeline: Pipeline;
  private readonly httpClient: HttpClient;

  constructor(
    private readonly endpoint: string,
    credential: TokenCredential,
    options: { scope: string; scheduler: ArmScheduler; tenantId: string; httpClient: HttpClient },
  ) {
    this.pipeline = createEmptyPipeline();
    this.pipeline.addPolicy(options.scheduler.policy({ tenantId: options.tenantId }), { phase: 'Retry' });
    this.pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential, scopes: options.scope }), { phase: 'Sign' });
    this.httpClient = options.httpClient;
  }

  async query(subscriptionId: string, resourceIds: readonly string[], q: MetricsBatchQuery): Promise<MetricsBatchResult> {
    const params = new URLSearchParams({
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
      url: `${this.endpoint.replace(/\/+$/, '')}/subscriptions/${encodeURIComponent(subscriptionId)}/metrics:getBatch?${params}`,
      method: 'POST',
      headers: createHttpHeaders({ accept: 'application/json', 'content-type': 'application/json' }),
      body: JSON.stringify({ resourceids: resourceIds }),
      ...(q.abortSignal ? { abortSignal: q.abortSignal } : {}),
    });
    const response = await this.pipeline.sendRequest(this.httpClient, request);
    const text = response.bodyAsText ?? '';
    if (response.status !== 200) throw serviceError(response.status, text, request, response);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new RestError('Azure Monitor answered metrics:getBatch with something that is not JSON.', {
        code: 'InvalidResponse',
        statusCode: response.status,
        request,
        response,
      });
    }
    const problem = answerProblem(body);
    if (problem !== undefined) {
      throw new RestError(`Azure Monitor's metrics:getBatch answer is not the documented shape (${problem}).`, {
        code: 'InvalidResponse',
        statusCode: response.status,
        request,
        response,
      });
    }
    const answer = body as MetricResultsResponse;
    const byResource = new Map<string, SeriesMetric[]>();
    const errors: MetricError[] = [];
    for (const entry of answer.values) {
      const resourceId = entry.resourceid ?? resourceOfMetricId(entry.value[0]?.id);
      if (resourceId === undefined) continue;
      const key = resourceId.toLowerCase();
      if (byResource.has(key)) continue;
      const metrics: SeriesMetric[] = [];
      for (const m of entry.value) {
        if (m.errorCode !== undefined && m.errorCode !== 'Success') {
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

/** `…/providers/Microsoft.Insights/metrics/{name}` → the resource it belongs to. */
function resourceOfMetricId(id: string | undefined): string | undefined {
  const match = id === undefined ? null : /^(.+)\/providers\/microsoft\.insights\/metrics\/[^/]*$/i.exec(id);
  return match?.[1];
}

/** The data plane's errors come as `{ error: { code, message } }` (ARM's ErrorResponse) or bare `{ code, message }`. */
function serviceError(status: number, text: string, request: PipelineRequest, response: PipelineResponse): RestError {
  let code: string | undefined;
  let message: string | undefined;
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown }; code?: unknown; message?: unknown };
    const e = body.error ?? body;
    if (typeof e.code === 'string') code = e.code;
    if (typeof e.message === 'string') message = e.message;
  } catch {
    // Not JSON: the status says enough.
  }
  return new RestError(message ?? `Azure Monitor answered metrics:getBatch with HTTP ${status}.`, {
    ...(code ? { code } : {}),
    statusCode: status,
    request,
    response,
  });
}
