import type { Aggregation } from './metric-definitions';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The time grains Azure Monitor accepts for `interval`, plus FULL (one point for the whole range). */
const GRAINS: Readonly<Record<string, number>> = {
  PT1M: MINUTE,
  PT5M: 5 * MINUTE,
  PT15M: 15 * MINUTE,
  PT30M: 30 * MINUTE,
  PT1H: HOUR,
  PT6H: 6 * HOUR,
  PT12H: 12 * HOUR,
  P1D: 24 * HOUR,
};
const AGGREGATIONS: readonly Aggregation[] = ['average', 'minimum', 'maximum', 'total', 'count'];
const MAX_POINTS = 50_000;

export interface DimensionFilter {
  /** The dimension as written in the filter. */
  name: string;
  /** Lower-cased values to keep, or '*' for all (still split by this dimension). */
  values: string[] | '*';
}

export interface MetricQuery {
  names: string[];
  /** undefined: each metric's default aggregation. */
  aggregations?: Aggregation[];
  intervalText: string;
  /** undefined for FULL. */
  intervalMs?: number;
  start: number;
  end: number;
  filters: DimensionFilter[];
  top: number;
}

/**
 * Reads the query string of metrics (`timespan`, `$filter`) or metrics:getBatch (`starttime`, `endtime`,
 * `filter`). Parameter names are matched without case, as the service does. Returns an error message or the query.
 */
export function parseMetricQuery(raw: Record<string, string>, now: number, api: 'resource' | 'batch'): MetricQuery | string {
  const q = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.toLowerCase(), v]));
  const range = api === 'batch' ? batchRange(q.starttime, q.endtime, now) : timespanRange(q.timespan, now);
  if (typeof range === 'string') return range;
  const intervalText = (q.interval ?? 'PT1M').toUpperCase();
  const intervalMs = GRAINS[intervalText];
  if (intervalText !== 'FULL' && intervalMs === undefined) {
    return `Invalid time grain '${q.interval}'. Supported: ${[...Object.keys(GRAINS), 'FULL'].join(', ')}.`;
  }
  if (intervalMs !== undefined && (range.end - range.start) / intervalMs > MAX_POINTS) {
    return `The requested time range and interval would return more than ${MAX_POINTS} points; use a larger interval.`;
  }
  const names = (q.metricnames ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  let aggregations: Aggregation[] | undefined;
  if (q.aggregation) {
    aggregations = [];
    for (const a of q.aggregation
      .split(',')
      .map((x) => x.trim().toLowerCase())
      .filter(Boolean)) {
      const known = AGGREGATIONS.find((x) => x === a);
      if (!known) return `Invalid aggregation '${a}'. Supported: Average, Count, Minimum, Maximum, Total.`;
      if (!aggregations.includes(known)) aggregations.push(known);
    }
  }
  const filters = parseFilter(api === 'batch' ? q.filter : (q.$filter ?? q.filter));
  if (typeof filters === 'string') return filters;
  const top = q.top === undefined ? 10 : Number(q.top);
  if (!Number.isInteger(top) || top < 1) return `Invalid top '${q.top}': it must be a positive integer.`;
  return {
    names,
    ...(aggregations ? { aggregations } : {}),
    intervalText: intervalText === 'FULL' ? isoDuration(range.end - range.start) : intervalText,
    ...(intervalMs !== undefined ? { intervalMs } : {}),
    ...range,
    filters,
    top,
  };
}

function batchRange(start: string | undefined, end: string | undefined, now: number): { start: number; end: number } | string {
  const e = end === undefined ? now : Date.parse(end);
  const s = start === undefined ? e - HOUR : Date.parse(start);
  if (Number.isNaN(s) || Number.isNaN(e)) return `Invalid starttime or endtime: '${start ?? ''}', '${end ?? ''}' (use ISO 8601).`;
  if (s >= e) return 'The starttime must be before the endtime.';
  return { start: s, end: e };
}

function timespanRange(timespan: string | undefined, now: number): { start: number; end: number } | string {
  if (timespan === undefined) return { start: now - HOUR, end: now };
  const [a = '', b] = timespan.split('/');
  let start: number;
  let end: number;
  if (b === undefined) {
    const d = parseDuration(a);
    if (d === undefined) return `Invalid timespan '${timespan}'.`;
    [start, end] = [now - d, now];
  } else {
    start = Date.parse(a);
    const d = b.toUpperCase().startsWith('P') ? parseDuration(b) : undefined;
    end = d === undefined ? Date.parse(b) : start + d;
  }
  if (Number.isNaN(start) || Number.isNaN(end)) return `Invalid timespan '${timespan}' (use start/end in ISO 8601).`;
  if (start >= end) return `Invalid timespan '${timespan}': the start must be before the end.`;
  return { start, end };
}

/** `A eq 'a1' and B eq 'b1' or B eq 'b2'`: `or` may only join values of one dimension, as the service requires. */
function parseFilter(text: string | undefined): DimensionFilter[] | string {
  if (!text || text.trim() === '') return [];
  const filters: DimensionFilter[] = [];
  for (const clause of text.split(/\s+and\s+/i)) {
    let name: string | undefined;
    const values: string[] = [];
    let all = false;
    for (const term of clause.split(/\s+or\s+/i)) {
      const m = /^\s*\(?\s*([A-Za-z0-9_.-]+)\s+eq\s+'([^']*)'\s*\)?\s*$/i.exec(term);
      if (!m) return `Invalid filter '${text}': expected terms like Dimension eq 'value' joined by and / or.`;
      const [, dim = '', value = ''] = m;
      if (name !== undefined && name.toLowerCase() !== dim.toLowerCase()) {
        return `Invalid filter '${text}': the logical or operator cannot separate two different metadata names.`;
      }
      name = dim;
      if (value === '*') all = true;
      else values.push(value.toLowerCase());
    }
    if (name !== undefined) filters.push({ name, values: all ? '*' : values });
  }
  return filters;
}

function parseDuration(text: string): number | undefined {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i.exec(text.trim());
  if (!m || text.trim().toUpperCase() === 'P' || text.trim().toUpperCase() === 'PT') return undefined;
  const [, d = '0', h = '0', min = '0', s = '0'] = m;
  return ((Number(d) * 24 + Number(h)) * 60 + Number(min)) * MINUTE + Number(s) * 1000;
}

export function isoDuration(ms: number): string {
  const totalMinutes = Math.round(ms / MINUTE);
  const days = Math.floor(totalMinutes / 1440);
  const hours = Math.floor((totalMinutes % 1440) / 60);
  const minutes = totalMinutes % 60;
  const time = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}`;
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : days ? '' : 'T0M'}`;
}
