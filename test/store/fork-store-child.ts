import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { AlertClaim } from '../../src/alerts/alert-store';
import type { ChangeRequest } from '../../src/changes/change-request';

/** Which store a child opens: a SQLite file, or tables on a Table Storage account (Azurite: plain HTTP). */
export type StoreSpec = { sqlite: string } | { table: { connectionString: string; tablePrefix: string } };

/** What one child saw of a create race: ids created, ids refused with the holder named, anything else. */
export interface CreateRaceReport {
  created: string[];
  busy: { id: string; holder: string }[];
  failed: string[];
  startedAt: number;
  endedAt: number;
}

/** Forks test/store/store-child.ts with `args`; its stderr is the test's. */
export function startStoreChild(args: string[]): ChildProcess {
  return fork(path.join(__dirname, 'store-child.ts'), args, {
    execArgv: ['--require', 'tsx/cjs'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
}

/** The child's next message that has `key`; rejects if it exits first. */
export function nextMessage(child: ChildProcess, key: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: unknown) => {
      if (m && typeof m === 'object' && key in m) {
        cleanup();
        resolve(m as Record<string, unknown>);
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`child exited (${code}) before sending ${key}`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/**
 * Forks one store child per argument list, lines them up on a common start instant so that their attempts overlap,
 * and resolves with each child's message that has `key`; any child still running at the end is killed.
 */
export async function raceStoreChildren(argLists: readonly string[][], key: string): Promise<Record<string, unknown>[]> {
  const children = argLists.map((args) => startStoreChild(args));
  try {
    await Promise.all(children.map((c) => nextMessage(c, 'ready')));
    const reports = children.map((c) => nextMessage(c, key));
    // Far enough ahead that every child has its timer set, near enough not to slow the suite.
    const goAt = Date.now() + 250;
    for (const c of children) c.send({ goAt });
    return await Promise.all(reports);
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  }
}

/**
 * Two processes on one store, each creating its share of `requests` all at once, lined up on a common start
 * instant so that their attempts overlap. Resolves with each process's report.
 */
export async function raceCreatesInTwoProcesses(spec: StoreSpec, requests: readonly ChangeRequest[]): Promise<CreateRaceReport[]> {
  const shares = [requests.filter((_, i) => i % 2 === 0), requests.filter((_, i) => i % 2 === 1)];
  const reports = await raceStoreChildren(
    shares.map((share) => ['create-race', JSON.stringify(spec), JSON.stringify(share)]),
    'creates',
  );
  return reports.map((m) => m.creates as CreateRaceReport);
}

/** What one child saw of a claim race: its card's group, the ids it won, and when it started and ended. */
export interface ClaimRaceReport {
  groupId: string;
  won: string[];
  startedAt: number;
  endedAt: number;
}

/**
 * Two processes on one SQLite file claiming the same alerts for cards of their own, one claim at a time, in
 * opposite orders, from a common start instant. Resolves with each process's report.
 */
export async function raceClaimsInTwoProcesses(file: string, claims: readonly AlertClaim[]): Promise<ClaimRaceReport[]> {
  const orders = [[...claims], [...claims].reverse()];
  const reports = await raceStoreChildren(
    orders.map((order) => ['claim-race', file, JSON.stringify(order)]),
    'claims',
  );
  return reports.map((m) => m.claims as ClaimRaceReport);
}
