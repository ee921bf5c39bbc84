import { strict as assert } from 'node:assert';
import { pageFaultCost } from '../bench/stats';

describe("the bench's page-fault figure", () => {
  it('should count the faults of memory touched for the first time, one per page, and give a cost per fault', () => {
    const { microseconds, faults } = pageFaultCost(8);
    // 8 MB is 2,048 pages of 4 KB: a kernel that backs some of them with larger pages takes fewer faults, never more
    // than a handful over (the process's own bookkeeping while measuring).
    assert.ok(faults > 0 && faults <= 2_048 + 64, `${faults} faults for 8 MB`);
    assert.ok(Number.isFinite(microseconds) && microseconds >= 0, `${microseconds} µs a fault`);
  });
});
