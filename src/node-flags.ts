/**
 * The V8 settings the bot's process runs with: `npm start`, the production start command (README, m365agents.yml)
 * and `npm run bench` pass exactly these to node (a test holds them to this list).
 *
 * The watcher's cycle is a burst of ~130 MB of short-lived allocation every WATCH_INTERVAL_SECONDS (60 s), in a
 * process that is otherwise nearly idle. V8's defaults take the idle minute as a cue to shrink, and the next cycle
 * pays for growing back: over 2,000 circuits, 1.0–1.75 s of CPU after a pause against ~0.5 s back to back
 * (`npm run bench -- alerts`; the README's Alerts section has the figures with these settings).
 * - `--no-memory-reducer`: no full collections while idle (0.4–0.6 s of CPU a minute), and the optimised code
 *   they threw away (~135 recompiles in the next cycle) stays.
 * - `--min-semi-space-size=16`: the young generation keeps its 16 MB semi-spaces (V8's default maximum) through the
 *   pause: ~10 scavenges a cycle, not ~28.
 * - `--initial-old-space-size=256`: the old generation's limit starts above the heap a 2,000-circuit fleet needs
 *   (~130 MB); without it, the limit set after an idle minute sits just above the live heap, and the next cycle
 *   runs 2–5 full collections (1.1–1.85 s a cycle with the first two settings alone).
 * `--single-threaded-gc` was measured too and left out: a cycle after a pause cost the same with it and without it
 *   (0.63–1.01 s over 14 pauses with it, 0.73–1.01 s over 8 without; the cycle running a full collection 1.01 s
 *   both ways, its marking on the main thread instead of the helpers), and it would lengthen the bot's pauses.
 * The price is memory: the heap is not given back between cycles (120–250 MB used at 2,000 circuits, against
 * ~110 MB shrunk). They must be on node's command line: node refuses V8 flags in NODE_OPTIONS.
 */
export const BOT_NODE_FLAGS = ['--no-memory-reducer', '--min-semi-space-size=16', '--initial-old-space-size=256'] as const;

/** The settings of BOT_NODE_FLAGS that node was not started with (`process.execArgv`). */
export function missingNodeFlags(execArgv: readonly string[]): string[] {
  return BOT_NODE_FLAGS.filter((flag) => !execArgv.includes(flag));
}

/** What to tell the operator when some are missing: the bot works, but its watch cycles cost more CPU. */
export function nodeFlagsWarning(execArgv: readonly string[]): string | undefined {
  const missing = missingNodeFlags(execArgv);
  if (missing.length === 0) return undefined;
  return (
    `node was started without ${missing.join(' ')}: the bot works, but each watch cycle after an idle pause costs ` +
    `more CPU (1.0–1.75 s instead of 0.7–1.1 s over 2,000 circuits). Start it as npm start does (these are V8 flags: ` +
    `node refuses them in NODE_OPTIONS): node ${BOT_NODE_FLAGS.join(' ')} dist/index.js`
  );
}
