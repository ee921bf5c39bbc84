import assert from 'node:assert/strict';
import { ErrorCode } from '../../src/errors';
import { internetOutbound } from '../../src/network/nsg-rules';
import type { Part } from '../../src/network/part';
import { evaluatePosture, type PostureInput, type SecurityRequirements } from '../../src/network/posture';
import type { NsgFact, PostureFacts, SecurityRuleFact, VnetFact } from '../../src/network/posture-facts';
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
