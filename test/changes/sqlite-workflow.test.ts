import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteChangeStore } from '../../src/store';
import { ManualClock } from '../azure/support/manual-clock';
import { AMS, startChangeKit, type ChangeKit } from './support/change-kit';
import { until } from '../support/until';

/** The same workflow invariants against the embedded store the bot really runs with. */
describe('change workflow on SQLite', function () {
  this.timeout(60_000);
  let dir: string;
  const kits: ChangeKit[] = [];
  const stores: SqliteChangeStore[] = [];
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'erbot-changes-'));
  });
  afterEach(async () => {
    for (const k of kits.splice(0)) await k.close();
    for (const s of stores.splice(0)) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const open = async () => {
    const s = await SqliteChangeStore.open({ file: path.join(dir, 'changes.sqlite') });
    stores.push(s);
    return s;
  };
  const kit = async (o: Parameters<typeof startChangeKit>[0]) => {
    const k = await startChangeKit(o);
    kits.push(k);
    return k;
  };

  it('should send exactly one PUT for 50 simultaneous approvals and audit each transition once', async () => {
    const k = await kit({ store: await open(), required: 1 });
    const r = await k.workflow.request(k.people.engineer, 'contoso', AMS, 'bandwidth', { bandwidth: '2 Gbps' });
    const results = await Promise.allSettled(k.people.approvers.map((p) => k.workflow.approve(p, r.id)));
    const executions = results.flatMap((x) => (x.status === 'fulfilled' && x.value.execution ? [x.value.execution] : []));
    assert.equal(executions.length, 1);
    assert.equal((await executions[0])?.state, 'succeeded');
    assert.equal(k.puts(), 1);
    const actions = (await k.workflow.audit(k.people.engineer, { requestId: r.id, limit: 200 })).map((e) => e.action);
    assert.equal(actions.filter((a) => a === 'executing').length, 1);
    assert.equal(actions.filter((a) => a === 'succeeded').length, 1);
  });

  it('should resume from the saved poller after reopening the file, with no second PUT', async () => {
    const simClock = new ManualClock();
    const a = await kit({ store: await open(), simClock, settings: { lroDurationMs: 60_000 } });
    const r = await a.workflow.request(a.people.engineer, 'contoso', AMS, 'bandwidth', { bandwidth: '2 Gbps' });
    const approved = await a.workflow.approve(a.people.approvers[0]!, r.id);
    await until('the poller state is saved', async () => Boolean((await a.store.get(r.id))?.operation?.pollerState));
    a.workflow.executor.stop();
    assert.equal((await approved.execution)?.state, 'executing');

    const b = await kit({ store: await open(), sim: a.sim });
    const resumed = b.workflow.resumeExecuting();
    await until('the restarted bot polls', () => a.sim.requests.filter((q) => /\/operations\//.test(q.path)).length > 2);
    simClock.advance(60_000);
    const [final] = await resumed;
    assert.equal(final?.state, 'succeeded');
    assert.equal(a.puts(), 1);
  });

  it('should expire on read with an injected clock and refuse the late click', async () => {
    const clock = new ManualClock();
    const k = await kit({ store: await open(), clock, ttlMinutes: 5 });
    const r = await k.workflow.request(k.people.engineer, 'contoso', AMS, 'bandwidth', { bandwidth: '2 Gbps' });
    clock.advance(5 * 60_000);
    await assert.rejects(k.workflow.approve(k.people.approvers[0]!, r.id), /is expired/);
    assert.equal((await k.store.get(r.id))?.state, 'expired');
    assert.equal(k.puts(), 0);
  });
});
