import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { createHttpHeaders, createPipelineRequest, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { ArmScheduler } from '../../src/azure/scheduler';
import { silentLogger } from '../../src/log';
import { ManualClock } from './support/manual-clock';
import { until } from '../support/until';
import { captureLog } from './support/log-capture';

const url = (sub: string) =>
  `https://arm.example/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/er1?api-version=x`;

function respond(request: PipelineRequest, status = 200, headers: Record<string, string> = {}): PipelineResponse {
  return { request, status, headers: createHttpHeaders(headers) };
}

describe('ArmScheduler (policy level)', () => {
  it('should log a call someone waits for at info, a background one at debug, and a failed one of either at warn', async () => {
    const log = captureLog('debug');
    const scheduler = new ArmScheduler({ clock: new ManualClock(), logger: log.logger });
    let status = 200;
    const next = (request: PipelineRequest) => Promise.resolve(respond(request, status));
    await scheduler.send(createPipelineRequest({ url: url('s1') }), next, { tenantId: 't1' });
    await scheduler.send(createPipelineRequest({ url: url('s1') }), next, { tenantId: 't1', background: true });
    status = 404;
    await scheduler.send(createPipelineRequest({ url: url('s1') }), next, { tenantId: 't1', background: true });
    // pino's levels: 20 debug, 30 info, 40 warn.
    assert.deepEqual(
      log
        .lines()
        .filter((l) => l.msg === 'arm call')
        .map((l) => [l.status, l.level]),
      [
        [200, 30],
        [200, 20],
        [404, 40],
      ],
    );
  });

  it('should cap concurrent calls per subscription and globally', async () => {
    const scheduler = new ArmScheduler({
      clock: new ManualClock(),
      logger: silentLogger,
      limits: { maxConcurrency: 3, maxConcurrencyPerSubscription: 2 },
    });
    let inFlight = 0;
    let peak = 0;
    const perSub = new Map<string, number>();
    let peakPerSub = 0;
    const next = async (request: PipelineRequest) => {
      const sub = request.url.split('/')[4] ?? '';
      inFlight += 1;
      perSub.set(sub, (perSub.get(sub) ?? 0) + 1);
      peak = Math.max(peak, inFlight);
      peakPerSub = Math.max(peakPerSub, perSub.get(sub) ?? 0);
      await new Promise((r) => setImmediate(r));
      inFlight -= 1;
      perSub.set(sub, (perSub.get(sub) ?? 0) - 1);
      return respond(request);
    };
    const sends = [];
    for (let i = 0; i < 12; i++) sends.push(scheduler.send(createPipelineRequest({ url: url(`s${i % 2}`) }), next));
    const results = await Promise.all(sends);
    assert.ok(results.every((r) => r.status === 200));
    assert.equal(peak, 3);
    assert.equal(peakPerSub, 2);
  });

  it('should hold background calls to their own cap across tenants, without holding up calls someone waits for', async () => {
    const scheduler = new ArmScheduler({
      clock: new ManualClock(),
      logger: silentLogger,
      limits: { maxConcurrency: 6, maxConcurrencyBackground: 2, maxConcurrencyPerSubscription: 2 },
    });
    const metrics = (tenant: number) =>
      `https://westeurope.metrics.monitor.azure.com/subscriptions/s${tenant}/metrics:getBatch?api-version=2024-02-01`;
    const graph = 'https://arm.example/providers/Microsoft.ResourceGraph/resources?api-version=2021-03-01';
    let inFlight = 0;
    let peak = 0;
    const held: (() => void)[] = [];
    // Resource Graph and metrics calls stay in flight until the test lets them go; ARM reads answer at once.
    const next = async (request: PipelineRequest) => {
      if (request.url.startsWith('https://arm.example/subscriptions/')) return respond(request);
      peak = Math.max(peak, ++inFlight);
      await new Promise<void>((release) => held.push(release));
      inFlight -= 1;
      return respond(request);
    };
    const background = [];
    for (let tenant = 0; tenant < 3; tenant++)
      for (let i = 0; i < 4; i++) {
        const request = createPipelineRequest({ url: i % 2 === 0 ? metrics(tenant) : graph, method: 'POST' });
        background.push(scheduler.send(request, next, { tenantId: `t${tenant}`, background: true }));
      }
    await until('two background calls in flight', () => held.length === 2);
    // Ten background calls are queued (t0's two are in flight); an ARM read, and a Resource Graph query for t2,
    // whose own background calls all wait, go at once: the queued calls hold no slot of t2's or the global ones.
    const armRead = await scheduler.send(createPipelineRequest({ url: url('s') }), next);
    assert.equal(armRead.status, 200);
    const asked = scheduler.send(createPipelineRequest({ url: graph, method: 'POST' }), next, { tenantId: 't2' });
    await until('the Resource Graph query someone waits for in flight', () => held.length === 3);
    let settled = false;
    const all = Promise.all([...background, asked]).finally(() => (settled = true));
    await until('every call answered', () => {
      held.splice(0).forEach((release) => release());
      return settled;
    });
    const results = await all;
    assert.ok(results.every((r) => r.status === 200));
    assert.equal(peak, 3, 'two background calls, and the one someone waits for');
    assert.equal(scheduler.stats().byKind.metrics + scheduler.stats().byKind.resourceGraph, 13);
    assert.equal(scheduler.stats().background, 12);
  });

  it("should wait for the subscription's read bucket to refill instead of bursting past it", async () => {
    const clock = new ManualClock();
    const scheduler = new ArmScheduler({ clock, logger: silentLogger, limits: { reads: { capacity: 5, refillPerSecond: 25 } } });
    const start = clock.now();
    for (let i = 0; i < 7; i++) await scheduler.send(createPipelineRequest({ url: url('s') }), (r) => Promise.resolve(respond(r)));
    assert.equal(clock.now() - start, 80, 'two calls past the burst wait 40 ms each at 25/s');
    assert.equal(scheduler.stats().requests, 7);
  });

  it('should keep read and write buckets apart, and count POST as a write like ARM does', async () => {
    const clock = new ManualClock();
    const scheduler = new ArmScheduler({
      clock,
      logger: silentLogger,
      limits: { reads: { capacity: 1, refillPerSecond: 1 }, writes: { capacity: 1, refillPerSecond: 1 } },
    });
    await scheduler.send(createPipelineRequest({ url: url('s') }), (r) => Promise.resolve(respond(r)));
    await scheduler.send(createPipelineRequest({ url: url('s'), method: 'POST' }), (r) => Promise.resolve(respond(r)));
    assert.deepEqual(clock.sleeps, [], 'one read and one write fit in their own buckets');
    await scheduler.send(createPipelineRequest({ url: url('s'), method: 'PUT' }), (r) => Promise.resolve(respond(r)));
    assert.deepEqual(clock.sleeps, [1000]);
  });

  it('should honour retry-after-ms and pause the whole subscription after a 429', async () => {
    const clock = new ManualClock();
    const scheduler = new ArmScheduler({ clock, logger: silentLogger });
    let calls = 0;
    const response = await scheduler.send(createPipelineRequest({ url: url('s') }), (r) =>
      Promise.resolve(++calls === 1 ? respond(r, 429, { 'retry-after-ms': '1500' }) : respond(r)),
    );
    assert.equal(response.status, 200);
    assert.deepEqual(clock.sleeps, [1500]);
    const { byKind, ...totals } = scheduler.stats();
    assert.deepEqual(totals, { requests: 2, background: 0, retries: 1, throttled429: 1, serverErrors: 0, connectionErrors: 0 });
    assert.equal(byKind.armRead, 2);
  });

  it('should not retry what cannot succeed on retry (400, 404, 409)', async () => {
    const scheduler = new ArmScheduler({ clock: new ManualClock(), logger: silentLogger });
    for (const status of [400, 404, 409]) {
      const r = await scheduler.send(createPipelineRequest({ url: url('s') }), (req) => Promise.resolve(respond(req, status)));
      assert.equal(r.status, status);
    }
    assert.equal(scheduler.stats().retries, 0);
  });

  it('should stop at once, with an AbortError, when the caller aborts', async () => {
    const clock = new ManualClock();
    const scheduler = new ArmScheduler({ clock, logger: silentLogger });
    const controller = new AbortController();
    const request = createPipelineRequest({ url: url('s'), abortSignal: controller.signal });
    let calls = 0;
    await assert.rejects(
      scheduler.send(request, (r) => {
        calls += 1;
        controller.abort();
        return Promise.resolve(respond(r, 503));
      }),
      (e: unknown) => e instanceof Error && e.name === 'AbortError',
    );
    assert.equal(calls, 1);
  });

  it("should abort a try in flight when the caller's signal aborts, and leave nothing on that signal once tries end", async () => {
    const scheduler = new ArmScheduler({ clock: new ManualClock(), logger: silentLogger });
    // A signal that lives as long as the process, as the prefix sweeper's does.
    const lifetime = new AbortController();
    const answered = (r: PipelineRequest) => Promise.resolve(respond(r));
    // AbortSignal.any leaves an entry on each source for as long as it lives on Node 20 (the symbol below is
    // Node's own and may change), so the scheduler must not call it at all.
    const any = AbortSignal.any.bind(AbortSignal);
    let anyCalls = 0;
    AbortSignal.any = (signals) => {
      anyCalls += 1;
      return any(signals);
    };
    try {
      for (let i = 0; i < 50; i++) await scheduler.send(createPipelineRequest({ url: url('s'), abortSignal: lifetime.signal }), answered);
    } finally {
      AbortSignal.any = any;
    }
    assert.equal(anyCalls, 0);
    assert.equal(getEventListeners(lifetime.signal, 'abort').length, 0);
    // AbortSignal.any's bookkeeping on its sources (Node's own symbol): one entry per try, kept on Node 20.
    const dependants = Object.getOwnPropertySymbols(lifetime.signal).find((s) => s.description === 'kDependantSignals');
    const kept = dependants ? (lifetime.signal as unknown as Record<symbol, Set<unknown> | undefined>)[dependants] : undefined;
    assert.equal(kept?.size ?? 0, 0);

    let started = false;
    const hanging = (r: PipelineRequest) =>
      new Promise<PipelineResponse>((_resolve, reject) => {
        started = true;
        r.abortSignal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })), { once: true });
      });
    const sent = scheduler.send(createPipelineRequest({ url: url('s'), abortSignal: lifetime.signal }), hanging);
    await until('the try in flight', () => started);
    lifetime.abort();
    await assert.rejects(sent, (e: unknown) => e instanceof Error && e.name === 'AbortError');
    assert.equal(getEventListeners(lifetime.signal, 'abort').length, 0);
  });
});
