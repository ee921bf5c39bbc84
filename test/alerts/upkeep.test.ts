import assert from 'node:assert/strict';
import { newAlertId } from '../../src/alerts/alert-ids';
import { alertKey } from '../../src/alerts/alert';
import { TOKEN, expressRoute, postAlert, shape, variant } from '../azure-monitor/support/payloads';
import { textOf, validCard } from '../support/cards';
import { Harness } from '../support/harness';
import { OffsetClock } from '../support/offset-clock';
import { until } from '../support/until';
import { ALERT_PEOPLE, CIRCUITS, MIN, alertDirectory, channel, postsIn, sayIn } from './support/alert-world';

const DAY = 24 * 60 * MIN;
const CHANNEL = channel('contoso-upkeep');

/** BgpAvailability 0 on private peering, not split by Peer: both links down, a critical outage. */
const outageOn = (circuitId: string) =>
  variant(shape(expressRoute('metric-bgp-fired')), (p) => {
    p.data.essentials.alertTargetIDs = [circuitId.toLowerCase()];
    p.data.alertContext.condition.allOf[0]!.dimensions = [{ name: 'PeeringType', value: 'PrivatePeering' }];
  });

/**
 * With the watcher off (WATCH_INTERVAL_SECONDS=0), alerts still arrive from Azure Monitor: the upkeep's timer
 * (every 50 ms here, on the bot's clock, which the test moves) escalates them and posts what a silence that ran
 * out held back; it also prunes what is older than the retention. Nothing here runs a watch cycle.
 */
describe('alerts: the upkeep while the watcher is off', function () {
  this.timeout(60_000);
  let h: Harness;
  const clock = new OffsetClock();

  before(async () => {
    h = await Harness.start({
      clock,
      logLevel: 'warn',
      directory: alertDirectory({ escalateAfterMinutes: 5 }),
      env: { AZURE_ALERTS_TOKEN: TOKEN },
      alerts: { upkeepMs: 50 },
    });
    assert.equal(h.app.config.watchIntervalMs, 0, 'no watcher');
    assert.match(textOf(await sayIn(h, ALERT_PEOPLE.admin, CHANNEL, 'alerts here contoso')), /alert cards/);
  });
  after(async () => h?.stop());

  const cardsAbout = (circuit: string) => postsIn(h, CHANNEL.id).filter((p) => textOf(p).includes(circuit));
  /** Two more passes of the upkeep (one fully after now), and delivery done with what they did. */
  async function passes(): Promise<void> {
    const from = h.app.alertUpkeep.passes;
    await until('two upkeep passes', () => h.app.alertUpkeep.passes >= from + 2);
    await until('alert delivery idle', () => h.app.alertDelivery.idle);
  }

  it('should re-post an unacknowledged critical alert from Azure Monitor after escalateAfterMinutes', async () => {
    const r = await postAlert(h, outageOn(CIRCUITS.contosoAms));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const first = await until('the outage card', () => cardsAbout('contoso-ams-er1')[0]);
    assert.match(textOf(validCard(first)), /BGP down on both links/i);
    clock.advance(4 * MIN);
    await passes();
    assert.equal(cardsAbout('contoso-ams-er1').length, 1, 'not yet');
    clock.advance(2 * MIN);
    const again = await until('the escalation', () => cardsAbout('contoso-ams-er1')[1], { timeoutMs: 5_000 });
    assert.match(textOf(validCard(again)), /Escalated: not acknowledged within 5 min/);
    const [alert] = await h.app.alertStore.listAlerts({ customerIds: ['contoso'] });
    assert.equal(alert?.escalations, 1);
  });

  it('should post an alert held back by a silence once the silence has run out', async () => {
    const said = textOf(await h.say(ALERT_PEOPLE.oncall, 'silence contoso/contoso-par-er4 1h provider work'));
    assert.match(said, /SI-[0-9A-Z]+/);
    const r = await postAlert(h, outageOn(CIRCUITS.contosoPar));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const [held] = (await h.app.alertStore.listAlerts({ customerIds: ['contoso'] })).filter((a) => a.circuitName === 'contoso-par-er4');
    assert.ok(held?.silencedBy, 'silenced');
    clock.advance(30 * MIN);
    await passes();
    assert.deepEqual(cardsAbout('contoso-par-er4'), [], 'still silenced');
    clock.advance(31 * MIN);
    const card = await until('its card after the silence', () => cardsAbout('contoso-par-er4')[0], { timeoutMs: 5_000 });
    assert.match(textOf(card), new RegExp(held.id));
    assert.equal((await h.app.alertStore.getAlert(held.id))?.silencedBy, undefined);
  });

  it('should prune alerts resolved more than 30 days ago, on its own', async () => {
    const now = clock.now();
    const subject = { circuitId: CIRCUITS.fabrikamDal, condition: 'azure-health' as const };
    const old = {
      id: newAlertId(),
      key: alertKey(subject),
      customerId: 'fabrikam',
      circuitName: 'fabrikam-dal-er1',
      ...subject,
      severity: 'warning' as const,
      state: 'resolved' as const,
      sources: ['azure-monitor' as const],
      evidence: ['Azure Resource Health: Unavailable'],
      createdAt: now - 31 * DAY,
      updatedAt: now - 31 * DAY,
      firedAt: now - 31 * DAY,
      resolvedAt: now - 31 * DAY,
      seenCycles: 1,
      recoveredCycles: 0,
      changes: [],
      version: 2,
    };
    const recent = { ...old, id: newAlertId(), resolvedAt: now - 29 * DAY, updatedAt: now - 29 * DAY };
    assert.ok(await h.app.alertStore.createAlert(old));
    assert.ok(await h.app.alertStore.createAlert(recent));
    clock.advance(61 * MIN);
    await until('the old alert pruned', async () => (await h.app.alertStore.getAlert(old.id)) === undefined, { timeoutMs: 5_000 });
    assert.ok(await h.app.alertStore.getAlert(recent.id), 'kept: resolved less than 30 days ago');
  });
});
