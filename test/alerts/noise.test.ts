import assert from 'node:assert/strict';
import type { TimelineEntry } from '../../src/simulator';
import { buttonsOf, textOf, validCard } from '../support/cards';
import { until } from '../support/until';
import {
  ALERT_PEOPLE,
  CIRCUITS,
  MIN,
  alertDirectory,
  at,
  channel,
  clickIn,
  original,
  postsIn,
  sayIn,
  summaryPath,
  summaryWith,
  updatesOf,
  watching,
  type Watching,
} from './support/alert-world';

const AMS_PRIMARY = summaryPath(CIRCUITS.contosoAms, 'primary');
const PAR = (['primary', 'secondary'] as const).map((p) => summaryPath(CIRCUITS.contosoPar, p));
const CONTOSO_CHANNEL = channel('contoso-noise');

/** Makes Contoso's alerts go to CONTOSO_CHANNEL, and runs the first cycle (the demo fleet's own trouble). */
async function withChannel(w: Watching): Promise<void> {
  assert.match(textOf(await sayIn(w.h, ALERT_PEOPLE.admin, CONTOSO_CHANNEL, 'alerts here contoso')), /alert cards/);
  await w.cycleAt(5 * MIN);
  await until('the first card', () => postsIn(w.h, CONTOSO_CHANNEL.id).length > 0);
}

/** Waits until the bot's background work settles, then the posts in Contoso's channel. */
async function postsAfterQuiet(w: Watching, before: number, expected: number): Promise<ReturnType<typeof postsIn>> {
  return until(`${expected} new card(s)`, () => {
    const posts = postsIn(w.h, CONTOSO_CHANNEL.id).slice(before);
    return posts.length === expected && posts;
  });
}

describe('alerts: noise control', function () {
  this.timeout(60_000);

  describe('inhibition', () => {
    let w: Watching;
    before(async () => {
      w = await watching(
        PAR.map((p) => at(10 * MIN, p, summaryWith(p, 'Idle'))),
        { directory: alertDirectory() },
      );
      await withChannel(w);
    });
    after(async () => w?.h.stop());

    it('should post the peering’s outage alone: its link-level alerts are recorded, not posted', async () => {
      const before = postsIn(w.h, CONTOSO_CHANNEL.id).length;
      await w.cycleAt(10 * MIN + 1_000);
      const [card] = await postsAfterQuiet(w, before, 1);
      const text = textOf(validCard(card!));
      assert.match(text, /BGP down on both links \(outage\)/);
      assert.match(text, /Critical/);
      assert.doesNotMatch(text, /high availability lost/);
      const outage = (await w.on(CIRCUITS.contosoPar, 'bgp-outage'))[0];
      const links = await w.on(CIRCUITS.contosoPar, 'bgp-link-down');
      assert.equal(links.length, 2, 'both links recorded');
      for (const l of links) {
        assert.equal(l.state, 'firing');
        assert.equal(l.inhibitedBy, outage?.id);
        assert.equal(l.groupId, undefined, 'never posted');
      }
      await w.cycleAt(10 * MIN + 30_000);
      assert.equal(postsIn(w.h, CONTOSO_CHANNEL.id).length, before + 1, 'still one card');
    });
  });

  describe('flap damping', () => {
    let w: Watching;
    const FLAPS = 20;
    const EVERY = 15_000;
    before(async () => {
      const flaps: TimelineEntry[] = Array.from({ length: FLAPS }, (_, i) =>
        at(10 * MIN + i * EVERY, AMS_PRIMARY, i % 2 === 0 ? summaryWith(AMS_PRIMARY, 'Idle') : original(AMS_PRIMARY)),
      );
      w = await watching(flaps, { directory: alertDirectory() });
      await withChannel(w);
    });
    after(async () => w?.h.stop());

    it('should make a link that changes state 20 times in 5 minutes one flapping alert, posted once', async () => {
      const before = postsIn(w.h, CONTOSO_CHANNEL.id).length;
      for (let t = 10 * MIN + 1_000; t <= 10 * MIN + FLAPS * EVERY + 30_000; t += 5_000) await w.cycleAt(t);
      const alerts = await w.on(CIRCUITS.contosoAms, 'bgp-link-down');
      assert.equal(alerts.length, 1, 'one alert for the link, reopened rather than raised again');
      assert.equal(alerts[0]?.flapping, true);
      assert.equal(alerts[0]?.state, 'firing', 'held open while flapping');
      const posts = postsIn(w.h, CONTOSO_CHANNEL.id).slice(before);
      assert.ok(posts.length <= 2, `${posts.length} posts`);
      assert.equal(posts.length, 1);
      const card = await until('the card says flapping', () =>
        [posts[0]!, ...updatesOf(w.h, posts[0]!.id)].reverse().find((c) => /Flapping: BGP down on one link/.test(textOf(c))),
      );
      assert.match(textOf(card), /One alert, not posted again at each change/);
    });

    it('should resolve the flapping alert once the link has been stable for the flap window', async () => {
      const last = 10 * MIN + FLAPS * EVERY;
      await w.cycleAt(last + 5 * MIN);
      await w.cycleAt(last + 5 * MIN + 5_000);
      assert.equal((await w.on(CIRCUITS.contosoAms, 'bgp-link-down'))[0]?.state, 'firing', 'not yet stable for 10 minutes');
      await w.cycleAt(last + 10 * MIN + 5_000);
      await w.cycleAt(last + 10 * MIN + 10_000);
      assert.equal((await w.on(CIRCUITS.contosoAms, 'bgp-link-down'))[0]?.state, 'resolved');
    });
  });

  describe('silences', () => {
    let w: Watching;
    before(async () => {
      w = await watching(
        [at(10 * MIN, AMS_PRIMARY, summaryWith(AMS_PRIMARY, 'Idle')), ...PAR.map((p) => at(10 * MIN, p, summaryWith(p, 'Idle')))],
        {
          directory: alertDirectory(),
        },
      );
      await withChannel(w);
    });
    after(async () => w?.h.stop());

    it('should refuse a silence without oncall, with a bad duration, or on another customer', async () => {
      assert.match(
        textOf(await w.h.say(ALERT_PEOPLE.viewer, 'silence contoso/contoso-ams-er1 1h works')),
        /right to acknowledge or silence/,
      );
      assert.match(textOf(await w.h.say(ALERT_PEOPLE.oncall, 'silence contoso/contoso-ams-er1 soon works')), /isn't a duration/);
      assert.match(textOf(await w.h.say(ALERT_PEOPLE.oncall, 'silence contoso/contoso-ams-er1 45d works')), /from 1 minute to 30 days/);
      assert.match(
        textOf(await w.h.say(ALERT_PEOPLE.oncall, 'silence fabrikam/fabrikam-dal-er1 1h works')),
        /can't find|no circuit|don't/i,
      );
      assert.deepEqual(await w.h.app.alertStore.listSilences({ customerIds: ['contoso', 'fabrikam'], endingAfter: 0 }), []);
    });

    it('should record a silenced circuit’s alerts without posting them, and list the silence', async () => {
      const reply = textOf(await w.h.say(ALERT_PEOPLE.oncall, 'silence contoso/contoso-ams-er1 2h provider maintenance'));
      assert.match(reply, /Silenced contoso-ams-er1 \(Contoso Ltd\) until .* \(SI-[0-9A-Z]+\)/);
      const before = postsIn(w.h, CONTOSO_CHANNEL.id).length;
      await w.cycleAt(10 * MIN + 1_000);
      // contoso-par-er4's outage is not silenced: that is the only new card.
      const [card] = await postsAfterQuiet(w, before, 1);
      assert.match(textOf(card!), /contoso-par-er4/);
      const [silenced] = await w.on(CIRCUITS.contosoAms, 'bgp-link-down');
      assert.equal(silenced?.state, 'firing');
      assert.match(silenced?.silencedBy ?? '', /^SI-/);
      assert.equal(silenced?.groupId, undefined);
      const list = textOf(validCard(await w.h.say(ALERT_PEOPLE.viewer, 'silences')));
      assert.match(list, /contoso-ams-er1/);
      assert.match(list, /provider maintenance/);
      assert.match(list, /Omar/);
    });

    it('should post what the silence held back once it is ended early, and refuse `unsilence` to others', async () => {
      const [silenced] = await w.on(CIRCUITS.contosoAms, 'bgp-link-down');
      const id = silenced!.silencedBy!;
      assert.match(textOf(await w.h.say(ALERT_PEOPLE.viewer, `unsilence ${id}`)), /right to acknowledge or silence/);
      assert.match(textOf(await w.h.say(ALERT_PEOPLE.outsider, `unsilence ${id}`)), /no silence .* you can see/);
      const before = postsIn(w.h, CONTOSO_CHANNEL.id).length;
      assert.match(textOf(await w.h.say(ALERT_PEOPLE.oncall, `unsilence ${id}`)), /has ended/);
      const [card] = await postsAfterQuiet(w, before, 1);
      assert.match(textOf(card!), /contoso-ams-er1/);
      assert.match(textOf(await w.h.say(ALERT_PEOPLE.oncall, `unsilence ${id}`)), /already ended/);
    });

    it('should silence from the card’s button, updating the card in place', async () => {
      const [outage] = await w.on(CIRCUITS.contosoPar, 'bgp-outage');
      const card = postsIn(w.h, CONTOSO_CHANNEL.id).find((p) => textOf(p).includes(outage!.id))!;
      const silence = buttonsOf(validCard(card)).find((b) => b.title === 'Silence 1h');
      assert.match(
        textOf(await clickIn(w.h, ALERT_PEOPLE.viewer, CONTOSO_CHANNEL, card.id, silence?.data)),
        /right to acknowledge or silence/,
      );
      assert.match(textOf(await clickIn(w.h, ALERT_PEOPLE.oncall, CONTOSO_CHANNEL, card.id, silence?.data)), /Silenced contoso-par-er4/);
      const update = await until('the card says silenced', () => updatesOf(w.h, card.id).find((u) => /Silenced by SI-/.test(textOf(u))));
      validCard(update);
    });
  });

  describe('maintenance and escalation', () => {
    let w: Watching;
    before(async () => {
      w = await watching(
        PAR.map((p) => at(10 * MIN, p, summaryWith(p, 'Idle'))),
        {
          directory: alertDirectory({ escalateAfterMinutes: 5 }),
          simulator: { lroDurationMs: 3 * MIN },
        },
      );
      await withChannel(w);
    });
    after(async () => w?.h.stop());

    it('should mark an alert on a circuit with a change executing as expected, and page once the change is done', async () => {
      const reply = await w.h.say(ALERT_PEOPLE.engineer, 'upgrade contoso/contoso-par-er4 1 Gbps');
      const id = /CR-[0-9A-Z]+/.exec(textOf(reply))?.[0] ?? '';
      assert.match(textOf(await w.h.say(ALERT_PEOPLE.approver, `approve ${id}`)), /Approved|approved|executing|Executing/);
      await until('the change executing', async () => (await w.h.app.store.get(id))?.state === 'executing');
      const before = postsIn(w.h, CONTOSO_CHANNEL.id).length;
      await w.cycleAt(10 * MIN + 1_000);
      const [outage] = await w.on(CIRCUITS.contosoPar, 'bgp-outage');
      assert.match(outage?.expected ?? '', new RegExp(`change ${id} .* is executing on this circuit`));
      await w.cycleAt(10 * MIN + 30_000);
      assert.equal(postsIn(w.h, CONTOSO_CHANNEL.id).length, before, 'expected: not paged');
      await w.cycleAt(14 * MIN);
      await until('the change done', async () => (await w.h.app.store.get(id))?.state === 'succeeded');
      await w.cycleAt(14 * MIN + 30_000);
      const [card] = await postsAfterQuiet(w, before, 1);
      assert.match(textOf(card!), /BGP down on both links/);
    });

    it('should post an unacknowledged critical alert again after escalateAfterMinutes, mentioning the on-call people', async () => {
      const [outage] = await w.on(CIRCUITS.contosoPar, 'bgp-outage');
      const before = postsIn(w.h, CONTOSO_CHANNEL.id).length;
      await w.cycleAt(14 * MIN + 30_000 + 4 * MIN);
      assert.equal(postsIn(w.h, CONTOSO_CHANNEL.id).length, before, 'not yet');
      await w.cycleAt(14 * MIN + 30_000 + 5 * MIN + 1_000);
      const [again] = await postsAfterQuiet(w, before, 1);
      const card = validCard(again!);
      assert.match(textOf(card), /Escalated: not acknowledged within 5 min/);
      assert.match(textOf(card), new RegExp(outage!.id));
      const mentioned = ((card.msteams as { entities?: { mentioned: { id: string } }[] } | undefined)?.entities ?? []).map(
        (e) => e.mentioned.id,
      );
      assert.deepEqual(mentioned.sort(), [ALERT_PEOPLE.admin.aadObjectId, ALERT_PEOPLE.oncall.aadObjectId].sort());
      // Acknowledged: no more escalations; both posts show who acknowledged.
      await w.h.say(ALERT_PEOPLE.oncall, `ack ${outage!.id}`);
      await w.cycleAt(14 * MIN + 30_000 + 11 * MIN);
      assert.equal(postsIn(w.h, CONTOSO_CHANNEL.id).length, before + 1);
      await until('both posts acknowledged', () =>
        [again!.id, postsIn(w.h, CONTOSO_CHANNEL.id).find((p) => textOf(p).includes(outage!.id))!.id].every((id) =>
          updatesOf(w.h, id).some((u) => /Acknowledged by Omar/.test(textOf(u))),
        ),
      );
    });
  });
});
