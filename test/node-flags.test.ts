import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { applyTiering, BOT_NODE_FLAGS, missingNodeFlags, nodeFlagsWarning, tieringSetting } from '../src/node-flags';

const ROOT = path.join(__dirname, '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const FLAGS = BOT_NODE_FLAGS.join(' ');

describe("the bot's V8 settings", () => {
  it('should name what is missing, and nothing when node has them all', () => {
    assert.deepEqual(missingNodeFlags([...BOT_NODE_FLAGS, '--enable-source-maps']), []);
    assert.deepEqual(missingNodeFlags(['--no-memory-reducer', '--require', 'tsx/cjs']), BOT_NODE_FLAGS.slice(1));
    // A different value is not the setting.
    assert.ok(missingNodeFlags(['--min-semi-space-size=1']).includes('--min-semi-space-size=32'));
    // As V8 reads them: `_` and `-` alike in a name, `--nox` for `--no-x`, and the last mention of a setting counts.
    assert.deepEqual(
      missingNodeFlags([
        '--nomemory_reducer',
        '--min_semi_space_size=32',
        '--max-semi-space-size=32',
        '--initial-old-space-size=256',
        '--heap-growing-percent=100',
        '--nowasm_dynamic_tiering',
        '--no-wasm_tier-up',
      ]),
      [],
    );
    assert.deepEqual(missingNodeFlags([...BOT_NODE_FLAGS, '--min-semi-space-size=1', '--memory-reducer']), [
      '--no-memory-reducer',
      '--min-semi-space-size=32',
    ]);
    assert.deepEqual(missingNodeFlags(['--no_memory_reducer', '--min_semi_space_size=32', '--max-semi-space-size=32']), [
      '--initial-old-space-size=256',
      '--heap-growing-percent=100',
      '--no-wasm-dynamic-tiering',
      '--no-wasm-tier-up',
    ]);
    assert.equal(nodeFlagsWarning([...BOT_NODE_FLAGS]), undefined);
    const warning = nodeFlagsWarning(['--no-memory-reducer']) ?? '';
    assert.match(
      warning,
      /^node was started without --min-semi-space-size=32 --max-semi-space-size=32 --initial-old-space-size=256 --heap-growing-percent=100 --no-wasm-dynamic-tiering --no-wasm-tier-up:/,
    );
    assert.ok(warning.endsWith(`node ${FLAGS} dist/index.js`), warning);
  });

  it('should say what each missing group of settings costs, and only that', () => {
    const heap = BOT_NODE_FLAGS.filter((flag) => !flag.includes('wasm'));
    const wasm = BOT_NODE_FLAGS.filter((flag) => flag.includes('wasm'));
    const onlyWasmMissing = nodeFlagsWarning(heap) ?? '';
    assert.match(onlyWasmMissing, /^node was started without --no-wasm-dynamic-tiering --no-wasm-tier-up: the bot works, but its first/);
    assert.match(onlyWasmMissing, /HTTP parser/);
    assert.doesNotMatch(onlyWasmMissing, /1\.0–1\.75 s/);
    const onlyHeapMissing = nodeFlagsWarning(wasm) ?? '';
    assert.match(onlyHeapMissing, /1\.0–1\.75 s/);
    assert.doesNotMatch(onlyHeapMissing, /HTTP parser/);
    const both = nodeFlagsWarning([]) ?? '';
    assert.ok(both.includes('1.0–1.75 s') && both.includes('HTTP parser'), both);
  });

  it('should be what npm run bench, the README and the deployment start the bot with', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    // The bench measures the bot as production runs it: compiled to JavaScript afresh (no output of a removed
    // source left behind), with these settings.
    assert.equal(
      scripts.bench,
      `node -e "require('fs').rmSync('dist-bench',{recursive:true,force:true})" && tsc -p tsconfig.bench.json && node ${FLAGS} dist-bench/bench/index.js`,
    );
    const readme = read('README.md');
    // The production command and the App Service start command.
    assert.ok(readme.split(`node ${FLAGS} dist/index.js`).length >= 3, 'README: both start commands carry the flags');
    assert.doesNotMatch(readme, /`node dist\/index\.js`/);
    // The paragraph that says why names every setting (its lines joined).
    const paragraph = readme.slice(readme.indexOf('**CPU and memory of the watcher.**')).split('\n\n')[0]!.replace(/\n/g, ' ');
    assert.ok(paragraph.includes(`\`${FLAGS}\``), 'README: the watcher paragraph lists the settings');
    // The deployment's comment, its lines joined.
    assert.ok(
      read('m365agents.yml')
        .replace(/\n\s*#\s*/g, ' ')
        .includes(`start command is \`node ${FLAGS} dist/index.js\``),
    );
  });

  it("should set TurboFan's threshold for the V8s it was measured on, and keep one given on node's command line", () => {
    assert.equal(tieringSetting('11.3.244.8-node.33'), '--interrupt-budget=1081344');
    assert.equal(tieringSetting('12.4.254.21-node.33'), '--invocation-count-for-turbofan=48000');
    assert.equal(tieringSetting('13.6.233.10-node.18'), undefined);
    const set: string[] = [];
    const record = (flags: string) => void set.push(flags);
    assert.match(applyTiering([], '11.3.244.8-node.33', record), /set to --interrupt-budget=1081344$/);
    assert.match(applyTiering(['--import', 'tsx'], '12.4.254.21-node.33', record), /set to --invocation-count-for-turbofan=48000$/);
    assert.deepEqual(set, ['--interrupt-budget=1081344', '--invocation-count-for-turbofan=48000']);
    // Given on the command line (either spelling, the last mention counting): left as given.
    assert.match(
      applyTiering(['--interrupt-budget=9000', '--interrupt_budget=5000'], '11.3.244.8-node.33', record),
      /command line has it \(--interrupt-budget=5000\)/,
    );
    assert.match(applyTiering([], '13.6.233.10-node.18', record), /left at V8's default/);
    assert.equal(set.length, 2);
  });

  it('should be taken by the V8 of the node that runs the tests, without a complaint on stderr', () => {
    const child = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', "console.log(require('./src/node-flags').applyTiering([]))"], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(child.status, 0, child.stderr);
    assert.doesNotMatch(child.stderr, /unrecognized flag|illegal value|Error/i);
    const expected = tieringSetting(process.versions.v8);
    assert.ok(child.stdout.includes(expected === undefined ? "left at V8's default" : `set to ${expected}`), child.stdout);
  });
});
