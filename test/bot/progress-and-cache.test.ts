import assert from 'node:assert/strict';
import { Harness, cardOf } from '../support/harness';
import { answerTo, buttonOf, clickFinal, isProgressCard, textOf, validCard } from '../support/cards';
import { CIRCUIT_IDS, ENGINEER } from '../support/demo-world';

/**
 * Router reads take many seconds on real ARM: past PROGRESS_AFTER_MS the bot posts "reading from the
 * routers…" and later updates that same message in place. And repeated questions are served from the short
 * read cache unless the user asks for a fresh read.
 */
describe('bot: slow router reads and the read cache', function () {
  this.timeout(30_000);
  let h: Harness;
  const LRO_MS = 600;
  before(async () => {
    h = await Harness.start({ env: { PROGRESS_AFTER_MS: '150' } });
    // Every device-side read (routes, summaries, ARP) stays InProgress this long, as on real ARM.
    h.app.simulator!.settings.lroDurationMs = LRO_MS;
    h.app.simulator!.settings.deviceReadMs = LRO_MS;
  });
  after(async () => h?.stop());

  const devicePosts = (circuitId: string, suffix: string) =>
    h.app.simulator!.requests.filter((r) => r.method === 'POST' && r.path.startsWith(circuitId) && r.path.endsWith(suffix)).length;

  describe('progress card, then the same message updated in place', () => {
    it('a typed slow read replies with the progress card, then PUTs the routes card onto that activity', async () => {
      const reply = await h.say(ENGINEER, 'routes contoso-ams-er1 --fresh');
      const progress = validCard(reply);
      assert.ok(isProgressCard(progress), textOf(progress));
      assert.match(textOf(progress), /Reading the BGP route table of contoso-ams-er1/);

      const update = await h.connector.waitFor((c) => c.op === 'update' && c.targetId === reply.id, 15_000, 'the card update');
      assert.equal(update.conversationId, reply.conversationId);
      assert.ok(update.at - reply.at >= LRO_MS / 2, 'the update comes once the read is done');
      const final = validCard(update);
      assert.match(textOf(final), /Routes of contoso-ams-er1/);
      assert.match(textOf(final), /Rows 1–50 of 50/);
      assert.equal(update.activity.id, reply.id, 'the PUT body carries the id it replaces');
      // Exactly one message for the question: no second reply was posted next to the updated one.
      const messages = h.connector.calls.filter((c) => c.targetId === reply.targetId && c.op === 'reply' && c.activity.type === 'message');
      assert.equal(messages.length, 1);
    });

    it('a click whose read is slow answers the invoke with the progress card, then updates the clicked card', async () => {
      const cardMessageId = 'card-message-slow-click';
      const body = await h.click(
        ENGINEER,
        'intent',
        { intent: { kind: 'bgp', circuit: CIRCUIT_IDS.contosoShared, fresh: true } },
        cardMessageId,
      );
      const progress = validCard(body);
      assert.ok(isProgressCard(progress));
      assert.match(textOf(progress), /Reading the BGP summary of/);
      const update = await h.connector.waitFor((c) => c.op === 'update' && c.targetId === cardMessageId, 15_000, 'the card update');
      const final = validCard(update);
      assert.match(textOf(final), /BGP of er-shared/);
      assert.match(textOf(final), /Contoso Ltd · tenant/);
    });

    it('a fast answer (no router read past the threshold) comes straight back, without a progress card', async () => {
      const reply = await h.say(ENGINEER, 'customers');
      assert.equal(isProgressCard(cardOf(reply)), false);
      assert.match(textOf(reply), /Customers you can see/);
    });
  });

  describe('freshness and cache', () => {
    const routes = '/peerings/AzurePrivatePeering/routeTables/primary';

    it('a second identical query is served from the cache and says so; --fresh reads the routers again', async () => {
      const id = CIRCUIT_IDS.contosoShared;
      const before = devicePosts(id, routes);
      const first = await answerTo(h, ENGINEER, 'routes contoso/er-shared');
      assert.match(textOf(first), /Data: live/);
      assert.equal(devicePosts(id, routes), before + 1, 'one router read');

      const second = await answerTo(h, ENGINEER, 'routes contoso/er-shared');
      assert.match(textOf(second), /Data: \d+ s old \(cached\)/);
      assert.equal(devicePosts(id, routes), before + 1, 'no new router read');

      const fresh = await answerTo(h, ENGINEER, 'routes contoso/er-shared --fresh');
      assert.match(textOf(fresh), /Data: live/);
      assert.equal(devicePosts(id, routes), before + 2, '--fresh reads again');
    });

    it('the Refresh button reads again; lists are cached between questions too', async () => {
      const id = CIRCUIT_IDS.contosoShared;
      const summary = '/peerings/AzurePrivatePeering/routeTablesSummary/primary';
      // Names are found in the inventory index: one Resource Graph query per tenant, cached like any read.
      const lists = () =>
        h.app.simulator!.requests.filter((r) => r.path.toLowerCase() === '/providers/microsoft.resourcegraph/resources').length;
      const card = await answerTo(h, ENGINEER, 'bgp contoso/er-shared');
      const listsBefore = lists();
      const summariesBefore = devicePosts(id, summary);
      const cached = await answerTo(h, ENGINEER, 'bgp contoso/er-shared');
      assert.match(textOf(cached), /\(cached\)/);
      assert.equal(lists(), listsBefore, 'the inventory came from the cache');
      assert.equal(devicePosts(id, summary), summariesBefore);

      const refreshed = await clickFinal(h, ENGINEER, buttonOf(card, 'Refresh'));
      assert.match(textOf(refreshed), /Data: live/);
      assert.match(textOf(refreshed), /BGP of er-shared/);
      assert.ok(devicePosts(id, summary) > summariesBefore, 'Refresh read the summary again');
      assert.ok(lists() > listsBefore, 'and queried the inventory again');
    });
  });
});
