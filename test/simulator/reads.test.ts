import { strict as assert } from 'node:assert';
import { isRestError } from '@azure/core-rest-pipeline';
import { DEMO_CUSTOMERS } from '../../src/demo/customers';
import { buildDemoFleet, buildScaleFleet, parseFleet, startSimulator, type RunningSimulator } from '../../src/simulator';
import { collect, fastPolling, monitorClient, networkClient } from './sdk-clients';
import { rawRequest } from './raw-request';

const [CONTOSO0 = ''] = DEMO_CUSTOMERS.contoso.subscriptions;
const [FABRIKAM0 = ''] = DEMO_CUSTOMERS.fabrikam.subscriptions;
const [NORTHWIND0 = ''] = DEMO_CUSTOMERS.northwind.subscriptions;
const CONTOSO_RG = 'rg-contoso-network';
const AMS = `/subscriptions/${CONTOSO0}/resourceGroups/${CONTOSO_RG}/providers/Microsoft.Network/expressRouteCircuits/contoso-ams-er1`;

async function rejects(p: Promise<unknown>, status: number, code: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isRestError(e), `expected a RestError, got ${String(e)}`);
    assert.equal(e.statusCode, status);
    assert.equal(e.code, code);
    return true;
  });
}

describe('simulator: reads through the real SDK (demo fleet)', () => {
  let sim: RunningSimulator;
  before(async () => {
    // Instant device reads: the demo fleet's own 3-second reads are covered in device-reads.test.ts.
    sim = await startSimulator({ fleet: buildDemoFleet(), settings: { deviceReadMs: 0 } });
  });
  after(() => sim.close());

  it('should serve a circuit with its peerings inline, and each peering at its own path too', async () => {
    const client = networkClient(sim, CONTOSO0);
    const circuit = await client.expressRouteCircuits.get(CONTOSO_RG, 'contoso-ams-er1');
    assert.equal(circuit.serviceProviderProperties?.bandwidthInMbps, 1000);
    assert.equal(circuit.sku?.family, 'MeteredData');
    assert.deepEqual(
      circuit.peerings?.map((p) => p.name),
      ['AzurePrivatePeering', 'MicrosoftPeering'],
    );
    const peering = await client.expressRouteCircuitPeerings.get(CONTOSO_RG, 'contoso-ams-er1', 'MicrosoftPeering');
    assert.match(peering.routeFilter?.id ?? '', /routeFilters\/rf-contoso-m365$/);
    const listed = await collect(client.expressRouteCircuitPeerings.list(CONTOSO_RG, 'contoso-ams-er1'));
    assert.equal(listed.length, 2);
  });

  it('should match ids case-insensitively, like ARM', async () => {
    const client = networkClient(sim, CONTOSO0.toUpperCase());
    const circuit = await client.expressRouteCircuits.get(CONTOSO_RG.toUpperCase(), 'CONTOSO-AMS-ER1');
    assert.equal(circuit.name, 'contoso-ams-er1');
  });

  it('should list circuits per subscription across resource groups, and per resource group', async () => {
    const client = networkClient(sim, NORTHWIND0);
    const all = await collect(client.expressRouteCircuits.listAll());
    assert.deepEqual(all.map((c) => c.name).sort(), ['er-shared', 'northwind-nyc-er1', 'northwind-nyc-er2', 'northwind-wdc-er3']);
    const inRg = await collect(networkClient(sim, CONTOSO0).expressRouteCircuits.list(CONTOSO_RG));
    assert.deepEqual(
      inRg.map((c) => c.name),
      ['contoso-ams-er1', 'contoso-lon-er2', 'contoso-fra-er3'],
    );
  });

  it('should read route summaries, route tables and ARP as long-running POSTs', async () => {
    const er = networkClient(sim, FABRIKAM0).expressRouteCircuits;
    const summary = await er.beginListRoutesTableSummaryAndWait(
      'rg-fabrikam-er',
      'fabrikam-dal-er1',
      'AzurePrivatePeering',
      'primary',
      fastPolling,
    );
    assert.equal(summary.value?.[0]?.statePfxRcd, '9000');
    const routes = await er.beginListRoutesTableAndWait(
      'rg-fabrikam-er',
      'fabrikam-dal-er1',
      'AzurePrivatePeering',
      'secondary',
      fastPolling,
    );
    assert.ok((routes.value?.length ?? 0) >= 9000);
    const lon = networkClient(sim, CONTOSO0).expressRouteCircuits;
    const down = await lon.beginListRoutesTableSummaryAndWait(
      CONTOSO_RG,
      'contoso-lon-er2',
      'AzurePrivatePeering',
      'secondary',
      fastPolling,
    );
    assert.match(down.value?.[0]?.statePfxRcd ?? '', /^(Idle|Active)$/);
    const arp = await lon.beginListArpTableAndWait(CONTOSO_RG, 'contoso-lon-er2', 'AzurePrivatePeering', 'primary', fastPolling);
    assert.equal(arp.value?.length, 2);
    const noArp = await lon.beginListArpTableAndWait(CONTOSO_RG, 'contoso-lon-er2', 'AzurePrivatePeering', 'secondary', fastPolling);
    assert.deepEqual(noArp.value, []);
    const post = sim.requests.find((r) => r.method === 'POST' && r.path.endsWith('/arpTables/primary'));
    assert.equal(post?.status, 202);
  });

  it('should answer an empty table for a peering without fixture rows, and 404 for a missing peering or circuit', async () => {
    const fleet = buildDemoFleet();
    delete fleet[`${AMS}/peerings/AzurePrivatePeering/arpTables/primary`];
    const bare = await startSimulator({ fleet, settings: { deviceReadMs: 0 } });
    try {
      const er = networkClient(bare, CONTOSO0).expressRouteCircuits;
      const empty = await er.beginListArpTableAndWait(CONTOSO_RG, 'contoso-ams-er1', 'AzurePrivatePeering', 'primary', fastPolling);
      assert.deepEqual(empty.value, []);
      await rejects(
        er.beginListArpTableAndWait(CONTOSO_RG, 'contoso-fra-er3', 'AzurePrivatePeering', 'primary', fastPolling),
        404,
        'ResourceNotFound',
      );
      await rejects(
        er.beginListArpTableAndWait(CONTOSO_RG, 'nope', 'AzurePrivatePeering', 'primary', fastPolling),
        404,
        'ResourceNotFound',
      );
    } finally {
      await bare.close();
    }
  });

  it('should keep a device read InProgress for deviceReadMs, with Retry-After, then answer the rows', async () => {
    const slow = await startSimulator({ fleet: buildDemoFleet(), settings: { deviceReadMs: 150 } });
    try {
      const er = networkClient(slow, CONTOSO0).expressRouteCircuits;
      const rows = await er.beginListRoutesTableAndWait(CONTOSO_RG, 'contoso-ams-er1', 'AzurePrivatePeering', 'primary', {
        updateIntervalInMs: 20,
      });
      assert.ok((rows.value?.length ?? 0) >= 48);
      const polls = slow.requests.filter((r) => r.path.includes('/operationResults/'));
      assert.ok(polls.length >= 2, `expected several polls, got ${polls.length}`);
      assert.equal(polls[0]?.status, 202);
      assert.equal(polls.at(-1)?.status, 200);
      slow.settings.lroRetryAfterSeconds = 7;
      const first = await rawRequest(slow, 'POST', `${AMS}/peerings/AzurePrivatePeering/arpTables/primary`);
      assert.equal(first.status, 202);
      assert.equal(first.headers['retry-after'], '7');
      const poll = await rawRequest(slow, 'GET', String(first.headers.location));
      assert.equal(poll.status, 202);
      assert.equal(poll.headers['retry-after'], '7');
    } finally {
      await slow.close();
    }
  });

  it('should serve circuit and peering stats, with zeros when the fixture has none', async () => {
    const er = networkClient(sim, CONTOSO0).expressRouteCircuits;
    const stats = await er.getStats(CONTOSO_RG, 'contoso-ams-er1');
    assert.ok((stats.primarybytesIn ?? 0) > 0);
    const peeringStats = await er.getPeeringStats(CONTOSO_RG, 'contoso-ams-er1', 'AzurePrivatePeering');
    assert.ok((peeringStats.secondarybytesOut ?? 0) > 0);
    const fra = await er.getStats(CONTOSO_RG, 'contoso-fra-er3');
    assert.ok(fra.primarybytesIn !== undefined);
    const fleet = parseFleet({ [AMS]: buildDemoFleet()[AMS] });
    const bare = await startSimulator({ fleet });
    try {
      const zero = await networkClient(bare, CONTOSO0).expressRouteCircuits.getStats(CONTOSO_RG, 'contoso-ams-er1');
      assert.deepEqual([zero.primarybytesIn, zero.secondarybytesOut], [0, 0]);
    } finally {
      await bare.close();
    }
  });

  it('should serve Azure Monitor metrics through arm-monitor, narrowed to the requested metric names', async () => {
    const sea = `/subscriptions/${FABRIKAM0}/resourceGroups/rg-fabrikam-er/providers/Microsoft.Network/expressRouteCircuits/fabrikam-sea-er3`;
    const monitor = monitorClient(sim, FABRIKAM0);
    const both = await monitor.metrics.list(sea.slice(1), {
      metricnames: 'BitsInPerSecond,BitsOutPerSecond',
      aggregation: 'Average,Maximum',
      interval: 'PT1M',
      filter: "DeviceRole eq '*'",
    });
    assert.deepEqual(
      both.value.map((m) => m.name.value),
      ['BitsInPerSecond', 'BitsOutPerSecond'],
    );
    const bitsIn = both.value[0];
    const primary = bitsIn?.timeseries?.find((t) => t.metadatavalues?.[0]?.value === 'Primary');
    const points = primary?.data ?? [];
    const avg = points.reduce((s, p) => s + (p.average ?? 0), 0) / points.length;
    assert.ok(avg > 0.8e9 && avg < 0.95e9, `fabrikam-sea-er3 should run at 85-90% of 1 Gbps in, got ${avg}`);
    const onlyIn = await monitor.metrics.list(sea, { metricnames: 'BitsInPerSecond' });
    assert.equal(onlyIn.value.length, 1);
    assert.deepEqual(
      onlyIn.value[0]?.timeseries?.map((t) => t.metadatavalues),
      [[]],
      'without a filter the roles are aggregated into one series',
    );
    // A circuit without peerings (waiting for its provider) has the metric but no series.
    const fra = `/subscriptions/${CONTOSO0}/resourceGroups/${CONTOSO_RG}/providers/Microsoft.Network/expressRouteCircuits/contoso-fra-er3`;
    const none = await monitorClient(sim, CONTOSO0).metrics.list(fra.slice(1), { metricnames: 'BitsInPerSecond' });
    assert.deepEqual(
      none.value.map((m) => [m.name.value, m.timeseries]),
      [['BitsInPerSecond', []]],
    );
  });

  it('should serve route filters, user-defined route tables, ExpressRoute ports and BGP service communities', async () => {
    const contoso = networkClient(sim, CONTOSO0);
    const rf = await contoso.routeFilters.get(CONTOSO_RG, 'rf-contoso-m365');
    assert.deepEqual(rf.rules?.[0]?.communities, ['12076:5010', '12076:51002']);
    const communities = await collect(contoso.bgpServiceCommunities.list());
    assert.ok(communities.some((c) => c.bgpCommunities?.[0]?.communityValue === '12076:5010'));
    // Regional communities as Microsoft publishes them (ExpressRoute routing requirements, BGP community table).
    const regional: Record<string, string | undefined> = Object.fromEntries(
      communities.map((c) => [c.name ?? '', c.bgpCommunities?.[0]?.communityValue]),
    );
    assert.equal(regional.azurewesteurope, '12076:51002');
    assert.equal(regional.azureeastus, '12076:51004');
    const nw = networkClient(sim, NORTHWIND0);
    const tables = await collect(nw.routeTables.list('rg-northwind'));
    const fw = tables.find((t) => t.name === 'rt-northwind-fw');
    assert.deepEqual(
      fw?.routes?.map((r) => [r.addressPrefix, r.nextHopType, r.nextHopIpAddress]),
      [
        ['0.0.0.0/0', 'VirtualAppliance', '10.10.0.4'],
        ['10.0.0.0/8', 'VirtualAppliance', '10.10.0.4'],
      ],
    );
    assert.equal(fw?.subnets?.length, 1);
    const fab = networkClient(sim, FABRIKAM0);
    const direct = await fab.expressRouteCircuits.get('rg-fabrikam-er', 'fabrikam-chi-direct');
    assert.equal(direct.bandwidthInGbps, 10);
    const port = await fab.expressRoutePorts.get('rg-fabrikam-er', direct.expressRoutePort?.id?.split('/').at(-1) ?? '');
    assert.equal(port.bandwidthInGbps, 100);
    const auths = await collect(fab.expressRouteCircuitAuthorizations.list('rg-fabrikam-er', 'fabrikam-sea-er3'));
    assert.ok(auths.some((a) => a.authorizationUseStatus === 'InUse'));
  });

  it("should answer unknown resources with ARM's 404 codes and error body", async () => {
    const client = networkClient(sim, CONTOSO0);
    await rejects(client.expressRouteCircuits.get(CONTOSO_RG, 'no-such-circuit'), 404, 'ResourceNotFound');
    await rejects(client.expressRouteCircuits.get('rg-nope', 'contoso-ams-er1'), 404, 'ResourceGroupNotFound');
    const raw = await rawRequest(sim, 'GET', `${AMS}/peerings/AzurePublicPeering`);
    assert.equal(raw.status, 404);
    assert.equal(raw.body?.error?.code, 'ResourceNotFound');
    assert.match(raw.body?.error?.message ?? '', /AzurePublicPeering/);
    assert.match(String(raw.headers['x-ms-correlation-request-id']), /^[0-9a-f-]{36}$/);
    assert.match(String(raw.headers['x-ms-request-id']), /^[0-9a-f-]{36}$/);
  });

  it('should require a bearer token (401 with an ARM error body) and record every request', async () => {
    const before = sim.requests.length;
    const raw = await rawRequest(sim, 'GET', AMS, { bearer: false });
    assert.equal(raw.status, 401);
    assert.equal(raw.body?.error?.code, 'AuthenticationFailed');
    const entry = sim.requests[before];
    assert.deepEqual(
      [entry?.method, entry?.path, entry?.status, entry?.hasBearer, entry?.subscriptionId],
      ['GET', AMS, 401, false, CONTOSO0],
    );
    assert.equal(entry?.query['api-version'], '2024-05-01');
  });

  it('should page lists with an absolute nextLink, and the SDK should follow it to the end', async () => {
    const { fleet, subscriptions } = buildScaleFleet({ circuits: 250, subscriptions: 1 });
    const big = await startSimulator({ fleet, settings: { pageSize: 100 } });
    try {
      const client = networkClient(big, subscriptions[0] ?? '');
      const names = (await collect(client.expressRouteCircuits.listAll())).map((c) => c.name);
      assert.equal(names.length, 250);
      assert.equal(new Set(names).size, 250);
      const lists = big.requests.filter((r) => r.path.endsWith('/expressRouteCircuits'));
      assert.equal(lists.length, 3);
      const first = await rawRequest(big, 'GET', `/subscriptions/${subscriptions[0]}/providers/Microsoft.Network/expressRouteCircuits`);
      assert.equal(first.body?.value?.length, 100);
      assert.ok(first.body?.nextLink?.startsWith(`${big.url}/subscriptions/`));
    } finally {
      await big.close();
    }
  });
});
