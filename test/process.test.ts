import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BOT_NODE_FLAGS, tieringSetting } from '../src/node-flags';
import { until } from './support/until';

const ROOT = path.join(__dirname, '..');
const ENTRY = path.join(ROOT, 'src', 'index.ts');

/** Bot processes that have not exited yet; a failed test must not leave one running. */
const running = new Set<ChildProcess>();

/** Runs the sources through tsx by default, or a given compiled entry with plain node and the given node flags. */
function run(
  env: Record<string, string>,
  compiled?: string,
  nodeFlags: readonly string[] = [],
): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  let out = '';
  const child = spawn(process.execPath, compiled ? [...nodeFlags, compiled] : ['--require', 'tsx/cjs', ENTRY], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
  running.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
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

describe('the bot process', function () {
  this.timeout(60_000);
  afterEach(async () => {
    await Promise.all(
      [...running].map((child) => {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        return gone;
      }),
    );
  });

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
    await until(
      'readiness',
      async () => {
        const r = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
        return r?.status === 200 ? true : undefined;
      },
      { timeoutMs: 30_000 },
    );
    assert.match(p.output(), /DEMO MODE/);
    // Started without the bot's V8 settings (plain tsx here): it runs, and says what is missing and how to start it.
    assert.match(
      p.output(),
      /started without --no-memory-reducer --min-semi-space-size=32 .*Start it as npm start does .*: node --no-memory-reducer/,
    );
    const live = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(live.status, 200);
    p.child.kill('SIGTERM');
    assert.equal(await p.exited, 0);
  });

  it("should not load teams-ai's AI stack (openai, gpt-tokenizer), which the bot never uses", () => {
    // The package index pulls these in; create-bot imports Application and TeamsAdapter by their own paths.
    const loaded = spawnSync(
      process.execPath,
      ['--require', 'tsx/cjs', '-e', `require(${JSON.stringify(ENTRY)}); console.log(JSON.stringify(Object.keys(require.cache)))`],
      { cwd: ROOT, encoding: 'utf8' },
    );
    assert.equal(loaded.status, 0, loaded.stderr);
    const files = JSON.parse(loaded.stdout.trim().split('\n').at(-1)!) as string[];
    assert.ok(
      files.some((f) => f.includes(`${path.sep}@microsoft${path.sep}teams-ai${path.sep}`)),
      'teams-ai should be loaded at all',
    );
    const unused = files.filter((f) => /[\\/]node_modules[\\/](openai|gpt-tokenizer)[\\/]/.test(f));
    assert.deepEqual(unused.slice(0, 3), []);
  });

  it('should start from the compiled JavaScript that npm start runs, with nothing but node', async function () {
    this.timeout(120_000);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string> };
    assert.match(pkg.scripts.prestart ?? '', /npm run build/);
    const [node, ...args] = pkg.scripts.start?.split(/\s+/) ?? [];
    assert.equal(node, 'node');
    assert.equal(args.at(-1), pkg.main, `npm start should run ${pkg.main}`);
    const flags = args.slice(0, -1);
    assert.deepEqual(flags, [...BOT_NODE_FLAGS], "npm start should pass the bot's V8 settings (src/node-flags.ts)");
    // Built into a copy of the repo's layout, so that dist/ of a running `npm start` is left alone.
    const root = mkdtempSync(path.join(tmpdir(), 'erbot-build-'));
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'), 'junction');
    copyFileSync(path.join(ROOT, 'package.json'), path.join(root, 'package.json'));
    const build = spawnSync(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', path.join(root, 'dist')],
      { encoding: 'utf8' },
    );
    assert.equal(build.status, 0, `npm run build failed:\n${build.stdout}${build.stderr}`);

    const port = await freePort();
    const p = run(
      { PORT: String(port), PLAYGROUND: '0', LOG_LEVEL: 'info', DATA_DIR: path.join(root, 'data') },
      path.join(root, pkg.main),
      flags,
    );
    await until(
      'readiness',
      async () => {
        const r = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
        return r?.status === 200 ? true : undefined;
      },
      { timeoutMs: 30_000 },
    );
    // The banner reads the version from package.json relative to the compiled entry.
    assert.match(p.output(), /ExpressRoute Ops Bot \d+\.\d+\.\d+ — DEMO MODE/);
    // Node took every flag (an unknown V8 flag would have stopped it) and the bot found them all.
    assert.doesNotMatch(p.output(), /started without/);
    // It set TurboFan's threshold for its V8 as it started (src/node-flags.ts, applyTiering).
    const tiering = tieringSetting(process.versions.v8);
    assert.ok(p.output().includes(tiering === undefined ? "left at V8's default" : `set to ${tiering}`), p.output());
    assert.doesNotMatch(p.output(), /unrecognized flag/);
    p.child.kill('SIGTERM');
    assert.equal(await p.exited, 0);
    // The link first, so that removing the copy can never reach into the real node_modules.
    unlinkSync(path.join(root, 'node_modules'));
    rmSync(root, { recursive: true, force: true });
  });
});
