import assert from 'node:assert/strict';
import { SYSTEM_ACTOR } from '../../src/changes/change-events';
import type { ChangeRequest } from '../../src/changes/change-request';
import { CodedError, ErrorCode } from '../../src/errors';
import { OffsetClock } from '../support/offset-clock';
import { AMS, CONTOSO, DAL, SEA, startChangeKit, type ChangeKit, type ChangeKitOptions } from './support/change-kit';

/**
 * Issue 11, the two connection models. In Connect-To (the demo's Fabrikam) the customer's own network connects,
 * so a change to the circuit itself also needs one approval from a person the directory puts on the customer's
 * side; a CSP approval that would leave no place for it is refused with that reason and recorded nowhere.
 * Connect-Through (Contoso) is as before, and VNet-side changes (UDRs, authorizations) never need the customer.
 */

const RT_SPOKE = `/subscriptions/${CONTOSO.subscriptions[0]}/resourceGroups/rg-contoso-network/providers/Microsoft.Network/routeTables/rt-contoso-spoke`;

const customerSideRefusal = (who: RegExp) => (e: unknown) =>
  e instanceof CodedError &&
  e.code === ErrorCode.Forbidden &&
  /^Fabrikam Inc's Connect-To model needs one approval from Fabrikam Inc's side: /.test(e.message) &&
  who.test(e.message) &&
  /Your approval was not recorded/.test(e.hint ?? '');

describe("change workflow: Connect-To circuit changes need the customer's side", function () {
  this.timeout(60_000);
  let kit: ChangeKit | undefined;
  afterEach(async () => {
    await kit?.close();
    kit = undefined;
  });
  const start = async (options: ChangeKitOptions = {}) => (kit = await startChangeKit(options));
  const actions = async (k: ChangeKit, r: ChangeRequest) =>
    (await k.store.audit({ customerIds: [r.customerId], requestId: r.id, limit: 50 })).map((a) => a.action);

  it('should refuse a CSP-only approval with the reason, record nothing, and run the change on the customer side’s approval', async () => {
    const k = await start({ required: 1 });
    const r = await k.workflow.request(k.people.engineer, 'fabrikam', DAL, 'bandwidth', { bandwidth: '5 Gbps' });
    assert.equal(r.needsCustomerSide, true);
    await assert.rejects(k.workflow.approve(k.people.approvers[0]!, r.id), customerSideRefusal(/: Erin\.$/));
    const after = await k.store.get(r.id);
    assert.equal(after?.state, 'pending');
    assert.deepEqual(after?.approvals, [], 'the refused approval was not recorded');
    assert.deepEqual(await actions(k, r), ['requested'], 'nor audited');
    assert.equal(
      k.workflow.approvalBlocked(k.people.approvers[0]!, after)?.message,
      "Fabrikam Inc's Connect-To model needs one approval from Fabrikam Inc's side: Erin.",
    );

    const decided = await k.workflow.approve(k.people.fabrikamLead, r.id);
    assert.equal(decided.decisive, true);
    const done = await decided.execution;
    assert.equal(done?.state, 'succeeded', done?.outcome?.message);
    assert.deepEqual(
      done?.approvals.map((a) => [a.by.name, a.side]),
      [['Erin', 'customer']],
    );
    assert.equal(k.puts(DAL), 1);
  });

  it('should take CSP approvals while they leave the customer side its place, and complete with the customer side’s', async () => {
    const k = await start({ required: 2 });
    const r = await k.workflow.request(k.people.engineer, 'fabrikam', DAL, 'bandwidth', { bandwidth: '5 Gbps' });
    const first = await k.workflow.approve(k.people.approvers[0]!, r.id);
    assert.equal(first.decisive, false);
    assert.equal(first.request.approvals.length, 1);
    await assert.rejects(k.workflow.approve(k.people.approvers[1]!, r.id), customerSideRefusal(/Erin/));
    assert.equal((await k.store.get(r.id))?.approvals.length, 1);
    const done = await (await k.workflow.approve(k.people.fabrikamLead, r.id)).execution;
    assert.equal(done?.state, 'succeeded', done?.outcome?.message);
    assert.equal(k.puts(DAL), 1);

    // The customer's side first: any CSP approver completes it.
    const again = await k.workflow.request(k.people.engineer, 'fabrikam', SEA, 'bandwidth', { bandwidth: '2 Gbps' });
    assert.equal((await k.workflow.approve(k.people.fabrikamLead, again.id)).decisive, false);
    const second = await (await k.workflow.approve(k.people.approvers[3]!, again.id)).execution;
    assert.equal(second?.state, 'succeeded', second?.outcome?.message);
  });

  it('should let racing CSP approvals fill only the places the customer side does not need (atomic with the store)', async () => {
    const k = await start({ required: 2 });
    const r = await k.workflow.request(k.people.engineer, 'fabrikam', DAL, 'bandwidth', { bandwidth: '5 Gbps' });
    const results = await Promise.allSettled(k.people.approvers.map((p) => k.workflow.approve(p, r.id)));
    assert.equal(results.filter((x) => x.status === 'fulfilled').length, 1, 'one CSP approval fits');
    for (const x of results) if (x.status === 'rejected') assert.ok(customerSideRefusal(/Erin/)(x.reason), String(x.reason));
    const stored = await k.store.get(r.id);
    assert.equal(stored?.state, 'pending');
    assert.equal(stored?.approvals.length, 1);

    const last = await Promise.allSettled([
      k.workflow.approve(k.people.fabrikamLead, r.id),
      ...k.people.approvers.map((p) => k.workflow.approve(p, r.id)),
    ]);
    const decisive = last.flatMap((x) => (x.status === 'fulfilled' && x.value.decisive ? [x.value] : []));
    assert.equal(decisive.length, 1);
    assert.equal((await decisive[0]?.execution)?.state, 'succeeded');
    assert.equal(k.puts(DAL), 1, 'one ARM write');
  });

  it('should not count a customer-side person without approve, and refuse a request nobody on the customer side may approve', async () => {
    const viewer = { aadObjectId: 'fabrikam-viewer', name: 'Fay', side: 'customer', access: { fabrikam: ['view'] } };
    const k = await start({ required: 1, directory: { people: [viewer] } });
    const r = await k.workflow.request(k.people.engineer, 'fabrikam', DAL, 'bandwidth', { bandwidth: '5 Gbps' });
    const fay = k.access.person('fabrikam-viewer')!;
    await assert.rejects(
      k.workflow.approve(fay, r.id),
      (e: unknown) => e instanceof CodedError && e.code === ErrorCode.Forbidden && /approve changes for Fabrikam Inc/.test(e.message),
    );
    await assert.rejects(k.workflow.approve(k.people.approvers[0]!, r.id), customerSideRefusal(/: Erin\.$/), 'Fay is not named');
    assert.deepEqual((await k.store.get(r.id))?.approvals, []);
    await kit?.close();

    // Erin loses approve: nobody on Fabrikam's side may approve, so the change is refused when asked.
    const noApprover = await start({
      directory: { people: [viewer, { aadObjectId: 'fabrikam-lead', name: 'Erin', side: 'customer', access: { fabrikam: ['view'] } }] },
    });
    await assert.rejects(
      noApprover.workflow.request(noApprover.people.engineer, 'fabrikam', DAL, 'bandwidth', { bandwidth: '5 Gbps' }),
      (e: unknown) =>
        e instanceof CodedError &&
        e.code === ErrorCode.Refused &&
        /Fabrikam Inc uses the Connect-To model, so a change to the circuit needs one approval from Fabrikam Inc's side, and the directory names nobody there who may approve/.test(
          e.message,
        ) &&
        /"side": "customer" and 'approve' on fabrikam/.test(e.hint ?? ''),
    );
  });

  it("should not let one customer's side stand in for another's, even with approve on both (a directory that bypassed the check)", async () => {
    const contosoSide = { aadObjectId: 'contoso-side', name: 'Cato', side: 'customer', access: { contoso: ['view', 'approve'] } };
    const k = await start({ required: 1, directory: { people: [contosoSide] } });
    // The directory refuses a customer-side person with rights on two customers; as if it had not.
    const cato = k.access.person('contoso-side')!;
    cato.access.fabrikam = ['view', 'approve'];
    const r = await k.workflow.request(k.people.engineer, 'fabrikam', DAL, 'bandwidth', { bandwidth: '5 Gbps' });
    assert.deepEqual(
      k.workflow.customerSideApproversFor(r).map((p) => p.name),
      ['Erin'],
    );
    assert.equal(k.access.sideOf(cato, 'fabrikam'), 'csp');
    assert.ok(customerSideRefusal(/: Erin\.$/)(k.workflow.approvalBlocked(cato, r)));
    await assert.rejects(k.workflow.approve(cato, r.id), customerSideRefusal(/: Erin\.$/));
    assert.deepEqual((await k.store.get(r.id))?.approvals, [], 'Cato’s approval was not recorded');
    const done = await (await k.workflow.approve(k.people.fabrikamLead, r.id)).execution;
    assert.equal(done?.state, 'succeeded', done?.outcome?.message);
  });

  it('should let the CSP alone approve VNet-side changes of a Connect-To customer: a UDR route and an authorization', async () => {
    // Contoso made Connect-To for this test: it has the route table.
    const contosoSide = { aadObjectId: 'contoso-side', name: 'Cato', side: 'customer', access: { contoso: ['view', 'approve'] } };
    const k = await start({ directory: { customers: { contoso: { model: 'connect-to' } }, people: [contosoSide] } });
    const udr = await k.workflow.request(k.people.engineer, 'contoso', RT_SPOKE, 'udr-route', {
      action: 'add',
      name: 'default-to-fw',
      addressPrefix: '0.0.0.0/0',
      nextHopType: 'VirtualAppliance',
      nextHopIpAddress: '10.100.0.4',
    });
    assert.equal(udr.needsCustomerSide, undefined);
    const routed = await (await k.workflow.approve(k.people.approvers[0]!, udr.id)).execution;
    assert.equal(routed?.state, 'succeeded', routed?.outcome?.message);

    const auth = await k.workflow.request(k.people.engineer, 'fabrikam', SEA, 'authorization', { action: 'create', name: 'auth-csp-only' });
    const authorized = await (await k.workflow.approve(k.people.approvers[0]!, auth.id)).execution;
    assert.equal(authorized?.state, 'succeeded', authorized?.outcome?.message);

    // The same customer's circuit change does need its side.
    const bandwidth = await k.workflow.request(k.people.engineer, 'contoso', AMS, 'bandwidth', { bandwidth: '2 Gbps' });
    await assert.rejects(
      k.workflow.approve(k.people.approvers[0]!, bandwidth.id),
      (e: unknown) =>
        e instanceof CodedError && /^Contoso Ltd's Connect-To model needs one approval from Contoso Ltd's side: Cato\.$/.test(e.message),
    );
  });

  it('should leave Connect-Through as it was: a CSP approval completes a circuit change', async () => {
    const k = await start({ required: 1 });
    const r = await k.workflow.request(k.people.engineer, 'contoso', AMS, 'bandwidth', { bandwidth: '2 Gbps' });
    assert.equal(r.needsCustomerSide, undefined);
    const done = await (await k.workflow.approve(k.people.approvers[0]!, r.id)).execution;
    assert.equal(done?.state, 'succeeded', done?.outcome?.message);
    assert.deepEqual(
      done?.approvals.map((a) => a.side),
      ['csp'],
    );
  });

  it('should keep a request pending whose count is reached without the customer side, and take the customer side’s approval then', async () => {
    const clock = new OffsetClock();
    const k = await start({ required: 1, clock, executorLimits: { leaseMs: 60_000 } });
    const r = await k.workflow.request(k.people.engineer, 'fabrikam', DAL, 'bandwidth', { bandwidth: '5 Gbps' });
    // As a row written by a bot that did not check the side would hold it: one CSP approval, count reached.
    const csp = k.people.approvers[0]!;
    const reached = await k.store.transition(
      r.id,
      { from: ['pending'] },
      'pending',
      { approvals: [{ by: { aadObjectId: csp.aadObjectId, name: csp.name }, at: clock.now() }] },
      { requestId: r.id, customerId: r.customerId, at: clock.now(), actor: SYSTEM_ACTOR, action: 'test-seeded' },
    );
    assert.equal(reached?.approvals.length, 1);
    // Past the settle period, as a restarted bot would see it: still nothing to run.
    clock.advance(120_000);
    assert.deepEqual(await k.workflow.resumeExecuting(), []);
    assert.equal((await k.store.get(r.id))?.state, 'pending');
    await assert.rejects(k.workflow.approve(k.people.approvers[1]!, r.id), customerSideRefusal(/Erin/));
    const done = await (await k.workflow.approve(k.people.fabrikamLead, r.id)).execution;
    assert.equal(done?.state, 'succeeded', done?.outcome?.message);
    assert.equal(k.puts(DAL), 1);
  });
});
