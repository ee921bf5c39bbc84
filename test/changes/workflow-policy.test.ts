import assert from 'node:assert/strict';
import { CodedError, ErrorCode } from '../../src/errors';
import { ManualClock } from '../azure/support/manual-clock';
import { AMS, DAL, LON, NYC2, FRA, startChangeKit, type ChangeKit } from './support/change-kit';

function refusedWith(code: ErrorCode, message?: RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof CodedError, `expected a CodedError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (message) assert.match(e.message, message);
    return true;
  };
}

describe('change workflow: who may decide, expiry and audit', function () {
  this.timeout(30_000);
  let kit: ChangeKit;
  let clock: ManualClock;
  const start = async (o: { required?: number; ttlMinutes?: number } = {}) => {
    clock = new ManualClock();
    kit = await startChangeKit({ clock, ...o });
    return kit;
  };
  afterEach(() => kit.close());

  describe('requesting', () => {
    beforeEach(() => start());

    it('should let only request holders request, without naming a customer the person cannot see', async () => {
      const { workflow, people } = kit;
      await assert.rejects(
        workflow.request(people.approvers[0]!, 'contoso', AMS, 'bandwidth', { bandwidth: '2 Gbps' }),
        refusedWith(ErrorCode.Forbidden, /request changes for Contoso/),
      );
      await assert.rejects(workflow.request(people.nobody, 'contoso', AMS, 'bandwidth', { bandwidth: '2 Gbps' }), (e: unknown) => {
        refusedWith(ErrorCode.Forbidden)(e);
        assert.doesNotMatch((e as Error).message, /Contoso/);
        return true;
      });
      assert.equal((await kit.store.list({})).length, 0);
    });

    it("should refuse a circuit outside the customer's subscriptions", async () => {
      await assert.rejects(
        kit.workflow.request(kit.people.lead, 'contoso', DAL, 'bandwidth', { bandwidth: '5 Gbps' }),
        refusedWith(ErrorCode.NotFound),
      );
    });

    it('should refuse a decrease at request time with the reason and the alternative, asking nobody and writing nothing', async () => {
      await assert.rejects(
        kit.workflow.request(kit.people.engineer, 'contoso', AMS, 'bandwidth', { bandwidth: '500 Mbps' }),
        (e: unknown) => {
          refusedWith(ErrorCode.Refused, /can't lower a circuit's bandwidth/)(e);
          assert.match((e as CodedError).hint ?? '', /new, smaller circuit/);
          assert.equal((e as CodedError).details?.kind, 'bandwidth');
          return true;
        },
      );
      assert.equal((await kit.store.list({})).length, 0);
      assert.equal(kit.events.length, 0);
    });

    it('should refuse any write while the circuit is Updating, and a bandwidth change on a circuit the provider has not provisioned', async () => {
      await assert.rejects(
        kit.workflow.request(kit.people.engineer, 'northwind', NYC2, 'bandwidth', { bandwidth: '2 Gbps' }),
        refusedWith(ErrorCode.Refused, /Updating right now/),
      );
      await assert.rejects(
        kit.workflow.request(kit.people.engineer, 'northwind', NYC2, 'sku', { tier: 'Premium' }),
        refusedWith(ErrorCode.Refused, /Updating right now/),
      );
      await assert.rejects(
        kit.workflow.request(kit.people.engineer, 'contoso', FRA, 'bandwidth', { bandwidth: '500' }),
        refusedWith(ErrorCode.Refused, /not provisioned/),
      );
    });

    it('should refuse Premium → Standard on a circuit with 9,000 private routes, read from its BGP summary', async () => {
      await assert.rejects(
        kit.workflow.request(kit.people.engineer, 'fabrikam', DAL, 'sku', { tier: 'Standard' }),
        refusedWith(ErrorCode.Refused, /9000 routes/),
      );
      assert.ok(kit.sim.requests.some((r) => r.method === 'POST' && /routeTablesSummary\/primary$/i.test(r.path)));
    });

    it('should refuse Unlimited → Metered on a real circuit', async () => {
      await assert.rejects(
        kit.workflow.request(kit.people.engineer, 'fabrikam', DAL, 'sku', { family: 'Metered' }),
        refusedWith(ErrorCode.Refused, /Unlimited to Metered/),
      );
    });

    it('should store a pending request with who must approve and when it expires', async () => {
      const r = await kit.workflow.request(kit.people.engineer, 'contoso', AMS, 'bandwidth', { bandwidth: '2 Gbps' });
      assert.equal(r.state, 'pending');
      assert.equal(r.required, 1);
      assert.equal(r.expiresAt, clock.now() + 60 * 60_000);
      assert.deepEqual(r.input, { bandwidthMbps: 2000 });
      assert.equal(r.requester.aadObjectId, 'engineer');
      assert.equal(kit.workflow.approversFor(r).length, 51, '50 approvers and the contoso lead');
      assert.equal(kit.puts(), 0, 'nothing is written before approval');
    });
  });

  describe('deciding', () => {
    it('should never let the requester approve their own request, nor anyone approve twice', async () => {
      await start({ required: 2 });
      const { workflow, people } = kit;
      const r = await workflow.request(people.lead, 'contoso', AMS, 'bandwidth', { bandwidth: '2 Gbps' });
      await assert.rejects(workflow.approve(people.lead, r.id), refusedWith(ErrorCode.Forbidden, /someone else must approve/));
      const first = await workflow.approve(people.approvers[0]!, r.id);
      assert.equal(first.decisive, false);
      assert.equal(first.request.approvals.length, 1);
      await assert.rejects(workflow.approve(people.approvers[0]!, r.id), refusedWith(ErrorCode.Conflict, /already approved/));
      // Same person, id in another case: still the same approver.
      const shouting = { ...people.approvers[0]!, aadObjectId: 'APPROVER-0' };
      await assert.rejects(workflow.approve(shouting, r.id), refusedWith(ErrorCode.Conflict, /already approved/));
      const still = await workflow.get(people.engineer, r.id);
      assert.equal(still.state, 'pending');
      assert.equal(still.approvals.length, 1);
      assert.equal(kit.puts(), 0);
    });

    it('should refuse approvals from people without approve on that customer', async () => {
      await start();
      const r = await kit.workflow.request(kit.people.engineer, 'contoso', AMS, 'bandwidth', { bandwidth: '2 Gbps' });
      await assert.rejects(
        kit.workflow.approve(kit.people.engineer, r.id),
        refusedWith(ErrorCode.Forbidden, /approve changes for Contoso/),
      );
      const fab = await kit.workflow.request(kit.people.engineer, 'fabrikam', DAL, 'bandwidth', { bandwidth: '5 Gbps' });
      await assert.rejects(
        kit.workflow.approve(kit.people.lead, fab.id),
        refusedWith(ErrorCode.NotFound),
        'the contoso lead cannot even see fabrikam requests',
      );
      assert.equal((await kit.store.get(r.id))?.approvals.length, 0);
    });

    it('should hide a request from someone with no rights on its customer: no get, list, act or audit', async () => {
      await start();
      const r = await kit.workflow.request(kit.people.engineer, 'contoso', AMS, 'bandwidth', { bandwidth: '2 Gbps' });
      for (const outsider of [kit.people.northwindViewer, kit.people.nobody]) {
        await assert.rejects(kit.workflow.get(outsider, r.id), refusedWith(ErrorCode.NotFound));
        await assert.rejects(kit.workflow.approve(outsider, r.id), refusedWith(ErrorCode.NotFound));
        await assert.rejects(kit.workflow.reject(outsider, r.id, 'no'), refusedWith(ErrorCode.NotFound));
        await assert.rejects(kit.workflow.cancel(outsider, r.id), refusedWith(ErrorCode.NotFound));
        assert.deepEqual(await kit.workflow.list(outsider), []);
        assert.deepEqual(await kit.workflow.audit(outsider), []);
        assert.deepEqual(await kit.workflow.audit(outsider, { customerId: 'contoso' }), []);
      }
      // The same words as for an id that does not exist at all.
      const missing = await kit.workflow.get(kit.people.nobody, 'CR-ZZZZZZZ').then(
        () => undefined,
        (e: Error) => e.message,
      );
      const hidden = await kit.workflow.get(kit.people.nobody, r.id).then(
        () => undefined,
        (e: Error) => e.message,
      );
      assert.equal(String(hidden).replace(r.id, 'X'), String(missing).replace('CR-ZZZZZZZ', 'X'));
      assert.equal((await kit.workflow.list(kit.people.approvers[0]!)).length, 1);
    });

    it('should reject with a reason, then refuse a late approval; only the requester may cancel', async () => {
      await start();
      const { workflow, people } = kit;
      const r = await workflow.request(people.engineer, 'contoso', AMS, 'bandwidth', { bandwidth: '2 Gbps' });
      await assert.rejects(workflow.reject(people.approvers[1]!, r.id, '   '), refusedWith(ErrorCode.BadInput, /needs a reason/));
      await assert.rejects(workflow.cancel(people.approvers[1]!, r.id), refusedWith(ErrorCode.Forbidden, /Only Dana/));
      const rejected = await workflow.reject(people.approvers[1]!, r.id, 'not in the change window');
      assert.equal(rejected.state, 'rejected');
      assert.equal(rejected.rejection?.reason, 'not in the change window');
      await assert.rejects(workflow.approve(people.approvers[2]!, r.id), refusedWith(ErrorCode.Conflict, /is rejected/));
      await assert.rejects(workflow.cancel(people.engineer, r.id), refusedWith(ErrorCode.Conflict, /is rejected/));

      const r2 = await workflow.request(people.engineer, 'contoso', LON, 'bandwidth', { bandwidth: '2 Gbps' });
      assert.equal((await workflow.cancel(people.engineer, r2.id)).state, 'cancelled');
      await assert.rejects(workflow.approve(people.approvers[2]!, r2.id), refusedWith(ErrorCode.Conflict, /is cancelled/));
      assert.equal(kit.puts(AMS) + kit.puts(LON), 0);
    });
  });

  describe('expiry (injected clock)', () => {
    it('should expire a pending request on the first read past its TTL and refuse a late click', async () => {
      await start({ ttlMinutes: 30 });
      const r = await kit.workflow.request(kit.people.engineer, 'contoso', AMS, 'bandwidth', { bandwidth: '2 Gbps' });
      clock.advance(30 * 60_000 - 1);
      assert.equal((await kit.workflow.get(kit.people.engineer, r.id)).state, 'pending');
      clock.advance(1);
      await assert.rejects(kit.workflow.approve(kit.people.approvers[0]!, r.id), refusedWith(ErrorCode.Conflict, /is expired/));
      const after = await kit.workflow.get(kit.people.engineer, r.id);
      assert.equal(after.state, 'expired');
      assert.equal(after.approvals.length, 0);
      assert.equal(kit.puts(), 0);
      const trail = await kit.workflow.audit(kit.people.engineer, { requestId: r.id });
      assert.deepEqual(
        trail.map((e) => e.action),
        ['requested', 'expired'],
      );
      assert.equal(trail[1]?.actor.aadObjectId, 'system');
      assert.equal(trail[1]?.at, clock.now());
    });

    it('should expire due requests in bulk with expireDue, leaving younger ones pending', async () => {
      await start({ ttlMinutes: 10 });
      const old = await kit.workflow.request(kit.people.engineer, 'contoso', AMS, 'bandwidth', { bandwidth: '2 Gbps' });
      clock.advance(5 * 60_000);
      const young = await kit.workflow.request(kit.people.engineer, 'contoso', LON, 'bandwidth', { bandwidth: '2 Gbps' });
      clock.advance(5 * 60_000);
      const expired = await kit.workflow.expireDue();
      assert.deepEqual(
        expired.map((r) => r.id),
        [old.id],
      );
      assert.equal((await kit.store.get(young.id))?.state, 'pending');
      assert.ok(kit.events.some((e) => e.type === 'transition' && e.to === 'expired' && e.request.id === old.id));
      assert.deepEqual(await kit.workflow.expireDue(), [], 'expiring twice does nothing');
    });
  });

  describe('audit', () => {
    it('should append an entry for every transition: who, when, before/after, correlation id, outcome', async () => {
      await start({ required: 2 });
      const { workflow, people } = kit;
      const r = await workflow.request(people.engineer, 'contoso', AMS, 'bandwidth', { bandwidth: '2 Gbps' });
      clock.advance(1000);
      await workflow.approve(people.approvers[0]!, r.id);
      clock.advance(1000);
      const last = await workflow.approve(people.approvers[1]!, r.id);
      assert.equal(last.decisive, true);
      const done = await last.execution;
      assert.equal(done?.state, 'succeeded');
      const trail = await workflow.audit(people.engineer, { requestId: r.id, limit: 50 });
      assert.deepEqual(
        trail.map((e) => [e.action, e.from, e.to, e.actor.aadObjectId]),
        [
          ['requested', undefined, 'pending', 'engineer'],
          ['approved', 'pending', 'pending', 'approver-0'],
          ['approved', 'pending', 'pending', 'approver-1'],
          ['approval-complete', 'pending', 'approved', 'approver-1'],
          ['executing', 'approved', 'executing', 'system'],
          ['succeeded', 'executing', 'succeeded', 'system'],
        ],
      );
      assert.deepEqual(trail[0]?.before, { Bandwidth: '1 Gbps' });
      assert.deepEqual(trail[0]?.after, { Bandwidth: '2 Gbps' });
      assert.deepEqual(trail[2]?.after, { approvals: '2/2' });
      const succeeded = trail[5];
      assert.match(succeeded?.correlationId ?? '', /^[0-9a-f-]{36}$/, 'the ARM correlation id of the PUT');
      assert.equal(succeeded?.after?.Bandwidth, '2 Gbps', 'after-state read back from ARM');
      assert.ok(trail.every((e, i) => i === 0 || e.at >= (trail[i - 1]?.at ?? 0)));
      assert.equal(kit.puts(), 1);
      // What a card shows: the outcome and the after-state.
      assert.equal(done?.outcome?.after?.Bandwidth, '2 Gbps');
      assert.equal(done?.outcome?.after?.['Provisioning state'], 'Succeeded');
    });
  });
});
