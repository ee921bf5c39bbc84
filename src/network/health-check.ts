import { systemClock, type Clock } from '../clock';
import { ErrorCode } from '../errors';
import { pathBgpState } from './bgp';
import { assessHealth, isPeeringEnabled, levelRank, customerArpEntries } from './health';
import type { HealthVerdict, PathObservation } from './health';
import { mapConcurrent } from './map-concurrent';
import { partFailure } from './part';
import type { Part, PartFailure } from './part';
import { familyOf, prefixLimit } from './prefix-limits';
import type {
  Circuit,
  DevicePath,
  Fresh,
  NetworkReader,
  PeeringKind,
  ReadOptions,
  SubscriptionScope,
} from './types';
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
  /** Only used to stamp a report that read nothing at all. */
  clock?: Clock;
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
    | { state: 'up' | 'down'; detail?: string; prefixes: number; limit: number }
    | { state: 'unknown'; error: PartFailure; limit: number };
  /** `implied`: not read, the established BGP session on this link proves ARP works. */
  arp: { count: number; resolved: number } | { error: PartFailure } | { implied: true };
}

export interface CircuitHealthReport {
  circuit: Circuit;
  verdict: HealthVerdict;
  peerings: PathReport[];
  utilisation: Part<Utilisation>;
  /** The oldest of the reads behind this report: the report is as fresh as its stalest part. */
  fetchedAt: number;
  /** True when any part came from the read cache. */
  fromCache: boolean;
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
        o.arp = await read(() => reader.listArp(scope, circuit.id, peering.name, path, readOptions));
      };
      if (options.arpReads === 'when-bgp-down') {
        tasks.push(async () => {
          o.bgp = await read(() => reader.listBgpNeighbours(scope, circuit.id, peering.name, path, readOptions));
          if (o.bgp.ok && pathBgpState(o.bgp.value).up) delete o.arp;
          else await readArp();
        });
      } else {
        tasks.push(async () => {
          o.bgp = await read(() => reader.listBgpNeighbours(scope, circuit.id, peering.name, path, readOptions));
        });
        tasks.push(readArp);
      }
    }
  }
  let utilisation: Part<Utilisation> = { ok: false, error: { code: ErrorCode.Internal, message: 'not read' } };
  tasks.push(async () => {
    const usage = await read(() =>
      reader.getBandwidthUsage(scope, circuit.id, options.windowMs ?? HEALTH_WINDOW_MS, readOptions),
    );
    utilisation = usage.ok
      ? { ok: true, value: computeUtilisation(usage.value, circuit.bandwidthMbps), fetchedAt: usage.fetchedAt }
      : usage;
  });

  await mapConcurrent(tasks, options.concurrency ?? DEFAULT_HEALTH_CONCURRENCY, (t) => t());

  const verdict = assessHealth({ circuit, paths: observations, utilisation });
  const oldest = stamps.length > 0 ? Math.min(...stamps.map((s) => s.fetchedAt)) : (options.clock ?? systemClock).now();
  return {
    circuit,
    verdict,
    peerings: observations.map((o) => toPathReport(circuit, o)),
    utilisation,
    fetchedAt: oldest,
    fromCache: stamps.some((s) => s.fromCache),
  };
}

function toPathReport(circuit: Circuit, o: PathObservation): PathReport {
  const limitFor = (neighbour?: string) => prefixLimit(o.kind, circuit.sku, neighbour ? familyOf(neighbour) : 'ipv4');
  let bgp: PathReport['bgp'];
  if (o.bgp.ok) {
    const state = pathBgpState(o.bgp.value);
    bgp = { state: state.up ? 'up' : 'down', prefixes: state.prefixes, limit: limitFor(o.bgp.value[0]?.neighbor) };
    if (state.problem !== undefined) bgp.detail = state.problem;
  } else {
    bgp = { state: 'unknown', error: o.bgp.error, limit: limitFor() };
  }
  const arp: PathReport['arp'] =
    o.arp === undefined
      ? { implied: true }
      : o.arp.ok
        ? { count: o.arp.value.length, resolved: customerArpEntries(o.arp.value).length }
        : { error: o.arp.error };
  return { peering: o.peering, kind: o.kind, path: o.path, bgp, arp };
}

/** Red, amber, unknown, green; then by circuit name, so the on-call reads the worst first. */
export function sortWorstFirst<T extends { circuit: { name: string }; verdict: { level: HealthVerdict['level'] } }>(
  reports: readonly T[],
): T[] {
  return [...reports].sort(
    (a, b) =>
      levelRank(a.verdict.level) - levelRank(b.verdict.level) ||
      a.circuit.name.localeCompare(b.circuit.name, 'en', { sensitivity: 'base' }),
  );
}
