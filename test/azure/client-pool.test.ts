import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import https from 'node:https';
import { ClientPool } from '../../src/azure/client-pool';
import { ArmScheduler, DEFAULT_ARM_LIMITS } from '../../src/azure/scheduler';
import { systemClock } from '../../src/clock';
import { silentLogger } from '../../src/log';
import { generateCertificate } from '../../src/simulator/certificate';
import { TOKEN, startArmKit, type ArmKit } from './support/arm-test-kit';
import { PROVIDER_ID, SCOPE } from './support/test-fleet';
import { ManualClock } from './support/manual-clock';
import { until } from '../support/until';

function pathOf(r: { path: string }): string {
  return (r.path.split('?')[0] ?? '').toLowerCase();
}

/** A getBatch query of the last five minutes of BGP availability, as the watcher asks (`background`) or not. */
function lastFiveMinutesOfBgp(background: boolean) {
  return {
    namespace: 'Microsoft.Network/expressRouteCircuits',
    metricNames: ['BgpAvailability'],
    startTime: new Date(Date.now() - 300_000),
    endTime: new Date(),
    interval: 'PT1M',
    aggregation: 'Average',
    background,
  };
}

/** A pool whose ARM and metrics are the local test server at `url`, trusting its certificate, with a fixed token. */
function localPoolOptions(url: string, caPem: string, scheduler: ArmScheduler) {
  return {
    endpoint: url,
    caPem,
    metricsEndpoint: () => url,
    credentials: () => ({ getToken: () => Promise.resolve({ token: 'test-token', expiresOnTimestamp: Date.now() + 3_600_000 }) }),
    scheduler,
    logger: silentLogger,
  };
}

describe('ARM client pool, read cache and logs', function () {
  this.timeout(30_000);
  let kit: ArmKit;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock();
    kit = await startArmKit({ access: { clock, cacheTtlMs: 30_000 } });
  });
  afterEach(() => kit.close());

  it('should build one client per (tenant, subscription) and reuse it', () => {
    const pool = kit.access.pool;
    const a = pool.networkClient(SCOPE);
    assert.equal(pool.networkClient({ tenantId: SCOPE.tenantId.toUpperCase(), subscriptionId: SCOPE.subscriptionId }), a);
    assert.notEqual(pool.networkClient({ ...SCOPE, subscriptionId: '1a1a1a1a-0000-4000-8000-00000000c002' }), a);
    assert.notEqual(pool.networkClient({ ...SCOPE, tenantId: 'another-tenant' }), a);
    assert.equal(pool.monitorClient(SCOPE), pool.monitorClient(SCOPE));
    assert.deepEqual(pool.size, { network: 3, monitor: 1, resourceGraph: 0, metrics: 0 });
  });

  it('should leave the scheduler as the only retry policy of each client', () => {
    const names = kit.access.pool
      .networkClient(SCOPE)
      .pipeline.getOrderedPolicies()
      .map((p) => p.name);
    assert.ok(names.includes('armSchedulerPolicy'));
    assert.deepEqual(
      names.filter((n) => /retry/i.test(n)),
      [],
    );
  });

  it('should serve a repeat read from the cache with the first fetchedAt, and go to ARM again when fresh', async () => {
    const id = PROVIDER_ID;
    const scope = SCOPE;
    const gets = () => kit.sim.requests.filter((r) => r.method === 'GET' && pathOf(r) === id.toLowerCase()).length;
    const first = await kit.access.reader.getCircuit(scope, id);
    clock.advance(10_000);
    const second = await kit.access.reader.getCircuit(scope, id);
    assert.equal(second.fetchedAt, first.fetchedAt);
    assert.equal(second.fromCache, true);
    assert.equal(gets(), 1);
    const fresh = await kit.access.reader.getCircuit(scope, id, { fresh: true });
    assert.equal(fresh.fromCache, false);
    assert.equal(fresh.fetchedAt, clock.now());
    assert.equal(gets(), 2);
    clock.advance(30_000);
    await kit.access.reader.getCircuit(scope, id);
    assert.equal(gets(), 3, 'the TTL expired');
  });

  it('should coalesce concurrent identical reads into one ARM call', async () => {
    const id = PROVIDER_ID;
    const scope = SCOPE;
    const results = await Promise.all(Array.from({ length: 10 }, () => kit.access.reader.listRoutes(scope, id, 'private', 'primary')));
    assert.ok(results.every((r) => r.value.length === results[0]!.value.length && r.value.length > 0));
    const posts = kit.sim.requests.filter((r) => r.method === 'POST' && pathOf(r).endsWith('/routetables/primary'));
    assert.equal(posts.length, 1);
  });

  it("should log each ARM call with ARM's correlation id and never the bearer token", async () => {
    const id = PROVIDER_ID;
    kit.sim.addFaults([{ match: `GET ${id}`, status: 503, count: 1 }]);
    await kit.access.reader.getCircuit(SCOPE, id);
    const calls = kit.log.lines().filter((l) => typeof l.msg === 'string' && l.msg.startsWith('arm call'));
    assert.ok(calls.length >= 2, 'the 503 and the retry are both logged');
    for (const line of calls) {
      assert.equal(typeof line.correlationId, 'string');
      assert.ok((line.correlationId as string).length > 0);
      assert.equal(line.method, 'GET');
      assert.equal(typeof line.status, 'number');
      assert.equal(typeof line.durationMs, 'number');
      assert.ok(!String(line.path).includes('?'), 'no query string');
    }
    assert.deepEqual(
      calls.map((l) => l.status),
      [503, 200],
    );
    assert.ok(!kit.log.text().includes(TOKEN));
    assert.ok(!/bearer/i.test(kit.log.text()));
  });
});

describe('ARM client pool: background reads', function () {
  this.timeout(30_000);
  const cap = DEFAULT_ARM_LIMITS.maxConcurrencyBackground;

  it(`should send the watcher's metrics calls ${cap} at a time over kept-alive connections, and a read someone waits for wider`, async () => {
    const cert = await generateCertificate();
    let inFlight = 0;
    let peak = 0;
    let connections = 0;
    // Answers wait until this many calls have been in flight at once, so a loaded machine opening connections slowly
    // cannot make a pool look narrower than it is. Only a pool that never goes that wide keeps them waiting, and
    // then only until the phase's one fallback (5 s), after which the phase answers at once and fails its assertion.
    let awaitedWidth = cap;
    let held: Array<() => void> = [];
    let fallback: NodeJS.Timeout | undefined;
    // The scheduler's count of calls sent when the background phase first had `cap` in flight.
    let sentAtWidth: number | undefined;
    const releaseHeld = () => {
      clearTimeout(fallback);
      fallback = undefined;
      const waiting = held;
      held = [];
      for (const answer of waiting) answer();
    };
    const server = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
      peak = Math.max(peak, ++inFlight);
      req.resume();
      req.on('end', () => {
        // Answers take a while, as Azure's do: every call is in flight at once unless something holds them back.
        const answer = () => {
          setTimeout(() => {
            inFlight -= 1;
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ values: [] }));
          }, 30);
        };
        held.push(answer);
        if (peak >= awaitedWidth) {
          if (awaitedWidth === cap) sentAtWidth ??= scheduler.stats().requests;
          releaseHeld();
        } else {
          fallback ??= setTimeout(() => {
            awaitedWidth = 0;
            releaseHeld();
          }, 5_000).unref();
        }
      });
    });
    server.on('secureConnection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const address = server.address();
    const url = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const scheduler = new ArmScheduler({ clock: systemClock, logger: silentLogger });
    const pool = new ClientPool(localPoolOptions(url, cert.certPem, scheduler));
    // Four tenants, 30 calls each: 120 at once is what the scheduler allows otherwise (32 per principal, 128 in all).
    const fourTenants = (background: boolean) =>
      Promise.all(
        ['t1', 't2', 't3', 't4'].flatMap((tenantId) =>
          Array.from({ length: 30 }, (_, i) =>
            pool
              .metricsBatch(tenantId, 'westeurope')
              .query(`0000000${i % 10}-0000-4000-8000-000000000000`, ['/x'], lastFiveMinutesOfBgp(background)),
          ),
        ),
      );
    try {
      assert.equal((await fourTenants(true)).length, 120);
      assert.equal(peak, cap, `background: peak ${peak} calls in flight`);
      // Counted before they are sent, so a pool letting more out cannot hide behind calls that arrive late.
      assert.equal(sentAtWidth, cap, `background: ${sentAtWidth} calls sent when ${cap} were in flight`);
      // Kept alive and reused: undici hands a finished connection on only at the event loop's next turn, so a call
      // sent at once opens another (lean-http-client.ts): up to twice the calls in flight; one per call would be 120.
      assert.ok(connections <= 2 * cap, `background: ${connections} connections opened`);
      peak = 0;
      awaitedWidth = cap + 1;
      assert.equal((await fourTenants(false)).length, 120);
      assert.ok(peak > cap, `asked for: peak ${peak} calls in flight`);
    } finally {
      await pool.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('ARM client pool: closing', function () {
  this.timeout(30_000);

  it("should let the watcher's calls in flight finish, cut a hung one at the deadline as cancelled, and not wait longer", async () => {
    const cert = await generateCertificate();
    let arrived = 0;
    const waiting: ServerResponse[] = [];
    // Answers only when told to: a connection hung on Azure's side, unless the test answers.
    const server = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
      arrived += 1;
      req.resume();
      waiting.push(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const address = server.address();
    const url = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const scheduler = new ArmScheduler({ clock: systemClock, logger: silentLogger });
    const options = () => localPoolOptions(url, cert.certPem, scheduler);
    const pool = new ClientPool(options());
    const read = (p: ClientPool) =>
      p
        .metricsBatch('t1', 'westeurope')
        .query('00000000-0000-4000-8000-000000000000', ['/x'], lastFiveMinutesOfBgp(true))
        .then(
          (answer) => answer,
          (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
        );
    try {
      // A call answered while the pool closes finishes, and the close ends with it, well before the deadline.
      const answered = read(pool);
      await until('the first call reaches the server', () => arrived === 1);
      const deadlineMs = 10_000;
      const started = performance.now();
      const closing = pool.close(deadlineMs);
      waiting[0]!.writeHead(200, { 'content-type': 'application/json' });
      waiting[0]!.end(JSON.stringify({ values: [] }));
      const outcome = await answered;
      assert.ok(!(outcome instanceof Error), `the call in flight finished: ${outcome instanceof Error ? outcome.message : ''}`);
      await closing;
      assert.ok(performance.now() - started < deadlineMs / 2, 'the close ended when the call did, not at the deadline');

      // A hung call is given the whole deadline, then cut as cancelled, not as Azure down.
      const second = new ClientPool(options());
      const hung = read(second);
      await until('the second call reaches the server', () => arrived === 2);
      const cutAt = performance.now();
      await second.close(200);
      assert.ok(performance.now() - cutAt >= 190, 'the close waited for the deadline');
      const failure = await hung;
      assert.ok(failure instanceof Error && failure.name === 'AbortError', 'cut as cancelled, not as Azure down');
      assert.equal(arrived, 2, 'each sent once, not retried');
      assert.equal(scheduler.stats().connectionErrors, 0);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe("ARM client pool: the metrics data plane of ARM's cloud", () => {
  /** The endpoint and token audience the pool gives a tenant's metrics client for a region, sending nothing. */
  async function metricsTarget(endpoint: string, region: string) {
    const scopes: string[] = [];
    const pool = new ClientPool({
      endpoint,
      credentials: () => ({
        getToken: (scope: string | string[]) => {
          scopes.push(...[scope].flat());
          return Promise.reject(new Error('no token in this test: nothing is sent'));
        },
      }),
      scheduler: new ArmScheduler({ clock: systemClock, logger: silentLogger, limits: { maxAttempts: 1 } }),
      logger: silentLogger,
    });
    try {
      const client = pool.metricsBatch('tenant-1', region);
      await assert.rejects(
        client.query('sub-1', ['/x'], {
          namespace: 'Microsoft.Network/expressRouteCircuits',
          metricNames: ['BgpAvailability'],
          startTime: new Date(0),
          endTime: new Date(60_000),
          interval: 'PT1M',
          aggregation: 'Average',
        }),
        /no token in this test/,
      );
      return { endpoint: (client as unknown as { endpoint: string }).endpoint, scopes };
    } finally {
      await pool.close();
    }
  }

  it("should read a region's metrics from the data plane of ARM's cloud, with that cloud's audience", async () => {
    assert.deepEqual(await metricsTarget('https://management.usgovcloudapi.net', 'USGov Virginia'), {
      endpoint: 'https://usgovvirginia.metrics.monitor.azure.us',
      scopes: ['https://metrics.monitor.azure.us/.default'],
    });
    assert.deepEqual(await metricsTarget('https://management.chinacloudapi.cn/', 'China North 3'), {
      endpoint: 'https://chinanorth3.metrics.monitor.azure.cn',
      scopes: ['https://metrics.monitor.azure.cn/.default'],
    });
    assert.deepEqual(await metricsTarget('https://management.azure.com', 'westeurope'), {
      endpoint: 'https://westeurope.metrics.monitor.azure.com',
      scopes: ['https://metrics.monitor.azure.com/.default'],
    });
  });

  it('should refuse to guess the metrics of a Resource Manager of no cloud it knows', async () => {
    await assert.rejects(
      () => metricsTarget('https://arm.example.com', 'westeurope'),
      /https:\/\/arm\.example\.com is not the Resource Manager of a cloud the bot knows/,
    );
  });
});
