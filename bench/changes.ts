import { randomUUID } from 'node:crypto';
import { Harness, cardOf } from '../test/support/harness';
import { requestIdOf } from '../test/support/change-cards';
import { seedPendingRequests } from '../test/support/seed-requests';
import { buildScaleFleet } from '../src/simulator';
import { median, percentile, ms } from './stats';

/**
 * The change workflow's figures (issue 3): decisive Approve click → ARM PUT, LRO completion → card update, and
 * requests created + approved per second with 1,000 pending requests already in SQLite.
 */
const LRO_MS = 300;
const POLL_MS = 100;
const STEPS = [50, 100, 200, 500, 1000, 2000, 5000, 10000];

export async function benchChanges(results: Record<string, unknown>): Promise<void> {
  console.log(`\n## Change requests: 0 ms ARM latency, LRO ${LRO_MS} ms, ARM polling every ${POLL_MS} ms, SQLite`);
  const circuits = 240;
  const { fleet, subscriptions } = buildScaleFleet({ circuits, subscriptions: 4 });
  const customers = subscriptions.map((s, i) => ({
    id: `customer-${i + 1}`,
    name: `Customer ${i + 1}`,
    tenantId: `0000000${i + 1}-0000-4000-8000-000000000000`,
    model: 'connect-through',
    subscriptions: [s],
    approval: { required: 1, ttlMinutes: 1440 },
  }));
  const engineer = { aadObjectId: 'bench-engineer', name: 'Engineer' };
  const approver = { aadObjectId: 'bench-approver', name: 'Approver' };
  const directory = {
    customers,
    people: [
      { ...engineer, access: { '*': ['view', 'request'] } },
      { ...approver, access: { '*': ['view', 'approve'] } },
    ],
  };
  const h = await Harness.start({
    fleet: { ...fleet, $simulator: { lroDurationMs: LRO_MS, throttle: false } },
    directory,
    logLevel: 'warn',
    env: { ARM_POLL_INTERVAL_MS: String(POLL_MS), PROGRESS_AFTER_MS: '60000' },
    armLimits: { reads: { capacity: 1e9, refillPerSecond: 1e9 }, writes: { capacity: 1e9, refillPerSecond: 1e9 } },
    changes: { progressUpdateMs: 1000 },
  });
  try {
    const sim = h.app.simulator!;
    const now = Date.now();
    await seedPendingRequests(h.app.store, 1000, { createdAt: now, updatedAt: now, expiresAt: now + 86_400_000 });
    // Each circuit is upgraded once, to the next provider step above its own bandwidth.
    const targets: { ref: string; id: string; to: number }[] = [];
    for (const [key, body] of Object.entries(fleet)) {
      const b = body as { type?: string; name?: string; properties?: { serviceProviderProperties?: { bandwidthInMbps?: number } } };
      if (b.type !== 'Microsoft.Network/expressRouteCircuits') continue;
      const customer = customers.find((c) => key.includes(c.subscriptions[0]!))!;
      const from = b.properties?.serviceProviderProperties?.bandwidthInMbps ?? 1000;
      targets.push({ ref: `${customer.id}/${b.name}`, id: key, to: STEPS.find((s) => s > from) ?? 10000 });
    }

    async function request(t: (typeof targets)[number]): Promise<{ requestId: string; replyId: string }> {
      const reply = await h.say(engineer, `upgrade ${t.ref} ${t.to}`, 30_000);
      return { requestId: requestIdOf(cardOf(reply)), replyId: reply.id };
    }
    const approve = (requestId: string) => h.click(approver, 'intent', { intent: { kind: 'approve', id: requestId } }, randomUUID());
    const putAt = (id: string) => sim.requests.find((r) => r.method === 'PUT' && r.path.toLowerCase() === id.toLowerCase())?.at;

    // 1. Decisive Approve → PUT, and LRO completion → card update, one change at a time.
    const approveToPut: number[] = [];
    const freshness: number[] = [];
    const sequential = targets.slice(0, 60);
    for (const t of sequential) {
      const { requestId, replyId } = await request(t);
      const t0 = Date.now();
      await approve(requestId);
      const put = await waitFor(() => putAt(t.id), 10_000, 'the PUT');
      approveToPut.push(put - t0);
      const done = await h.connector.waitFor(
        (c) => c.op === 'update' && c.targetId === replyId && /Succeeded/.test(JSON.stringify(c.activity)),
        20_000,
        'the card saying Succeeded',
      );
      freshness.push(done.at - (put + LRO_MS));
    }

    // 2. Throughput: create + approve, 8 engineers' worth in flight, with 1,000 pending rows in the store.
    const batch = targets.slice(60);
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < batch.length) {
          const t = batch[next++]!;
          const { requestId } = await request(t);
          await approve(requestId);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const perSecond = batch.length / seconds;

    console.table([
      {
        what: 'decisive Approve click → ARM PUT at the simulator',
        median: ms(median(approveToPut)),
        p99: ms(percentile(approveToPut, 99)),
        target: '< 100 ms',
      },
      {
        what: `LRO completes → card update at the connector`,
        median: ms(median(freshness)),
        p99: ms(percentile(freshness, 99)),
        target: `< 1 s + ${POLL_MS} ms polling`,
      },
    ]);
    console.log(
      `Throughput with 1,000 pending requests in SQLite: ${batch.length} requests created and approved in ${seconds.toFixed(2)} s = ${perSecond.toFixed(1)} per second (8 in flight, over HTTP, executions running alongside)`,
    );
    results.changes = {
      approveToPutMedianMs: median(approveToPut),
      approveToPutP99Ms: percentile(approveToPut, 99),
      cardFreshnessMedianMs: median(freshness),
      cardFreshnessP99Ms: percentile(freshness, 99),
      createdAndApprovedPerSecond: perSecond,
      samples: approveToPut.length,
    };
  } finally {
    await h.stop();
  }
}

async function waitFor<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}
