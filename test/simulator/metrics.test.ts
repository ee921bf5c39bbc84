import { strict as assert } from 'node:assert';
import { isRestError } from '@azure/core-rest-pipeline';
import { DEMO_CUSTOMERS } from '../../src/demo/customers';
import { buildDemoFleet, startSimulator, type RunningSimulator } from '../../src/simulator';
import { CIRCUIT, handFleet, OTHER_REGION, SUB } from './metrics-fleet';
import { ManualClock, rawRequest, type RawResponse } from './raw-request';
import { metricsClient, monitorClient } from './sdk-clients';

const NS = 'Microsoft.Network/expressRouteCircuits';
const [NORTHWIND0 = ''] = DEMO_CUSTOMERS.northwind.subscriptions;
const [CONTOSO0 = ''] = DEMO_CUSTOMERS.contoso.subscriptions;
const nw = (name: string) =>
  `/subscriptions/${NORTHWIND0}/resourceGroups/rg-northwind/providers/Microsoft.Network/expressRouteCircuits/${name}`;
const contoso = (name: string) =>
  `/subscriptions/${CONTOSO0}/resourceGroups/rg-contoso-network/providers/Microsoft.Network/expressRouteCircuits/${name}`;
const T0 = Date.UTC(2026, 0, 5, 3, 0, 0);
const MIN = 60_000;

interface Series {
  metadatavalues: Array<{ name: { value: string }; value: string }>;
  data: Array<Record<string, number | string>>;
}
interface MetricBody {
  name: { value: string; localizedValue: string };
  timeseries: Series[];
  errorCode?: string;
}

function batch(sim: RunningSimulator, sub: string, ids: unknown, params: Record<string, string>, token?: string): Promise<RawResponse> {
  const q = new URLSearchParams({ 'api-version': '2024-02-01', metricnamespace: NS, ...params });
  return rawRequest(sim, 'POST', `/subscriptions/${sub}/metrics:getBatch?${q.toString()}`, {
    body: { resourceids: ids },
    ...(token ? { token } : {}),
  });
}

async function perResource(sim: RunningSimulator, id: string, params: Record<string, string>): Promise<RawResponse> {
  const q = new URLSearchParams({
    'api-version': '2019-07-01',
    timespan: `${new Date(T0 - 30 * MIN).toISOString()}/${new Date(T0).toISOString()}`,
    ...params,
  });
  return rawRequest(sim, 'GET', `${id}/providers/Microsoft.Insights/metrics?${q.toString()}`);
}

function metric(r: RawResponse, name: string): MetricBody {
  const m = ((r.body?.value ?? []) as MetricBody[]).find((x) => x.name.value === name);
  assert.ok(m, `no ${name} in ${JSON.stringify(r.body).slice(0, 300)}`);
  return m;
}

/** dimension values joined by '/' → the averages of the series' points. */
function averages(m: MetricBody): Record<string, Array<number | undefined>> {
  return Object.fromEntries(
    m.timeseries.map((s) => [s.metadatavalues.map((d) => d.value).join('/'), s.data.map((p) => p.average as number | undefined)]),
  );
}

describe('simulator: Azure Monitor metrics:getBatch through MetricsClient', () => {
  let sim: RunningSimulator;
  const clock = new ManualClock(T0);
  before(async () => {
    sim = await startSimulator({ fleet: buildDemoFleet({ now: T0 }), clock, settings: { deviceReadMs: 0 } });
  });
  after(() => sim.close());

  it('should answer BGP availability per peering and peer for circuits of one subscription, region and type', async () => {
    const ids = [nw('northwind-nyc-er1'), nw('northwind-wdc-er3')];
    const results = await metricsClient(sim).queryResources(ids, ['BgpAvailability'], NS, {
      startTime: new Date(T0 - 30 * MIN),
      endTime: new Date(T0),
      interval: 'PT5M',
      aggregation: 'Average',
      filter: "PeeringType eq '*' and Peer eq '*'",
    });
    assert.deepEqual(
      results.map((r) => [r.resourceId, r.resourceRegion, r.granularity]),
      ids.map((id) => [id, 'eastus', 'PT5M']),
    );
    const [nyc, wdc] = results;
    // The SDK names a metric by its localized name, as Azure Monitor sends it.
    assert.equal(nyc?.metrics[0]?.name, 'Bgp Availability');
    const byPeer = (r: (typeof results)[number] | undefined) =>
      Object.fromEntries(
        (r?.metrics[0]?.timeseries ?? []).map((s) => [
          s.metadatavalues?.map((m) => m.value).join('/') ?? '',
          s.data?.map((p) => p.average),
        ]),
      );
    assert.deepEqual(byPeer(nyc), {
      'PrivatePeering/Primary-IPv4': [100, 100, 100, 100, 100, 100],
      'PrivatePeering/Secondary-IPv4': [100, 100, 100, 100, 100, 100],
    });
    assert.deepEqual(byPeer(wdc), {
      'PrivatePeering/Primary-IPv4': [0, 0, 0, 0, 0, 0],
      'PrivatePeering/Secondary-IPv4': [0, 0, 0, 0, 0, 0],
    });
  });

  it("should serve BitsIn/OutPerSecond from a circuit's metrics fixture, split by DeviceRole", async () => {
    const sea = `/subscriptions/${DEMO_CUSTOMERS.fabrikam.subscriptions[0]}/resourceGroups/rg-fabrikam-er/providers/Microsoft.Network/expressRouteCircuits/fabrikam-sea-er3`;
    const [r] = await metricsClient(sim).queryResources([sea], ['BitsInPerSecond'], NS, {
      endTime: new Date(T0),
      filter: "DeviceRole eq '*'",
      aggregation: 'Average,Maximum',
    });
    const primary = r?.metrics[0]?.timeseries.find((s) => s.metadatavalues?.[0]?.value === 'Primary');
    const points = (primary?.data ?? []).filter((p) => typeof p.average === 'number');
    assert.equal(points.length, 60);
    const avg = points.reduce((s, p) => s + (p.average ?? 0), 0) / points.length;
    assert.ok(avg > 0.8e9 && avg < 0.95e9, `fabrikam-sea-er3 runs hot: ${avg}`);
  });

  it('should refuse batches that mix subscriptions, regions or types, or name none or more than 50 ids', async () => {
    const refused = async (sub: string, ids: unknown, pattern: RegExp) => {
      const r = await batch(sim, sub, ids, { metricnames: 'BgpAvailability' });
      assert.equal(r.status, 400, JSON.stringify(ids).slice(0, 80));
      assert.equal(r.body?.error?.code, 'BadRequest');
      assert.match(r.body?.error?.message ?? '', pattern);
    };
    await refused(NORTHWIND0, [nw('northwind-nyc-er1'), contoso('contoso-ams-er1')], /same region|subscription/);
    await refused(CONTOSO0, [contoso('contoso-ams-er1'), contoso('contoso-lon-er2')], /same region/);
    await refused(
      NORTHWIND0,
      [
        nw('northwind-nyc-er1'),
        `/subscriptions/${NORTHWIND0}/resourceGroups/rg-northwind/providers/Microsoft.Network/routeTables/rt-northwind-fw`,
      ],
      /type/,
    );
    await refused(NORTHWIND0, [], /at least one/);
    await refused(NORTHWIND0, 'not-a-list', /resourceids/);
    await refused(
      NORTHWIND0,
      Array.from({ length: 51 }, (_, i) => nw(`er-${i}`)),
      /at most 50/,
    );
    await assert.rejects(
      metricsClient(sim).queryResources([nw('northwind-nyc-er1'), contoso('contoso-ams-er1')], ['BgpAvailability'], NS),
      (e: unknown) => {
        assert.ok(isRestError(e));
        assert.equal(e.statusCode, 400);
        assert.equal(e.code, 'BadRequest');
        return true;
      },
    );
    const noNamespace = await rawRequest(
      sim,
      'POST',
      `/subscriptions/${NORTHWIND0}/metrics:getBatch?api-version=2024-02-01&metricnames=BgpAvailability`,
      { body: { resourceids: [nw('northwind-nyc-er1')] } },
    );
    assert.equal(noNamespace.status, 400);
    const broken = await rawRequest(
      sim,
      'POST',
      `/subscriptions/${NORTHWIND0}/metrics:getBatch?api-version=2024-02-01&metricnamespace=${NS}&metricnames=BgpAvailability`,
      { rawBody: '{"resourceids": [' },
    );
    assert.deepEqual([broken.status, broken.body?.error?.code], [400, 'InvalidRequestContent']);
  });

  it('should answer an unknown resource id with an entry carrying ResourceNotFound, and the others normally', async () => {
    const r = await batch(sim, NORTHWIND0, [nw('northwind-nyc-er1'), nw('no-such-circuit')], { metricnames: 'BgpAvailability' });
    assert.equal(r.status, 200);
    const values = r.body?.values as Array<{ resourceid: string; value: MetricBody[] }>;
    assert.deepEqual(
      values.map((v) => [v.resourceid.split('/').at(-1), v.value[0]?.errorCode]),
      [
        ['northwind-nyc-er1', 'Success'],
        ['no-such-circuit', 'ResourceNotFound'],
      ],
    );
    assert.deepEqual(values[1]?.value[0]?.timeseries, []);
  });

  it('should refuse unknown metrics, dimensions, aggregations and intervals with 400', async () => {
    const id = [nw('northwind-nyc-er1')];
    for (const [params, pattern] of [
      [{ metricnames: 'Nope' }, /Failed to find metric configuration.*Nope/],
      [{ metricnames: 'QosDropBitsInPerSecond', filter: "PeeringType eq '*'" }, /does not support requested dimension combination/],
      [{ metricnames: 'BgpAvailability', aggregation: 'median' }, /Invalid aggregation/],
      [{ metricnames: 'BgpAvailability', interval: 'PT2M' }, /Invalid time grain/],
      [{ metricnames: 'BgpAvailability', filter: "PeeringType eq '*' or Peer eq '*'" }, /cannot separate two different metadata names/],
      [{ metricnames: 'BgpAvailability', starttime: 'yesterday' }, /starttime/],
    ] as const) {
      const r = await batch(sim, NORTHWIND0, id, params);
      assert.equal(r.status, 400, JSON.stringify(params));
      assert.match(r.body?.error?.message ?? '', pattern);
    }
    // The per-resource API's errors are not wrapped in "error".
    const single = await perResource(sim, nw('northwind-nyc-er1'), { metricnames: 'Nope' });
    assert.deepEqual([single.status, single.body?.code], [400, 'BadRequest']);
  });
});

describe('simulator: metrics derived from a hand-written fleet', () => {
  let sim: RunningSimulator;
  before(async () => {
    sim = await startSimulator({ fleet: handFleet(), clock: new ManualClock(T0) });
  });
  after(() => sim.close());

  it('should derive BGP availability from route-table summaries, with no series for a link without one', async () => {
    const r = await perResource(sim, CIRCUIT, {
      metricnames: 'BgpAvailability',
      interval: 'PT15M',
      $filter: "PeeringType eq '*' and Peer eq '*'",
    });
    assert.deepEqual(averages(metric(r, 'BgpAvailability')), {
      'PrivatePeering/Primary-IPv4': [100, 100],
      'PrivatePeering/Secondary-IPv4': [0, 0],
    });
    const merged = await perResource(sim, CIRCUIT, { metricnames: 'BgpAvailability', interval: 'PT15M' });
    assert.deepEqual(averages(metric(merged, 'BgpAvailability')), { '': [50, 50] }, 'without a filter, peers are averaged together');
  });

  it("should derive ARP availability: 100 only when the customer's side answered with a MAC address", async () => {
    const r = await perResource(sim, CIRCUIT, {
      metricnames: 'ArpAvailability',
      interval: 'PT30M',
      $filter: "Peer eq '*' and PeeringType eq '*'",
    });
    // Dimensions come in the filter's order.
    assert.deepEqual(averages(metric(r, 'ArpAvailability')), {
      'Primary-IPv4/MicrosoftPeering': [0],
      'Primary-IPv4/PrivatePeering': [100],
      'Secondary-IPv4/MicrosoftPeering': [0],
      'Secondary-IPv4/PrivatePeering': [0],
    });
  });

  it('should derive traffic: a share of the bandwidth on links with BGP up, 0 on links without', async () => {
    const r = await perResource(sim, CIRCUIT, {
      metricnames: 'BitsInPerSecond,BitsOutPerSecond',
      interval: 'PT30M',
      $filter: "DeviceRole eq '*' and PeeringType eq 'PrivatePeering'",
    });
    assert.deepEqual(averages(metric(r, 'BitsInPerSecond')), { 'Primary/PrivatePeering': [5e7], 'Secondary/PrivatePeering': [0] });
    assert.deepEqual(averages(metric(r, 'BitsOutPerSecond')), { 'Primary/PrivatePeering': [2.5e7], 'Secondary/PrivatePeering': [0] });
  });

  it('should give QosDrop metrics a 5-minute grain and no dimensions, 0 without a fixture', async () => {
    const r = await perResource(sim, CIRCUIT, {
      metricnames: 'QosDropBitsInPerSecond,QosDropBitsOutPerSecond',
      interval: 'PT1M',
      aggregation: 'Maximum',
    });
    const data = metric(r, 'QosDropBitsInPerSecond').timeseries[0]?.data ?? [];
    assert.equal(data.length, 30);
    assert.equal(data.filter((p) => p.maximum === 0).length, 6, 'one sample every five minutes');
    assert.equal(metric(r, 'QosDropBitsOutPerSecond').name.localizedValue, 'DroppedOutBitsPerSecond');
  });

  it('should aggregate per interval: Average, Minimum, Maximum, Total, Count, and FULL for one point', async () => {
    const r = await perResource(sim, CIRCUIT, {
      metricnames: 'BgpAvailability',
      interval: 'PT1H',
      aggregation: 'Average,Minimum,Maximum,Total,Count',
    });
    // 30 minutes of two peers, one sample each per minute: 60 samples of 100 or 0.
    assert.deepEqual(metric(r, 'BgpAvailability').timeseries[0]?.data, [
      { timeStamp: '2026-01-05T02:00:00Z', average: 50, minimum: 0, maximum: 100, total: 3000, count: 60 },
    ]);
    const full = await perResource(sim, CIRCUIT, { metricnames: 'BgpAvailability', interval: 'FULL', $filter: "Peer eq 'Primary-IPv4'" });
    assert.equal(full.body?.interval, 'PT30M');
    assert.deepEqual(averages(metric(full, 'BgpAvailability')), { 'Primary-IPv4': [100] });
  });

  it('should replay a stale metrics fixture as if it had just been recorded', async () => {
    const fleet = handFleet() as Record<string, unknown>;
    fleet[`${CIRCUIT}/providers/Microsoft.Insights/metrics`] = {
      timespan: '2025-01-01T00:00:00Z/2025-01-01T00:02:00Z',
      interval: 'PT1M',
      value: [
        {
          name: { value: 'BitsInPerSecond', localizedValue: 'BitsInPerSecond' },
          unit: 'BitsPerSecond',
          timeseries: [
            {
              metadatavalues: [{ name: { value: 'DeviceRole', localizedValue: 'DeviceRole' }, value: 'Primary' }],
              data: [
                { timeStamp: '2025-01-01T00:00:00Z', average: 800e6, maximum: 850e6 },
                { timeStamp: '2025-01-01T00:01:00Z', average: 820e6, maximum: 900e6 },
              ],
            },
          ],
        },
      ],
    };
    const replay = await startSimulator({ fleet: fleet, clock: new ManualClock(T0) });
    try {
      const r = await perResource(replay, CIRCUIT, {
        metricnames: 'BitsInPerSecond',
        aggregation: 'Average,Maximum',
        $filter: "DeviceRole eq '*'",
      });
      const data = metric(r, 'BitsInPerSecond').timeseries[0]?.data ?? [];
      assert.deepEqual(data.slice(-2), [
        { timeStamp: '2026-01-05T02:58:00Z', average: 800e6, maximum: 850e6 },
        { timeStamp: '2026-01-05T02:59:00Z', average: 820e6, maximum: 900e6 },
      ]);
      assert.deepEqual(data[0], { timeStamp: '2026-01-05T02:30:00Z' }, 'intervals without samples carry only their timestamp');
    } finally {
      await replay.close();
    }
  });

  it('should answer the per-resource API through arm-monitor too', async () => {
    const list = await monitorClient(sim, SUB).metrics.list(CIRCUIT.slice(1), {
      metricnames: 'BgpAvailability',
      filter: "Peer eq '*'",
      interval: 'PT5M',
      timespan: `${new Date(T0 - 10 * MIN).toISOString()}/${new Date(T0).toISOString()}`,
    });
    assert.deepEqual(
      list.value[0]?.timeseries?.map((s) => [s.metadatavalues?.[0]?.value, s.data?.map((p) => p.average)]),
      [
        ['Primary-IPv4', [100, 100]],
        ['Secondary-IPv4', [0, 0]],
      ],
    );
    assert.equal(list.resourceregion, 'westeurope');
    const other = await batch(sim, SUB, [CIRCUIT, OTHER_REGION], { metricnames: 'BgpAvailability' });
    assert.equal(other.status, 400, 'westeurope and eastus do not batch');
  });
});

describe('simulator: metrics:getBatch quota', () => {
  it('should have no quota by default, and answer 429 with Retry-After past $simulator.metrics.quota, per token', async () => {
    const clock = new ManualClock(T0);
    const sim = await startSimulator({ fleet: handFleet(), clock });
    try {
      for (let i = 0; i < 20; i++) assert.equal((await batch(sim, SUB, [CIRCUIT], { metricnames: 'BgpAvailability' })).status, 200);
      sim.settings.metrics = { quota: { queries: 2, windowMs: 60_000 } };
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await batch(sim, SUB, [CIRCUIT], { metricnames: 'BgpAvailability' })).status);
      assert.deepEqual(statuses, [200, 200, 429]);
      const throttled = await batch(sim, SUB, [CIRCUIT], { metricnames: 'BgpAvailability' });
      assert.deepEqual([throttled.status, throttled.headers['retry-after'], throttled.body?.error?.code], [429, '60', 'TooManyRequests']);
      assert.equal((await batch(sim, SUB, [CIRCUIT], { metricnames: 'BgpAvailability' }, 'someone-else')).status, 200);
      clock.advance(60_000);
      assert.equal((await batch(sim, SUB, [CIRCUIT], { metricnames: 'BgpAvailability' })).status, 200);
    } finally {
      await sim.close();
    }
  });
});
