import assert from 'node:assert/strict';
import { buildDemoFleet, DEMO_INCIDENT } from '../../src/simulator';
import { Harness } from '../support/harness';
import { OffsetClock } from '../support/offset-clock';
import { buttonsOf, textOf, validCard } from '../support/cards';
import { ENGINEER } from '../support/demo-world';
import { until } from '../support/until';
import { clickIn } from './support/alert-world';

/**
 * The on-call demo as `npm start` runs it: the built-in fleet's session drops a minute after start, and Dana (the
 * Playground's user, on call in the demo directory) gets the alert in her 1:1 chat, acknowledges it from the card,
 * and sees it resolve.
 */
describe('alerts: the demo incident', function () {
  this.timeout(60_000);
  let h: Harness;
  const clock = new OffsetClock();
  const chat = { id: `a:personal-${ENGINEER.aadObjectId}`, conversationType: 'personal' };

  before(async () => {
    h = await Harness.start({ clock, logLevel: 'warn', demoIncident: true });
  });
  after(async () => h?.stop());

  const cards = () => h.connector.postsTo(chat.id).filter((p) => /contoso-ams-er1/.test(textOf(p)));

  it('should bring the dropped session to Dana’s chat, let her acknowledge it there, and resolve it on the same card', async () => {
    await h.say(ENGINEER, 'help');
    await h.app.watcher.runCycle();
    assert.equal(cards().length, 0, 'nothing on contoso-ams-er1 before the drop');
    clock.offsetMs = DEMO_INCIDENT.dropAfterMs + 1_000;
    await h.app.watcher.runCycle();
    const card = await until('the alert in Dana’s chat', () => cards()[0]);
    assert.match(textOf(validCard(card)), /BGP down on one link \(high availability lost\)[\s\S]*contoso-ams-er1/);
    const acknowledge = buttonsOf(card).find((b) => b.title === 'Acknowledge');
    assert.match(textOf(validCard(await clickIn(h, ENGINEER, chat, card.id, acknowledge?.data))), /Acknowledged by Dana/);
    clock.offsetMs = DEMO_INCIDENT.restoreAfterMs + 1_000;
    await h.app.watcher.runCycle();
    clock.offsetMs = DEMO_INCIDENT.restoreAfterMs + 61_000;
    await h.app.watcher.runCycle();
    await until('resolved on the same card', () =>
      h.connector.calls.some((c) => c.op === 'update' && c.targetId === card.id && /Resolved at/.test(textOf(c))),
    );
    assert.equal(cards().length, 1);
  });

  it('should read Azure for the watcher as background work, and for a person asking as foreground work', async () => {
    const s0 = h.app.armStats();
    await h.app.watcher.runCycle();
    const s1 = h.app.armStats();
    assert.ok(s1.requests > s0.requests, 'the cycle read Azure');
    assert.equal(s1.background - s0.background, s1.requests - s0.requests, 'every request of the cycle');
    await h.say(ENGINEER, 'status --fresh');
    const s2 = h.app.armStats();
    assert.ok(s2.requests > s1.requests, 'the fresh status read Azure');
    assert.equal(s2.background, s1.background, 'none of the status');
  });

  it('should drop and restore the session when DEMO_INCIDENT_AFTER_SECONDS and DEMO_INCIDENT_LASTS_SECONDS say', () => {
    const times = (incident: Parameters<typeof buildDemoFleet>[0]) =>
      (buildDemoFleet(incident).$simulator?.timeline ?? []).map((e) => e.afterMs);
    assert.deepEqual(times({ incident: true }), [DEMO_INCIDENT.dropAfterMs, DEMO_INCIDENT.restoreAfterMs]);
    assert.deepEqual(times({ incident: { dropAfterMs: 5_000, lastsMs: 20_000 } }), [5_000, 25_000]);
    assert.deepEqual(times({ incident: { lastsMs: 1_000 } }), [DEMO_INCIDENT.dropAfterMs, DEMO_INCIDENT.dropAfterMs + 1_000]);
    assert.deepEqual(times({}), []);
  });
});
