import type { Json } from '../resource-store';
import { bgpRows, bgpUp, peeringTypeOf } from './circuit-series';
import type { MetricsWorld } from './metrics-world';
import type { Dims, RecordedSeries, Sample } from './raw-series';

const MINUTE = 60_000;

export function fixtureMetric(body: Json | undefined, name: string): Json | undefined {
  const value = Array.isArray(body?.value) ? body.value : [];
  return value.find((m): m is Json => {
    const n = (m as { name?: { value?: unknown } } | null)?.name?.value;
    return typeof n === 'string' && n.toLowerCase() === name.toLowerCase();
  });
}

export function fixtureMetricNames(body: Json | undefined): string[] {
  const value = Array.isArray(body?.value) ? body.value : [];
  return value.flatMap((m) => {
    const n = (m as { name?: { value?: unknown } } | null)?.name?.value;
    return typeof n === 'string' ? [n] : [];
  });
}

export interface FixtureContext {
  world: MetricsWorld;
  circuitId: string;
  /** Canonical dimension names of the metric, to fix the case of the fixture's. */
  dimensions: readonly string[];
  /** The end of the requested range: the recording is replayed as if it had just ended there. */
  replayEnd: number;
}

/**
 * The series of one metric in a metrics fixture. A fixture is a recording of the latest period, so its timespan is
 * moved to end where the request does: a fleet built yesterday still answers today. On a circuit, traffic on a
 * DeviceRole whose BGP sessions are all down reads 0 (a timeline can drop a session the recording knew nothing
 * of), and series without a PeeringType get the circuit's first peering's.
 */
export function fixtureSeries(body: Json, metric: Json, c: FixtureContext): RecordedSeries[] {
  const timeseries = Array.isArray(metric.timeseries) ? (metric.timeseries as Json[]) : [];
  const parsed = timeseries.map((ts) => ({ dims: dimsOf(ts, c.dimensions), points: pointsOf(ts) }));
  const latest = Math.max(...parsed.flatMap((s) => s.points.map((p) => p.t)), Number.NEGATIVE_INFINITY);
  const end = recordingEnd(body, latest);
  const shift = Number.isFinite(end) ? c.replayEnd - end : 0;
  const peerings = c.world.peeringNames(c.circuitId);
  const firstType = peerings[0] === undefined ? 'PrivatePeering' : peeringTypeOf(peerings[0]);
  return parsed.map(({ dims, points }) => {
    const full: Dims = { ...dims };
    if (c.dimensions.includes('PeeringType')) full.PeeringType ??= firstType;
    const role = full.DeviceRole?.toLowerCase();
    return {
      dims: full,
      points: points.map(({ t, sample }) => {
        const at = t + shift;
        return { t: at, sample: role && linkDown(c, peerings, role, at) ? { ...sample, total: 0, min: 0, max: 0 } : sample };
      }),
    };
  });
}

function dimsOf(ts: Json, canonical: readonly string[]): Dims {
  const dims: Dims = {};
  for (const m of Array.isArray(ts.metadatavalues) ? (ts.metadatavalues as Json[]) : []) {
    const raw = (m.name as { value?: unknown } | undefined)?.value;
    if (typeof raw !== 'string' || typeof m.value !== 'string') continue;
    dims[canonical.find((d) => d.toLowerCase() === raw.toLowerCase()) ?? raw] = m.value;
  }
  return dims;
}

function pointsOf(ts: Json): Array<{ t: number; sample: Sample }> {
  const out: Array<{ t: number; sample: Sample }> = [];
  for (const p of Array.isArray(ts.data) ? (ts.data as Json[]) : []) {
    const t = typeof p.timeStamp === 'string' ? Date.parse(p.timeStamp) : Number.NaN;
    const num = (k: string) => (typeof p[k] === 'number' ? p[k] : undefined);
    const count = num('count') ?? 1;
    const average = num('average') ?? (num('total') !== undefined ? (num('total') ?? 0) / count : (num('maximum') ?? num('minimum')));
    if (Number.isNaN(t) || average === undefined) continue;
    out.push({
      t,
      sample: { total: num('total') ?? average * count, count, min: num('minimum') ?? average, max: num('maximum') ?? average },
    });
  }
  return out;
}

function recordingEnd(body: Json, latestPoint: number): number {
  const end = typeof body.timespan === 'string' ? Date.parse(body.timespan.split('/')[1] ?? '') : Number.NaN;
  return Number.isNaN(end) ? latestPoint + MINUTE : end;
}

/** Every summary known for this role shows the session down (links without summaries are left alone). */
function linkDown(c: FixtureContext, peerings: string[], role: string, t: number): boolean {
  let known = false;
  for (const peering of peerings) {
    if (bgpRows(c.world, c.circuitId, peering, role, t).length === 0) continue;
    known = true;
    if (bgpUp(c.world, c.circuitId, peering, role, t)) return false;
  }
  return known;
}
