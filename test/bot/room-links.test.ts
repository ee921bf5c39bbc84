import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Harness, cardOf, type User } from '../support/harness';
import { isProgressCard, textOf, validCard } from '../support/cards';
import { PEOPLE, approver, changeDirectory } from '../support/change-world';
import { requestIdOf } from '../support/change-cards';
import { NOT_CONTOSO } from '../support/demo-world';
import type { ConnectorCall } from '../support/fake-connector';
import { startAzurite, type Azurite } from '../support/azurite';
import { until } from '../support/until';
import { OffsetClock } from '../support/offset-clock';
import { SqliteChangeStore } from '../../src/store';

/**
 * Issue 10, Teams audience 1: a shared conversation shows what the room may see, not what the asker may see.
 * A channel or group chat shows only the data of the customers linked to it (`link here`), intersected with
 * the asker's rights; the rest goes to the asker's 1:1 chat, opened with Bot Framework's createConversation,
 * and the room gets one line saying so.
 */

/** Nia: view on Contoso and Fabrikam, as in the report. */
const NIA: User = { aadObjectId: 'room-nia', name: 'Nia' };
/** The same rights, but the bot's app is not installed for them: no 1:1 chat can be opened. */
const NO_APP: User = { aadObjectId: 'room-no-app', name: 'Noa' };
/** Admin on Contoso and Northwind: may link a room to either. */
const OPS_ADMIN: User = { aadObjectId: 'room-ops-admin', name: 'Oz' };
/** Approves Fabrikam's requests without view rights anywhere. */
const APPROVE_ONLY: User = { aadObjectId: 'room-approve-only', name: 'Abe' };

function roomDirectory(): unknown {
  const base = changeDirectory({ required: 1 }) as { customers: unknown[]; people: unknown[] };
  const twoCustomers = { contoso: ['view'], fabrikam: ['view'] };
  return {
    ...base,
    people: [
      ...base.people,
      { ...NIA, access: twoCustomers },
      { ...NO_APP, access: twoCustomers },
      { ...OPS_ADMIN, access: { contoso: ['admin'], northwind: ['admin'] } },
      { ...APPROVE_ONLY, access: { fabrikam: ['approve'] } },
    ],
  };
}

type Conversation = { id: string; conversationType: string };
/** A thread of a team channel: Teams adds `;messageid=` to the channel's id. */
const thread = (channel: string, n: number): Conversation => ({
  id: `${channel};messageid=170000000000${n}`,
  conversationType: 'channel',
});

/** The room's note, told apart from the answer above it. */
const NOTE = /1:1 chat/;

/** Fails if anything outside Contoso shows, the room's one-line note (which may name a customer) left out. */
function assertContosoOnly(shown: unknown, what: string): void {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v))
      return v.filter((x) => !(typeof (x as { text?: unknown })?.text === 'string' && NOTE.test((x as { text: string }).text))).map(strip);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, strip(x)]));
    return typeof v === 'string' && NOTE.test(v) ? '' : v;
  };
  const json = JSON.stringify(strip(shown)).toLowerCase();
  const leaked = NOT_CONTOSO.filter((s) => json.includes(s.toLowerCase()));
  assert.deepEqual(leaked, [], `${what} leaks ${leaked.join(', ')}:\n${JSON.stringify(shown).slice(0, 1500)}`);
}

/** The note names customers at most, never their resources. */
function assertNoteNamesNoResource(note: string): void {
  assert.doesNotMatch(note, /fabrikam-|northwind-|Seattle|Dallas|CR-/i, note);
}

describe('bot: a shared conversation shows only the customers linked to it', function () {
  this.timeout(60_000);
  let h: Harness;
  let contosoRequest: string;
  /** The pending request on contoso-lon-er2 that `approvals here` makes. */
  let lonRequest: string;
  let fabrikamRequest: string;
  const CHANNEL = '19:netops@thread.tacv2';
  const GROUP: Conversation = { id: '19:group-ops@thread.v2', conversationType: 'groupChat' };

  before(async () => {
    h = await Harness.start({
      directory: roomDirectory(),
      changes: { progressUpdateMs: 20, executorLimits: { retryDelayMs: 10 } },
    });
    contosoRequest = requestIdOf(validCard(await h.say(PEOPLE.engineer, 'upgrade contoso/contoso-ams-er1 2 Gbps')));
    fabrikamRequest = requestIdOf(validCard(await h.say(PEOPLE.engineer, 'upgrade fabrikam/fabrikam-sea-er3 2 Gbps')));
  });
  after(async () => h?.stop());

  async function sayIn(user: User, conversation: Conversation, text: string): Promise<ConnectorCall> {
    const activity = h.activityFor(user, { type: 'message', text, conversation });
    const res = await h.post(activity);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return h.replyTo(String(activity.id));
  }

  /** Says something in a room; returns its reply there and what the bot posted to the asker's 1:1 chat meanwhile. */
  async function askIn(user: User, conversation: Conversation, text: string): Promise<{ room: ConnectorCall; personal: ConnectorCall[] }> {
    const memberId = `29:${user.aadObjectId}`;
    const chat = h.connector.chatWith(memberId);
    const before = chat ? h.connector.postsTo(chat).length : 0;
    const room = await sayIn(user, conversation, text);
    const now = h.connector.chatWith(memberId);
    return { room, personal: now ? h.connector.postsTo(now).slice(chat === now ? before : 0) : [] };
  }

  describe('link here', () => {
    it('is refused to someone without admin on the customer, and in a 1:1 chat', async () => {
      assert.match(textOf(await sayIn(PEOPLE.viewer, thread(CHANNEL, 1), 'link here contoso')), /right to administer/);
      assert.match(textOf(await sayIn(NIA, thread(CHANNEL, 1), 'link here contoso')), /right to administer/);
      const personal = textOf(await h.say(PEOPLE.admin, 'link here contoso'));
      assert.match(personal, /This is our 1:1 chat/);
      assert.match(personal, /channel or a group chat/);
      assert.match(personal, /`link here contoso`/);
      assert.deepEqual(await h.app.store.linkedCustomers(CHANNEL), []);
    });

    it('links the channel, not the thread it is typed in, and says which customers a conversation shows', async () => {
      assert.match(textOf(await sayIn(NIA, thread(CHANNEL, 1), 'link here')), /isn't linked to any customer.*`link here <customer>`/s);
      assert.match(textOf(await sayIn(PEOPLE.admin, thread(CHANNEL, 1), 'link here contoso')), /now shows Contoso Ltd's data/);
      assert.deepEqual(await h.app.store.linkedCustomers(CHANNEL), ['contoso']);
      // Another thread of the same channel: the same audience, the same link.
      assert.match(textOf(await sayIn(NIA, thread(CHANNEL, 2), 'link here')), /This channel shows the data of Contoso Ltd\b/);
      const help = textOf(validCard(await sayIn(NIA, thread(CHANNEL, 3), 'help')));
      assert.match(help, /This channel shows the data of Contoso Ltd\b/);
      // The room's view of her customers, not her own: she sees Fabrikam too, but not here.
      assert.match(help, /Here you can see 1 customer\b[^;]*; in our 1:1 chat, everything your rights allow\./);
      assert.doesNotMatch(help, /2 customers/);
      assert.match(textOf(await sayIn(PEOPLE.admin, GROUP, 'link here contoso')), /This chat now shows Contoso Ltd's data/);
    });

    it('link here, unlink here and approvals here take only an exact customer; a typo’s "did you mean" goes to the 1:1 chat', async () => {
      for (const command of ['link here northwnd', 'unlink here northwnd', 'approvals here northwnd']) {
        const { room: reply, personal } = await askIn(OPS_ADMIN, thread(CHANNEL, 7), command);
        const card = validCard(reply);
        assert.match(textOf(card), /'northwnd' isn't the exact id or name of a customer you can see/, command);
        assertContosoOnly(card, `${command} in the room`);
        const note = textOf(card)
          .split('\n')
          .find((l) => NOTE.test(l));
        assert.match(note ?? '', /isn't posted here: I sent it to you in our 1:1 chat\./, `${command}: the room's note`);
        assert.equal(personal.length, 1, `${command}: the suggestions in the 1:1 chat`);
        assert.match(textOf(personal[0]), /northwind/, `${command}: "did you mean" in the 1:1 chat`);
      }
      // Nothing like any customer: refused in the room, and nothing to send to the 1:1 chat.
      const none = await askIn(OPS_ADMIN, thread(CHANNEL, 7), 'link here zzzzzzzz');
      assert.match(textOf(validCard(none.room)), /isn't the exact id or name of a customer/);
      assert.doesNotMatch(textOf(none.room), NOTE);
      assert.deepEqual(none.personal, []);
      // An exact id or name still works, and the 1:1 chat keeps its "did you mean".
      assert.match(textOf(await sayIn(OPS_ADMIN, thread(CHANNEL, 7), 'link here northwind')), /now shows Northwind Traders's data/);
      assert.match(textOf(await sayIn(OPS_ADMIN, thread(CHANNEL, 7), 'unlink here northwind')), /no longer shows Northwind Traders's data/);
      assert.match(textOf(await h.say(OPS_ADMIN, 'link here northwnd')), /northwind/);
      assert.deepEqual(await h.app.store.linkedCustomers(CHANNEL), ['contoso']);
    });
  });

  for (const [label, room] of [
    ['a channel thread', thread(CHANNEL, 4)],
    ['a group chat', GROUP],
  ] as const) {
    describe(`in ${label} linked to Contoso, Nia (view on Contoso and Fabrikam)`, () => {
      it('circuits: the room gets Contoso’s circuits and a note; her 1:1 chat gets Fabrikam’s too', async () => {
        const { room: reply, personal } = await askIn(NIA, room, 'circuits');
        const card = validCard(reply);
        assertContosoOnly(card, 'circuits in the room');
        assert.match(textOf(card), /contoso-ams-er1/);
        const note =
          textOf(card)
            .split('\n')
            .find((l) => NOTE.test(l)) ?? '';
        assert.match(
          note,
          /shows only Contoso Ltd\. The full answer also covers customers this (channel|chat) isn't linked to: I sent it to you in our 1:1 chat/,
        );
        assertNoteNamesNoResource(note);
        assert.doesNotMatch(note, /Fabrikam/, 'the room is not told which other customers there are');
        assert.equal(personal.length, 1, 'one answer in the 1:1 chat');
        const full = textOf(validCard(personal[0]));
        assert.match(full, /contoso-ams-er1/);
        assert.match(full, /fabrikam-sea-er3/);
        // Someone who sees only Contoso gets the same circuits there, with no note and nothing in a 1:1 chat.
        const viewer = await askIn(PEOPLE.viewer, room, 'circuits');
        assert.doesNotMatch(textOf(validCard(viewer.room)), NOTE);
        assert.deepEqual(viewer.personal, []);
        const circuits = (t: string) => t.match(/\bcontoso-[a-z]+-er\d\b|\ber-shared\b/g)?.sort();
        assert.deepEqual(circuits(textOf(card)), circuits(textOf(viewer.room)));
      });

      it('requests all and audit: only Contoso’s requests in the room, both in the 1:1 chat', async () => {
        for (const command of ['requests all', 'audit']) {
          const { room: reply, personal } = await askIn(NIA, room, command);
          const shown = JSON.stringify(cardOf(reply));
          assert.ok(shown.includes(contosoRequest), `${command}: Contoso's request in the room`);
          assert.ok(!shown.includes(fabrikamRequest), `${command}: Fabrikam's request in the room`);
          assertContosoOnly(validCard(reply), `${command} in the room`);
          assert.equal(personal.length, 1, `${command}: one answer in the 1:1 chat`);
          const full = JSON.stringify(cardOf(personal[0]!));
          assert.ok(full.includes(contosoRequest) && full.includes(fabrikamRequest), `${command}: both requests in the 1:1 chat`);
        }
      });

      it('a Fabrikam circuit by name: only a note in the room, the card in the 1:1 chat', async () => {
        const { room: reply, personal } = await askIn(NIA, room, 'circuit fabrikam-sea-er3');
        assert.equal(cardOf(reply), undefined, 'no card in the room');
        const note = String(reply.activity.text);
        assert.match(
          note,
          /That answer is about a customer this (channel|chat) isn't linked to, so it isn't posted here: I sent it to you in our 1:1 chat\./,
        );
        assertNoteNamesNoResource(note);
        assert.doesNotMatch(note, /Fabrikam/, 'the room is not told which other customers there are');
        assert.equal(personal.length, 1);
        const full = textOf(personal[0]);
        assert.match(full, /Circuit fabrikam-sea-er3/);
        assert.match(full, /Seattle/);
      });

      it('a mistyped Fabrikam circuit: "did you mean" names only Contoso’s circuits, and nothing goes to the 1:1 chat', async () => {
        const { room: reply, personal } = await askIn(NIA, room, 'circuit fabrikam-sea-er4');
        const card = validCard(reply);
        assert.match(textOf(card), /can't find/);
        assertContosoOnly(JSON.parse(JSON.stringify(card).split('fabrikam-sea-er4').join('«typed»')), 'the refusal');
        assert.deepEqual(personal, []);
      });
    });
  }

  describe('in a group chat linked to no customer', () => {
    const UNLINKED: Conversation = { id: '19:unlinked@thread.v2', conversationType: 'groupChat' };

    it('every answer with customer data goes to the 1:1 chat; the chat is told how an admin links it', async () => {
      for (const command of ['circuits', 'status', 'requests all', 'audit', 'circuit contoso-ams-er1']) {
        const { room: reply, personal } = await askIn(NIA, UNLINKED, command);
        assert.equal(cardOf(reply), undefined, `${command}: no card in the chat`);
        assert.match(
          String(reply.activity.text),
          /This chat isn't linked to any customer, so that answer isn't posted here: I sent it to you in our 1:1 chat\. A customer's admin can link it: `link here <customer>`\./,
        );
        assert.equal(personal.length, 1, `${command}: the answer is in the 1:1 chat`);
      }
    });

    it('a room-wide question whose full answer fails: the failure goes to the 1:1 chat, never to the chat', async () => {
      // Approve rights on Fabrikam but view on nothing: her full `circuits` is refused. Worked out with every right
      // she has, it is hers to read, not the chat's.
      const { room: reply, personal } = await askIn(APPROVE_ONLY, UNLINKED, 'circuits');
      assert.equal(cardOf(reply), undefined, 'no card in the chat');
      assert.match(
        String(reply.activity.text),
        /This chat isn't linked to any customer, so that answer isn't posted here: I sent it to you/,
      );
      assert.doesNotMatch(String(reply.activity.text), /view rights/);
      assert.equal(personal.length, 1);
      assert.match(textOf(personal[0]), /You don't have view rights on any customer yet/);
    });

    it('help still answers there, and says so', async () => {
      const { room: reply, personal } = await askIn(NIA, UNLINKED, 'help');
      assert.match(textOf(validCard(reply)), /This chat isn't linked to any customer/);
      assert.deepEqual(personal, []);
    });
  });

  describe('when the 1:1 chat cannot be opened', () => {
    it('the room says so and what to do, and nothing of the answer is posted anywhere', async () => {
      h.connector.refuseChatsWith(`29:${NO_APP.aadObjectId}`);
      const before = h.connector.calls.length;
      const reply = await sayIn(NO_APP, thread(CHANNEL, 5), 'circuit fabrikam-sea-er3');
      assert.match(String(reply.activity.text), /I couldn't open a 1:1 chat with you to send it there: open a chat with the bot/);
      const listed = await sayIn(NO_APP, thread(CHANNEL, 5), 'circuits');
      assert.match(textOf(listed), /The full answer also covers customers.*I couldn't open a 1:1 chat/s);
      const since = h.connector.calls.slice(before);
      assert.equal(since.filter((c) => c.op === 'send').length, 0, 'nothing was posted outside the replies');
      for (const c of since) assertContosoOnly(c.activity, `${c.op} to ${c.conversationId}`);
    });
  });

  describe('card clicks in a room', () => {
    async function clickIn(
      user: User,
      conversation: Conversation,
      intent: unknown,
      trigger: 'manual' | 'automatic' = 'manual',
    ): Promise<{ body: unknown; personal: ConnectorCall[] }> {
      const memberId = `29:${user.aadObjectId}`;
      const chat = h.connector.chatWith(memberId);
      const before = chat ? h.connector.postsTo(chat).length : 0;
      const activity = h.activityFor(user, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        conversation,
        replyToId: randomUUID(),
        value: { action: { type: 'Action.Execute', verb: 'intent', data: { intent } }, trigger },
      });
      const res = await h.post(activity);
      assert.equal(res.status, 200);
      const now = h.connector.chatWith(memberId);
      return { body: res.body, personal: now ? h.connector.postsTo(now).slice(chat === now ? before : 0) : [] };
    }

    it('Approve on a Fabrikam request in a Contoso room: decided, shown only in the 1:1 chat', async () => {
      // Fabrikam is Connect-To: its customer-side approver's approval is the one that decides the upgrade.
      const { body, personal } = await clickIn(PEOPLE.fabrikamLead, thread(CHANNEL, 6), { kind: 'approve', id: fabrikamRequest });
      assert.equal((body as { type?: unknown }).type, 'application/vnd.microsoft.activity.message', JSON.stringify(body));
      const note = String((body as { value?: unknown }).value);
      assert.match(note, /isn't linked to.*I sent it to you in our 1:1 chat/);
      assertNoteNamesNoResource(note);
      assert.ok(!JSON.stringify(body).includes(fabrikamRequest));
      assert.equal(personal.length, 1);
      assert.ok(textOf(personal[0]).includes(fabrikamRequest));
      assert.notEqual((await h.app.store.get(fabrikamRequest))?.state, 'pending', 'the approval counted');
      const inChannel = h.connector.calls.filter((c) => c.conversationId.startsWith(CHANNEL));
      assert.ok(!inChannel.some((c) => JSON.stringify(c.activity).includes(fabrikamRequest)), 'Fabrikam’s request posted in the channel');

      // A refresh Teams fetches by itself as a card comes into view posts nothing to the 1:1 chat, and shows nothing of it.
      const refreshed = await clickIn(PEOPLE.fabrikamLead, thread(CHANNEL, 6), { kind: 'request', id: fabrikamRequest }, 'automatic');
      assert.deepEqual(refreshed.personal, []);
      assertContosoOnly(JSON.parse(JSON.stringify(refreshed.body).split(fabrikamRequest).join('«asked»')), 'the refresh');

      // The same click on a Contoso request answers in place, as before.
      const here = await clickIn(approver(1), thread(CHANNEL, 6), { kind: 'request', id: contosoRequest });
      assert.ok(textOf(validCard(here.body)).includes(contosoRequest));
      assert.deepEqual(here.personal, []);
    });
  });

  describe('approvals here', () => {
    const APPROVALS = '19:contoso-approvals@thread.tacv2';
    /** Delivery logs each announcement once it has posted everywhere it goes. */
    const announced = (id: string) =>
      until(`${id} announced`, () => h.logLines.some((l) => l.includes('"request announced"') && l.includes(id)));

    it('links the channel too; approval cards go only to the customer’s linked approvals channel', async () => {
      assert.match(
        textOf(await sayIn(PEOPLE.admin, thread(APPROVALS, 1), 'approvals here contoso')),
        /now gets Contoso Ltd's change requests/,
      );
      assert.deepEqual(await h.app.store.linkedCustomers(APPROVALS), ['contoso']);
      const posted = () => h.connector.postsTo(APPROVALS).map((c) => textOf(c));

      const contoso = requestIdOf(validCard(await h.say(PEOPLE.engineer, 'upgrade contoso/contoso-lon-er2 2 Gbps')));
      lonRequest = contoso;
      await until('the Contoso request in its approvals channel', () => posted().some((t) => t.includes(contoso)));
      const fabrikam = requestIdOf(validCard(await h.say(PEOPLE.engineer, 'upgrade fabrikam/fabrikam-dal-er1 5 Gbps')));
      await announced(fabrikam);
      assert.ok(!posted().some((t) => t.includes(fabrikam)), 'a Fabrikam request in Contoso’s approvals channel');

      assert.match(textOf(await sayIn(PEOPLE.admin, thread(APPROVALS, 2), 'unlink here contoso')), /no longer shows Contoso Ltd's data/);
      assert.deepEqual(await h.app.store.linkedCustomers(APPROVALS), []);
      const after = requestIdOf(validCard(await h.say(PEOPLE.engineer, 'upgrade contoso/contoso-par-er4 1 Gbps')));
      await announced(after);
      assert.ok(!posted().some((t) => t.includes(after)), 'an unlinked channel still gets approval cards');
    });

    it('a card already in the channel gets one last update saying it stops, then none, once the channel is unlinked', async () => {
      assert.match(textOf(await sayIn(PEOPLE.admin, thread(APPROVALS, 3), 'approvals here contoso')), /now gets Contoso Ltd's/);
      // contoso-lon-er2's request of the test before is withdrawn first: one change per circuit.
      validCard(await h.say(PEOPLE.engineer, `cancel ${lonRequest}`));
      const id = requestIdOf(validCard(await h.say(PEOPLE.engineer, 'upgrade contoso/contoso-lon-er2 5 Gbps')));
      const card = await until('the request in the approvals channel', () =>
        h.connector.postsTo(APPROVALS).find((c) => textOf(c).includes(id)),
      );
      assert.match(textOf(await sayIn(PEOPLE.admin, thread(APPROVALS, 4), 'unlink here contoso')), /no longer shows Contoso Ltd's data/);
      const since = h.connector.calls.length;
      // Approved in a 1:1 chat: it runs to the end, each step updating the request's cards.
      validCard(await h.say(approver(2), `approve ${id}`));
      await until(`${id} succeeded and its cards updated`, () =>
        h.logLines.some((l) => l.includes('"request cards updated"') && l.includes(id) && l.includes('"state":"succeeded"')),
      );
      const updates = h.connector.calls.slice(since).filter((c) => c.conversationId === APPROVALS && c.op !== 'create');
      assert.equal(updates.length, 1, `one update in the unlinked channel: ${updates.map((c) => textOf(c)).join(' | ')}`);
      assert.equal(updates[0]!.targetId, card.id);
      const stub = textOf(updates[0]);
      assert.equal(stub, "This request's customer is no longer linked to this channel; its updates stop here.");
      assert.ok(!(await h.app.store.cardPosts(id)).some((p) => p.activityId === card.id), 'the channel post is no longer tracked');
      // The 1:1 chats still follow it.
      assert.ok(
        h.connector.calls.slice(since).some((c) => c.op === 'update' && c.conversationId !== APPROVALS && /succeeded/i.test(textOf(c))),
      );
    });
  });
});

describe('bot: an answer is posted in a room only if the room is still linked when it is ready', function () {
  this.timeout(60_000);
  const READ_MS = 5 * 60_000;
  const CHANNEL = '19:slow-reads@thread.tacv2';
  const clock = new OffsetClock();
  let h: Harness;
  before(async () => {
    h = await Harness.start({ directory: roomDirectory(), clock, env: { PROGRESS_AFTER_MS: '100' } });
    // Router reads stay in progress until the test moves the clock past them.
    h.app.simulator!.settings.deviceReadMs = READ_MS;
  });
  after(async () => h?.stop());

  async function sayIn(user: User, text: string): Promise<ConnectorCall> {
    const activity = h.activityFor(user, { type: 'message', text, conversation: thread(CHANNEL, 1) });
    assert.equal((await h.post(activity)).status, 200);
    return h.replyTo(String(activity.id));
  }

  it('a slow router read finished after `unlink here`: the progress card says so, and shows no data', async () => {
    assert.match(textOf(await sayIn(PEOPLE.admin, 'link here contoso')), /now shows Contoso Ltd's data/);
    const progress = await sayIn(NIA, 'routes contoso/contoso-ams-er1');
    assert.ok(isProgressCard(validCard(progress)), textOf(progress));
    await until('the router read under way', () =>
      h.app.simulator!.requests.some((r) => r.method === 'POST' && /routetables/i.test(r.path)),
    );
    assert.match(textOf(await sayIn(PEOPLE.admin, 'unlink here contoso')), /no longer shows Contoso Ltd's data/);
    clock.advance(READ_MS);
    const update = await h.connector.waitFor((c) => c.op === 'update' && c.targetId === progress.id, 15_000, 'the progress card updated');
    assert.equal(cardOf(update), undefined, textOf(update));
    assert.match(
      String(update.activity.text),
      /The customers this channel is linked to changed while I was answering, so that answer isn't posted here\. Ask again\./,
    );
  });
});

describe('bot: conversation links are kept by the store', function () {
  this.timeout(60_000);
  const CHANNEL = '19:kept@thread.tacv2';
  const inChannel = { id: `${CHANNEL};messageid=1`, conversationType: 'channel' };

  async function sayIn(h: Harness, user: User, text: string): Promise<ConnectorCall> {
    const activity = h.activityFor(user, { type: 'message', text, conversation: inChannel });
    assert.equal((await h.post(activity)).status, 200);
    return h.replyTo(String(activity.id));
  }

  /** Links the channel on one instance, then checks another (a restart, or a second instance) shows it. */
  async function linkThenSeeElsewhere(first: Harness, second: () => Promise<Harness>): Promise<void> {
    assert.match(textOf(await sayIn(first, PEOPLE.admin, 'link here contoso')), /now shows Contoso Ltd's data/);
    const other = await second();
    try {
      assert.match(textOf(await sayIn(other, NIA, 'link here')), /This channel shows the data of Contoso Ltd\b/);
      const card = validCard(await sayIn(other, NIA, 'circuits'));
      assertContosoOnly(card, 'circuits after the restart');
      assert.match(textOf(card), /contoso-ams-er1/);
    } finally {
      await other.stop();
    }
  }

  it('in SQLite, across a restart; approvals channels registered before links existed are linked once', async () => {
    const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'erbot-links-')), 'data');
    // What an older bot left behind: a registered approvals channel, and no link.
    const older = '19:older-approvals@thread.tacv2';
    const left = await SqliteChangeStore.open({ file: path.join(dataDir, 'erbot.sqlite') });
    await left.saveReference('channel:fabrikam', { conversation: { id: older, conversationType: 'channel' } });
    await left.close();

    const options = { directory: roomDirectory(), env: { DATA_DIR: dataDir } };
    const first = await Harness.start(options);
    try {
      assert.deepEqual(await first.app.store.linkedCustomers(older), ['fabrikam'], 'linked at start-up');
      await linkThenSeeElsewhere(first, () => Harness.start(options));
      await first.app.store.unlinkConversation(older, 'fabrikam');
    } finally {
      await first.stop();
    }
    const again = await Harness.start(options);
    try {
      assert.deepEqual(await again.app.store.linkedCustomers(CHANNEL), ['contoso']);
      assert.deepEqual(await again.app.store.linkedCustomers(older), [], 'an unlink after the one-time linking stands');
    } finally {
      await again.stop();
    }
  });

  describe('in Azure Table Storage (Azurite)', () => {
    let azurite: Azurite;
    before(async () => {
      azurite = await startAzurite();
    });
    after(async () => azurite?.stop());

    it('shared by every instance', async () => {
      const options = {
        directory: roomDirectory(),
        env: {
          TABLE_STORAGE_CONNECTION_STRING: azurite.connectionString,
          TABLE_STORAGE_PREFIX: `links${randomUUID().replace(/-/g, '').slice(0, 8)}`,
        },
      };
      const a = await Harness.start(options);
      try {
        await linkThenSeeElsewhere(a, () => Harness.start(options));
      } finally {
        await a.stop();
      }
    });
  });
});
