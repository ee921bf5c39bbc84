import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { BOT_NODE_FLAGS } from '../src/node-flags';
import { ROOT } from './paths';
import { median, ms, ratio } from './stats';

/** What `npm start` runs once `prestart` has built it (`dist/index.js`, with the bot's V8 settings). */
const BOT_MAIN = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { main: string }).main;
const BOT_ENTRY = path.join(ROOT, BOT_MAIN);
const ECHO_ENTRY = path.join(ROOT, 'bench', 'echo-app.js');
const RUNS = Number(process.env.BENCH_PROCESS_RUNS ?? 9);
const COLD_START_TARGET = 1.5;
const RSS_TARGET = 1.3;

interface Sample {
  readyMs: number;
  /** VmRSS of the process when /readyz first answered 200. */
  rssMb: number;
  /** VmHWM: the most the process was resident at any time up to then. */
  peakRssMb: number;
  /** User + system CPU the process had used by then: less swayed than wall time by other load on the machine. */
  cpuMs: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** utime + stime from /proc/<pid>/stat (fields 14 and 15, in clock ticks of 10 ms on Linux). */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
  if (!m) throw new Error(`no ${field} for process ${pid}`);
  return Number(m[1]);
}

/** The pids of a process and every descendant, read from /proc (Linux only). */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    // The field after the parenthesised command name is the state, then the parent's pid.
    const stat = (() => {
      try {
        return readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        return '';
      }
    })();
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid) children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Spawns `command args`, polls GET /readyz until it is 200, samples memory, stops it. */
async function coldStart(command: string, args: string[], env: Record<string, string>): Promise<Sample & { child: ChildProcess }> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${path.basename(args.at(-1) ?? command)} exited with ${child.exitCode}: ${stderr}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${args.join(' ')} did not become ready within 60 s`);
    }
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.arrayBuffer().then(() => r.status === 200),
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  const readyMs = performance.now() - t0;
  const pid = child.pid!;
  return { readyMs, rssMb: statusKb(pid, 'VmRSS') / 1024, peakRssMb: statusKb(pid, 'VmHWM') / 1024, cpuMs: cpuMsOf(pid), child };
}

/** Each start gets a fresh DATA_DIR (an empty SQLite store, as on a first `npm start`), removed afterwards. */
async function withDataDir<T>(run: (env: Record<string, string>) => Promise<T>): Promise<T> {
  const dataDir = path.join(tmpdir(), `erbot-bench-${randomUUID()}`);
  try {
    return await run({ PLAYGROUND: '0', LOG_LEVEL: 'warn', DATA_DIR: dataDir });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function runBot(): Promise<Sample> {
  return withDataDir(async (env) => {
    const s = await coldStart(process.execPath, [...BOT_NODE_FLAGS, BOT_ENTRY], env);
    await stopChild(s.child);
    return s;
  });
}

async function runEcho(): Promise<Sample> {
  // Started as the bot is, with the same V8 settings, so that the two compare like for like.
  const s = await coldStart(process.execPath, [...BOT_NODE_FLAGS, ECHO_ENTRY], {});
  await stopChild(s.child);
  return s;
}

/** A process's program and its first two arguments that are not flags (the bot's V8 settings left out). */
function commandOf(pid: number): string {
  const [program = '', ...args] = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  return [program, ...args.filter((a) => !a.startsWith('-')).slice(0, 2)].join(' ');
}

/** `npm start` without its prestart build: what the npm process and the shell add on top of the bot. */
async function npmTree(): Promise<{ perProcess: { pid: number; command: string; rssMb: number }[]; totalMb: number }> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  return withDataDir(async (env) => {
    const s = await coldStart(npm, ['start', '--ignore-scripts', '--silent'], env);
    const perProcess = processTree(s.child.pid!).map((pid) => ({
      pid,
      command: commandOf(pid),
      rssMb: statusKb(pid, 'VmRSS') / 1024,
    }));
    // SIGTERM to npm would orphan the bot (the shell between them dies without passing it on), so the bot gets it.
    const exited = new Promise<void>((resolve) => s.child.once('exit', () => resolve()));
    const bot = [...perProcess].reverse().find((p) => p.command.includes(BOT_MAIN)) ?? perProcess.at(-1)!;
    process.kill(bot.pid, 'SIGTERM');
    await exited;
    return { perProcess, totalMb: perProcess.reduce((sum, p) => sum + p.rssMb, 0) };
  });
}

/**
 * Cold start of the real `npm start` path (compiled JS, demo mode with its embedded ARM simulator, no Playground)
 * to `GET /readyz` 200, and the bot process's resident memory then, against a bare teams-ai echo bot started the
 * same way in the same run. Runs alternate between the two so that drift on the machine hits both alike.
 */
export async function benchColdStart(results: Record<string, unknown>): Promise<void> {
  console.log(
    `\n## Process: cold start to ready and memory (node ${BOT_NODE_FLAGS.join(' ')} dist/index.js, demo mode, PLAYGROUND=0) ` +
      `vs bench/echo-app.js with the same flags, ${RUNS} runs each`,
  );
  const build = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json')], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);

  // One unmeasured start each, so that both find the files in the page cache.
  await runBot();
  await runEcho();
  const bot: Sample[] = [];
  const echo: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    if (i % 2 === 0) {
      bot.push(await runBot());
      echo.push(await runEcho());
    } else {
      echo.push(await runEcho());
      bot.push(await runBot());
    }
  }
  const med = (samples: Sample[], key: keyof Sample) => median(samples.map((s) => s[key]));
  const coldRatio = med(bot, 'readyMs') / med(echo, 'readyMs');
  const rssRatio = med(bot, 'rssMb') / med(echo, 'rssMb');
  const mb = (n: number) => `${n.toFixed(0)} MB`;
  const row = (what: string, samples: Sample[]) => ({
    what,
    'cold start (median)': ms(med(samples, 'readyMs')),
    'CPU used by then': ms(med(samples, 'cpuMs')),
    'RSS when ready': mb(med(samples, 'rssMb')),
    'peak RSS': mb(med(samples, 'peakRssMb')),
  });
  console.table([row('bare teams-ai echo bot', echo), row('ExpressRoute Ops Bot (demo)', bot)]);
  console.log(
    `Runs, bot: ${bot.map((s) => s.readyMs.toFixed(0)).join(', ')} ms; echo: ${echo.map((s) => s.readyMs.toFixed(0)).join(', ')} ms`,
  );
  console.log(
    `Cold start ${ratio(med(bot, 'readyMs'), med(echo, 'readyMs'))} the echo bot (target ≤ ${COLD_START_TARGET}×: ${coldRatio <= COLD_START_TARGET ? 'MET' : 'MISSED'}); ` +
      `RSS ${ratio(med(bot, 'rssMb'), med(echo, 'rssMb'))} (target ≤ ${RSS_TARGET}×: ${rssRatio <= RSS_TARGET ? 'MET' : 'MISSED'}); ` +
      `CPU to ready ${ratio(med(bot, 'cpuMs'), med(echo, 'cpuMs'))} (machine load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`,
  );

  const tree = await npmTree();
  console.log(
    `Under \`npm start\` the bot is not alone: ${tree.perProcess.map((p) => `${p.command} ${mb(p.rssMb)}`).join('; ')} → ${mb(tree.totalMb)} in all`,
  );

  results.process = {
    runs: RUNS,
    botColdStartMedianMs: med(bot, 'readyMs'),
    echoColdStartMedianMs: med(echo, 'readyMs'),
    coldStartVsEcho: coldRatio,
    botReadyRssMb: med(bot, 'rssMb'),
    echoReadyRssMb: med(echo, 'rssMb'),
    rssVsEcho: rssRatio,
    botPeakRssMb: med(bot, 'peakRssMb'),
    botCpuToReadyMs: med(bot, 'cpuMs'),
    echoCpuToReadyMs: med(echo, 'cpuMs'),
    echoPeakRssMb: med(echo, 'peakRssMb'),
    coldStartTargetMet: coldRatio <= COLD_START_TARGET,
    rssTargetMet: rssRatio <= RSS_TARGET,
    npmStartTreeRssMb: tree.totalMb,
    npmStartProcesses: tree.perProcess.map(({ command, rssMb }) => ({ command, rssMb })),
  };
}
