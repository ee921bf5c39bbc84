import assert from 'node:assert/strict';
import { DEMO_CUSTOMERS } from '../../src/demo/customers';
import { buildDemoFleet, startSimulator, type RunningSimulator } from '../../src/simulator';
import { CHI_PORT, portPairFleet } from '../support/port-fleets';
import { ManualClock, rawRequest } from './raw-request';

const FAB = DEMO_CUSTOMERS.fabrikam.subscriptions[0] ?? '';
const SUB = DEMO_CUSTOMERS.contoso.subscriptions[0] ?? '';
const CHI = `/subscriptions/${FAB}/resourceGroups/rg-fabrikam-er/providers/Microsoft.Network/expressRouteCircuits/fabrikam-chi-direct`;
const AMS = `/subscriptions/${SUB}/resourceGroups/rg-contoso-network/providers/Microsoft.Network/expressRouteCircuits/contoso-ams-er1`;

type Props = Record<string, unknown>;
const propsOf = (body: unknown) => (body as { properties?: Props } | undefined)?.properties ?? {};

describe('simulator: ExpressRoute Direct port pairs, linked VNets and IPv6 peerings, enforced on its own', () => {
  let sim: RunningSimulator;
  let clock: ManualClock;
  afterEach(() => sim.close());

  /** PUT, then (LRO of zero length) the stored body; or the ARM error. */
  const put = async (path: string, body: unknown) => {
    const r = await rawRequest(sim, 'PUT', path, { body });
    return { status: r.status, code: r.body?.error?.code, message: r.body?.error?.message ?? '' };
  };
  const peeringBody = async (circuit: string, name = 'AzurePrivatePeering') =>
    propsOf((await rawRequest(sim, 'GET', `${circuit}/peerings/${name}`)).body);
  const circuitBody = async (circuit: string) => (await rawRequest(sim, 'GET', circuit)).body as { properties: Props } & Props;

  describe('a VLAN (C-Tag) on the port pair', () => {
    it('should refuse on a Dot1Q port a peering whose VLAN another circuit on the same port uses, and take one no circuit on it uses', async () => {
      clock = new ManualClock();
      const { fleet, ids } = portPairFleet([{ name: 'fabrikam-chi-direct2', bandwidthInGbps: 10, vlanId: 500 }], {
        encapsulation: 'Dot1Q',
      });
      sim = await startSimulator({ fleet, clock });
      const current = await peeringBody(CHI);
      const clash = await put(`${CHI}/peerings/AzurePrivatePeering`, { properties: { ...current, vlanId: 500 } });
      assert.equal(clash.status, 400, clash.message);
      assert.equal(clash.code, 'ExpressRoutePortVlanIdAlreadyInUse');
      assert.match(clash.message, /VLAN ID 500 is already used by peering 'AzurePrivatePeering' of circuit 'fabrikam-chi-direct2'/);
      // The other way round: the neighbour may not take fabrikam-chi-direct's 310 either.
      const back = await put(`${ids[0]}/peerings/AzurePrivatePeering`, {
        properties: { ...(await peeringBody(ids[0] ?? '')), vlanId: 310 },
      });
      assert.equal(back.code, 'ExpressRoutePortVlanIdAlreadyInUse');
      const free = await put(`${CHI}/peerings/AzurePrivatePeering`, { properties: { ...current, vlanId: 501 } });
      assert.ok(free.status === 200 || free.status === 201, free.message);
      assert.equal((await peeringBody(CHI)).vlanId, 501);
    });

    it('should take on a QinQ port a C-Tag another circuit on the port uses (each circuit has its own S-Tag), not one of its own peerings', async () => {
      clock = new ManualClock();
      const { fleet } = portPairFleet([{ name: 'fabrikam-chi-direct2', bandwidthInGbps: 10, vlanId: 500 }], { encapsulation: 'QinQ' });
      sim = await startSimulator({ fleet, clock });
      const current = await peeringBody(CHI);
      const shared = await put(`${CHI}/peerings/AzurePrivatePeering`, { properties: { ...current, vlanId: 500 } });
      assert.ok(shared.status === 200 || shared.status === 201, shared.message);
      assert.equal((await peeringBody(CHI)).vlanId, 500);
      const ms = await put(`${CHI}/peerings/MicrosoftPeering`, {
        properties: {
          peeringType: 'MicrosoftPeering',
          vlanId: 500,
          peerASN: 64496,
          primaryPeerAddressPrefix: '145.14.0.0/30',
          secondaryPeerAddressPrefix: '145.14.0.4/30',
          microsoftPeeringConfig: { advertisedPublicPrefixes: ['145.14.8.0/24'], routingRegistryName: 'RIPENCC' },
        },
      });
      assert.equal(ms.code, 'VlanIdAlreadyInUse', 'a C-Tag is still unique within the circuit');
    });

    it('should leave provider circuits alone: the same VLAN on two circuits without a port is fine', async () => {
      clock = new ManualClock();
      sim = await startSimulator({ fleet: buildDemoFleet({ now: Date.UTC(2025, 0, 1) }), clock });
      const dal = CHI.replace('fabrikam-chi-direct', 'fabrikam-sea-er3');
      // fabrikam-dal-er1 uses VLAN 300; Seattle is a provider circuit, so its C-Tag is the provider's business.
      const r = await put(`${dal}/peerings/AzurePrivatePeering`, { properties: { ...(await peeringBody(dal)), vlanId: 300 } });
      assert.ok(r.status === 200 || r.status === 201, r.message);
    });
  });

  describe('the port pair bandwidth (2 x the port)', () => {
    it('should refuse a circuit whose bandwidth takes the pair past twice the port, accept one that fits, and sum the port', async () => {
      clock = new ManualClock();
      // 100G pair: 200 Gbps; fabrikam-chi-direct 10 + 100 + 40 = 150 subscribed, 50 left.
      const { fleet } = portPairFleet([
        { name: 'chi-big', bandwidthInGbps: 100, vlanId: 501 },
        { name: 'chi-mid', bandwidthInGbps: 40, vlanId: 502 },
      ]);
      sim = await startSimulator({ fleet, clock });
      assert.equal(propsOf((await rawRequest(sim, 'GET', CHI_PORT)).body).provisionedBandwidthInGbps, 150);
      const chi = await circuitBody(CHI);
      const over = await put(CHI, { ...chi, properties: { ...chi.properties, bandwidthInGbps: 100 } });
      assert.equal(over.status, 400, over.message);
      assert.equal(over.code, 'ExpressRoutePortBandwidthExceeded');
      assert.match(over.message, /already use 140 of the 200 Gbps/);
      assert.match(over.message, /60 Gbps are left/);
      const fits = await put(CHI, { ...chi, properties: { ...chi.properties, bandwidthInGbps: 40 } });
      assert.ok(fits.status === 200 || fits.status === 201, fits.message);
      assert.equal(propsOf(await circuitBody(CHI)).bandwidthInGbps, 40);
      const port = propsOf((await rawRequest(sim, 'GET', CHI_PORT)).body);
      assert.equal(port.provisionedBandwidthInGbps, 180, 'ARM sums the circuits on the port again');
      assert.equal((port.circuits as unknown[]).length, 3);
    });

    it('should refuse a new circuit on a 10G pair already holding 20 Gbps', async () => {
      clock = new ManualClock();
      const { fleet } = portPairFleet([{ name: 'chi-other', bandwidthInGbps: 10, vlanId: 501 }], { portGbps: 10 });
      sim = await startSimulator({ fleet, clock });
      const chi = await circuitBody(CHI);
      const id = CHI.replace('fabrikam-chi-direct', 'fabrikam-chi-third');
      const r = await put(id, {
        location: chi.location,
        sku: chi.sku,
        properties: { expressRoutePort: { id: CHI_PORT }, bandwidthInGbps: 1 },
      });
      assert.equal(r.code, 'ExpressRoutePortBandwidthExceeded', r.message);
      assert.match(r.message, /already use 20 of the 20 Gbps/);
    });
  });

  describe('private peering against the VNets linked to the circuit', () => {
    it('should refuse link subnets inside a linked VNet’s address space (connection → gateway → VNet), IPv4 or IPv6', async () => {
      clock = new ManualClock();
      const fleet = buildDemoFleet({ now: Date.UTC(2025, 0, 1) }) as Record<string, { properties?: Props }>;
      // vnet-contoso-hub (10.100.0.0/16) is linked to contoso-ams-er1; give it an IPv6 range too.
      const hub =
        fleet[`/subscriptions/${SUB}/resourceGroups/rg-contoso-network/providers/Microsoft.Network/virtualNetworks/vnet-contoso-hub`];
      assert.ok(hub?.properties, 'the demo fleet links vnet-contoso-hub to contoso-ams-er1');
      hub.properties.addressSpace = { addressPrefixes: ['10.100.0.0/16', 'fd10:100::/48'] };
      sim = await startSimulator({ fleet, clock });
      const current = await peeringBody(AMS);
      const v4 = await put(`${AMS}/peerings/AzurePrivatePeering`, {
        properties: { ...current, primaryPeerAddressPrefix: '10.100.7.0/30', secondaryPeerAddressPrefix: '10.1.0.252/30' },
      });
      assert.equal(v4.status, 400, v4.message);
      assert.equal(v4.code, 'PeeringSubnetOverlapsVirtualNetwork');
      assert.match(v4.message, /'10\.100\.7\.0\/30'.*'10\.100\.0\.0\/16'.*'vnet-contoso-hub'.*'cn-contoso-hub-ams'/);
      const v6 = await put(`${AMS}/peerings/AzurePrivatePeering`, {
        properties: {
          ...current,
          ipv6PeeringConfig: { primaryPeerAddressPrefix: 'fd10:100::/126', secondaryPeerAddressPrefix: 'fd10:200::/126' },
        },
      });
      assert.equal(v6.code, 'PeeringSubnetOverlapsVirtualNetwork', v6.message);
      // The Microsoft peering's subnets are not the VNets' business, and another circuit's VNets are not this one's.
      const lon = AMS.replace('contoso-ams-er1', 'contoso-lon-er2');
      const other = await put(`${lon}/peerings/AzurePrivatePeering`, {
        properties: { ...(await peeringBody(lon)), primaryPeerAddressPrefix: '10.100.8.0/30', secondaryPeerAddressPrefix: '10.100.8.4/30' },
      });
      assert.ok(other.status === 200 || other.status === 201, other.message);
    });
  });

  describe('the IPv6 side of a peering (ipv6PeeringConfig)', () => {
    it('should store and return ipv6PeeringConfig next to the IPv4 fields, and refuse anything but two distinct IPv6 /126s', async () => {
      clock = new ManualClock();
      sim = await startSimulator({ fleet: buildDemoFleet({ now: Date.UTC(2025, 0, 1) }), clock });
      const current = await peeringBody(AMS);
      const ipv6PeeringConfig = { primaryPeerAddressPrefix: '2001:db8:10::/126', secondaryPeerAddressPrefix: '2001:db8:10::4/126' };
      const ok = await put(`${AMS}/peerings/AzurePrivatePeering`, { properties: { ...current, ipv6PeeringConfig } });
      assert.ok(ok.status === 200 || ok.status === 201, ok.message);
      const stored = await peeringBody(AMS);
      assert.deepEqual(stored.ipv6PeeringConfig, ipv6PeeringConfig);
      assert.equal(stored.primaryPeerAddressPrefix, current.primaryPeerAddressPrefix, 'the IPv4 side is untouched');
      const inCircuit = (propsOf(await circuitBody(AMS)).peerings as { name: string; properties: Props }[]).find(
        (p) => p.name === 'AzurePrivatePeering',
      );
      assert.deepEqual(inCircuit?.properties.ipv6PeeringConfig, ipv6PeeringConfig, 'and in the circuit view');
      for (const [primary, secondary, code] of [
        ['2001:db8:20::/125', '2001:db8:20::8/126', 'InvalidPeeringSubnet'],
        ['10.9.0.0/30', '2001:db8:20::4/126', 'InvalidPeeringSubnet'],
        ['2001:db8:20::/126', '2001:db8:20::/126', 'PeeringSubnetsOverlap'],
      ]) {
        const bad = await put(`${AMS}/peerings/AzurePrivatePeering`, {
          properties: { ...current, ipv6PeeringConfig: { primaryPeerAddressPrefix: primary, secondaryPeerAddressPrefix: secondary } },
        });
        assert.equal(bad.code, code, `${primary} ${secondary}: ${bad.message}`);
      }
    });
  });
});
