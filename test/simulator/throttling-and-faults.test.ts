import { strict as assert } from 'node:assert';
import { isRestError } from '@azure/core-rest-pipeline';
import { DEMO_CUSTOMERS } from '../../src/demo/customers';
import { buildDemoFleet, startSimulator, type RunningSimulator } from '../../src/simulator';
import { networkClient } from './sdk-clients';
import { ManualClock, rawRequest } from './raw-request';

const [CONTOSO0 = ''] = DEMO_CUSTOMERS.contoso.subscriptions;
const [NORTHWIND0 = ''] = DEMO_CUSTOMERS.northwind.subscriptions;
const RG = 'rg-contoso-network';
const AMS = `/subscriptions/${CONTOSO0}/resourceGroups/${RG}/providers/Microsoft.Network/expressRouteCircuits/contoso-ams-er1`;

describe('simulator: ARM throttling', () => {
  it('should count remaining reads down, then answer 429 TooManyRequests with Retry-After until a token refills', async () => {
    const clock = new ManualClock();
    const sim = await startSimulator({
      fleet: buildDemoFleet(),
      clock,
      settings: { throttle: { reads: { capacity: 3, refillPerSecond: 0.5 } } },
    });
    try {
      const remaining: unknown[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await rawRequest(sim, 'GET', AMS);
        assert.equal(r.status, 200);
        remaining.push(r.headers['x-ms-ratelimit-remaining-subscription-reads']);
      }
      assert.deepEqual(remaining, ['2', '1', '0']);
      const throttled = await rawRequest(sim, 'GET', AMS);
      assert.equal(throttled.status, 429);
      assert.equal(throttled.body?.error?.code, 'TooManyRequests');
      assert.equal(throttled.headers['retry-after'], '2');
      // Another subscription has its own bucket.
      const other = await rawRequest(sim, 'GET', `/subscriptions/${NORTHWIND0}/providers/Microsoft.Network/expressRouteCircuits`);
      assert.equal(other.status, 200);
      clock.advance(2000);
      assert.equal((await rawRequest(sim, 'GET', AMS)).status, 200);
      // Writes use their own bucket and header.
      const write = await rawRequest(sim, 'PATCH', AMS, { body: { tags: { a: 'b' } } });
      assert.equal(write.status, 200);
      assert.ok(Number(write.headers['x-ms-ratelimit-remaining-subscription-writes']) > 100);
    } finally {
      await sim.close();
    }
  });

  it("should let the SDK's own retry succeed once the bucket refills", async () => {
    const sim = await startSimulator({
      fleet: buildDemoFleet(),
      settings: { throttle: { reads: { capacity: 2, refillPerSecond: 4 } } },
    });
    try {
      const client = networkClient(sim, CONTOSO0);
      const names = [];
      for (let i = 0; i < 3; i++) names.push((await client.expressRouteCircuits.get(RG, 'contoso-ams-er1')).name);
      assert.deepEqual(names, ['contoso-ams-er1', 'contoso-ams-er1', 'contoso-ams-er1']);
      const statuses = sim.requests.map((r) => r.status);
      assert.deepEqual(statuses, [200, 200, 429, 200]);
    } finally {
      await sim.close();
    }
  });

  it('should not throttle when throttle is false', async () => {
    const sim = await startSimulator({ fleet: buildDemoFleet(), settings: { throttle: false } });
    try {
      const r = await rawRequest(sim, 'GET', AMS);
      assert.equal(r.status, 200);
      assert.equal(r.headers['x-ms-ratelimit-remaining-subscription-reads'], undefined);
    } finally {
      await sim.close();
    }
  });
});

describe('simulator: latency', () => {
  it('should wait latencyMs on the injected clock before every answer', async () => {
    const clock = new ManualClock();
    const sim = await startSimulator({ fleet: buildDemoFleet(), clock, settings: { latencyMs: 250 } });
    try {
      const start = clock.now();
      await rawRequest(sim, 'GET', AMS);
      await rawRequest(sim, 'GET', `${AMS}/stats`);
      assert.equal(clock.now() - start, 500);
      sim.settings = { latencyMs: 0 };
      await rawRequest(sim, 'GET', AMS);
      assert.equal(clock.now() - start, 500, 'settings can be replaced while running');
    } finally {
      await sim.close();
    }
  });

  it('should answer many requests waiting at once without a MaxListenersExceededWarning', async () => {
    const sim = await startSimulator({ fleet: buildDemoFleet(), settings: { latencyMs: 50 } });
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      const answers = await Promise.all(Array.from({ length: 30 }, () => rawRequest(sim, 'GET', AMS)));
      assert.deepEqual(new Set(answers.map((a) => a.status)), new Set([200]));
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(
        warnings.filter((w) => w.startsWith('MaxListenersExceededWarning')),
        [],
      );
    } finally {
      process.off('warning', onWarning);
      await sim.close();
    }
  });
});

describe('simulator: injected faults', () => {
  let sim: RunningSimulator;
  beforeEach(async () => {
    sim = await startSimulator({ fleet: buildDemoFleet() });
  });
  afterEach(() => sim.close());

  it('should answer a 500 fault twice, then let the SDK retry to success', async () => {
    sim.addFaults([{ match: 'GET /subscriptions', status: 500, count: 2 }]);
    const circuit = await networkClient(sim, CONTOSO0).expressRouteCircuits.get(RG, 'contoso-ams-er1');
    assert.equal(circuit.name, 'contoso-ams-er1');
    assert.deepEqual(
      sim.requests.map((r) => r.status),
      [500, 500, 200],
    );
  });

  it('should carry the fault code, message and Retry-After in an ARM error body', async () => {
    sim.addFaults([{ match: '/contoso-ams-er1$/i', status: 503, code: 'ServerBusy', message: 'try later', retryAfterSeconds: 3 }]);
    const r = await rawRequest(sim, 'GET', AMS);
    assert.equal(r.status, 503);
    assert.deepEqual(r.body, { error: { code: 'ServerBusy', message: 'try later' } });
    assert.equal(r.headers['retry-after'], '3');
    assert.equal((await rawRequest(sim, 'GET', AMS)).status, 200, 'count defaults to 1');
  });

  it('should keep answering a fault with count -1, and only for matching requests', async () => {
    sim.addFaults([{ match: 'POST ', status: 409, code: 'Conflict', count: -1 }]);
    for (let i = 0; i < 3; i++)
      assert.equal((await rawRequest(sim, 'POST', `${AMS}/peerings/AzurePrivatePeering/arpTables/primary`)).status, 409);
    assert.equal((await rawRequest(sim, 'GET', AMS)).status, 200);
  });

  it('should answer a fault with a query only for requests whose decoded query string has it', async () => {
    sim.addFaults([{ match: 'GET /subscriptions', query: 'API-VERSION=2099', status: 400, code: 'InvalidApiVersion', count: -1 }]);
    assert.equal((await rawRequest(sim, 'GET', `${AMS}?api-version=2099-01-01`)).status, 400);
    assert.equal((await rawRequest(sim, 'GET', `${AMS}?api-version=2024-05-01`)).status, 200);
  });

  it('should reset the connection, and the SDK should retry it', async () => {
    sim.addFaults([{ match: 'contoso-ams-er1', status: 500, resetConnection: true }]);
    await assert.rejects(
      rawRequest(sim, 'GET', AMS),
      (e: Error & { code?: string }) => e.code === 'ECONNRESET' || /socket hang up/.test(e.message),
    );
    sim.addFaults([{ match: 'contoso-ams-er1', status: 500, resetConnection: true }]);
    const circuit = await networkClient(sim, CONTOSO0).expressRouteCircuits.get(RG, 'contoso-ams-er1');
    assert.equal(circuit.name, 'contoso-ams-er1');
    assert.deepEqual(
      sim.requests.map((r) => r.status),
      [0, 0, 200],
    );
  });

  it('should surface a 404 fault to the SDK as a RestError with the injected code', async () => {
    sim.addFaults([{ match: 'contoso-lon-er2', status: 404, code: 'ResourceNotFound', message: 'gone' }]);
    await assert.rejects(networkClient(sim, CONTOSO0).expressRouteCircuits.get(RG, 'contoso-lon-er2'), (e: unknown) => {
      assert.ok(isRestError(e));
      assert.equal(e.statusCode, 404);
      assert.equal(e.code, 'ResourceNotFound');
      return true;
    });
  });

  it('should take faults from the fleet\'s "$simulator" key', async () => {
    const fleet = buildDemoFleet();
    fleet.$simulator = { faults: [{ match: 'contoso-ams-er1', status: 502 }] };
    const faulty = await startSimulator({ fleet });
    try {
      assert.equal((await rawRequest(faulty, 'GET', AMS)).status, 502);
    } finally {
      await faulty.close();
    }
  });
});
