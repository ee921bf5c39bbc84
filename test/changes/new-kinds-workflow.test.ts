import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { systemClock } from '../../src/clock';
import { ArmNetworkWriter } from '../../src/azure/arm-network-writer';
import { createArmAccess, type ArmAccess } from '../../src/azure/create-arm-access';
import type { ChangeEvent } from '../../src/changes/change-events';
import { defaultChangeKinds } from '../../src/changes/change-kinds';
import { planChange } from '../../src/changes/plan-change';
import type { ChangeRequest } from '../../src/changes/change-request';
import { armCodeOf, outcomeMessage } from '../../src/cards/outcome-words';
import { ChangeWorkflow } from '../../src/changes/workflow';
import { CodedError, ErrorCode, isCodedError } from '../../src/errors';
import { createLogger } from '../../src/log';
import type { SubscriptionScope } from '../../src/network/types';
import { buildDemoFleet, startSimulator, type RunningSimulator } from '../../src/simulator';
import type { SqliteChangeStore } from '../../src/store';
import { openTempSqliteStore, overwriteStoredRequest } from '../store/open-temp-sqlite-store';
import { AMS, buildAccess, CONTOSO, CONTOSO_SCOPE, FABRIKAM, FRA, NORTHWIND, sequentialIds, SEA } from './support/change-kit';

const RT_SPOKE = `/subscriptions/${CONTOSO.subscriptions[0]}/resourceGroups/rg-contoso-network/providers/Microsoft.Network/routeTables/rt-contoso-spoke`;
const RF_M365 = `/subscriptions/${CONTOSO.subscriptions[0]}/resourceGroups/rg-contoso-network/providers/Microsoft.Network/routeFilters/rf-contoso-m365`;
const NYC1 = `/subscriptions/${NORTHWIND.subscriptions[0]}/resourceGroups/rg-northwind/providers/Microsoft.Network/expressRouteCircuits/northwind-nyc-er1`;
const FABRIKAM_SCOPE: SubscriptionScope = { tenantId: FABRIKAM.tenantId, subscriptionId: FABRIKAM.subscriptions[0] ?? '' };

interface Kit {
  sim: RunningSimulator;
  arm: ArmAccess;
  writer: ArmNetworkWriter;
  store: SqliteChangeStore;
  workflow: ChangeWorkflow;
  people: ReturnType<typeof buildAccess>['people'];
  events: ChangeEvent[];
  /** Every log line the workflow, executor and writer wrote. */
  logs: string[];
}

/** The real workflow, writer and ARM clients over HTTPS against the simulator, logging into memory. */
async function startKit(): Promise<Kit> {
  const sim = await startSimulator({ fleet: buildDemoFleet({ now: Date.UTC(2025, 0, 1) }), settings: { deviceReadMs: 0 } });
  const logs: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: new Writable({ write: (chunk: Buffer, _e, done) => (logs.push(chunk.toString('utf8')), done()) }),
  });
  const arm = createArmAccess({
    endpoint: sim.url,
    caPem: sim.caPem,
    credentials: { kind: 'static', token: 't' },
    logger,
    lroPollIntervalMs: 5,
    random: () => 0.5,
  });
  const writer = new ArmNetworkWriter({ pool: arm.pool, logger, updateIntervalInMs: 5, onWritten: (s) => arm.invalidate(s) });
  const store = await openTempSqliteStore();
  const { access, people } = buildAccess({ required: 1, ttlMinutes: 60 });
  const events: ChangeEvent[] = [];
  const workflow = new ChangeWorkflow({
    store,
    reader: arm.reader,
    writer,
    builder: writer,
    access,
    clock: systemClock,
    logger,
    kinds: defaultChangeKinds(),
    idGenerator: sequentialIds(),
    executorLimits: { retryDelayMs: 10, followIntervalMs: 10, maxAttempts: 2 },
    onEvent: (e) => events.push(e),
  });
  return { sim, arm, writer, store, workflow, people, events, logs };
}

async function run(k: Kit, customer: string, target: string, kind: string, input: unknown): Promise<ChangeRequest> {
  const r = await k.workflow.request(k.people.engineer, customer, target, kind, input);
  assert.equal(r.state, 'pending');
  const approved = await k.workflow.approve(k.people.approvers[0]!, r.id);
  assert.ok(approved.execution);
  return approved.execution;
}

/** Everything a secret could leak into: stored rows, audit, events, logs. */
async function everythingStored(k: Kit, r: ChangeRequest): Promise<string> {
  const audit = await k.workflow.audit(k.people.engineer, { requestId: r.id, limit: 200 });
  return [
    `ROW ${JSON.stringify(await k.store.get(r.id))}`,
    `AUDIT ${JSON.stringify(audit)}`,
    `EVENTS ${JSON.stringify(k.events)}`,
    `LOGS ${k.logs.join('\n')}`,
  ].join('\n');
}

const props = (body: unknown) => (body as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
const refusedWith = (re: RegExp) => (e: unknown) => e instanceof CodedError && re.test(e.message);

describe('new change kinds end to end: request → approve → ARM write → read back (simulator over HTTPS)', function () {
  this.timeout(60_000);
  let k: Kit;
  beforeEach(async () => {
    k = await startKit();
  });
  afterEach(async () => {
    k.workflow.executor.stop();
    await k.arm.close();
    await k.store.close();
    await k.sim.close();
  });

  it('private peering: updates VLAN and MD5 key, reads it back, and the key is nowhere but in the ARM request', async () => {
    const secret = 'Md5-Peering-Key-7x9';
    const r = await k.workflow.request(k.people.engineer, 'contoso', AMS, 'private-peering', { vlanId: 101, sharedKey: secret });
    assert.deepEqual(r.plan.diff, { VLAN: ['100', '101'], 'MD5 key': ['not set', 'set'] });
    assert.equal(r.plan.impact.disruptive, true);
    const body = r.plan.body as { $write: { resourceId: string }; model: { sharedKey?: string; vlanId?: number } };
    assert.equal(body.$write.resourceId, `${AMS}/peerings/AzurePrivatePeering`);
    assert.equal(body.model.sharedKey, '[redacted]');
    assert.equal(body.model.vlanId, 101);
    const final = (await k.workflow.approve(k.people.approvers[0]!, r.id)).execution;
    const done = await final;
    assert.equal(done?.state, 'succeeded', done?.outcome?.message);
    assert.equal(done?.outcome?.after?.VLAN, '101');
    assert.equal(done?.outcome?.after?.['MD5 key'], 'set');
    const peering = props(k.sim.resource(`${AMS}/peerings/AzurePrivatePeering`));
    assert.equal(peering.vlanId, 101);
    assert.equal(peering.sharedKey, secret, 'ARM got the key');
    assert.equal(k.sim.requests.filter((q) => q.method === 'PUT' && /peerings\/AzurePrivatePeering$/i.test(q.path)).length, 1);
    const all = await everythingStored(k, done);
    const at = all.indexOf(secret);
    assert.ok(
      at < 0,
      `the MD5 key is in no row, audit entry, event or log line: ${['ROW', 'AUDIT', 'EVENTS', 'LOGS'].filter((l) => all.lastIndexOf(l + ' ', at) >= 0).pop()} ${all.slice(Math.max(0, at - 200), at + 50)}`,
    );
  });

  it('private peering: creates one on a circuit without peerings; refuses on a circuit the provider has not provisioned', async () => {
    const sea = await k.workflow.request(k.people.engineer, 'northwind', NYC1, 'private-peering', { vlanId: 4000 });
    assert.match(JSON.stringify(sea.plan.diff), /4000/);
    await assert.rejects(
      k.workflow.request(k.people.engineer, 'contoso', FRA, 'private-peering', {
        vlanId: 10,
        peerAsn: 65001,
        primaryPeerAddressPrefix: '10.9.0.0/30',
        secondaryPeerAddressPrefix: '10.9.0.4/30',
      }),
      refusedWith(/not provisioned by its provider/),
    );
  });

  it('microsoft peering: updates advertised prefixes and says nothing is advertised without a route filter when none is attached', async () => {
    const done = await run(k, 'contoso', AMS, 'microsoft-peering', {
      advertisedPublicPrefixes: ['145.14.8.0/24'],
      routingRegistryName: 'RIPENCC',
    });
    assert.equal(done.state, 'succeeded', done.outcome?.message);
    assert.equal(done.outcome?.after?.['Advertised prefixes'], '145.14.8.0/24');
    const ms = props(k.sim.resource(`${AMS}/peerings/MicrosoftPeering`));
    assert.deepEqual((ms.microsoftPeeringConfig as { advertisedPublicPrefixes: string[] }).advertisedPublicPrefixes, ['145.14.8.0/24']);
    assert.equal((ms.routeFilter as { id: string }).id, RF_M365, 'the attached filter is kept');
    await assert.rejects(
      k.workflow.request(k.people.engineer, 'contoso', AMS, 'microsoft-peering', { peeringType: 'AzurePublicPeering' }),
      refusedWith(/deprecated/),
    );
  });

  it('peering state: disabling a peering with BGP up is disruptive, still needs another approver, and is applied', async () => {
    const r = await k.workflow.request(k.people.engineer, 'contoso', AMS, 'peering-state', { peering: 'private', state: 'Disabled' });
    assert.equal(r.plan.impact.disruptive, true);
    assert.ok(r.plan.impact.notes.some((n) => /BGP is up with \d+ routes/.test(n)));
    await assert.rejects(k.workflow.approve(k.people.engineer, r.id), CodedError);
    const done = await (await k.workflow.approve(k.people.approvers[1]!, r.id)).execution;
    assert.equal(done?.state, 'succeeded');
    assert.equal(done?.outcome?.after?.State, 'Disabled');
    assert.equal(props(k.sim.resource(`${AMS}/peerings/AzurePrivatePeering`)).state, 'Disabled');
  });

  it('route filter: creates one in the circuit region with its Allow rule, attaches it, then changes its communities (ARM list checked)', async () => {
    await assert.rejects(
      k.workflow.request(k.people.engineer, 'contoso', AMS, 'route-filter', {
        action: 'create',
        name: 'rf-new',
        communities: ['12076:5999'],
      }),
      refusedWith(/offers no service or region with the community 12076:5999/),
    );
    const created = await run(k, 'contoso', AMS, 'route-filter', { action: 'create', name: 'rf-new', communities: ['12076:5020'] });
    assert.equal(created.state, 'succeeded', created.outcome?.message);
    const rfId = RF_M365.replace('rf-contoso-m365', 'rf-new');
    const rf = k.sim.resource(rfId) as {
      location: string;
      properties: { rules: { name: string; properties: { access: string; communities: string[] } }[] };
    };
    assert.equal(rf.location, 'westeurope');
    assert.deepEqual(
      rf.properties.rules.map((x) => [x.name, x.properties.access, x.properties.communities]),
      [['allow-communities', 'Allow', ['12076:5020']]],
    );

    const attached = await run(k, 'contoso', AMS, 'route-filter', { action: 'attach', routeFilter: 'rf-new' });
    assert.equal(attached.state, 'succeeded', attached.outcome?.message);
    assert.equal(attached.outcome?.after?.['Attached route filter'], 'rf-new');
    assert.equal(attached.plan.impact.disruptive, true, 'replacing rf-contoso-m365 withdraws what only it allowed');
    assert.deepEqual(
      (k.sim.resource(rfId) as { properties: { peerings: { id: string }[] } }).properties.peerings.map((p) => p.id),
      [`${AMS}/peerings/MicrosoftPeering`],
    );

    const rule = await run(k, 'contoso', rfId, 'route-filter-rule', { communities: ['12076:5020', '12076:51004'] });
    assert.equal(rule.state, 'succeeded', rule.outcome?.message);
    assert.equal(rule.plan.targetId, rfId, 'bound to the filter and its etag');
    assert.equal(rule.outcome?.after?.Communities, '12076:5020, 12076:51004');
  });

  it('UDR route: adds a firewall route to a route table (bound to its etag), refuses a duplicate, then removes it', async () => {
    const before = (k.sim.resource(RT_SPOKE) as { etag: string }).etag;
    const added = await run(k, 'contoso', RT_SPOKE, 'udr-route', {
      action: 'add',
      name: 'default-to-fw',
      addressPrefix: '0.0.0.0/0',
      nextHopType: 'VirtualAppliance',
      nextHopIpAddress: '10.100.0.4',
    });
    assert.equal(added.plan.targetId, RT_SPOKE);
    assert.equal(added.plan.etag, before);
    assert.equal(added.state, 'succeeded', added.outcome?.message);
    assert.equal(added.outcome?.after?.['Route default-to-fw'], '0.0.0.0/0 → VirtualAppliance 10.100.0.4');
    assert.equal(props(k.sim.resource(`${RT_SPOKE}/routes/default-to-fw`)).nextHopIpAddress, '10.100.0.4');
    await assert.rejects(
      k.workflow.request(k.people.engineer, 'contoso', RT_SPOKE, 'udr-route', {
        action: 'add',
        name: 'again',
        addressPrefix: '0.0.0.0/0',
        nextHopType: 'None',
      }),
      refusedWith(/already routes 0.0.0.0\/0/),
    );
    const hole = await k.workflow.request(k.people.engineer, 'contoso', RT_SPOKE, 'udr-route', {
      action: 'add',
      name: 'drop-all',
      addressPrefix: '::/0',
      nextHopType: 'None',
    });
    assert.equal(hole.plan.impact.disruptive, true);
    await k.workflow.cancel(k.people.engineer, hole.id);
    const removed = await run(k, 'contoso', RT_SPOKE, 'udr-route', { action: 'remove', name: 'default-to-fw' });
    assert.equal(removed.state, 'succeeded', removed.outcome?.message);
    assert.equal(k.sim.resource(`${RT_SPOKE}/routes/default-to-fw`), undefined);
    assert.equal(k.sim.requests.filter((q) => q.method === 'DELETE').length, 1);
  });

  it('UDR route: a route table id is refused for a circuit kind and a circuit id for a UDR kind', async () => {
    await assert.rejects(
      k.workflow.request(k.people.engineer, 'contoso', AMS, 'udr-route', { action: 'remove', name: 'x' }),
      refusedWith(/has no route table/),
    );
    await assert.rejects(
      k.workflow.request(k.people.engineer, 'contoso', RT_SPOKE, 'bandwidth', { bandwidthMbps: 2000 }),
      refusedWith(/has no circuit/),
    );
  });

  it('authorization: creates one; the key is deliverable to the requester but in no row, audit entry, event or log; revoke names the connection cut', async () => {
    const done = await run(k, 'fabrikam', SEA, 'authorization', { action: 'create', name: 'auth-new' });
    assert.equal(done.state, 'succeeded', done.outcome?.message);
    const ref = k.workflow.kinds.get(done.kind).secretForRequester(done);
    assert.ok(ref);
    const key = await k.writer.readSecret(FABRIKAM_SCOPE, ref);
    assert.equal(key, props(k.sim.resource(`${SEA}/authorizations/auth-new`)).authorizationKey, 'the key ARM generated');
    assert.match(key, /^[0-9a-f-]{36}$/);
    const all = await everythingStored(k, done);
    assert.ok(
      !all.includes(key),
      `the authorization key is in no row, audit entry, event or log line: ${all.slice(Math.max(0, all.indexOf(key) - 200), all.indexOf(key) + 40)}`,
    );
    assert.ok(!JSON.stringify(done.plan).includes(key));

    // `key <id>` is a workflow operation: only the requester, only in a 1:1 chat, read from Azure each time.
    const shown = await k.workflow.revealKey(k.people.engineer, done.id, { privateChat: true }, k.writer);
    assert.equal(shown.secret, key);
    assert.match(shown.label, /auth-new/);
    await assert.rejects(
      k.workflow.revealKey(k.people.engineer, done.id, { privateChat: false }, k.writer),
      (e: unknown) => isCodedError(e) && e.code === ErrorCode.Forbidden && /1:1 chat/.test(e.message),
    );
    await assert.rejects(
      k.workflow.revealKey(k.people.approvers[0]!, done.id, { privateChat: true }, k.writer),
      (e: unknown) => isCodedError(e) && e.code === ErrorCode.Forbidden && /Only /.test(e.message),
    );
    await assert.rejects(
      k.workflow.revealKey(k.people.engineer, done.id, { privateChat: true }, undefined),
      (e: unknown) => isCodedError(e) && e.code === ErrorCode.Config,
    );
    // Sent on its own after success: the same rules, checked again at that moment.
    assert.equal((await k.workflow.deliverableSecret(done, k.writer))?.secret, key);
    const stranger = { ...done, requester: { aadObjectId: 'someone-no-longer-in-the-directory', name: 'Gone' } };
    assert.equal(await k.workflow.deliverableSecret(stranger, k.writer), undefined, 'a requester who lost their rights gets nothing');
    const unversioned = { ...done, outcome: { ...done.outcome, after: {} } };
    assert.equal(
      await k.workflow.deliverableSecret(unversioned, k.writer),
      undefined,
      'a key that cannot be tied to this request is not sent',
    );

    const revoke = await k.workflow.request(k.people.engineer, 'fabrikam', SEA, 'authorization', {
      action: 'revoke',
      name: 'auth-fabrikam-hub',
    });
    assert.equal(revoke.plan.impact.disruptive, true);
    assert.ok(revoke.plan.impact.notes.includes('Will be cut: the connection cn-fabrikam-hub-er.'));
    const revoked = await (await k.workflow.approve(k.people.approvers[0]!, revoke.id)).execution;
    assert.equal(revoked?.state, 'succeeded', revoked?.outcome?.message);
    assert.equal(k.sim.resource(`${SEA}/authorizations/auth-fabrikam-hub`), undefined);
    // Other authorization keys the circuit holds are redacted from every stored plan too.
    const others = String(props(k.sim.resource(`${SEA}/authorizations/auth-fabrikam-spare`)).authorizationKey);
    assert.ok(!(await everythingStored(k, revoked)).includes(others));
  });

  it('authorization: an 11th is refused at request time, naming the limit and the unused ones to revoke (issue 10, item 3)', async () => {
    // fabrikam-sea-er3 holds auth-fabrikam-hub (in use) and auth-fabrikam-spare; 8 more reach the limit of 10.
    for (let i = 3; i <= 10; i++) {
      const done = await run(k, 'fabrikam', SEA, 'authorization', { action: 'create', name: `auth-${i}` });
      assert.equal(done.state, 'succeeded', done.outcome?.message);
    }
    const puts = k.sim.requests.filter((q) => q.method === 'PUT').length;
    await assert.rejects(
      k.workflow.request(k.people.engineer, 'fabrikam', SEA, 'authorization', { action: 'create', name: 'auth-11' }),
      (e: unknown) =>
        e instanceof CodedError &&
        /fabrikam-sea-er3 has 10 authorizations; Azure allows at most 10 per circuit/.test(e.message) &&
        /auth-fabrikam-spare, auth-3, auth-4/.test(e.hint ?? '') &&
        !/auth-fabrikam-hub/.test(e.hint ?? ''),
    );
    assert.equal(k.sim.requests.filter((q) => q.method === 'PUT').length, puts, 'nothing reached ARM');
  });

  it('stops a forged stored request the rules refuse just before the write: stale, nothing sent (ARM would refuse it too)', async () => {
    // A plan the kind would refuse, built directly and run through the executor as a forged stored request.
    const r = await k.workflow.request(k.people.engineer, 'contoso', AMS, 'private-peering', { vlanId: 102 });
    const row = (await k.store.get(r.id))!;
    const circuit = (await k.arm.reader.getCircuit(CONTOSO_SCOPE, AMS, { fresh: true })).value;
    const circuitNow = () => circuit;
    // The Microsoft peering of this circuit already uses 203.0.113.0/30.
    const forgedInput = { primaryPeerAddressPrefix: '203.0.113.0/30', secondaryPeerAddressPrefix: '10.1.0.8/30' };
    assert.match(
      k.workflow.kinds.get('private-peering').check(circuitNow(), forgedInput, undefined)?.reason ?? '',
      /overlap those of MicrosoftPeering/,
      'the bot itself would refuse it',
    );
    // Re-plan the forged input on the same circuit version so that the approval binds to it.
    const plan = await planChange(
      { writer: k.writer, builder: k.writer },
      CONTOSO_SCOPE,
      circuit,
      k.workflow.kinds.get('private-peering'),
      forgedInput,
    );
    overwriteStoredRequest(k.store, { ...row, input: forgedInput, plan });
    const puts = () => k.sim.requests.filter((q) => q.method === 'PUT').length;
    const before = puts();
    const done = await (await k.workflow.approve(k.people.approvers[0]!, r.id)).execution;
    assert.equal(done?.state, 'stale');
    assert.equal(done?.outcome?.staleBecause, 'rules');
    assert.match(done?.outcome?.refusal ?? '', /overlap those of MicrosoftPeering/);
    assert.match(
      done ? outcomeMessage(done) : '',
      /Checked again just before the write, the change is no longer allowed: .*Nothing was sent to Azure\./,
    );
    assert.equal(puts(), before, 'nothing was sent; the simulator refuses such a write on its own (test/simulator/network-writes.test.ts)');
  });

  it('reports an operation that ARM accepted and then ended Failed, with its code and message', async () => {
    k.sim.settings.operationFailures = [
      { match: 'PUT /subscriptions', code: 'PeeringProvisioningFailed', message: 'The provider rejected VLAN 103.' },
    ];
    const done = await run(k, 'contoso', AMS, 'private-peering', { vlanId: 103 });
    assert.equal(done.state, 'failed');
    assert.equal(armCodeOf(done.outcome), 'PeeringProvisioningFailed');
    assert.match(
      outcomeMessage(done),
      /accepted the change but the operation failed \(PeeringProvisioningFailed\): The provider rejected VLAN 103/,
    );
    assert.equal(props(k.sim.resource(`${AMS}/peerings/AzurePrivatePeering`)).vlanId, 100, 'the old peering stays');
    assert.equal(props(k.sim.resource(`${AMS}/peerings/AzurePrivatePeering`)).provisioningState, 'Failed');
  });
});
