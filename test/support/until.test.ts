import assert from 'node:assert/strict';
import { until } from './until';

describe('until', () => {
  it('should return the first value that is neither undefined nor false', async () => {
    let calls = 0;
    const values = [undefined, false, 0, 1];
    const got = await until('a value', () => values[calls++], { intervalMs: 1 });
    assert.equal(got, 0);
    assert.equal(calls, 3);
  });

  it('should treat a check that throws as not yet', async () => {
    let calls = 0;
    const got = await until(
      'the third try',
      () => {
        if (++calls < 3) throw new Error('not yet');
        return 'done';
      },
      { intervalMs: 1 },
    );
    assert.equal(got, 'done');
  });

  it('should fail after the deadline naming what it waited for and the last value it saw', async () => {
    await assert.rejects(
      until('the door to open', () => Promise.resolve(false), { timeoutMs: 20, intervalMs: 1 }),
      {
        message: 'timed out after 20 ms waiting for the door to open; last saw value false',
      },
    );
  });

  it('should fail with the last error, kept as the cause', async () => {
    const last = new Error('still locked');
    await assert.rejects(
      until(
        'the door to open',
        () => {
          throw last;
        },
        { timeoutMs: 20, intervalMs: 1 },
      ),
      (e: unknown) => e instanceof Error && /last saw error still locked$/.test(e.message) && e.cause === last,
    );
  });
});
