import assert from 'node:assert/strict';
import { CodedError, ErrorCode } from '../../src/errors';
import { ManualClock } from '../azure/support/manual-clock';
import { AMS, CONTOSO_SCOPE, LON, startChangeKit, type ChangeKit } from './support/change-kit';

describe('one change per target (issue 13)', function () {
  this.timeout(60_000);
  let kit: ChangeKit;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2025, 5, 2, 10));
    kit = await startChangeKit({ clock, ttlMinutes: 60 });
  });
  afterEach(() => kit.close());

  const upgrade = (mbps: number, circuit = AMS) =>
    kit.workflow.request(kit.people.engineer, 'contoso', circuit, 'bandwidth', { bandwidth: `${mbps} Mbps` });

  const busyWith = (holder: string) => (e: unknown) => {
    assert.ok(e instanceof CodedError, String(e));
    assert.equal(e.code, ErrorCode.Conflict);
    assert.equal(e.message, `${holder} is pending on contoso-ams-er1; cancel it or wait.`);
    return true;
  };

  it('should create exactly one of 20 concurrent requests on one circuit and point the others at it', async () => {
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => upgrade(i % 2 === 0 ? 2000 : 5000)));
    const made = results.filter((r) => r.status === 'fulfilled');
    assert.equal(made.length, 1);
    const holder = (made[0] as PromiseFulfilledResult<{ id: string }>).value.id;
    for (const r of results) if (r.status === 'rejected') busyWith(holder)(r.reason);
    assert.equal((await kit.store.list({})).length, 1);
  });

  it('should not hold other circuits, and should hold the circuit against every kind', async () => {
    const first = await upgrade(2000);
    await upgrade(2000, LON);
    await assert.rejects(
      kit.workflow.request(kit.people.lead, 'contoso', AMS, 'sku', { tier: 'Premium' }),
      busyWith(first.id),
      'any kind on the same circuit waits',
    );
  });

  for (const [how, end] of [
    ['rejected', (k: ChangeKit, id: string) => k.workflow.reject(k.people.approvers[0]!, id, 'not now')],
    ['cancelled', (k: ChangeKit, id: string) => k.workflow.cancel(k.people.engineer, id)],
  ] as const) {
    it(`should release the circuit once the holder is ${how}`, async () => {
      const first = await upgrade(2000);
      await end(kit, first.id);
      const second = await upgrade(5000);
      assert.equal(second.state, 'pending');
    });
  }

  it('should release the circuit once the holder expired, even before anyone marked it so', async () => {
    const first = await upgrade(2000);
    clock.advance(61 * 60_000);
    const second = await upgrade(5000);
    assert.notEqual(second.id, first.id);
    assert.equal((await kit.workflow.get(kit.people.engineer, first.id)).state, 'expired');
  });

  it('should expire, never run, a fully approved request left pending past its TTL once another took its circuit', async () => {
    const first = await upgrade(2000);
    // The approval is stored, but the process dies before moving the request on.
    const added = await kit.store.addApproval(
      first.id,
      { by: { aadObjectId: 'approver-0', name: 'Approver 0' }, at: clock.now() },
      (r) => ({
        requestId: r.id,
        customerId: r.customerId,
        at: clock.now(),
        actor: { aadObjectId: 'approver-0', name: 'Approver 0' },
        action: 'approved',
      }),
    );
    assert.ok(typeof added === 'object');
    clock.advance(61 * 60_000);
    const second = await upgrade(5000);
    await kit.workflow.resumeExecuting();
    assert.equal((await kit.store.get(first.id))?.state, 'expired');
    assert.equal((await kit.store.get(second.id))?.state, 'pending');
    assert.equal(kit.puts(), 0);
  });

  it('should release the circuit once the holder succeeded or went stale', async () => {
    const first = await upgrade(2000);
    const done = await (await kit.workflow.approve(kit.people.approvers[0]!, first.id)).execution;
    assert.equal(done?.state, 'succeeded');
    const second = await upgrade(5000);
    // Someone changes the circuit outside the bot: the second goes stale at execution and frees the circuit.
    await kit.arm.pool
      .networkClient(CONTOSO_SCOPE)
      .expressRouteCircuits.updateTags('rg-contoso-network', 'contoso-ams-er1', { tags: { changedBy: 'someone else' } });
    const stale = await (await kit.workflow.approve(kit.people.approvers[0]!, second.id)).execution;
    assert.equal(stale?.state, 'stale');
    assert.equal((await upgrade(10000)).state, 'pending');
  });
});
