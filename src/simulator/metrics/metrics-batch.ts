import { armKey, parseArmPath, resourceType } from '../arm-path';
import { locationOf } from '../resource-location';
import type { Json } from '../resource-store';
import { armError, ok, type SimContext, type SimResponse } from '../sim-http';
import type { SimState } from '../sim-state';
import { namespaceOf } from './metric-namespace';
import { parseMetricQuery } from './metric-query';
import { metricsWorld } from './metrics-world';
import { resourceMetrics } from './resource-metrics';

export const METRICS_BATCH_PATH = /^\/subscriptions\/([^/]+)\/metrics:getbatch$/i;

/** The batch API's documented limit: up to 50 unique resource ids per call (Migrate to the getBatch API). */
export const MAX_BATCH_IDS = 50;
const API_VERSIONS = new Set(['2023-03-01-preview', '2023-05-01-preview', '2023-10-01', '2024-02-01']);

const bad = (message: string) => armError(400, 'BadRequest', message);

/**
 * POST /subscriptions/{id}/metrics:getBatch (Azure Monitor's regional data plane): metrics for up to 50 resources
 * of one subscription, region and type, answered from the same state as the per-resource API.
 */
export function handleMetricsBatch(state: SimState, ctx: SimContext, subscriptionId: string): SimResponse {
  const q = Object.fromEntries(Object.entries(ctx.query).map(([k, v]) => [k.toLowerCase(), v]));
  const apiVersion = q['api-version'];
  if (!apiVersion) return bad('The api-version query parameter is required.');
  if (!API_VERSIONS.has(apiVersion))
    return bad(`The api-version '${apiVersion}' is not supported. Supported: ${[...API_VERSIONS].join(', ')}.`);
  const namespace = q.metricnamespace;
  if (!namespace) return bad('The metricnamespace query parameter is required.');
  if (!q.metricnames) return bad('The metricnames query parameter is required.');
  const ids = resourceIds(ctx.body);
  if (typeof ids === 'string') return bad(ids);
  for (const id of ids) {
    const p = parseArmPath(id);
    if ((p.subscriptionId ?? '').toLowerCase() !== subscriptionId.toLowerCase()) {
      return bad(
        `The resource '${id}' is not in subscription '${subscriptionId}': all resources in a batch must be in the subscription of the request.`,
      );
    }
    if (resourceType(p) !== namespace.toLowerCase()) {
      return bad(
        `The resource '${id}' is not of type '${namespace}': all resources in a batch must be of the metric namespace's resource type.`,
      );
    }
  }
  const known = ids.filter((id) => state.store.has(id) || state.store.peek(metricsPath(id)));
  const regions = new Set(known.map((id) => locationOf(state, id).toLowerCase().replace(/\s+/g, '')));
  if (regions.size > 1)
    return bad(`All resources in a batch must be in the same region; this one spans ${[...regions].sort().join(', ')}.`);
  const query = parseMetricQuery(ctx.query, ctx.now, 'batch');
  if (typeof query === 'string') return bad(query);
  const world = metricsWorld(state, ctx.now);
  const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');
  const values: Json[] = [];
  for (const id of ids) {
    const entry: Json = { starttime: iso(query.start), endtime: iso(query.end), interval: query.intervalText, namespace: namespaceOf(id) };
    if (!known.includes(id)) {
      values.push({ ...entry, resourceregion: '', resourceid: id, value: notFoundMetrics(id, query.names) });
      continue;
    }
    const value = resourceMetrics({ world, resourceId: id, fixture: state.store.peek(metricsPath(id)), query });
    if (typeof value === 'string') return bad(value);
    values.push({ ...entry, resourceregion: locationOf(state, id), resourceid: id, value });
  }
  return ok({ values });
}

function metricsPath(id: string): string {
  return `${id}/providers/Microsoft.Insights/metrics`;
}

function resourceIds(body: unknown): string[] | string {
  const ids = (body as { resourceids?: unknown } | null)?.resourceids;
  if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string' && x.trim() !== '')) {
    return 'The request body must be {"resourceids": [...]} with at least one resource id (the property name is lower case).';
  }
  const unique = [...new Map(ids.map((id: string) => [armKey(id), id.startsWith('/') ? id : `/${id}`])).values()];
  if (unique.length === 0) return 'The request body must name at least one resource id.';
  if (unique.length > MAX_BATCH_IDS)
    return `A batch may name at most ${MAX_BATCH_IDS} unique resource ids; this one names ${unique.length}.`;
  return unique;
}

/** A resource the service does not know: an entry for it whose metrics carry the error, so the rest still answer. */
function notFoundMetrics(id: string, names: string[]): Json[] {
  return names.map((name) => ({
    id: `${id}/providers/Microsoft.Insights/metrics/${name}`,
    type: 'Microsoft.Insights/metrics',
    name: { value: name, localizedValue: name },
    displayDescription: '',
    unit: 'Unspecified',
    timeseries: [],
    errorCode: 'ResourceNotFound',
    errorMessage: `The resource '${id}' was not found.`,
  }));
}
