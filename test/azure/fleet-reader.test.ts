import assert from 'node:assert/strict';
import { assessFromSignals, checkCircuitHealth, HEALTH_WINDOW_MS, type CircuitHealthReport } from '../../src/network/health-check';
import { PrefixCounts } from '../../src/app/prefix-counts';
import { buildDemoFleet, buildScaleFleet, FAILURE_MODES } from '../../src/simulator';
import { DEMO_CUSTOMERS } from '../../src/demo/customers';
import type { Circuit, CircuitSignals } from '../../src/network/types';
import { alertCondition } from '../../src/alerts/alert-conditions';
import { ManualClock } from './support/manual-clock';
import { startArmKit, type ArmKit } from './support/arm-test-kit';

type Tenants = { tenantId: string; subscriptions: string[] }[];

/** What a verdict says, without the wording of its evidence ("10.0.0.1 Idle" vs "BgpAvailability 0%"). */
function gist(r: CircuitHealthReport): string {
  const reasons = r.verdict.reasons.map(
    (x) =>
      `${x.level}:${x.text
        .replace(/\(.*?\)/g, '')
        .replace(/\d+(\.\d+)?/g, 'N')
        .slice(0, 40)}`,
  );
  return `${r.verdict.level} ${reasons.sort().join(' | ')}`;
}

/** For every circuit: the verdict from the routers, then the verdict from Azure Monitor with the counts they left. */
async function bothVerdicts(kit: ArmKit, tenants: Tenants) {
  const out: { circuit: Circuit; routers: CircuitHealthReport; metrics: CircuitHealthReport }[] = [];
  const counts = new PrefixCounts();
  for (const t of tenants) {
    const inventory = await kit.access.fleet.inventory(t.tenantId, t.subscriptions);
    const signals = await kit.access.fleet.signals(t.tenantId, inventory.value.circuits, HEALTH_WINDOW_MS);
    assert.equal(signals.value.failures.size, 0, 'every getBatch call was accepted');
    for (const circuit of inventory.value.circuits) {
      const scope = { tenantId: t.tenantId, subscriptionId: circuit.subscriptionId };
      const routers = await checkCircuitHealth(kit.access.reader, scope, circuit, { arpReads: 'always' });
      counts.recordReport(routers);
      const found = signals.value.byCircuit.get(circuit.id.toLowerCase());
      assert.ok(found, `signals for ${circuit.name}`);
      const metrics = assessFromSignals({
        circuit,
        signals: { ok: true, value: found, fetchedAt: signals.fetchedAt },
        prefixCounts: counts.lookup(circuit.id),
        fetchedAt: inventory.fetchedAt,
        fromCache: false,
      });
      out.push({ circuit, routers, metrics });
    }
  }
  return out;
}

/** The getBatch calls for the rate-limit drops the simulator has answered. */
const dropsReads = (kit: ArmKit) =>
  kit.sim.requests.filter((r) => r.path.endsWith('metrics:getBatch') && /QosDropBits/.test(r.query.metricnames ?? ''));

/** How many getBatch batches these circuits make (one per subscription and region, at these sizes). */
const batchCount = (circuits: readonly Circuit[]) => new Set(circuits.map((c) => `${c.subscriptionId}|${c.location}`.toLowerCase())).size;

describe('fleet reads: Resource Graph and Azure Monitor through the real SDKs', function () {
  this.timeout(60_000);

  it('gives the same verdicts as the routers on the demo fleet', async () => {
    const kit = await startArmKit({ fleet: buildDemoFleet() });
    try {
      const tenants = Object.values(DEMO_CUSTOMERS).map((c) => ({ tenantId: c.tenantId, subscriptions: [...c.subscriptions] }));
      const all = await bothVerdicts(kit, tenants);
      assert.equal(all.length, 12);
      for (const { circuit, routers, metrics } of all) assert.equal(gist(metrics), gist(routers), circuit.name);
      assert.deepEqual(
        all
          .filter((x) => x.metrics.verdict.level === 'red')
          .map((x) => x.circuit.name)
          .sort(),
        ['northwind-wdc-er3'],
      );
    } finally {
      await kit.close();
    }
  });

  it('gives the same verdicts as the routers on a generated fleet with every failure mode', async () => {
    const scale = buildScaleFleet({ circuits: 70, subscriptions: 3, tenantIds: ['tenant-a', 'tenant-b'], failures: true });
    const kit = await startArmKit({ fleet: scale.fleet });
    try {
      const all = await bothVerdicts(kit, scale.tenants);
      assert.equal(all.length, 70);
      assert.deepEqual(new Set(Object.values(scale.modes)), new Set(FAILURE_MODES), 'every mode is in the fleet');
      for (const { circuit, routers, metrics } of all) {
        assert.equal(gist(metrics), gist(routers), `${circuit.name} (${scale.modes[circuit.name] ?? 'healthy'})`);
        const mode = scale.modes[circuit.name];
        assert.equal(metrics.verdict.level === 'green', mode === undefined, `${circuit.name} (${mode ?? 'healthy'})`);
      }
      const byMode = (mode: string) => all.find((x) => scale.modes[x.circuit.name] === mode)!.metrics.verdict;
      assert.equal(byMode('bgp-both-down').level, 'red');
      assert.match(byMode('rate-limit-drops').reasons[0]!.text, /Rate limiting is dropping traffic/);
      assert.match(byMode('prefixes-near-limit').reasons[0]!.text, /past the 80% warning line/);
    } finally {
      await kit.close();
    }
  });

  it('never sends getBatch more than 50 ids, nor ids of two subscriptions or regions: 3 calls per batch asked', async () => {
    const scale = buildScaleFleet({ circuits: 260, subscriptions: 2, tenantId: 'tenant-g' });
    const kit = await startArmKit({ fleet: scale.fleet });
    try {
      const [tenant] = scale.tenants;
      const inventory = await kit.access.fleet.inventory(tenant!.tenantId, tenant!.subscriptions);
      const circuits = inventory.value.circuits;
      const signals = await kit.access.fleet.signals(tenant!.tenantId, circuits, HEALTH_WINDOW_MS);
      assert.equal(signals.value.failures.size, 0, 'the simulator rejects a mixed or oversized batch with 400');
      assert.equal(signals.value.byCircuit.size, 260);
      const groups = new Map<string, number>();
      for (const c of circuits) groups.set(`${c.subscriptionId}|${c.location}`, (groups.get(`${c.subscriptionId}|${c.location}`) ?? 0) + 1);
      const batches = [...groups.values()].reduce((n, size) => n + Math.ceil(size / 50), 0);
      const calls = kit.sim.requests.filter((r) => r.path.endsWith('metrics:getBatch'));
      assert.equal(calls.length, 3 * batches);
      assert.ok(calls.every((r) => r.status === 200));
    } finally {
      await kit.close();
    }
  });

  it('reads the rate-limit drops (a 5-minute metric) for the watcher once per 5 minutes, its batches in slots', async () => {
    const clock = new ManualClock(Date.now());
    const scale = buildScaleFleet({
      circuits: 200,
      subscriptions: 40,
      tenantId: 'tenant-d',
      failures: { every: 5, modes: ['rate-limit-drops'] },
      now: clock.now(),
    });
    const kit = await startArmKit({ fleet: scale.fleet, clock, access: { clock } });
    try {
      const [tenant] = scale.tenants;
      const circuits = (await kit.access.fleet.inventory(tenant!.tenantId, tenant!.subscriptions)).value.circuits;
      const batches = batchCount(circuits);
      const dropping = circuits.filter((c) => scale.modes[c.name] === 'rate-limit-drops').map((c) => c.id.toLowerCase());
      assert.ok(batches >= 40 && dropping.length === 40, `${batches} batches, ${dropping.length} circuits dropping`);
      const dropsCalls = () => dropsReads(kit).length;
      const judged = (signals: CircuitSignals | undefined) =>
        alertCondition('rate-limit-drops').evaluate!(
          assessFromSignals({
            circuit: circuits[0]!,
            signals: { ok: true, value: signals!, fetchedAt: 0 },
            fetchedAt: 0,
            fromCache: false,
          }),
        ).map((f) => f.status);
      let index = 0;
      /** One watcher cycle a minute after the last: its drops calls and signals. */
      const cycle = async (watched = circuits) => {
        clock.advance(60_000);
        const before = dropsCalls();
        const read = await kit.access.fleet.signals(tenant!.tenantId, watched, HEALTH_WINDOW_MS, {
          fresh: true,
          background: true,
          cycle: { index: index++, intervalMs: 60_000 },
        });
        assert.equal(read.value.failures.size, 0);
        return { calls: dropsCalls() - before, byCircuit: read.value.byCircuit };
      };

      const perCycle: number[] = [];
      let waiting: string[] = [];
      for (let i = 0; i < 10; i++) {
        const { calls, byCircuit } = await cycle();
        perCycle.push(calls);
        const unread = [...byCircuit.keys()].filter((id) => byCircuit.get(id)?.usage.dropsUnread === true);
        if (i === 0) {
          waiting = unread;
          assert.ok(unread.length > 0 && unread.length < circuits.length, `some batches wait for their slot: ${unread.length}`);
          // Not read is unknown, not "no drops": an alert that was open (before a restart, say) holds.
          assert.deepEqual(judged(byCircuit.get(unread[0]!)), ['unknown']);
        }
        if (i >= 4) {
          // Every batch has had its slot: between reads, its last figures serve.
          assert.deepEqual(unread, [], `cycle ${i + 1}`);
          for (const id of dropping) assert.deepEqual(judged(byCircuit.get(id)), ['firing'], `${id}, cycle ${i + 1}`);
        }
      }
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      assert.equal(sum(perCycle.slice(0, 5)), batches, `each batch read once in 5 cycles: ${perCycle.join(', ')}`);
      assert.equal(sum(perCycle.slice(5)), batches, `and once in the next 5: ${perCycle.join(', ')}`);
      assert.ok(
        perCycle.every((n) => Math.abs(n - batches / 5) <= 1),
        `spread evenly over the cycles: ${perCycle.join(', ')}`,
      );

      // A tenant not watched for a while (its inventory unreadable, say) has missed its slot: read at once.
      index += 6;
      const late = await cycle();
      assert.equal(late.calls, batches, 'every batch missed its turn');
      // Cycle 18 is one with cycle 3's slots (both the third of their 5).
      assert.equal((await cycle()).calls, perCycle[2], 'then each is read in its slot again');
      // Cycle 21 has cycle 1's slots. A circuit gone from a batch whose slot is another: its batch is a new one,
      // read at once rather than unknown until its slot.
      index = 20;
      const gone = waiting[0]!;
      const changed = await cycle(circuits.filter((c) => c.id.toLowerCase() !== gone));
      assert.equal(changed.calls, perCycle[0]! + 1, 'cycle 1’s slots, and the changed batch');
      assert.ok([...changed.byCircuit.values()].every((s) => s.usage.dropsUnread === undefined));

      const before = dropsCalls();
      const asked = await kit.access.fleet.signals(tenant!.tenantId, circuits, HEALTH_WINDOW_MS, { fresh: true });
      assert.equal(dropsCalls() - before, batches, 'someone asking reads every batch’s drops');
      assert.ok(dropping.every((id) => (asked.value.byCircuit.get(id)?.usage.drops?.inBps ?? 0) > 0));
      assert.ok([...asked.value.byCircuit.values()].every((s) => s.usage.dropsUnread === undefined));
    } finally {
      await kit.close();
    }
  });

  it('keeps a batch’s other metrics when its rate-limit drops cannot be read, the drops unknown', async () => {
    const clock = new ManualClock(Date.now());
    const scale = buildScaleFleet({ circuits: 30, subscriptions: 3, tenantId: 'tenant-f', failures: true, now: clock.now() });
    const kit = await startArmKit({
      fleet: scale.fleet,
      clock,
      access: { clock },
      settings: { faults: [{ match: 'metrics:getBatch', query: 'QosDropBits', status: 400, code: 'BadRequest', count: -1 }] },
    });
    try {
      const [tenant] = scale.tenants;
      const circuits = (await kit.access.fleet.inventory(tenant!.tenantId, tenant!.subscriptions)).value.circuits;
      for (const options of [{ fresh: true }, { fresh: true, background: true, cycle: { index: 0, intervalMs: 1_000_000 } }]) {
        const read = await kit.access.fleet.signals(tenant!.tenantId, circuits, HEALTH_WINDOW_MS, options);
        assert.equal(read.value.failures.size, 0, JSON.stringify(options));
        assert.equal(read.value.byCircuit.size, 30);
        for (const s of read.value.byCircuit.values()) {
          assert.equal(s.usage.dropsUnread, true);
          assert.ok(s.links.length > 0 && s.usage.links.length > 0, 'availability and throughput stand');
        }
      }
      const dropsCalls = () => dropsReads(kit).length;
      assert.ok(dropsReads(kit).some((r) => r.status === 400));
      // The watcher, every minute: every batch (consecutive slots) is tried in cycle 6 and fails; in cycle 7 only
      // those whose slot it is are tried again, the others unknown until theirs.
      const batches = batchCount(circuits);
      const watcher = { fresh: true, background: true, cycle: { index: 0, intervalMs: 60_000 } };
      await kit.access.fleet.signals(tenant!.tenantId, circuits, HEALTH_WINDOW_MS, { ...watcher, cycle: { index: 5, intervalMs: 60_000 } });
      const before = dropsCalls();
      const next = await kit.access.fleet.signals(tenant!.tenantId, circuits, HEALTH_WINDOW_MS, {
        ...watcher,
        cycle: { index: 6, intervalMs: 60_000 },
      });
      const tried = dropsCalls() - before;
      assert.ok(
        tried >= Math.floor(batches / 5) && tried <= Math.ceil(batches / 5) && tried > 0,
        `${tried} drops reads for ${batches} batches`,
      );
      assert.ok([...next.value.byCircuit.values()].every((s) => s.usage.dropsUnread === true));
      // Someone asking is told the drops are unknown, not that there are none.
      const circuit = circuits[0]!;
      const verdict = assessFromSignals({
        circuit,
        signals: { ok: true, value: next.value.byCircuit.get(circuit.id.toLowerCase())!, fetchedAt: 0 },
        fetchedAt: 0,
        fromCache: false,
      }).verdict;
      assert.ok(verdict.reasons.some((r) => r.level === 'unknown' && /Rate-limit drops are unknown/.test(r.text)));
    } finally {
      await kit.close();
    }
  });

  it('absorbs the metrics quota: every batch answered in the end, 429s retried', async () => {
    const scale = buildScaleFleet({ circuits: 260, subscriptions: 2, tenantId: 'tenant-q' });
    const kit = await startArmKit({ fleet: scale.fleet, settings: { metrics: { quota: { queries: 6, windowMs: 1_000 } } } });
    try {
      const [tenant] = scale.tenants;
      const inventory = await kit.access.fleet.inventory(tenant!.tenantId, tenant!.subscriptions);
      const signals = await kit.access.fleet.signals(tenant!.tenantId, inventory.value.circuits, HEALTH_WINDOW_MS);
      assert.equal(signals.value.failures.size, 0);
      assert.equal(signals.value.byCircuit.size, 260);
      const calls = kit.sim.requests.filter((r) => r.path.endsWith('metrics:getBatch'));
      assert.ok(
        calls.some((r) => r.status === 429),
        'the simulator throttled some batches',
      );
      assert.ok(kit.access.stats().retries > 0);
    } finally {
      await kit.close();
    }
  });

  it('pages Resource Graph past 1,000 rows, and absorbs its per-principal quota', async () => {
    const scale = buildScaleFleet({ circuits: 2_300, subscriptions: 4, tenantId: 'tenant-p' });
    // A quota tighter than the scheduler's own budget, as when another tool shares the principal.
    const kit = await startArmKit({ fleet: scale.fleet, settings: { resourceGraph: { quota: { queries: 2, windowMs: 2_000 } } } });
    try {
      const [tenant] = scale.tenants;
      const first = await kit.access.fleet.inventory(tenant!.tenantId, tenant!.subscriptions);
      assert.equal(first.value.circuits.length, 2_300);
      assert.equal(new Set(first.value.circuits.map((c) => c.id)).size, 2_300, 'no row twice across pages');
      const pages = kit.sim.requests.filter((r) => r.path.toLowerCase() === '/providers/microsoft.resourcegraph/resources');
      assert.equal(pages.length, 3);
      // Four queries at once (one per subscription) against a quota of two per two seconds.
      const each = await Promise.all(tenant!.subscriptions.map((s) => kit.access.fleet.inventory(tenant!.tenantId, [s], { fresh: true })));
      assert.equal(
        each.reduce((n, r) => n + r.value.circuits.length, 0),
        2_300,
        'every query answered in the end',
      );
      const graph = kit.sim.requests.filter((r) => r.path.toLowerCase() === '/providers/microsoft.resourcegraph/resources');
      assert.ok(
        graph.some((r) => r.status === 429),
        'the simulator throttled some queries',
      );
      assert.equal(kit.access.stats().byKind.resourceGraph, graph.length);
    } finally {
      await kit.close();
    }
  });

  it('sees a BGP session that a timeline event drops at the next read after it', async () => {
    const clock = new ManualClock(Date.now());
    const fleet = buildDemoFleet({ now: clock.now() });
    const c = DEMO_CUSTOMERS.contoso;
    const summary = Object.keys(fleet).find((k) =>
      /contoso-ams-er1\/peerings\/AzurePrivatePeering\/routeTablesSummary\/primary$/i.test(k),
    )!;
    const kit = await startArmKit({
      fleet,
      clock,
      access: { clock, fleetCacheTtlMs: 0, cacheTtlMs: 0 },
      settings: {
        timeline: [
          {
            afterMs: 90_000,
            path: summary,
            merge: { value: [{ neighbor: '10.1.0.1', v: 4, as: 65010, upDown: '00:00:12', statePfxRcd: 'Idle' }] },
          },
        ],
      },
    });
    try {
      const verdict = async () => {
        const inventory = await kit.access.fleet.inventory(c.tenantId, [...c.subscriptions], { fresh: true });
        const circuit = inventory.value.circuits.find((x) => x.name === 'contoso-ams-er1')!;
        const signals = await kit.access.fleet.signals(c.tenantId, [circuit], HEALTH_WINDOW_MS, { fresh: true });
        const found = signals.value.byCircuit.get(circuit.id.toLowerCase())!;
        return assessFromSignals({ circuit, signals: { ok: true, value: found, fetchedAt: 0 }, fetchedAt: 0, fromCache: false }).verdict;
      };
      assert.equal((await verdict()).level, 'green');
      clock.advance(89_000);
      assert.equal((await verdict()).level, 'green', 'not before the event');
      clock.advance(2_000);
      const after = await verdict();
      assert.equal(after.level, 'amber');
      assert.match(after.reasons[0]!.text, /High availability lost on private peering: the primary BGP session is down/);
    } finally {
      await kit.close();
    }
  });
});
