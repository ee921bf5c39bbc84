import { Harness, textOf } from '../test/support/harness';
import type { FakeConnector } from '../test/support/fake-connector';
import type { ArmSchedulerStats, RequestKind } from '../src/azure/scheduler';
import { spawnSimulator } from './simulator-process';
import { ms } from './stats';
import { activity } from './activity';
import { world } from './world';

const LATENCY_MS = 50;
const DEVICE_READ_MS = 5_000;

/** Sends a message; resolves with the time to the reply, and (if the reply announces one) to its update. */
async function ask(botUrl: string, connector: FakeConnector, text: string, waitForUpdate = false) {
  const a = activity(connector.url, text);
  const t0 = performance.now();
  await fetch(`${botUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(a) }).then(
    (r) => r.arrayBuffer(),
  );
  const reply = await connector.waitFor((c) => c.targetId === a.id && c.activity.type !== 'typing', 600_000, text);
  const firstMs = reply.hrAt - t0;
  if (!waitForUpdate) return { firstMs, text: textOf(reply) };
  const update = await connector.waitFor((c) => c.op === 'update' && c.targetId === reply.id, 600_000, `update of ${text}`);
  return { firstMs, updateMs: update.hrAt - t0, text: textOf(update) };
}

type Kinds = Record<RequestKind, number>;
export const diff = (a: ArmSchedulerStats, b: ArmSchedulerStats) => {
  const byKind = Object.fromEntries(Object.entries(b.byKind).map(([k, v]) => [k, v - a.byKind[k as RequestKind]])) as Kinds;
  return { requests: b.requests - a.requests, throttled429: b.throttled429 - a.throttled429, retries: b.retries - a.retries, byKind };
};
export const kinds = (k: Kinds) =>
  `Resource Graph ${k.resourceGraph}, getBatch ${k.metrics}, ARM GET ${k.armRead}, device reads ${k.deviceRead}, polls ${k.poll}, writes ${k.armWrite}`;

async function fleetRun(circuits: number, tenants: number, perTenant: number) {
  const w = world(circuits, tenants, perTenant);
  // ARM's documented buckets, Resource Graph's 15 queries per 5 s per principal, device reads of 5 s.
  const sim = await spawnSimulator({ ...w.fleet, $simulator: { latencyMs: LATENCY_MS, deviceReadMs: DEVICE_READ_MS } });
  const h = await Harness.start({
    directory: w.directory,
    logLevel: 'warn',
    env: { PROGRESS_AFTER_MS: '60000', DEVICE_POLL_INTERVAL_MS: '500', ARM_POLL_INTERVAL_MS: '500' },
    externalSimulator: sim,
  });
  try {
    const s0 = h.app.armStats();
    const status = await ask(h.app.url, h.connector, 'status --fresh');
    const s1 = h.app.armStats();
    const shownErrors = (status.text.match(/throttl|could not read|unavailable|try again|no recent/gi) ?? []).length;
    const one = 'customer-1/er-0001';
    const warm = await ask(h.app.url, h.connector, `bgp ${one}`);
    const s2 = h.app.armStats();
    const drill = await ask(h.app.url, h.connector, `status ${one} --fresh`, true);
    const s3 = h.app.armStats();
    return {
      status,
      statusReq: diff(s0, s1),
      shownErrors,
      warm,
      warmReq: diff(s1, s2),
      drill,
      drillReq: diff(s2, s3),
      rssMb: process.memoryUsage().rss / 1024 / 1024,
    };
  } finally {
    await h.stop();
    await sim.stop();
  }
}

export async function benchFleet(results: Record<string, unknown>): Promise<void> {
  console.log(
    `\n## Fleet: "what's broken?" from Resource Graph + Azure Monitor; ${LATENCY_MS} ms latency, device reads ${DEVICE_READ_MS / 1000} s, ARM, Resource Graph and metrics quotas on`,
  );
  const out: Record<string, unknown> = {};
  for (const [circuits, tenants, perTenant, wallTarget, reqTarget] of [
    [200, 4, 5, 1_500, 80],
    [2_000, 20, 10, 4_000, 800],
  ] as const) {
    // BENCH_FLEET_CIRCUITS=2000 runs one size only.
    if (process.env.BENCH_FLEET_CIRCUITS && Number(process.env.BENCH_FLEET_CIRCUITS) !== circuits) continue;
    const r = await fleetRun(circuits, tenants, perTenant);
    const subs = tenants * perTenant;
    console.log(`\n### ${circuits} circuits, ${subs} subscriptions, ${tenants} tenants`);
    console.table([
      { what: 'status --fresh (fleet)', wall: ms(r.status.firstMs), requests: r.statusReq.requests, 'by kind': kinds(r.statusReq.byKind) },
      { what: 'status <circuit> --fresh: first answer', wall: ms(r.drill.firstMs), requests: '', 'by kind': '' },
      {
        what: 'status <circuit> --fresh: live confirmation',
        wall: ms(r.drill.updateMs ?? 0),
        requests: r.drillReq.requests,
        'by kind': kinds(r.drillReq.byKind),
      },
      {
        what: 'resolve a circuit name, inventory warm (bgp <circuit>)',
        wall: ms(r.warm.firstMs),
        requests: r.warmReq.byKind.resourceGraph,
        'by kind': `inventory requests ${r.warmReq.byKind.resourceGraph}`,
      },
    ]);
    console.log(
      `Fleet status: ${ms(r.status.firstMs)} (target ≤ ${ms(wallTarget)}: ${r.status.firstMs <= wallTarget ? 'MET' : 'MISSED'}), ` +
        `${r.statusReq.requests} requests (target ≤ ${reqTarget}: ${r.statusReq.requests <= reqTarget ? 'MET' : 'MISSED'}), ` +
        `429s absorbed ${r.statusReq.throttled429}, errors shown ${r.shownErrors}`,
    );
    console.log(
      `Drill-down: first answer ${ms(r.drill.firstMs)} (target ≤ 1 s: ${r.drill.firstMs <= 1_000 ? 'MET' : 'MISSED'}); live ${ms(r.drill.updateMs ?? 0)} ` +
        `(target ≤ device read + 1 s = ${ms(DEVICE_READ_MS + 1_000)}: ${(r.drill.updateMs ?? Infinity) <= DEVICE_READ_MS + 1_000 ? 'MET' : 'MISSED'}); ` +
        `live card: ${/Live from the routers/.test(r.drill.text) ? 'yes' : 'NO'}`,
    );
    console.log(
      `Name lookup with the inventory warm: ${r.warmReq.byKind.resourceGraph} inventory requests (target 0). Bench process RSS ${r.rssMb.toFixed(0)} MB`,
    );
    out[`circuits${circuits}`] = {
      statusMs: r.status.firstMs,
      statusRequests: r.statusReq.requests,
      statusByKind: r.statusReq.byKind,
      statusThrottled429: r.statusReq.throttled429,
      errorsShown: r.shownErrors,
      drillFirstMs: r.drill.firstMs,
      drillLiveMs: r.drill.updateMs,
      drillRequests: r.drillReq.requests,
      drillByKind: r.drillReq.byKind,
      warmLookupInventoryRequests: r.warmReq.byKind.resourceGraph,
    };
  }
  results.fleet = out;
}
