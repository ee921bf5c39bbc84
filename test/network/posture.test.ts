import assert from 'node:assert/strict';
import { ErrorCode } from '../../src/errors';
import { internetOutbound } from '../../src/network/nsg-rules';
import type { Part } from '../../src/network/part';
import { evaluatePosture, type PostureInput, type SecurityRequirements } from '../../src/network/posture';
import type {
  CircuitLinkFact,
  GatewayFact,
  IpsecConnectionFact,
  NsgFact,
  PostureFacts,
  SecurityRuleFact,
  VnetFact,
} from '../../src/network/posture-facts';
import type { UdrTable } from '../../src/network/types';
import { circuit, peering } from './circuit-fixture';

/**
 * The criteria's judgement where the reads leave doubt: a part that couldn't be read makes what needs it unknown,
 * never met; a requirement the directory doesn't make is not applicable; firewalls seen only on Azure's side can't
 * confirm encryption. (Each criterion met and a gap on a generated fleet: test/app/security-posture.test.ts.)
 */

const SUB = '1a1a1a1a-0000-4000-8000-00000000c001';
const net = (type: string, name: string) => `/subscriptions/${SUB}/resourceGroups/rg-network/providers/Microsoft.Network/${type}/${name}`;
const VNET = net('virtualNetworks', 'vnet-a');
const NSG = net('networkSecurityGroups', 'nsg-a');
const RT = net('routeTables', 'rt-a');
const er = circuit({ peerings: [peering('private')] });
const ok = <T>(value: T): Part<T> => ({ ok: true, value, fetchedAt: 0 });
const failed: Part<never> = {
  ok: false,
  error: { code: ErrorCode.ArmForbidden, message: 'no access to subscription x', hint: 'Grant Reader.' },
};

const rule = (o: Partial<SecurityRuleFact> & Pick<SecurityRuleFact, 'name' | 'priority' | 'direction' | 'access'>): SecurityRuleFact => ({
  protocol: '*',
  sources: ['*'],
  destinations: ['*'],
  destinationPorts: ['*'],
  isDefault: false,
  ...o,
});
const ALLOW_INTERNET_OUT = rule({
  name: 'AllowInternetOutBound',
  priority: 65001,
  direction: 'Outbound',
  access: 'Allow',
  destinations: ['Internet'],
  isDefault: true,
});
const DENY_INTERNET_OUT = rule({
  name: 'deny-internet',
  priority: 4000,
  direction: 'Outbound',
  access: 'Deny',
  destinations: ['Internet'],
});
const nsg = (...rules: SecurityRuleFact[]): NsgFact => ({ id: NSG, name: 'nsg-a', rules: [...rules, ALLOW_INTERNET_OUT] });
const vnet: VnetFact = {
  id: VNET,
  name: 'vnet-a',
  subscriptionId: SUB,
  addressPrefixes: ['10.1.0.0/16'],
  subnets: [
    { id: `${VNET}/subnets/GatewaySubnet`, name: 'GatewaySubnet', addressPrefixes: ['10.1.255.0/27'] },
    { id: `${VNET}/subnets/snet-app`, name: 'snet-app', addressPrefixes: ['10.1.1.0/24'], nsgId: NSG, routeTableId: RT },
  ],
  peerings: [],
};
const toAppliance: UdrTable = {
  id: RT,
  name: 'rt-a',
  subscriptionId: SUB,
  resourceGroup: 'rg-network',
  location: 'westeurope',
  disableBgpRoutePropagation: false,
  routes: [{ name: 'onprem-via-fw', addressPrefix: '10.20.0.0/16', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.1.0.4' }],
  subnetIds: [`${VNET}/subnets/snet-app`],
};

function input(o: { facts?: Partial<PostureFacts>; requirements?: SecurityRequirements; defaultRoute?: Part<boolean> } = {}): PostureInput {
  const facts: PostureFacts = {
    links: new Map([[er.id.toLowerCase(), ok([{ name: 'cn-a', subscriptionId: SUB, vnetId: VNET }])]]),
    vnets: ok([vnet]),
    nsgs: ok([nsg(DENY_INTERNET_OUT)]),
    routeTables: ok([toAppliance]),
    gateways: ok([]),
    ipsecConnections: ok([]),
    ports: ok([]),
    ...o.facts,
  };
  return {
    customer: { id: 'contoso', name: 'Contoso Ltd' },
    requirements: o.requirements ?? { forcedTunnelling: true, requireEncryption: true },
    ownerOf: (s) => (s.toLowerCase() === SUB ? 'own' : 'unknown'),
    circuits: [er],
    facts,
    defaultRoutes: new Map([[er.id.toLowerCase(), o.defaultRoute ?? ok(true)]]),
  };
}

const statuses = (i: PostureInput) => {
  const [c] = evaluatePosture(i).circuits;
  return Object.fromEntries([...(c?.findings ?? []), ...(c?.vnets.flatMap((v) => v.findings) ?? [])].map((f) => [f.criterion, f.status]));
};
const finding = (i: PostureInput, criterion: string) => {
  const [c] = evaluatePosture(i).circuits;
  return [...(c?.findings ?? []), ...(c?.vnets.flatMap((v) => v.findings) ?? [])].find((f) => f.criterion === criterion);
};

describe('network: security posture where the facts leave doubt', () => {
  it('should be unknown, never met, for each criterion whose part could not be read, and say what could not be read', () => {
    assert.equal(statuses(input({ facts: { nsgs: failed } }))['no-open-inbound'], 'unknown');
    assert.equal(statuses(input({ facts: { nsgs: failed } }))['internet-backstop'], 'unknown');
    assert.deepEqual(finding(input({ facts: { nsgs: failed } }), 'no-open-inbound')?.evidence, [
      "Couldn't read the NSGs: no access to subscription x Grant Reader.",
    ]);
    const noRoutes = statuses(input({ facts: { routeTables: failed } }));
    assert.equal(noRoutes['forced-tunnelling'], 'unknown');
    assert.equal(noRoutes.encryption, 'unknown');
    assert.equal(statuses(input({ defaultRoute: failed }))['forced-tunnelling'], 'unknown', "the circuit's route table");
    const noLinks = evaluatePosture(input({ facts: { links: new Map([[er.id.toLowerCase(), failed]]) } })).circuits[0];
    assert.equal(noLinks?.findings.find((f) => f.criterion === 'isolation')?.status, 'unknown');
    assert.equal(noLinks?.findings.find((f) => f.criterion === 'encryption')?.status, 'unknown');
    assert.deepEqual(noLinks?.vnets, [], 'no VNet is judged without its links');
    const noVnets = evaluatePosture(input({ facts: { vnets: failed } })).circuits[0];
    assert.deepEqual(
      noVnets?.vnets.flatMap((v) => v.findings.map((f) => f.status)),
      ['unknown', 'unknown', 'unknown', 'unknown', 'unknown'],
      'the linked VNet is listed, every criterion unknown',
    );
  });

  it('should not confirm encryption from appliances on Azure’s side only: unknown where required, n/a where not', () => {
    assert.equal(statuses(input())['encryption'], 'unknown');
    assert.match(finding(input(), 'encryption')?.evidence[0] ?? '', /on-premises side can't be seen from Azure/);
    assert.equal(statuses(input({ requirements: {} }))['encryption'], 'na');
  });

  it('should make separation, forced tunnelling and encryption n/a where the directory does not ask for them, and gaps where it does', () => {
    const both = { ...input({ requirements: {} }), circuits: [circuit({ peerings: [peering('private'), peering('microsoft')] })] };
    both.facts = { ...both.facts, links: new Map([[both.circuits[0]!.id.toLowerCase(), ok([])]]) };
    assert.equal(statuses(both).separation, 'na');
    assert.equal(statuses({ ...both, requirements: { separatePublicAndPrivate: true } }).separation, 'gap');
    const off = { facts: { routeTables: ok([{ ...toAppliance, disableBgpRoutePropagation: true }]) } };
    assert.equal(statuses(input({ ...off, requirements: {} }))['forced-tunnelling'], 'na');
    assert.equal(statuses(input(off))['forced-tunnelling'], 'gap');
    const bare = { routeTables: ok([{ ...toAppliance, routes: [] }]) };
    assert.equal(statuses(input({ facts: bare }))['encryption'], 'gap');
    assert.equal(statuses(input({ facts: bare, requirements: {} }))['encryption'], 'na');
  });

  it('should not call a circuit isolated while an authorization in use names no connection', () => {
    const inUse = circuit({ peerings: [peering('private')], authorizations: [{ name: 'auth-1', useStatus: 'InUse' }] });
    const i = { ...input(), circuits: [inUse] };
    assert.equal(finding(i, 'isolation')?.status, 'unknown');
  });

  it('should read an outbound deny the way Azure evaluates rules: by priority, for every protocol', () => {
    assert.equal(internetOutbound(nsg(DENY_INTERNET_OUT)).denied, true);
    assert.equal(internetOutbound(nsg()).denied, false, "Azure's AllowInternetOutBound");
    assert.equal(internetOutbound(nsg({ ...DENY_INTERNET_OUT, protocol: 'Tcp' })).denied, false, 'UDP still leaves');
    const allowFirst = rule({
      name: 'allow-out',
      priority: 100,
      direction: 'Outbound',
      access: 'Allow',
      destinations: ['0.0.0.0/0'],
      destinationPorts: ['0-65535'],
    });
    assert.equal(internetOutbound(nsg(allowFirst, DENY_INTERNET_OUT)).rule?.name, 'allow-out');
    const anyInbound = rule({
      name: 'any-in',
      priority: 300,
      direction: 'Inbound',
      access: 'Allow',
      sources: ['*'],
      destinationPorts: ['0-65535'],
    });
    assert.equal(statuses(input({ facts: { nsgs: ok([nsg(anyInbound, DENY_INTERNET_OUT)]) } }))['no-open-inbound'], 'gap');
    const https = { ...anyInbound, destinationPorts: ['443'] };
    assert.equal(
      statuses(input({ facts: { nsgs: ok([nsg(https, DENY_INTERNET_OUT)]) } }))['no-open-inbound'],
      'met',
      'one port is a choice',
    );
  });
});

describe('network: security posture, as Azure has it (review of issue 11)', () => {
  const OTHER = '9f9f9f9f-0000-4000-8000-00000000b001';
  const vnetB = net('virtualNetworks', 'vnet-b');
  const connection = (name: string, sub = SUB) =>
    `/subscriptions/${sub}/resourceGroups/rg-network/providers/Microsoft.Network/connections/${name}`;
  /** A link from the customer's subscription whose gateway and VNet Resource Graph didn't show. */
  const unresolved: CircuitLinkFact = { name: 'cn-b', subscriptionId: SUB, connectionId: connection('cn-b') };
  const links = (...l: CircuitLinkFact[]) => new Map([[er.id.toLowerCase(), ok(l)]]);
  const vpn = (o: Partial<GatewayFact> = {}): GatewayFact => ({
    id: net('virtualNetworkGateways', 'vpngw-a'),
    name: 'vpngw-a',
    vnetId: VNET,
    kind: 'Vpn',
    privateIpAddresses: ['10.1.255.4'],
    enablePrivateIpAddress: true,
    ...o,
  });
  const ipsec: IpsecConnectionFact = {
    id: connection('cn-ipsec'),
    name: 'cn-ipsec',
    gatewayId: net('virtualNetworkGateways', 'vpngw-a'),
    useLocalAzureIpAddress: true,
  };
  const subnet = (name: string, o: Partial<VnetFact['subnets'][number]> = {}) => ({
    id: `${VNET}/subnets/${name}`,
    name,
    addressPrefixes: ['10.1.9.0/24'],
    ...o,
  });
  const withSubnets = (...subnets: VnetFact['subnets']): Partial<PostureFacts> => ({ vnets: ok([{ ...vnet, subnets }]) });
  const inbound = (name: string, ports: string[], sources = ['Internet']) =>
    rule({ name, priority: 200, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sources, destinationPorts: ports });

  it('should list a link whose VNet Resource Graph did not show as an unread VNet, and not call encryption n/a or met then', () => {
    const only = evaluatePosture(input({ facts: { links: links(unresolved) } })).circuits[0];
    assert.deepEqual(
      only?.vnets.map((v) => [v.name, [...new Set(v.findings.map((f) => f.status))]]),
      [['VNet behind cn-b', ['unknown']]],
    );
    assert.equal(only?.findings.find((f) => f.criterion === 'encryption')?.status, 'unknown', 'not "no VNet: n/a"');
    assert.match(
      finding(input({ facts: { links: links(unresolved) } }), 'encryption')?.evidence[0] ?? '',
      /the VNet behind cn-b: not read/,
    );
    // IPsec covers the one VNet that was read: still unknown while another isn't.
    const encrypted = { gateways: ok([vpn()]), ipsecConnections: ok([ipsec]) };
    assert.equal(statuses(input({ facts: encrypted }))['encryption'], 'met');
    const withUnread = { ...encrypted, links: links({ name: 'cn-a', subscriptionId: SUB, vnetId: VNET }, unresolved) };
    assert.equal(statuses(input({ facts: withUnread }))['encryption'], 'unknown');
    // A VNet id Resource Graph didn't return counts the same.
    const missing = { ...encrypted, links: links({ name: 'cn-a', subscriptionId: SUB, vnetId: VNET }, { ...unresolved, vnetId: vnetB }) };
    assert.equal(statuses(input({ facts: missing }))['encryption'], 'unknown');
    // A Virtual WAN hub's connection has no VNet to read: a note, not an unread VNet.
    const hub = evaluatePosture(input({ facts: { ...encrypted, links: links({ ...unresolved, hubGateway: 'ergw-hub' }) } })).circuits[0];
    assert.deepEqual(hub?.vnets, []);
  });

  it('should call a 0.0.0.0/0 UDR to the virtual network gateway tunnelled over VPN with a VPN gateway, and not tunnelled without one', () => {
    const toGateway = {
      routeTables: ok([
        { ...toAppliance, routes: [{ name: 'default-to-gw', addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualNetworkGateway' }] },
      ]),
    };
    const overVpn = input({ facts: { ...toGateway, gateways: ok([vpn()]) } });
    assert.equal(statuses(overVpn)['forced-tunnelling'], 'met');
    assert.deepEqual(finding(overVpn, 'forced-tunnelling')?.evidence, [
      'snet-app: 0.0.0.0/0 → VirtualNetworkGateway by UDR (rt-a): tunnelled over site-to-site VPN (vpngw-a), not ExpressRoute.',
    ]);
    const erOnly = input({ facts: { ...toGateway, gateways: ok([vpn({ name: 'ergw-a', kind: 'ExpressRoute' })]) } });
    assert.equal(statuses(erOnly)['forced-tunnelling'], 'gap');
    assert.match(
      finding(erOnly, 'forced-tunnelling')?.evidence[0] ?? '',
      /has no VPN gateway, and Azure takes no ExpressRoute gateway as a UDR next hop/,
    );
    assert.equal(statuses(input({ facts: { ...toGateway, gateways: failed } }))['forced-tunnelling'], 'unknown');
  });

  it('should count Azure public peering as public traffic for separation, as the change kinds refuse it', () => {
    const publicToo = circuit({ peerings: [peering('private'), peering('microsoft', { name: 'AzurePublicPeering', kind: 'public' })] });
    const i = { ...input({ requirements: { separatePublicAndPrivate: true } }), circuits: [publicToo] };
    assert.equal(finding(i, 'separation')?.status, 'gap');
    assert.deepEqual(finding(i, 'separation')?.evidence, ['Carries private and Azure public peering on one circuit.']);
  });

  it('should judge a redeemed authorization that no link accounts for by its connection’s subscription', () => {
    const redeemed = (sub: string) =>
      circuit({
        peerings: [peering('private')],
        authorizations: [{ name: 'auth-x', useStatus: 'InUse', connectionId: connection('cn-x', sub) }],
      });
    const outside = { ...input(), circuits: [redeemed(OTHER)] };
    assert.equal(finding(outside, 'isolation')?.status, 'gap');
    assert.deepEqual(finding(outside, 'isolation')?.evidence, [
      `Authorization auth-x was redeemed from subscription ${OTHER}, which the directory lists for no customer.`,
    ]);
    assert.equal(finding({ ...input(), circuits: [redeemed(SUB)] }, 'isolation')?.status, 'met');
  });

  it('should leave out the subnets Azure takes no NSG or no route table on, saying which and why', () => {
    const facts = withSubnets(
      subnet('GatewaySubnet'),
      subnet('snet-app', { nsgId: NSG, routeTableId: RT }),
      subnet('AzureFirewallSubnet'),
      subnet('AzureFirewallManagementSubnet'),
      subnet('RouteServerSubnet'),
      subnet('AzureBastionSubnet', { nsgId: NSG }),
    );
    const i = input({ facts });
    assert.equal(statuses(i)['nsg-on-subnets'], 'met');
    assert.deepEqual(finding(i, 'nsg-on-subnets')?.evidence, [
      'All 2 subnets have an NSG.',
      "Not checked: AzureFirewallSubnet (Azure Firewall's subnet takes no NSG); AzureFirewallManagementSubnet (Azure Firewall's management " +
        "subnet takes no NSG); RouteServerSubnet (Azure Route Server's subnet takes no NSG).",
    ]);
    assert.equal(statuses(i)['forced-tunnelling'], 'met', 'Bastion and the firewall need their own way out');
    assert.match(
      finding(i, 'forced-tunnelling')?.evidence.at(-1) ?? '',
      /AzureBastionSubnet \(Azure Bastion's subnet takes no route table\)/,
    );
    // Bastion takes an NSG: without one it is a gap like any subnet.
    const bare = withSubnets(subnet('snet-app', { nsgId: NSG, routeTableId: RT }), subnet('AzureBastionSubnet'));
    assert.deepEqual(finding(input({ facts: bare }), 'nsg-on-subnets')?.evidence, ['No NSG on AzureBastionSubnet.']);
  });

  it('should flag SSH and RDP open to the internet, alone or in a range, naming the rule and the ports; 443 alone stays met', () => {
    const evidenceOf = (...rules: SecurityRuleFact[]) =>
      finding(input({ facts: { nsgs: ok([nsg(...rules, DENY_INTERNET_OUT)]) } }), 'no-open-inbound');
    assert.deepEqual(evidenceOf(inbound('ssh', ['22'])), {
      criterion: 'no-open-inbound',
      status: 'gap',
      evidence: ['nsg-a: ssh (priority 200) allows SSH (22) from Internet (snet-app).'],
    });
    assert.deepEqual(evidenceOf(inbound('admin', ['22', '3389'], ['*']))?.evidence, [
      'nsg-a: admin (priority 200) allows SSH (22) and RDP (3389) from * (snet-app).',
    ]);
    assert.deepEqual(evidenceOf(inbound('low', ['1-1024']))?.evidence, [
      'nsg-a: low (priority 200) allows ports 1-1024, SSH (22) among them, from Internet (snet-app).',
    ]);
    assert.equal(evidenceOf(inbound('rdp-range', ['3000-4000']))?.status, 'gap');
    assert.equal(evidenceOf(inbound('web', ['443']))?.status, 'met');
    assert.equal(evidenceOf(inbound('ssh-onprem', ['22'], ['10.20.0.0/16']))?.status, 'met', 'from on-premises only');
  });

  it('should recommend the deny-Internet backstop where forced tunnelling is not required, and require it where it is', () => {
    const open = { nsgs: ok([nsg()]) };
    assert.equal(statuses(input({ facts: open }))['internet-backstop'], 'gap');
    assert.equal(statuses(input({ facts: open, requirements: {} }))['internet-backstop'], 'advice');
    assert.equal(statuses(input({ requirements: {} }))['internet-backstop'], 'met');
  });

  it('should read the backstop in priority order, naming the Allows to the internet before the Deny as its exceptions', () => {
    const https = rule({
      name: 'allow-https-out',
      priority: 100,
      direction: 'Outbound',
      access: 'Allow',
      protocol: 'Tcp',
      destinations: ['Internet'],
      destinationPorts: ['443'],
    });
    const out = internetOutbound(nsg(https, DENY_INTERNET_OUT));
    assert.equal(out.denied, true);
    assert.deepEqual(
      out.exceptions.map((r) => r.name),
      ['allow-https-out'],
    );
    assert.deepEqual(finding(input({ facts: { nsgs: ok([nsg(https, DENY_INTERNET_OUT)]) } }), 'internet-backstop')?.evidence, [
      'Outbound Internet denied: nsg-a: deny Internet by deny-internet (priority 4000) with exceptions: allow-https-out (priority 100).',
    ]);
    assert.deepEqual(internetOutbound(nsg(DENY_INTERNET_OUT)).exceptions, []);
    const later = { ...https, priority: 4100 };
    assert.deepEqual(internetOutbound(nsg(later, DENY_INTERNET_OUT)).exceptions, [], 'an Allow after the Deny is never reached');
  });

  it('should flag a 0.0.0.0/0 UDR and BGP propagation turned off on the GatewaySubnet', () => {
    const gatewayRt = net('routeTables', 'rt-gw');
    const onGateway = (table: Partial<UdrTable>) =>
      input({
        facts: {
          ...withSubnets(subnet('GatewaySubnet', { routeTableId: gatewayRt }), subnet('snet-app', { nsgId: NSG, routeTableId: RT })),
          routeTables: ok([toAppliance, { ...toAppliance, id: gatewayRt, name: 'rt-gw', routes: [], ...table }]),
        },
      });
    assert.deepEqual(finding(onGateway({}), 'gateway-subnet-nsg')?.evidence, [
      'The GatewaySubnet has no NSG; rt-gw on it has no 0.0.0.0/0 route and keeps BGP route propagation on.',
    ]);
    const defaultRoute = onGateway({
      routes: [{ name: 'default-to-fw', addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.1.0.4' }],
    });
    assert.deepEqual(finding(defaultRoute, 'gateway-subnet-nsg'), {
      criterion: 'gateway-subnet-nsg',
      status: 'gap',
      evidence: ["UDR default-to-fw in rt-gw sends 0.0.0.0/0 from the GatewaySubnet: Azure doesn't support that."],
    });
    assert.deepEqual(finding(onGateway({ disableBgpRoutePropagation: true }), 'gateway-subnet-nsg')?.evidence, [
      "rt-gw turns BGP route propagation off on the GatewaySubnet: Azure says the gateway won't function like that.",
    ]);
    const unreadable = input({ facts: { ...withSubnets(subnet('GatewaySubnet', { routeTableId: gatewayRt })), routeTables: failed } });
    assert.equal(finding(unreadable, 'gateway-subnet-nsg')?.status, 'unknown');
  });
});
