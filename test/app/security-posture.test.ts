import assert from 'node:assert/strict';
import { customerPosture } from '../../src/app/answers/security';
import { visibleInventory } from '../../src/app/answers/visible-circuits';
import { systemClock } from '../../src/clock';
import { Access } from '../../src/directory/access';
import type { Customer } from '../../src/directory/directory';
import type { CustomerPosture } from '../../src/network/posture';
import { startArmKit, type ArmKit } from '../azure/support/arm-test-kit';
import { GLOBEX_SECRETS, STRANGER_SUB, securityDirectory, securityWorld } from '../support/security-fleets';

/**
 * Every security criterion, met and a gap, on a world built with the simulator's fleet builders and read the way
 * `security` reads it: Resource Graph through the real SDK over HTTPS, and the circuits' route tables from the
 * (simulated) edge routers.
 */

type Row = [circuit: string, vnet: string, criterion: string, status: string];

/** Each finding as [circuit, VNet (or '-' for the circuit's own), criterion, status], sorted. */
function matrix(posture: CustomerPosture): Row[] {
  return posture.circuits
    .flatMap((c) => [
      ...c.findings.map((f): Row => [c.name, '-', f.criterion, f.status]),
      ...c.vnets.flatMap((v) => v.findings.map((f): Row => [c.name, v.name, f.criterion, f.status])),
    ])
    .sort((a, b) => a.join(' ').localeCompare(b.join(' ')));
}

const evidence = (posture: CustomerPosture, circuit: string, vnet: string, criterion: string) => {
  const c = posture.circuits.find((x) => x.name === circuit);
  const findings = vnet === '-' ? c?.findings : c?.vnets.find((v) => v.name === vnet)?.findings;
  return findings?.find((f) => f.criterion === criterion)?.evidence ?? [];
};

describe('app: the security posture of a customer, read from Azure and judged by each criterion', function () {
  this.timeout(60_000);
  let kit: ArmKit;
  const directory = securityDirectory();
  const access = new Access(directory);
  const acme = directory.customers.find((c) => c.id === 'acme') as Customer;

  async function postureOf(customer: Customer) {
    const inventory = await visibleInventory({ access, fleet: kit.access.fleet }, undefined, { customers: [customer] });
    return customerPosture(
      { access, posture: kit.access.posture, reader: kit.access.reader, clock: systemClock },
      customer,
      inventory.circuits,
      true,
    );
  }

  afterEach(() => kit?.close());

  it('should find each criterion met on one circuit or VNet and a gap on another', async () => {
    kit = await startArmKit({ fleet: securityWorld() });
    const graphCalls = () => kit.sim.requests.filter((r) => /microsoft\.resourcegraph\/resources/i.test(r.path)).length;
    const { posture, unread } = await postureOf(acme);
    assert.deepEqual(unread, []);
    // The inventory, the links of all three circuits at once (4), the VNets and their spokes (2), NSGs, route
    // tables, gateways, IPsec connections and ports: within Resource Graph's 15 queries per 5 seconds.
    assert.equal(graphCalls(), 12);
    const expected: Row[] = [
      // Private and Microsoft peering on one circuit, a link from Globex and one from an unknown subscription, no encryption.
      ['er-acme', '-', 'encryption', 'gap'],
      ['er-acme', '-', 'isolation', 'gap'],
      ['er-acme', '-', 'separation', 'gap'],
      ['er-acme', 'vnet-bad', 'forced-tunnelling', 'gap'],
      ['er-acme', 'vnet-bad', 'gateway-subnet-nsg', 'gap'],
      ['er-acme', 'vnet-bad', 'internet-backstop', 'na'],
      ['er-acme', 'vnet-bad', 'no-open-inbound', 'gap'],
      ['er-acme', 'vnet-bad', 'nsg-on-subnets', 'gap'],
      // MACsec on the Direct port.
      ['er-acme-direct', '-', 'encryption', 'met'],
      ['er-acme-direct', '-', 'isolation', 'met'],
      ['er-acme-direct', '-', 'separation', 'met'],
      // IPsec over private peering covers the hub and its spokes; 0.0.0.0/0 learned over private peering.
      ['er-acme-private', '-', 'encryption', 'met'],
      ['er-acme-private', '-', 'isolation', 'met'],
      ['er-acme-private', '-', 'separation', 'met'],
      ['er-acme-private', 'vnet-good', 'forced-tunnelling', 'met'],
      ['er-acme-private', 'vnet-good', 'gateway-subnet-nsg', 'met'],
      ['er-acme-private', 'vnet-good', 'internet-backstop', 'met'],
      ['er-acme-private', 'vnet-good', 'no-open-inbound', 'met'],
      ['er-acme-private', 'vnet-good', 'nsg-on-subnets', 'met'],
      ['er-acme-private', 'vnet-leaky', 'forced-tunnelling', 'met'],
      ['er-acme-private', 'vnet-leaky', 'gateway-subnet-nsg', 'na'],
      ['er-acme-private', 'vnet-leaky', 'internet-backstop', 'gap'],
      ['er-acme-private', 'vnet-leaky', 'no-open-inbound', 'met'],
      ['er-acme-private', 'vnet-leaky', 'nsg-on-subnets', 'met'],
      ['er-acme-private', 'vnet-nobgp', 'forced-tunnelling', 'gap'],
      ['er-acme-private', 'vnet-nobgp', 'gateway-subnet-nsg', 'na'],
      ['er-acme-private', 'vnet-nobgp', 'internet-backstop', 'na'],
      ['er-acme-private', 'vnet-nobgp', 'no-open-inbound', 'met'],
      ['er-acme-private', 'vnet-nobgp', 'nsg-on-subnets', 'met'],
    ];
    assert.deepEqual(
      matrix(posture),
      expected.sort((a, b) => a.join(' ').localeCompare(b.join(' '))),
    );
    assert.deepEqual(
      posture.circuits.find((c) => c.name === 'er-acme-private')?.vnets.map((v) => [v.name, v.via ?? '']),
      [
        ['vnet-good', ''],
        ['vnet-leaky', 'vnet-good'],
        ['vnet-nobgp', 'vnet-good'],
      ],
    );
  });

  it('should give each gap its evidence, naming a stranger subscription but never another customer or its resources', async () => {
    kit = await startArmKit({ fleet: securityWorld() });
    const { posture } = await postureOf(acme);
    assert.deepEqual(evidence(posture, 'er-acme', '-', 'isolation'), [
      'A VNet link comes from a subscription outside this customer.',
      `Authorization auth-stranger was redeemed from subscription ${STRANGER_SUB}, which the directory lists for no customer.`,
    ]);
    const shown = JSON.stringify(posture);
    for (const secret of GLOBEX_SECRETS) assert.ok(!shown.includes(secret), `the posture shows ${secret}`);
    assert.deepEqual(evidence(posture, 'er-acme', 'vnet-bad', 'nsg-on-subnets'), ['No NSG on snet-bare.']);
    assert.deepEqual(evidence(posture, 'er-acme', 'vnet-bad', 'no-open-inbound'), [
      'nsg-open: allow-anything (priority 100) allows any port from Internet (snet-open).',
    ]);
    assert.deepEqual(evidence(posture, 'er-acme', 'vnet-bad', 'gateway-subnet-nsg'), ['NSG nsg-gateway is on the GatewaySubnet.']);
    assert.deepEqual(evidence(posture, 'er-acme-private', 'vnet-good', 'forced-tunnelling'), [
      'snet-fw: 0.0.0.0/0 learned over private peering.',
      'snet-app: 0.0.0.0/0 → VirtualAppliance 10.42.0.4 by UDR (rt-egress).',
    ]);
    assert.deepEqual(evidence(posture, 'er-acme-private', 'vnet-nobgp', 'forced-tunnelling'), [
      'snet-spoke: 0.0.0.0/0 is learned over private peering, but rt-nobgp turns BGP route propagation off.',
    ]);
    assert.deepEqual(evidence(posture, 'er-acme-private', 'vnet-leaky', 'internet-backstop'), [
      'snet-spoke: nsg-leaky lets traffic out to the internet (AllowInternetOutBound (priority 65001)).',
    ]);
    assert.match(
      evidence(posture, 'er-acme-private', '-', 'encryption').join(' '),
      /vnet-good: IPsec cn-ipsec over private peering \(vpngw-good/,
    );
    assert.deepEqual(evidence(posture, 'er-acme-direct', '-', 'encryption'), ['MACsec on both links of erport-acme (GcmAes256).']);
  });

  it('should say unknown, never met, for what it could not read: the route table of a circuit', async () => {
    kit = await startArmKit({
      fleet: securityWorld(),
      settings: { faults: [{ match: 'er-acme-private/peerings/AzurePrivatePeering/routeTables', status: 403, count: -1 }] },
    });
    const { posture } = await postureOf(acme);
    const good = posture.circuits.find((c) => c.name === 'er-acme-private')?.vnets.find((v) => v.name === 'vnet-good');
    const tunnelling = good?.findings.find((f) => f.criterion === 'forced-tunnelling');
    assert.equal(tunnelling?.status, 'unknown');
    assert.match(tunnelling?.evidence.join(' ') ?? '', /snet-fw: the circuit's private-peering route table couldn't be read/);
    assert.equal(
      good?.findings.find((f) => f.criterion === 'internet-backstop')?.status,
      'met',
      'the UDR-tunnelled subnet is still backed up',
    );
  });

  it('should say which parts Resource Graph could not give, and judge nothing that needs them', async () => {
    kit = await startArmKit({ fleet: securityWorld() });
    const inventory = await visibleInventory({ access, fleet: kit.access.fleet }, undefined, { customers: [acme] });
    kit.sim.addFaults([{ match: 'Microsoft.ResourceGraph', status: 403, code: 'AuthorizationFailed', count: -1 }]);
    const deps = { access, posture: kit.access.posture, reader: kit.access.reader, clock: systemClock };
    const { posture, unread } = await customerPosture(deps, acme, inventory.circuits, true);
    assert.ok(unread.length > 0 && unread.every((u) => /no access to subscription/.test(u)), unread.join(' | '));
    assert.deepEqual(
      [...new Set(matrix(posture).map(([, vnet, criterion, status]) => `${vnet === '-' ? '' : 'vnet '}${criterion} ${status}`))].sort(),
      ['encryption unknown', 'isolation unknown', 'separation gap', 'separation met'],
      'only separation, which needs nothing but the circuit, is judged; no VNet is',
    );
  });

  it('should read nothing of another customer for this one: Globex, asked about, sees only its own (none)', async () => {
    kit = await startArmKit({ fleet: securityWorld() });
    const globex = directory.customers.find((c) => c.id === 'globex') as Customer;
    const { posture } = await postureOf(globex);
    assert.deepEqual(posture.circuits, [], "Acme's circuits are not Globex's, though Globex links a VNet to one");
  });
});
