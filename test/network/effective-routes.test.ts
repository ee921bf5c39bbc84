import assert from 'node:assert/strict';
import { CodedError, ErrorCode } from '../../src/errors';
import { chooseRoute, type EffectiveRoute, parseDestination } from '../../src/network/effective-routes';
import type { GatewayFact } from '../../src/network/posture-facts';

/**
 * Which effective route carries a packet, against tables and answers worked out by hand from "Virtual network
 * traffic routing": the longest prefix first; for one prefix a user route over BGP over a system route; VNet and
 * peering routes over BGP routes, even more specific ones. The table is the routing world's vm-app-nic
 * (test/support/posture-fleets.ts) as the simulator computes it.
 */

const MSEE = ['10.255.0.2', '10.255.0.6'];
const route = (
  source: string,
  state: string,
  prefix: string,
  nextHopType: string,
  nextHopIps: string[] = [],
  name?: string,
): EffectiveRoute => ({
  ...(name ? { name } : {}),
  source,
  state,
  addressPrefixes: [prefix],
  nextHopType,
  nextHopIps,
});
const SYSTEM = [
  route('Default', 'Active', '10.1.0.0/16', 'VnetLocal'),
  route('Default', 'Active', '10.2.0.0/16', 'VNetPeering'),
  route('Default', 'Active', '10.0.0.0/8', 'None'),
  route('Default', 'Active', '100.64.0.0/10', 'None'),
  route('Default', 'Active', '172.16.0.0/12', 'None'),
  route('Default', 'Active', '192.168.0.0/16', 'None'),
];
const LEARNED = ['10.20.0.0/24', '10.20.2.0/24', '10.20.3.0/24', '10.9.0.0/16'].map((p) =>
  route('VirtualNetworkGateway', 'Active', p, 'VirtualNetworkGateway', MSEE),
);
/** vm-app-nic: snet-app's UDRs send 10.20.1.0/24 and 0.0.0.0/0 to the appliance at 10.1.0.4. */
const APP_NIC = [
  ...SYSTEM,
  route('Default', 'Invalid', '0.0.0.0/0', 'Internet'),
  route('User', 'Active', '10.20.1.0/24', 'VirtualAppliance', ['10.1.0.4'], 'onprem-1-via-nva'),
  route('User', 'Active', '0.0.0.0/0', 'VirtualAppliance', ['10.1.0.4'], 'default-via-nva'),
  ...LEARNED,
  route('VirtualNetworkGateway', 'Invalid', '10.20.1.0/24', 'VirtualNetworkGateway', MSEE),
];
const HUB = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-hub';
const ER_GATEWAY: GatewayFact = {
  id: 'ergw',
  name: 'ergw-hub',
  vnetId: HUB,
  kind: 'ExpressRoute',
  privateIpAddresses: [],
  enablePrivateIpAddress: false,
};
const VPN_GATEWAY: GatewayFact = {
  id: 'vpngw',
  name: 'vpngw-hub',
  vnetId: HUB,
  kind: 'Vpn',
  privateIpAddresses: ['10.1.255.6'],
  enablePrivateIpAddress: true,
};

const lostOf = (choice: ReturnType<typeof chooseRoute>) =>
  choice.candidates.slice(1).map((c) => `${c.route.source} ${c.prefix}: ${c.lost}`);

describe('network: which effective route carries a packet, and where it goes', () => {
  it('should let an overlapping user route win over the BGP route of the same prefix, and send the traffic to the appliance', () => {
    const choice = chooseRoute({ routes: APP_NIC, gateways: [ER_GATEWAY] }, '10.20.1.5');
    assert.equal(choice.winner?.route.name, 'onprem-1-via-nva');
    assert.equal(choice.winner?.prefix, '10.20.1.0/24');
    assert.deepEqual(choice.goes, { kind: 'appliance', text: 'To the virtual appliance at 10.1.0.4 (a firewall or NVA).' });
    assert.deepEqual(choice.why, ['Longest prefix covering 10.20.1.5: 10.20.1.0/24.']);
    assert.deepEqual(lostOf(choice), [
      'Default 10.0.0.0/8: /8 is shorter than /24: the longest prefix wins',
      'User 0.0.0.0/0: /0 is shorter than /24: the longest prefix wins',
      'Default 0.0.0.0/0: Invalid: Azure overrides it with another route of the same prefix',
      'VirtualNetworkGateway 10.20.1.0/24: Invalid: Azure overrides it with another route of the same prefix',
    ]);
  });

  it('should rank a user route over BGP over a system route for one prefix, even when both are listed Active', () => {
    const bothActive = APP_NIC.map((r) => (r.state === 'Invalid' ? { ...r, state: 'Active' } : r));
    const onPrem = chooseRoute({ routes: bothActive, gateways: [ER_GATEWAY] }, '10.20.1.5');
    assert.equal(onPrem.winner?.route.source, 'User');
    assert.ok(onPrem.why.includes('For 10.20.1.0/24, a user route wins over a BGP route.'), onPrem.why.join(' | '));
    assert.ok(lostOf(onPrem).includes('VirtualNetworkGateway 10.20.1.0/24: same prefix: a user route wins over a BGP route'));
    const internet = chooseRoute({ routes: bothActive, gateways: [ER_GATEWAY] }, '8.8.8.8');
    assert.equal(internet.winner?.route.name, 'default-via-nva');
    assert.ok(lostOf(internet).includes('Default 0.0.0.0/0: same prefix: a user route wins over a system route'));
    const bgpOverSystem = chooseRoute(
      {
        routes: [
          route('Default', 'Active', '0.0.0.0/0', 'Internet'),
          route('VirtualNetworkGateway', 'Active', '0.0.0.0/0', 'VirtualNetworkGateway', MSEE),
        ],
        gateways: [ER_GATEWAY],
      },
      '1.1.1.1',
    );
    assert.equal(bgpOverSystem.goes.kind, 'expressroute', 'forced tunnelling: 0.0.0.0/0 learned over private peering');
    assert.deepEqual(lostOf(bgpOverSystem), ['Default 0.0.0.0/0: same prefix: a BGP route wins over a system route']);
  });

  it('should send internet traffic to the appliance where a 0.0.0.0/0 UDR says so, and cross ExpressRoute for a learned prefix', () => {
    const internet = chooseRoute({ routes: APP_NIC, gateways: [ER_GATEWAY] }, '8.8.8.8');
    assert.equal(internet.winner?.route.name, 'default-via-nva');
    assert.equal(internet.goes.kind, 'appliance');
    assert.deepEqual(internet.why, ['The only active route covering 8.8.8.8.']);
    const onPrem = chooseRoute({ routes: APP_NIC, gateways: [ER_GATEWAY] }, '10.20.2.9');
    assert.equal(onPrem.winner?.prefix, '10.20.2.0/24');
    assert.deepEqual(onPrem.goes, {
      kind: 'expressroute',
      text: 'Crosses ExpressRoute through gateway ergw-hub (next hops 10.255.0.2, 10.255.0.6: the Microsoft edge routers).',
    });
  });

  it('should drop on-premises traffic where BGP propagation is off: only the system route for 10.0.0.0/8 (None) covers it', () => {
    // rt-app with disableBgpRoutePropagation: no gateway routes at all.
    const routes = APP_NIC.filter((r) => r.source !== 'VirtualNetworkGateway');
    const choice = chooseRoute({ routes, gateways: [ER_GATEWAY] }, '10.20.2.9');
    assert.equal(choice.winner?.prefix, '10.0.0.0/8');
    assert.deepEqual(choice.goes, { kind: 'dropped', text: 'Nowhere: the route’s next hop is None, so Azure drops the traffic.' });
    assert.equal(chooseRoute({ routes, gateways: [ER_GATEWAY] }, '10.20.1.9').goes.kind, 'appliance', 'the user route still applies');
  });

  it('should find no route for a destination nothing covers: nowhere', () => {
    const noDefault = SYSTEM.slice(0, 2);
    const choice = chooseRoute({ routes: noDefault, gateways: [] }, '203.0.113.9');
    assert.equal(choice.winner, undefined);
    assert.deepEqual(choice.candidates, []);
    assert.deepEqual(choice.goes, { kind: 'no-route', text: 'Nowhere: no route covers it, so Azure drops the traffic.' });
    assert.equal(chooseRoute({ routes: APP_NIC, gateways: [] }, '2001:db8::1').goes.kind, 'no-route', 'IPv4 routes never carry IPv6');
  });

  it('should prefer VNet and peering routes over more specific BGP routes, and say so', () => {
    const routes = [...APP_NIC, route('VirtualNetworkGateway', 'Active', '10.1.5.0/24', 'VirtualNetworkGateway', MSEE)];
    const choice = chooseRoute({ routes, gateways: [ER_GATEWAY] }, '10.1.5.5');
    assert.equal(choice.winner?.route.nextHopType, 'VnetLocal');
    assert.equal(choice.goes.kind, 'vnet');
    assert.ok(choice.why.includes('VNet and peering routes are preferred over BGP routes, even more specific ones.'));
    assert.ok(lostOf(choice).includes('VirtualNetworkGateway 10.1.5.0/24: inside 10.1.0.0/16: VNet and peering routes win over BGP'));
    assert.equal(chooseRoute({ routes, gateways: [ER_GATEWAY] }, '10.2.1.4').goes.kind, 'peering');
  });

  it('should tell an IPsec tunnel over private peering, a plain VPN and an unknown gateway apart by the next hop', () => {
    const tunnel = [...APP_NIC, route('VirtualNetworkGateway', 'Active', '10.50.0.0/16', 'VirtualNetworkGateway', ['10.1.255.6'])];
    assert.deepEqual(chooseRoute({ routes: tunnel, gateways: [ER_GATEWAY, VPN_GATEWAY] }, '10.50.1.1').goes, {
      kind: 'ipsec-over-expressroute',
      text: 'Through the IPsec tunnel of VPN gateway vpngw-hub, over ExpressRoute private peering (encrypted).',
    });
    const publicVpn = { ...VPN_GATEWAY, enablePrivateIpAddress: false };
    assert.equal(chooseRoute({ routes: tunnel, gateways: [ER_GATEWAY, publicVpn] }, '10.50.1.1').goes.kind, 'vpn');
    assert.equal(chooseRoute({ routes: tunnel, gateways: [] }, '10.50.1.1').goes.kind, 'gateway');
  });

  it('should refuse a destination that is not one IP address, saying so', () => {
    assert.equal(parseDestination(' 10.20.1.5 '), '10.20.1.5');
    for (const bad of ['10.0.0.300', '10.20.1.0/24', 'vm-app', '010.1.1.1']) {
      assert.throws(
        () => parseDestination(bad),
        (e: unknown) => e instanceof CodedError && e.code === ErrorCode.BadInput && e.message === `'${bad}' isn't an IP address.`,
        bad,
      );
    }
  });
});
