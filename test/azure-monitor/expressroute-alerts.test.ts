import assert from 'node:assert/strict';
import { alertKey, type Alert } from '../../src/alerts/alert';
import { textOf, validCard } from '../support/cards';
import { until } from '../support/until';
import {
  ALERT_PEOPLE,
  CIRCUITS,
  MIN,
  alertDirectory,
  at,
  channel,
  original,
  postsIn,
  sayIn,
  summaryPath,
  summaryWith,
  watching,
  type Watching,
} from '../alerts/support/alert-world';
import { TOKEN, expressRoute, postAlert, shape, variant, type Json } from './support/payloads';

const BGP_DOWN = 10 * MIN;
const BGP_BACK = 20 * MIN;
/** Planned maintenance on contoso-ams-er1 (West Europe), and a BGP session that drops inside it. */
const WINDOW_START = 40 * MIN;
const WINDOW_END = 60 * MIN;
const DROP_IN_WINDOW = 45 * MIN;
const BACK_AFTER_WINDOW = 70 * MIN;

const CONTOSO_CHANNEL = channel('contoso-azure-monitor');
const primary = summaryPath(CIRCUITS.contosoAms, 'primary');
const secondary = summaryPath(CIRCUITS.contosoAms, 'secondary');

/** The alert key the watcher gives BGP down on a link of private peering. */
const bgpKey = (circuitId: string, link: 'primary' | 'secondary') =>
  alertKey({ circuitId, peering: 'AzurePrivatePeering', link, condition: 'bgp-link-down' });

/**
 * Azure Monitor's alerts on ExpressRoute circuits, over real HTTP, against the real alert workflow, store and
 * watcher on the demo fleet: a metric alert is the watcher's alert (one key, one alert, both sources), Resource
 * Health and Service Health show as `azure-health`, and planned maintenance silences the circuit for its window.
 */
describe('azure monitor: ExpressRoute alerts become the bot’s alerts', function () {
  this.timeout(60_000);
  let w: Watching;

  before(async () => {
    w = await watching(
      [
        at(BGP_DOWN, primary, summaryWith(primary, 'Idle')),
        at(BGP_BACK, primary, original(primary)),
        at(DROP_IN_WINDOW, secondary, summaryWith(secondary, 'Active')),
        at(BACK_AFTER_WINDOW, secondary, original(secondary)),
      ],
      { env: { AZURE_ALERTS_TOKEN: TOKEN }, directory: alertDirectory() },
    );
    assert.match(textOf(await sayIn(w.h, ALERT_PEOPLE.admin, CONTOSO_CHANNEL, 'alerts here contoso')), /alert cards/);
  });
  after(async () => w?.h.stop());

  async function accepted(
    payload: Json,
  ): Promise<{ alerts: { id: string; state: string; condition: string }[]; silences: Json[]; unchanged: number }> {
    const r = await postAlert(w.h, payload);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.ok(r.body.accepted, JSON.stringify(r.body));
    return r.body.accepted as never;
  }
  const byKey = async (key: string): Promise<Alert[]> => (await w.alerts()).filter((a) => a.key === key);

  describe('metric alerts: the same alert as the watcher’s', () => {
    const key = bgpKey(CIRCUITS.contosoAms, 'primary');

    it('raises BGP down on the primary link of private peering at once, from BgpAvailability split by PeeringType and Peer', async () => {
      await w.cycleAt(BGP_DOWN - MIN);
      assert.deepEqual(await byKey(key), [], 'healthy before');
      const { alerts } = await accepted(expressRoute('metric-bgp-fired'));
      assert.equal(alerts.length, 1);
      const [alert] = await byKey(key);
      assert.equal(alert?.id, alerts[0]?.id);
      assert.equal(alert?.state, 'firing');
      assert.deepEqual(alert?.sources, ['azure-monitor']);
      assert.equal(alert?.circuitName, 'contoso-ams-er1');
      assert.match(
        alert?.evidence.join('\n') ?? '',
        /Azure Monitor rule "test-metricAlertRule" \(Sev4\): BgpAvailability 0% \(LessThan 90%, Average over PT5M\), PeeringType PrivatePeering, Peer Primary-IPv4/,
      );
    });

    it('is joined by the watcher when it sees the session down: one alert, both sources', async () => {
      const [before] = await byKey(key);
      await w.cycleAt(BGP_DOWN + 1_000);
      const found = await byKey(key);
      assert.equal(found.length, 1, 'one alert for the key');
      assert.equal(found[0]?.id, before?.id);
      assert.deepEqual([...(found[0]?.sources ?? [])].sort(), ['azure-monitor', 'watcher']);
      assert.equal(found[0]?.state, 'firing');
    });

    it('stays one alert when Azure Monitor fires again', async () => {
      const [before] = await byKey(key);
      const { alerts } = await accepted(expressRoute('metric-bgp-fired'));
      assert.equal(alerts[0]?.id ?? before?.id, before?.id);
      assert.equal((await byKey(key)).filter((a) => a.state !== 'resolved').length, 1);
    });

    it('is not resolved on Azure Monitor’s word while the watcher still sees the session down', async () => {
      const { unchanged } = await accepted(expressRoute('metric-bgp-resolved'));
      assert.equal(unchanged, 1);
      assert.equal((await byKey(key))[0]?.state, 'firing');
    });

    it('resolves when the watcher sees the session back for two cycles', async () => {
      await w.cycleAt(BGP_BACK + 1_000);
      await w.cycleAt(BGP_BACK + 30_000);
      assert.equal((await byKey(key))[0]?.state, 'resolved');
    });

    it('raises and resolves on Azure Monitor’s word alone where the watcher sees nothing', async () => {
      const fra = CIRCUITS.contosoFra.toLowerCase();
      const onFra = (payload: Json) => variant(shape(payload), (p) => (p.data.essentials.alertTargetIDs = [fra]));
      const fired = await accepted(onFra(expressRoute('metric-bgp-fired')));
      assert.equal(fired.alerts[0]?.state, 'firing');
      const again = await accepted(onFra(expressRoute('metric-bgp-fired')));
      assert.equal(again.alerts[0]?.id ?? fired.alerts[0]?.id, fired.alerts[0]?.id, 'the same alert (dedup by key)');
      const resolved = await accepted(onFra(expressRoute('metric-bgp-resolved')));
      assert.deepEqual(
        resolved.alerts.map((a) => [a.id, a.state]),
        [[fired.alerts[0]?.id, 'resolved']],
      );
      const stored = await byKey(bgpKey(CIRCUITS.contosoFra, 'primary'));
      assert.deepEqual(
        stored.map((a) => a.state),
        ['resolved'],
      );
    });

    it('maps the other ExpressRoute metrics onto their conditions', async () => {
      const metric = (metricName: string, dimensions: Json[], metricValue: number) =>
        variant(shape(expressRoute('metric-bgp-fired')), (p) => {
          p.data.essentials.alertTargetIDs = [CIRCUITS.northwindNyc1.toLowerCase()];
          Object.assign(p.data.alertContext.condition.allOf[0]!, {
            metricName,
            dimensions,
            metricValue,
            operator: 'GreaterThan',
            threshold: '0',
          });
        });
      const raised = async (payload: Json) => (await accepted(payload)).alerts.map((a) => a.condition);
      assert.deepEqual(
        await raised(
          metric(
            'ArpAvailability',
            [
              { name: 'PeeringType', value: 'MicrosoftPeering' },
              { name: 'Peer', value: 'Secondary-IPv4' },
            ],
            0,
          ),
        ),
        ['arp-missing'],
      );
      assert.deepEqual(await raised(metric('QosDropBitsInPerSecond', [], 5e6)), ['rate-limit-drops']);
      assert.deepEqual(await raised(metric('BitsOutPerSecond', [{ name: 'DeviceRole', value: 'Primary' }], 9.5e8)), ['utilisation-high']);
      // Not split by Peer: 0 on average is both links down.
      assert.deepEqual(await raised(metric('BgpAvailability', [{ name: 'PeeringType', value: 'PrivatePeering' }], 0)), ['bgp-outage']);
      const stored = (await w.on(CIRCUITS.northwindNyc1)).map((a) => [a.condition, a.peering, a.link]);
      assert.deepEqual(
        new Set(stored.map((s) => JSON.stringify(s))),
        new Set(
          [
            ['arp-missing', 'MicrosoftPeering', 'secondary'],
            ['rate-limit-drops', undefined, undefined],
            ['utilisation-high', undefined, undefined],
            ['bgp-outage', 'AzurePrivatePeering', undefined],
          ].map((s) => JSON.stringify(s)),
        ),
      );
      const [drops] = await w.on(CIRCUITS.northwindNyc1, 'rate-limit-drops');
      assert.match(drops?.evidence[0] ?? '', /QosDropBitsInPerSecond 5 Mbps \(GreaterThan 0 bps, Average over PT5M\)/);
      const unmapped = await postAlert(w.h, metric('GlobalReachBitsInPerSecond', [], 1));
      assert.match(String(unmapped.body.ignored), /the metric GlobalReachBitsInPerSecond is not one the bot alerts on/);
    });
  });

  describe('Resource Health', () => {
    const key = alertKey({ circuitId: CIRCUITS.contosoAms, condition: 'azure-health' });

    it('shows an Unavailable circuit as azure-health, with what Azure says', async () => {
      const { alerts } = await accepted(expressRoute('resource-health-unavailable'));
      assert.deepEqual(
        alerts.map((a) => [a.condition, a.state]),
        [['azure-health', 'firing']],
      );
      const [alert] = await byKey(key);
      assert.match(
        alert?.evidence.join('\n') ?? '',
        /Azure Resource Health: Unavailable \(was Available\): Rebooted by user; Downtime, cause UserInitiated/,
      );
    });

    it('resolves it when the circuit is Available again', async () => {
      await accepted(expressRoute('resource-health-available'));
      assert.deepEqual(
        (await byKey(key)).map((a) => a.state),
        ['resolved'],
      );
    });
  });

  describe('Service Health', () => {
    const ams = alertKey({ circuitId: CIRCUITS.contosoAms, condition: 'azure-health' });
    const lon = CIRCUITS.contosoAms.replace('contoso-ams-er1', 'contoso-lon-er2');

    it('shows an ExpressRoute incident on the circuits of the subscription in the impacted region only', async () => {
      const { alerts } = await accepted(expressRoute('service-health-incident'));
      assert.deepEqual(
        alerts.map((a) => [a.condition, a.state]),
        [['azure-health', 'firing']],
        'contoso-ams-er1 is the subscription’s only circuit in West Europe',
      );
      const open = (await byKey(ams)).filter((a) => a.state !== 'resolved');
      assert.equal(open.length, 1);
      assert.match(
        open[0]?.evidence.join('\n') ?? '',
        /Azure Service Health Incident TEST-TTT \(ExpressRoute, West Europe\): TestActionGroup-TestServiceHealthAlert/,
      );
      assert.deepEqual(await w.on(lon, 'azure-health'), [], 'contoso-lon-er2 is in UK South');
    });

    it('resolves it when the incident is resolved', async () => {
      const resolved = variant(shape(expressRoute('service-health-incident')), (p) => {
        p.data.alertContext.properties.stage = 'Resolved';
        p.data.alertContext.status = 'Resolved';
      });
      await accepted(resolved);
      assert.deepEqual(
        (await byKey(ams)).filter((a) => a.state !== 'resolved'),
        [],
      );
    });

    it('silences the circuit for a planned maintenance window, and shows the maintenance', async () => {
      const started = w.h.app.simulator!.startedAt;
      const iso = (ms: number) => new Date(started + ms).toISOString();
      const maintenance = variant(shape(expressRoute('service-health-maintenance')), (p) => {
        p.data.alertContext.properties.impactStartTime = iso(WINDOW_START);
        p.data.alertContext.properties.impactMitigationTime = iso(WINDOW_END);
      });
      w.clock.offsetMs = WINDOW_START - 10 * MIN;
      const { silences, alerts } = await accepted(maintenance);
      assert.deepEqual(
        silences.map((s) => [s.circuit, s.startsAt, s.endsAt]),
        [['contoso-ams-er1', iso(WINDOW_START), iso(WINDOW_END)]],
      );
      assert.deepEqual(
        alerts.map((a) => [a.condition, a.state]),
        [['azure-health', 'firing']],
      );
      const stored = await w.h.app.alertStore.listSilences({ customerIds: ['contoso'], endingAfter: 0 });
      assert.equal(stored.length, 1);
      assert.equal(stored[0]?.circuitId?.toLowerCase(), CIRCUITS.contosoAms.toLowerCase());
      assert.match(stored[0]?.reason ?? '', /Azure planned maintenance <GUID>: ExpressRoute Scheduled Maintenance Pending/);
      const [shown] = (await byKey(ams)).filter((a) => a.state !== 'resolved');
      assert.match(
        shown?.evidence.join('\n') ?? '',
        /Azure planned maintenance <GUID> \(ExpressRoute, West Europe\) from .* UTC to .* UTC: ExpressRoute Scheduled Maintenance Pending/,
      );
      assert.equal(shown?.silencedBy, undefined, 'shown now: the window has not begun');
      // The circuit's azure-health alert was on a card already (the incident above): that card shows it again, in place.
      const card = await until('the maintenance on a card', () =>
        w.h.connector.calls.find((c) => c.conversationId === CONTOSO_CHANNEL.id && /Azure planned maintenance/.test(textOf(c))),
      );
      assert.match(textOf(validCard(card)), /Azure reports a health event[\s\S]*contoso-ams-er1/);
    });

    it('records, and does not post, what breaks on the circuit inside the window', async () => {
      const [silence] = await w.h.app.alertStore.listSilences({ customerIds: ['contoso'], endingAfter: 0 });
      await w.cycleAt(DROP_IN_WINDOW + 1_000);
      const [alert] = await byKey(bgpKey(CIRCUITS.contosoAms, 'secondary'));
      assert.equal(alert?.state, 'firing');
      assert.equal(alert?.silencedBy, silence?.id, 'silenced by the maintenance');
      assert.equal(alert?.groupId, undefined, 'on no card: a silenced alert is never offered for posting');
      const [maintenance] = (await byKey(ams)).filter((a) => a.state !== 'resolved');
      assert.equal(maintenance?.silencedBy, silence?.id, 'the maintenance notice too, once its window began');
    });

    it('posts it once the window is over, if it still holds', async () => {
      const secondaryDown = (p: Parameters<typeof textOf>[0]) =>
        /BGP down on one link[\s\S]*contoso-ams-er1[\s\S]*secondary/.test(textOf(p));
      assert.ok(!postsIn(w.h, CONTOSO_CHANNEL.id).some(secondaryDown), 'not posted inside the window');
      await w.cycleAt(WINDOW_END + 1_000);
      const [alert] = await byKey(bgpKey(CIRCUITS.contosoAms, 'secondary'));
      assert.equal(alert?.state, 'firing');
      assert.equal(alert?.silencedBy, undefined);
      await until('its card, after the window', () => postsIn(w.h, CONTOSO_CHANNEL.id).some(secondaryDown));
    });

    it('ignores a maintenance whose window is already over', async () => {
      const r = await postAlert(w.h, expressRoute('service-health-maintenance'));
      assert.equal(r.status, 200);
      assert.match(String(r.body.ignored), /the maintenance window ended at 2019-06-26 12:00 UTC/);
    });
  });
});
