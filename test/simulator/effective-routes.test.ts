import { strict as assert } from 'node:assert';
import type { EffectiveRoute } from '@azure/arm-network';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { advertiseDefaultRoute } from '../../src/simulator/fleet-gen/forced-tunnelling';
import { addVpnOverPrivatePeering } from '../../src/simulator/fleet-gen/encryption';
import { ROUTING, ROUTING_RG, ROUTING_SUB, routingWorld } from '../support/posture-fleets';
import { ManualClock, rawRequest } from './raw-request';
import { fastPolling, networkClient } from './sdk-clients';

/**
 * A NIC's effective routes (POST …/effectiveRouteTable through the SDK's long-running read), derived from the
 * routing world's state and checked against tables computed by hand from "Virtual network traffic routing":
 * system routes, the subnet's UDRs and what the gateway learned over private peering.
 */

const MSEE = ROUTING.msee.join(',');
/** One route as `source state prefix nextHopType hops`, to compare whole tables at a glance. */
const line = (r: EffectiveRoute) =>
  [r.source, r.state, (r.addressPrefix ?? []).join(','), r.nextHopType, (r.nextHopIpAddress ?? []).join(',') || '-'].join(' ');
const SYSTEM_BUT_INTERNET = [
  'Default Active 10.0.0.0/8 None -',
  'Default Active 100.64.0.0/10 None -',
  'Default Active 172.16.0.0/12 None -',
  'Default Active 192.168.0.0/16 None -',
];

describe('simulator: effective routes of a NIC, derived from routes, UDRs and what private peering learned', () => {
  let sim: RunningSimulator;
  const read = async (nic: string) =>
    (await networkClient(sim, ROUTING_SUB).networkInterfaces.beginGetEffectiveRouteTableAndWait(ROUTING_RG, nic, fastPolling)).value ?? [];
  const table = async (nic: string) => (await read(nic)).map(line).sort();

  describe('in the routing world', () => {
    beforeEach(async () => {
      sim = await startSimulator({ fleet: routingWorld(), settings: { deviceReadMs: 0, lroDurationMs: 0 } });
    });
    afterEach(() => sim.close());

    it('should let a user route beat the BGP route of the same prefix, and a 0.0.0.0/0 UDR to an appliance beat Internet', async () => {
      assert.deepEqual(
        await table('vm-app-nic'),
        [
          'Default Active 10.1.0.0/16 VnetLocal -',
          // The spoke, peered: its prefix the gateway also advertises is not learned back.
          'Default Active 10.2.0.0/16 VNetPeering -',
          ...SYSTEM_BUT_INTERNET,
          'Default Invalid 0.0.0.0/0 Internet -',
          'User Active 0.0.0.0/0 VirtualAppliance 10.1.0.4',
          'User Active 10.20.1.0/24 VirtualAppliance 10.1.0.4',
          `VirtualNetworkGateway Active 10.20.0.0/24 VirtualNetworkGateway ${MSEE}`,
          `VirtualNetworkGateway Active 10.20.2.0/24 VirtualNetworkGateway ${MSEE}`,
          `VirtualNetworkGateway Active 10.20.3.0/24 VirtualNetworkGateway ${MSEE}`,
          // Another VNet on the circuit is reached through the Microsoft edge.
          `VirtualNetworkGateway Active 10.9.0.0/16 VirtualNetworkGateway ${MSEE}`,
          `VirtualNetworkGateway Invalid 10.20.1.0/24 VirtualNetworkGateway ${MSEE}`,
        ].sort(),
      );
      const routes = await read('vm-app-nic');
      assert.deepEqual(
        routes.filter((r) => r.source === 'User').map((r) => r.name),
        ['onprem-1-via-nva', 'default-via-nva'],
      );
      assert.ok(
        routes.every((r) => r.disableBgpRoutePropagation === false),
        'the route table propagates gateway routes',
      );
      assert.ok(routes.filter((r) => r.source !== 'User').every((r) => r.name === undefined));
    });

    it('should give a spoke that uses the hub gateway what the hub gateway learned, and system routes alone to a subnet without UDRs', async () => {
      const learned = [...ROUTING.onPremises, '10.9.0.0/16'].map((p) => `VirtualNetworkGateway Active ${p} VirtualNetworkGateway ${MSEE}`);
      assert.deepEqual(
        await table('vm-spoke-nic'),
        [
          'Default Active 10.2.0.0/16 VnetLocal -',
          'Default Active 10.1.0.0/16 VNetPeering -',
          'Default Active 0.0.0.0/0 Internet -',
          ...SYSTEM_BUT_INTERNET,
          ...learned,
        ].sort(),
      );
      assert.ok((await table('vm-nva-nic')).includes('Default Active 0.0.0.0/0 Internet -'));
    });

    it('should leave out every gateway route where the route table turns BGP propagation off', async () => {
      const nw = networkClient(sim, ROUTING_SUB);
      const rt = await nw.routeTables.get(ROUTING_RG, 'rt-app');
      await nw.routeTables.beginCreateOrUpdateAndWait(ROUTING_RG, 'rt-app', { ...rt, disableBgpRoutePropagation: true }, fastPolling);
      const routes = await read('vm-app-nic');
      assert.deepEqual(
        routes.filter((r) => r.source === 'VirtualNetworkGateway'),
        [],
      );
      assert.ok(routes.every((r) => r.disableBgpRoutePropagation === true));
      assert.ok(routes.map(line).includes('User Active 10.20.1.0/24 VirtualAppliance 10.1.0.4'));
      // A subnet without the table still learns them.
      assert.equal((await read('vm-nva-nic')).filter((r) => r.source === 'VirtualNetworkGateway').length, 5);
    });

    it('should show a UDR change in the next read: a new route overrides BGP, a deleted one gives BGP back', async () => {
      const nw = networkClient(sim, ROUTING_SUB);
      await nw.routes.beginCreateOrUpdateAndWait(
        ROUTING_RG,
        'rt-app',
        'drop-onprem-2',
        { addressPrefix: '10.20.2.0/24', nextHopType: 'None' },
        fastPolling,
      );
      await nw.routes.beginDeleteAndWait(ROUTING_RG, 'rt-app', 'onprem-1-via-nva', fastPolling);
      const after = await table('vm-app-nic');
      assert.ok(after.includes('User Active 10.20.2.0/24 None -'), after.join('\n'));
      assert.ok(after.includes(`VirtualNetworkGateway Invalid 10.20.2.0/24 VirtualNetworkGateway ${MSEE}`));
      assert.ok(after.includes(`VirtualNetworkGateway Active 10.20.1.0/24 VirtualNetworkGateway ${MSEE}`));
      assert.ok(!after.some((l) => l.includes('onprem-1') || l.startsWith('User Active 10.20.1.0/24')));
    });

    it('should refuse a NIC no VM uses, a NIC of a deallocated VM, and answer 404 for a NIC that does not exist', async () => {
      const nic = (name: string) =>
        `/subscriptions/${ROUTING_SUB}/resourceGroups/${ROUTING_RG}/providers/Microsoft.Network/networkInterfaces/${name}`;
      const loose = await rawRequest(sim, 'POST', `${nic('nic-loose')}/effectiveRouteTable`);
      assert.equal(loose.status, 400);
      assert.equal(loose.body?.error?.code, 'NetworkInterfaceNotAttachedToVirtualMachine');
      const off = await rawRequest(sim, 'POST', `${nic('vm-off-nic')}/effectiveRouteTable`);
      assert.equal(off.status, 400);
      assert.equal(off.body?.error?.code, 'VirtualMachineNotRunning');
      assert.match(off.body?.error?.message ?? '', /vm-off.*deallocated/);
      const none = await rawRequest(sim, 'POST', `${nic('nic-nowhere')}/effectiveRouteTable`);
      assert.equal(none.status, 404);
    });
  });

  it('should learn 0.0.0.0/0 over private peering (forced tunnelling): BGP beats Internet, and a UDR beats BGP', async () => {
    sim = await startSimulator({
      fleet: routingWorld((f) => advertiseDefaultRoute(f, ROUTING.circuit)),
      settings: { deviceReadMs: 0, lroDurationMs: 0 },
    });
    try {
      const nva = await table('vm-nva-nic');
      assert.ok(nva.includes('Default Invalid 0.0.0.0/0 Internet -'), nva.join('\n'));
      assert.ok(nva.includes(`VirtualNetworkGateway Active 0.0.0.0/0 VirtualNetworkGateway ${MSEE}`));
      const app = await table('vm-app-nic');
      assert.ok(app.includes(`VirtualNetworkGateway Invalid 0.0.0.0/0 VirtualNetworkGateway ${MSEE}`));
      assert.ok(app.includes('User Active 0.0.0.0/0 VirtualAppliance 10.1.0.4'));
    } finally {
      await sim.close();
    }
  });

  it('should carry an IPsec tunnel over private peering: its prefixes via the VPN gateway, ExpressRoute preferred for the same prefix', async () => {
    // The VPN gateway's private IP in the hub's GatewaySubnet (10.1.255.0/27).
    const gatewayIp = '10.1.255.6';
    sim = await startSimulator({
      fleet: routingWorld((f) => {
        addVpnOverPrivatePeering(f, {
          subscriptionId: ROUTING_SUB,
          resourceGroup: ROUTING_RG,
          location: 'westeurope',
          vnetId: ROUTING.hub,
          gateway: 'vpngw-hub',
          localGateway: 'lgw-secure-zone',
          connection: 'cn-ipsec',
          onPremisesDeviceIp: '10.20.0.10',
          onPremisesPrefixes: ['10.48.0.0/16', '10.20.3.0/24'],
        });
      }),
      settings: { deviceReadMs: 0, lroDurationMs: 0 },
    });
    try {
      const nva = await table('vm-nva-nic');
      assert.ok(nva.includes(`VirtualNetworkGateway Active 10.48.0.0/16 VirtualNetworkGateway ${gatewayIp}`), nva.join('\n'));
      assert.ok(nva.includes(`VirtualNetworkGateway Invalid 10.20.3.0/24 VirtualNetworkGateway ${gatewayIp}`));
      assert.ok(nva.includes(`VirtualNetworkGateway Active 10.20.3.0/24 VirtualNetworkGateway ${MSEE}`));
      const gateway = await networkClient(sim, ROUTING_SUB).virtualNetworkGateways.get(ROUTING_RG, 'vpngw-hub');
      assert.equal(gateway.enablePrivateIpAddress, true);
      assert.equal(gateway.ipConfigurations?.[0]?.privateIPAddress, gatewayIp);
      const connection = await networkClient(sim, ROUTING_SUB).virtualNetworkGatewayConnections.get(ROUTING_RG, 'cn-ipsec');
      assert.equal(connection.connectionType, 'IPsec');
      assert.equal(connection.useLocalAzureIpAddress, true);
    } finally {
      await sim.close();
    }
  });

  it('should run as a long-running read for deviceReadMs, counted as a write, and answer with the routes', async () => {
    const clock = new ManualClock();
    sim = await startSimulator({ fleet: routingWorld(), clock, settings: { deviceReadMs: 3000, lroDurationMs: 100 } });
    try {
      const nic = `/subscriptions/${ROUTING_SUB}/resourceGroups/${ROUTING_RG}/providers/Microsoft.Network/networkInterfaces/vm-app-nic`;
      const started = await rawRequest(sim, 'POST', `${nic}/effectiveRouteTable`);
      assert.equal(started.status, 202);
      assert.ok(started.headers['x-ms-ratelimit-remaining-subscription-writes'], 'ARM counts the POST as a write');
      const location = String(started.headers.location);
      assert.match(location, /\/providers\/Microsoft\.Network\/locations\/westeurope\/operationResults\//);
      clock.advance(2999);
      assert.equal((await rawRequest(sim, 'GET', location)).status, 202, 'still asking the host');
      clock.advance(1);
      const done = await rawRequest(sim, 'GET', location);
      assert.equal(done.status, 200);
      assert.equal((done.body?.value as EffectiveRoute[]).filter((r) => r.source === 'User').length, 2);
    } finally {
      await sim.close();
    }
  });
});
