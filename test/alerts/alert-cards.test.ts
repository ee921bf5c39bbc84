import assert from 'node:assert/strict';
import { buttonsOf, textOf, validCard } from '../support/cards';
import { NOT_CONTOSO } from '../support/demo-world';
import { until } from '../support/until';
import type { ConnectorCall } from '../support/fake-connector';
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
const DAL_PRIMARY = summaryPath(CIRCUITS.fabrikamDal, 'primary');
const CONTOSO_CHANNEL = channel('contoso-alerts');
const FABRIKAM_CHANNEL = channel('fabrikam-alerts');

describe('alerts in Teams: the alerts channel, the card, its buttons and the rights behind them', function () {
  this.timeout(60_000);
  let w: Watching;
  /** The card of contoso-ams-er1's dropped session, as posted in Contoso's channel. */
  let dropCard: ConnectorCall;
  let dropAlertId: string;

  before(async () => {
    w = await watching(
      [
        at(10 * MIN, AMS_PRIMARY, summaryWith(AMS_PRIMARY, 'Idle')),
        at(10 * MIN, DAL_PRIMARY, summaryWith(DAL_PRIMARY, 'Idle')),
        at(20 * MIN, AMS_PRIMARY, original(AMS_PRIMARY)),
      ],
      { directory: alertDirectory() },
    );
  });
  after(async () => {
    await w?.h.stop();
  });

  const ack = (id: string) => ({ intent: { kind: 'ack', id } });

  it('should refuse `alerts here` to someone who is not the customer’s admin, and outside a channel', async () => {
    assert.match(textOf(await sayIn(w.h, ALERT_PEOPLE.oncall, CONTOSO_CHANNEL, 'alerts here contoso')), /right to administer Contoso/);
    assert.match(
      textOf(await w.h.say(ALERT_PEOPLE.admin, 'alerts here contoso')),
      /Run this in the Teams channel that should get the alert cards/,
    );
  });

  it('should make a channel the customer’s alerts channel, and link it to the customer', async () => {
    const reply = await sayIn(w.h, ALERT_PEOPLE.admin, CONTOSO_CHANNEL, 'alerts here contoso');
    assert.match(textOf(reply), /This channel now gets Contoso Ltd's alert cards/);
    assert.deepEqual(await w.h.app.store.linkedCustomers(CONTOSO_CHANNEL.id), ['contoso']);
    assert.match(textOf(await sayIn(w.h, ALERT_PEOPLE.admin, FABRIKAM_CHANNEL, 'alerts here fabrikam')), /Fabrikam Inc's alert cards/);
  });

  it('should post the customer’s alerts that fire in one cycle as one card listing them (grouping)', async () => {
    await w.cycleAt(9 * MIN);
    // contoso-lon-er2's secondary link is down in the demo fleet: BGP and ARP, two alerts, one card.
    const [card, ...more] = await until('Contoso’s first card', () => {
      const posts = postsIn(w.h, CONTOSO_CHANNEL.id);
      return posts.length > 0 && posts;
    });
    assert.equal(more.length, 0, 'one card');
    const text = textOf(validCard(card!));
    assert.match(text, /2 alerts for Contoso Ltd/);
    assert.match(text, /BGP down on one link/);
    assert.match(text, /ARP missing on a link/);
    assert.match(text, /contoso-lon-er2/);
    for (const leak of NOT_CONTOSO) assert.ok(!text.toLowerCase().includes(leak.toLowerCase()), `Contoso's channel shows ${leak}`);
  });

  it('should post a card that says what broke, where, since when, the evidence and the next step, with its three buttons', async () => {
    const before = postsIn(w.h, CONTOSO_CHANNEL.id).length;
    await w.cycleAt(10 * MIN + 1_000);
    dropCard = await until('the drop’s card', () => postsIn(w.h, CONTOSO_CHANNEL.id)[before]);
    const card = validCard(dropCard);
    const text = textOf(card);
    assert.match(text, /BGP down on one link \(high availability lost\)/);
    assert.match(text, /Contoso Ltd/);
    assert.match(text, /contoso-ams-er1/);
    assert.match(text, /AzurePrivatePeering/);
    assert.match(text, /Link\nprimary/);
    assert.match(text, /Since\n\d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    assert.match(text, /BgpAvailability 0% at \d\d:\d\d UTC/);
    assert.match(text, /Next: .*`bgp contoso-ams-er1`/);
    assert.deepEqual(
      buttonsOf(card).map((b) => b.title),
      ['Acknowledge', 'Silence 1h', 'Open circuit'],
    );
    dropAlertId = (await w.on(CIRCUITS.contosoAms, 'bgp-link-down'))[0]?.id ?? assert.fail('no alert stored');
    assert.match(text, new RegExp(dropAlertId));
    // Fabrikam's alert went to Fabrikam's channel only.
    assert.ok(postsIn(w.h, FABRIKAM_CHANNEL.id).some((p) => /fabrikam-dal-er1/.test(textOf(p))));
    assert.ok(!postsIn(w.h, CONTOSO_CHANNEL.id).some((p) => /fabrikam/i.test(textOf(p))));
  });

  it('should refuse Acknowledge to someone without oncall on the customer, clicked or typed, and change nothing', async () => {
    const clicked = await clickIn(w.h, ALERT_PEOPLE.viewer, CONTOSO_CHANNEL, dropCard.id, ack(dropAlertId));
    assert.match(textOf(clicked), /right to acknowledge or silence the alerts of/);
    assert.match(
      textOf(await w.h.say(ALERT_PEOPLE.viewer, `ack ${dropAlertId}`)),
      /right to acknowledge or silence the alerts of Contoso Ltd/,
    );
    assert.equal((await w.h.app.alertStore.getAlert(dropAlertId))?.state, 'firing');
    assert.deepEqual(updatesOf(w.h, dropCard.id), []);
  });

  it('should change nothing on forged clicks: another customer’s on-call, an unknown id, broken data', async () => {
    const outsider = await clickIn(w.h, ALERT_PEOPLE.outsider, CONTOSO_CHANNEL, dropCard.id, ack(dropAlertId));
    assert.match(textOf(outsider), /no alert .* you can see|right to/i);
    assert.match(
      textOf(await clickIn(w.h, ALERT_PEOPLE.oncall, CONTOSO_CHANNEL, dropCard.id, ack('AL-ZZZZZZZ'))),
      /There is no alert AL-ZZZZZZZ/,
    );
    assert.match(
      textOf(await clickIn(w.h, ALERT_PEOPLE.oncall, CONTOSO_CHANNEL, dropCard.id, ack('DROP TABLE'))),
      /button's data isn't valid/,
    );
    const silenceOther = { intent: { kind: 'silence', target: CIRCUITS.fabrikamDal, duration: '1h', reason: 'forged' } };
    assert.doesNotMatch(textOf(await clickIn(w.h, ALERT_PEOPLE.oncall, CONTOSO_CHANNEL, dropCard.id, silenceOther)), /Silenced/);
    assert.equal((await w.h.app.alertStore.getAlert(dropAlertId))?.state, 'firing');
    assert.deepEqual(await w.h.app.alertStore.listSilences({ customerIds: ['contoso', 'fabrikam'], endingAfter: 0 }), []);
    assert.deepEqual(updatesOf(w.h, dropCard.id), []);
  });

  it('should acknowledge on the on-call’s click: who and when on the card, updated in place, never a new message', async () => {
    const before = postsIn(w.h, CONTOSO_CHANNEL.id).length;
    const answer = await clickIn(w.h, ALERT_PEOPLE.oncall, CONTOSO_CHANNEL, dropCard.id, ack(dropAlertId));
    assert.match(textOf(validCard(answer)), /You acknowledged .*\n?.*Acknowledged by Omar at/s);
    const update = await until('the card updated in place', () => updatesOf(w.h, dropCard.id)[0]);
    const text = textOf(validCard(update));
    assert.match(text, /Acknowledged by Omar at \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    assert.ok(!buttonsOf(update).some((b) => b.title === 'Acknowledge'), 'no Acknowledge once acknowledged');
    assert.equal(postsIn(w.h, CONTOSO_CHANNEL.id).length, before, 'no new message');
    assert.match(textOf(await w.h.say(ALERT_PEOPLE.oncall, `ack ${dropAlertId.toLowerCase()}`)), /was already acknowledged by Omar/);
  });

  it('should open the circuit from the card', async () => {
    const open = buttonsOf(validCard(dropCard)).find((b) => b.title === 'Open circuit');
    const answer = await clickIn(w.h, ALERT_PEOPLE.viewer, CONTOSO_CHANNEL, dropCard.id, open?.data);
    assert.match(textOf(validCard(answer)), /contoso-ams-er1/);
  });

  it('should resolve once the session is back for two cycles, on the same card', async () => {
    const before = postsIn(w.h, CONTOSO_CHANNEL.id).length;
    const updates = updatesOf(w.h, dropCard.id).length;
    await w.cycleAt(20 * MIN + 1_000);
    await w.cycleAt(20 * MIN + 30_000);
    assert.equal((await w.h.app.alertStore.getAlert(dropAlertId))?.state, 'resolved');
    const update = await until('the resolved card', () =>
      updatesOf(w.h, dropCard.id)
        .slice(updates)
        .find((u) => /Resolved at/.test(textOf(u))),
    );
    assert.ok(!buttonsOf(update).some((b) => b.title === 'Silence 1h' || b.title === 'Acknowledge'));
    assert.equal(postsIn(w.h, CONTOSO_CHANNEL.id).length, before, 'no new message');
  });

  it('should list only the customers the asker may view, open by default, resolved with `all`', async () => {
    const open = textOf(validCard(await w.h.say(ALERT_PEOPLE.viewer, 'alerts')));
    assert.match(open, /Open alerts/);
    assert.match(open, /contoso-lon-er2/);
    assert.doesNotMatch(open, /contoso-ams-er1/, 'resolved');
    for (const leak of NOT_CONTOSO) assert.ok(!open.toLowerCase().includes(leak.toLowerCase()), `alerts shows ${leak}`);
    const all = textOf(validCard(await w.h.say(ALERT_PEOPLE.viewer, 'alerts contoso all')));
    assert.match(all, new RegExp(`${dropAlertId}[\\s\\S]*Resolved at`));
    assert.match(textOf(await w.h.say(ALERT_PEOPLE.viewer, 'alerts fabrikam')), /can't find a customer/);
  });
});
