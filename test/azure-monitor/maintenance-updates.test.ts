import assert from 'node:assert/strict';
import type { Silence } from '../../src/alerts/alert';
import { textOf } from '../support/cards';
import { until } from '../support/until';
import {
  ALERT_PEOPLE,
  CIRCUITS,
  MIN,
  alertDirectory,
  channel,
  postsIn,
  sayIn,
  watching,
  type Watching,
} from '../alerts/support/alert-world';
import { TOKEN, expressRoute, postAlert, shape, variant, type Json } from './support/payloads';

const CONTOSO_CHANNEL = channel('contoso-maintenance');

/**
 * Service Health sends one planned maintenance several times: when it is planned, each time its window moves, and
 * when it is complete or canceled, always with the same tracking id. The bot keeps one silence per circuit and
 * tracking id: an update replaces it, a repeat changes nothing, and the end of the event ends it (and posts what
 * it held back).
 */
describe('azure monitor: planned maintenance silences follow the Service Health event', function () {
  this.timeout(60_000);
  let w: Watching;
  let t0 = 0;

  before(async () => {
    w = await watching([], { env: { AZURE_ALERTS_TOKEN: TOKEN }, directory: alertDirectory() });
    assert.match(textOf(await sayIn(w.h, ALERT_PEOPLE.admin, CONTOSO_CHANNEL, 'alerts here contoso')), /alert cards/);
    t0 = w.clock.now();
  });
  after(async () => w?.h.stop());

  /** The official maintenance sample (on contoso-ams-er1's region), as one event's notice at one stage. */
  const notice = (trackingId: string, stage: string, from: number, to: number): Json =>
    variant(shape(expressRoute('service-health-maintenance')), (p) => {
      Object.assign(p.data.alertContext.properties, {
        trackingId,
        stage,
        impactStartTime: new Date(from).toISOString(),
        impactMitigationTime: new Date(to).toISOString(),
      });
      if (/complete|cancel|resolved/i.test(stage)) p.data.alertContext.status = 'Resolved';
    });

  async function accepted(payload: Json): Promise<{ silences: { id: string }[]; endedSilences: { id: string }[] }> {
    const r = await postAlert(w.h, payload);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.ok(r.body.accepted, JSON.stringify(r.body));
    return r.body.accepted as never;
  }
  const running = async (): Promise<Silence[]> =>
    (await w.h.app.alertStore.listSilences({ customerIds: ['contoso'], endingAfter: w.clock.now() })).sort(
      (a, b) => a.startsAt - b.startsAt,
    );

  let planned: Silence;

  it('should silence the circuit once for the event, however often Azure sends the same notice', async () => {
    const first = await accepted(notice('VL2K-3Z8', 'Planned', t0 + 30 * MIN, t0 + 90 * MIN));
    const again = await accepted(notice('VL2K-3Z8', 'Planned', t0 + 30 * MIN, t0 + 90 * MIN));
    assert.equal(again.silences[0]?.id, first.silences[0]?.id, 'the same silence');
    const silences = await running();
    assert.equal(silences.length, 1);
    planned = silences[0]!;
    assert.equal(planned.trackingId, 'VL2K-3Z8');
    assert.equal(planned.circuitId?.toLowerCase(), CIRCUITS.contosoAms.toLowerCase());
    assert.deepEqual([planned.startsAt, planned.endsAt], [t0 + 30 * MIN, t0 + 90 * MIN]);
  });

  it('should replace the silence when an update moves the window', async () => {
    const moved = await accepted(notice('VL2K-3Z8', 'Rescheduled', t0 - MIN, t0 + 120 * MIN));
    const silences = await running();
    assert.equal(silences.length, 1, 'one silence for the event, not two');
    assert.equal(silences[0]?.id, moved.silences[0]?.id);
    assert.notEqual(silences[0]?.id, planned.id);
    assert.deepEqual([silences[0]?.startsAt, silences[0]?.endsAt], [t0 - MIN, t0 + 120 * MIN]);
    assert.equal((await w.h.app.alertStore.getSilence(planned.id))?.ended?.by.aadObjectId, 'system', 'the old window ended');
  });

  it('should keep another event’s silence on the same circuit apart', async () => {
    await accepted(notice('QQ7P-1AB', 'Planned', t0 + 200 * MIN, t0 + 260 * MIN));
    assert.deepEqual(
      (await running()).map((s) => s.trackingId),
      ['VL2K-3Z8', 'QQ7P-1AB'],
    );
  });

  it('should end the event’s silence when Azure says it is complete, and post what it held back', async () => {
    const before = postsIn(w.h, CONTOSO_CHANNEL.id).length;
    const fired = await postAlert(w.h, expressRoute('metric-bgp-fired'));
    const [bgp] = (fired.body.accepted as { alerts: { id: string }[] }).alerts;
    const held = await w.h.app.alertStore.getAlert(bgp!.id);
    assert.equal(held?.silencedBy, (await running())[0]?.id, 'recorded, not posted, inside the window');
    await until('alert delivery idle', () => w.h.app.alertDelivery.idle);
    assert.ok(
      !postsIn(w.h, CONTOSO_CHANNEL.id)
        .slice(before)
        .some((p) => /BGP down on one link/.test(textOf(p))),
    );

    const over = await accepted(notice('VL2K-3Z8', 'Completed', t0 - MIN, t0 + 120 * MIN));
    assert.equal(over.endedSilences.length, 1);
    assert.deepEqual(
      (await running()).map((s) => s.trackingId),
      ['QQ7P-1AB'],
      'the other event is still planned',
    );
    assert.equal((await w.h.app.alertStore.getAlert(bgp!.id))?.silencedBy, undefined);
    await until('the held-back alert posted', () =>
      postsIn(w.h, CONTOSO_CHANNEL.id)
        .slice(before)
        .some((p) => /BGP down on one link/.test(textOf(p))),
    );
  });

  it('should end a canceled event’s silence before its window began', async () => {
    const over = await accepted(notice('QQ7P-1AB', 'Canceled', t0 + 200 * MIN, t0 + 260 * MIN));
    assert.equal(over.endedSilences.length, 1);
    assert.deepEqual(await running(), []);
  });
});
