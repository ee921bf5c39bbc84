import assert from 'node:assert/strict';
import { stallAfterMs, watcherHealth } from '../../src/app/alert-watcher';
import { Harness } from '../support/harness';
import { OffsetClock } from '../support/offset-clock';
import { until } from '../support/until';
import { MIN, alertDirectory } from './support/alert-world';
import { DEMO_CUSTOMERS } from '../../src/demo/customers';

/** GET /healthz: its status and body. */
async function healthz(h: Harness): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
  const res = await fetch(`${h.app.url}/healthz`);
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Record<string, unknown>, text };
}

describe('alerts: /healthz says whether the watcher is watching', function () {
  this.timeout(60_000);

  it('should be watching after a cycle, stalled (503) once none has ended for 15 minutes, and watching after the next', async () => {
    const clock = new OffsetClock();
    // The loop's first cycle runs at once; the next would come a real minute later, after this test.
    const h = await Harness.start({ clock, logLevel: 'warn', directory: alertDirectory(), env: { WATCH_INTERVAL_SECONDS: '60' } });
    try {
      const first = await until('the first cycle', async () => {
        const r = await healthz(h);
        return (r.body.watcher as { state?: string } | undefined)?.state === 'watching' ? r : undefined;
      });
      assert.equal(first.status, 200);
      assert.equal(first.body.status, 'ok');
      const ago = (first.body.watcher as { lastCycleEndedSecondsAgo?: number }).lastCycleEndedSecondsAgo;
      assert.ok(ago !== undefined && ago >= 0 && ago < 60, `ended ${ago} s ago`);
      // The endpoint answers anyone: no customer is named in it.
      for (const c of Object.values(DEMO_CUSTOMERS)) {
        assert.ok(!first.text.toLowerCase().includes(c.id.toLowerCase()), `${c.id} in ${first.text}`);
        assert.ok(!first.text.includes(c.name), `${c.name} in ${first.text}`);
        assert.ok(!first.text.includes(c.tenantId), `${c.name}'s tenant in ${first.text}`);
      }

      clock.advance(14 * MIN);
      assert.equal((await healthz(h)).status, 200, '14 minutes without a cycle: still within the bound');
      clock.advance(2 * MIN);
      const stalled = await healthz(h);
      assert.equal(stalled.status, 503, stalled.text);
      assert.deepEqual(stalled.body.status, 'unhealthy');
      assert.equal((stalled.body.watcher as { state: string }).state, 'stalled');
      assert.ok((stalled.body.watcher as { lastCycleEndedSecondsAgo: number }).lastCycleEndedSecondsAgo >= 16 * 60);

      await h.app.watcher.runCycle();
      const again = await healthz(h);
      assert.equal(again.status, 200, again.text);
      assert.equal((again.body.watcher as { state: string }).state, 'watching');
    } finally {
      await h.stop();
    }
  });

  it('should say the watcher is off, and answer 200, when WATCH_INTERVAL_SECONDS is 0', async () => {
    const clock = new OffsetClock();
    const h = await Harness.start({ clock, logLevel: 'warn', directory: alertDirectory() });
    try {
      // A cycle run by hand, then a long quiet: with no loop, nothing is stalled.
      await h.app.watcher.runCycle();
      clock.advance(60 * MIN);
      const r = await healthz(h);
      assert.equal(r.status, 200, r.text);
      assert.equal((r.body.watcher as { state: string }).state, 'off');
    } finally {
      await h.stop();
    }
  });
});

describe('alerts: watcherHealth', () => {
  const START = 1_000_000;
  /** The loop started at START. */
  const at = (now: number, lastCycleEndedAt?: number) => watcherHealth({ now, intervalMs: MIN, loopStartedAt: START, lastCycleEndedAt });
  const noLoop = (now: number, lastCycleEndedAt?: number) =>
    watcherHealth({ now, intervalMs: MIN, loopStartedAt: undefined, lastCycleEndedAt });

  it('should wait 15 minutes, or ten intervals when those are longer, before calling the watcher stalled', () => {
    assert.equal(stallAfterMs(2_000), 15 * MIN);
    assert.equal(stallAfterMs(MIN), 15 * MIN);
    assert.equal(stallAfterMs(5 * MIN), 50 * MIN);
  });

  it('should be starting until the first cycle ends, and stalled if none has within the bound', () => {
    assert.deepEqual(at(START + 15 * MIN), { state: 'starting' });
    assert.deepEqual(at(START + 15 * MIN + 1), { state: 'stalled' });
  });

  it('should count from the last cycle that ended, in whole seconds', () => {
    assert.deepEqual(at(START + 90_500, START + 30_000), { state: 'watching', lastCycleEndedSecondsAgo: 60 });
    assert.deepEqual(at(START + 30_000 + 15 * MIN + 1, START + 30_000), { state: 'stalled', lastCycleEndedSecondsAgo: 900 });
  });

  it('should not count a cycle that ended before the loop started (one run by hand)', () => {
    assert.deepEqual(at(START + 10 * MIN, START - 1), { state: 'starting', lastCycleEndedSecondsAgo: 600 });
    assert.deepEqual(at(START + 16 * MIN, START - 1), { state: 'stalled', lastCycleEndedSecondsAgo: 960 });
  });

  it('should be off while no loop runs, however long since a cycle', () => {
    assert.deepEqual(noLoop(START + 100 * MIN, START), { state: 'off', lastCycleEndedSecondsAgo: 6000 });
    assert.deepEqual(noLoop(START), { state: 'off' });
  });
});
