import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Logger } from '../log';

export interface RunningPlayground {
  url: string;
  stop(): Promise<void>;
}

export interface StartPlaygroundOptions {
  botUrl: string;
  port: number;
  logger: Logger;
  /** Folder holding .m365agentsplayground.yml (the demo users); defaults to the project root. */
  cwd?: string;
  readyTimeoutMs?: number;
}

const projectRoot = path.resolve(__dirname, '..', '..');

/**
 * Starts the Microsoft 365 Agents Playground (a local Teams-like client with its own fake connector) against the
 * bot. Demo mode only; if the package is not installed the bot runs without it and says so.
 */
export async function startPlayground(options: StartPlaygroundOptions): Promise<RunningPlayground | undefined> {
  const cwd = options.cwd ?? projectRoot;
  const cli = path.join(projectRoot, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');
  if (!existsSync(cli)) {
    options.logger.warn('Agents Playground is not installed (npm ci installs it); continuing without it');
    return undefined;
  }
  const child = spawn(
    process.execPath,
    [cli, '-e', options.botUrl, '-c', 'msteams', '-p', String(options.port), '--disable-telemetry'],
    { cwd, env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log = options.logger.child({ component: 'playground' });
  child.stdout?.on('data', (d: Buffer) => log.debug(d.toString('utf8').trim()));
  child.stderr?.on('data', (d: Buffer) => log.debug(d.toString('utf8').trim()));
  await waitForPort(options.port, options.readyTimeoutMs ?? 30_000, child);
  return { url: `http://localhost:${options.port}`, stop: () => stopChild(child) };
}

async function waitForPort(port: number, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Agents Playground exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGTERM');
  throw new Error(`Agents Playground did not open port ${port} within ${timeoutMs} ms`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
