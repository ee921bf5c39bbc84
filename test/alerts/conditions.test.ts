import assert from 'node:assert/strict';
import { WATCHED_CONDITIONS, type AlertConditionId } from '../../src/alerts/alert-conditions';
import { DROPS_GRAIN_MS } from '../../src/azure/arm-fleet-reader';
import type { TimelineEntry } from '../../src/simulator';
import {
  CIRCUITS,
  MIN,
  arpPath,
  arpWithoutCustomer,
  at,
  metricsPath,
  metricsWith,
  original,
  summaryPath,
  summaryWith,
  watching,
  type Watching,
} from './support/alert-world';

/** The watcher's interval in the harness (WATCH_INTERVAL_SECONDS is off there: the default's cycle). */
const INTERVAL_MS = MIN;
const BREAK = 10 * MIN;
const MEND = 20 * MIN;

interface Case {
  condition: AlertConditionId;
  circuitId: string;
  /** What the timeline changes at BREAK, and puts back at MEND. */
  paths: { path: string; broken: Record<string, unknown>; mended?: Record<string, unknown> }[];
  evidence: RegExp;
  peering?: string;
  link?: 'primary' | 'secondary';
  /** Read once per this many cycles (the watcher reads a 5-minute metric once per 5 minutes, each batch in turn). */
  readEveryCycles?: number;
}

const CASES: Case[] = [
  {
    condition: 'bgp-link-down',
    circuitId: CIRCUITS.contosoAms,
    paths: [
      { path: summaryPath(CIRCUITS.contosoAms, 'primary'), broken: summaryWith(summaryPath(CIRCUITS.contosoAms, 'primary'), 'Idle') },
    ],
    evidence: /primary: down \(BgpAvailability 0% at \d\d:\d\d UTC\).*\n?.*secondary: up/s,
    peering: 'AzurePrivatePeering',
    link: 'primary',
  },
  {
    condition: 'bgp-outage',
    circuitId: CIRCUITS.contosoPar,
    paths: (['primary', 'secondary'] as const).map((p) => ({
      path: summaryPath(CIRCUITS.contosoPar, p),
      broken: summaryWith(summaryPath(CIRCUITS.contosoPar, p), 'Active'),
    })),
    evidence: /primary: down \(BgpAvailability 0%.*secondary: down \(BgpAvailability 0%/,
    peering: 'AzurePrivatePeering',
  },
  {
    condition: 'arp-missing',
    circuitId: CIRCUITS.contosoShared,
    paths: [{ path: arpPath(CIRCUITS.contosoShared, 'primary'), broken: arpWithoutCustomer(arpPath(CIRCUITS.contosoShared, 'primary')) }],
    evidence: /ARP on the primary link of private peering: ArpAvailability under 50%/,
    peering: 'AzurePrivatePeering',
    link: 'primary',
  },
  {
    condition: 'provider-state',
    circuitId: CIRCUITS.fabrikamDal,
    paths: [
      {
        path: CIRCUITS.fabrikamDal,
        broken: { properties: { serviceProviderProvisioningState: 'Deprovisioning' } },
        mended: { properties: { serviceProviderProvisioningState: 'Provisioned' } },
      },
    ],
    evidence: /Provider state Deprovisioning \(.+\), not Provisioned/,
  },
  {
    condition: 'circuit-state',
    circuitId: CIRCUITS.northwindNyc1,
    paths: [
      {
        path: CIRCUITS.northwindNyc1,
        broken: { properties: { circuitProvisioningState: 'Disabled' } },
        mended: { properties: { circuitProvisioningState: 'Enabled' } },
      },
    ],
    evidence: /Circuit state \(Microsoft's side\) Disabled, not Enabled/,
  },
  {
    condition: 'utilisation-high',
    circuitId: CIRCUITS.northwindShared,
    paths: [{ path: metricsPath(CIRCUITS.northwindShared), broken: metricsWith(CIRCUITS.northwindShared, 1000, 0.92) }],
    evidence: /The primary link averaged 9\d% of 1 Gbps inbound .* over the last hour/,
  },
  {
    condition: 'rate-limit-drops',
    circuitId: CIRCUITS.fabrikamChi,
    paths: [{ path: metricsPath(CIRCUITS.fabrikamChi), broken: metricsWith(CIRCUITS.fabrikamChi, 10_000, 0.3, 5_000_000) }],
    evidence: /QosDropBitsInPerSecond 5 Mbps, QosDropBitsOutPerSecond 0 bps/,
    readEveryCycles: DROPS_GRAIN_MS / INTERVAL_MS,
  },
  {
    condition: 'prefix-limit',
    circuitId: CIRCUITS.northwindNyc2,
    paths: [
      { path: summaryPath(CIRCUITS.northwindNyc2, 'primary'), broken: summaryWith(summaryPath(CIRCUITS.northwindNyc2, 'primary'), '3500') },
    ],
    evidence: /private peering primary receives 3500 prefixes of 4000 allowed \(88%\); last router read \d\d:\d\d UTC/,
    peering: 'AzurePrivatePeering',
    link: 'primary',
  },
];

/** The most cycles a watched metric goes between reads. */
const LONGEST_READ = Math.max(...CASES.map((c) => c.readEveryCycles ?? 1));

function timeline(): TimelineEntry[] {
  return CASES.flatMap((c) => c.paths.flatMap((p) => [at(BREAK, p.path, p.broken), at(MEND, p.path, p.mended ?? original(p.path))]));
}

describe('alerts: every watched condition, raised and resolved through simulator timeline events', function () {
  this.timeout(60_000);
  let w: Watching;

  before(async () => {
    w = await watching(timeline());
  });
  after(async () => {
    await w?.h.stop();
  });

  async function assertRaised(c: Case): Promise<void> {
    const found = await w.on(c.circuitId, c.condition);
    assert.equal(found.length, 1, `${c.condition}: one alert`);
    const [alert] = found;
    assert.equal(alert?.state, 'firing', c.condition);
    assert.equal(alert?.peering, c.peering, `${c.condition} peering`);
    assert.equal(alert?.link, c.link, `${c.condition} link`);
    assert.match(alert?.evidence.join('\n') ?? '', c.evidence, c.condition);
  }

  /** Resolved, no sooner than `since` (clock ms). */
  async function assertResolved(c: Case, since: number): Promise<void> {
    const [alert] = await w.on(c.circuitId, c.condition);
    assert.equal(alert?.state, 'resolved', c.condition);
    assert.ok(alert?.resolvedAt !== undefined && alert.resolvedAt >= since, c.condition);
  }

  /** Router reads count prefixes (Azure Monitor has no such metric): what the background sweep does. */
  async function countPrefixes(): Promise<void> {
    w.h.app.prefixCounts.clear();
    await w.h.app.sweeper.sweep();
  }

  it('covers every condition the watcher judges', () => {
    assert.deepEqual(CASES.map((c) => c.condition).sort(), WATCHED_CONDITIONS.map((c) => c.id).sort());
  });

  it('should raise nothing on these circuits while they are healthy', async () => {
    await countPrefixes();
    await w.cycleAt(BREAK - MIN);
    for (const c of CASES) assert.deepEqual(await w.on(c.circuitId, c.condition), [], c.condition);
  });

  it('should raise each condition once it holds, with its evidence (utilisation after 3 cycles)', async () => {
    w.clock.offsetMs = BREAK + 1_000;
    await countPrefixes();
    const calls = (metric: RegExp) =>
      w.h.app.simulator!.requests.filter((r) => r.path.endsWith('metrics:getBatch') && metric.test(r.query.metricnames ?? '')).length;
    const drops0 = calls(/QosDropBits/);
    const batches0 = calls(/BgpAvailability/);
    const dropsPerCycle: number[] = [];
    const cycleAt = async (ms: number) => {
      const before = calls(/QosDropBits/);
      await w.cycleAt(ms);
      dropsPerCycle.push(calls(/QosDropBits/) - before);
    };
    await cycleAt(BREAK + 1_000);
    const batches = calls(/BgpAvailability/) - batches0;
    const [utilisation] = await w.on(CIRCUITS.northwindShared, 'utilisation-high');
    assert.equal(utilisation?.state, 'pending', 'over 80% for one cycle is not an alert yet');
    await cycleAt(BREAK + 30_000);
    assert.equal((await w.on(CIRCUITS.northwindShared, 'utilisation-high'))[0]?.state, 'pending');
    await cycleAt(BREAK + 60_000);
    for (const c of CASES.filter((x) => x.readEveryCycles === undefined)) await assertRaised(c);
    // A metric read in turns is seen at its batch's turn: within that many cycles of the break (3 so far).
    for (let i = 3; i < LONGEST_READ; i++) await cycleAt(BREAK + 60_000 + (i - 2) * 30_000);
    for (const c of CASES) await assertRaised(c);
    // The watcher reads each batch's drops once in those cycles, not in every one.
    assert.equal(calls(/QosDropBits/) - drops0, batches, `drops reads per cycle ${dropsPerCycle.join(', ')} for ${batches} batches`);
    assert.ok(Math.max(...dropsPerCycle) < batches, dropsPerCycle.join(', '));
  });

  it('should keep each alert open after one cycle back to normal, and resolve it after the second', async () => {
    w.clock.offsetMs = MEND + 1_000;
    await countPrefixes();
    await w.cycleAt(MEND + 1_000);
    for (const c of CASES) assert.equal((await w.on(c.circuitId, c.condition))[0]?.state, 'firing', `${c.condition} after one good cycle`);
    const mended = w.clock.now();
    await w.cycleAt(MEND + 30_000);
    for (const c of CASES.filter((x) => x.readEveryCycles === undefined)) await assertResolved(c, w.clock.now() - 5_000);
    // Read back to normal at its batch's turn (within that many cycles of the mend), and resolved one cycle later.
    for (let i = 2; i <= LONGEST_READ; i++) await w.cycleAt(MEND + i * 30_000);
    for (const c of CASES) await assertResolved(c, mended);
  });
});
