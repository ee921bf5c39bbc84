import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ENTRY = path.join(__dirname, '..', 'src', 'index.ts');

function run(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  let out = '';
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', ENTRY], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the bot process', function () {
  this.timeout(60_000);

  it('should refuse a bad configuration with a readable message and exit code 1, no stack trace', async () => {
    const p = run({ ARM_ENDPOINT: 'https://management.azure.com', PORT: 'eighty' });
    assert.equal(await p.exited, 1);
    assert.match(p.output(), /The bot cannot start/);
    assert.match(p.output(), /PORT/);
    assert.doesNotMatch(p.output(), /\n\s+at /);
  });

  it('should become ready in demo mode, then shut down cleanly on SIGTERM', async () => {
    const port = await freePort();
    const p = run({ PORT: String(port), PLAYGROUND: '0', LOG_LEVEL: 'warn', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'erbot-proc-')) });
    await until('readiness', async () => {
      const r = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
      return r?.status === 200 ? true : undefined;
    });
    assert.match(p.output(), /DEMO MODE/);
    const live = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(live.status, 200);
    p.child.kill('SIGTERM');
    assert.equal(await p.exited, 0);
  });
});
