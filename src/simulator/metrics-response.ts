import { namespaceOf } from './metrics/metric-namespace';
import { parseMetricQuery } from './metrics/metric-query';
import { metricsWorld } from './metrics/metrics-world';
import { resourceMetrics } from './metrics/resource-metrics';
import { notFound } from './not-found';
import { locationOf } from './resource-location';
import type { Json } from './resource-store';
import { ok, type SimContext, type SimResponse } from './sim-http';
import type { SimState } from './sim-state';

/**
 * Azure Monitor's metrics.list for one resource (`…/providers/Microsoft.Insights/metrics`): the fixture's
 * recording where the fleet has one, otherwise values derived from the state (see metrics/).
 */
export function metricsResponse(state: SimState, ctx: SimContext, resourceId: string): SimResponse {
  const fixture = state.store.body(ctx.path);
  if (!fixture && !state.store.has(resourceId)) return notFound(state, resourceId);
  const namespace = namespaceOf(resourceId, fixture);
  const asked = Object.entries(ctx.query).find(([k]) => k.toLowerCase() === 'metricnamespace')?.[1];
  if (asked !== undefined && asked.toLowerCase() !== namespace.toLowerCase()) {
    return monitorError(`Metric namespace '${asked}' is not valid for resource type '${namespace}'.`);
  }
  const query = parseMetricQuery(ctx.query, ctx.now, 'resource');
  if (typeof query === 'string') return monitorError(query);
  const value = resourceMetrics({ world: metricsWorld(state, ctx.now), resourceId, fixture, query });
  if (typeof value === 'string') return monitorError(value);
  const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');
  const body: Json = {
    cost: 0,
    timespan: `${iso(query.start)}/${iso(query.end)}`,
    interval: query.intervalText,
    value,
    namespace,
    resourceregion: locationOf(state, resourceId),
  };
  return ok(body);
}

/** The metrics API's own errors are not wrapped in `error` (only metrics:getBatch wraps them). */
function monitorError(message: string): SimResponse {
  return { status: 400, body: { code: 'BadRequest', message } };
}
