import assert from 'node:assert/strict';
import { Harness, textOf } from '../support/harness';
import { isProgressCard, validCard } from '../support/cards';
import { ENGINEER } from '../support/demo-world';

/**
 * `status <circuit>` and `circuit <circuit>` answer at once from Resource Graph and Azure Monitor, then read
 * the routers and update the same message with "live from the routers"; the card never goes back.
 */
describe('bot: drill-down answers at once, then confirms live in place', function () {
  this.timeout(30_000);
  let h: Harness;
  const DEVICE_READ_MS = 1_500;

  before(async () => {
    h = await Harness.start({ env: { PROGRESS_AFTER_MS: '10000' }, simulator: { deviceReadMs: DEVICE_READ_MS } });
  });
  after(async () => h?.stop());

  const devicePosts = () =>
    h.app.simulator!.requests.filter((r) => r.method === 'POST' && /\/(routeTablesSummary|arpTables)\//i.test(r.path));

  for (const command of ['status contoso-lon-er2 --fresh', 'circuit contoso-lon-er2 --fresh']) {
    it(`${command.split(' ')[0]}: the first card comes before any router answered, then one update with the live data`, async () => {
      const postsBefore = devicePosts().length;
      const t0 = Date.now();
      const first = await h.say(ENGINEER, command);
      const firstCard = validCard(first);
      assert.ok(Date.now() - t0 < DEVICE_READ_MS, 'the first answer did not wait for a router read');
      assert.ok(isProgressCard(firstCard), 'the first card says it updates in place');
      assert.match(textOf(firstCard), /Azure Monitor, 1-minute data as of/);
      assert.match(textOf(firstCard), /High availability lost on private peering: the secondary BGP session is down \(BgpAvailability 0%/);

      const update = await h.connector.waitFor((c) => c.op === 'update' && c.targetId === first.id, 15_000, 'the live update');
      const live = textOf(validCard(update));
      assert.match(live, /Live from the routers/);
      assert.match(live, /secondary BGP session is down \(10\.1\.1\.5 Idle\)/, 'the routers’ own words now');
      assert.ok(devicePosts().length >= postsBefore + 4, 'both links’ BGP summaries and ARP tables were read');
      assert.doesNotMatch(live, /updates in place/);
      assert.equal(
        h.connector.calls.filter((c) => c.op === 'update' && c.targetId === first.id).length,
        1,
        'one update, never back to the first card',
      );
    });
  }

  it('answers live at once, with no update to follow, when the routers were just read (read cache warm)', async () => {
    const reply = await h.say(ENGINEER, 'status contoso-lon-er2');
    const text = textOf(validCard(reply));
    assert.match(text, /Live from the routers/);
    assert.ok(!isProgressCard(validCard(reply)));
    assert.match(text, /\(cached\)/);
    assert.equal(h.connector.calls.filter((c) => c.op === 'update' && c.targetId === reply.id).length, 0);
  });

  it('counts the live read left behind for the fleet view, with its age', async () => {
    const text = textOf(validCard(await h.say(ENGINEER, 'status contoso')));
    assert.match(text, /Prefix counts: router reads, the oldest \d+ s old/);
  });
});
