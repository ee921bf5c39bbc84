import type { BandwidthUsage, DevicePath, Direction, RateLimitDrops, TrafficCounters } from './types';

/** Average use above this share of the provisioned bandwidth means the circuit needs attention (or an upgrade). */
export const HOT_RATIO = 0.8;

export interface LinkUtilisation {
  path: DevicePath;
  direction: Direction;
  averageBps: number;
  peakBps: number;
  /** Percent of the provisioned bandwidth (each link carries the full provisioned bandwidth). */
  averagePct: number;
  peakPct: number;
  /** Provisioned minus average; never negative. */
  headroomBps: number;
}

export interface Utilisation {
  source: BandwidthUsage['source'];
  windowStart: number;
  windowEnd: number;
  provisionedBps: number;
  /** Empty when only counters were available. */
  links: LinkUtilisation[];
  /** The busiest link by average, if there are measured links. */
  busiest?: LinkUtilisation;
  /** Headroom of the busiest link. */
  headroomBps?: number;
  /** Byte totals (counters only): no rate can be derived from them. */
  totals?: { bytesIn: number; bytesOut: number; counters: TrafficCounters };
  hot: boolean;
  /** What the rate limiter dropped lately, when Azure Monitor said. */
  drops?: RateLimitDrops;
  /** The drops were not read for this answer: unknown, not none (BandwidthUsage.dropsUnread). */
  dropsUnread?: true;
}

export function computeUtilisation(usage: BandwidthUsage, bandwidthMbps: number): Utilisation {
  const provisionedBps = bandwidthMbps * 1_000_000;
  const pct = (bps: number) => (provisionedBps > 0 ? (bps / provisionedBps) * 100 : 0);
  const links: LinkUtilisation[] =
    usage.source === 'metrics'
      ? usage.links.map((l) => ({
          path: l.path,
          direction: l.direction,
          averageBps: l.averageBps,
          peakBps: l.peakBps,
          averagePct: pct(l.averageBps),
          peakPct: pct(l.peakBps),
          headroomBps: Math.max(0, provisionedBps - l.averageBps),
        }))
      : [];
  let busiest: LinkUtilisation | undefined;
  for (const l of links) if (!busiest || l.averageBps > busiest.averageBps) busiest = l;
  const c = usage.counters;
  const result: Utilisation = {
    source: usage.source,
    windowStart: usage.windowStart,
    windowEnd: usage.windowEnd,
    provisionedBps,
    links,
    hot: false,
  };
  if (usage.drops) result.drops = { ...usage.drops };
  if (usage.dropsUnread) result.dropsUnread = true;
  if (busiest) {
    result.busiest = busiest;
    result.headroomBps = busiest.headroomBps;
    result.hot = isHot(busiest.averageBps, provisionedBps);
  }
  if (c) {
    result.totals = {
      bytesIn: c.primaryBytesIn + c.secondaryBytesIn,
      bytesOut: c.primaryBytesOut + c.secondaryBytesOut,
      counters: c,
    };
  }
  return result;
}

/** Hot when the average over the window is above 80% of provisioned; a short peak alone is not. */
export function isHot(averageBps: number, provisionedBps: number): boolean {
  return provisionedBps > 0 && averageBps > provisionedBps * HOT_RATIO;
}

/** "850 Mbps", "1.2 Gbps", "12 kbps". */
export function formatBps(bps: number): string {
  const units: [number, string][] = [
    [1e9, 'Gbps'],
    [1e6, 'Mbps'],
    [1e3, 'kbps'],
  ];
  for (const [size, unit] of units) {
    if (bps >= size) return `${Number((bps / size).toPrecision(3))} ${unit}`;
  }
  return `${Math.round(bps)} bps`;
}

/** "1.5 GB", "812 MB" (decimal units, like the portal). */
export function formatBytes(bytes: number): string {
  const units: [number, string][] = [
    [1e15, 'PB'],
    [1e12, 'TB'],
    [1e9, 'GB'],
    [1e6, 'MB'],
    [1e3, 'kB'],
  ];
  for (const [size, unit] of units) {
    if (bytes >= size) return `${Number((bytes / size).toPrecision(3))} ${unit}`;
  }
  return `${Math.round(bytes)} B`;
}
