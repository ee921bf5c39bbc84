import { parseDirectory, type Directory } from '../../src/directory/directory';
import { parseFleet, type Fleet } from '../../src/simulator';
import { addCircuit, circuitId, privatePeering, type FleetRecord, type PeeringSpec } from '../../src/simulator/fleet-gen/circuit-fixture';
import { addVpnOverPrivatePeering, setPortMacsec } from '../../src/simulator/fleet-gen/encryption';
import { advertiseDefaultRoute } from '../../src/simulator/fleet-gen/forced-tunnelling';
import { addExpressRoutePort, addRouteTable, resourceId } from '../../src/simulator/fleet-gen/network-resources';
import { addNetworkSecurityGroup, DENY_INTERNET_OUTBOUND, type SecurityRuleSpec } from '../../src/simulator/fleet-gen/nsgs';
import { addSubnets, entry, linkSubnet, peerVirtualNetworks } from '../../src/simulator/fleet-gen/subnets';
import { addVnetLink } from '../../src/simulator/fleet-gen/vnet-links';
import type { User } from './harness';

/**
 * A world in which every security criterion is met somewhere and a gap somewhere else, built with the simulator's
 * fleet builders. Acme (two subscriptions) requires separation, forced tunnelling and encryption:
 * - er-acme carries private and Microsoft peering; vnet-bad is linked to it with a subnet without NSG, an NSG
 *   allowing any port from the internet, an NSG on the GatewaySubnet, and no default route; Globex (another
 *   customer of the same tenant) links vnet-globex-secret to it, and an authorization was redeemed from a
 *   subscription the directory doesn't know.
 * - er-acme-private learns 0.0.0.0/0 over private peering; vnet-good (Acme's second subscription) is linked, with
 *   NSGs denying Internet outbound, a 0.0.0.0/0 UDR to the firewall and IPsec over private peering. Its spokes:
 *   vnet-nobgp turns BGP propagation off (so no forced tunnelling), vnet-leaky is tunnelled but lets traffic out.
 * - er-acme-direct runs on an ExpressRoute Direct port with MACsec.
 */

export const SECURITY_TENANT = 'acacacac-0000-4000-8000-0000000000a1';
export const ACME_SUBS = ['acacacac-0000-4000-8000-00000000a001', 'acacacac-0000-4000-8000-00000000a002'] as const;
export const GLOBEX_SUB = 'acacacac-0000-4000-8000-00000000b001';
/** Listed for no customer. */
export const STRANGER_SUB = 'acacacac-0000-4000-8000-00000000c001';

const [sub1, sub2] = ACME_SUBS;
const at = (subscriptionId: string) => ({ subscriptionId, resourceGroup: 'rg-acme', location: 'westeurope' });
const vnetId = (subscriptionId: string, name: string) => resourceId({ ...at(subscriptionId), name }, 'virtualNetworks');

export const ACME = {
  shared: circuitId({ ...at(sub1), name: 'er-acme' }),
  private: circuitId({ ...at(sub1), name: 'er-acme-private' }),
  direct: circuitId({ ...at(sub1), name: 'er-acme-direct' }),
  vnetBad: vnetId(sub1, 'vnet-bad'),
  vnetGood: vnetId(sub2, 'vnet-good'),
};

/** Everything of Globex's that Acme's answers must never show. */
export const GLOBEX_SECRETS = ['globex', 'Globex', 'vnet-globex-secret', 'cn-globex-secret', 'rg-globex', GLOBEX_SUB];

export const ACME_VIEWER: User = { aadObjectId: 'acme-viewer', name: 'Ada (Acme)' };
export const GLOBEX_VIEWER: User = { aadObjectId: 'globex-viewer', name: 'Gus (Globex)' };

const inbound = (
  name: string,
  priority: number,
  source: string,
  destinationPorts: string,
  protocol: SecurityRuleSpec['protocol'] = 'Tcp',
) => ({ name, priority, direction: 'Inbound', access: 'Allow', protocol, source, destinationPorts }) as const;

function microsoftPeering(): PeeringSpec {
  return {
    kind: 'microsoft',
    vlanId: 201,
    peerAsn: 64496,
    portPrefix: 'EQIX-AMS-09GMR-CIS-7',
    primary: { subnet: '203.0.113.0/30', bgpUp: true, arp: true },
    secondary: { subnet: '203.0.113.4/30', bgpUp: true, arp: true },
    routes: { received: 1, base: '198.51.100.0', length: 27 },
    advertisedPublicPrefixes: ['198.51.100.0/27'],
  };
}

function addCircuits(fleet: FleetRecord): void {
  const provider = { name: 'Equinix', peeringLocation: 'Amsterdam', bandwidthInMbps: 1000 };
  const base = { ...at(sub1), tier: 'Standard' as const, family: 'MeteredData' as const };
  const now = Date.UTC(2026, 0, 1);
  const peering = (vlanId: number, subnetBase: string, routesBase: string) =>
    privatePeering({ vlanId, peerAsn: 65010, subnetBase, routes: 4, routesBase, portPrefix: 'EQIX-AMS-09GMR-CIS-7' });
  addCircuit(
    fleet,
    {
      ...base,
      name: 'er-acme',
      provider,
      peerings: [peering(100, '10.255.1.0', '10.30.0.0'), microsoftPeering()],
      authorizations: [
        {
          name: 'auth-stranger',
          useStatus: 'InUse',
          connectionResourceUri: `/subscriptions/${STRANGER_SUB}/resourceGroups/rg-x/providers/Microsoft.Network/connections/cn-stranger`,
        },
      ],
    },
    now,
  );
  addCircuit(fleet, { ...base, name: 'er-acme-private', provider, peerings: [peering(110, '10.255.2.0', '10.31.0.0')] }, now);
  advertiseDefaultRoute(fleet, ACME.private);
  const portId = addExpressRoutePort(fleet, { ...at(sub1), name: 'erport-acme', peeringLocation: 'Amsterdam', bandwidthInGbps: 10 });
  setPortMacsec(fleet, portId);
  addCircuit(
    fleet,
    { ...base, name: 'er-acme-direct', direct: { portId, bandwidthInGbps: 1 }, peerings: [peering(120, '10.255.3.0', '10.32.0.0')] },
    now,
  );
}

function addBadVnet(fleet: FleetRecord): void {
  const place = at(sub1);
  addVnetLink(fleet, {
    ...place,
    circuitId: ACME.shared,
    vnet: 'vnet-bad',
    addressPrefixes: ['10.41.0.0/16'],
    gatewaySubnet: '10.41.255.0/27',
    connection: 'cn-bad',
  });
  const open = addNetworkSecurityGroup(fleet, {
    ...place,
    name: 'nsg-open',
    rules: [inbound('allow-anything', 100, 'Internet', '*', '*')],
  });
  const gateway = addNetworkSecurityGroup(fleet, { ...place, name: 'nsg-gateway', rules: [] });
  addSubnets(fleet, {
    ...place,
    name: 'vnet-bad',
    subnets: [
      { name: 'snet-open', addressPrefix: '10.41.1.0/24', nsgId: open },
      { name: 'snet-bare', addressPrefix: '10.41.2.0/24' },
    ],
  });
  linkSubnet(fleet, `${ACME.vnetBad}/subnets/GatewaySubnet`, { nsgId: gateway });
  // Another customer's VNet, linked to Acme's circuit.
  addVnetLink(fleet, {
    subscriptionId: GLOBEX_SUB,
    resourceGroup: 'rg-globex',
    location: 'westeurope',
    circuitId: ACME.shared,
    vnet: 'vnet-globex-secret',
    addressPrefixes: ['10.90.0.0/16'],
    gatewaySubnet: '10.90.255.0/27',
    connection: 'cn-globex-secret',
  });
}

function addGoodVnets(fleet: FleetRecord): void {
  const place = at(sub2);
  addVnetLink(fleet, {
    ...place,
    circuitId: ACME.private,
    vnet: 'vnet-good',
    addressPrefixes: ['10.42.0.0/16'],
    gatewaySubnet: '10.42.255.0/27',
    connection: 'cn-good',
  });
  const good = addNetworkSecurityGroup(fleet, {
    ...place,
    name: 'nsg-good',
    rules: [inbound('allow-https-from-onprem', 100, '10.31.0.0/16', '443'), DENY_INTERNET_OUTBOUND],
  });
  const leaky = addNetworkSecurityGroup(fleet, {
    ...place,
    name: 'nsg-leaky',
    rules: [inbound('allow-ssh-from-onprem', 100, '10.31.0.0/16', '22')],
  });
  const egress = addRouteTable(fleet, {
    ...place,
    name: 'rt-egress',
    routes: [{ name: 'default-to-fw', addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.42.0.4' }],
    subnets: [],
  });
  const noBgp = addRouteTable(fleet, { ...place, name: 'rt-nobgp', routes: [], subnets: [] });
  entry(fleet, noBgp, 'route table').properties.disableBgpRoutePropagation = true;
  addSubnets(fleet, {
    ...place,
    name: 'vnet-good',
    subnets: [
      { name: 'snet-fw', addressPrefix: '10.42.0.0/24', nsgId: good },
      { name: 'snet-app', addressPrefix: '10.42.1.0/24', nsgId: good, routeTableId: egress },
    ],
  });
  addVpnOverPrivatePeering(fleet, {
    ...place,
    vnetId: ACME.vnetGood,
    gateway: 'vpngw-good',
    localGateway: 'lgw-onprem',
    connection: 'cn-ipsec',
    onPremisesDeviceIp: '10.31.0.10',
    onPremisesPrefixes: ['10.50.0.0/16'],
  });
  const spoke = (name: string, prefix: string, subnet: { nsgId: string; routeTableId?: string }) => {
    const id = addSubnets(fleet, {
      ...place,
      name,
      addressPrefixes: [`${prefix}/16`],
      subnets: [{ name: 'snet-spoke', addressPrefix: `${prefix}/24`, ...subnet }],
    });
    peerVirtualNetworks(fleet, { hubId: ACME.vnetGood, spokeId: id, spokeUsesHubGateways: true });
  };
  spoke('vnet-nobgp', '10.43.0.0', { nsgId: good, routeTableId: noBgp });
  spoke('vnet-leaky', '10.44.0.0', { nsgId: leaky });
}

export function securityFleet(): FleetRecord {
  const fleet: FleetRecord = {};
  addCircuits(fleet);
  addBadVnet(fleet);
  addGoodVnets(fleet);
  return fleet;
}

export function securityWorld(): Fleet {
  return parseFleet(securityFleet(), 'the security world');
}

export function securityDirectory(): Directory {
  const approval = { required: 1, ttlMinutes: 1440 };
  return parseDirectory(
    {
      customers: [
        {
          id: 'acme',
          name: 'Acme Corp',
          tenantId: SECURITY_TENANT,
          model: 'connect-through',
          subscriptions: [...ACME_SUBS],
          approval,
          security: { separatePublicAndPrivate: true, forcedTunnelling: true, requireEncryption: true },
        },
        { id: 'globex', name: 'Globex Corporation', tenantId: SECURITY_TENANT, model: 'connect-to', subscriptions: [GLOBEX_SUB], approval },
      ],
      people: [
        { ...ACME_VIEWER, access: { acme: ['view'] } },
        { ...GLOBEX_VIEWER, access: { globex: ['view'] } },
      ],
    },
    'the security world directory',
  );
}
