import { strict as assert } from 'node:assert';
import { isRestError } from '@azure/core-rest-pipeline';
import type { ExpressRouteCircuit } from '@azure/arm-network';
import { DEMO_CUSTOMERS } from '../../src/demo/customers';
import { buildDemoFleet, startSimulator, type RunningSimulator } from '../../src/simulator';
import { fastPolling, networkClient } from './sdk-clients';
import { ManualClock, rawRequest } from './raw-request';

const [CONTOSO0 = ''] = DEMO_CUSTOMERS.contoso.subscriptions;
const [FABRIKAM0 = ''] = DEMO_CUSTOMERS.fabrikam.subscriptions;
const [NORTHWIND0 = ''] = DEMO_CUSTOMERS.northwind.subscriptions;
const RG = 'rg-contoso-network';
const AMS = `/subscriptions/${CONTOSO0}/resourceGroups/${RG}/providers/Microsoft.Network/expressRouteCircuits/contoso-ams-er1`;

type Body = { etag?: string; properties?: { provisioningState?: string; peerings?: Array<{ name?: string }> } };

async function rejects(p: Promise<unknown>, status: number, code: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isRestError(e), `expected a RestError, got ${String(e)}`);
    assert.equal(e.statusCode, status);
    assert.equal(e.code, code);
    return true;
  });
}

function withBandwidth(c: ExpressRouteCircuit, mbps: number): ExpressRouteCircuit {
  return { ...c, serviceProviderProperties: { ...c.serviceProviderProperties, bandwidthInMbps: mbps } };
}

describe('simulator: writes through the ARM long-running-operation protocol', () => {
  let sim: RunningSimulator;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock();
    sim = await startSimulator({ fleet: buildDemoFleet(), clock });
  });
  afterEach(() => sim.close());

  it('should raise bandwidth through beginCreateOrUpdateAndWait with a new etag and Succeeded', async () => {
    const client = networkClient(sim, CONTOSO0);
    const before = await client.expressRouteCircuits.get(RG, 'contoso-ams-er1');
    const after = await client.expressRouteCircuits.beginCreateOrUpdateAndWait(
      RG,
      'contoso-ams-er1',
      withBandwidth(before, 2000),
      fastPolling,
    );
    assert.equal(after.serviceProviderProperties?.bandwidthInMbps, 2000);
    assert.equal(after.provisioningState, 'Succeeded');
    assert.match(after.etag ?? '', /^W\/"[0-9a-f-]{36}"$/);
    assert.notEqual(after.etag, before.etag);
    assert.equal(after.peerings?.length, 2, 'a PUT with the peerings inline keeps them');
    const put = sim.requests.find((r) => r.method === 'PUT');
    assert.equal(put?.status, 200);
    assert.ok(sim.requests.some((r) => r.method === 'GET' && r.path.includes('/operations/')));
  });

  it('should show Updating while the operation runs and Succeeded once lroDurationMs has passed', async () => {
    sim.settings.lroDurationMs = 60_000;
    const client = networkClient(sim, CONTOSO0);
    const before = await client.expressRouteCircuits.get(RG, 'contoso-ams-er1');
    const poller = await client.expressRouteCircuits.beginCreateOrUpdate(RG, 'contoso-ams-er1', withBandwidth(before, 2000), fastPolling);
    assert.equal((sim.resource(AMS) as Body).properties?.provisioningState, 'Updating');
    const op = sim.requests.find((r) => r.method === 'PUT');
    assert.equal(op?.status, 200);
    const poll = await rawRequest(sim, 'GET', AMS);
    assert.equal((poll.body as Body).properties?.provisioningState, 'Updating');
    clock.advance(60_000);
    const done = await poller.pollUntilDone();
    assert.equal(done.provisioningState, 'Succeeded');
    assert.equal((sim.resource(AMS) as Body).properties?.provisioningState, 'Succeeded');
  });

  it('should refuse a second write on the same circuit while one runs: 429 RetryableErrorDueToAnotherOperation', async () => {
    sim.settings.lroDurationMs = 60_000;
    const client = networkClient(sim, CONTOSO0);
    const before = await client.expressRouteCircuits.get(RG, 'contoso-ams-er1');
    await client.expressRouteCircuits.beginCreateOrUpdate(RG, 'contoso-ams-er1', withBandwidth(before, 2000), fastPolling);
    await rejects(
      client.expressRouteCircuits.beginCreateOrUpdateAndWait(RG, 'contoso-ams-er1', withBandwidth(before, 5000), fastPolling),
      429,
      'RetryableErrorDueToAnotherOperation',
    );
    const peering = await client.expressRouteCircuitPeerings.get(RG, 'contoso-ams-er1', 'AzurePrivatePeering');
    await rejects(
      client.expressRouteCircuitPeerings.beginCreateOrUpdateAndWait(
        RG,
        'contoso-ams-er1',
        'AzurePrivatePeering',
        { ...peering, peerASN: 65099 },
        fastPolling,
      ),
      429,
      'RetryableErrorDueToAnotherOperation',
    );
    // Another circuit is not locked.
    const lon = await client.expressRouteCircuits.get(RG, 'contoso-lon-er2');
    await client.expressRouteCircuits.beginCreateOrUpdate(RG, 'contoso-lon-er2', withBandwidth(lon, 2000), fastPolling);
  });

  it('should refuse writes on a circuit the fixture shows as Updating', async () => {
    const client = networkClient(sim, NORTHWIND0);
    const er2 = await client.expressRouteCircuits.get('rg-northwind', 'northwind-nyc-er2');
    await rejects(
      client.expressRouteCircuits.beginCreateOrUpdateAndWait('rg-northwind', 'northwind-nyc-er2', withBandwidth(er2, 2000), fastPolling),
      429,
      'RetryableErrorDueToAnotherOperation',
    );
  });

  it('should reject a bandwidth decrease with 400 and leave the circuit unchanged', async () => {
    const client = networkClient(sim, CONTOSO0);
    const before = await client.expressRouteCircuits.get(RG, 'contoso-ams-er1');
    await rejects(
      client.expressRouteCircuits.beginCreateOrUpdateAndWait(RG, 'contoso-ams-er1', withBandwidth(before, 500), fastPolling),
      400,
      'CircuitBandwidthDecreaseNotAllowed',
    );
    const after = await client.expressRouteCircuits.get(RG, 'contoso-ams-er1');
    assert.equal(after.serviceProviderProperties?.bandwidthInMbps, 1000);
    assert.equal(after.etag, before.etag);
  });

  it('should reject UnlimitedData → MeteredData, an unoffered bandwidth and Premium → Standard over 4,000 routes, but raise a Direct circuit within its port', async () => {
    const fab = networkClient(sim, FABRIKAM0);
    const dal = await fab.expressRouteCircuits.get('rg-fabrikam-er', 'fabrikam-dal-er1');
    await rejects(
      fab.expressRouteCircuits.beginCreateOrUpdateAndWait(
        'rg-fabrikam-er',
        'fabrikam-dal-er1',
        { ...dal, sku: { tier: 'Premium', family: 'MeteredData' } },
        fastPolling,
      ),
      400,
      'CircuitSkuFamilyDowngradeNotAllowed',
    );
    await rejects(
      fab.expressRouteCircuits.beginCreateOrUpdateAndWait('rg-fabrikam-er', 'fabrikam-dal-er1', withBandwidth(dal, 3000), fastPolling),
      400,
      'InvalidCircuitBandwidth',
    );
    await rejects(
      fab.expressRouteCircuits.beginCreateOrUpdateAndWait(
        'rg-fabrikam-er',
        'fabrikam-dal-er1',
        { ...dal, sku: { tier: 'Standard', family: 'UnlimitedData' } },
        fastPolling,
      ),
      400,
      'CircuitSkuDowngradeNotAllowed',
    );
    const chi = await fab.expressRouteCircuits.get('rg-fabrikam-er', 'fabrikam-chi-direct');
    const up = await fab.expressRouteCircuits.beginCreateOrUpdateAndWait(
      'rg-fabrikam-er',
      'fabrikam-chi-direct',
      { ...chi, bandwidthInGbps: 40 },
      fastPolling,
    );
    assert.equal(up.bandwidthInGbps, 40);
  });

  it('should refuse peering changes on a circuit the provider has not provisioned', async () => {
    const client = networkClient(sim, CONTOSO0);
    await rejects(
      client.expressRouteCircuitPeerings.beginCreateOrUpdateAndWait(
        RG,
        'contoso-fra-er3',
        'AzurePrivatePeering',
        {
          peeringType: 'AzurePrivatePeering',
          peerASN: 65010,
          vlanId: 150,
          primaryPeerAddressPrefix: '10.9.0.0/30',
          secondaryPeerAddressPrefix: '10.9.0.4/30',
        },
        fastPolling,
      ),
      400,
      'ExpressRouteCircuitNotProvisioned',
    );
  });

  it('should create a peering that then shows inside the circuit, refuse a clashing VLAN, and delete it again', async () => {
    const client = networkClient(sim, CONTOSO0);
    const circuitBefore = await client.expressRouteCircuits.get(RG, 'contoso-lon-er2');
    const created = await client.expressRouteCircuitPeerings.beginCreateOrUpdateAndWait(
      RG,
      'contoso-lon-er2',
      'MicrosoftPeering',
      {
        peeringType: 'MicrosoftPeering',
        peerASN: 64496,
        vlanId: 210,
        primaryPeerAddressPrefix: '203.0.113.8/30',
        secondaryPeerAddressPrefix: '203.0.113.12/30',
      },
      fastPolling,
    );
    assert.equal(created.provisioningState, 'Succeeded');
    assert.equal(created.azureASN, 12076);
    const circuit = await client.expressRouteCircuits.get(RG, 'contoso-lon-er2');
    assert.deepEqual(
      circuit.peerings?.map((p) => p.name),
      ['AzurePrivatePeering', 'MicrosoftPeering'],
    );
    assert.notEqual(circuit.etag, circuitBefore.etag, 'a child write changes the parent etag too');
    await rejects(
      client.expressRouteCircuitPeerings.beginCreateOrUpdateAndWait(
        RG,
        'contoso-lon-er2',
        'MicrosoftPeering',
        { ...created, vlanId: 110 },
        fastPolling,
      ),
      400,
      'VlanIdAlreadyInUse',
    );
    await client.expressRouteCircuitPeerings.beginDeleteAndWait(RG, 'contoso-lon-er2', 'MicrosoftPeering', fastPolling);
    const afterDelete = await client.expressRouteCircuits.get(RG, 'contoso-lon-er2');
    assert.deepEqual(
      afterDelete.peerings?.map((p) => p.name),
      ['AzurePrivatePeering'],
    );
    const again = await rawRequest(
      sim,
      'DELETE',
      `/subscriptions/${CONTOSO0}/resourceGroups/${RG}/providers/Microsoft.Network/expressRouteCircuits/contoso-lon-er2/peerings/MicrosoftPeering`,
    );
    assert.equal(again.status, 204);
  });

  it('should update tags with PATCH synchronously and a new etag', async () => {
    const client = networkClient(sim, CONTOSO0);
    const before = await client.expressRouteCircuits.get(RG, 'contoso-ams-er1');
    const after = await client.expressRouteCircuits.updateTags(RG, 'contoso-ams-er1', { tags: { costCentre: '42' } });
    assert.deepEqual(after.tags, { costCentre: '42' });
    assert.notEqual(after.etag, before.etag);
    assert.equal(after.provisioningState, 'Succeeded');
  });

  it('should enforce the route filter rules: one Allow rule with Microsoft communities', async () => {
    const client = networkClient(sim, CONTOSO0);
    await rejects(
      client.routeFilterRules.beginCreateOrUpdateAndWait(
        RG,
        'rf-contoso-m365',
        'second-rule',
        { access: 'Allow', routeFilterRuleType: 'Community', communities: ['12076:5020'] },
        fastPolling,
      ),
      400,
      'RouteFilterRuleLimitExceeded',
    );
    await rejects(
      client.routeFilterRules.beginCreateOrUpdateAndWait(
        RG,
        'rf-contoso-m365',
        'allow-m365-and-westeurope',
        { access: 'Allow', routeFilterRuleType: 'Community', communities: ['65000:100'] },
        fastPolling,
      ),
      400,
      'InvalidBgpCommunity',
    );
    const rule = await client.routeFilterRules.beginCreateOrUpdateAndWait(
      RG,
      'rf-contoso-m365',
      'allow-m365-and-westeurope',
      { access: 'Allow', routeFilterRuleType: 'Community', communities: ['12076:5010', '12076:5020'] },
      fastPolling,
    );
    assert.deepEqual(rule.communities, ['12076:5010', '12076:5020']);
    const rf = await client.routeFilters.get(RG, 'rf-contoso-m365');
    assert.deepEqual(rf.rules?.[0]?.communities, ['12076:5010', '12076:5020']);
  });

  it('should add a route to a route table and delete a whole circuit', async () => {
    const nw = networkClient(sim, NORTHWIND0);
    await nw.routes.beginCreateOrUpdateAndWait(
      'rg-northwind',
      'rt-northwind-fw',
      'to-onprem',
      { addressPrefix: '192.168.0.0/16', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.10.0.4' },
      fastPolling,
    );
    const rt = await nw.routeTables.get('rg-northwind', 'rt-northwind-fw');
    assert.deepEqual(
      rt.routes?.map((r) => r.name),
      ['default-to-firewall', 'rfc1918-10-to-firewall', 'to-onprem'],
    );
    await nw.expressRouteCircuits.beginDeleteAndWait('rg-northwind', 'northwind-wdc-er3', fastPolling);
    await rejects(nw.expressRouteCircuits.get('rg-northwind', 'northwind-wdc-er3'), 404, 'ResourceNotFound');
    await rejects(nw.expressRouteCircuitPeerings.get('rg-northwind', 'northwind-wdc-er3', 'AzurePrivatePeering'), 404, 'ResourceNotFound');
  });
});
