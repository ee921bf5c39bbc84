import assert from 'node:assert/strict';
import { DEMO_CUSTOMERS } from '../../src/demo/customers';
import { buildDemoFleet, startSimulator, type RunningSimulator } from '../../src/simulator';
import { ManualClock, rawRequest } from './raw-request';

/**
 * The simulator refuses, on its own, the user-defined routes Azure refuses next to an ExpressRoute gateway, and
 * takes the service tags Azure takes: raw ARM PUTs, ARM's error body. The world: a hub VNet whose GatewaySubnet
 * holds an ExpressRoute gateway, the demo spoke peered to it with "use remote gateways", a route table on the
 * GatewaySubnet, and a table with a 0.0.0.0/0 route that no subnet uses yet.
 */

const SUB = DEMO_CUSTOMERS.contoso.subscriptions[0] ?? '';
const NET = `/subscriptions/${SUB}/resourceGroups/rg-contoso-network/providers/Microsoft.Network`;
const HUB = `${NET}/virtualNetworks/vnet-contoso-hub`;
const SPOKE = `${NET}/virtualNetworks/vnet-contoso-spoke`;
const EDGE = `${NET}/virtualNetworks/vnet-contoso-edge`;
const GATEWAY_SUBNET = `${HUB}/subnets/GatewaySubnet`;
const RT_SPOKE = `${NET}/routeTables/rt-contoso-spoke`;
const RT_GATEWAY = `${NET}/routeTables/rt-contoso-gateway`;
const RT_DEFAULT = `${NET}/routeTables/rt-contoso-default`;
const RT_EDGE = `${NET}/routeTables/rt-contoso-edge`;

const vnet = (id: string, prefix: string, properties: Record<string, unknown> = {}) => ({
  id,
  name: id.slice(id.lastIndexOf('/') + 1),
  type: 'Microsoft.Network/virtualNetworks',
  location: 'westeurope',
  properties: { provisioningState: 'Succeeded', addressSpace: { addressPrefixes: [prefix] }, ...properties },
});
const routeTable = (id: string, subnets: string[], routes: { name: string; addressPrefix: string; nextHopType: string }[] = []) => ({
  id,
  name: id.slice(id.lastIndexOf('/') + 1),
  type: 'Microsoft.Network/routeTables',
  location: 'westeurope',
  properties: {
    provisioningState: 'Succeeded',
    disableBgpRoutePropagation: false,
    routes: routes.map(({ name, ...p }) => ({ name, id: `${id}/routes/${name}`, properties: { provisioningState: 'Succeeded', ...p } })),
    subnets: subnets.map((s) => ({ id: s })),
  },
});
const gateway = (name: string, gatewayType: string, subnet: string) => ({
  location: 'westeurope',
  properties: { gatewayType, ipConfigurations: [{ name: 'default', properties: { subnet: { id: subnet } } }] },
});

function world() {
  const fleet = buildDemoFleet() as Record<string, unknown>;
  fleet[HUB] = vnet(HUB, '10.100.0.0/16', {
    subnets: [{ name: 'GatewaySubnet', id: GATEWAY_SUBNET, properties: { addressPrefix: '10.100.255.0/27' } }],
  });
  fleet[SPOKE] = vnet(SPOKE, '10.101.0.0/16', {
    virtualNetworkPeerings: [{ name: 'to-hub', properties: { useRemoteGateways: true, remoteVirtualNetwork: { id: HUB } } }],
  });
  fleet[EDGE] = vnet(EDGE, '10.102.0.0/16');
  fleet[`${NET}/virtualNetworkGateways/gw-contoso-er`] = {
    id: `${NET}/virtualNetworkGateways/gw-contoso-er`,
    name: 'gw-contoso-er',
    type: 'Microsoft.Network/virtualNetworkGateways',
    ...gateway('gw-contoso-er', 'ExpressRoute', GATEWAY_SUBNET),
  };
  fleet[RT_GATEWAY] = routeTable(RT_GATEWAY, [GATEWAY_SUBNET]);
  fleet[RT_DEFAULT] = routeTable(RT_DEFAULT, [], [{ name: 'default-to-fw', addressPrefix: '0.0.0.0/0', nextHopType: 'None' }]);
  fleet[RT_EDGE] = routeTable(RT_EDGE, [`${EDGE}/subnets/app`]);
  return fleet as ReturnType<typeof buildDemoFleet>;
}

describe('simulator: the user-defined routes Azure refuses next to an ExpressRoute gateway, and service tags', () => {
  let sim: RunningSimulator;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock();
    sim = await startSimulator({ fleet: world(), clock });
  });
  afterEach(() => sim.close());
  const put = async (path: string, body: unknown) => {
    const r = await rawRequest(sim, 'PUT', path, { body });
    clock.advance(1);
    return r;
  };
  const refused = async (path: string, body: unknown, code: string) => {
    const r = await rawRequest(sim, 'PUT', path, { body });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body?.error?.code, code, JSON.stringify(r.body));
    return r.body?.error?.message ?? '';
  };
  const accepted = async (path: string, body: unknown) => {
    const r = await put(path, body);
    assert.ok(r.status === 200 || r.status === 201, `${path}: ${r.status} ${JSON.stringify(r.body)}`);
  };

  it('should refuse a VirtualNetworkGateway next hop where the VNet reaches an ExpressRoute gateway, its own or a peered hub’s', async () => {
    // The demo's own spoke table is one Azure takes as it is, with the spoke using the ExpressRoute hub's gateway.
    const demo = (await rawRequest(sim, 'GET', RT_SPOKE)).body as { properties: { routes: unknown[] } };
    assert.equal(demo.properties.routes.length, 1);
    await accepted(RT_SPOKE, demo);
    const toGateway = { properties: { addressPrefix: '10.30.0.0/16', nextHopType: 'VirtualNetworkGateway' } };
    const message = await refused(`${RT_SPOKE}/routes/onprem`, toGateway, 'ExpressRouteGatewayNextHopNotSupported');
    assert.match(message, /gateway 'gw-contoso-er' is of type ExpressRoute: ExpressRoute routes must come from BGP/);
    await refused(`${RT_GATEWAY}/routes/onprem`, toGateway, 'ExpressRouteGatewayNextHopNotSupported');
    const table = (await rawRequest(sim, 'GET', RT_SPOKE)).body as { properties: Record<string, unknown> };
    await refused(
      RT_SPOKE,
      { ...table, properties: { ...table.properties, routes: [{ name: 'onprem', ...toGateway }] } },
      'ExpressRouteGatewayNextHopNotSupported',
    );
    // A VNet with no ExpressRoute gateway in reach: Azure takes the route (a VPN gateway's next hop).
    await accepted(`${RT_EDGE}/routes/onprem`, toGateway);
    await accepted(`${NET}/virtualNetworkGateways/gw-contoso-vpn`, gateway('gw-contoso-vpn', 'Vpn', `${EDGE}/subnets/GatewaySubnet`));
    await accepted(`${RT_EDGE}/routes/onprem2`, { properties: { addressPrefix: '10.31.0.0/16', nextHopType: 'VirtualNetworkGateway' } });
    // …but not once an ExpressRoute gateway coexists with the VPN gateway.
    await accepted(
      `${NET}/virtualNetworkGateways/gw-contoso-edge-er`,
      gateway('gw-contoso-edge-er', 'ExpressRoute', `${EDGE}/subnets/GatewaySubnet`),
    );
    await refused(
      `${RT_EDGE}/routes/onprem3`,
      { properties: { addressPrefix: '10.32.0.0/16', nextHopType: 'VirtualNetworkGateway' } },
      'ExpressRouteGatewayNextHopNotSupported',
    );
  });

  it('should refuse a 0.0.0.0/0 route on the GatewaySubnet: by route, by table, by association and at gateway creation', async () => {
    const message = await refused(
      `${RT_GATEWAY}/routes/default`,
      { properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.100.0.4' } },
      'GatewaySubnetDefaultRouteNotSupported',
    );
    assert.match(message, /associated to subnet '.*\/GatewaySubnet'.*0\.0\.0\.0\/0 \('default'\) is not supported on the GatewaySubnet/);
    const table = (await rawRequest(sim, 'GET', RT_GATEWAY)).body as { properties: Record<string, unknown> };
    await refused(
      RT_GATEWAY,
      {
        ...table,
        properties: { ...table.properties, routes: [{ name: 'default', properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'None' } }] },
      },
      'GatewaySubnetDefaultRouteNotSupported',
    );
    await refused(
      GATEWAY_SUBNET,
      { properties: { addressPrefix: '10.100.255.0/27', routeTable: { id: RT_DEFAULT } } },
      'GatewaySubnetDefaultRouteNotSupported',
    );
    await refused(
      `${NET}/virtualNetworks/vnet-contoso-hub2`,
      vnet(`${NET}/virtualNetworks/vnet-contoso-hub2`, '10.103.0.0/16', {
        subnets: [{ name: 'GatewaySubnet', properties: { addressPrefix: '10.103.255.0/27', routeTable: { id: RT_DEFAULT } } }],
      }),
      'GatewaySubnetDefaultRouteNotSupported',
    );
    // A table already on a GatewaySubnet with 0.0.0.0/0 (the fleet's own data): no gateway is created there.
    const fleet = world();
    fleet[RT_DEFAULT] = routeTable(
      RT_DEFAULT,
      [`${EDGE}/subnets/GatewaySubnet`],
      [{ name: 'd', addressPrefix: '0.0.0.0/0', nextHopType: 'None' }],
    );
    const other = await startSimulator({ fleet, clock });
    try {
      const r = await rawRequest(other, 'PUT', `${NET}/virtualNetworkGateways/gw-edge`, {
        body: gateway('gw-edge', 'ExpressRoute', `${EDGE}/subnets/GatewaySubnet`),
      });
      assert.equal(r.status, 400);
      assert.equal(r.body?.error?.code, 'GatewaySubnetDefaultRouteNotSupported');
    } finally {
      await other.close();
    }
    // Other routes on the GatewaySubnet, 0.0.0.0/0 elsewhere, and BGP propagation off (Azure only advises against it).
    await accepted(`${RT_GATEWAY}/routes/spoke-via-fw`, {
      properties: { addressPrefix: '10.101.0.0/16', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.100.0.4' },
    });
    await accepted(`${RT_EDGE}/routes/default`, { properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'None' } });
    const now = (await rawRequest(sim, 'GET', RT_GATEWAY)).body as { properties: Record<string, unknown> };
    await accepted(RT_GATEWAY, { ...now, properties: { ...now.properties, disableBgpRoutePropagation: true } });
  });

  it('should take a service tag as a route’s address prefix, once per tag and at most 25 per table', async () => {
    for (const [name, tag] of [
      ['storage-we', 'Storage.WestEurope'],
      ['azure', 'AzureCloud'],
      ['canada', 'AzureCloud.canadacentral'],
    ] as const) {
      await accepted(`${RT_SPOKE}/routes/${name}`, {
        properties: { addressPrefix: tag, nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.100.0.4' },
      });
    }
    const route = (await rawRequest(sim, 'GET', `${RT_SPOKE}/routes/storage-we`)).body as { properties: { addressPrefix: string } };
    assert.equal(route.properties.addressPrefix, 'Storage.WestEurope');
    await refused(`${RT_SPOKE}/routes/again`, { properties: { addressPrefix: 'azurecloud', nextHopType: 'None' } }, 'RouteConflict');
    await refused(
      `${RT_SPOKE}/routes/bad`,
      { properties: { addressPrefix: 'Storage West', nextHopType: 'None' } },
      'InvalidRouteAddressPrefix',
    );
    for (let i = 3; i < 25; i++) {
      await accepted(`${RT_SPOKE}/routes/t${i}`, { properties: { addressPrefix: `Sql.Region${i}`, nextHopType: 'Internet' } });
    }
    const message = await refused(
      `${RT_SPOKE}/routes/one-more`,
      { properties: { addressPrefix: 'AppService', nextHopType: 'Internet' } },
      'RouteTableServiceTagRouteLimitExceeded',
    );
    assert.match(message, /more than 25 routes with a service tag/);
    await accepted(`${RT_SPOKE}/routes/a-prefix`, { properties: { addressPrefix: '10.40.0.0/16', nextHopType: 'Internet' } });
  });
});
