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

function dimension(series: Series, name: string): string {
  return series.metadatavalues?.find((m) => (m.name?.value ?? '').toLowerCase() === name.toLowerCase())?.value ?? '';
}

/** The newest point that carries a value: the most recent minute may not be ingested yet. */
export function latest(series: Series, pick: (p: NonNullable<Series['data']>[number]) => number | undefined): MetricSample | undefined {
  const points = series.data ?? [];
  for (let i = points.length - 1; i >= 0; i--) {
    const p = points[i]!;
    const value = pick(p);
    if (typeof value === 'number' && Number.isFinite(value)) return { value, at: new Date(p.timeStamp).getTime() };
  }
  return undefined;
}

const squash = (s: string) => s.replace(/[^a-z0-9]/gi, '').toLowerCase();

/**
 * A metric's id ends with its REST name (…/metrics/BgpAvailability), which is matched first; without an id, its
 * name is compared loosely (spacing and case aside).
 */
const byName = (metrics: readonly Metric[], name: string) =>
  metrics.filter((m) => {
    const fromId = /\/metrics\/([^/]+)$/i.exec(m.id ?? '')?.[1];
    return fromId ? fromId.toLowerCase() === name.toLowerCase() : squash(m.name.value) === squash(name);
  });

/** BgpAvailability / ArpAvailability split by PeeringType and Peer → one entry per peering × link. */
export function linkSignals(metrics: readonly Metric[]): LinkSignals[] {
  const links = new Map<string, LinkSignals>();
  for (const [metric, field] of [
    ['BgpAvailability', 'bgpAvailability'],
    ['ArpAvailability', 'arpAvailability'],
  ] as const) {
    for (const m of byName(metrics, metric)) {
      for (const series of m.timeseries ?? []) {
        const kind = peeringKindOfDimension(dimension(series, 'PeeringType'));
        const path = pathOfDimension(dimension(series, 'Peer'));
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
        const path = pathOfDimension(dimension(series, 'DeviceRole'));
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
