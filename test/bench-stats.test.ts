import { strict as assert } from 'node:assert';
import { freshPageCost } from '../bench/stats';

describe("the bench's cost of fresh memory", () => {
  it('should write 64 MB of pages the process had not touched (faults on the first write, ~none on the second)', () => {
    const fresh = freshPageCost(64, 1);
    assert.equal(fresh.pages, 16_384);
    // A kernel that maps larger pages at once takes fewer faults; node's other threads may add a few.
    assert.ok(fresh.faults > 0 && fresh.faults <= fresh.pages + 256, `${fresh.faults} faults on the first write`);
    assert.ok(fresh.faultsOnSecondWrite < 256, `${fresh.faultsOnSecondWrite} faults on the second write`);
    assert.ok(Number.isNaN(fresh.microsecondsPerPage) || fresh.microsecondsPerPage > 0, `${fresh.microsecondsPerPage} µs a page`);
  });
});
