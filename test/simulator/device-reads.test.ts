import { strict as assert } from 'node:assert';
import { DEMO_CUSTOMERS } from '../../src/demo/customers';
import { buildDemoFleet, startSimulator, type RunningSimulator } from '../../src/simulator';
import { ManualClock, rawRequest } from './raw-request';
import { fastPolling, networkClient } from './sdk-clients';

const [CONTOSO0 = ''] = DEMO_CUSTOMERS.contoso.subscriptions;
const RG = 'rg-contoso-network';
const AMS = `/subscriptions/${CONTOSO0}/resourceGroups/${RG}/providers/Microsoft.Network/expressRouteCircuits/contoso-ams-er1`;
const ARP = `${AMS}/peerings/AzurePrivatePeering/arpTables/primary`;
const GATEWAY_ACTION = `/subscriptions/${CONTOSO0}/resourceGroups/${RG}/providers/Microsoft.Network/virtualNetworkGateways/gw1/getLearnedRoutes`;

/** The demo fleet plus a non-device POST action (a gateway's learned routes). */
function fleetWithAction(settings: Record<string, unknown>) {
  const fleet = buildDemoFleet() as Record<string, unknown>;
  fleet[GATEWAY_ACTION] = { value: [{ network: '10.0.0.0/16', origin: 'EBgp', asPath: '65010' }] };
  fleet.$simulator = settings;
  return fleet as ReturnType<typeof buildDemoFleet>;
}

async function statusAfter(sim: RunningSimulator, location: string): Promise<number> {
  return (await rawRequest(sim, 'GET', location)).status;
}

describe('simulator: device reads as long-running operations', () => {
  it('should keep a device read InProgress for deviceReadMs while other POST actions take lroDurationMs', async () => {
    const clock = new ManualClock();
    const sim = await startSimulator({ fleet: fleetWithAction({ deviceReadMs: 3000, lroDurationMs: 200 }), clock });
    try {
      const device = await rawRequest(sim, 'POST', ARP);
      const action = await rawRequest(sim, 'POST', GATEWAY_ACTION);
      assert.deepEqual([device.status, action.status], [202, 202]);
      const deviceAt = String(device.headers.location);
      const actionAt = String(action.headers.location);
      clock.advance(200);
      assert.equal(await statusAfter(sim, actionAt), 200, 'the gateway action is done after lroDurationMs');
      assert.equal(await statusAfter(sim, deviceAt), 202, 'the device read is still asking the routers');
      clock.advance(2799);
      assert.equal(await statusAfter(sim, deviceAt), 202);
      clock.advance(1);
      const done = await rawRequest(sim, 'GET', deviceAt);
      assert.equal(done.status, 200);
      assert.equal(done.body?.value?.length, 2);
    } finally {
      await sim.close();
    }
  });

  it('should take lroDurationMs for device reads when deviceReadMs is not set', async () => {
    const clock = new ManualClock();
    const sim = await startSimulator({ fleet: fleetWithAction({ lroDurationMs: 500 }), clock });
    try {
      const location = String((await rawRequest(sim, 'POST', ARP)).headers.location);
      clock.advance(499);
      assert.equal(await statusAfter(sim, location), 202);
      clock.advance(1);
      assert.equal(await statusAfter(sim, location), 200);
    } finally {
      await sim.close();
    }
  });

  it("should give the demo fleet 3-second device reads, and let startSimulator's settings override the fleet's", async () => {
    assert.deepEqual(buildDemoFleet().$simulator, { deviceReadMs: 3000 });
    const clock = new ManualClock();
    const slow = await startSimulator({ fleet: buildDemoFleet(), clock });
    const fast = await startSimulator({ fleet: buildDemoFleet(), clock, settings: { deviceReadMs: 0 } });
    try {
      assert.equal(slow.settings.deviceReadMs, 3000);
      assert.equal(await statusAfter(slow, String((await rawRequest(slow, 'POST', ARP)).headers.location)), 202);
      assert.equal(fast.settings.deviceReadMs, 0);
      const rows = await networkClient(fast, CONTOSO0).expressRouteCircuits.beginListArpTableAndWait(
        RG,
        'contoso-ams-er1',
        'AzurePrivatePeering',
        'primary',
        fastPolling,
      );
      assert.equal(rows.value?.length, 2);
      const polls = fast.requests.filter((r) => r.path.includes('/operationResults/'));
      assert.deepEqual(
        polls.map((p) => p.status),
        [200],
        'one poll, already done',
      );
    } finally {
      await slow.close();
      await fast.close();
    }
  });
});

describe('simulator: POST is a write for ARM throttling', () => {
  it('should spend the write bucket on a POST-style read, and the read bucket on polling it', async () => {
    const clock = new ManualClock();
    const sim = await startSimulator({
      fleet: buildDemoFleet(),
      clock,
      settings: {
        deviceReadMs: 0,
        throttle: { reads: { capacity: 100, refillPerSecond: 1 }, writes: { capacity: 2, refillPerSecond: 0.5 } },
      },
    });
    try {
      const first = await rawRequest(sim, 'POST', ARP);
      assert.equal(first.headers['x-ms-ratelimit-remaining-subscription-writes'], '1');
      assert.equal(first.headers['x-ms-ratelimit-remaining-subscription-reads'], undefined);
      const poll = await rawRequest(sim, 'GET', String(first.headers.location));
      assert.equal(poll.headers['x-ms-ratelimit-remaining-subscription-reads'], '99');
      assert.equal(poll.headers['x-ms-ratelimit-remaining-subscription-writes'], undefined);
      assert.equal((await rawRequest(sim, 'POST', ARP)).headers['x-ms-ratelimit-remaining-subscription-writes'], '0');
      const throttled = await rawRequest(sim, 'POST', ARP);
      assert.equal(throttled.status, 429);
      assert.equal(throttled.body?.error?.code, 'TooManyRequests');
      assert.equal(throttled.headers['retry-after'], '2');
      assert.equal((await rawRequest(sim, 'GET', AMS)).status, 200, 'reads are still allowed');
      // Resource Graph and the metrics data plane are other services: no ARM bucket is spent on them.
      const graph = await rawRequest(sim, 'POST', '/providers/Microsoft.ResourceGraph/resources?api-version=2021-03-01', {
        body: { query: 'Resources | count' },
      });
      assert.equal(graph.status, 200);
      assert.equal(graph.headers['x-ms-ratelimit-remaining-subscription-writes'], undefined);
      const batch = await rawRequest(
        sim,
        'POST',
        `/subscriptions/${CONTOSO0}/metrics:getBatch?api-version=2024-02-01&metricnamespace=Microsoft.Network/expressRouteCircuits&metricnames=BgpAvailability`,
        { body: { resourceids: [AMS] } },
      );
      assert.equal(batch.status, 200);
      assert.equal(batch.headers['x-ms-ratelimit-remaining-subscription-writes'], undefined);
      clock.advance(2000);
      assert.equal((await rawRequest(sim, 'POST', ARP)).status, 202);
    } finally {
      await sim.close();
    }
  });
});
