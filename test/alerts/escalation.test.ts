import assert from 'node:assert/strict';
import { textOf, validCard } from '../support/cards';
import { until } from '../support/until';
import {
  ALERT_PEOPLE,
  CIRCUITS,
  MIN,
  alertDirectory,
  at,
  channel,
  postsIn,
  sayIn,
  summaryPath,
  summaryWith,
  watching,
  type Watching,
} from './support/alert-world';

const LINKS = ['primary', 'secondary'] as const;
const outage = (circuitId: string, afterMs: number) =>
  LINKS.map((l) => summaryPath(circuitId, l)).map((p) => at(afterMs, p, summaryWith(p, 'Idle')));
const CHANNEL = channel('contoso-escalation');

/** Waits until alert delivery has nothing left to post or update, then the posts in the channel since `before`. */
async function quietPosts(w: Watching, before: number): Promise<ReturnType<typeof postsIn>> {
  await until('alert delivery idle', () => w.h.app.alertDelivery.idle);
  return postsIn(w.h, CHANNEL.id).slice(before);
}

async function withChannel(w: Watching): Promise<void> {
  assert.match(textOf(await sayIn(w.h, ALERT_PEOPLE.admin, CHANNEL, 'alerts here contoso')), /alert cards/);
  await w.cycleAt(5 * MIN);
  await quietPosts(w, 0);
}

describe('alerts: escalation', function () {
  this.timeout(60_000);

  describe('one card with two critical outages', () => {
    let w: Watching;
    let start = 0;
    before(async () => {
      w = await watching([...outage(CIRCUITS.contosoPar, 10 * MIN), ...outage(CIRCUITS.contosoAms, 10 * MIN)], {
        directory: alertDirectory({ escalateAfterMinutes: 5 }),
      });
      await withChannel(w);
      start = postsIn(w.h, CHANNEL.id).length;
      await w.cycleAt(10 * MIN + 1_000);
    });
    after(async () => w?.h.stop());

    it('should post the card once per escalation, not once per alert on it', async () => {
      const [par] = await w.on(CIRCUITS.contosoPar, 'bgp-outage');
      const [ams] = await w.on(CIRCUITS.contosoAms, 'bgp-outage');
      const first = await quietPosts(w, start);
      assert.equal(first.length, 1, 'one card for both outages');
      assert.match(textOf(first[0]!), new RegExp(`${par!.id}[^]*${ams!.id}|${ams!.id}[^]*${par!.id}`));
      await w.cycleAt(10 * MIN + 4 * MIN);
      assert.equal((await quietPosts(w, start)).length, 1, 'not yet');
      await w.cycleAt(10 * MIN + 5 * MIN + 30_000);
      const posts = await quietPosts(w, start);
      assert.equal(posts.length, 2, 'one re-post for the card');
      assert.match(textOf(validCard(posts[1]!)), /Escalated: not acknowledged within 5 min/);
    });

    it('should stop re-posting after 3 escalations, saying so on the last one', async () => {
      await w.cycleAt(10 * MIN + 10 * MIN + 40_000);
      await w.cycleAt(10 * MIN + 15 * MIN + 50_000);
      const posts = await quietPosts(w, start);
      assert.equal(posts.length, 4);
      assert.doesNotMatch(textOf(posts[2]!), /no more re-posts/);
      assert.match(textOf(validCard(posts[3]!)), /Escalated 3 times, no more re-posts/);
      await w.cycleAt(10 * MIN + 21 * MIN);
      await w.cycleAt(10 * MIN + 40 * MIN);
      assert.equal((await quietPosts(w, start)).length, 4, 'capped');
      const [par] = await w.on(CIRCUITS.contosoPar, 'bgp-outage');
      assert.equal(par?.escalations, 3);
    });
  });

  describe('an alert first posted after its silence ended', () => {
    let w: Watching;
    before(async () => {
      w = await watching(outage(CIRCUITS.contosoPar, 10 * MIN), { directory: alertDirectory({ escalateAfterMinutes: 5 }) });
      await withChannel(w);
    });
    after(async () => w?.h.stop());

    it('should escalate escalateAfterMinutes after its first post, not after it fired', async () => {
      const said = textOf(await w.h.say(ALERT_PEOPLE.oncall, 'silence contoso/contoso-par-er4 1h provider work'));
      const id = /SI-[0-9A-Z]+/.exec(said)?.[0] ?? '';
      assert.ok(id, said);
      const before = postsIn(w.h, CHANNEL.id).length;
      await w.cycleAt(10 * MIN + 1_000);
      await w.cycleAt(20 * MIN);
      assert.equal((await quietPosts(w, before)).length, 0, 'silenced');
      w.clock.offsetMs = 40 * MIN;
      assert.match(textOf(await w.h.say(ALERT_PEOPLE.oncall, `unsilence ${id}`)), /has ended/);
      const posted = await quietPosts(w, before);
      assert.equal(posted.length, 1);
      assert.doesNotMatch(textOf(posted[0]!), /Escalated/);
      await w.cycleAt(41 * MIN);
      await w.cycleAt(44 * MIN);
      assert.equal((await quietPosts(w, before)).length, 1, 'not escalated before 5 minutes after its post');
      await w.cycleAt(45 * MIN + 30_000);
      const posts = await quietPosts(w, before);
      assert.equal(posts.length, 2);
      assert.match(textOf(posts[1]!), /Escalated/);
    });
  });

  describe('a claimed card whose sends failed', () => {
    let w: Watching;
    before(async () => {
      w = await watching(outage(CIRCUITS.contosoPar, 10 * MIN), { directory: alertDirectory() });
      await withChannel(w);
    });
    after(async () => w?.h.stop());

    it('should be posted on a later cycle once sends work again', async () => {
      const before = postsIn(w.h, CHANNEL.id).length;
      w.h.connector.failSendsTo(CHANNEL.id);
      await w.cycleAt(10 * MIN + 1_000);
      assert.equal((await quietPosts(w, before)).length, 0, 'the send failed');
      const [claimed] = await w.on(CIRCUITS.contosoPar, 'bgp-outage');
      assert.ok(claimed?.groupId, 'claimed');
      w.h.connector.failSendsTo(CHANNEL.id, false);
      await w.cycleAt(10 * MIN + 30_000);
      assert.equal((await quietPosts(w, before)).length, 0, 'the claim holds for its period');
      await w.cycleAt(12 * MIN);
      const posts = await quietPosts(w, before);
      assert.equal(posts.length, 1);
      assert.match(textOf(posts[0]!), new RegExp(claimed.id));
      await w.cycleAt(14 * MIN);
      assert.equal((await quietPosts(w, before)).length, 1, 'posted once');
    });
  });
});
