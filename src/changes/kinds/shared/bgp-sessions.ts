import { neighbourState, pathBgpState } from '../../../network/bgp';
import { awaitsPrefixValidation, peeringLabel } from '../../../network/health';
import { DEVICE_PATHS, type DevicePath, type NetworkReader, type Peering, type SubscriptionScope } from '../../../network/types';
import type { VerifyBaseline, VerifyLook } from '../../change-kind';
import { readFor } from './verify-reads';

/**
 * A peering's two BGP sessions (primary and secondary device paths) after a change, read from the Microsoft edge
 * routers as the `bgp` command reads them, and judged as the query side judges them (network/bgp.ts): a path is
 * up when every neighbour it lists is Established.
 */

/** Received prefixes may move this much (a share of before) and still be "as before". */
export const PREFIX_TOLERANCE = 0.2;

/** The peering whose sessions are looked at. */
export interface SessionsOf {
  scope: SubscriptionScope;
  circuitId: string;
  /** As ARM has it now: its name is what the routers are asked about, and it tells whether Microsoft validates its prefixes. */
  peering: Peering;
}

/**
 * What the prefixes received must be besides the sessions being up: within PREFIX_TOLERANCE of `before`'s count per
 * path (a path without a count, or with 0, is only checked for being up); more than none on each path; or anything.
 */
export type PrefixExpectation = { like: VerifyBaseline | undefined } | 'some' | 'any';

interface PathNow {
  path: DevicePath;
  up: boolean;
  prefixes: number;
  /** The BGP state(s) of a path that is not up: "Idle", "Active", or that it is missing. */
  state: string;
}

/** Prefixes received per path just before a change, keyed by path; a path whose read fails is left out. */
export async function sessionBaseline(
  reader: NetworkReader,
  of: Omit<SessionsOf, 'peering'> & { peering: string },
): Promise<VerifyBaseline> {
  // Device reads take seconds on real ARM: both links are asked at once.
  const counts = await Promise.all(
    DEVICE_PATHS.map(async (path) => {
      try {
        const neighbours = await reader.listBgpNeighbours(of.scope, of.circuitId, of.peering, path, { fresh: true });
        return [[path, pathBgpState(neighbours.value).prefixes] as const];
      } catch {
        // Without a count from before, the look checks only that the session is up, and says so.
        return [];
      }
    }),
  );
  return Object.fromEntries(counts.flat());
}

async function readPath(reader: NetworkReader, of: SessionsOf, path: DevicePath, label: string): Promise<PathNow> {
  const neighbours = await readFor(`the ${path} BGP session of ${label}`, () =>
    reader.listBgpNeighbours(of.scope, of.circuitId, of.peering.name, path, { fresh: true }),
  );
  const state = pathBgpState(neighbours.value);
  const down = neighbours.value.map(neighbourState).filter((s) => !s.established);
  const words =
    neighbours.value.length === 0 ? 'missing (the router lists no neighbour)' : [...new Set(down.map((s) => s.state))].join(' and ');
  return { path, up: state.up, prefixes: state.prefixes, state: words };
}

/** The count a path is compared with, or why it is not compared (no count from before, or 0). */
function comparedWith(expect: PrefixExpectation, path: DevicePath): { was: number } | { not: string } | undefined {
  if (typeof expect === 'string') return undefined;
  if (expect.like === undefined) return { not: 'no count was read before the change' };
  const was = expect.like[path];
  if (typeof was !== 'number') return { not: 'its count before the change could not be read' };
  return was > 0 ? { was } : { not: 'it received none before the change' };
}

const prefixes = (n: number) => `${n} ${n === 1 ? 'prefix' : 'prefixes'}`;

/** Why a path that is up is not healthy by its prefixes; undefined when it is. */
function prefixProblem(p: PathNow, expect: PrefixExpectation, label: string): string | undefined {
  if (expect === 'some') return p.prefixes > 0 ? undefined : `${p.path} BGP session of ${label} receives no prefixes`;
  const base = comparedWith(expect, p.path);
  if (!base || !('was' in base) || Math.abs(p.prefixes - base.was) <= base.was * PREFIX_TOLERANCE) return undefined;
  const pct = Math.round(PREFIX_TOLERANCE * 100);
  return `${p.path} has ${prefixes(p.prefixes)} (was ${base.was}, more than ${pct}% ${p.prefixes < base.was ? 'fewer' : 'more'})`;
}

function evidence(paths: PathNow[], label: string, expect: PrefixExpectation): string {
  const uncompared = new Map<string, DevicePath[]>();
  const counts = paths.map((p) => {
    const base = comparedWith(expect, p.path);
    if (base && 'not' in base) uncompared.set(base.not, [...(uncompared.get(base.not) ?? []), p.path]);
    return `${p.path} ${prefixes(p.prefixes)}${base && 'was' in base ? ` (was ${base.was})` : ''}`;
  });
  const notes = [...uncompared].map(([why, which]) => `${which.join(' and ')} only checked for being up: ${why}`);
  return [`both BGP sessions of ${label} are established: ${counts.join(', ')}`, ...notes].join('; ');
}

/** Both sessions of a peering up, with the prefixes expected: healthy with the counts, or why not in words. */
export async function lookAtSessions(reader: NetworkReader, of: SessionsOf, expect: PrefixExpectation): Promise<VerifyLook> {
  const label = peeringLabel(of.peering.kind);
  const paths = await Promise.all(DEVICE_PATHS.map((path) => readPath(reader, of, path, label)));
  const down = paths.filter((p) => !p.up);
  const problems: string[] = [];
  if (down.length === paths.length) {
    problems.push(`both BGP sessions of ${label} are down (${down.map((p) => `${p.path} ${p.state}`).join(', ')})`);
  } else {
    for (const p of down) problems.push(`${p.path} BGP session of ${label} is ${p.state}`);
  }
  for (const p of paths) {
    const problem = p.up ? prefixProblem(p, expect, label) : undefined;
    if (problem) problems.push(problem);
  }
  if (problems.length === 0) return { healthy: true, evidence: evidence(paths, label, expect) };
  if (down.length > 0 && awaitsPrefixValidation(of.peering)) {
    problems.push('Microsoft is still validating the advertised prefixes (ValidationNeeded), and the sessions stay down until it is done');
  }
  return { healthy: false, why: problems.join('; ') };
}
