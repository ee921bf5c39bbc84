import v8 from 'node:v8';

/**
 * The V8 settings the bot's process runs with: `npm start`, the production start command (README, m365agents.yml)
 * and `npm run bench` pass exactly these to node (a test holds them to this list). They come in two groups, each
 * declared once below with what the bot pays without it, which the start-up warning quotes.
 * They must be on node's command line: node refuses V8 flags in NODE_OPTIONS.
 * TurboFan's threshold is not among them: see `applyTiering` below.
 *
 * The heap. The watcher's cycle is a burst of ~130 MB of short-lived allocation every WATCH_INTERVAL_SECONDS (60 s),
 * in a process that is otherwise nearly idle. V8's defaults take the idle minute as a cue to shrink, and the next
 * cycle pays for growing back: over 2,000 circuits, 1.0–1.75 s of CPU after a pause against ~0.5 s back to back
 * (Node 20) (`npm run bench -- alerts`; the README's Alerts section has the figures with these settings).
 * - `--no-memory-reducer`: no full collections while idle (0.4–0.6 s of CPU a minute), and the optimised code
 *   they threw away (~135 recompiles in the next cycle) stays.
 * - `--min-semi-space-size=32 --max-semi-space-size=32`: 32 MB semi-spaces, kept through the pause (V8's default is
 *   at most 16 MB, shrunk to 1 MB when idle: ~28 scavenges a cycle; ~10 with 16 MB kept, 2–3 with 64 MB): fewer
 *   objects live through two scavenges into the old generation. 64 MB cut a cycle after a pause further
 *   (0.68–0.87 s over eight, no full collection) but made the bot's start 1.52× the echo app's and its memory at
 *   ready 1.41× (the process bench's targets are 1.5× and 1.3×): a larger young generation is more fresh pages to
 *   fault in. 32 MB keeps them (1.40×, 1.16×; 1.26× and 1.16× with TurboFan's threshold of `applyTiering`).
 * - `--initial-old-space-size=256`: the old generation's limit starts above the heap a 2,000-circuit fleet needs
 *   (~130 MB); without it, the limit set after an idle minute sits just above the live heap, and the next cycle
 *   runs 2–5 full collections.
 * - `--heap-growing-percent=100`: after a full collection the limit is set at twice the live heap rather than
 *   at the factor V8 derives from its collection and mutator speeds, which left a full collection in four of eight
 *   cycles after a pause (those cost 1.00–1.11 s); with it, one in eight.
 * `--single-threaded-gc` was measured and left out: no difference after a pause, and it lengthens the bot's pauses.
 * The price is memory: the heap is not given back between cycles (the README gives the resident size at 2,000
 * circuits). What is left of a pause's cost on Node 20 (~0.3 s over a cycle back to back) is its V8 (11.3) freeing
 * the idle semi-space when it reads the minute's allocation rate as low (under 1,000 bytes/ms; no setting turns that
 * off) and the next cycle faulting it back in. Node 22's V8 (12.4) keeps it: there a cycle after a pause costs what
 * one back to back does (~3,400 page faults against ~16,700), which is one reason to run the bot on Node 22.
 *
 * WebAssembly. `--no-wasm-dynamic-tiering --no-wasm-tier-up` keep wasm in Liftoff, V8's baseline wasm compiler. The
 * only wasm in the process is the HTTP parser of the watcher's transport (undici's llhttp). With V8's defaults its
 * main function (33 KB of wasm) becomes hot in the first watch cycle and TurboFan compiles it again on a background
 * thread: 117 ms on Node 22 and 250 ms on Node 20 by `--trace-wasm-compilation-times` (the compile job's time on its
 * thread; a second look on the same machine saw 160 and 260 ms), within that first cycle. The parser's profiled
 * self-time is ~2 ms a cycle compiled by TurboFan and ~8 ms in Liftoff. Across whole cycles neither side stands out
 * from the run-to-run spread: four interleaved pairs of runs (Node 22, compiled bot, 2,000 circuits), first cycle
 * 0.78–1.04 s with the settings and 0.85–1.13 s without, the cycles after it median 0.48–0.53 s and 0.50–0.56 s.
 * They are kept for the compile they certainly save, in the cycle with the least headroom. Both are needed
 * (traced over 3,000 calls of undici on Node 22): with dynamic tiering on, `--no-wasm-tier-up` alone still sends the
 * hot function to TurboFan; with it off, V8 compiles every function with TurboFan at once unless tier-up is off too.
 */
const SETTINGS = [
  {
    flags: [
      '--no-memory-reducer',
      '--min-semi-space-size=32',
      '--max-semi-space-size=32',
      '--initial-old-space-size=256',
      '--heap-growing-percent=100',
    ],
    without:
      'its watch cycles cost more CPU, the first and each after an idle pause (over 2,000 circuits on Node 20: ' +
      '1.0–1.75 s measured without these, 0.76–1.06 s with them)',
  },
  {
    flags: ['--no-wasm-dynamic-tiering', '--no-wasm-tier-up'],
    without:
      "its first watch cycle pays for TurboFan compiling the HTTP parser of the watcher (undici's llhttp, " +
      'WebAssembly): 0.12–0.26 s measured',
  },
] as const;

export const BOT_NODE_FLAGS: readonly string[] = SETTINGS.flatMap((setting) => setting.flags);

/** A V8 setting as V8 reads it: its name (`_` and `-` alike, `--no-x` and `--nox` as x set to false) and its value. */
function v8Setting(arg: string, known: ReadonlySet<string>): [string, string] | undefined {
  if (!arg.startsWith('--')) return undefined;
  const eq = arg.indexOf('=');
  const name = (eq < 0 ? arg.slice(2) : arg.slice(2, eq)).replaceAll('_', '-');
  const value = eq < 0 ? 'true' : arg.slice(eq + 1);
  if (eq < 0 && name.startsWith('no-')) return [name.slice(3), 'false'];
  if (eq < 0 && name.startsWith('no') && known.has(name.slice(2))) return [name.slice(2), 'false'];
  return [name, value];
}

/**
 * The V8 settings node's command line (`process.execArgv`) gives, name → value, read as V8 reads it: the last
 * mention of a setting is the one that counts. `known` names the settings `--nox` may turn off.
 */
function givenSettings(execArgv: readonly string[], known: ReadonlySet<string>): Map<string, string> {
  const given = new Map<string, string>();
  for (const arg of execArgv) {
    const setting = v8Setting(arg, known);
    if (setting) given.set(setting[0], setting[1]);
  }
  return given;
}

/** The settings of BOT_NODE_FLAGS that node was not started with (`process.execArgv`). */
export function missingNodeFlags(execArgv: readonly string[]): string[] {
  const wanted = BOT_NODE_FLAGS.map((flag) => [flag, v8Setting(flag, new Set())!] as const);
  const given = givenSettings(execArgv, new Set(wanted.map(([, [name]]) => name)));
  return wanted.filter(([, [name, value]]) => given.get(name) !== value).map(([flag]) => flag);
}

/** What to tell the operator when some are missing: the bot works, but pays what each missing group costs. */
export function nodeFlagsWarning(execArgv: readonly string[]): string | undefined {
  const missing = missingNodeFlags(execArgv);
  if (missing.length === 0) return undefined;
  const costs = SETTINGS.filter((setting) => setting.flags.some((flag) => missing.includes(flag))).map((setting) => setting.without);
  return (
    `node was started without ${missing.join(' ')}: the bot works, but ${costs.join('; and ')}. Start it as npm ` +
    `start does (these are V8 flags: node refuses them in NODE_OPTIONS): node ${BOT_NODE_FLAGS.join(' ')} dist/index.js`
  );
}

/**
 * How soon V8 optimises a function with TurboFan, for the V8s it was measured on. The first watch cycle after a
 * start runs every path of the watcher for the first time over 2,000 circuits, and V8's defaults sent ~120 of its
 * functions to TurboFan within that one cycle: ~0.45 s of compiling on its threads, much of it for functions that
 * were deoptimised and compiled again as the fleet's other shapes of data came through. With TurboFan's threshold
 * 16 times V8's default, those functions run that cycle in the tiers below (Ignition and Sparkplug: node 22 builds
 * V8 12.4 without Maglev, `process.config.variables.v8_enable_maglev` is 0) and only what stays hot is compiled, in
 * the cycles that follow (`npm run bench -- alerts`, 2,000 circuits; the figures are in the README's Alerts section):
 * - V8 11 (Node 20), `--interrupt-budget` (default 67,584): first cycle 0.89 s in the bench and 0.83–0.93 s in
 *   profiling runs, against 1.25 s and 1.18–1.32 s; the cycles that follow cost about what they did.
 * - V8 12 (Node 22), `--invocation-count-for-turbofan` (default 3,000): first cycle 1.01 and 1.04 s in two bench
 *   runs and 0.79–1.03 s over 18 profiling runs, against 1.38 s; 96,000 and 192,000 did not stand out from the
 *   run-to-run spread (three runs each; Maglev's threshold, also tried then, does nothing without Maglev). Cycles
 *   back to back cost more until TurboFan takes over (0.74 s median over the first dozen, 0.56 s by the 13th): per
 *   call of the HTTP client a function ran 620 times a cycle then, so it reached 48,000 only after ~77 cycles (~460
 *   times and ~104 cycles since the watcher reads the rate-limit drops in slots). At V8's
 *   default a cycle back to back comes down to 0.45–0.53 s within a few cycles, but the first costs 1.3–1.9 s
 *   (profiling runs, two each).
 * The bot's start (the process bench) got faster too: 1.26× the echo app's, against 1.40×.
 * The setting has a different name in each V8, and node refuses a V8 flag it does not know, so one start command
 * could not carry it for both: the bot sets it itself as it starts (`applyTiering`). V8 reads it each time it
 * refills a function's budget, so it holds for everything that runs after. It is chosen by V8's major version
 * (measured on 11.3 and 12.4); other majors are left at V8's default. A value given on node's command line is kept.
 */
const TIERING: ReadonlyMap<number, string> = new Map([
  [11, '--interrupt-budget=1081344'],
  [12, '--invocation-count-for-turbofan=48000'],
]);

/** The tiering setting for this V8 (`process.versions.v8`), or undefined when it was not measured on it. */
export function tieringSetting(v8Version: string): string | undefined {
  return TIERING.get(Number(v8Version.split('.')[0]));
}

/**
 * Sets the tiering setting for the running V8 (`tieringSetting`) unless node's command line (`execArgv`) already
 * names it; says what it set, or why it set nothing, for the start-up log.
 */
export function applyTiering(
  execArgv: readonly string[] = process.execArgv,
  v8Version: string = process.versions.v8,
  set: (flags: string) => void = (flags) => v8.setFlagsFromString(flags),
): string {
  const setting = tieringSetting(v8Version);
  if (setting === undefined) return `V8 ${v8Version}: TurboFan's threshold left at V8's default (not measured on this V8)`;
  const [name] = v8Setting(setting, new Set())!;
  const given = givenSettings(execArgv, new Set([name])).get(name);
  if (given !== undefined) return `V8 ${v8Version}: TurboFan's threshold as node's command line has it (--${name}=${given})`;
  set(setting);
  return `V8 ${v8Version}: TurboFan's threshold set to ${setting}`;
}
