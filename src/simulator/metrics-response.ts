import { notFound } from './not-found';
import type { Json } from './resource-store';
import { ok, type SimContext, type SimResponse } from './sim-http';
import type { SimState } from './sim-state';
import { locationOf } from './resource-location';

/**
 * Azure Monitor's metrics.list for a resource: the fixture body, narrowed to the requested `metricnames` as the
 * real API does, or an empty answer (so a reader falls back to counters) when the fixture has none.
 */
export function metricsResponse(state: SimState, ctx: SimContext, resourceId: string): SimResponse {
  const stored = state.store.body(ctx.path);
  const wanted = (ctx.query.metricnames ?? '')
    .split(',')
    .map((n) => n.trim().toLowerCase())
    .filter(Boolean);
  if (stored) {
    if (wanted.length > 0 && Array.isArray(stored.value)) {
      stored.value = stored.value.filter((m: unknown) => {
        const name = (m as { name?: { value?: unknown } })?.name?.value;
        return typeof name === 'string' && wanted.includes(name.toLowerCase());
      });
    }
    return ok(stored);
  }
  if (!state.store.has(resourceId)) return notFound(state, resourceId);
  const body: Json = {
    cost: 0,
    timespan: ctx.query.timespan ?? defaultTimespan(ctx.now),
    interval: ctx.query.interval ?? 'PT1M',
    value: [],
    namespace: 'Microsoft.Network/expressRouteCircuits',
    resourceregion: locationOf(state, resourceId),
  };
  return ok(body);
}

function defaultTimespan(now: number): string {
  return `${new Date(now - 3_600_000).toISOString()}/${new Date(now).toISOString()}`;
}
