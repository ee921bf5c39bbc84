import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { moduleArgs, ROOT } from '../bench/paths';

describe('the bench: where its parts are', () => {
  it("should find the project's root and start its child processes from the sources under tsx", () => {
    assert.equal(ROOT, path.join(__dirname, '..'));
    for (const file of ['world', path.join('..', 'src', 'simulator', 'main')]) {
      const args = moduleArgs(file);
      assert.deepEqual(args.slice(0, 2), ['--require', 'tsx/cjs']);
      assert.ok(existsSync(args.at(-1)!), `${args.at(-1)} should exist`);
    }
  });
});
