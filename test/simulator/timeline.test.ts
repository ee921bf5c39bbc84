import { strict as assert } from 'node:assert';
import { DEMO_CUSTOMERS } from '../../src/demo/customers';
import { CodedError, ErrorCode } from '../../src/errors';
import { buildDemoFleet, parseFleet, startSimulator, type RunningSimulator } from '../../src/simulator';
import type { TimelineEntry } from '../../src/simulator/simulator-settings';
import { ManualClock, rawRequest, type RawResponse } from './raw-request';
import { fastPolling, networkClient } from './sdk-clients';

const [NORTHWIND0 = ''] = DEMO_CUSTOMERS.northwind.subscriptions;
const [, CONTOSO1 = ''] = DEMO_CUSTOMERS.contoso.subscriptions;
const NYC1 = `/subscriptions/${NORTHWIND0}/resourceGroups/rg-northwind/providers/Microsoft.Network/expressRouteCircuits/northwind-nyc-er1`;
const PAR4 = `/subscriptions/${CONTOSO1}/resourceGroups/rg-contoso-dr/providers/Microsoft.Network/expressRouteCircuits/contoso-par-er4`;
const SHARED = `/subscriptions/${CONTOSO1}/resourceGroups/rg-contoso-dr/providers/Microsoft.Network/expressRouteCircuits/er-shared`;
const T0 = Date.UTC(2026, 0, 5, 3, 0, 0);
const MIN = 60_000;

async function start(clock: ManualClock, timeline: TimelineEntry[], lroDurationMs = 0): Promise<RunningSimulator> {
  return startSimulator({ fleet: buildDemoFleet({ now: T0 }), clock, settings: { deviceReadMs: 0, lroDurationMs, timeline } });
}

function graph(sim: RunningSimulator, query: string): Promise<RawResponse> {
  return rawRequest(sim, 'POST', '/providers/Microsoft.ResourceGraph/resources?api-version=2021-03-01', { body: { query } });
}

async function bgpPrimary(sim: RunningSimulator, from: number, to: number): Promise<unknown[]> {
  const q = new URLSearchParams({
    'api-version': '2024-02-01',
    metricnamespace: 'Microsoft.Network/expressRouteCircuits',
    metricnames: 'BgpAvailability',
    starttime: new Date(from).toISOString(),
    endtime: new Date(to).toISOString(),
    filter: "Peer eq 'Primary-IPv4'",
  });
  const r = await rawRequest(sim, 'POST', `/subscriptions/${NORTHWIND0}/metrics:getBatch?${q.toString()}`, {
    body: { resourceids: [NYC1] },
  });
  const values = r.body?.values as Array<{ value: Array<{ timeseries: Array<{ data: Array<{ average?: number }> }> }> }>;
  return values[0]?.value[0]?.timeseries[0]?.data.map((p) => p.average) ?? [];
}

describe('simulator: timeline', () => {
  it('should land merge patches afterMs after the start, seen by device reads, ARM reads, Resource Graph and metrics', async () => {
    const clock = new ManualClock(T0);
    const summary = `${NYC1}/peerings/AzurePrivatePeering/routeTablesSummary/primary`;
    const sim = await start(clock, [
      {
        afterMs: 5 * MIN,
        path: summary,
        merge: { value: [{ neighbor: '192.168.40.1', v: 4, as: 65200, upDown: '00:00:12', statePfxRcd: 'Idle' }] },
      },
      {
        afterMs: 5 * MIN,
        path: NYC1,
        merge: { properties: { serviceProviderProvisioningState: 'Deprovisioning' }, tags: { env: null, incident: 'INC42' } },
      },
    ]);
    try {
      const er = networkClient(sim, NORTHWIND0).expressRouteCircuits;
      const before = await er.get('rg-northwind', 'northwind-nyc-er1');
      assert.equal(
        (await er.beginListRoutesTableSummaryAndWait('rg-northwind', 'northwind-nyc-er1', 'AzurePrivatePeering', 'primary', fastPolling))
          .value?.[0]?.statePfxRcd,
        '31',
        "30 prefixes and the default route Northwind's on-premises advertises (forced tunnelling)",
      );
      clock.advance(5 * MIN - 1);
      assert.equal((await er.get('rg-northwind', 'northwind-nyc-er1')).serviceProviderProvisioningState, 'Provisioned');
      clock.advance(5 * MIN + 1);
      const after = await er.get('rg-northwind', 'northwind-nyc-er1');
      assert.equal(after.serviceProviderProvisioningState, 'Deprovisioning');
      assert.deepEqual(after.tags, { incident: 'INC42' }, 'null removes a key');
      assert.notEqual(after.etag, before.etag, 'a changed resource has a new etag');
      assert.equal(after.peerings?.length, 1, 'children are kept');
      const summaryNow = await er.beginListRoutesTableSummaryAndWait(
        'rg-northwind',
        'northwind-nyc-er1',
        'AzurePrivatePeering',
        'primary',
        fastPolling,
      );
      assert.deepEqual(
        summaryNow.value?.map((r) => r.statePfxRcd),
        ['Idle'],
        'arrays are replaced whole',
      );
      const found = await graph(sim, "Resources | where properties.serviceProviderProvisioningState == 'Deprovisioning' | project name");
      assert.deepEqual(found.body?.data, [{ name: 'northwind-nyc-er1' }]);
      // Minutes before the session dropped keep their value; from the drop on it reads 0.
      assert.deepEqual(await bgpPrimary(sim, T0, T0 + 10 * MIN), [100, 100, 100, 100, 100, 0, 0, 0, 0, 0]);
    } finally {
      await sim.close();
    }
  });

  it('should start the clock of an afterWriteTo entry at the first successful write whose path contains it', async () => {
    const clock = new ManualClock(T0);
    const peering = `${PAR4}/peerings/AzurePrivatePeering`;
    const sim = await start(clock, [
      { afterWriteTo: 'CONTOSO-PAR-ER4', afterMs: 1000, path: peering, merge: { properties: { state: 'Disabled' } } },
    ]);
    try {
      const stateOf = async () => ((await rawRequest(sim, 'GET', peering)).body?.properties as { state?: string }).state;
      clock.advance(10 * MIN);
      assert.equal(await stateOf(), 'Enabled', 'nothing happens before the write');
      const write = await rawRequest(sim, 'PATCH', PAR4, { body: { tags: { change: 'CR-7' } } });
      assert.equal(write.status, 200);
      clock.advance(999);
      assert.equal(await stateOf(), 'Enabled');
      clock.advance(1);
      assert.equal(await stateOf(), 'Disabled');
      const circuit = (await rawRequest(sim, 'GET', PAR4)).body?.properties as { peerings: Array<{ properties: { state: string } }> };
      assert.equal(circuit.peerings[0]?.properties.state, 'Disabled', 'the parent shows its changed child');
      await rawRequest(sim, 'PATCH', peering.replace('/peerings/AzurePrivatePeering', ''), { body: { tags: { change: 'CR-8' } } });
      clock.advance(5000);
      assert.equal(await stateOf(), 'Disabled', 'an entry lands once');
    } finally {
      await sim.close();
    }
  });

  it('should count afterMs from when a long-running write succeeds, not from when it was accepted', async () => {
    const clock = new ManualClock(T0);
    const sim = await start(clock, [{ afterWriteTo: '/er-shared', afterMs: 0, path: SHARED, merge: { tags: { verified: 'no' } } }], 2000);
    try {
      const body = (await rawRequest(sim, 'GET', SHARED)).body ?? {};
      const put = await rawRequest(sim, 'PUT', SHARED, {
        body: { location: body.location, sku: body.sku, tags: { env: 'shared', owner: 'x' }, properties: body.properties },
      });
      assert.equal(put.status, 200);
      clock.advance(1999);
      assert.deepEqual((await rawRequest(sim, 'GET', SHARED)).body?.tags, { env: 'shared', owner: 'x' });
      clock.advance(1);
      assert.deepEqual((await rawRequest(sim, 'GET', SHARED)).body?.tags, { env: 'shared', owner: 'x', verified: 'no' });
    } finally {
      await sim.close();
    }
  });

  it('should apply due entries in order, each once, whoever looks first', async () => {
    const clock = new ManualClock(T0);
    const sim = await start(clock, [
      { afterMs: 2000, path: NYC1, merge: { tags: { b: null } } },
      { afterMs: 1000, path: NYC1, merge: { tags: { a: '1', b: '2' } } },
      { afterMs: 2000, path: NYC1, merge: { tags: { c: '3' } } },
    ]);
    try {
      clock.advance(5000);
      assert.deepEqual((sim.resource(NYC1) as { tags: unknown }).tags, { env: 'prod', a: '1', c: '3' });
      await rawRequest(sim, 'PATCH', NYC1, { body: { tags: { env: 'prod' } } });
      clock.advance(5000);
      assert.deepEqual((sim.resource(NYC1) as { tags: unknown }).tags, { env: 'prod' });
    } finally {
      await sim.close();
    }
  });

  it('should reject malformed timeline entries with messages that say what is wrong', () => {
    const problems = (timeline: unknown): string => {
      try {
        parseFleet({ $simulator: { timeline } });
      } catch (e) {
        assert.ok(e instanceof CodedError);
        assert.equal(e.code, ErrorCode.Config);
        return e.message;
      }
      throw new Error('expected the fleet to be refused');
    };
    assert.match(problems([{ afterMs: -5, path: NYC1, merge: {} }]), /timeline\.0\.afterMs.*0 or more/);
    assert.match(
      problems([{ afterMs: 5, path: 'expressRouteCircuits/er1', merge: {} }]),
      /timeline\.0\.path.*starting with \/subscriptions\//,
    );
    assert.match(problems([{ afterMs: 5, path: `${NYC1}?api-version=1`, merge: {} }]), /query string/);
    assert.match(problems([{ afterMs: 5, path: NYC1, merge: [1] }]), /merge must be a JSON object/);
    assert.match(problems([{ afterMs: 5, path: NYC1, merge: {}, afterWriteTo: '' }]), /afterWriteTo must be a non-empty/);
    assert.match(problems([{ afterMS: 5, path: NYC1, merge: {} }]), /afterMS/);
    assert.doesNotThrow(() => parseFleet({ $simulator: { timeline: [{ afterWriteTo: 'er1', afterMs: 0, path: NYC1, merge: { a: 1 } }] } }));
  });
});
