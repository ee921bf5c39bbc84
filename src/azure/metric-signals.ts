import { pathOfDimension, peeringKindOfDimension } from '../network/metric-dimensions';
import type { LinkSignals, LinkThroughput, MetricSample, RateLimitDrops } from '../network/types';

/*
 * Azure Monitor's ExpressRoute circuit metrics → the domain's signals. Dimension values are read by
 * network/metric-dimensions (loosely: Azure's spelling has varied); an unrecognised series is ignored, never
 * guessed into a link.
 */

/**
 * One metric with its time series, in the REST shape of Azure Monitor's metrics APIs (names are
 * `{ value, localizedValue }`): what metrics:getBatch answers (metrics-batch.ts) and what @azure/arm-monitor
 * deserialises (time stamps as Date there).
 */
export interface SeriesMetric {
  id?: string;
  name: { value: string };
  timeseries?: {
    metadatavalues?: { name?: { value: string }; value?: string }[];
    data?: { timeStamp: Date | string; average?: number; maximum?: number }[];
  }[];
}

type Metric = SeriesMetric;
type Series = NonNullable<Metric['timeseries']>[number];
type Point = NonNullable<Series['data']>[number];

/*
 * These run for every circuit of a watch cycle (2,000 circuits, ~24 series each), so they compare names in place
 * rather than through lower-cased copies, regular expressions and keys built per series.
 */

/** Whether `s` has `lower` (ASCII lower case) at `start`, letters compared without case. */
function hasAt(s: string, start: number, lower: string): boolean {
  if (start < 0 || start + lower.length > s.length) return false;
  for (let i = 0; i < lower.length; i++) {
    let c = s.charCodeAt(start + i);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** Whether `s` from `start` to its end is `lower`, letters compared without case. */
const endsAs = (s: string, start: number, lower: string) => s.length - start === lower.length && hasAt(s, start, lower);

/** A series' value of a dimension; `lowerName` is the dimension's name in lower case. */
function dimension(series: Series, lowerName: string): string {
  const values = series.metadatavalues ?? [];
  for (let i = 0; i < values.length; i++) {
    const m = values[i]!;
    if (endsAs(m.name?.value ?? '', 0, lowerName)) return m.value ?? '';
  }
  return '';
}

const averageOf = (p: Point) => p.average;
const averageOrMaximumOf = (p: Point) => p.average ?? p.maximum;

/** A point's time (epoch ms; NaN when it cannot be read). */
const timeOf = (p: Point) => (typeof p.timeStamp === 'string' ? Date.parse(p.timeStamp) : p.timeStamp.getTime());

/** The highest average (or maximum) of the points at or after `since`, and at least `floor`. */
function highestSince(series: Series, since: number, floor: number): number {
  let value = floor;
  for (const p of series.data ?? []) {
    const v = averageOrMaximumOf(p);
    if (typeof v === 'number' && Number.isFinite(v) && v > value && timeOf(p) >= since) value = v;
  }
  return value;
}

/** The newest point that carries a value: the most recent minute may not be ingested yet. */
export function latest(series: Series, pick: (p: Point) => number | undefined): MetricSample | undefined {
  const points = series.data ?? [];
  for (let i = points.length - 1; i >= 0; i--) {
    const p = points[i]!;
    const value = pick(p);
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    const at = timeOf(p);
    // A point whose time cannot be read is no evidence of when anything was so.
    if (Number.isFinite(at)) return { value, at };
  }
  return undefined;
}

const squash = (s: string) => s.replace(/[^a-z0-9]/gi, '').toLowerCase();

/** A metric name as matched: its REST name in lower case, and squashed (spacing and case aside). */
interface MetricName {
  lower: string;
  squashed: string;
}
const metricName = (name: string): MetricName => ({ lower: name.toLowerCase(), squashed: squash(name) });

const METRICS_SEGMENT = '/metrics/';

/**
 * A metric's id ends with its REST name (…/metrics/BgpAvailability), which is matched first; without such an id,
 * its name is compared loosely (spacing and case aside).
 */
function isMetric(m: Metric, name: MetricName): boolean {
  const id = m.id ?? '';
  const nameStart = id.lastIndexOf('/') + 1;
  if (nameStart > 0 && nameStart < id.length && hasAt(id, nameStart - METRICS_SEGMENT.length, METRICS_SEGMENT)) {
    return endsAs(id, nameStart, name.lower);
  }
  return squash(m.name.value) === name.squashed;
}

const AVAILABILITY = [
  [metricName('BgpAvailability'), 'bgpAvailability'],
  [metricName('ArpAvailability'), 'arpAvailability'],
] as const;
const BITS_IN = metricName('BitsInPerSecond');
const BITS_OUT = metricName('BitsOutPerSecond');
const DROPS_IN = metricName('QosDropBitsInPerSecond');
const DROPS_OUT = metricName('QosDropBitsOutPerSecond');

/** BgpAvailability / ArpAvailability split by PeeringType and Peer → one entry per peering × link. */
export function linkSignals(metrics: readonly Metric[]): LinkSignals[] {
  // At most one entry per peering kind × path (six), in the order first seen.
  const links: LinkSignals[] = [];
  for (const [name, field] of AVAILABILITY) {
    for (const m of metrics) {
      if (!isMetric(m, name)) continue;
      for (const series of m.timeseries ?? []) {
        const kind = peeringKindOfDimension(dimension(series, 'peeringtype'));
        const path = pathOfDimension(dimension(series, 'peer'));
        if (!kind || !path) continue;
        // IPv4 and IPv6 sessions share a link; the worse of the two is the link's state.
        const sample = latest(series, averageOf);
        if (!sample) continue;
        let link = links.find((l) => l.kind === kind && l.path === path);
        if (!link) {
          link = { kind, path };
          links.push(link);
        }
        const prior = link[field];
        if (!prior || sample.value < prior.value) link[field] = sample;
      }
    }
  }
  return links;
}

/** The four (path, direction) figures in the order they are reported. */
const THROUGHPUT_SLOTS = [
  ['primary', 'in'],
  ['primary', 'out'],
  ['secondary', 'in'],
  ['secondary', 'out'],
] as const;

/** BitsIn/OutPerSecond split by DeviceRole over the window → average and peak per link and direction. */
export function throughput(metrics: readonly Metric[]): LinkThroughput[] {
  // Per slot of THROUGHPUT_SLOTS: the sum and number of averages, and the peak.
  const sums = [0, 0, 0, 0];
  const counts = [0, 0, 0, 0];
  const peaks = [0, 0, 0, 0];
  for (let i = 0; i < metrics.length; i++) {
    const m = metrics[i]!;
    const directionSlot = isMetric(m, BITS_IN) ? 0 : isMetric(m, BITS_OUT) ? 1 : -1;
    if (directionSlot < 0) continue;
    const series = m.timeseries ?? [];
    for (let j = 0; j < series.length; j++) {
      const s = series[j]!;
      const path = pathOfDimension(dimension(s, 'devicerole'));
      if (!path) continue;
      const slot = (path === 'primary' ? 0 : 2) + directionSlot;
      const points = s.data ?? [];
      for (let k = 0; k < points.length; k++) {
        const p = points[k]!;
        if (typeof p.average === 'number') {
          sums[slot]! += p.average;
          counts[slot]! += 1;
        }
        const peak = p.maximum ?? p.average;
        if (typeof peak === 'number') peaks[slot] = Math.max(peaks[slot]!, peak);
      }
    }
  }
  const out: LinkThroughput[] = [];
  for (let slot = 0; slot < THROUGHPUT_SLOTS.length; slot++) {
    const count = counts[slot]!;
    if (count === 0) continue;
    const [path, direction] = THROUGHPUT_SLOTS[slot]!;
    out.push({ path, direction, averageBps: sums[slot]! / count, peakBps: peaks[slot]! });
  }
  return out;
}

/**
 * QosDropBitsIn/OutPerSecond (no dimensions, PT5M): the latest interval's drops; with `since` (epoch ms), the
 * highest of every interval from then on, so that a reader that comes once per interval misses none of them (the
 * interval it read last may have been filling then). `at` is the newest interval's.
 */
export function rateLimitDrops(metrics: readonly Metric[], since?: number): RateLimitDrops | undefined {
  const sample = (name: MetricName): MetricSample | undefined => {
    for (const m of metrics) {
      if (!isMetric(m, name)) continue;
      for (const s of m.timeseries ?? []) {
        const newest = latest(s, averageOrMaximumOf);
        if (newest) return since === undefined ? newest : { value: highestSince(s, since, newest.value), at: newest.at };
      }
    }
    return undefined;
  };
  const inS = sample(DROPS_IN);
  const outS = sample(DROPS_OUT);
  if (!inS && !outS) return undefined;
  return { inBps: inS?.value ?? 0, outBps: outS?.value ?? 0, at: Math.max(inS?.at ?? 0, outS?.at ?? 0) };
}
