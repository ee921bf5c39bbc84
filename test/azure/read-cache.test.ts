import assert from 'node:assert/strict';
import { ReadCache } from '../../src/azure/read-cache';
import { ManualClock } from './support/manual-clock';

describe('read-cache', () => {
  it('should serve a second read from cache with the first fetchedAt until the TTL passes', async () => {
    const clock = new ManualClock();
    const cache = new ReadCache({ clock, ttlMs: 30_000 });
    let loads = 0;
    const load = () => Promise.resolve(++loads);
    const first = await cache.read('k', load);
    clock.advance(10_000);
    const second = await cache.read('k', load);
    assert.deepEqual(second, { value: 1, fetchedAt: first.fetchedAt, fromCache: true });
    clock.advance(20_000);
    const third = await cache.read('k', load);
    assert.equal(third.value, 2);
    assert.equal(third.fromCache, false);
    assert.equal(third.fetchedAt, clock.now());
  });

  it('should bypass the cache when fresh is asked for', async () => {
    const clock = new ManualClock();
    const cache = new ReadCache({ clock });
    let loads = 0;
    await cache.read('k', () => Promise.resolve(++loads));
    const fresh = await cache.read('k', () => Promise.resolve(++loads), { fresh: true });
    assert.equal(fresh.value, 2);
    assert.equal(fresh.fromCache, false);
    assert.equal((await cache.read('k', () => Promise.resolve(++loads))).value, 2, 'the fresh value replaced the cached one');
  });

  it('should coalesce concurrent identical reads into one load', async () => {
    const cache = new ReadCache({ clock: new ManualClock() });
    let loads = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const load = async () => {
      loads += 1;
      await gate;
      return 'v';
    };
    const reads = [cache.read('k', load), cache.read('k', load), cache.read('k', load, { fresh: true })];
    release();
    const results = await Promise.all(reads);
    assert.equal(loads, 1);
    assert.ok(results.every((r) => r.value === 'v'));
  });

  it('should not cache failures', async () => {
    const cache = new ReadCache({ clock: new ManualClock() });
    await assert.rejects(cache.read('k', () => Promise.reject(new Error('boom'))));
    assert.equal((await cache.read('k', () => Promise.resolve('ok'))).value, 'ok');
  });

  it('should hold at most maxEntries, dropping the oldest', async () => {
    const cache = new ReadCache({ clock: new ManualClock(), maxEntries: 2 });
    for (const k of ['a', 'b', 'c']) await cache.read(k, () => Promise.resolve(k));
    assert.equal(cache.size, 2);
    let loadedA = false;
    await cache.read('a', () => {
      loadedA = true;
      return Promise.resolve('a');
    });
    assert.ok(loadedA, 'a had been evicted');
  });

  it('should invalidate by key prefix', async () => {
    const cache = new ReadCache({ clock: new ManualClock() });
    await cache.read('t|s1|x', () => Promise.resolve(1));
    await cache.read('t|s2|x', () => Promise.resolve(1));
    cache.invalidate('t|s1|');
    assert.equal(cache.size, 1);
  });
});
