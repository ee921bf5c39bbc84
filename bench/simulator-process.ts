import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The ARM simulator in a process of its own, as real ARM would be: the bot's process then does only the bot's
 * work, and the figures are not inflated by serving ARM on the same event loop.
 */
export async function spawnSimulator(fleet: unknown): Promise<{ url: string; caPem: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'erbot-bench-sim-'));
  const fleetFile = path.join(dir, 'fleet.json');
  const caFile = path.join(dir, 'ca.pem');
  writeFileSync(fleetFile, JSON.stringify(fleet));
  const child = spawn(
    process.execPath,
    [
      ...(process.env.SIM_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.SIM_PROF] : []),
      '--require',
      'tsx/cjs',
      path.join(__dirname, '..', 'src', 'simulator', 'main.ts'),
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
  });
  return {
    url,
    caPem: readFileSync(caFile, 'utf8'),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
