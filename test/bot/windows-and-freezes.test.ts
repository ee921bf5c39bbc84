import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { Harness } from '../support/harness';
import { buttonsOf, textOf, validCard } from '../support/cards';
import { AMS, PEOPLE, approver, changeDirectory } from '../support/change-world';
import { cardBecomes, cardSentTo, introduce, putsTo, requestIdOf } from '../support/change-cards';
import { OffsetClock } from '../support/offset-clock';

/**
 * Issue 13's change windows and freezes through the real bot (DESIGN Contract 2): a freeze refuses requests, naming
 * itself and its end; an admin's typed `emergency … because …` overrides it, shown on the card, for one approval
 * more; anyone else's is refused. An approved change outside the customer's windows waits, and its card says when
 * it runs (the injected clock); it runs once the window opens.
 */

type Directory = { customers: Record<string, unknown>[]; people: unknown[] };

/** The change-suite directory with Contoso's customer entry extended. */
function contosoWith(fields: Record<string, unknown>): Directory {
  const directory = changeDirectory({ required: 1 }) as Directory;
  return { ...directory, customers: directory.customers.map((c) => (c.id === 'contoso' ? { ...c, ...fields } : c)) };
}

describe('bot: change freezes and the emergency override (issue 13)', function () {
  this.timeout(60_000);
  let h: Harness;
  const freezeEnds = new Date(Date.now() + 3 * 86_400_000);
  freezeEnds.setUTCHours(18, 0, 0, 0);
  const requests = async () => (await h.app.store.list({})).length;

  before(async () => {
    h = await Harness.start({
      directory: contosoWith({
        freezes: [{ from: '2020-01-01T00:00:00Z', to: freezeEnds.toISOString(), reason: 'year-end trading freeze' }],
      }),
      changes: { progressUpdateMs: 50, executorLimits: { retryDelayMs: 10, followIntervalMs: 10 } },
    });
    for (const user of [approver(0), approver(1)]) await introduce(h, user);
  });
  after(async () => h?.stop());

  it('should refuse a request during the freeze, naming the freeze and its end, and how an admin overrides it', async () => {
    const card = validCard(await h.say(PEOPLE.engineer, `upgrade ${AMS} 2 Gbps`));
    const text = textOf(card);
    // Without change windows, in UTC: "Sat 3 Jan 18:00 UTC".
    const end = DateTime.fromJSDate(freezeEnds, { zone: 'UTC' }).toFormat('ccc d LLL HH:mm');
    assert.match(text, /Not possible as asked/);
    assert.ok(
      text.includes(
        `Contoso Ltd is in a change freeze until ${end} UTC (year-end trading freeze): no change is requested or run until then.`,
      ),
      text,
    );
    assert.match(
      text,
      /an admin of the customer can override it: `emergency <change command> because <reason>` \(it needs one approval more than usual\)/,
    );
    assert.equal(await requests(), 0);
  });

  it("should refuse someone else's `emergency`, saying who may, and request nothing", async () => {
    const card = validCard(await h.say(PEOPLE.engineer, `emergency upgrade ${AMS} 2 Gbps because the link is saturated`));
    const text = textOf(card);
    assert.match(text, /You can't do that/);
    assert.match(
      text,
      /An emergency override of Contoso Ltd's freeze or change windows needs the admin right on Contoso Ltd, and you don't have it/,
    );
    assert.match(text, /Ask one of its admins \(Ada\) to type it/);
    assert.equal(await requests(), 0);
  });

  it("should take an admin's typed override, show it on the card, and run it after one approval more", async () => {
    const reply = await h.say(PEOPLE.admin, `emergency upgrade ${AMS} 2 Gbps because the provider link in Amsterdam is saturated`);
    const card = validCard(reply);
    const id = requestIdOf(card);
    const text = textOf(card);
    assert.match(text, /Waiting for approval \(0\/2\)/, 'the customer requires 1; the override costs one more');
    assert.match(text, /⚠ Emergency override of the freeze 'year-end trading freeze' by Ada: the provider link in Amsterdam is saturated/);
    assert.match(text, /An override needs one approval more than usual: 2 in all\./);
    assert.deepEqual(
      buttonsOf(card).map((b) => b.title),
      ['Cancel request'],
    );
    const stored = await h.app.store.get(id);
    assert.deepEqual(stored?.override && { by: stored.override.by.name, freeze: stored.override.freeze }, {
      by: 'Ada',
      freeze: 'year-end trading freeze',
    });

    const audit = textOf(validCard(await h.say(PEOPLE.admin, 'audit contoso 5')));
    assert.match(
      audit,
      /emergency override\n[^\n]*overrides the freeze \(year-end trading freeze\): the provider link in Amsterdam is saturated/,
    );

    validCard(await h.say(approver(0), `approve ${id}`));
    const first = await cardBecomes(h, reply.id, (t) => /Waiting for approval \(1\/2\)/.test(t));
    assert.match(textOf(first), /Emergency override of the freeze/);
    assert.equal(putsTo(h), 0, 'one approval is not enough');
    const sent = await cardSentTo(h, approver(1), id);
    validCard(await h.click(approver(1), 'intent', { intent: { kind: 'approve', id } }, sent.id));
    const done = await cardBecomes(h, reply.id, (t) => /Succeeded/.test(t), 30_000);
    assert.match(textOf(done), /Emergency override of the freeze 'year-end trading freeze' by Ada/);
    assert.equal(putsTo(h), 1, 'the override let it run during the freeze');
  });

  it('should refuse `emergency` from card data, whoever clicks', async () => {
    const before = await requests();
    const intent = { kind: 'emergency', change: { kind: 'upgrade', circuit: AMS, bandwidth: '5 Gbps' }, reason: 'forged' };
    const answer = validCard(await h.click(PEOPLE.admin, 'intent', { intent }));
    assert.match(textOf(answer), /An emergency override is typed, never clicked/);
    assert.equal(await requests(), before);
  });
});

describe('bot: change windows (issue 13)', function () {
  this.timeout(60_000);
  // Thursday 8 January 2026, 18:58 UTC (19:58 in Amsterdam): the next window opens on Saturday at 22:00 there (21:00 UTC).
  const thursday = Date.UTC(2026, 0, 8, 18, 58);
  const windowOpens = Date.UTC(2026, 0, 10, 21, 0);
  const clock = new OffsetClock();
  let h: Harness;

  before(async () => {
    clock.offsetMs = thursday - Date.now();
    h = await Harness.start({
      directory: contosoWith({ changeWindows: [{ days: ['Sat'], start: '22:00', end: '04:00', timeZone: 'Europe/Amsterdam' }] }),
      clock,
      changes: { progressUpdateMs: 50, executorLimits: { retryDelayMs: 10, followIntervalMs: 10 } },
    });
  });
  after(async () => h?.stop());

  it('should take the request at any time, hold it approved, and say when it runs on the card and in the audit', async () => {
    const reply = await h.say(PEOPLE.engineer, `upgrade ${AMS} 2 Gbps`);
    const id = requestIdOf(validCard(reply));
    assert.match(textOf(validCard(reply)), /Waiting for approval \(0\/1\)/, 'requests may be made outside a window');
    validCard(await h.say(approver(0), `approve ${id}`));
    const card = await cardBecomes(h, reply.id, (t) => /runs at/.test(t));
    const text = textOf(card);
    assert.match(text, /🕒 Approved, runs at Sat 22:00 Europe\/Amsterdam \(in 2 d 2 h\)/);
    assert.match(
      text,
      /Contoso Ltd takes changes only inside its change windows, so it waits for the next one: Sat 22:00 Europe\/Amsterdam\./,
    );
    assert.match(text, /Nothing has been sent to Azure yet/);
    const stored = await h.app.store.get(id);
    assert.equal(stored?.state, 'approved');
    assert.equal(stored?.schedule?.runAt, windowOpens);
    assert.equal(putsTo(h), 0);
    assert.match(textOf(validCard(await h.say(PEOPLE.engineer, 'requests all'))), /approved, waits \(window\)/);
    assert.match(
      textOf(validCard(await h.say(PEOPLE.engineer, 'audit contoso 5'))),
      /waits to run\n[^\n]*runs at Sat 22:00 Europe\/Amsterdam/,
    );

    // Saturday, the window is open: the next sweep runs it.
    clock.advance(windowOpens + 60_000 - clock.now());
    await h.app.workflow.resumeExecuting();
    await cardBecomes(h, reply.id, (t) => /Succeeded/.test(t), 30_000);
    assert.equal(putsTo(h), 1);
  });
});
