import assert from 'node:assert/strict';
import path from 'node:path';
import Database from 'better-sqlite3';
import { stallAfterMs, watcherHealth, type CycleEnd } from '../../src/app/alert-watcher';
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

  it('should be watching after a cycle, failing (still 200) while cycles fail outright, off once stopped; never naming a customer', async () => {
    const clock = new OffsetClock();
    // The loop's first cycle runs at once; its next would come an hour later. Later cycles here are run by hand.
    const h = await Harness.start({ clock, logLevel: 'warn', directory: alertDirectory(), env: { WATCH_INTERVAL_SECONDS: '3600' } });
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

      // The store locked by another process (its busy timeout runs out): the cycle fails outright, which a
      // restart would not mend, so the instance stays healthy and says how the watcher stands.
      const store = h.app.config.store;
      if (store.kind !== 'sqlite') throw new Error('this test locks the SQLite store');
      const other = new Database(path.join(store.dataDir, 'erbot.sqlite'));
      try {
        other.exec('BEGIN EXCLUSIVE');
        await assert.rejects(h.app.watcher.runCycle());
        const failing = await healthz(h);
        assert.equal(failing.status, 200, failing.text);
        assert.equal((failing.body.watcher as { state: string }).state, 'failing');
        other.exec('ROLLBACK');
      } finally {
        other.close();
      }
      await h.app.watcher.runCycle();
      assert.equal(((await healthz(h)).body.watcher as { state: string }).state, 'watching');

      // A cycle that runs past the bound (ARM answering slowly; the clock moved on while it runs): 503, and the log says so.
      h.app.simulator!.settings.latencyMs = 1_500;
      let ended = false;
      const slow = h.app.watcher.runCycle().finally(() => {
        ended = true;
      });
      try {
        // Ten intervals of an hour: the bound here.
        clock.advance(10 * 60 * MIN + 1_000);
        const stalled = await healthz(h);
        assert.equal(stalled.status, 503, stalled.text);
        assert.equal(stalled.body.status, 'unhealthy');
        assert.equal((stalled.body.watcher as { state: string }).state, 'stalled');
        assert.ok(h.logLines.some((l) => l.includes('the watcher is stalled')));
        assert.equal(ended, false, 'the cycle was still running when /healthz answered');
      } finally {
        h.app.simulator!.settings.latencyMs = 0;
        await slow;
      }
      const after = await healthz(h);
      assert.equal(after.status, 200, after.text);
      assert.equal((after.body.watcher as { state: string }).state, 'watching');
      assert.ok(h.logLines.some((l) => l.includes('no longer stalled')));

      await h.app.watcher.stop();
      const off = await healthz(h);
      assert.equal(off.status, 200);
      assert.equal((off.body.watcher as { state: string }).state, 'off');
    } finally {
      await h.stop();
    }
  });

  it('should log a stalled cycle by itself, with nobody asking /healthz, and log when it is over', async () => {
    const clock = new OffsetClock();
    const h = await Harness.start({
      clock,
      logLevel: 'warn',
      directory: alertDirectory(),
      env: { WATCH_INTERVAL_SECONDS: '3600' },
      alerts: { stallCheckMs: 25 },
    });
    try {
      await until('the first cycle', () => h.app.watcher.health().state === 'watching');
      const said = (text: string) => h.logLines.filter((l) => l.includes(text)).length;
      assert.equal(said('the watcher is stalled'), 0);
      h.app.simulator!.settings.latencyMs = 1_500;
      const slow = h.app.watcher.runCycle();
      try {
        clock.advance(10 * 60 * MIN + 1_000);
        await until('the loop logs the stall', () => said('the watcher is stalled') === 1);
      } finally {
        h.app.simulator!.settings.latencyMs = 0;
        await slow;
      }
      await until('the loop logs its end', () => said('no longer stalled') === 1);
      assert.equal(said('the watcher is stalled'), 1, 'said once');
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
  const T = 1_000_000;
  const ended = (endedAt: number, failed = false, durationMs = 2_000): CycleEnd => ({ endedAt, failed, durationMs });
  const at = (now: number, o: { runningSince?: number; lastCycle?: CycleEnd; loopRunning?: boolean } = {}) =>
    watcherHealth({ now, intervalMs: MIN, loopRunning: o.loopRunning ?? true, runningSince: o.runningSince, lastCycle: o.lastCycle });

  it('should let a cycle run 15 minutes, ten intervals, or three times the last cycle, whichever is longest', () => {
    assert.equal(stallAfterMs(2_000), 15 * MIN);
    assert.equal(stallAfterMs(MIN, 2_000), 15 * MIN);
    assert.equal(stallAfterMs(5 * MIN), 50 * MIN);
    assert.equal(stallAfterMs(MIN, 20 * MIN), 60 * MIN);
  });

  it('should be starting until a cycle ends, and stalled once the first has run too long', () => {
    assert.deepEqual(at(T + 15 * MIN, { runningSince: T }), { state: 'starting' });
    assert.deepEqual(at(T + 15 * MIN + 1, { runningSince: T }), { state: 'stalled' });
  });

  it('should be watching or failing by the last cycle, counted in whole seconds since it ended', () => {
    assert.deepEqual(at(T + 60_500, { lastCycle: ended(T) }), { state: 'watching', lastCycleEndedSecondsAgo: 60 });
    assert.deepEqual(at(T + 60_500, { lastCycle: ended(T, true) }), { state: 'failing', lastCycleEndedSecondsAgo: 60 });
    // Between cycles, however long the pause (the interval is the operator's): not stalled.
    assert.deepEqual(at(T + 600 * MIN, { lastCycle: ended(T) }), { state: 'watching', lastCycleEndedSecondsAgo: 36_000 });
  });

  it('should be stalled while a cycle runs past the bound, the bound grown by a slow last cycle', () => {
    const last = ended(T, false, 20 * MIN);
    assert.deepEqual(at(T + MIN + 60 * MIN, { runningSince: T + MIN, lastCycle: last }), {
      state: 'watching',
      lastCycleEndedSecondsAgo: 3660,
    });
    assert.deepEqual(at(T + MIN + 60 * MIN + 1, { runningSince: T + MIN, lastCycle: last }), {
      state: 'stalled',
      lastCycleEndedSecondsAgo: 3660,
    });
  });

  it('should be off while no loop runs, whatever runs by hand', () => {
    assert.deepEqual(at(T + 100 * MIN, { loopRunning: false, lastCycle: ended(T), runningSince: T }), {
      state: 'off',
      lastCycleEndedSecondsAgo: 6000,
    });
    assert.deepEqual(at(T, { loopRunning: false }), { state: 'off' });
  });
});
