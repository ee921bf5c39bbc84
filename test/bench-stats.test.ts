import { strict as assert } from 'node:assert';
import { freshPageCost } from '../bench/stats';

describe("the bench's cost of fresh memory", () => {
  it('should write 64 MB of pages the process had not touched (faults on the first write, ~none on the second)', () => {
    const fresh = freshPageCost(64, 1);
    assert.equal(fresh.pages, 16_384);
    // A kernel that maps larger pages at once takes fewer faults. The count is the process's, so node's other
    // threads (V8's collector among them) add theirs: a few hundred were seen under mocha, hence a tenth's slack.
    assert.ok(fresh.faults > 0 && fresh.faults <= fresh.pages * 1.1, `${fresh.faults} faults on the first write`);
    assert.ok(fresh.faultsOnSecondWrite < fresh.pages / 10, `${fresh.faultsOnSecondWrite} faults on the second write`);
    assert.ok(Number.isNaN(fresh.microsecondsPerPage) || fresh.microsecondsPerPage > 0, `${fresh.microsecondsPerPage} µs a page`);
  });
});
