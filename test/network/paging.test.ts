import assert from 'node:assert/strict';
import { pageOf } from '../../src/network/paging';

const rows = Array.from({ length: 120 }, (_, i) => i + 1);

describe('pageOf', () => {
  it('should give a middle page with its row numbers', () => {
    const p = pageOf(rows, 2, 50);
    assert.deepEqual([p.page, p.pages, p.total, p.first, p.last], [2, 3, 120, 51, 100]);
    assert.equal(p.rows[0], 51);
  });
  it('should give a short last page', () => {
    const p = pageOf(rows, 3, 50);
    assert.deepEqual([p.first, p.last, p.rows.length], [101, 120, 20]);
  });
  it('should clamp a page past the end to the last page and before the start to the first', () => {
    assert.equal(pageOf(rows, 99, 50).page, 3);
    assert.equal(pageOf(rows, 0, 50).page, 1);
    assert.equal(pageOf(rows, -4, 50).page, 1);
    assert.equal(pageOf(rows, Number.NaN, 50).page, 1);
  });
  it('should call an empty table page 1 of 1 with no rows', () => {
    const p = pageOf([], 5, 50);
    assert.deepEqual([p.page, p.pages, p.total, p.first, p.last, p.rows.length], [1, 1, 0, 0, 0, 0]);
  });
  it('should fill exactly when the total is a multiple of the page size', () => {
    const p = pageOf(rows.slice(0, 100), 2, 50);
    assert.deepEqual([p.pages, p.first, p.last], [2, 51, 100]);
  });
  it('should treat a page size below 1 as 1', () => {
    assert.equal(pageOf(rows, 1, 0).rows.length, 1);
  });
});
