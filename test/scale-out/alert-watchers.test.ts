import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startSimulator, buildDemoFleet, type RunningSimulator, type TimelineEntry } from '../../src/simulator';
import { startAzurite, type Azurite } from '../support/azurite';
import { Harness } from '../support/harness';
import { OffsetClock } from '../support/offset-clock';
import { textOf } from '../support/cards';
import { until } from '../support/until';
import {
  ALERT_PEOPLE,
  CIRCUITS,
  MIN,
  alertDirectory,
  at,
  channel,
  isWatchNotice,
  original,
  resourceGraphForbidden,
  sayIn,
  summaryPath,
  summaryWith,
} from '../alerts/support/alert-world';

const AMS_PRIMARY = summaryPath(CIRCUITS.contosoAms, 'primary');
const CONTOSO_CHANNEL = channel('contoso-scale-out');
const LEASE_MS = 30_000;
/** Ten drops and ten restorations, a minute apart: 20 transitions of one link. */
const TRANSITIONS: TimelineEntry[] = Array.from({ length: 20 }, (_, i) =>
  at(10 * MIN + i * MIN, AMS_PRIMARY, i % 2 === 0 ? summaryWith(AMS_PRIMARY, 'Idle') : original(AMS_PRIMARY)),
);

/**
 * Scale-out: two instances on one Azurite and one ARM. Each customer is watched by exactly one of them (a lease
 * in the store); when that one stops renewing, the other takes over within a lease period; nobody is paged twice.
 */
describe('scale-out: two alert watchers sharing Azure Table Storage', function () {
  this.timeout(120_000);
  let azurite: Azurite;
  let sim: RunningSimulator;
  let a: Harness;
  let b: Harness;
  const clock = new OffsetClock();

  before(async () => {
    azurite = await startAzurite();
    const fleet = buildDemoFleet();
    sim = await startSimulator({ fleet, clock, settings: { lroDurationMs: 0, deviceReadMs: 0, timeline: TRANSITIONS } });
    const shared = {
      directory: alertDirectory(),
      clock,
      externalSimulator: { url: sim.url, caPem: sim.caPem },
      env: {
        TABLE_STORAGE_CONNECTION_STRING: azurite.connectionString,
        TABLE_STORAGE_PREFIX: `alerts${randomUUID().replace(/-/g, '').slice(0, 8)}`,
      },
      logLevel: 'warn',
    };
    a = await Harness.start({ ...shared, alerts: { leaseMs: LEASE_MS, instanceId: 'instance-a' } });
    b = await Harness.start({ ...shared, alerts: { leaseMs: LEASE_MS, instanceId: 'instance-b' } });
    assert.match(textOf(await sayIn(a, ALERT_PEOPLE.admin, CONTOSO_CHANNEL, 'alerts here contoso')), /alert cards/);
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    await sim?.close();
    await azurite?.stop();
  });

  /** Every card posted to Contoso's channel, by either instance (the saved reference points at a's connector). */
  const posts = () => [...a.connector.postsTo(CONTOSO_CHANNEL.id), ...b.connector.postsTo(CONTOSO_CHANNEL.id)];

  /** Both instances run a cycle at once, at `ms` after the start. */
  async function bothAt(ms: number) {
    clock.offsetMs = ms;
    return Promise.all([a.app.watcher.runCycle(), b.app.watcher.runCycle()]);
  }

  it('should have exactly one instance watch each customer', async () => {
    const [x, y] = await bothAt(5 * MIN);
    assert.equal(x.customers + y.customers, 3);
    await until('the first card', () => posts().length > 0);
    const [x2, y2] = await bothAt(5 * MIN + 10_000);
    assert.deepEqual([x2.customers, y2.customers], [x.customers, y.customers], 'each keeps what it holds');
  });

  it('should post no card twice over 20 transitions of a link, whichever instance watches', async () => {
    const before = posts().length;
    for (let t = 10 * MIN + 1_000; t < 30 * MIN + 1_000; t += 20_000) await bothAt(t);
    const alerts = (await a.app.alertStore.listAlerts({ customerIds: ['contoso'], resolvedSince: 0 })).filter(
      (x) => x.circuitName === 'contoso-ams-er1' && x.condition === 'bgp-link-down',
    );
    const groups = new Set(alerts.map((x) => x.groupId).filter((g) => g !== undefined));
    const added = await until('the posts settle', () => {
      const n = posts().length - before;
      return n === groups.size && n;
    });
    assert.equal(added, groups.size, 'one post per card');
    for (const g of groups) assert.equal((await b.app.alertStore.alertPosts('contoso', g)).length, 1, `card ${g} posted once`);
    assert.equal(new Set(posts().map((p) => p.id)).size, posts().length);
  });

  it('should let the other instance take over within one lease period when the watching one stops renewing', async () => {
    const [x, y] = await bothAt(31 * MIN);
    const [other, held] = x.customers > 0 ? [b, x.customers] : [a, y.customers];
    // The holder "dies": it runs no more cycles and never gives its leases back.
    clock.offsetMs = 31 * MIN + LEASE_MS / 2;
    assert.equal((await other.app.watcher.runCycle()).customers, 3 - held, 'not before the lease runs out');
    clock.offsetMs = 31 * MIN + LEASE_MS + 1_000;
    assert.equal((await other.app.watcher.runCycle()).customers, 3, 'all customers taken over');
  });

  it('should say once that a customer cannot be read and once that it can again, whichever instance sees each', async () => {
    const notices = () =>
      posts()
        .map((p) => textOf(p))
        .filter(isWatchNotice);
    const cycleOf = async (h: Harness, ms: number) => {
      clock.offsetMs = ms;
      const cycle = await h.app.watcher.runCycle();
      await until('alert delivery idle', () => a.app.alertDelivery.idle && b.app.alertDelivery.idle);
      return cycle;
    };
    // Access to Resource Graph taken away: a setup failure, said at once.
    const refuse = (on: boolean) => {
      sim.settings.faults = on ? [resourceGraphForbidden()] : [];
    };
    const before = notices().length;
    const said = () => notices().slice(before);
    const saidSoFar = () => said().join('\n---\n');
    try {
      // Every lease has run out by now: a takes all three customers, finds Contoso unreadable, and says so.
      refuse(true);
      assert.equal((await cycleOf(a, 40 * MIN)).unread, 3);
      assert.equal(said().length, 1, saidSoFar());
      assert.match(said()[0]!, /Not watching Contoso Ltd since/);
      // a dies. b, taking over while Contoso still cannot be read, knows from the store that it was said.
      assert.equal((await cycleOf(b, 40 * MIN + LEASE_MS + 1_000)).customers, 3);
      await cycleOf(b, 40 * MIN + LEASE_MS + 20_000);
      assert.equal(said().length, 1, saidSoFar());
      // Access back: b says so, once.
      refuse(false);
      await cycleOf(b, 41 * MIN + 30_000);
      assert.equal(said().length, 2, saidSoFar());
      assert.match(said()[1]!, /Watching Contoso Ltd again: its inventory can be read\. It was not watched for 1 min 30 s, from/);

      // Lost again, said by b; b dies, and access comes back.
      refuse(true);
      await cycleOf(b, 42 * MIN);
      assert.equal(said().length, 3, saidSoFar());
      assert.match(said()[2]!, /Not watching Contoso Ltd since/);
    } finally {
      refuse(false);
    }
    // a takes over: it last saw Contoso unreadable from 40 min, but did not watch it since. The store says the gap is
    // b's, from 42 min, and told: a says its end at once, from then.
    assert.equal((await cycleOf(a, 42 * MIN + LEASE_MS + 1_000)).customers, 3);
    assert.equal(said().length, 4, saidSoFar());
    assert.match(said()[3]!, /Watching Contoso Ltd again: its inventory can be read\. It was not watched for 31 s, from/);
    await cycleOf(a, 43 * MIN);
    assert.equal(said().length, 4, saidSoFar());
    assert.deepEqual(await b.app.alertStore.listWatchGaps(['contoso', 'fabrikam', 'northwind']), [], 'every gap closed');
  });
});
