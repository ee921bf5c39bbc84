import assert from 'node:assert/strict';
import { CodedError, ErrorCode } from '../../src/errors';
import type { FleetRecord } from '../../src/simulator/fleet-gen/circuit-fixture';
import { addVnetLink } from '../../src/simulator/fleet-gen/vnet-links';
import type { TimelineEntry } from '../../src/simulator';
import { AMS, CONTOSO, NORTHWIND, SEA, startChangeKit, type ChangeKit } from './support/change-kit';

const NW = `/subscriptions/${CONTOSO.subscriptions[0]}/resourceGroups/rg-contoso-network/providers/Microsoft.Network`;
const RT_SPOKE = `${NW}/routeTables/rt-contoso-spoke`;
const RF_M365 = `${NW}/routeFilters/rf-contoso-m365`;
const NYC1 = `/subscriptions/${NORTHWIND.subscriptions[0]}/resourceGroups/rg-northwind/providers/Microsoft.Network/expressRouteCircuits/northwind-nyc-er1`;

type Body = { properties?: Record<string, unknown> } | undefined;
const props = (kit: ChangeKit, path: string): Record<string, unknown> | undefined => (kit.sim.resource(path) as Body)?.properties;

interface RoundTrip {
  kind: string;
  customer: string;
  target: string;
  input: Record<string, unknown>;
  /** What the rollback must bring back, read from the simulator. */
  read: (kit: ChangeKit) => unknown;
}

/** Every reversible kind: the change, then its rollback, leave the resource as it was. */
const REVERSIBLE: RoundTrip[] = [
  {
    kind: 'private-peering',
    customer: 'contoso',
    target: AMS,
    input: { peerAsn: 65210, vlanId: 210 },
    read: (k) => {
      const p = props(k, `${AMS}/peerings/AzurePrivatePeering`);
      return [p?.peerASN, p?.vlanId, p?.primaryPeerAddressPrefix, p?.secondaryPeerAddressPrefix];
    },
  },
  {
    kind: 'microsoft-peering',
    customer: 'contoso',
    target: AMS,
    input: { peerAsn: 65230 },
    read: (k) => {
      const p = props(k, `${AMS}/peerings/MicrosoftPeering`);
      // What a person sets; the prefixes' validation state is Azure's to recompute after any write.
      const c = p?.microsoftPeeringConfig as Record<string, unknown> | undefined;
      return [p?.peerASN, p?.vlanId, p?.primaryPeerAddressPrefix, c?.advertisedPublicPrefixes, c?.customerASN, c?.routingRegistryName];
    },
  },
  {
    kind: 'peering-state',
    customer: 'contoso',
    target: AMS,
    input: { peering: 'private', state: 'Disabled' },
    read: (k) => props(k, `${AMS}/peerings/AzurePrivatePeering`)?.state,
  },
  {
    kind: 'route-filter-rule',
    customer: 'contoso',
    target: RF_M365,
    input: { communities: ['12076:5020', '12076:51004'] },
    read: (k) => (props(k, RF_M365)?.rules as { properties: { communities: string[] } }[]).map((r) => r.properties.communities),
  },
  {
    kind: 'udr-route',
    customer: 'contoso',
    target: RT_SPOKE,
    input: {
      action: 'add',
      name: 'rb-to-fw',
      addressPrefix: '10.250.0.0/16',
      nextHopType: 'VirtualAppliance',
      nextHopIpAddress: '10.100.0.4',
    },
    read: (k) => k.sim.resource(`${RT_SPOKE}/routes/rb-to-fw`) ?? 'absent',
  },
  {
    kind: 'authorization',
    customer: 'fabrikam',
    target: SEA,
    input: { action: 'create', name: 'auth-rb' },
    read: (k) => k.sim.resource(`${SEA}/authorizations/auth-rb`) ?? 'absent',
  },
  {
    kind: 'sku',
    customer: 'northwind',
    target: NYC1,
    input: { tier: 'Premium' },
    read: (k) => (k.sim.resource(NYC1) as { sku: { tier: string } }).sku.tier,
  },
];

describe('rollback, kind by kind, through the simulator (issue 13)', function () {
  this.timeout(60_000);
  let kit: ChangeKit;
  beforeEach(async () => {
    kit = await startChangeKit();
  });
  afterEach(() => kit.close());

  const run = async (id: string, approver: number) => {
    const done = await (await kit.workflow.approve(kit.people.approvers[approver]!, id)).execution;
    assert.equal(done?.state, 'succeeded', JSON.stringify(done?.outcome));
    return done;
  };

  for (const t of REVERSIBLE) {
    it(`${t.kind}: the rollback restores what was there, read back from ARM`, async () => {
      const before = t.read(kit);
      const change = await kit.workflow.request(kit.people.engineer, t.customer, t.target, t.kind, t.input);
      assert.ok(change.undo && !('oneWay' in change.undo), `${t.kind} is reversible: ${JSON.stringify(change.undo)}`);
      await run(change.id, 0);
      assert.notDeepEqual(t.read(kit), before, 'the change changed something');
      const back = await kit.workflow.rollback(kit.people.engineer, change.id);
      assert.equal(back.rollbackOf, change.id);
      assert.equal(back.plan.targetId.toLowerCase(), t.target.toLowerCase());
      await run(back.id, 1);
      assert.deepEqual(t.read(kit), before);
    });
  }

  it('route-filter: attaching another filter is rolled back by attaching the one before', async () => {
    const attachedFilter = () =>
      (props(kit, `${AMS}/peerings/MicrosoftPeering`)?.routeFilter as { id?: string } | undefined)?.id?.toLowerCase();
    const before = attachedFilter();
    assert.equal(before, RF_M365.toLowerCase());
    const created = await kit.workflow.request(kit.people.engineer, 'contoso', AMS, 'route-filter', {
      action: 'create',
      name: 'rf-rb',
      communities: ['12076:5020'],
    });
    await run(created.id, 0);
    const attach = await kit.workflow.request(kit.people.engineer, 'contoso', AMS, 'route-filter', {
      action: 'attach',
      routeFilter: 'rf-rb',
    });
    await run(attach.id, 0);
    assert.match(attachedFilter() ?? '', /rf-rb$/);
    const back = await kit.workflow.rollback(kit.people.engineer, attach.id);
    await run(back.id, 1);
    assert.equal(attachedFilter(), before);
  });

  const refusedAsOneWay = (reason: RegExp) => (e: unknown) => {
    assert.ok(e instanceof CodedError, String(e));
    assert.equal(e.code, ErrorCode.Refused);
    assert.match(e.message, /can't be rolled back: /);
    assert.match(e.message, reason);
    return true;
  };

  it('bandwidth: a one-way change offers no rollback and says why', async () => {
    const change = await kit.workflow.request(kit.people.engineer, 'contoso', AMS, 'bandwidth', { bandwidth: '2 Gbps' });
    assert.ok(change.undo && 'oneWay' in change.undo);
    await run(change.id, 0);
    await assert.rejects(kit.workflow.rollback(kit.people.engineer, change.id), refusedAsOneWay(/bandwidth/i));
    assert.equal((await kit.store.list({})).length, 1, 'no request made');
  });

  it('authorization revoke: one-way (a revoked key cannot come back)', async () => {
    const made = await kit.workflow.request(kit.people.engineer, 'fabrikam', SEA, 'authorization', { action: 'create', name: 'auth-once' });
    await run(made.id, 0);
    const revoke = await kit.workflow.request(kit.people.engineer, 'fabrikam', SEA, 'authorization', {
      action: 'revoke',
      name: 'auth-once',
    });
    await run(revoke.id, 0);
    await assert.rejects(kit.workflow.rollback(kit.people.engineer, revoke.id), refusedAsOneWay(/key/i));
  });

  it('should refuse to roll back a request that did not succeed, and let only requesters ask', async () => {
    const change = await kit.workflow.request(kit.people.engineer, 'contoso', AMS, 'private-peering', { peerAsn: 65211 });
    await assert.rejects(kit.workflow.rollback(kit.people.engineer, change.id), /only a change that succeeded can be rolled back/);
    await run(change.id, 0);
    await assert.rejects(kit.workflow.rollback(kit.people.approvers[0]!, change.id), (e: unknown) => {
      assert.ok(e instanceof CodedError && e.code === ErrorCode.Forbidden, String(e));
      return true;
    });
    await assert.rejects(kit.workflow.rollback(kit.people.northwindViewer, change.id), (e: unknown) => {
      assert.ok(e instanceof CodedError && e.code === ErrorCode.NotFound, String(e));
      return true;
    });
  });
});

describe('a way back with preconditions (issue 13)', function () {
  this.timeout(60_000);
  let kit: ChangeKit;
  afterEach(() => kit.close());

  it('Standard → Premium offers rollback, and checks the Standard limits when the rollback is asked for', async () => {
    // Once NYC1 is Premium, someone links a VNet in West Europe to it: only Premium may carry that.
    const link: FleetRecord = {};
    addVnetLink(link, {
      circuitId: NYC1,
      subscriptionId: NORTHWIND.subscriptions[0]!,
      resourceGroup: 'rg-northwind',
      location: 'westeurope',
      vnet: 'vnet-northwind-weu',
      addressPrefixes: ['10.150.0.0/16'],
      gatewaySubnet: '10.150.255.0/27',
    });
    const timeline: TimelineEntry[] = Object.entries(link).map(([path, body]) => ({
      afterWriteTo: 'northwind-nyc-er1',
      afterMs: 0,
      path,
      merge: body as Record<string, unknown>,
    }));
    kit = await startChangeKit({ settings: { timeline } });
    const premium = await kit.workflow.request(kit.people.engineer, 'northwind', NYC1, 'sku', { tier: 'Premium' });
    assert.ok(
      premium.undo && 'precondition' in premium.undo && /Standard/.test(premium.undo.precondition ?? ''),
      JSON.stringify(premium.undo),
    );
    await (
      await kit.workflow.approve(kit.people.approvers[0]!, premium.id)
    ).execution;
    await assert.rejects(kit.workflow.rollback(kit.people.engineer, premium.id), (e: unknown) => {
      assert.ok(e instanceof CodedError && e.code === ErrorCode.Refused, String(e));
      assert.match(e.message, /vnet-northwind-weu|West Europe|westeurope/i);
      return true;
    });
    assert.equal((await kit.store.list({})).length, 1, 'no rollback request made');
  });
});

describe('approval.rollbackRequired (issue 13)', function () {
  this.timeout(60_000);
  let kit: ChangeKit;
  afterEach(() => kit.close());

  it('should let 0 run an approver’s own rollback at once, but still ask one approval of someone who may not approve', async () => {
    kit = await startChangeKit({
      required: 2,
      directory: { customers: { contoso: { approval: { required: 2, ttlMinutes: 60, rollbackRequired: 0 } } } },
    });
    const change = await kit.workflow.request(kit.people.lead, 'contoso', AMS, 'private-peering', { peerAsn: 65212 });
    assert.equal(change.required, 2);
    await kit.workflow.approve(kit.people.approvers[0]!, change.id);
    await (
      await kit.workflow.approve(kit.people.approvers[1]!, change.id)
    ).execution;

    // Dana may request but not approve: her rollback needs one approval.
    const byEngineer = await kit.workflow.rollback(kit.people.engineer, change.id);
    assert.equal(byEngineer.required, 1);
    await kit.workflow.cancel(kit.people.engineer, byEngineer.id);

    // Lee may approve: rollbackRequired 0 lets his rollback run without anyone else.
    const byLead = await kit.workflow.rollback(kit.people.lead, change.id);
    assert.equal(byLead.required, 0);
    const done = await (async () => {
      for (let i = 0; i < 2000; i++) {
        const r = await kit.store.get(byLead.id);
        if (r && (r.state === 'succeeded' || r.state === 'failed')) return r;
        await new Promise((res) => setImmediate(res));
      }
      return kit.store.get(byLead.id);
    })();
    assert.equal(done?.state, 'succeeded');
    const audit = await kit.workflow.audit(kit.people.lead, { requestId: byLead.id });
    assert.ok(audit.some((e) => e.action === 'approval-complete' && /rollbackRequired is 0/.test(e.outcome ?? '')));
  });

  it('should default to approval.required', async () => {
    kit = await startChangeKit({ required: 2 });
    const change = await kit.workflow.request(kit.people.engineer, 'contoso', AMS, 'private-peering', { peerAsn: 65213 });
    await kit.workflow.approve(kit.people.approvers[0]!, change.id);
    await (
      await kit.workflow.approve(kit.people.approvers[1]!, change.id)
    ).execution;
    assert.equal((await kit.workflow.rollback(kit.people.engineer, change.id)).required, 2);
  });
});
