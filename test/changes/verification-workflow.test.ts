import assert from 'node:assert/strict';
import type { ChangeRequest } from '../../src/changes/change-request';
import type { ChangeStore } from '../../src/changes/ports';
import type { TimelineEntry } from '../../src/simulator/simulator-settings';
import { summaryPath, summaryWith } from '../alerts/support/alert-world';
import { openTempSqliteStore } from '../store/open-temp-sqlite-store';
import { AMS, startChangeKit, type ChangeKit } from './support/change-kit';

const PEERING = `${AMS}/peerings/AzurePrivatePeering`;

/** Both BGP sessions of AMS's private peering go Idle right after the first write to that peering, and stay down. */
const BGP_DOWN_AFTER_PEERING_WRITE: TimelineEntry[] = (['primary', 'secondary'] as const).map((path) => ({
  afterWriteTo: 'contoso-ams-er1/peerings/AzurePrivatePeering',
  afterMs: 0,
  path: summaryPath(AMS, path),
  merge: summaryWith(summaryPath(AMS, path), 'Idle'),
}));

/** Polls until `check` holds (no fixed sleeps). */
async function until<T>(what: string, read: () => Promise<T>, check: (v: T) => boolean, deadlineMs = 20_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const v = await read();
    if (check(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setImmediate(r));
  }
}

const peerAsnOf = (kit: ChangeKit): unknown => (kit.sim.resource(PEERING) as { properties: { peerASN?: unknown } }).properties.peerASN;

describe('post-change verification and rollback (issue 13)', function () {
  this.timeout(60_000);
  const kits: ChangeKit[] = [];
  afterEach(async () => {
    for (const k of kits.splice(0)) await k.close();
  });

  const start = async (timeline: TimelineEntry[], windowMs = 1_500, extra: Parameters<typeof startChangeKit>[0] = {}) => {
    const kit = await startChangeKit({
      settings: { timeline },
      executorLimits: { verifyWindowMs: windowMs, verifyIntervalMs: 50 },
      ...extra,
    });
    kits.push(kit);
    return kit;
  };

  const run = async (kit: ChangeKit, r: ChangeRequest, approver = 0): Promise<ChangeRequest> => {
    const done = await (await kit.workflow.approve(kit.people.approvers[approver]!, r.id)).execution;
    assert.ok(done);
    return done;
  };

  const verdict = (kit: ChangeKit, id: string) =>
    until(
      `${id}'s verification`,
      async () => (await kit.store.get(id))?.verification,
      (v) => v !== undefined && v.status !== 'verifying',
    );

  it('should judge a peering change whose BGP stays down "verification failed" within the window, then roll it back', async () => {
    const kit = await start(BGP_DOWN_AFTER_PEERING_WRITE);
    const asnBefore = peerAsnOf(kit);
    const r = await kit.workflow.request(kit.people.engineer, 'contoso', AMS, 'private-peering', { peerAsn: 65123 });
    const done = await run(kit, r);
    assert.equal(done.state, 'succeeded');
    assert.equal(done.verification?.status, 'verifying', 'ARM succeeded; the check has started');
    const v = await verdict(kit, r.id);
    assert.equal(v?.status, 'failed');
    assert.match(v?.why ?? '', /BGP/);
    assert.ok(v?.since !== undefined && v.endedAt !== undefined);
    assert.ok((v?.endedAt ?? 0) - (v?.startedAt ?? 0) < 1_500 + 5_000, 'bounded by VERIFY_WINDOW plus one look');
    const audit = await kit.workflow.audit(kit.people.engineer, { requestId: r.id });
    assert.ok(audit.some((e) => e.action === 'verification-failed' && /verification failed: .*BGP/.test(e.outcome ?? '')));
    assert.ok(kit.events.some((e) => e.type === 'verification' && e.request.id === r.id && e.request.verification?.status === 'failed'));
    assert.equal(peerAsnOf(kit), 65123);

    // The way back: a new request naming the original, approved like any other, restoring the before-state.
    const back = await kit.workflow.rollback(kit.people.engineer, r.id);
    assert.equal(back.rollbackOf, r.id);
    assert.equal(back.kind, 'private-peering');
    assert.equal(back.state, 'pending');
    const undone = await run(kit, back, 1);
    assert.equal(undone.state, 'succeeded');
    assert.equal(peerAsnOf(kit), asnBefore, 'read back from the simulator');
    const linked = await kit.workflow.audit(kit.people.engineer, { requestId: r.id });
    assert.ok(linked.some((e) => e.action === 'rollback-requested' && e.after?.rollback === back.id));
    await assert.rejects(kit.workflow.rollback(kit.people.engineer, r.id), /already rolls back/);
  });

  it('should end the original’s check when its rollback is asked for, so the rollback’s work is not judged as its', async () => {
    const kit = await start(BGP_DOWN_AFTER_PEERING_WRITE, 30_000);
    const r = await kit.workflow.request(kit.people.engineer, 'contoso', AMS, 'private-peering', { peerAsn: 65126 });
    await run(kit, r);
    const back = await kit.workflow.rollback(kit.people.engineer, r.id);
    const v = await verdict(kit, r.id);
    assert.equal(v?.status, 'skipped');
    assert.equal(v?.why, `rolled back by ${back.id} before the check ended`);
    await kit.workflow.executor.verifier.running(r.id);
    assert.equal((await kit.store.get(r.id))?.verification?.status, 'skipped', 'the instance that followed it stopped without a verdict');
  });

  it('should judge a peering change whose sessions stay up "verified", with the evidence', async () => {
    const kit = await start([]);
    const r = await kit.workflow.request(kit.people.engineer, 'contoso', AMS, 'private-peering', { peerAsn: 65124 });
    await run(kit, r);
    const v = await verdict(kit, r.id);
    assert.equal(v?.status, 'verified', JSON.stringify(v));
    assert.ok((v?.evidence ?? '').length > 0);
    const audit = await kit.workflow.audit(kit.people.engineer, { requestId: r.id });
    assert.ok(audit.some((e) => e.action === 'verified'));
  });

  it('should resume a check after its instance dies, and never run the change again', async () => {
    // The first instance loses its store mid-check (as a crashed process would): its lease is never given back.
    const shared = await openTempSqliteStore();
    let dead = false;
    const dying = new Proxy(shared, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (dead && prop !== 'close') return Promise.reject(new Error('this instance is gone'));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as ChangeStore;
    const first = await start(BGP_DOWN_AFTER_PEERING_WRITE, 4_000, {
      store: dying,
      executorLimits: { verifyWindowMs: 4_000, verifyIntervalMs: 50, leaseMs: 300 },
    });
    const r = await first.workflow.request(first.people.engineer, 'contoso', AMS, 'private-peering', { peerAsn: 65125 });
    const done = await run(first, r);
    assert.equal(done.verification?.status, 'verifying');
    dead = true;
    await first.workflow.executor.verifier.running(r.id);
    const puts = first.puts(PEERING);
    assert.equal(puts, 1);

    const second = await start([], 4_000, {
      sim: first.sim,
      store: shared,
      executorLimits: { verifyWindowMs: 4_000, verifyIntervalMs: 50, leaseMs: 300 },
    });
    // Within a lease period the check is still the first instance's.
    await until(
      'the second instance to take the check up',
      async () => {
        await second.workflow.resumeExecuting();
        return (
          second.workflow.executor.verifier.running(r.id) !== undefined || (await shared.get(r.id))?.verification?.status !== 'verifying'
        );
      },
      (taken) => taken,
    );
    const v = await verdict(second, r.id);
    assert.equal(v?.status, 'failed');
    assert.equal(second.puts(PEERING), 1, 'the change was not sent again');
    assert.equal((await shared.get(r.id))?.state, 'succeeded');
    await shared.close();
  });
});
