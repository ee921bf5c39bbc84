import type { BgpNeighbour } from './types';

export interface BgpSessionState {
  established: boolean;
  /** "Established" or the BGP FSM state the router reported (Idle, Active, Connect, OpenSent…). */
  state: string;
  /** Prefixes received, when established. */
  prefixes?: number;
}

/**
 * The router's State/PfxRcd column is a number of received prefixes when the session is up and the FSM state
 * otherwise, just like `show ip bgp summary`.
 */
export function interpretStatePfxRcd(statePfxRcd: string): BgpSessionState {
  const text = statePfxRcd.trim();
  if (/^\d+$/.test(text)) return { established: true, state: 'Established', prefixes: Number(text) };
  if (/^established$/i.test(text)) return { established: true, state: 'Established', prefixes: 0 };
  // "Idle (Admin)", "Idle (PfxCt)": keep the qualifier, it says why.
  return { established: false, state: text === '' ? 'Unknown' : text };
}

export function neighbourState(n: BgpNeighbour): BgpSessionState {
  return interpretStatePfxRcd(n.statePfxRcd);
}

/**
 * Up/Down column → seconds. Formats are "00:12:34" (under a day), "1d02h", "3w2d", "1y20w"; "never" and
 * anything else unknown → undefined.
 */
export function parseUpDownSeconds(upDown: string): number | undefined {
  const text = upDown.trim().toLowerCase();
  const clock = /^(\d+):(\d{2}):(\d{2})$/.exec(text);
  if (clock) return Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
  const units: Record<string, number> = { y: 365 * 86400, w: 7 * 86400, d: 86400, h: 3600, m: 60, s: 1 };
  if (!/^(\d+[ywdhms])+$/.test(text)) return undefined;
  let total = 0;
  for (const [, n, u] of text.matchAll(/(\d+)([ywdhms])/g)) total += Number(n) * (units[u ?? 's'] ?? 0);
  return total;
}

/** Seconds → "3d 2h", "12m", "45s": the two largest units are enough to read at a glance. */
export function formatDuration(seconds: number): string {
  const parts: string[] = [];
  let rest = Math.max(0, Math.floor(seconds));
  for (const [size, unit] of [
    [86400, 'd'],
    [3600, 'h'],
    [60, 'm'],
    [1, 's'],
  ] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n}${unit}`);
  }
  return parts.length === 0 ? '0s' : parts.slice(0, 2).join(' ');
}

/** "up 3d 2h" / "down 12m" / the raw text when it can't be read. */
export function describeUpDown(n: BgpNeighbour): string {
  const state = neighbourState(n);
  const seconds = parseUpDownSeconds(n.upDown);
  if (seconds === undefined) return n.upDown.trim() === '' ? '—' : n.upDown.trim();
  return `${state.established ? 'up' : 'down'} ${formatDuration(seconds)}`;
}

export interface PathBgpState {
  /** Up when at least one neighbour is listed and every listed neighbour is Established. */
  up: boolean;
  prefixes: number;
  /** Why it is down, e.g. "10.0.0.1 Idle", or "no BGP neighbour". */
  problem?: string;
}

export function pathBgpState(neighbours: readonly BgpNeighbour[]): PathBgpState {
  if (neighbours.length === 0) return { up: false, prefixes: 0, problem: 'no BGP neighbour configured' };
  let prefixes = 0;
  const down: string[] = [];
  for (const n of neighbours) {
    const s = neighbourState(n);
    if (s.established) prefixes += s.prefixes ?? 0;
    else down.push(`${n.neighbor} ${s.state}`);
  }
  return down.length === 0 ? { up: true, prefixes } : { up: false, prefixes, problem: down.join(', ') };
}
