import { strict as assert } from 'node:assert';
import path from 'node:path';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { moduleArgs, ROOT } from '../bench/paths';
import { projectRoot } from '../src/project-root';

describe('the bench: where its parts are', () => {
  it("should find the project's root and start its child processes from the sources under tsx", () => {
    assert.equal(ROOT, path.join(__dirname, '..'));
    for (const file of ['world', 'start-process', path.join('..', 'src', 'simulator', 'main')]) {
      const args = moduleArgs(file);
      assert.deepEqual(args.slice(0, 2), ['--require', 'tsx/cjs']);
      assert.ok(existsSync(args.at(-1)!), `${args.at(-1)} should exist`);
    }
  });

  it('should find the root from a compiled module at any depth under it (dist/, dist-bench/src/), and say when there is none', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'erbot-root-'));
    try {
      writeFileSync(path.join(root, 'package.json'), '{}');
      for (const dir of [path.join(root, 'dist'), path.join(root, 'dist-bench', 'src', 'demo')]) {
        mkdirSync(dir, { recursive: true });
        assert.equal(projectRoot(dir), root, dir);
      }
      assert.equal(projectRoot(), ROOT);
      assert.throws(() => projectRoot('/'), /no package.json above \//);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
