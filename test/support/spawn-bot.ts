import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** A bot started as its own process (test/support/bot-child.ts), for crash and scale-out tests. */
export interface BotChild {
  child: ChildProcess;
  url: string;
  exited: Promise<void>;
  /** Everything it wrote to stderr so far (its logs). */
  log: () => string;
}

/**
 * Starts test/support/bot-child.ts with exactly `env` (plus PATH and HOME) and resolves once it serves
 * /api/messages. A bot that does not get ready within 30 s is killed, and the start fails with its output.
 */
export async function startBotChild(env: Record<string, string>): Promise<BotChild> {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'bot-child.ts')], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let line = '';
    // A bot that never gets ready is not returned, so nothing else would stop it.
    const fail = (e: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(e);
    };
    const timer = setTimeout(() => fail(new Error(`bot did not start within 30 s:\n${out}`)), 30_000);
    child.stdout.on('data', (d: Buffer) => {
      line += d.toString('utf8');
      const m = /\{"ready":true.*\}/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve((JSON.parse(m[0]) as { url: string }).url);
      }
    });
    child.once('exit', (code) => fail(new Error(`bot exited with ${code}:\n${out}`)));
  });
  return { child, url, exited, log: () => out };
}
