import assert from 'node:assert/strict';
import { circuitCard } from '../../src/cards/circuit-card';
import { hintText } from '../../src/command-names';
import { CodedError, ErrorCode, OutcomeCode } from '../../src/errors';
import { pairVlanRefusal, vlanUniqueOnPair } from '../../src/changes/kinds/shared/port-pair';
import { checkPortCapacity } from '../../src/network/bandwidth';
import type { SubscriptionScope } from '../../src/network/types';
import { buildDemoFleet, startSimulator } from '../../src/simulator';
import { premiumAmsWithLinks } from '../support/link-fleets';
import { CHI_PORT, portPairFleet, type PortPairFleetOptions } from '../support/port-fleets';
import { circuit } from '../network/circuit-fixture';
import { AMS, CHI_DIRECT, FABRIKAM, SEA, startChangeKit, type ChangeKit } from './support/change-kit';

const FABRIKAM_SCOPE: SubscriptionScope = { tenantId: FABRIKAM.tenantId, subscriptionId: FABRIKAM.subscriptions[0] ?? '' };
const refused = (re: RegExp, hint?: RegExp) => (e: unknown) => {
  assert.ok(e instanceof CodedError && e.code === ErrorCode.Refused, String(e));
  assert.match(e.message, re);
  if (hint) assert.match(hintText(e.hint ?? ''), hint);
  return true;
};
const argQueries = (k: ChangeKit) => k.sim.requests.filter((q) => /microsoft\.resourcegraph/i.test(q.path)).length;
const ARG_DOWN = { match: 'Microsoft.ResourceGraph', status: 403, code: 'AuthorizationFailed', count: -1 };
/** A subscription no demo customer lists: circuits there are outside what the bot reads for Fabrikam. */
const ELSEWHERE = '0e1f2a3b-4c5d-4e6f-8a9b-00000000e15e';
const DOT1Q: PortPairFleetOptions = { encapsulation: 'Dot1Q' };

describe('private peering and bandwidth against reality (issue 10, rule 6): linked VNets and the Direct port pair', function () {
  this.timeout(60_000);
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });
  /** The real workflow and Resource Graph readers over HTTPS, against the demo fleet or one with more circuits on the Chicago port. */
  const kit = async (neighbours?: Parameters<typeof portPairFleet>[0], o: PortPairFleetOptions = {}) => {
    const sim = neighbours ? await startSimulator({ fleet: portPairFleet(neighbours, o).fleet, settings: { deviceReadMs: 0 } }) : undefined;
    const k = await startChangeKit(sim ? { sim } : {});
    cleanups.push(() => k.close());
    if (sim) cleanups.push(() => sim.close());
    return k;
  };
  const ask = (k: ChangeKit, customer: string, id: string, kind: string, input: Record<string, unknown>) =>
    k.workflow.request(k.people.engineer, customer, id, kind, input);

  describe('link subnets and the VNets linked to the circuit', () => {
    it('should refuse private peering subnets inside a linked VNet’s address space, naming the VNet and its connection', async () => {
      const k = await kit();
      // vnet-contoso-hub (10.100.0.0/16) is linked to contoso-ams-er1 by cn-contoso-hub-ams.
      await assert.rejects(
        ask(k, 'contoso', AMS, 'private-peering', {
          primaryPeerAddressPrefix: '10.100.7.0/30',
          secondaryPeerAddressPrefix: '10.100.7.4/30',
        }),
        refused(/10\.100\.7\.0\/30 overlaps 10\.100\.0\.0\/16 of VNet vnet-contoso-hub, linked to contoso-ams-er1 by cn-contoso-hub-ams/),
      );
      const fine = await ask(k, 'contoso', AMS, 'private-peering', {
        primaryPeerAddressPrefix: '10.1.0.248/30',
        secondaryPeerAddressPrefix: '10.1.0.252/30',
      });
      assert.equal(fine.state, 'pending');
    });

    it('should refuse, saying why, when the links cannot be read (fail closed, as the simulator refuses the write)', async () => {
      const k = await kit();
      k.sim.addFaults([ARG_DOWN]);
      await assert.rejects(
        ask(k, 'contoso', AMS, 'private-peering', {
          primaryPeerAddressPrefix: '10.1.0.248/30',
          secondaryPeerAddressPrefix: '10.1.0.252/30',
        }),
        refused(/^I could not read the VNets linked to contoso-ams-er1: .+; try again\./),
      );
      assert.equal(k.puts(AMS), 0);
    });

    it('should refuse naming the connection whose VNet the bot cannot see, and the subscription to grant read on', async () => {
      const k = await kit();
      // cn-fabrikam-hub-er redeemed an authorization of fabrikam-sea-er3 from a subscription Fabrikam does not list.
      await assert.rejects(
        ask(k, 'fabrikam', SEA, 'private-peering', {
          primaryPeerAddressPrefix: '10.9.0.248/30',
          secondaryPeerAddressPrefix: '10.9.0.252/30',
        }),
        refused(
          /I can't see the VNet behind cn-fabrikam-hub-er, linked to fabrikam-sea-er3, so I can't check the link subnets/,
          /grant the bot read on subscription 9f1e2d3c-4b5a-4789-8abc-0fab1e000002/,
        ),
      );
    });

    it('should refuse naming a Virtual WAN hub connection, whose VNets the bot does not read', async () => {
      const sim = await startSimulator({ fleet: premiumAmsWithLinks(0, { hubLinks: 1 }), settings: { deviceReadMs: 0 } });
      const k = await startChangeKit({ sim });
      cleanups.push(
        () => k.close(),
        () => sim.close(),
      );
      await assert.rejects(
        ask(k, 'contoso', AMS, 'private-peering', {
          primaryPeerAddressPrefix: '10.1.0.248/30',
          secondaryPeerAddressPrefix: '10.1.0.252/30',
        }),
        refused(
          /can't be checked against the VNets behind cn-hub-0 \(Virtual WAN hub gateway ergw-hub-contoso\), linked to contoso-ams-er1/,
        ),
      );
    });
  });

  describe('a VLAN (C-Tag) on an ExpressRoute Direct port pair', () => {
    it('should refuse on a Dot1Q port a VLAN another circuit on the pair uses, naming it and a free one; private and Microsoft peering alike', async () => {
      const k = await kit([{ name: 'fabrikam-chi-direct2', bandwidthInGbps: 10, vlanId: 500 }], DOT1Q);
      await assert.rejects(
        ask(k, 'fabrikam', CHI_DIRECT, 'private-peering', { vlanId: 500 }),
        refused(
          /VLAN 500 is already used by AzurePrivatePeering of fabrikam-chi-direct2 on the same ExpressRoute Direct port pair/,
          /Pick a VLAN no circuit on the port pair uses, e\.g\. 501\. In use there: 310, 500\./,
        ),
      );
      await assert.rejects(
        ask(k, 'fabrikam', CHI_DIRECT, 'microsoft-peering', {
          vlanId: 500,
          peerAsn: 64496,
          primaryPeerAddressPrefix: '145.14.0.0/30',
          secondaryPeerAddressPrefix: '145.14.0.4/30',
          advertisedPublicPrefixes: '145.14.8.0/24',
          routingRegistryName: 'RIPENCC',
        }),
        refused(/VLAN 500 is already used by AzurePrivatePeering of fabrikam-chi-direct2/),
      );
      const free = await ask(k, 'fabrikam', CHI_DIRECT, 'private-peering', { vlanId: 501 });
      assert.equal(free.state, 'pending');
    });

    it('should take on a QinQ port a C-Tag another circuit on the pair uses: each circuit has its own S-Tag', async () => {
      const k = await kit([{ name: 'fabrikam-chi-direct2', bandwidthInGbps: 10, vlanId: 500 }], { encapsulation: 'QinQ' });
      const r = await ask(k, 'fabrikam', CHI_DIRECT, 'private-peering', { vlanId: 500 });
      assert.equal(r.state, 'pending');
      assert.equal(argQueries(k), 0, 'no port pair read: the C-Tag need only be unique within the circuit');
    });

    it('should refuse on a Dot1Q port when circuits on the pair are outside what the bot can read, naming them (fail closed)', async () => {
      const k = await kit([{ name: 'chi-foreign', bandwidthInGbps: 10, vlanId: 520, subscriptionId: ELSEWHERE }], DOT1Q);
      await assert.rejects(
        ask(k, 'fabrikam', CHI_DIRECT, 'private-peering', { vlanId: 777 }),
        refused(
          /^1 circuit on fabrikam-chi-direct's ExpressRoute Direct port pair erport-fabrikam-chi is outside what the bot can read .*: chi-foreign\. VLAN 777 must be unique/,
          /Link the subscriptions those circuits live in to the customer .*agree a free VLAN with the port's owner/,
        ),
      );
    });

    it('should refuse a VLAN change on a Direct circuit when the circuits on its port pair cannot be read (fail closed)', async () => {
      const k = await kit([], DOT1Q);
      k.sim.addFaults([ARG_DOWN]);
      await assert.rejects(
        ask(k, 'fabrikam', CHI_DIRECT, 'private-peering', { vlanId: 777 }),
        refused(
          /port pair erport-fabrikam-chi could not be read .*a C-Tag used twice takes both circuits down/,
          /Try again in a few minutes/,
        ),
      );
      assert.equal(k.puts(CHI_DIRECT), 0);
    });

    it('should read no port for a provider circuit', async () => {
      const k = await kit();
      const r = await ask(k, 'fabrikam', SEA, 'private-peering', { vlanId: 777 });
      assert.equal(r.state, 'pending');
      await k.workflow.cancel(k.people.engineer, r.id);
      const b = await ask(k, 'fabrikam', SEA, 'bandwidth', { bandwidth: '2 Gbps' });
      assert.equal(b.state, 'pending');
      assert.equal(argQueries(k), 0, 'no Resource Graph query for a circuit without a port');
    });
  });

  describe('the capacity of an ExpressRoute Direct port pair (2 x the port)', () => {
    // 100G pair: 200 Gbps; fabrikam-chi-direct 10 + chi-big 100 + chi-mid 40 = 150 subscribed, 50 left.
    const busyPair = [
      { name: 'chi-big', bandwidthInGbps: 100, vlanId: 501 },
      { name: 'chi-mid', bandwidthInGbps: 40, vlanId: 502 },
    ];

    it('should refuse an increase past what is left, naming used and remaining capacity and the circuits using it', async () => {
      const k = await kit(busyPair);
      await assert.rejects(
        ask(k, 'fabrikam', CHI_DIRECT, 'bandwidth', { bandwidth: '100 Gbps' }),
        refused(
          /port pair: 150 of 200 Gbps subscribed, 50 left \(chi-big 100 Gbps, chi-mid 40 Gbps, fabrikam-chi-direct 10 Gbps\); raising fabrikam-chi-direct by 90 Gbps needs more than the 50 Gbps left/,
          /Pick a bandwidth that fits \(40 Gbps\)/,
        ),
      );
      assert.equal(k.puts(CHI_DIRECT), 0);
    });

    it('should say what the port pair holds before and after an increase that fits, and ARM sums it afterwards', async () => {
      const k = await kit(busyPair);
      const r = await ask(k, 'fabrikam', CHI_DIRECT, 'bandwidth', { bandwidth: '40 Gbps' });
      assert.ok(
        r.plan.impact.notes.includes(
          'ExpressRoute Direct port pair: 150 of 200 Gbps subscribed, 50 left; after this change 180 of 200 Gbps, 20 left.',
        ),
        r.plan.impact.notes.join('\n'),
      );
      // Fabrikam is Connect-To: a bandwidth change needs its own side's approval.
      const done = await (await k.workflow.approve(k.people.fabrikamLead, r.id)).execution;
      assert.equal(done?.state, 'succeeded');
      assert.equal(done?.outcome?.code, OutcomeCode.Applied);
      const { value: chi } = await k.arm.reader.getCircuit(FABRIKAM_SCOPE, CHI_DIRECT, { fresh: true });
      assert.equal(chi.direct?.portSubscribedGbps, 180);
    });

    it('should check the pair again just before the write: a neighbour that grew since the request makes it stale, nothing sent', async () => {
      const k = await kit(busyPair);
      const r = await ask(k, 'fabrikam', CHI_DIRECT, 'bandwidth', { bandwidth: '40 Gbps' });
      assert.equal(r.state, 'pending');
      // Meanwhile someone else takes chi-mid from 40 to 70 Gbps in the portal: 100 + 70 + 40 would pass 200.
      const chiMid = CHI_DIRECT.replace('rg-fabrikam-er', 'rg-fabrikam-direct').replace(/fabrikam-chi-direct$/, 'chi-mid');
      k.sim.settings.timeline = [
        ...(k.sim.settings.timeline ?? []),
        { afterMs: 0, path: chiMid, merge: { properties: { bandwidthInGbps: 70 } } },
      ];
      const puts = () => k.sim.requests.filter((q) => q.method === 'PUT' && q.path.toLowerCase().includes('fabrikam-chi-direct')).length;
      const before = puts();
      const done = await (await k.workflow.approve(k.people.fabrikamLead, r.id)).execution;
      assert.equal(done?.state, 'stale');
      assert.equal(done?.outcome?.staleBecause, 'rules');
      assert.match(done?.outcome?.refusal ?? JSON.stringify(done?.outcome), /port pair/i);
      assert.equal(puts(), before, 'nothing was written');
    });

    it('should show the port pair on the bandwidth form and the circuit card', async () => {
      const k = await kit(busyPair);
      const { value: chi } = await k.arm.reader.getCircuit(FABRIKAM_SCOPE, CHI_DIRECT, { fresh: true });
      const [section] = k.workflow.kinds.get('bandwidth').form({ circuit: chi }, {});
      assert.match(section?.summary ?? '', /ExpressRoute Direct port pair: 150 of 200 Gbps subscribed, 50 left\./);
      const card = circuitCard({
        header: {
          customers: [{ name: 'Fabrikam', tenantId: 't' }],
          fetchedAt: 0,
          fromCache: false,
          now: 0,
          refresh: { kind: 'circuit', circuit: chi.id },
        },
        customerName: 'Fabrikam',
        circuit: chi,
      });
      assert.match(JSON.stringify(card), /"title":"Port pair","value":"150 of 200 Gbps subscribed, 50 left"/);
    });

    it('should count the circuits on the pair the bot cannot read through the port own sum', async () => {
      // Resource Graph shows fabrikam-chi-direct (10) only; the port sums 10 + 100 + 40 = 150 of 200.
      const k = await kit([
        { name: 'chi-big', bandwidthInGbps: 100, vlanId: 501, subscriptionId: ELSEWHERE },
        { name: 'chi-mid', bandwidthInGbps: 40, vlanId: 502, subscriptionId: ELSEWHERE },
      ]);
      await assert.rejects(
        ask(k, 'fabrikam', CHI_DIRECT, 'bandwidth', { bandwidth: '100 Gbps' }),
        refused(/port pair: 150 of 200 Gbps subscribed, 50 left \(circuits the bot cannot read 140 Gbps, fabrikam-chi-direct 10 Gbps\)/),
      );
      const fits = await ask(k, 'fabrikam', CHI_DIRECT, 'bandwidth', { bandwidth: '40 Gbps' });
      assert.equal(fits.state, 'pending');
    });

    it('should refuse an increase on a Direct circuit when its port pair cannot be read (fail closed)', async () => {
      const k = await kit();
      k.sim.addFaults([ARG_DOWN]);
      await assert.rejects(
        ask(k, 'fabrikam', CHI_DIRECT, 'bandwidth', { bandwidth: '40 Gbps' }),
        refused(/port pair erport-fabrikam-chi could not be read .*not raised unchecked/),
      );
    });

    it('should count the circuit at its new bandwidth once, whether or not Resource Graph already lists it', () => {
      const direct = circuit({
        name: 'd1',
        bandwidthMbps: 10_000,
        direct: { portId: CHI_PORT, bandwidthInGbps: 10, portBandwidthInGbps: 10 },
      });
      const others = [{ id: 'x', name: 'other', bandwidthInGbps: 5 }];
      const self = { id: direct.id, name: 'd1', bandwidthInGbps: 10 };
      for (const onPair of [others, [...others, self]]) {
        const v = checkPortCapacity(direct, 10, onPair, 10_000 + 5_000);
        assert.ok(v.ok, 'a 10G pair holds 20 Gbps: 5 + 15');
        assert.equal(v.after.leftGbps, 0);
        assert.equal(checkPortCapacity(direct, 10, onPair, 40_000).ok, false);
      }
    });
  });

  describe('the VLAN rule by encapsulation (About ExpressRoute Direct, VLAN Tagging)', () => {
    const onPort = (portEncapsulation?: string, portCircuitIds?: string[]) =>
      circuit({
        name: 'd1',
        peerings: [],
        direct: {
          portId: CHI_PORT,
          bandwidthInGbps: 10,
          ...(portEncapsulation ? { portEncapsulation } : {}),
          ...(portCircuitIds ? { portCircuitIds } : {}),
        },
      });
    const other = { id: '/x/other', name: 'other', bandwidthInGbps: 10, vlans: [{ peering: 'AzurePrivatePeering', vlanId: 500 }] };

    it('should take the pair-wide rule for Dot1Q and for an unknown encapsulation, not for QinQ', () => {
      assert.equal(vlanUniqueOnPair(onPort('Dot1Q')), true);
      assert.equal(vlanUniqueOnPair(onPort()), true);
      assert.equal(vlanUniqueOnPair(onPort('QinQ')), false);
      assert.equal(vlanUniqueOnPair(onPort('qinq')), false);
      assert.equal(vlanUniqueOnPair(circuit({ direct: undefined })), false, 'a provider circuit has no port pair');
      const unknown = pairVlanRefusal(onPort(undefined, ['/x/other']), 500, { ok: true, circuits: [other], unseen: [] });
      assert.match(unknown?.reason ?? '', /VLAN 500 is already used by AzurePrivatePeering of other/);
    });

    it('should refuse when the port did not list its circuits: whether all were seen is unknown', () => {
      const r = pairVlanRefusal(onPort('Dot1Q'), 777, { ok: true, circuits: [other] });
      assert.match(r?.reason ?? '', /could not be read \(the port did not list its circuits\)/);
    });
  });

  it('should sum the circuits on a generated port as ARM does (the demo port: one circuit of 10 Gbps)', async () => {
    const sim = await startSimulator({ fleet: buildDemoFleet({ now: Date.UTC(2025, 0, 1) }) });
    try {
      const port = sim.resource(CHI_PORT) as { properties: { provisionedBandwidthInGbps: number; circuits: unknown[] } };
      assert.equal(port.properties.provisionedBandwidthInGbps, 10);
      assert.equal(port.properties.circuits.length, 1);
    } finally {
      await sim.close();
    }
  });
});
