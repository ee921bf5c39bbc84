import assert from 'node:assert/strict';
import type { ChangeRequest } from '../../src/changes/change-request';
import { armCodeOf, outcomeMessage } from '../../src/cards/outcome-words';
import { ManualClock } from '../azure/support/manual-clock';
import { buildDemoFleet, generateCertificate, startSimulator } from '../../src/simulator';
import { startFailingOperationsProxy } from './support/failing-operations-proxy';
import { AMS, CONTOSO_SCOPE, startChangeKit, type ChangeKit } from './support/change-kit';
import { until } from '../support/until';
import type { SqliteChangeStore } from '../../src/store';
import { overwriteStoredRequest } from '../store/open-temp-sqlite-store';

type CircuitBody = { etag?: string; properties?: { provisioningState?: string; serviceProviderProperties?: { bandwidthInMbps?: number } } };

describe('change execution: exactly once, bound to the approved version, failures end cleanly', function () {
  this.timeout(60_000);
  const kits: ChangeKit[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const k of kits.splice(0)) await k.close();
    for (const c of cleanups.splice(0)) await c();
  });
  const kit = async (o: Parameters<typeof startChangeKit>[0] = {}) => {
    const k = await startChangeKit(o);
    kits.push(k);
    return k;
  };
  const request = (k: ChangeKit, mbps = 2000) =>
    k.workflow.request(k.people.engineer, 'contoso', AMS, 'bandwidth', { bandwidthMbps: mbps });
  const approveAndRun = async (k: ChangeKit, r: ChangeRequest) => {
    const result = await k.workflow.approve(k.people.approvers[0]!, r.id);
    assert.ok(result.execution, 'the decisive approval starts execution');
    return result.execution;
  };
  const amsBody = (k: ChangeKit) => k.sim.resource(AMS) as CircuitBody;

  it('should send exactly one PUT for 50 simultaneous approvals from different approvers (required = 1)', async () => {
    const k = await kit({ required: 1 });
    const r = await request(k);
    const results = await Promise.allSettled(k.people.approvers.map((p) => k.workflow.approve(p, r.id)));
    const decisive = results.filter((x) => x.status === 'fulfilled' && x.value.decisive);
    assert.equal(decisive.length, 1, 'one approval completes the count');
    const executions = results.flatMap((x) => (x.status === 'fulfilled' && x.value.execution ? [x.value.execution] : []));
    assert.equal(executions.length, 1);
    const final = await executions[0];
    assert.equal(final?.state, 'succeeded');
    for (const x of results)
      if (x.status === 'rejected') assert.match(String((x.reason as Error).message), /can't be approved|already approved/);
    assert.equal(k.puts(), 1, 'the simulator saw exactly one PUT');
    assert.equal(amsBody(k).properties?.serviceProviderProperties?.bandwidthInMbps, 2000);
    const trail = await k.workflow.audit(k.people.engineer, { requestId: r.id, limit: 200 });
    assert.equal(trail.filter((e) => e.action === 'executing').length, 1);
    assert.equal(trail.filter((e) => e.action === 'approval-complete').length, 1);
    // The executor's CAS alone also holds: asking it again does nothing.
    assert.equal((await k.workflow.executor.execute(r.id)).state, 'succeeded');
    assert.equal(k.puts(), 1);
  });

  it('should become stale, sending nothing, when the circuit changed between request and execution', async () => {
    const k = await kit();
    const r = await request(k);
    await k.arm.pool
      .networkClient(CONTOSO_SCOPE)
      .expressRouteCircuits.updateTags('rg-contoso-network', 'contoso-ams-er1', { tags: { changedBy: 'someone else' } });
    const final = await approveAndRun(k, r);
    assert.equal(final?.state, 'stale');
    assert.match(final ? outcomeMessage(final) : '', /changed after this request was made.*Nothing was sent.*Ask again/s);
    assert.equal(k.puts(), 0);
    assert.equal(amsBody(k).properties?.serviceProviderProperties?.bandwidthInMbps, 1000);
    assert.ok(k.events.some((e) => e.type === 'transition' && e.to === 'stale'));
  });

  it('should end failed with ARM code, message and the circuit state when the operation ends Failed', async () => {
    const tls = await generateCertificate();
    const sim = await startSimulator({ fleet: buildDemoFleet({ now: Date.UTC(2025, 0, 1) }), tls, settings: { deviceReadMs: 0 } });
    const proxy = await startFailingOperationsProxy(sim, tls);
    cleanups.push(
      () => proxy.close(),
      () => sim.close(),
    );
    const k = await kit({ sim, endpoint: proxy.url });
    const r = await request(k);
    proxy.failNext(100, { code: 'ServiceProviderCapacityExceeded', message: 'The provider cannot carry 2 Gbps at this location.' });
    const final = await approveAndRun(k, r);
    assert.equal(final?.state, 'failed');
    assert.equal(armCodeOf(final?.outcome), 'ServiceProviderCapacityExceeded');
    assert.match(
      final ? outcomeMessage(final) : '',
      /accepted the change but the operation failed \(ServiceProviderCapacityExceeded\): The provider cannot carry 2 Gbps/,
    );
    assert.ok(final?.outcome?.after?.['Provisioning state'], 'the state the circuit is left in');
    assert.equal(k.puts(), 1, 'a failed operation is not submitted again');
  });

  it('should retry a 429 RetryableErrorDueToAnotherOperation and then succeed', async () => {
    const k = await kit({ armLimits: { maxAttempts: 1 } });
    const r = await request(k);
    k.sim.addFaults([
      { match: 'PUT', status: 429, code: 'RetryableErrorDueToAnotherOperation', message: 'Another operation is in progress.', count: 1 },
    ]);
    const final = await approveAndRun(k, r);
    assert.equal(final?.state, 'succeeded');
    assert.equal(final?.operation?.attempts, 1);
    const puts = k.sim.requests.filter((q) => q.method === 'PUT');
    assert.deepEqual(
      puts.map((q) => q.status),
      [429, 200],
    );
  });

  it('should give up on persistent 5xx after its attempts, failed with a clear message and nothing changed', async () => {
    const k = await kit({ armLimits: { maxAttempts: 1 }, executorLimits: { maxAttempts: 3 } });
    const r = await request(k);
    k.sim.addFaults([{ match: 'PUT', status: 503, code: 'ServiceUnavailable', message: 'Network RP is unavailable.', count: -1 }]);
    const final = await approveAndRun(k, r);
    assert.equal(final?.state, 'failed');
    assert.match(
      final ? outcomeMessage(final) : '',
      /kept failing \(ServiceUnavailable: Network RP is unavailable\.\); the bot gave up after 3 attempts\. Nothing was changed\./,
    );
    assert.equal(k.puts(), 3);
    assert.equal((await k.store.list({ states: ['executing'] })).length, 0);
  });

  it('should end failed at once, in ARM’s words, when ARM rejects the body', async () => {
    const k = await kit();
    const r = await request(k);
    k.sim.addFaults([
      { match: 'PUT', status: 400, code: 'InvalidCircuitBandwidth', message: 'Bandwidth 2000 Mbps is not offered here.', count: 1 },
    ]);
    const final = await approveAndRun(k, r);
    assert.equal(final?.state, 'failed');
    assert.equal(
      final && outcomeMessage(final),
      'Azure refused the change (InvalidCircuitBandwidth): Bandwidth 2000 Mbps is not offered here.',
    );
    assert.equal(final?.outcome?.after?.Bandwidth, '1 Gbps');
    assert.equal(k.puts(), 1);
  });

  it('should recover from a connection reset on the PUT by reading first, then submitting once', async () => {
    const k = await kit({ armLimits: { maxAttempts: 1 } });
    const r = await request(k);
    k.sim.addFaults([{ match: 'PUT', status: 500, resetConnection: true, count: 1 }]);
    const final = await approveAndRun(k, r);
    assert.equal(final?.state, 'succeeded');
    const puts = k.sim.requests.filter((q) => q.method === 'PUT');
    assert.deepEqual(
      puts.map((q) => q.status),
      [0, 200],
      'the reset PUT never reached ARM; one PUT applied',
    );
  });

  it('should follow, not resubmit, when the connection drops right after ARM accepted the PUT', async () => {
    const k = await kit({ armLimits: { maxAttempts: 1 } });
    const r = await request(k);
    k.sim.addFaults([{ match: '/operations/', status: 500, resetConnection: true, count: 1 }]);
    const final = await approveAndRun(k, r);
    assert.equal(final?.state, 'succeeded');
    assert.equal(k.puts(), 1);
    assert.equal(final?.outcome?.after?.Bandwidth, '2 Gbps');
  });

  it('should treat a timed-out PUT that ARM applied anyway as done, without a second PUT', async () => {
    const tls = await generateCertificate();
    const sim = await startSimulator({ fleet: buildDemoFleet({ now: Date.UTC(2025, 0, 1) }), tls, settings: { deviceReadMs: 0 } });
    const proxy = await startFailingOperationsProxy(sim, tls);
    cleanups.push(
      () => proxy.close(),
      () => sim.close(),
    );
    // Our attempt gives up after 150 ms; the PUT reaches ARM after 400 ms; the executor looks again after 1 s.
    const k = await kit({
      sim,
      endpoint: proxy.url,
      armLimits: { maxAttempts: 1, attemptTimeoutMs: 150 },
      executorLimits: { retryDelayMs: 1000 },
    });
    const r = await request(k);
    proxy.delayNextPut(400);
    const final = await approveAndRun(k, r);
    assert.equal(final?.state, 'succeeded');
    assert.equal(k.puts(), 1);
    assert.equal(final?.operation?.attempts, 1);
    assert.equal(final?.outcome?.after?.Bandwidth, '2 Gbps');
  });

  it('should end failed, not executing, when ARM never finishes within the deadline', async () => {
    const simClock = new ManualClock();
    const k = await kit({ simClock, settings: { lroDurationMs: 3_600_000 }, executorLimits: { deadlineMs: 300 } });
    const r = await request(k);
    const final = await approveAndRun(k, r);
    assert.equal(final?.state, 'failed');
    assert.match(final ? outcomeMessage(final) : '', /did not finish the change within/);
    assert.equal(final?.outcome?.after?.['Provisioning state'], 'Updating', 'the card says what state the circuit is in');
    assert.equal(k.puts(), 1);
    const progress = k.events.filter((e) => e.type === 'progress');
    assert.ok(
      progress.some((e) => e.type === 'progress' && e.status === 'running' && e.elapsedMs >= 0),
      'executing progress reaches the cards',
    );
  });

  describe('restarts', () => {
    it('should resume a saved operation after a restart without a second PUT', async () => {
      const simClock = new ManualClock();
      const a = await kit({ simClock, settings: { lroDurationMs: 60_000 } });
      const r = await request(a);
      const approved = await a.workflow.approve(a.people.approvers[0]!, r.id);
      await until('the poller state is saved', async () => Boolean((await a.store.get(r.id))?.operation?.pollerState));
      a.workflow.executor.stop();
      const left = await approved.execution;
      assert.equal(left?.state, 'executing', 'a stopped bot leaves the change resumable');

      const b = await kit({ sim: a.sim, store: a.store });
      const resumed = b.workflow.resumeExecuting();
      const pollsBefore = a.sim.requests.filter((q) => /\/operations\//.test(q.path)).length;
      await until(
        'the restarted bot polls the saved operation',
        () => a.sim.requests.filter((q) => /\/operations\//.test(q.path)).length > pollsBefore,
      );
      simClock.advance(60_000);
      const [final] = await resumed;
      assert.equal(final?.state, 'succeeded');
      assert.equal(a.puts(), 1, 'resuming sent no second PUT');
      assert.equal(final?.outcome?.after?.Bandwidth, '2 Gbps');
    });

    it('should follow a PUT that reached ARM before the poller state was saved, without sending it again', async () => {
      const simClock = new ManualClock();
      const a = await kit({ simClock, settings: { lroDurationMs: 60_000 } });
      const r = await request(a);
      const approved = await a.workflow.approve(a.people.approvers[0]!, r.id);
      await until('the poller state is saved', async () => Boolean((await a.store.get(r.id))?.operation?.pollerState));
      a.workflow.executor.stop();
      await approved.execution;
      // The crash window: as if the process died between ARM accepting the PUT and the save.
      const row = (await a.store.get(r.id))!;
      overwriteStoredRequest(a.store as SqliteChangeStore, {
        ...row,
        operation: { attempts: 0, startedAt: row.operation?.startedAt ?? 0 },
      });
      assert.equal(amsBody(a).properties?.provisioningState, 'Updating');

      // The restarted bot shares the simulator's clock, so following by reading lets the operation finish.
      const b = await kit({ sim: a.sim, store: a.store, clock: simClock, executorLimits: { followIntervalMs: 30_000 } });
      const [final] = await b.workflow.resumeExecuting();
      assert.equal(final?.state, 'succeeded');
      assert.equal(a.puts(), 1, 'never double-applied');
    });

    it('should submit once a change whose PUT never left before the crash', async () => {
      const a = await kit();
      const r = await request(a);
      // As the executor would have left it: approved → executing, then the process died before the PUT.
      const moved = await a.store.transition(
        r.id,
        { from: ['pending'] },
        'executing',
        { operation: { attempts: 0, startedAt: Date.now() } },
        {
          requestId: r.id,
          customerId: r.customerId,
          at: Date.now(),
          actor: { aadObjectId: 'system', name: 'test' },
          action: 'executing',
        },
      );
      assert.ok(moved);
      assert.equal(a.puts(), 0);
      const b = await kit({ sim: a.sim, store: a.store });
      const [final] = await b.workflow.resumeExecuting();
      assert.equal(final?.state, 'succeeded');
      assert.equal(a.puts(), 1);
    });
  });
});
