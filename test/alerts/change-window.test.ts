import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { WEEKDAYS } from '../../src/directory/change-windows';
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
  updatesOf,
  watching,
  type Watching,
} from './support/alert-world';

const PAR = (['primary', 'secondary'] as const).map((p) => summaryPath(CIRCUITS.contosoPar, p));
const CONTOSO_CHANNEL = channel('contoso-window');
/** A zone without DST and with a half-hour offset, so that the window is the same whenever the suite runs. */
const ZONE = 'Asia/Kolkata';
const NOTE = /inside Contoso Ltd's change window (Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d:\d\d–\d\d:\d\d Asia\/Kolkata/;

/**
 * Contoso's change window, on the real clock: it opens 7–8 minutes after the suite starts and lasts 12 minutes,
 * so the watcher's cycle at 5 minutes is before it, the BGP outage at 10 minutes inside it, and 25 minutes after.
 */
function windowAroundTheOutage(): { days: string[]; start: string; end: string; timeZone: string } {
  const opens = DateTime.fromMillis(Date.now() + 8 * MIN, { zone: ZONE }).startOf('minute');
  return {
    days: [WEEKDAYS[opens.weekday - 1]!],
    start: opens.toFormat('HH:mm'),
    end: opens.plus({ minutes: 12 }).toFormat('HH:mm'),
    timeZone: ZONE,
  };
}

describe('alerts: a customer’s change window is planned work', function () {
  this.timeout(60_000);
  let w: Watching;
  let firstCard: ReturnType<typeof postsIn>[number];

  before(async () => {
    const directory = alertDirectory() as { customers: { id: string; changeWindows?: unknown }[] };
    directory.customers.find((c) => c.id === 'contoso')!.changeWindows = [windowAroundTheOutage()];
    w = await watching(
      PAR.map((p) => at(10 * MIN, p, summaryWith(p, 'Idle'))),
      { directory },
    );
    assert.match(textOf(await sayIn(w.h, ALERT_PEOPLE.admin, CONTOSO_CHANNEL, 'alerts here contoso')), /alert cards/);
    await w.cycleAt(5 * MIN);
    firstCard = await until('the demo’s own trouble, posted before the window', () => postsIn(w.h, CONTOSO_CHANNEL.id)[0]);
  });
  after(async () => w?.h.stop());

  it('should record an alert raised inside the window as expected, name the window, and not post it', async () => {
    const before = postsIn(w.h, CONTOSO_CHANNEL.id).length;
    await w.cycleAt(10 * MIN + 1_000);
    const [outage] = await w.on(CIRCUITS.contosoPar, 'bgp-outage');
    assert.equal(outage?.state, 'firing');
    assert.match(outage.expected ?? '', NOTE);
    await w.cycleAt(10 * MIN + 30_000);
    assert.equal((await w.on(CIRCUITS.contosoPar, 'bgp-outage'))[0]?.groupId, undefined, 'never claimed for a card');
    assert.equal(postsIn(w.h, CONTOSO_CHANNEL.id).length, before, 'expected: not paged');
  });

  it('should show the window on a card posted before it opened, updated in place', async () => {
    const update = await until('the card says expected', () =>
      updatesOf(w.h, firstCard.id).find((u) => /Expected: inside Contoso Ltd's change window/.test(textOf(u))),
    );
    assert.match(textOf(validCard(update)), NOTE);
    assert.match(textOf(update), /Recorded, not paged/);
  });

  it('should mark what Azure Monitor reports inside the window expected too, but page a failed change', async () => {
    const before = postsIn(w.h, CONTOSO_CHANNEL.id).length;
    const health = await w.h.app.alerts.ingest({
      circuitId: CIRCUITS.contosoAms,
      condition: 'azure-health',
      status: 'firing',
      evidence: ['Service Health: ExpressRoute maintenance in West Europe'],
      source: 'azure-monitor',
    });
    assert.match(health?.expected ?? '', NOTE);
    const failed = await w.h.app.alerts.ingest({
      circuitId: CIRCUITS.contosoFra,
      condition: 'change-failed',
      status: 'firing',
      evidence: ['CR-TEST1 failed: the peering stayed down'],
      source: 'changes',
    });
    assert.equal(failed?.expected, undefined, 'a change failing in its window is news');
    const posts = await until('the failed change posted', () => {
      const now = postsIn(w.h, CONTOSO_CHANNEL.id).slice(before);
      return now.length > 0 && now;
    });
    assert.equal(posts.length, 1);
    assert.match(textOf(posts[0]!), /A change request failed/);
    assert.doesNotMatch(textOf(posts[0]!), /contoso-par-er4|health event/);
  });

  it('should page the alert once the window has closed', async () => {
    const before = postsIn(w.h, CONTOSO_CHANNEL.id).length;
    await w.cycleAt(25 * MIN);
    const [outage] = await w.on(CIRCUITS.contosoPar, 'bgp-outage');
    assert.equal(outage?.expected, undefined);
    const card = await until('the outage posted', () =>
      postsIn(w.h, CONTOSO_CHANNEL.id)
        .slice(before)
        .find((p) => /contoso-par-er4/.test(textOf(p))),
    );
    const text = textOf(validCard(card));
    assert.match(text, /BGP down on both links/);
    assert.doesNotMatch(text, /Expected/);
  });
});
