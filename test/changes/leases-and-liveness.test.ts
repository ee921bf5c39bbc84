import assert from 'node:assert/strict';
import type { AuditEntry, ChangeRequest } from '../../src/changes/change-request';
import { Gate, gatedWriter } from './support/gated-writer';
import { AMS, startChangeKit, type ChangeKit, type ChangeKitOptions } from './support/change-kit';
import { until } from '../support/until';
import { OffsetClock } from '../support/offset-clock';

/**
 * Exactly once across instances (DESIGN "Scale-out"): two workflows share one store and one ARM, as two bot
 * instances do. An execution lease in the request decides which one may write; and nothing may stay
 * half-way (pending with its approvals, approved) when the process that was moving it on died.
 */
describe('change execution across instances: leases, take-overs and nothing left half-way', function () {
  this.timeout(30_000);
  const kits: ChangeKit[] = [];
  const gates: Gate[] = [];
  afterEach(async () => {
    for (const g of gates.splice(0)) g.open();
    for (const k of kits.splice(0).reverse()) await k.close();
  });
  const kit = async (o: ChangeKitOptions = {}) => {
    const k = await startChangeKit(o);
    kits.push(k);
    return k;
  };
  const gate = () => {
    const g = new Gate();
    gates.push(g);
    return g;
  };
  const request = (k: ChangeKit) => k.workflow.request(k.people.engineer, 'contoso', AMS, 'bandwidth', { bandwidthMbps: 2000 });
  const systemAudit = (r: ChangeRequest, at: number, action: string): AuditEntry => ({
    requestId: r.id,
    customerId: r.customerId,
    at,
    actor: { aadObjectId: 'system', name: 'test' },
    action,
  });

  it('should not let a second instance PUT a change the first is about to PUT', async () => {
    const held = gate();
    const a = await kit({ wrapWriter: (w) => gatedWriter(w, { beforeExecute: held }) });
    const r = await request(a);
    held.arm();
    const approved = await a.workflow.approve(a.people.approvers[0]!, r.id);
    await until('A is about to PUT', () => held.arrived === 1);

    // B starts (or its sweep runs) while A is alive and holds the change: it must leave it alone.
    const b = await kit({ sim: a.sim, store: a.store });
    assert.deepEqual(await b.workflow.resumeExecuting(), [], 'B takes nothing A holds');
    assert.equal(a.puts(), 0, 'B sent nothing');
    const row = await a.store.get(r.id);
    assert.equal(row?.operation?.owner, a.workflow.executor.instanceId);

    held.open();
    const final = await approved.execution;
    assert.equal(final?.state, 'succeeded');
    assert.equal(a.puts(), 1, 'exactly one PUT across both instances');
  });

  it('should fence out an instance whose lease ran out: it sends nothing once another took the change over', async () => {
    const aRead = gate();
    const bPut = gate();
    const leaseMs = 150;
    const a = await kit({ executorLimits: { leaseMs }, wrapWriter: (w) => gatedWriter(w, { beforeRead: aRead }) });
    const b = await kit({
      sim: a.sim,
      store: a.store,
      executorLimits: { leaseMs },
      wrapWriter: (w) => gatedWriter(w, { beforeExecute: bPut }),
    });
    const r = await request(a);
    aRead.arm();
    bPut.arm();
    const approved = await a.workflow.approve(a.people.approvers[0]!, r.id);
    await until('A hangs reading the circuit before its PUT', () => aRead.arrived === 1);
    assert.deepEqual(await b.workflow.resumeExecuting(), [], 'not while A’s lease runs');

    const leaseUntil = (await a.store.get(r.id))?.operation?.leaseUntil ?? Infinity;
    await until('A’s lease runs out', () => Date.now() > leaseUntil);
    const taken = b.workflow.resumeExecuting();
    await until('B took the change over and is about to PUT', () => bPut.arrived === 1);

    // A wakes up: its version check before the PUT fails, so it stops without writing.
    aRead.open();
    const left = await approved.execution;
    assert.equal(left?.state, 'executing');
    assert.equal(left?.operation?.owner, b.workflow.executor.instanceId, 'B holds it');
    assert.equal(a.puts(), 0, 'A sent nothing after losing its lease');

    bPut.open();
    const [final] = await taken;
    assert.equal(final?.state, 'succeeded');
    assert.equal(a.puts(), 1, 'exactly one PUT');
    const trail = await a.workflow.audit(a.people.engineer, { requestId: r.id, limit: 50 });
    assert.deepEqual(
      trail
        .filter((e) => e.from && e.from !== e.to)
        .map((e) => e.to)
        .sort(),
      ['approved', 'executing', 'succeeded'],
    );
  });

  it('should release its leases on a graceful stop so another instance takes over at once', async () => {
    const a = await kit({ settings: { lroDurationMs: 60_000 } });
    const r = await request(a);
    const approved = await a.workflow.approve(a.people.approvers[0]!, r.id);
    await until('the poller state is saved', async () => Boolean((await a.store.get(r.id))?.operation?.pollerState));
    a.workflow.executor.stop();
    const left = await approved.execution;
    assert.equal(left?.state, 'executing');
    assert.equal((await a.store.get(r.id))?.operation?.leaseUntil, 0, 'released');
    const b = await kit({ sim: a.sim, store: a.store });
    const resumed = b.workflow.resumeExecuting();
    await until(
      'B follows the saved operation',
      async () => (await a.store.get(r.id))?.operation?.owner === b.workflow.executor.instanceId,
    );
    b.workflow.executor.stop();
    await resumed;
    assert.equal(a.puts(), 1);
  });

  it('should run an approved request its process never started, once it has sat there a lease period', async () => {
    const clock = new OffsetClock();
    const k = await kit({ clock, executorLimits: { leaseMs: 60_000 } });
    // As a crash between pending → approved and approved → executing leaves them: one two minutes ago, one just now.
    clock.advance(-120_000);
    const old = await k.workflow.request(k.people.engineer, 'contoso', AMS.replace('contoso-ams-er1', 'contoso-lon-er2'), 'bandwidth', {
      bandwidthMbps: 2000,
    });
    assert.ok(await k.store.transition(old.id, { from: ['pending'] }, 'approved', {}, systemAudit(old, clock.now(), 'approval-complete')));
    clock.advance(120_000);
    const fresh = await request(k);
    assert.ok(
      await k.store.transition(fresh.id, { from: ['pending'] }, 'approved', {}, systemAudit(fresh, clock.now(), 'approval-complete')),
    );

    const finals = await k.workflow.resumeExecuting();
    assert.deepEqual(
      finals.map((f) => [f.id, f.state]),
      [[old.id, 'succeeded']],
    );
    assert.equal((await k.store.get(fresh.id))?.state, 'approved', 'a just-approved one is left to the instance running it');
  });

  it('should move on a pending request whose approvals already reach the count', async () => {
    const clock = new OffsetClock();
    const k = await kit({ clock, required: 1 });
    // Two minutes ago the approval was stored, then the process died before pending → approved.
    clock.advance(-120_000);
    const r = await request(k);
    const at = clock.now();
    const added = await k.store.addApproval(
      r.id,
      { by: { aadObjectId: k.people.approvers[0]!.aadObjectId, name: 'Approver 0' }, at },
      systemAudit(r, at, 'approved'),
    );
    clock.advance(120_000);
    assert.notEqual(typeof added, 'string');
    assert.equal((await k.store.get(r.id))?.state, 'pending');

    const [final] = await k.workflow.resumeExecuting();
    assert.equal(final?.state, 'succeeded');
    assert.equal(k.puts(), 1);
    const trail = await k.workflow.audit(k.people.engineer, { requestId: r.id, limit: 50 });
    assert.equal(trail.filter((e) => e.action === 'approval-complete').length, 1);
  });

  it('should accept no approval once the count is reached, and record the count each approval made', async () => {
    const k = await kit({ required: 2 });
    const r = await request(k);
    const results = await Promise.allSettled(k.people.approvers.map((p) => k.workflow.approve(p, r.id)));
    const final = await results.flatMap((x) => (x.status === 'fulfilled' && x.value.execution ? [x.value.execution] : []))[0];
    assert.equal(final?.state, 'succeeded');
    assert.equal(final?.approvals.length, 2);
    const trail = await k.workflow.audit(k.people.engineer, { requestId: r.id, limit: 200 });
    assert.deepEqual(
      trail
        .filter((e) => e.action === 'approved')
        .map((e) => e.after?.approvals)
        .sort(),
      ['1/2', '2/2'],
    );
    for (const x of results)
      if (x.status === 'rejected') assert.match(String((x.reason as Error).message), /can't be approved|already approved/);
    assert.equal(k.puts(), 1);
  });
});
