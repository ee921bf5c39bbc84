import { parseArmPath, resourceType } from '../arm-path';
import type { Json } from '../resource-store';
import { aggregateSeries } from './aggregate-series';
import { derivedCircuitSeries } from './circuit-series';
import { fixtureMetric, fixtureMetricNames, fixtureSeries } from './fixture-series';
import { CIRCUIT_METRICS, CIRCUIT_TYPE, circuitMetric, type MetricDefinition } from './metric-definitions';
import type { MetricQuery } from './metric-query';
import type { MetricsWorld } from './metrics-world';
import type { RawSeries } from './raw-series';

export interface ResourceMetricsInput {
  world: MetricsWorld;
  /** The resource id as asked for. */
  resourceId: string;
  /** The metrics fixture stored for the resource, if any. */
  fixture: Json | undefined;
  query: MetricQuery;
}

/** The `value` array of a metrics answer for one resource, or the message of a 400 BadRequest. */
export function resourceMetrics(input: ResourceMetricsInput): Json[] | string {
  const { world, resourceId, fixture, query } = input;
  const type = resourceType(parseArmPath(resourceId));
  const isCircuit = type === CIRCUIT_TYPE;
  const names = query.names.length > 0 ? query.names : defaultNames(fixture, isCircuit);
  const out: Json[] = [];
  for (const requested of names) {
    const recorded = fixtureMetric(fixture, requested);
    const def = isCircuit ? circuitMetric(requested) : undefined;
    if (!def && !recorded) {
      if (!isCircuit) continue;
      const [, rpType = ''] = type.split('/');
      return `Failed to find metric configuration for provider: Microsoft.Network, resource Type: ${rpType}, metric: ${requested}, Valid metrics: ${CIRCUIT_METRICS.map((m) => m.name).join(',')}`;
    }
    const meta = def ?? definitionFrom(recorded ?? {}, requested);
    const unsupported = query.filters.find((f) => !meta.dimensions.some((d) => d.toLowerCase() === f.name.toLowerCase()));
    if (unsupported) {
      return `Metric: ${meta.name} does not support requested dimension combination: ${query.filters.map((f) => f.name).join(',')}, supported ones are: ${meta.dimensions.join(',')}`;
    }
    const series: RawSeries[] = recorded
      ? fixtureSeries(fixture ?? {}, recorded, { world, circuitId: resourceId, dimensions: meta.dimensions, replayEnd: query.end })
      : derivedCircuitSeries(world, resourceId, meta.name);
    out.push({
      id: `${resourceId}/providers/Microsoft.Insights/metrics/${meta.name}`,
      type: 'Microsoft.Insights/metrics',
      name: { value: meta.name, localizedValue: meta.displayName },
      displayDescription: meta.description,
      unit: meta.unit,
      timeseries: aggregateSeries(
        series,
        query,
        query.aggregations ?? [meta.defaultAggregation],
        meta.dimensions,
        world.changeTimes,
        world.now,
      ),
      errorCode: 'Success',
    });
  }
  return out;
}

function defaultNames(fixture: Json | undefined, isCircuit: boolean): string[] {
  const recorded = fixtureMetricNames(fixture);
  if (recorded.length > 0) return recorded;
  // Without metricnames Azure Monitor answers the resource type's first metric.
  return isCircuit ? [CIRCUIT_METRICS[0]?.name ?? 'ArpAvailability'] : [];
}

/** A metric that only a fixture knows (another resource type): its own name, unit and dimensions. */
function definitionFrom(recorded: Json, requested: string): MetricDefinition {
  const name = (recorded.name ?? {}) as { value?: unknown; localizedValue?: unknown };
  const dims = new Set<string>();
  for (const ts of Array.isArray(recorded.timeseries) ? (recorded.timeseries as Json[]) : []) {
    for (const m of Array.isArray(ts.metadatavalues) ? (ts.metadatavalues as Json[]) : []) {
      const d = (m.name as { value?: unknown } | undefined)?.value;
      if (typeof d === 'string') dims.add(d);
    }
  }
  const value = typeof name.value === 'string' ? name.value : requested;
  return {
    name: value,
    displayName: typeof name.localizedValue === 'string' ? name.localizedValue : value,
    description: typeof recorded.displayDescription === 'string' ? recorded.displayDescription : '',
    unit: typeof recorded.unit === 'string' ? recorded.unit : 'Count',
    dimensions: [...dims],
    grainMs: 60_000,
    defaultAggregation: 'average',
  };
}
