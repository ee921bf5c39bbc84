import { strict as assert } from 'node:assert';
import type { EffectiveRoute } from '@azure/arm-network';
import { DEMO_CUSTOMERS } from '../../src/demo/customers';
import { buildDemoFleet, startSimulator, type RunningSimulator } from '../../src/simulator';
import { rawRequest } from './raw-request';
import { fastPolling, networkClient } from './sdk-clients';

/**
 * The demo customers' security posture is in the demo fleet as data, found with Resource Graph as the bot finds
 * it: Contoso's NSG gaps and a circuit shared with another customer, Fabrikam's forced tunnelling without a backstop,
 * Northwind meeting every criterion.
 */

const [CONTOSO0 = '', CONTOSO1 = ''] = DEMO_CUSTOMERS.contoso.subscriptions;
const [FABRIKAM0 = ''] = DEMO_CUSTOMERS.fabrikam.subscriptions;
const [NORTHWIND0 = ''] = DEMO_CUSTOMERS.northwind.subscriptions;

type Row = Record<string, unknown>;
interface Subnet {
  name: string;
  properties: { networkSecurityGroup?: { id: string }; routeTable?: { id: string } };
}
interface Rule {
  name: string;
  properties: {
    access: string;
    direction: string;
    sourceAddressPrefix: string;
    destinationAddressPrefix: string;
    destinationPortRange: string;
  };
}

describe('simulator: the demo fleet’s security posture, as data', () => {
  let sim: RunningSimulator;
  before(async () => {
    sim = await startSimulator({
      fleet: buildDemoFleet({ now: Date.UTC(2026, 0, 5) }),
      settings: { deviceReadMs: 0, lroDurationMs: 0, resourceGraph: false },
    });
  });
  after(() => sim.close());

  const graph = async (subscription: string, query: string): Promise<Row[]> => {
    const r = await rawRequest(sim, 'POST', '/providers/Microsoft.ResourceGraph/resources?api-version=2021-03-01', {
      body: { subscriptions: [subscription], query },
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body?.data as Row[];
  };
  const byType = (subscription: string, type: string) =>
    graph(subscription, `Resources | where type =~ '${type}' | project id, name, properties | order by name asc`);
  const subnetsOf = async (subscription: string) =>
    (await byType(subscription, 'microsoft.network/virtualnetworks')).flatMap((v) =>
      (v.properties as { subnets: Subnet[] }).subnets.map((s) => ({ vnet: String(v.name), ...s })),
    );
  const rulesOf = async (subscription: string) =>
    new Map(
      (await byType(subscription, 'microsoft.network/networksecuritygroups')).map((n) => [
        String(n.id).toLowerCase(),
        (n.properties as { securityRules: Rule[] }).securityRules,
      ]),
    );
  const deniesInternetOut = (rules: Rule[] = []) =>
    rules.some(
      (r) =>
        r.properties.direction === 'Outbound' && r.properties.access === 'Deny' && r.properties.destinationAddressPrefix === 'Internet',
    );
  const effective = async (subscription: string, rg: string, nic: string) =>
    ((await networkClient(sim, subscription).networkInterfaces.beginGetEffectiveRouteTableAndWait(rg, nic, fastPolling)).value ?? []).map(
      (r: EffectiveRoute) => `${r.source} ${r.state} ${(r.addressPrefix ?? []).join()} ${r.nextHopType}`,
    );

  it('should find NSGs, NICs and VMs of every customer with Resource Graph, VNets with their subnets inline', async () => {
    for (const [sub, vms] of [
      [CONTOSO0, ['vm-contoso-app01', 'vm-contoso-jump01', 'vm-contoso-nva01']],
      [FABRIKAM0, ['vm-fabrikam-nva01', 'vm-fabrikam-web01']],
      [NORTHWIND0, ['vm-northwind-app01', 'vm-northwind-fw01']],
    ] as const) {
      const found = await byType(sub, 'microsoft.compute/virtualmachines');
      assert.deepEqual(
        found.map((v) => v.name),
        vms,
      );
      const running = await graph(
        sub,
        "Resources | where type =~ 'microsoft.compute/virtualmachines' | where properties.extended.instanceView.powerState.code == 'PowerState/running' | project name",
      );
      assert.equal(running.length, vms.length, 'Resource Graph shows the power state under properties.extended');
      const nics = await byType(sub, 'microsoft.network/networkinterfaces');
      assert.deepEqual(
        nics.map((n) => n.name),
        vms.map((v) => `${v}-nic`),
      );
      assert.ok((await byType(sub, 'microsoft.network/networksecuritygroups')).length >= 2);
      assert.ok((await subnetsOf(sub)).length >= 2);
    }
  });

  it('should show Contoso’s NSG gaps: a subnet without an NSG, an NSG on the GatewaySubnet, Internet allowed in on any port', async () => {
    const subnets = await subnetsOf(CONTOSO0);
    assert.deepEqual(
      subnets.filter((s) => s.name !== 'GatewaySubnet' && !s.properties.networkSecurityGroup).map((s) => `${s.vnet}/${s.name}`),
      ['vnet-contoso-hub/snet-shared'],
    );
    assert.ok(subnets.some((s) => s.name === 'GatewaySubnet' && s.properties.networkSecurityGroup?.id.endsWith('/nsg-contoso-gateway')));
    const open = [...(await rulesOf(CONTOSO0)).values()]
      .flat()
      .filter(
        (r) =>
          r.properties.direction === 'Inbound' &&
          r.properties.access === 'Allow' &&
          ['Internet', '*'].includes(r.properties.sourceAddressPrefix) &&
          r.properties.destinationPortRange === '*',
      );
    assert.deepEqual(
      open.map((r) => r.name),
      ['allow-any-from-internet'],
    );
    // No forced tunnelling and no encryption: internet traffic goes straight out, nothing is encrypted.
    assert.ok((await effective(CONTOSO0, 'rg-contoso-network', 'vm-contoso-app01-nic')).includes('Default Active 0.0.0.0/0 Internet'));
    assert.deepEqual(await byType(CONTOSO0, 'microsoft.network/expressrouteports'), []);
    assert.ok(
      (await byType(CONTOSO0, 'microsoft.network/connections')).every((c) => (c.properties as Row).connectionType === 'ExpressRoute'),
    );
  });

  it('should show contoso-par-er4 shared outside Contoso: a VNet in Fabrikam’s subscription connected with its authorization', async () => {
    const [connection] = await graph(
      FABRIKAM0,
      "Resources | where type =~ 'microsoft.network/connections' | where properties.peer.id endswith '/contoso-par-er4' | project id, name",
    );
    assert.equal(connection?.name, 'cn-dr-partner-par');
    const circuit = await networkClient(sim, CONTOSO1).expressRouteCircuits.get('rg-contoso-dr', 'contoso-par-er4');
    assert.deepEqual(
      circuit.authorizations?.map((a) => [a.name, a.authorizationUseStatus, a.connectionResourceUri]),
      [['auth-dr-partner', 'InUse', connection?.id]],
    );
    // Contoso's own subscriptions hold no connection to it: only the authorization tells.
    for (const sub of DEMO_CUSTOMERS.contoso.subscriptions) {
      assert.deepEqual(
        (await byType(sub, 'microsoft.network/connections')).filter((c) =>
          String((c.properties as { peer?: { id?: string } }).peer?.id).endsWith('/contoso-par-er4'),
        ),
        [],
      );
    }
  });

  it('should show Fabrikam’s forced tunnelling by UDR without a deny-Internet backstop, and MACsec on its Direct port', async () => {
    const web = (await subnetsOf(FABRIKAM0)).find((s) => s.name === 'snet-web');
    assert.ok(web?.properties.routeTable?.id.endsWith('/rt-fabrikam-egress'));
    const routes = await effective(FABRIKAM0, 'rg-fabrikam-network', 'vm-fabrikam-web01-nic');
    assert.ok(routes.includes('User Active 0.0.0.0/0 VirtualAppliance'));
    assert.ok(routes.includes('Default Invalid 0.0.0.0/0 Internet'));
    const rules = await rulesOf(FABRIKAM0);
    assert.equal(deniesInternetOut(rules.get(web?.properties.networkSecurityGroup?.id.toLowerCase() ?? '')), false);
    const [port] = await byType(FABRIKAM0, 'microsoft.network/expressrouteports');
    const links = (port?.properties as { links: Array<{ properties: { macSecConfig?: Record<string, string> } }> }).links;
    assert.equal(links.length, 2);
    for (const link of links) {
      assert.match(link.properties.macSecConfig?.cknSecretIdentifier ?? '', /^https:\/\/.*\.vault\.azure\.net\/secrets\//);
      assert.match(link.properties.macSecConfig?.cakSecretIdentifier ?? '', /^https:\/\/.*\.vault\.azure\.net\/secrets\//);
      assert.equal(link.properties.macSecConfig?.cipher, 'GcmAes256');
    }
  });

  it('should show Northwind meeting every criterion: NSGs with an outbound backstop, 0.0.0.0/0 over private peering and by UDR, IPsec', async () => {
    const subnets = await subnetsOf(NORTHWIND0);
    const rules = await rulesOf(NORTHWIND0);
    for (const s of subnets) {
      if (s.name === 'GatewaySubnet') assert.equal(s.properties.networkSecurityGroup, undefined, 'no NSG on the GatewaySubnet');
      else assert.ok(deniesInternetOut(rules.get(s.properties.networkSecurityGroup?.id.toLowerCase() ?? '')), `${s.name} has a backstop`);
    }
    const learned = await networkClient(sim, NORTHWIND0).expressRouteCircuits.beginListRoutesTableAndWait(
      'rg-northwind',
      'northwind-nyc-er1',
      'AzurePrivatePeering',
      'primary',
      fastPolling,
    );
    assert.ok(learned.value?.some((r) => r.network === '0.0.0.0/0'));
    const routes = await effective(NORTHWIND0, 'rg-northwind', 'vm-northwind-app01-nic');
    assert.ok(routes.includes('VirtualNetworkGateway Invalid 0.0.0.0/0 VirtualNetworkGateway'), routes.join('\n'));
    assert.ok(routes.includes('User Active 0.0.0.0/0 VirtualAppliance'));
    assert.ok(routes.includes('VirtualNetworkGateway Active 10.48.0.0/16 VirtualNetworkGateway'), 'the PCI zone, through IPsec');
    const fw = await effective(NORTHWIND0, 'rg-northwind', 'vm-northwind-fw01-nic');
    assert.ok(fw.includes('VirtualNetworkGateway Active 0.0.0.0/0 VirtualNetworkGateway'), 'the firewall sends internet traffic home');
    const gateways = await byType(NORTHWIND0, 'microsoft.network/virtualnetworkgateways');
    assert.ok(gateways.some((g) => (g.properties as Row).gatewayType === 'Vpn' && (g.properties as Row).enablePrivateIpAddress === true));
    const ipsec = (await byType(NORTHWIND0, 'microsoft.network/connections')).filter(
      (c) => (c.properties as Row).connectionType === 'IPsec',
    );
    assert.deepEqual(
      ipsec.map((c) => [c.name, (c.properties as Row).useLocalAzureIpAddress]),
      [['cn-northwind-ipsec-pci', true]],
    );
  });

  it('should read the effective routes of every demo NIC: each is on a running VM', async () => {
    for (const sub of [CONTOSO0, FABRIKAM0, NORTHWIND0]) {
      for (const nic of await byType(sub, 'microsoft.network/networkinterfaces')) {
        const rg = String(nic.id).split('/')[4] ?? '';
        assert.ok((await effective(sub, rg, String(nic.name))).length > 6, String(nic.name));
      }
    }
  });
});
