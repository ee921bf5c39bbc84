import assert from 'node:assert/strict';
import { subjectOf } from '../../src/changes/arm-body-builder';
import type { VerifyBaseline, VerifyContext, VerifyLook } from '../../src/changes/change-kind';
import { defaultChangeKinds } from '../../src/changes/change-kinds';
import type { ChangeRequest } from '../../src/changes/change-request';
import { DEMO_CUSTOMERS } from '../../src/demo/customers';
import type { Circuit } from '../../src/network/types';
import type { TimelineEntry } from '../../src/simulator/simulator-settings';
import { AMS, CONTOSO, CONTOSO_SCOPE, startChangeKit, type ChangeKit } from './support/change-kit';

const kinds = defaultChangeKinds();
const NET = `/subscriptions/${CONTOSO.subscriptions[0]}/resourceGroups/rg-contoso-network/providers/Microsoft.Network`;
const RT_SPOKE = `${NET}/routeTables/rt-contoso-spoke`;
const RF_M365 = `${NET}/routeFilters/rf-contoso-m365`;
const SNET_APP = `${NET}/virtualNetworks/vnet-contoso-spoke/subnets/snet-app`;
const VM_APP = `/subscriptions/${CONTOSO.subscriptions[0]}/resourceGroups/rg-contoso-network/providers/Microsoft.Compute/virtualMachines/vm-contoso-app01`;

type Path = 'primary' | 'secondary';
const summaryOf = (peering: string, path: Path) => `${AMS}/peerings/${peering}/routeTablesSummary/${path}`;

/** The live route table summary of a link with its sessions in another state (Idle) or with another prefix count. */
function summaryAs(k: ChangeKit, peering: string, path: Path, statePfxRcd: string): Record<string, unknown> {
  const now = k.sim.resource(summaryOf(peering, path)) as { value: Record<string, unknown>[] };
  return { value: now.value.map((row) => ({ ...row, statePfxRcd, upDown: '00:00:05' })) };
}

/** Timeline entries that set links' summaries right after the first write to a path containing `afterWriteTo`. */
function sessionsAfterWrite(k: ChangeKit, afterWriteTo: string, peering: string, states: Partial<Record<Path, string>>): TimelineEntry[] {
  return Object.entries(states).map(([path, state]) => ({
    afterWriteTo,
    afterMs: 0,
    path: summaryOf(peering, path as Path),
    merge: summaryAs(k, peering, path as Path, state),
  }));
}

/** What the executor gives a kind's check: the customer's scope and subscriptions, the readers, the target read fresh. */
function contextFor(k: ChangeKit, kindName: string, targetId: string, options: { effectiveRoutes?: boolean } = {}): VerifyContext {
  const target = kinds.get(kindName).target;
  return {
    scope: CONTOSO_SCOPE,
    subscriptions: DEMO_CUSTOMERS.contoso.subscriptions,
    reader: k.arm.reader,
    target: async () => subjectOf(k.writer, target, (await k.writer.readForWrite(CONTOSO_SCOPE, targetId)).body),
    ...(options.effectiveRoutes === false ? {} : { effectiveRoutes: k.arm.effectiveRoutes }),
  };
}

interface Changed {
  request: ChangeRequest;
  baseline: VerifyBaseline | undefined;
  look(ctx?: VerifyContext): Promise<VerifyLook>;
}

/** Requests, reads the kind's baseline (as the executor does just before the write), approves and runs the change. */
async function change(k: ChangeKit, targetId: string, kindName: string, input: unknown, timeline: TimelineEntry[] = []): Promise<Changed> {
  k.sim.settings.timeline = timeline;
  const verification = kinds.get(kindName).verification;
  assert.ok(verification, `${kindName} declares a check`);
  const ctx = contextFor(k, kindName, targetId);
  const request = await k.workflow.request(k.people.engineer, 'contoso', targetId, kindName, input);
  const baseline = verification.baseline ? await verification.baseline(ctx, await ctx.target(), request.input) : undefined;
  const done = await (await k.workflow.approve(k.people.approvers[0]!, request.id)).execution;
  assert.equal(done?.state, 'succeeded', done?.outcome?.message);
  return { request: done, baseline, look: (other = ctx) => verification.look(other, request.input, baseline) };
}

/** A look at a change that was not made (the target as it is), to see what a check says of a target not as asked. */
function lookWithout(k: ChangeKit, targetId: string, kindName: string, raw: Record<string, unknown>): Promise<VerifyLook> {
  const kind = kinds.get(kindName);
  return kind.verification!.look(contextFor(k, kindName, targetId), kind.parseInput(raw), undefined);
}

const healthy = (look: VerifyLook, re: RegExp) => {
  assert.ok(look.healthy, `expected healthy, got: ${look.healthy ? '' : look.why}`);
  assert.match(look.evidence, re);
};
const unhealthy = (look: VerifyLook, re: RegExp) => {
  assert.ok(!look.healthy, `expected not healthy, got: ${look.healthy ? look.evidence : ''}`);
  assert.match(look.why, re);
};

describe("change kinds' post-change checks against the simulator over HTTPS (real readers)", function () {
  this.timeout(60_000);
  let k: ChangeKit;
  beforeEach(async () => {
    k = await startChangeKit();
  });
  afterEach(async () => {
    await k.close();
  });

  describe('private peering', () => {
    const PEERING_WRITE = 'contoso-ams-er1/peerings/AzurePrivatePeering';

    it('should be healthy when both sessions are up again with about as many prefixes as before', async () => {
      const c = await change(k, AMS, 'private-peering', { vlanId: 101 });
      assert.deepEqual(c.baseline, { primary: 48, secondary: 48 });
      healthy(
        await c.look(),
        /^AzurePrivatePeering reads back as requested; both BGP sessions of private peering are established: primary 48 prefixes \(was 48\), secondary 48 prefixes \(was 48\)$/,
      );
    });

    it('should say both sessions are down when the routers keep BGP down after the change', async () => {
      const c = await change(
        k,
        AMS,
        'private-peering',
        { vlanId: 102 },
        sessionsAfterWrite(k, PEERING_WRITE, 'AzurePrivatePeering', { primary: 'Idle', secondary: 'Active' }),
      );
      unhealthy(await c.look(), /^both BGP sessions of private peering are down \(primary Idle, secondary Active\)$/);
    });

    it('should name a session that is down and one that lost more than 20% of its prefixes', async () => {
      const timeline = sessionsAfterWrite(k, PEERING_WRITE, 'AzurePrivatePeering', { primary: 'Idle', secondary: '30' });
      const c = await change(k, AMS, 'private-peering', { peerAsn: 65020 }, timeline);
      unhealthy(
        await c.look(),
        /^primary BGP session of private peering is Idle; secondary has 30 prefixes \(was 48, more than 20% fewer\)$/,
      );
    });

    it('should accept a prefix count within 20% of before, and check only the sessions without a count from before', async () => {
      const c = await change(
        k,
        AMS,
        'private-peering',
        { vlanId: 103 },
        sessionsAfterWrite(k, PEERING_WRITE, 'AzurePrivatePeering', { secondary: '40' }),
      );
      healthy(await c.look(), /primary 48 prefixes \(was 48\), secondary 40 prefixes \(was 48\)$/);
      const kind = kinds.get('private-peering');
      const blind = await kind.verification!.look(contextFor(k, 'private-peering', AMS), c.request.input, undefined);
      healthy(
        blind,
        /primary 48 prefixes, secondary 40 prefixes; primary and secondary only checked for being up: no count was read before the change$/,
      );
    });

    it('should not be healthy while the peering does not read back as asked', async () => {
      unhealthy(
        await lookWithout(k, AMS, 'private-peering', { vlanId: 555 }),
        /^AzurePrivatePeering does not read back as requested: VLAN reads 100, not 555$/,
      );
    });

    it('should say what it could not read instead of throwing', async () => {
      const c = await change(k, AMS, 'private-peering', { vlanId: 104 });
      k.sim.addFaults([{ status: 403, code: 'AuthorizationFailed', count: -1, match: 'routeTablesSummary' }]);
      unhealthy(await c.look(), /^could not read the primary BGP session of private peering: /);
    });
  });

  describe('Microsoft peering', () => {
    it('should compare both sessions with before, and say when Microsoft still validates the prefixes', async () => {
      const c = await change(k, AMS, 'microsoft-peering', { vlanId: 310 });
      healthy(
        await c.look(),
        /^MicrosoftPeering reads back as requested; both BGP sessions of Microsoft peering are established: primary 1 prefix \(was 1\), secondary 1 prefix \(was 1\)$/,
      );
      const validating: TimelineEntry = {
        afterWriteTo: 'contoso-ams-er1/peerings/MicrosoftPeering',
        afterMs: 0,
        path: `${AMS}/peerings/MicrosoftPeering`,
        merge: { properties: { microsoftPeeringConfig: { advertisedPublicPrefixesState: 'ValidationNeeded' } } },
      };
      const idle = sessionsAfterWrite(k, 'contoso-ams-er1/peerings/MicrosoftPeering', 'MicrosoftPeering', {
        primary: 'Idle',
        secondary: 'Idle',
      });
      const later = await change(k, AMS, 'microsoft-peering', { vlanId: 311 }, [validating, ...idle]);
      unhealthy(
        await later.look(),
        /^both BGP sessions of Microsoft peering are down \(primary Idle, secondary Idle\); Microsoft is still validating the advertised prefixes/,
      );
    });

    it('should only ask the sessions of a new peering to come up: it received nothing before', async () => {
      const bare = { ...((await contextFor(k, 'microsoft-peering', AMS).target()) as Circuit), peerings: [] };
      const kind = kinds.get('microsoft-peering');
      assert.deepEqual(
        await kind.verification!.baseline!(contextFor(k, 'microsoft-peering', AMS), bare, kind.parseInput({ vlanId: 300 })),
        {
          primary: 0,
          secondary: 0,
        },
      );
    });
  });

  describe('peering state', () => {
    it('should see a disabled peering read Disabled, and an enabled one read Enabled with both sessions up', async () => {
      const off = await change(k, AMS, 'peering-state', { peering: 'private', state: 'Disabled' });
      healthy(await off.look(), /^AzurePrivatePeering reads Disabled$/);
      const on = await change(k, AMS, 'peering-state', { peering: 'private', state: 'Enabled' });
      healthy(await on.look(), /^AzurePrivatePeering reads Enabled; both BGP sessions of private peering are established/);
    });

    it('should not be healthy when an enabled peering keeps a session down', async () => {
      await change(k, AMS, 'peering-state', { peering: 'private', state: 'Disabled' });
      const timeline = sessionsAfterWrite(k, 'contoso-ams-er1/peerings/AzurePrivatePeering', 'AzurePrivatePeering', {
        secondary: 'Connect',
      });
      // The timeline's clock starts at the next write: the enabling one.
      const on = await change(k, AMS, 'peering-state', { peering: 'private', state: 'Enabled' }, timeline);
      unhealthy(await on.look(), /^secondary BGP session of private peering is Connect$/);
    });
  });

  describe('route filters', () => {
    it('should see a new filter exist as asked, and an attached one bring Microsoft peering prefixes', async () => {
      const created = await change(k, AMS, 'route-filter', { action: 'create', name: 'rf-new', communities: '12076:5010' });
      healthy(await created.look(), /^route filter rf-new exists \(Succeeded\) allowing 12076:5010; it is attached to nothing yet/);
      const attached = await change(k, AMS, 'route-filter', { action: 'attach', routeFilter: 'rf-new' });
      healthy(
        await attached.look(),
        /^rf-new is attached; both BGP sessions of Microsoft peering are established: primary 1 prefix, secondary 1 prefix$/,
      );
    });

    it('should not be healthy when Microsoft peering receives no prefixes after the filter changed', async () => {
      await change(k, AMS, 'route-filter', { action: 'create', name: 'rf-empty', communities: '12076:5010' });
      const timeline = sessionsAfterWrite(k, 'contoso-ams-er1/peerings/MicrosoftPeering', 'MicrosoftPeering', { primary: '0' });
      const attached = await change(k, AMS, 'route-filter', { action: 'attach', routeFilter: 'rf-empty' }, timeline);
      unhealthy(await attached.look(), /^primary BGP session of Microsoft peering receives no prefixes$/);
    });

    it("should check a filter rule's communities, then the sessions of every peering it is attached to", async () => {
      const c = await change(k, RF_M365, 'route-filter-rule', { communities: '12076:5010,12076:5100' });
      healthy(
        await c.look(),
        /^route filter rf-contoso-m365 allows 12076:5010, 12076:5100 \(Succeeded\); on contoso-ams-er1: both BGP sessions of Microsoft peering are established/,
      );
      unhealthy(
        await lookWithout(k, RF_M365, 'route-filter-rule', { communities: '12076:5010' }),
        /^route filter rf-contoso-m365 allows 12076:5010, 12076:5100, not 12076:5010$/,
      );
      const timeline = sessionsAfterWrite(k, 'rf-contoso-m365', 'MicrosoftPeering', { primary: 'Idle', secondary: 'Idle' });
      const down = await change(k, RF_M365, 'route-filter-rule', { communities: '12076:5010' }, timeline);
      unhealthy(
        await down.look(),
        /^on contoso-ams-er1: both BGP sessions of Microsoft peering are down \(primary Idle, secondary Idle\)$/,
      );
    });
  });

  describe('UDR routes', () => {
    const ADD = {
      action: 'add',
      name: 'to-nva',
      addressPrefix: '10.60.0.0/16',
      nextHopType: 'VirtualAppliance',
      nextHopIpAddress: '10.100.0.4',
    };

    it("should see the route in the table and as the subnets' effective next hop", async () => {
      const c = await change(k, RT_SPOKE, 'udr-route', ADD);
      healthy(
        await c.look(),
        /^rt-contoso-spoke Succeeded, route to-nva reads 10\.60\.0\.0\/16 → VirtualAppliance 10\.100\.0\.4; effective routes: NIC vm-contoso-app01-nic in subnet snet-app: 10\.60\.0\.0\/16 → VirtualAppliance 10\.100\.0\.4 \(User\)$/,
      );
    });

    it('should see a removed route gone from the table and from the effective routes', async () => {
      const c = await change(k, RT_SPOKE, 'udr-route', { action: 'remove', name: 'onprem-via-er' });
      assert.deepEqual(c.baseline, { addressPrefix: '10.20.0.0/16' });
      healthy(
        await c.look(),
        /route onprem-via-er is gone; effective routes: NIC vm-contoso-app01-nic in subnet snet-app: no user route for 10\.20\.0\.0\/16$/,
      );
    });

    it('should not be healthy when the route is missing from the table', async () => {
      unhealthy(await lookWithout(k, RT_SPOKE, 'udr-route', { ...ADD, name: 'ghost' }), /^route ghost is not in rt-contoso-spoke$/);
    });

    it("should not be healthy when a subnet's effective next hop is not the one asked for", async () => {
      // The subnet moves to another table whose route for the same prefix goes elsewhere, right after the write.
      const decoy = `${NET}/routeTables/rt-decoy`;
      const timeline: TimelineEntry[] = [
        {
          afterWriteTo: 'rt-contoso-spoke/routes/to-nva',
          afterMs: 0,
          path: decoy,
          merge: {
            location: 'westeurope',
            type: 'Microsoft.Network/routeTables',
            properties: {
              provisioningState: 'Succeeded',
              routes: [
                {
                  name: 'elsewhere',
                  properties: { addressPrefix: '10.60.0.0/16', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.100.0.9' },
                },
              ],
            },
          },
        },
        {
          afterWriteTo: 'rt-contoso-spoke/routes/to-nva',
          afterMs: 0,
          path: SNET_APP,
          merge: { properties: { routeTable: { id: decoy } } },
        },
      ];
      const c = await change(k, RT_SPOKE, 'udr-route', ADD, timeline);
      unhealthy(
        await c.look(),
        /^NIC vm-contoso-app01-nic in subnet snet-app sends 10\.60\.0\.0\/16 to VirtualAppliance 10\.100\.0\.9 \(User\), not VirtualAppliance 10\.100\.0\.4$/,
      );
    });

    it('should say what it did not check: no effective-routes reader, or no NIC of a running VM', async () => {
      const c = await change(k, RT_SPOKE, 'udr-route', ADD, [
        {
          afterWriteTo: 'rt-contoso-spoke/routes/to-nva',
          afterMs: 0,
          path: VM_APP,
          merge: { properties: { instanceView: { statuses: [{ code: 'PowerState/deallocated' }] } } },
        },
      ]);
      healthy(
        await c.look(contextFor(k, 'udr-route', RT_SPOKE, { effectiveRoutes: false })),
        /; effective routes not checked: the bot has no effective-routes reader here$/,
      );
      healthy(
        await c.look(),
        /route to-nva reads 10\.60\.0\.0\/16 → VirtualAppliance 10\.100\.0\.4; effective routes not checked for snet-app \(no NIC of a running VM in it\)$/,
      );
    });
  });

  describe('authorizations', () => {
    it('should see a created authorization Succeeded, and a revoked one gone', async () => {
      const created = await change(k, AMS, 'authorization', { action: 'create', name: 'auth-verify' });
      healthy(await created.look(), /^authorization auth-verify exists on contoso-ams-er1 \(Succeeded, Available\)$/);
      const revoked = await change(k, AMS, 'authorization', { action: 'revoke', name: 'auth-verify' });
      healthy(await revoked.look(), /^authorization auth-verify is gone from contoso-ams-er1$/);
      assert.equal(kinds.get('authorization').verification?.maxMs, 120_000, 'a read-back needs less than the whole window');
    });

    it('should not be healthy when the authorization is not there', async () => {
      unhealthy(
        await lookWithout(k, AMS, 'authorization', { action: 'create', name: 'auth-absent' }),
        /^authorization auth-absent is not on contoso-ams-er1$/,
      );
    });
  });

  describe('bandwidth and SKU', () => {
    it('should see the new bandwidth read back and the circuit green', async () => {
      const c = await change(k, AMS, 'bandwidth', { bandwidth: '2 Gbps' });
      assert.deepEqual(c.baseline, { notGreen: '' });
      healthy(await c.look(), /^the bandwidth of contoso-ams-er1 reads 2 Gbps; the circuit is green$/);
    });

    it('should not be healthy when the change costs the circuit one BGP session (amber: HA lost)', async () => {
      const timeline = sessionsAfterWrite(k, 'expressRouteCircuits/contoso-ams-er1', 'AzurePrivatePeering', { primary: 'Idle' });
      const c = await change(k, AMS, 'sku', { tier: 'Premium' }, timeline);
      unhealthy(await c.look(), /^contoso-ams-er1 is amber: High availability lost on private peering: the primary BGP session is down/);
    });

    it('should not be healthy when the circuit turns red after the change', async () => {
      const timeline = sessionsAfterWrite(k, 'expressRouteCircuits/contoso-ams-er1', 'AzurePrivatePeering', {
        primary: 'Idle',
        secondary: 'Idle',
      });
      const c = await change(k, AMS, 'sku', { tier: 'Premium' }, timeline);
      unhealthy(
        await c.look(),
        /^contoso-ams-er1 is red: Both BGP sessions of private peering are down \(primary: 10\.1\.0\.1 Idle; secondary: 10\.1\.0\.5 Idle\)\.$/,
      );
    });

    it('should judge a circuit that was red before the change only on what is new', async () => {
      const downAlready = (['primary', 'secondary'] as const).map((path) => ({
        afterMs: 0,
        path: summaryOf('AzurePrivatePeering', path),
        merge: summaryAs(k, 'AzurePrivatePeering', path, 'Idle'),
      }));
      const c = await change(k, AMS, 'sku', { tier: 'Premium' }, downAlready);
      assert.match(String(c.baseline?.notGreen), /Both BGP sessions of private peering are down/);
      healthy(
        await c.look(),
        /^the SKU of contoso-ams-er1 reads Premium \/ Metered; the circuit is red only as it was just before the change/,
      );
    });

    it('should not be healthy while the new value does not read back', async () => {
      unhealthy(
        await lookWithout(k, AMS, 'bandwidth', { bandwidth: '10 Gbps' }),
        /^the bandwidth of contoso-ams-er1 reads 1 Gbps, not 10 Gbps$/,
      );
    });
  });
});
