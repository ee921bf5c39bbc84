import { strict as assert } from 'node:assert';
import {
  buildScaleFleet,
  FAILURE_MODES,
  NEAR_LIMIT_ROUTES,
  startSimulator,
  type FailureMode,
  type RunningSimulator,
} from '../../src/simulator';
import { ManualClock, rawRequest } from './raw-request';

const T0 = Date.UTC(2026, 0, 5, 3, 0, 0);

describe('simulator: the scale fleet across tenants', () => {
  it('should spread circuits over every subscription of every tenant, each tenant keeping its own subscription ids', () => {
    const { fleet, tenants, subscriptions, modes } = buildScaleFleet({
      circuits: 40,
      subscriptions: 2,
      tenantIds: ['tenant-a', 'tenant-b'],
      now: T0,
    });
    assert.deepEqual(
      tenants.map((t) => [t.tenantId, t.subscriptions.length]),
      [
        ['tenant-a', 2],
        ['tenant-b', 2],
      ],
    );
    assert.deepEqual(tenants[0]?.subscriptions, buildScaleFleet({ circuits: 1, subscriptions: 2, tenantId: 'tenant-a' }).subscriptions);
    assert.deepEqual(
      subscriptions,
      tenants.flatMap((t) => t.subscriptions),
    );
    const circuits = Object.keys(fleet).filter((k) => /\/expressRouteCircuits\/[^/]+$/.test(k));
    for (const sub of subscriptions) assert.equal(circuits.filter((c) => c.includes(sub)).length, 10);
    assert.deepEqual(modes, {}, 'no failures unless asked');
  });

  it('should keep the default output a single tenant with no failures', () => {
    const { tenants, subscriptions, modes } = buildScaleFleet({ circuits: 3, subscriptions: 1, tenantId: 't1' });
    assert.deepEqual(tenants, [{ tenantId: 't1', subscriptions }]);
    assert.deepEqual(modes, {});
  });
});

describe('simulator: the scale fleet with every failure mode sprinkled in', () => {
  let sim: RunningSimulator;
  let fleet: Record<string, unknown>;
  let modes: Record<string, FailureMode>;
  const idOf = (name: string) => {
    const id = Object.keys(fleet).find((k) => k.endsWith(`/expressRouteCircuits/${name}`));
    assert.ok(id, name);
    return id;
  };
  const circuitWith = (mode: FailureMode) => {
    const name = Object.entries(modes).find(([, m]) => m === mode)?.[0];
    assert.ok(name, `no circuit shows ${mode}`);
    return idOf(name);
  };
  const series = async (id: string, metric: string, filter?: string) => {
    const q = new URLSearchParams({
      'api-version': '2019-07-01',
      metricnames: metric,
      interval: 'PT30M',
      ...(filter ? { $filter: filter } : {}),
    });
    const r = await rawRequest(sim, 'GET', `${id}/providers/Microsoft.Insights/metrics?${q.toString()}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const m = (
      r.body?.value as Array<{ timeseries: Array<{ metadatavalues: Array<{ value: string }>; data: Array<{ average?: number }> }> }>
    )[0];
    return Object.fromEntries(
      (m?.timeseries ?? []).map((s) => [
        s.metadatavalues.map((d) => d.value).join('/') || 'all',
        s.data.map((p) => p.average).filter((a) => a !== undefined),
      ]),
    );
  };

  before(async () => {
    const built = buildScaleFleet({ circuits: 35, subscriptions: 3, failures: true, now: T0 });
    fleet = built.fleet;
    modes = built.modes;
    sim = await startSimulator({ fleet: built.fleet, clock: new ManualClock(T0), settings: { resourceGraph: false } });
  });
  after(() => sim.close());

  it('should give every fifth circuit the next failure mode, deterministically', () => {
    assert.equal(Object.keys(modes).length, 7);
    assert.deepEqual(Object.values(modes), [...FAILURE_MODES]);
    assert.deepEqual(Object.keys(modes), ['er-0001', 'er-0006', 'er-0011', 'er-0016', 'er-0021', 'er-0026', 'er-0031']);
    assert.deepEqual(buildScaleFleet({ circuits: 35, subscriptions: 3, failures: true, now: T0 }).modes, modes);
    assert.equal(Object.keys(buildScaleFleet({ circuits: 35, subscriptions: 3, failures: { every: 10 } }).modes).length, 4);
  });

  it('should show only the failure modes asked for, in turn, and refuse an empty list of them', () => {
    // A fleet-wide outage is every circuit down on both links.
    const outage = buildScaleFleet({ circuits: 12, subscriptions: 3, failures: { every: 1, modes: ['bgp-both-down'] }, now: T0 }).modes;
    assert.deepEqual(new Set(Object.values(outage)), new Set(['bgp-both-down']));
    assert.equal(Object.keys(outage).length, 12);
    const two = buildScaleFleet({
      circuits: 6,
      subscriptions: 3,
      failures: { every: 2, modes: ['arp-missing', 'rate-limit-drops'] },
      now: T0,
    }).modes;
    assert.deepEqual(two, { 'er-0001': 'arp-missing', 'er-0003': 'rate-limit-drops', 'er-0005': 'arp-missing' });
    // No modes is not "every mode": it says so rather than showing what was not asked for.
    assert.throws(
      () => buildScaleFleet({ circuits: 6, subscriptions: 3, failures: { every: 2, modes: [] }, now: T0 }),
      /failures\.modes names no failure mode: name at least one, or leave it out for every mode\./,
    );
  });

  it('should show BGP down on one link, or both, in the summaries and in BgpAvailability', async () => {
    assert.deepEqual(await series(circuitWith('bgp-one-down'), 'BgpAvailability', "Peer eq '*'"), {
      'Primary-IPv4': [100, 100],
      'Secondary-IPv4': [0, 0],
    });
    assert.deepEqual(await series(circuitWith('bgp-both-down'), 'BgpAvailability', "Peer eq '*'"), {
      'Primary-IPv4': [0, 0],
      'Secondary-IPv4': [0, 0],
    });
    assert.deepEqual(await series(idOf('er-0002'), 'BgpAvailability'), { all: [100, 100] }, 'a healthy circuit');
  });

  it('should show ARP missing on a link whose BGP is up', async () => {
    const id = circuitWith('arp-missing');
    assert.deepEqual(await series(id, 'ArpAvailability', "Peer eq '*'"), { 'Primary-IPv4': [0, 0], 'Secondary-IPv4': [100, 100] });
    assert.deepEqual(await series(id, 'BgpAvailability', "Peer eq 'Primary-IPv4'"), { 'Primary-IPv4': [100, 100] });
  });

  it('should show received prefixes past 80% of the Standard limit', () => {
    const id = circuitWith('prefixes-near-limit');
    const summary = sim.resource(`${id}/peerings/AzurePrivatePeering/routeTablesSummary/primary`) as {
      value: Array<{ statePfxRcd: string }>;
    };
    assert.equal(summary.value[0]?.statePfxRcd, String(NEAR_LIMIT_ROUTES));
    assert.ok(NEAR_LIMIT_ROUTES > 0.8 * 4000 && NEAR_LIMIT_ROUTES < 4000);
    assert.equal((sim.resource(id) as { sku: { tier: string } }).sku.tier, 'Standard');
  });

  it('should show utilisation over 80% and rate-limit drops in the metrics', async () => {
    const hot = circuitWith('utilisation-high');
    const bandwidth =
      (sim.resource(hot) as { properties: { serviceProviderProperties: { bandwidthInMbps: number } } }).properties.serviceProviderProperties
        .bandwidthInMbps * 1e6;
    const primary = (await series(hot, 'BitsInPerSecond', "DeviceRole eq 'Primary'")).Primary ?? [];
    assert.ok(
      primary.every((v) => (v ?? 0) > 0.8 * bandwidth),
      `${JSON.stringify(primary)} of ${bandwidth}`,
    );
    const drops = (await series(circuitWith('rate-limit-drops'), 'QosDropBitsInPerSecond')).all ?? [];
    assert.ok(drops.length > 0 && drops.every((v) => (v ?? 0) > 0), JSON.stringify(drops));
    assert.deepEqual((await series(idOf('er-0002'), 'QosDropBitsInPerSecond')).all, [0, 0]);
  });

  it('should show a circuit its provider has not provisioned, in Resource Graph too', async () => {
    const r = await rawRequest(sim, 'POST', '/providers/Microsoft.ResourceGraph/resources?api-version=2021-03-01', {
      body: {
        query:
          "Resources | where properties.serviceProviderProvisioningState != 'Provisioned' | project name, peerings = array_length(properties.peerings)",
      },
    });
    const name = circuitWith('provider-not-provisioned').split('/').at(-1);
    assert.deepEqual(r.body?.data, [{ name, peerings: 0 }]);
  });
});
