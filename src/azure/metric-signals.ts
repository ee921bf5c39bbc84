import { pathOfDimension, peeringKindOfDimension } from '../network/metric-dimensions';
import type { DevicePath, LinkSignals, LinkThroughput, MetricSample, RateLimitDrops } from '../network/types';

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

/** A series' value of a dimension; `lowerName` is the dimension's name in lower case. */
function dimension(series: Series, lowerName: string): string {
  const values = series.metadatavalues ?? [];
  for (let i = 0; i < values.length; i++) {
    const m = values[i]!;
    if ((m.name?.value ?? '').toLowerCase() === lowerName) return m.value ?? '';
  }
  return '';
}

/** The newest point that carries a value: the most recent minute may not be ingested yet. */
export function latest(series: Series, pick: (p: NonNullable<Series['data']>[number]) => number | undefined): MetricSample | undefined {
  const points = series.data ?? [];
  for (let i = points.length - 1; i >= 0; i--) {
    const p = points[i]!;
    const value = pick(p);
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    const at = typeof p.timeStamp === 'string' ? Date.parse(p.timeStamp) : p.timeStamp.getTime();
    // A point whose time cannot be read is no evidence of when anything was so.
    if (Number.isFinite(at)) return { value, at };
  }
  return undefined;
}

const squash = (s: string) => s.replace(/[^a-z0-9]/gi, '').toLowerCase();

/**
 * A metric's id ends with its REST name (…/metrics/BgpAvailability), which is matched first; without an id, its
 * name is compared loosely (spacing and case aside).
 */
const METRIC_NAME_IN_ID = /\/metrics\/([^/]+)$/i;

function byName(metrics: readonly Metric[], name: string): Metric[] {
  const lower = name.toLowerCase();
  const squashed = squash(name);
  const out: Metric[] = [];
  for (let i = 0; i < metrics.length; i++) {
    const m = metrics[i]!;
    const fromId = METRIC_NAME_IN_ID.exec(m.id ?? '')?.[1];
    if (fromId ? fromId.toLowerCase() === lower : squash(m.name.value) === squashed) out.push(m);
  }
  return out;
}

/** BgpAvailability / ArpAvailability split by PeeringType and Peer → one entry per peering × link. */
export function linkSignals(metrics: readonly Metric[]): LinkSignals[] {
  const links = new Map<string, LinkSignals>();
  for (const [metric, field] of [
    ['BgpAvailability', 'bgpAvailability'],
    ['ArpAvailability', 'arpAvailability'],
  ] as const) {
    for (const m of byName(metrics, metric)) {
      for (const series of m.timeseries ?? []) {
        const kind = peeringKindOfDimension(dimension(series, 'peeringtype'));
        const path = pathOfDimension(dimension(series, 'peer'));
        if (!kind || !path) continue;
        // IPv4 and IPv6 sessions share a link; the worse of the two is the link's state.
        const sample = latest(series, (p) => p.average);
        if (!sample) continue;
        const key = `${kind}/${path}`;
        const link = links.get(key) ?? { kind, path };
        const prior = link[field];
        if (!prior || sample.value < prior.value) link[field] = sample;
        links.set(key, link);
      }
    }
  }
  return [...links.values()];
}

/** BitsIn/OutPerSecond split by DeviceRole over the window → average and peak per link and direction. */
export function throughput(metrics: readonly Metric[]): LinkThroughput[] {
  const out: LinkThroughput[] = [];
  for (const [metric, direction] of [
    ['BitsInPerSecond', 'in'],
    ['BitsOutPerSecond', 'out'],
  ] as const) {
    const perPath = new Map<DevicePath, { averages: number[]; peaks: number[] }>();
    for (const m of byName(metrics, metric)) {
      for (const series of m.timeseries ?? []) {
        const path = pathOfDimension(dimension(series, 'devicerole'));
        if (!path) continue;
        const slot = perPath.get(path) ?? { averages: [], peaks: [] };
        for (const p of series.data ?? []) {
          if (typeof p.average === 'number') slot.averages.push(p.average);
          const peak = p.maximum ?? p.average;
          if (typeof peak === 'number') slot.peaks.push(peak);
        }
        perPath.set(path, slot);
      }
    }
    for (const path of ['primary', 'secondary'] as const) {
      const slot = perPath.get(path);
      if (!slot || slot.averages.length === 0) continue;
      out.push({
        path,
        direction,
        averageBps: slot.averages.reduce((a, b) => a + b, 0) / slot.averages.length,
        peakBps: slot.peaks.reduce((a, b) => Math.max(a, b), 0),
      });
    }
  }
  const order = ['primary/in', 'primary/out', 'secondary/in', 'secondary/out'];
  return out.sort((a, b) => order.indexOf(`${a.path}/${a.direction}`) - order.indexOf(`${b.path}/${b.direction}`));
}

/** QosDropBitsIn/OutPerSecond (no dimensions, PT5M): the latest interval's drops. */
export function rateLimitDrops(metrics: readonly Metric[]): RateLimitDrops | undefined {
  const sample = (name: string) => {
    for (const m of byName(metrics, name))
      for (const s of m.timeseries ?? []) {
        const v = latest(s, (p) => p.average ?? p.maximum);
        if (v) return v;
      }
    return undefined;
  };
  const inS = sample('QosDropBitsInPerSecond');
  const outS = sample('QosDropBitsOutPerSecond');
  if (!inS && !outS) return undefined;
  return { inBps: inS?.value ?? 0, outBps: outS?.value ?? 0, at: Math.max(inS?.at ?? 0, outS?.at ?? 0) };
}
