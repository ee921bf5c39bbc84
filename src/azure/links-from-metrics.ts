import type { Metric } from '@azure/arm-monitor';
import type { DevicePath, Direction, LinkThroughput, RateLimitDrops } from '../network/types';

const DIRECTIONS: Record<string, Direction> = { bitsinpersecond: 'in', bitsoutpersecond: 'out' };
const PATHS: Record<string, DevicePath> = { primary: 'primary', secondary: 'secondary' };

/**
 * Azure Monitor's BitsIn/OutPerSecond split by the DeviceRole dimension → one average and one peak per link
 * and direction. Series without a known role or without data points are ignored.
 */
export function linksFromMetrics(metrics: readonly Metric[]): LinkThroughput[] {
  const acc = new Map<string, { path: DevicePath; direction: Direction; averages: number[]; peaks: number[] }>();
  for (const metric of metrics) {
    const direction = DIRECTIONS[(metric.name?.value ?? '').toLowerCase()];
    if (!direction) continue;
    for (const series of metric.timeseries ?? []) {
      const role = series.metadatavalues?.find((m) => m.name?.value?.toLowerCase() === 'devicerole')?.value;
      const path = PATHS[(role ?? '').toLowerCase()];
      if (!path) continue;
      const key = `${path}/${direction}`;
      const slot = acc.get(key) ?? { path, direction, averages: [], peaks: [] };
      for (const point of series.data ?? []) {
        if (typeof point.average === 'number') slot.averages.push(point.average);
        const peak = point.maximum ?? point.average;
        if (typeof peak === 'number') slot.peaks.push(peak);
      }
      if (slot.averages.length > 0 || slot.peaks.length > 0) acc.set(key, slot);
    }
  }
  const order = ['primary/in', 'primary/out', 'secondary/in', 'secondary/out'];
  return order
    .map((k) => acc.get(k))
    .filter((s): s is NonNullable<typeof s> => s !== undefined)
    .map((s) => ({
      path: s.path,
      direction: s.direction,
      averageBps: s.averages.length > 0 ? s.averages.reduce((a, b) => a + b, 0) / s.averages.length : 0,
      peakBps: s.peaks.reduce((a, b) => Math.max(a, b), 0),
    }));
}

/** A grain that keeps a window to a few hundred points at most. */
export function metricsInterval(windowMs: number): string {
  const hour = 3_600_000;
  if (windowMs <= hour) return 'PT1M';
  if (windowMs <= 6 * hour) return 'PT5M';
  if (windowMs <= 24 * hour) return 'PT15M';
  if (windowMs <= 7 * 24 * hour) return 'PT1H';
  return 'PT6H';
}

/** QosDropBitsIn/OutPerSecond (no dimensions): the newest interval with a value. */
export function dropsFromMetrics(metrics: readonly Metric[]): RateLimitDrops | undefined {
  const newest = (name: string) => {
    let best: { value: number; at: number } | undefined;
    for (const m of metrics.filter((x) => (x.name?.value ?? '').toLowerCase() === name.toLowerCase())) {
      for (const s of m.timeseries ?? []) {
        for (const p of s.data ?? []) {
          const value = p.average ?? p.maximum;
          const at = p.timeStamp ? new Date(p.timeStamp).getTime() : 0;
          if (typeof value === 'number' && (!best || at >= best.at)) best = { value, at };
        }
      }
    }
    return best;
  };
  const inS = newest('QosDropBitsInPerSecond');
  const outS = newest('QosDropBitsOutPerSecond');
  if (!inS && !outS) return undefined;
  return { inBps: inS?.value ?? 0, outBps: outS?.value ?? 0, at: Math.max(inS?.at ?? 0, outS?.at ?? 0) };
}
