import { ErrorCode } from '../errors';
import { assessHealth, awaitsPrefixValidation, isPeeringEnabled, levelRank, arpFromEntries, bgpFromNeighbours } from './health';
import type { BgpEvidence, HealthVerdict, PathObservation } from './health';
import { mapConcurrent } from './map-concurrent';
import { partFailure } from './part';
import type { Part, PartFailure } from './part';
import { prefixLimit } from './prefix-limits';
import type { Circuit, CircuitSignals, DevicePath, Fresh, NetworkReader, PeeringKind, ReadOptions, SubscriptionScope } from './types';
import { DEVICE_PATHS } from './types';
import { computeUtilisation } from './utilisation';
import type { Utilisation } from './utilisation';

export const HEALTH_WINDOW_MS = 60 * 60 * 1000;
export const DEFAULT_HEALTH_CONCURRENCY = 6;

export interface CheckCircuitHealthOptions {
  /** Skip the read cache. */
  fresh?: boolean;
  /** Reads in flight at once for this circuit. */
  concurrency?: number;
  abortSignal?: AbortSignal;
  /** Utilisation window; an hour unless told. */
  windowMs?: number;
  /** Only used to stamp a report that read nothing at all (any `Clock` fits); the system time unless told. */
  clock?: { now(): number };
  /**
   * `always` (default) reads ARP on every link. `when-bgp-down` reads it only where the BGP session is not
   * established, halving the slow router reads of a fleet-wide check: an established session proves ARP.
   */
  arpReads?: 'always' | 'when-bgp-down';
}

/** One peering × link, as the status and BGP cards show it. */
export interface PathReport {
  peering: string;
  kind: PeeringKind;
  path: DevicePath;
  bgp:
    | {
        state: 'up' | 'down';
        detail?: string;
        /** Undefined when no router read has counted them yet (Azure Monitor has no prefix metric). */
        prefixes?: number;
        /** When the prefixes were counted, if not with the rest of this report. */
        prefixesAt?: number;
        /** The counts per address family, as the router gave them (router reports only). */
        counted?: NonNullable<BgpEvidence['prefixes']>;
        limit: number;
      }
    | { state: 'unknown'; error: PartFailure; limit: number };
  /** `implied`: not read, the established BGP session on this link proves ARP works. */
  arp: { ok: boolean; count?: number; resolved?: number } | { error: PartFailure } | { implied: true };
}

/** Where a report's facts came from, for the card to say: the routers themselves, or Azure's batched sources. */
export type ReportSource = 'routers' | 'metrics';

export interface CircuitHealthReport {
  circuit: Circuit;
  verdict: HealthVerdict;
  peerings: PathReport[];
  utilisation: Part<Utilisation>;
  /** The oldest of the reads behind this report: the report is as fresh as its stalest part. */
  fetchedAt: number;
  /** True when any part came from the read cache. */
  fromCache: boolean;
  source: ReportSource;
  /** Metrics reports: the newest Azure Monitor data point behind the verdict. */
  metricsAsOf?: number;
  /** Metrics reports: the oldest router count of prefixes used, if any. */
  prefixesAt?: number;
}

function isFresh<T>(x: T | Fresh<T>): x is Fresh<T> {
  return typeof x === 'object' && x !== null && 'value' in x && 'fetchedAt' in x && 'fromCache' in x;
}

/** Peerings whose BGP we can read: private and Microsoft, enabled. Public peering is deprecated. */
export function checkablePeerings(circuit: Circuit) {
  return circuit.peerings.filter((p) => p.kind !== 'public' && isPeeringEnabled(p.state));
}

/**
 * Reads BGP summary and ARP for every enabled private/Microsoft peering × primary/secondary, plus the last
 * hour's bandwidth, all concurrently, and judges them. A failed read becomes an "unknown" part with its code;
 * it never fails the whole report.
 */
export async function checkCircuitHealth(
  reader: NetworkReader,
  scope: SubscriptionScope,
  circuitOrFresh: Circuit | Fresh<Circuit>,
  options: CheckCircuitHealthOptions = {},
): Promise<CircuitHealthReport> {
  const circuit = isFresh(circuitOrFresh) ? circuitOrFresh.value : circuitOrFresh;
  const readOptions: ReadOptions = {};
  if (options.fresh !== undefined) readOptions.fresh = options.fresh;
  if (options.abortSignal !== undefined) readOptions.abortSignal = options.abortSignal;

  const stamps: { fetchedAt: number; fromCache: boolean }[] = [];
  if (isFresh(circuitOrFresh)) stamps.push(circuitOrFresh);
  const read = async <T>(call: () => Promise<Fresh<T>>): Promise<Part<T>> => {
    try {
      const result = await call();
      stamps.push(result);
      return { ok: true, value: result.value, fetchedAt: result.fetchedAt };
    } catch (e) {
      if (options.abortSignal?.aborted) throw e;
      return { ok: false, error: partFailure(e) };
    }
  };

  type Task = () => Promise<void>;
  const observations: PathObservation[] = [];
  const tasks: Task[] = [];
  for (const peering of checkablePeerings(circuit)) {
    for (const path of DEVICE_PATHS) {
      const o: PathObservation = {
        peering: peering.name,
        kind: peering.kind,
        path,
        bgp: { ok: false, error: { code: ErrorCode.Internal, message: 'not read' } },
        arp: { ok: false, error: { code: ErrorCode.Internal, message: 'not read' } },
      };
      observations.push(o);
      const readArp = async () => {
        o.arp = evidence(await read(() => reader.listArp(scope, circuit.id, peering.name, path, readOptions)), arpFromEntries);
      };
      const readBgp = async () => {
        o.bgp = evidence(await read(() => reader.listBgpNeighbours(scope, circuit.id, peering.name, path, readOptions)), bgpFromNeighbours);
      };
      if (options.arpReads === 'when-bgp-down') {
        tasks.push(async () => {
          await readBgp();
          if (o.bgp.ok && o.bgp.value.up) delete o.arp;
          else await readArp();
        });
      } else {
        tasks.push(readBgp);
        tasks.push(readArp);
      }
    }
  }
  let utilisation: Part<Utilisation> = { ok: false, error: { code: ErrorCode.Internal, message: 'not read' } };
  tasks.push(async () => {
    const usage = await read(() => reader.getBandwidthUsage(scope, circuit.id, options.windowMs ?? HEALTH_WINDOW_MS, readOptions));
    utilisation = usage.ok
      ? { ok: true, value: computeUtilisation(usage.value, circuit.bandwidthMbps), fetchedAt: usage.fetchedAt }
      : usage;
  });

  await mapConcurrent(tasks, options.concurrency ?? DEFAULT_HEALTH_CONCURRENCY, (t) => t());

  const verdict = assessHealth({ circuit, paths: observations, utilisation });
  const oldest = stamps.length > 0 ? Math.min(...stamps.map((s) => s.fetchedAt)) : (options.clock?.now() ?? Date.now());
  return {
    circuit,
    verdict,
    peerings: observations.map((o) => toPathReport(circuit, o)),
    utilisation,
    fetchedAt: oldest,
    fromCache: stamps.some((s) => s.fromCache),
    source: 'routers',
  };
}

function evidence<T, E>(part: Part<T>, as: (value: T) => E): Part<E> {
  return part.ok ? { ok: true, value: as(part.value), fetchedAt: part.fetchedAt } : part;
}

/** Prefix counts a router read found for one link, kept for the fleet view (Azure Monitor has no such metric). */
export interface PrefixCount {
  prefixes: NonNullable<BgpEvidence['prefixes']>;
  fetchedAt: number;
}

export interface SignalsInput {
  circuit: Circuit;
  /** Azure Monitor's signals for the circuit, or why they could not be read. */
  signals: Part<CircuitSignals>;
  /** The last router counts of received prefixes per peering × link, if any (they are slower to come by). */
  prefixCounts?: (peering: string, path: DevicePath) => PrefixCount | undefined;
  /** When the circuit itself was read (Resource Graph). */
  fetchedAt: number;
  fromCache: boolean;
}

/**
 * The same verdict as checkCircuitHealth, from Azure Monitor instead of the routers: BgpAvailability and
 * ArpAvailability per link, throughput per device, rate-limit drops, plus prefix counts a router read left
 * behind. A link without a recent data point is "no data", never assumed up or down.
 */
export function assessFromSignals(input: SignalsInput): CircuitHealthReport {
  const { circuit, signals } = input;
  const noData = (metric: string) => ({
    ok: false as const,
    error: { code: ErrorCode.NoData, message: `Azure Monitor has no recent ${metric} data point.` },
  });
  const observations: PathObservation[] = [];
  // The router counts per observation, asked for once (the report's paths need them again).
  const counts: (PrefixCount | undefined)[] = [];
  let prefixesAt: number | undefined;
  for (const peering of checkablePeerings(circuit)) {
    for (const path of DEVICE_PATHS) {
      const counted = input.prefixCounts?.(peering.name, path);
      counts.push(counted);
      if (!signals.ok) {
        observations.push({ peering: peering.name, kind: peering.kind, path, bgp: signals });
        continue;
      }
      const link = signals.value.links.find((l) => l.kind === peering.kind && l.path === path);
      const bgp = link?.bgpAvailability;
      let bgpPart: Part<BgpEvidence>;
      if (bgp) {
        const up = bgp.value >= 50;
        const value: BgpEvidence = { up };
        if (!up) value.problem = `BgpAvailability ${Math.round(bgp.value)}% at ${hhmm(bgp.at)} UTC`;
        if (up && counted) {
          value.prefixes = counted.prefixes;
          prefixesAt = Math.min(prefixesAt ?? counted.fetchedAt, counted.fetchedAt);
        }
        bgpPart = { ok: true, value, fetchedAt: bgp.at };
      } else {
        bgpPart = noData('BgpAvailability');
      }
      const arp = link?.arpAvailability;
      observations.push({
        peering: peering.name,
        kind: peering.kind,
        path,
        bgp: bgpPart,
        arp: arp ? { ok: true, value: { ok: arp.value >= 50 }, fetchedAt: arp.at } : noData('ArpAvailability'),
      });
    }
  }
  const utilisation: Part<Utilisation> = signals.ok
    ? signals.value.usage.links.length > 0 || signals.value.usage.drops
      ? { ok: true, value: computeUtilisation(signals.value.usage, circuit.bandwidthMbps), fetchedAt: signals.value.usage.windowEnd }
      : noData('BitsInPerSecond')
    : signals;
  const verdict = assessHealth({ circuit, paths: observations, utilisation });
  const report: CircuitHealthReport = {
    circuit,
    verdict,
    peerings: observations.map((o, i) => {
      const r = toPathReport(circuit, o);
      const counted = counts[i];
      if (r.bgp.state !== 'unknown' && counted && r.bgp.prefixes !== undefined) r.bgp.prefixesAt = counted.fetchedAt;
      return r;
    }),
    utilisation,
    fetchedAt: input.fetchedAt,
    fromCache: input.fromCache,
    source: 'metrics',
  };
  if (signals.ok && signals.value.asOf !== undefined) report.metricsAsOf = signals.value.asOf;
  if (prefixesAt !== undefined) report.prefixesAt = prefixesAt;
  return report;
}

function hhmm(at: number): string {
  return new Date(at).toISOString().slice(11, 16);
}

function toPathReport(circuit: Circuit, o: PathObservation): PathReport {
  const limitFor = (family: 'ipv4' | 'ipv6' = 'ipv4') => prefixLimit(o.kind, circuit.sku, family);
  let bgp: PathReport['bgp'];
  if (o.bgp.ok) {
    const state = o.bgp.value;
    const counts = state.prefixes;
    bgp = { state: state.up ? 'up' : 'down', limit: limitFor(counts?.[0]?.family) };
    if (counts !== undefined) bgp.prefixes = state.up ? counts.reduce((a, c) => a + c.count, 0) : 0;
    if (counts !== undefined && state.up) bgp.counted = counts;
    if (state.problem !== undefined) bgp.detail = state.problem;
    if (!state.up && awaitsPrefixValidation(circuit.peerings.find((p) => p.name === o.peering))) {
      bgp.detail = `${state.problem ?? 'down'}: awaiting Microsoft's validation of the advertised prefixes`;
    }
  } else {
    bgp = { state: 'unknown', error: o.bgp.error, limit: limitFor() };
  }
  const arp: PathReport['arp'] =
    o.arp === undefined
      ? { implied: true }
      : o.arp.ok
        ? {
            ok: o.arp.value.ok,
            ...(o.arp.value.entries !== undefined ? { count: o.arp.value.entries } : {}),
            ...(o.arp.value.resolved !== undefined ? { resolved: o.arp.value.resolved } : {}),
          }
        : { error: o.arp.error };
  return { peering: o.peering, kind: o.kind, path: o.path, bgp, arp };
}

/** One collator for every comparison: `localeCompare` with options builds a new one per call. */
const BY_NAME = new Intl.Collator('en', { sensitivity: 'base' });

/** Red, amber, unknown, green; then by circuit name, so the on-call reads the worst first. */
export function sortWorstFirst<T extends { circuit: { name: string }; verdict: { level: HealthVerdict['level'] } }>(
  reports: readonly T[],
): T[] {
  return [...reports].sort(
    (a, b) => levelRank(a.verdict.level) - levelRank(b.verdict.level) || BY_NAME.compare(a.circuit.name, b.circuit.name),
  );
}
