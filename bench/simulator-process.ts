import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { moduleArgs } from './paths';
import type { WorldSpec } from './world';

/**
 * The ARM simulator in a process of its own, as real ARM would be: the bot's process then does only the bot's
 * work, and the figures are not inflated by serving ARM on the same event loop.
 */
export async function spawnSimulator(fleet: unknown): Promise<RunningSimulator> {
  const dir = mkdtempSync(path.join(tmpdir(), 'erbot-bench-sim-'));
  const fleetFile = path.join(dir, 'fleet.json');
  writeFileSync(fleetFile, JSON.stringify(fleet));
  return simulatorOn(fleetFile, dir);
}

export interface RunningSimulator {
  url: string;
  caPem: string;
  stop(): Promise<void>;
}

/** Runs node with `args` in a process of its own, its output shown, and throws, naming `what`, if it does not end well. */
export async function runToEnd(args: readonly string[], what: string): Promise<void> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c, s) => resolve([c, s]));
  });
  if (code !== 0) throw new Error(`${what} failed (${signal ? `killed by ${signal}` : `exit ${code}`})`);
}

/**
 * A scale fleet built, and the simulator started on it, by processes other than this one, which gets only the
 * directory: building 2,000 circuits' fixtures leaves ~280 MB of garbage behind, which the bot's first cycles in
 * this process would otherwise collect (and its sweeping run during them) and be billed for.
 */
export async function spawnWorld(spec: WorldSpec): Promise<{ sim: RunningSimulator; directory: unknown }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'erbot-bench-world-'));
  try {
    await runToEnd([...moduleArgs('world'), JSON.stringify(spec), dir], 'building the bench fleet');
    const directory: unknown = JSON.parse(readFileSync(path.join(dir, 'directory.json'), 'utf8'));
    return { sim: await simulatorOn(path.join(dir, 'fleet.json'), dir), directory };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

async function simulatorOn(fleetFile: string, dir: string): Promise<RunningSimulator> {
  const caFile = path.join(dir, 'ca.pem');
  const child = spawn(
    process.execPath,
    [
      ...(process.env.SIM_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.SIM_PROF] : []),
      ...moduleArgs(path.join('..', 'src', 'simulator', 'main')),
      fleetFile,
      '--ca',
      caFile,
    ],
    { env: { ...process.env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`simulator did not start: ${out}`)), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const m = /ARM simulator: (https:\/\/\S+)/.exec(out);
      if (m && out.includes('CA certificate')) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}: ${out}`)));
  }).catch((e: unknown) => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
    throw e;
  });
  const caPem = readFileSync(caFile, 'utf8');
  // The simulator read the fleet before it printed its address; ~100 MB of fixtures need not stay on disk.
  rmSync(dir, { recursive: true, force: true });
  return {
    url,
    caPem,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
