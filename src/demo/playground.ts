import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log';
import { CodedError, ErrorCode } from '../errors';
import { projectRoot } from '../project-root';

export interface RunningPlayground {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface StartPlaygroundOptions {
  botUrl: string;
  /** Wanted port. The Playground picks a random one when it is taken; `url` says which it got. */
  port: number;
  logger: Logger;
  /** Folder the Playground runs in (it writes ./devTools/ there); defaults to the project root. */
  cwd?: string;
  /** The users file; defaults to `<cwd>/.m365agentsplayground.yml`. A second instance uses another file. */
  configFile?: string;
  /** Where the Playground writes its own log; defaults to `<cwd>/devTools/m365agentsplayground.log`. */
  logFile?: string;
  readyTimeoutMs?: number;
}

/** The line the Playground prints once its UI and fake connector accept connections. */
const LISTENING = /Listening on (\d+)/;

/**
 * Starts the Microsoft 365 Agents Playground (a local Teams-like client with its own fake connector) against the
 * bot. Demo mode only; if the package is not installed the bot runs without it and says so.
 */
export async function startPlayground(options: StartPlaygroundOptions): Promise<RunningPlayground | undefined> {
  let root: string;
  try {
    root = projectRoot();
  } catch (e) {
    options.logger.warn(
      { reason: e instanceof Error ? e.message : String(e) },
      'Agents Playground not started: the project folder was not found',
    );
    return undefined;
  }
  const cwd = options.cwd ?? root;
  const cli = path.join(root, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');
  if (!existsSync(cli)) {
    options.logger.warn('Agents Playground is not installed (npm ci installs it); continuing without it');
    return undefined;
  }
  const env: NodeJS.ProcessEnv = { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' };
  if (options.configFile) env.M365_AGENTS_PLAYGROUND_CONFIG_PATH = path.resolve(options.configFile);
  if (options.logFile) env.M365_AGENTS_PLAYGROUND_LOGFILE = path.resolve(options.logFile);
  const child = spawn(process.execPath, [cli, '-e', options.botUrl, '-c', 'msteams', '-p', String(options.port), '--disable-telemetry'], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = options.logger.child({ component: 'playground' });
  const port = await waitForListening(child, options.readyTimeoutMs ?? 30_000, log);
  if (options.port !== 0 && port !== options.port)
    log.warn({ wanted: options.port, port }, 'Agents Playground port was taken; using another');
  return { url: `http://localhost:${port}`, port, stop: () => stopChild(child) };
}

/**
 * Resolves with the port from the Playground's "Listening on N" line. Probing the wanted port instead would be
 * fooled by whatever else holds it, because the Playground silently falls back to a random port.
 */
function waitForListening(child: ChildProcess, timeoutMs: number, log: Logger): Promise<number> {
  return new Promise((resolve, reject) => {
    const seen: string[] = [];
    const finish = (error: Error | undefined, port?: number) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      if (error) {
        child.kill('SIGTERM');
        reject(error);
      } else resolve(port!);
    };
    const onData = (d: Buffer) => {
      const textChunk = d.toString('utf8');
      for (const line of textChunk.split('\n').filter((l) => l.trim() !== '')) {
        log.debug(line.trim());
        if (seen.length < 20) seen.push(line.trim());
      }
      const match = LISTENING.exec(textChunk);
      if (match?.[1]) finish(undefined, Number(match[1]));
    };
    const failure = (why: string) =>
      new CodedError(ErrorCode.Config, `The Agents Playground ${why}.`, {
        hint: `Start the bot with PLAYGROUND=0 to run without it, or check its output: ${seen.join(' | ') || '(none)'}`,
      });
    const onExit = (code: number | null) => finish(failure(`exited with code ${String(code)} before listening`));
    const timer = setTimeout(() => finish(failure(`did not start listening within ${timeoutMs} ms`)), timeoutMs);
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
