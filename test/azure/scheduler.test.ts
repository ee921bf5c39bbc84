import assert from 'node:assert/strict';
import { CodedError, ErrorCode } from '../../src/errors';
import { startArmKit, type ArmKit } from './support/arm-test-kit';
import { DIRECT_ID, PROVIDER_ID, SCOPE } from './support/test-fleet';
import { ManualClock } from './support/manual-clock';

function pathOf(r: { path: string }): string {
  return r.path.split('?')[0] ?? '';
}

describe('ArmScheduler against a throttling, faulty simulator', function () {
  this.timeout(60_000);
  let kit: ArmKit | undefined;
  afterEach(async () => {
    await kit?.close();
    kit = undefined;
  });

  it('should get every read through a throttled ARM without surfacing an error, counting the retries', async () => {
    // Our own bucket is generous so that the simulator's small one is what throttles.
    kit = await startArmKit({
      settings: { throttle: { reads: { capacity: 6, refillPerSecond: 20 } } },
      access: { limits: { reads: { capacity: 1000, refillPerSecond: 1000 }, maxConcurrencyPerSubscription: 16 } },
    });
    const reader = kit.access.reader;
    const circuits = (await reader.listCircuits(SCOPE, { fresh: true })).value;
    const reads = await Promise.all([
      ...circuits.map((c) => reader.getCircuit(SCOPE, c.id, { fresh: true })),
      ...circuits.map((c) => reader.getBandwidthUsage(SCOPE, c.id, 3_600_000, { fresh: true })),
      reader.listRoutes(SCOPE, PROVIDER_ID, 'private', 'primary', { fresh: true }),
      reader.listRouteFilters(SCOPE, { fresh: true }),
      reader.listUdrTables(SCOPE, { fresh: true }),
    ]);
    assert.equal(reads.length, 2 * circuits.length + 3);
    const stats = kit.access.stats();
    assert.ok(stats.throttled429 > 0, 'the simulator throttled some calls');
    assert.ok(stats.retries >= stats.throttled429, 'every 429 was retried');
    assert.equal(kit.sim.requests.filter((r) => r.status === 429).length, stats.throttled429);
  });

  it("should slow down on ARM's remaining-reads header before ARM throttles", async () => {
    kit = await startArmKit({
      settings: { throttle: { reads: { capacity: 3, refillPerSecond: 25 } } },
      access: { limits: { reads: { capacity: 250, refillPerSecond: 20 } } },
    });
    const id = PROVIDER_ID;
    for (let i = 0; i < 8; i++) await kit.access.reader.getCircuit(SCOPE, id, { fresh: true });
    assert.equal(kit.access.stats().throttled429, 0);
    assert.ok(kit.sim.requests.every((r) => r.status !== 429));
  });

  it('should wait as long as Retry-After says before retrying', async () => {
    const clock = new ManualClock();
    kit = await startArmKit({ access: { clock } });
    const id = PROVIDER_ID;
    kit.sim.addFaults([{ match: `GET ${id}`, status: 429, code: 'TooManyRequests', count: 1, retryAfterSeconds: 7 }]);
    const { value } = await kit.access.reader.getCircuit(SCOPE, id);
    assert.equal(value.name, 'er-provider');
    assert.ok(clock.sleeps.includes(7000), `slept ${JSON.stringify(clock.sleeps)}`);
    const calls = kit.sim.requests.filter((r) => pathOf(r).toLowerCase() === id.toLowerCase());
    assert.deepEqual(
      calls.map((r) => r.status),
      [429, 200],
    );
    assert.deepEqual(kit.access.stats(), { ...kit.access.stats(), throttled429: 1, retries: 1 });
  });

  it('should retry server errors with backoff and succeed (fault count 2)', async () => {
    const clock = new ManualClock();
    kit = await startArmKit({ access: { clock } });
    const id = DIRECT_ID;
    kit.sim.addFaults([{ match: `GET ${id}`, status: 503, code: 'ServiceUnavailable', count: 2 }]);
    const { value } = await kit.access.reader.getCircuit(SCOPE, id);
    assert.equal(value.name, 'er-direct');
    const calls = kit.sim.requests.filter((r) => pathOf(r).toLowerCase() === id.toLowerCase());
    assert.deepEqual(
      calls.map((r) => r.status),
      [503, 503, 200],
    );
    assert.equal(kit.access.stats().retries, 2);
    assert.ok(clock.sleeps[1]! > clock.sleeps[0]!, `backoff grows: ${JSON.stringify(clock.sleeps)}`);
  });

  it('should retry a reset connection', async () => {
    kit = await startArmKit({ access: { clock: new ManualClock() } });
    const id = DIRECT_ID;
    kit.sim.addFaults([{ match: `GET ${id}`, status: 500, resetConnection: true, count: 1 }]);
    const { value } = await kit.access.reader.getCircuit(SCOPE, id);
    assert.equal(value.name, 'er-direct');
    assert.equal(kit.access.stats().connectionErrors, 1);
  });

  it('should give up on a persistent 500 after the attempt limit with ArmUnavailable', async () => {
    kit = await startArmKit({ access: { clock: new ManualClock(), limits: { maxAttempts: 4 } } });
    const id = DIRECT_ID;
    kit.sim.addFaults([{ match: `GET ${id}`, status: 500, code: 'InternalServerError', count: -1 }]);
    await assert.rejects(
      kit.access.reader.getCircuit(SCOPE, id),
      (e: unknown) => e instanceof CodedError && e.code === ErrorCode.ArmUnavailable,
    );
    assert.equal(kit.sim.requests.filter((r) => pathOf(r).toLowerCase() === id.toLowerCase()).length, 4);
  });

  it('should give up once the total time budget would be exceeded, with ArmThrottled', async () => {
    const clock = new ManualClock();
    kit = await startArmKit({ access: { clock, limits: { maxTotalMs: 10_000 } } });
    const id = DIRECT_ID;
    kit.sim.addFaults([{ match: `GET ${id}`, status: 429, count: -1, retryAfterSeconds: 4 }]);
    await assert.rejects(
      kit.access.reader.getCircuit(SCOPE, id),
      (e: unknown) => e instanceof CodedError && e.code === ErrorCode.ArmThrottled,
    );
    assert.equal(
      kit.sim.requests.filter((r) => pathOf(r).toLowerCase() === id.toLowerCase()).length,
      3,
      '0 s, 4 s, 8 s; 12 s is past the budget',
    );
  });

  it('should time out an attempt that gets no answer, retry it, and then report ArmUnavailable', async () => {
    // The attempt timeout must outlast a fresh TLS connection on a loaded machine, or the retry never reaches the
    // simulator; the simulator's answer comes far later still (closing the kit cuts its wait short).
    kit = await startArmKit({
      settings: { latencyMs: 30_000 },
      access: { limits: { attemptTimeoutMs: 750, maxAttempts: 2, baseDelayMs: 1 } },
    });
    await assert.rejects(
      kit.access.reader.getCircuit(SCOPE, PROVIDER_ID),
      (e: unknown) => e instanceof CodedError && e.code === ErrorCode.ArmUnavailable,
    );
    assert.equal(kit.access.stats().connectionErrors, 2);
    assert.equal(kit.sim.requests.filter((r) => pathOf(r).toLowerCase() === PROVIDER_ID.toLowerCase()).length, 2);
  });

  it('should not retry a 403 and should say which subscription needs a role', async () => {
    kit = await startArmKit();
    const id = DIRECT_ID;
    const scope = SCOPE;
    kit.sim.addFaults([{ match: `GET ${id}`, status: 403, code: 'AuthorizationFailed', count: 1 }]);
    await assert.rejects(kit.access.reader.getCircuit(scope, id), (e: unknown) => {
      assert.ok(e instanceof CodedError);
      assert.equal(e.code, ErrorCode.ArmForbidden);
      assert.match(e.message, new RegExp(scope.subscriptionId));
      return true;
    });
    assert.equal(kit.access.stats().retries, 0);
  });
});
