import assert from 'node:assert/strict';
import { CodedError, ErrorCode } from '../../src/errors';
import type { Circuit } from '../../src/network/types';
import { startArmKit, type ArmKit } from './support/arm-test-kit';
import { ManualClock } from './support/manual-clock';
import { DIRECT_ID, FILTER_ID, OTHER_CIRCUIT_ID, PORT_ID, PROVIDER_ID, ROUTE_COUNT, SCOPE, SECRETS, UDR_ID } from './support/test-fleet';

const HOUR = 3_600_000;
const isCoded = (code: ErrorCode) => (e: unknown) => e instanceof CodedError && e.code === code;
const pathOf = (r: { path: string }) => (r.path.split('?')[0] ?? '').toLowerCase();

describe('ArmNetworkReader over the simulator', function () {
  this.timeout(30_000);
  let kit: ArmKit;
  let clock: ManualClock;
  let circuits: Circuit[];
  const byName = (name: string) => {
    const c = circuits.find((x) => x.name === name);
    assert.ok(c, name);
    return c;
  };

  before(async () => {
    clock = new ManualClock();
    kit = await startArmKit({ settings: { pageSize: 2, lroDurationMs: 40 }, access: { clock } });
    circuits = (await kit.access.reader.listCircuits(SCOPE)).value;
  });
  after(() => kit.close());

  it("should list the subscription's circuits across pages and only that subscription's", () => {
    assert.deepEqual(circuits.map((c) => c.name).sort(), ['er-direct', 'er-provider', 'er-small-1', 'er-small-2', 'er-small-3']);
    const pages = kit.sim.requests.filter((r) => r.method === 'GET' && pathOf(r).endsWith('/expressroutecircuits'));
    assert.equal(pages.length, 3, 'five circuits at two per page');
  });

  it('should map a provider circuit: bandwidth, sku, states, location, provider, tags', () => {
    const c = byName('er-provider');
    assert.equal(c.id, PROVIDER_ID);
    assert.equal(c.subscriptionId, SCOPE.subscriptionId);
    assert.equal(c.resourceGroup, 'rg-er');
    assert.equal(c.location, 'westeurope');
    assert.equal(c.bandwidthMbps, 1000);
    assert.deepEqual(c.sku, { tier: 'Standard', family: 'MeteredData' });
    assert.equal(c.provisioningState, 'Succeeded');
    assert.equal(c.circuitProvisioningState, 'Enabled');
    assert.equal(c.serviceProviderProvisioningState, 'Provisioned');
    assert.deepEqual(c.provider, { name: 'Equinix', peeringLocation: 'Amsterdam' });
    assert.equal(c.direct, undefined);
    assert.equal(c.globalReachEnabled, true);
    assert.deepEqual(c.tags, { env: 'prod' });
    assert.ok(c.etag);
    assert.deepEqual(c.authorizations, [{ name: 'auth-lon', useStatus: 'Available', provisioningState: 'Succeeded' }]);
  });

  it('should map peerings: kind, VLAN, ASNs, prefixes, Microsoft config, route filter, connections, stats', () => {
    const [priv, ms] = byName('er-provider').peerings;
    assert.deepEqual(priv, {
      name: 'AzurePrivatePeering',
      kind: 'private',
      state: 'Enabled',
      provisioningState: 'Succeeded',
      azureAsn: 12076,
      peerAsn: 65010,
      vlanId: 100,
      primaryPeerAddressPrefix: '192.168.16.0/30',
      secondaryPeerAddressPrefix: '192.168.16.4/30',
      primaryAzurePort: 'MSEE-AMS-1',
      secondaryAzurePort: 'MSEE-AMS-2',
      connections: ['gr-to-lon'],
      hasSharedKey: true,
      stats: { primaryBytesIn: 1, primaryBytesOut: 2, secondaryBytesIn: 3, secondaryBytesOut: 4 },
    });
    assert.equal(ms?.kind, 'microsoft');
    assert.equal(ms?.hasSharedKey, false);
    assert.deepEqual(ms?.advertisedPublicPrefixes, ['198.51.100.0/24']);
    assert.equal(ms?.customerAsn, 64496);
    assert.equal(ms?.routingRegistryName, 'ARIN');
    assert.equal(ms?.routeFilterId?.toLowerCase(), FILTER_ID.toLowerCase());
  });

  it('should never carry the MD5 key, service key or authorization key into the domain', () => {
    const text = JSON.stringify(circuits);
    for (const secret of Object.values(SECRETS)) assert.ok(!text.includes(secret), secret);
  });

  it('should map an ExpressRoute Direct circuit with its port, the port size, its peering location and encapsulation', () => {
    const c = byName('er-direct');
    assert.equal(c.bandwidthMbps, 10_000);
    assert.deepEqual(c.direct, {
      portId: PORT_ID,
      bandwidthInGbps: 10,
      portBandwidthInGbps: 100,
      portPeeringLocation: 'Chicago',
      portEncapsulation: 'QinQ',
    });
    assert.equal(c.provider, undefined);
    assert.deepEqual(c.sku, { tier: 'Premium', family: 'UnlimitedData' });
  });

  it('should get one circuit by id in any casing', async () => {
    const { value } = await kit.access.reader.getCircuit(
      SCOPE,
      PROVIDER_ID.toUpperCase().replace(SCOPE.subscriptionId.toUpperCase(), SCOPE.subscriptionId),
    );
    assert.equal(value.name, 'er-provider');
    assert.equal(value.peerings.length, 2);
  });

  it('should refuse a circuit of another subscription than the scope, without calling ARM', async () => {
    const before = kit.sim.requests.length;
    await assert.rejects(kit.access.reader.getCircuit(SCOPE, OTHER_CIRCUIT_ID), isCoded(ErrorCode.BadInput));
    await assert.rejects(kit.access.reader.getCircuit(SCOPE, 'er-provider'), isCoded(ErrorCode.BadInput));
    assert.equal(kit.sim.requests.length, before);
  });

  it('should answer ArmNotFound for a circuit that does not exist', async () => {
    await assert.rejects(
      kit.access.reader.getCircuit(SCOPE, PROVIDER_ID.replace('er-provider', 'er-gone')),
      isCoded(ErrorCode.ArmNotFound),
    );
  });

  it('should bring a 9,000-route table back whole through the long-running read', async () => {
    const { value } = await kit.access.reader.listRoutes(SCOPE, PROVIDER_ID, 'AzurePrivatePeering', 'primary');
    assert.equal(value.length, ROUTE_COUNT);
    assert.deepEqual(value[0], { network: '10.0.0.0/24', nextHop: '192.168.16.2', weight: 0, path: '65010 65020' });
    const polls = kit.sim.requests.filter((r) => r.method === 'GET' && /\/operationresults\//i.test(r.path));
    assert.ok(polls.length > 0, 'ARM answered 202 and the SDK polled the operation');
  });

  it('should read the BGP summary and the ARP table, accepting short peering names', async () => {
    const bgp = await kit.access.reader.listBgpNeighbours(SCOPE, PROVIDER_ID, 'private', 'primary');
    assert.deepEqual(bgp.value, [{ neighbor: '192.168.16.2', v: 4, as: 65010, upDown: '2d03h', statePfxRcd: '9000' }]);
    const arp = await kit.access.reader.listArp(SCOPE, PROVIDER_ID, 'Private', 'secondary');
    assert.deepEqual(arp.value[1], { age: 12, interface: 'On-Prem', ipAddress: '192.168.16.6', macAddress: '00:0d:3a:dd:ee:ff' });
  });

  it('should answer an empty table when the device has learned nothing', async () => {
    const { value } = await kit.access.reader.listArp(SCOPE, PROVIDER_ID, 'microsoft', 'primary');
    assert.deepEqual(value, []);
  });

  it('should refuse an unknown peering name or device path with BadInput', async () => {
    await assert.rejects(kit.access.reader.listArp(SCOPE, PROVIDER_ID, 'constructor', 'primary'), isCoded(ErrorCode.BadInput));
    await assert.rejects(kit.access.reader.listArp(SCOPE, PROVIDER_ID, 'private', 'tertiary' as 'primary'), isCoded(ErrorCode.BadInput));
  });

  it('should measure bandwidth from Azure Monitor metrics per link and direction', async () => {
    const { value } = await kit.access.reader.getBandwidthUsage(SCOPE, PROVIDER_ID, HOUR);
    assert.equal(value.source, 'metrics');
    assert.equal(value.windowEnd, clock.now());
    assert.equal(value.windowEnd - value.windowStart, HOUR);
    assert.deepEqual(value.links, [
      { path: 'primary', direction: 'in', averageBps: 810e6, peakBps: 900e6 },
      { path: 'primary', direction: 'out', averageBps: 100e6, peakBps: 150e6 },
      { path: 'secondary', direction: 'in', averageBps: 10e6, peakBps: 12e6 },
      { path: 'secondary', direction: 'out', averageBps: 5e6, peakBps: 6e6 },
    ]);
    const call = kit.sim.requests.find((r) => pathOf(r).endsWith('/providers/microsoft.insights/metrics'));
    assert.equal(call?.query.metricnames, 'BitsInPerSecond,BitsOutPerSecond');
    assert.equal(call?.query.$filter, "DeviceRole eq '*'");
  });

  it('should fall back to getStats counters when a circuit has no metrics', async () => {
    const { value } = await kit.access.reader.getBandwidthUsage(SCOPE, DIRECT_ID, HOUR);
    assert.equal(value.source, 'counters');
    assert.deepEqual(value.links, []);
    assert.deepEqual(value.counters, {
      primaryBytesIn: 537408,
      primaryBytesOut: 44032550,
      secondaryBytesIn: 0,
      secondaryBytesOut: 39002500,
    });
  });

  it('should fall back to counters when the metrics call answers 404', async () => {
    // Not starting with '/': the simulator would read '/…/metrics' as a /regex/flags pattern.
    kit.sim.addFaults([{ match: 'Microsoft.Insights/metrics', status: 404, count: 1 }]);
    const { value } = await kit.access.reader.getBandwidthUsage(SCOPE, PROVIDER_ID, HOUR, { fresh: true });
    assert.equal(value.source, 'counters');
    assert.deepEqual(value.counters, { primaryBytesIn: 10, primaryBytesOut: 20, secondaryBytesIn: 30, secondaryBytesOut: 40 });
  });

  it('should list route filters with their rules and attached peerings', async () => {
    const { value } = await kit.access.reader.listRouteFilters(SCOPE);
    assert.deepEqual(value, [
      {
        id: FILTER_ID,
        name: 'rf-o365',
        subscriptionId: SCOPE.subscriptionId,
        resourceGroup: 'rg-er',
        location: 'westeurope',
        provisioningState: 'Succeeded',
        rules: [{ name: 'allow-exo', access: 'Allow', communities: ['12076:5010', '12076:5100'] }],
        peeringIds: [`${PROVIDER_ID}/peerings/MicrosoftPeering`],
      },
    ]);
  });

  it('should list UDR tables with their routes and subnets', async () => {
    const { value } = await kit.access.reader.listUdrTables(SCOPE);
    assert.equal(value.length, 1);
    assert.deepEqual(value[0], {
      id: UDR_ID,
      name: 'rt-fw',
      subscriptionId: SCOPE.subscriptionId,
      resourceGroup: 'rg-er',
      location: 'westeurope',
      disableBgpRoutePropagation: true,
      routes: [{ name: 'default-via-fw', addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.0.4' }],
      subnetIds: [
        `/subscriptions/${SCOPE.subscriptionId}/resourceGroups/rg-er/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/workloads`,
      ],
    });
  });
});
