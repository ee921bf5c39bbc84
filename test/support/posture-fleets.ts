import { parseFleet, type Fleet } from '../../src/simulator';
import { addCircuit, circuitId, privatePeering, type FleetRecord } from '../../src/simulator/fleet-gen/circuit-fixture';
import { addVmWithNic, addNetworkInterface } from '../../src/simulator/fleet-gen/compute';
import { addRouteTable, resourceId } from '../../src/simulator/fleet-gen/network-resources';
import { addNetworkSecurityGroup, DENY_INTERNET_OUTBOUND } from '../../src/simulator/fleet-gen/nsgs';
import { addSubnets, peerVirtualNetworks } from '../../src/simulator/fleet-gen/subnets';
import { addVnetLink } from '../../src/simulator/fleet-gen/vnet-links';

/**
 * A small world to compute effective routes by hand. Circuit er-routing's private peering learns 10.20.0.0/24 …
 * 10.20.3.0/24 from on-premises over both links (Microsoft's edge at 10.255.0.2 and 10.255.0.6), and carries
 * Azure's 10.1.0.0/16 (vnet-hub), 10.2.0.0/16 (vnet-spoke, through the hub) and 10.9.0.0/16 (another VNet on the
 * circuit). vnet-hub (10.1.0.0/16) is linked to it; vnet-spoke (10.2.0.0/16) is peered to the hub and uses its
 * gateway. rt-app (on hub/snet-app) sends 10.20.1.0/24 and 0.0.0.0/0 to the appliance vm-nva (10.1.0.4).
 * VMs: vm-app (10.1.1.4, hub/snet-app), vm-nva (10.1.0.4, hub/snet-nva), vm-spoke (10.2.1.4); nic-loose is in
 * snet-app with no VM; vm-off (10.1.1.5) is deallocated.
 */

export const ROUTING_SUB = '5e5e5e5e-0000-4000-8000-00000000e001';
export const ROUTING_RG = 'rg-routing';
const at = { subscriptionId: ROUTING_SUB, resourceGroup: ROUTING_RG, location: 'westeurope' };
const id = (type: string, name: string) => resourceId({ ...at, name }, type);

export const ROUTING = {
  circuit: circuitId({ ...at, name: 'er-routing' }),
  hub: id('virtualNetworks', 'vnet-hub'),
  spoke: id('virtualNetworks', 'vnet-spoke'),
  routeTable: id('routeTables', 'rt-app'),
  nsgApp: id('networkSecurityGroups', 'nsg-app'),
  nsgNva: id('networkSecurityGroups', 'nsg-nva'),
  /** Microsoft's edge routers on the primary and secondary links. */
  msee: ['10.255.0.2', '10.255.0.6'],
  onPremises: ['10.20.0.0/24', '10.20.1.0/24', '10.20.2.0/24', '10.20.3.0/24'],
};

export function routingFleet(): FleetRecord {
  const fleet: FleetRecord = {};
  addCircuit(
    fleet,
    {
      ...at,
      name: 'er-routing',
      tier: 'Standard',
      family: 'MeteredData',
      provider: { name: 'Equinix', peeringLocation: 'Amsterdam', bandwidthInMbps: 1000 },
      peerings: [
        privatePeering({
          vlanId: 100,
          peerAsn: 65010,
          subnetBase: '10.255.0.0',
          routes: 4,
          routesBase: '10.20.0.0',
          portPrefix: 'EQIX-AMS-09GMR-CIS-1',
          azurePrefixes: ['10.1.0.0/16', '10.2.0.0/16', '10.9.0.0/16'],
        }),
      ],
    },
    Date.UTC(2026, 0, 1),
  );
  addVnetLink(fleet, {
    ...at,
    circuitId: ROUTING.circuit,
    vnet: 'vnet-hub',
    addressPrefixes: ['10.1.0.0/16'],
    gatewaySubnet: '10.1.255.0/27',
    gateway: 'ergw-hub',
    connection: 'cn-hub',
  });
  addRouteTable(fleet, {
    ...at,
    name: 'rt-app',
    routes: [
      { name: 'onprem-1-via-nva', addressPrefix: '10.20.1.0/24', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.1.0.4' },
      { name: 'default-via-nva', addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.1.0.4' },
    ],
    subnets: [],
  });
  addNetworkSecurityGroup(fleet, {
    ...at,
    name: 'nsg-app',
    rules: [
      {
        name: 'allow-https-from-onprem',
        priority: 100,
        direction: 'Inbound',
        access: 'Allow',
        protocol: 'Tcp',
        source: '10.20.0.0/16',
        destinationPorts: '443',
      },
      DENY_INTERNET_OUTBOUND,
    ],
  });
  addNetworkSecurityGroup(fleet, { ...at, name: 'nsg-nva', rules: [] });
  addSubnets(fleet, {
    ...at,
    name: 'vnet-hub',
    subnets: [
      { name: 'snet-nva', addressPrefix: '10.1.0.0/24', nsgId: ROUTING.nsgNva },
      { name: 'snet-app', addressPrefix: '10.1.1.0/24', nsgId: ROUTING.nsgApp, routeTableId: ROUTING.routeTable },
    ],
  });
  addSubnets(fleet, {
    ...at,
    name: 'vnet-spoke',
    addressPrefixes: ['10.2.0.0/16'],
    subnets: [{ name: 'snet-spoke', addressPrefix: '10.2.1.0/24' }],
  });
  peerVirtualNetworks(fleet, { hubId: ROUTING.hub, spokeId: ROUTING.spoke, spokeUsesHubGateways: true });
  addVmWithNic(fleet, { ...at, name: 'vm-app', subnetId: `${ROUTING.hub}/subnets/snet-app`, privateIPAddress: '10.1.1.4' });
  addVmWithNic(fleet, { ...at, name: 'vm-nva', subnetId: `${ROUTING.hub}/subnets/snet-nva`, privateIPAddress: '10.1.0.4' });
  addVmWithNic(fleet, { ...at, name: 'vm-spoke', subnetId: `${ROUTING.spoke}/subnets/snet-spoke`, privateIPAddress: '10.2.1.4' });
  addVmWithNic(fleet, {
    ...at,
    name: 'vm-off',
    subnetId: `${ROUTING.hub}/subnets/snet-app`,
    privateIPAddress: '10.1.1.5',
    powerState: 'deallocated',
  });
  addNetworkInterface(fleet, { ...at, name: 'nic-loose', subnetId: `${ROUTING.hub}/subnets/snet-app`, privateIPAddress: '10.1.1.6' });
  return fleet;
}

export function routingWorld(change?: (fleet: FleetRecord) => void): Fleet {
  const fleet = routingFleet();
  change?.(fleet);
  return parseFleet(fleet, 'the routing world');
}
