import type { Json } from '../resource-store';
import type { Aggregation } from './metric-definitions';
import type { DimensionFilter, MetricQuery } from './metric-query';
import type { DerivedSeries, Dims, RawSeries, Sample } from './raw-series';

interface Bucket {
  start: number;
  end: number;
  acc?: Sample;
}

/**
 * Azure Monitor's answer for one metric: series split by the dimensions named in the filter (kept to the values
 * it names; '*' keeps all), every other dimension aggregated away, and one point per interval over the range.
 * Intervals with no samples carry only their timestamp.
 */
export function aggregateSeries(
  series: RawSeries[],
  q: MetricQuery,
  aggregations: Aggregation[],
  canonicalDims: readonly string[],
  changeTimes: readonly number[],
  now: number,
): Json[] {
  const split = q.filters.map((f) => canonicalDims.find((d) => d.toLowerCase() === f.name.toLowerCase()) ?? f.name);
  const groups = new Map<string, { dims: Dims; members: RawSeries[] }>();
  for (const s of series) {
    if (!q.filters.every((f, i) => keeps(f, s.dims[split[i] ?? ''] ?? ''))) continue;
    const dims = Object.fromEntries(split.map((d) => [d, s.dims[d] ?? '']));
    const key = JSON.stringify(dims);
    const group = groups.get(key) ?? { dims, members: [] };
    group.members.push(s);
    groups.set(key, group);
  }
  const ordered = [...groups.values()].sort((a, b) => JSON.stringify(a.dims).localeCompare(JSON.stringify(b.dims)));
  const limited = q.filters.length > 0 ? ordered.slice(0, q.top) : ordered;
  return limited.map((g) => {
    const buckets = bucketsOf(q);
    for (const s of g.members) {
      if ('points' in s) addPoints(buckets, q, s.points);
      else addDerived(buckets, q, s, changeTimes, now);
    }
    return {
      metadatavalues: split.map((d) => ({ name: { value: d, localizedValue: d }, value: g.dims[d] ?? '' })),
      data: buckets.map((b) => point(b, aggregations)),
    };
  });
}

function keeps(f: DimensionFilter, value: string): boolean {
  return f.values === '*' || f.values.includes(value.toLowerCase());
}

/** Buckets start on interval boundaries (the range start rounded down), as Azure Monitor aligns them. */
function bucketsOf(q: MetricQuery): Bucket[] {
  if (q.intervalMs === undefined) return [{ start: q.start, end: q.end }];
  const out: Bucket[] = [];
  for (let s = Math.floor(q.start / q.intervalMs) * q.intervalMs; s < q.end; s += q.intervalMs)
    out.push({ start: s, end: s + q.intervalMs });
  return out;
}

function add(b: Bucket, s: Sample): void {
  b.acc = b.acc
    ? { total: b.acc.total + s.total, count: b.acc.count + s.count, min: Math.min(b.acc.min, s.min), max: Math.max(b.acc.max, s.max) }
    : { ...s };
}

function addPoints(buckets: Bucket[], q: MetricQuery, points: Array<{ t: number; sample: Sample }>): void {
  const first = buckets[0];
  if (!first) return;
  for (const p of points) {
    if (p.t < first.start || p.t >= q.end) continue;
    const i = q.intervalMs === undefined ? 0 : Math.floor((p.t - first.start) / q.intervalMs);
    const b = buckets[i];
    if (b) add(b, p.sample);
  }
}

/**
 * One sample per grain slot, valued at the end of its slot (or now, for the slot now is in), so the latest point
 * shows the current state. The value only changes at timeline change times, so slots are counted in runs.
 */
function addDerived(buckets: Bucket[], q: MetricQuery, s: DerivedSeries, changeTimes: readonly number[], now: number): void {
  for (const b of buckets) {
    const from = Math.max(b.start, Math.floor(q.start / s.grainMs) * s.grainMs);
    let slot = Math.ceil(from / s.grainMs) * s.grainMs;
    const last = Math.min(b.end, q.end) - 1;
    while (slot <= last) {
      const evalAt = Math.min(slot + s.grainMs - 1, now);
      const next = changeTimes.find((c) => c > evalAt);
      // Slots valued before `next` share this value; past now every slot is valued at now.
      const runEnd = next === undefined || next > now ? last : Math.min(last, next - s.grainMs);
      const count = Math.max(1, Math.floor((runEnd - slot) / s.grainMs) + 1);
      const v = s.valueAt(evalAt);
      if (v !== undefined) add(b, { total: v * count, count, min: v, max: v });
      slot += count * s.grainMs;
    }
  }
}

function point(b: Bucket, aggregations: Aggregation[]): Json {
  const p: Json = { timeStamp: new Date(b.start).toISOString().replace('.000Z', 'Z') };
  if (!b.acc) return p;
  for (const a of aggregations) {
    if (a === 'average') p.average = b.acc.total / b.acc.count;
    else if (a === 'minimum') p.minimum = b.acc.min;
    else if (a === 'maximum') p.maximum = b.acc.max;
    else if (a === 'total') p.total = b.acc.total;
    else p.count = b.acc.count;
  }
  return p;
}
