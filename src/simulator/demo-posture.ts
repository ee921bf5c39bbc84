import { DEMO_CUSTOMERS } from '../demo/customers';
import { addAuthorization, circuitId, type FleetRecord } from './fleet-gen/circuit-fixture';
import { addVmWithNic } from './fleet-gen/compute';
import { addVpnOverPrivatePeering, setPortMacsec } from './fleet-gen/encryption';
import { advertiseDefaultRoute } from './fleet-gen/forced-tunnelling';
import { addNetworkSecurityGroup, DENY_INTERNET_OUTBOUND, type SecurityRuleSpec } from './fleet-gen/nsgs';
import { addRouteTable, resourceId } from './fleet-gen/network-resources';
import { addSubnets, linkSubnet, peerVirtualNetworks } from './fleet-gen/subnets';
import { addVnetLink } from './fleet-gen/vnet-links';

/**
 * The demo customers' security posture, as the CSP guidance checks it (NSGs on every subnet, forced tunnelling
 * with an outbound backstop, encryption), with VMs to read effective routes on:
 * - Contoso shows the NSG gaps: a hub subnet with no NSG, an NSG on the GatewaySubnet, and an app NSG that lets
 *   anything in from the internet on any port; no forced tunnelling and no encryption; public and private peering
 *   on contoso-ams-er1 though its directory entry separates them; and an isolation gap: a VNet in Fabrikam's
 *   subscription connected to contoso-par-er4 by redeeming one of its authorizations.
 * - Fabrikam tunnels its web subnet's internet traffic to an appliance by UDR but has no outbound deny-Internet
 *   rule behind it (recommended: Fabrikam's entry doesn't require forced tunnelling); MACsec on its Direct port
 *   covers fabrikam-chi-direct only.
 * - Northwind meets every criterion: an NSG on every subnet (the GatewaySubnet has none, as Azure requires),
 *   0.0.0.0/0 learned over private peering and set by UDR with deny-Internet outbound, and IPsec over private
 *   peering from its hub.
 * It builds on the demo fleet's circuits, route tables, hub VNets and Direct port (demo-fleet.ts).
 */

const [contoso0 = '', contoso1 = ''] = DEMO_CUSTOMERS.contoso.subscriptions;
const [fabrikam0 = ''] = DEMO_CUSTOMERS.fabrikam.subscriptions;
const [northwind0 = ''] = DEMO_CUSTOMERS.northwind.subscriptions;

const rule = (name: string, priority: number, source: string, destinationPorts: string, protocol: SecurityRuleSpec['protocol'] = 'Tcp') =>
  ({ name, priority, direction: 'Inbound', access: 'Allow', protocol, source, destinationPorts }) as const;

export function addDemoPosture(fleet: FleetRecord): void {
  addContoso(fleet);
  addFabrikam(fleet);
  addNorthwind(fleet);
  addForeignLink(fleet);
}

/**
 * Fabrikam's DR VNet connected to Contoso's contoso-par-er4 with an authorization Contoso issued: the circuit is
 * shared outside its customer (an isolation gap for Contoso, shown without naming Fabrikam). Its names say nothing
 * of Fabrikam: Contoso's people see the connection's name among the circuit's links.
 */
function addForeignLink(fleet: FleetRecord): void {
  const par = circuitId({ subscriptionId: contoso1, resourceGroup: 'rg-contoso-dr', name: 'contoso-par-er4' });
  const { connectionId } = addVnetLink(fleet, {
    circuitId: par,
    subscriptionId: fabrikam0,
    resourceGroup: 'rg-dr-partner',
    location: 'francecentral',
    vnet: 'vnet-dr-partner',
    addressPrefixes: ['10.125.0.0/16'],
    gatewaySubnet: '10.125.255.0/27',
    connection: 'cn-dr-partner-par',
  });
  addAuthorization(fleet, par, { name: 'auth-dr-partner', useStatus: 'InUse', connectionResourceUri: connectionId });
}

function addContoso(fleet: FleetRecord): void {
  const at = { subscriptionId: contoso0, resourceGroup: 'rg-contoso-network', location: 'westeurope' };
  const hub = resourceId({ ...at, name: 'vnet-contoso-hub' }, 'virtualNetworks');
  const gatewayNsg = addNetworkSecurityGroup(fleet, {
    ...at,
    name: 'nsg-contoso-gateway',
    rules: [rule('allow-onprem', 100, '10.20.0.0/16', '*', '*')],
  });
  const nvaNsg = addNetworkSecurityGroup(fleet, {
    ...at,
    name: 'nsg-contoso-nva',
    rules: [rule('allow-onprem-ssh', 100, '10.20.0.0/16', '22')],
  });
  const appNsg = addNetworkSecurityGroup(fleet, {
    ...at,
    name: 'nsg-contoso-app',
    rules: [rule('allow-any-from-internet', 100, 'Internet', '*', '*'), rule('allow-https-from-onprem', 110, '10.20.0.0/16', '443')],
  });
  addSubnets(fleet, {
    ...at,
    name: 'vnet-contoso-hub',
    subnets: [
      { name: 'snet-nva', addressPrefix: '10.100.0.0/24', nsgId: nvaNsg },
      // No NSG: a gap.
      { name: 'snet-shared', addressPrefix: '10.100.1.0/24' },
    ],
  });
  // An NSG on the GatewaySubnet: unsupported, a gap.
  linkSubnet(fleet, `${hub}/subnets/GatewaySubnet`, { nsgId: gatewayNsg });
  const spoke = addSubnets(fleet, {
    ...at,
    name: 'vnet-contoso-spoke',
    addressPrefixes: ['10.101.0.0/16'],
    subnets: [
      {
        name: 'snet-app',
        addressPrefix: '10.101.1.0/24',
        nsgId: appNsg,
        routeTableId: resourceId({ ...at, name: 'rt-contoso-spoke' }, 'routeTables'),
      },
    ],
  });
  peerVirtualNetworks(fleet, { hubId: hub, spokeId: spoke, spokeUsesHubGateways: true });
  addVmWithNic(fleet, { ...at, name: 'vm-contoso-nva01', subnetId: `${hub}/subnets/snet-nva`, privateIPAddress: '10.100.0.4' });
  addVmWithNic(fleet, { ...at, name: 'vm-contoso-jump01', subnetId: `${hub}/subnets/snet-shared`, privateIPAddress: '10.100.1.4' });
  addVmWithNic(fleet, { ...at, name: 'vm-contoso-app01', subnetId: `${spoke}/subnets/snet-app`, privateIPAddress: '10.101.1.4' });
}

function addFabrikam(fleet: FleetRecord): void {
  const at = { subscriptionId: fabrikam0, resourceGroup: 'rg-fabrikam-network', location: 'southcentralus' };
  const hub = resourceId({ ...at, name: 'vnet-fabrikam-hub-scus' }, 'virtualNetworks');
  const egress = addRouteTable(fleet, {
    ...at,
    name: 'rt-fabrikam-egress',
    routes: [{ name: 'default-to-nva', addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.200.0.4' }],
    subnets: [],
  });
  const nvaNsg = addNetworkSecurityGroup(fleet, {
    ...at,
    name: 'nsg-fabrikam-nva',
    rules: [rule('allow-vnet', 100, 'VirtualNetwork', '*', '*')],
  });
  // Internet in on 443 only (not a gap); but forced tunnelling without a deny-Internet outbound rule (a gap).
  const webNsg = addNetworkSecurityGroup(fleet, {
    ...at,
    name: 'nsg-fabrikam-web',
    rules: [rule('allow-https-from-internet', 100, 'Internet', '443')],
  });
  addSubnets(fleet, {
    ...at,
    name: 'vnet-fabrikam-hub-scus',
    subnets: [
      { name: 'snet-nva', addressPrefix: '10.200.0.0/24', nsgId: nvaNsg },
      { name: 'snet-web', addressPrefix: '10.200.1.0/24', nsgId: webNsg, routeTableId: egress },
    ],
  });
  addVmWithNic(fleet, { ...at, name: 'vm-fabrikam-nva01', subnetId: `${hub}/subnets/snet-nva`, privateIPAddress: '10.200.0.4' });
  addVmWithNic(fleet, { ...at, name: 'vm-fabrikam-web01', subnetId: `${hub}/subnets/snet-web`, privateIPAddress: '10.200.1.4' });
  const weu = { ...at, location: 'westeurope' };
  const weuNsg = addNetworkSecurityGroup(fleet, {
    ...weu,
    name: 'nsg-fabrikam-weu-app',
    rules: [rule('allow-https-from-onprem', 100, '10.64.0.0/10', '443')],
  });
  addSubnets(fleet, { ...weu, name: 'vnet-fabrikam-weu', subnets: [{ name: 'snet-app', addressPrefix: '10.201.1.0/24', nsgId: weuNsg }] });
  setPortMacsec(
    fleet,
    resourceId({ subscriptionId: fabrikam0, resourceGroup: 'rg-fabrikam-er', name: 'erport-fabrikam-chi' }, 'expressRoutePorts'),
  );
}

function addNorthwind(fleet: FleetRecord): void {
  const at = { subscriptionId: northwind0, resourceGroup: 'rg-northwind', location: 'eastus' };
  const circuit = (name: string) => circuitId({ ...at, name });
  // On-premises sends internet-bound traffic home: a default route over private peering, where sessions are up.
  for (const name of ['northwind-nyc-er1', 'northwind-nyc-er2', 'northwind-wdc-er3', 'er-shared'])
    advertiseDefaultRoute(fleet, circuit(name));
  const { vnetId: hub } = addVnetLink(fleet, {
    ...at,
    circuitId: circuit('northwind-nyc-er1'),
    vnet: 'vnet-northwind-hub',
    addressPrefixes: ['10.10.0.0/16'],
    gatewaySubnet: '10.10.255.0/27',
    gateway: 'ergw-northwind',
    connection: 'cn-northwind-hub-nyc',
  });
  const fwNsg = addNetworkSecurityGroup(fleet, {
    ...at,
    name: 'nsg-northwind-fw',
    rules: [rule('allow-workloads', 100, '10.10.1.0/24', '*', '*'), DENY_INTERNET_OUTBOUND],
  });
  const workloadsNsg = addNetworkSecurityGroup(fleet, {
    ...at,
    name: 'nsg-northwind-workloads',
    rules: [rule('allow-https-from-onprem', 100, '10.40.0.0/16', '443'), DENY_INTERNET_OUTBOUND],
  });
  addSubnets(fleet, {
    ...at,
    name: 'vnet-northwind-hub',
    subnets: [
      { name: 'snet-firewall', addressPrefix: '10.10.0.0/24', nsgId: fwNsg },
      {
        name: 'snet-workloads',
        addressPrefix: '10.10.1.0/24',
        nsgId: workloadsNsg,
        routeTableId: resourceId({ ...at, name: 'rt-northwind-fw' }, 'routeTables'),
      },
    ],
  });
  addVmWithNic(fleet, { ...at, name: 'vm-northwind-fw01', subnetId: `${hub}/subnets/snet-firewall`, privateIPAddress: '10.10.0.4' });
  addVmWithNic(fleet, { ...at, name: 'vm-northwind-app01', subnetId: `${hub}/subnets/snet-workloads`, privateIPAddress: '10.10.1.4' });
  // The PCI zone on-premises is reached only through IPsec, over the private peering.
  addVpnOverPrivatePeering(fleet, {
    ...at,
    vnetId: hub,
    gateway: 'vpngw-northwind',
    localGateway: 'lgw-northwind-pci',
    connection: 'cn-northwind-ipsec-pci',
    onPremisesDeviceIp: '10.40.0.10',
    onPremisesPrefixes: ['10.48.0.0/16'],
  });
}
