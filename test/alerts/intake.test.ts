import assert from 'node:assert/strict';
import { CodedError, ErrorCode } from '../../src/errors';
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

const AMS_PRIMARY = summaryPath(CIRCUITS.contosoAms, 'primary');
const CONTOSO_CHANNEL = channel('contoso-intake');

describe('alerts from outside the watcher', function () {
  this.timeout(60_000);
  let w: Watching;
  before(async () => {
    w = await watching([at(10 * MIN, AMS_PRIMARY, summaryWith(AMS_PRIMARY, 'Idle'))], { directory: alertDirectory() });
    assert.match(textOf(await sayIn(w.h, ALERT_PEOPLE.admin, CONTOSO_CHANNEL, 'alerts here contoso')), /alert cards/);
    await w.cycleAt(5 * MIN);
    await until('the first card', () => postsIn(w.h, CONTOSO_CHANNEL.id).length > 0);
  });
  after(async () => w?.h.stop());

  describe('the change workflow', () => {
    it('should raise `change-failed` on the circuit when a change fails, and resolve it when a later one succeeds', async () => {
      const before = postsIn(w.h, CONTOSO_CHANNEL.id).length;
      w.h.app.simulator!.addFaults([
        { match: 'PUT', status: 400, code: 'ServiceProviderCapacityExceeded', message: 'The provider cannot carry 2 Gbps here.', count: 1 },
      ]);
      const ask = async () => {
        const asked = textOf(await w.h.say(ALERT_PEOPLE.engineer, 'upgrade contoso/contoso-ams-er1 2 Gbps'));
        const id = /CR-[0-9A-Z]+/.exec(asked)?.[0] ?? assert.fail(asked);
        await w.h.say(ALERT_PEOPLE.approver, `approve ${id}`);
        return until(`${id} to end`, async () => {
          const s = (await w.h.app.store.get(id))?.state;
          return (s === 'failed' || s === 'succeeded') && { id, state: s };
        });
      };
      const failed = await ask();
      assert.equal(failed.state, 'failed');
      const card = await until('the failed change’s card', () => postsIn(w.h, CONTOSO_CHANNEL.id)[before]);
      const text = textOf(validCard(card));
      assert.match(text, /A change request failed/);
      assert.match(text, new RegExp(`${failed.id} \\(bandwidth, requested by Dana\\)`));
      assert.match(text, /the change workflow/);
      const succeeded = await ask();
      assert.equal(succeeded.state, 'succeeded');
      const [alert] = await w.on(CIRCUITS.contosoAms, 'change-failed');
      await until('resolved', async () => (await w.h.app.alertStore.getAlert(alert!.id))?.state === 'resolved');
      await until('its card updated in place', () => updatesOf(w.h, card.id).some((u) => /Resolved at/.test(textOf(u))));
      assert.equal(postsIn(w.h, CONTOSO_CHANNEL.id).length, before + 1);
    });
  });

  describe('AlertIntake (the Azure Monitor webhook’s port)', () => {
    it('should join the watcher’s alert of the same key, naming both sources, without a new card', async () => {
      const before = postsIn(w.h, CONTOSO_CHANNEL.id).length;
      await w.cycleAt(10 * MIN + 1_000);
      await until('the watcher’s card', () => postsIn(w.h, CONTOSO_CHANNEL.id).length === before + 1);
      const [watcher] = await w.on(CIRCUITS.contosoAms, 'bgp-link-down');
      const joined = await w.h.app.alerts.ingest({
        circuitId: CIRCUITS.contosoAms,
        condition: 'bgp-link-down',
        peering: 'AzurePrivatePeering',
        link: 'primary',
        status: 'firing',
        evidence: ['Azure Monitor metric alert "er-bgp-primary": BgpAvailability < 100'],
        source: 'azure-monitor',
      });
      assert.equal(joined?.id, watcher?.id);
      assert.deepEqual(joined?.sources, ['watcher', 'azure-monitor']);
      const card = postsIn(w.h, CONTOSO_CHANNEL.id)[before]!;
      await until('the card names both sources', () =>
        updatesOf(w.h, card.id).some((u) => /the bot’s own checks, Azure Monitor/.test(textOf(u))),
      );
      // The watcher reads the same metrics: Azure Monitor's "resolved" does not close what the watcher still sees.
      await w.h.app.alerts.ingest({ ...joinedSignal(), status: 'resolved' });
      assert.equal((await w.h.app.alertStore.getAlert(watcher!.id))?.state, 'firing');
      assert.equal(postsIn(w.h, CONTOSO_CHANNEL.id).length, before + 1);
    });

    it('should raise what only Azure Monitor saw at once, post it, and resolve it on Azure Monitor’s word', async () => {
      const before = postsIn(w.h, CONTOSO_CHANNEL.id).length;
      const raised = await w.h.app.alerts.ingest({
        circuitId: CIRCUITS.contosoPar,
        condition: 'azure-health',
        status: 'firing',
        evidence: ['Resource Health: Degraded (planned maintenance on the Microsoft edge)'],
        source: 'azure-monitor',
      });
      assert.equal(raised?.state, 'firing', 'no pending cycles for an external report');
      const card = await until('its card', () => postsIn(w.h, CONTOSO_CHANNEL.id)[before]);
      assert.match(textOf(validCard(card)), /Azure reports a health event[\s\S]*Resource Health: Degraded/);
      const again = await w.h.app.alerts.ingest({
        circuitId: CIRCUITS.contosoPar,
        condition: 'azure-health',
        status: 'firing',
        evidence: [],
        source: 'azure-monitor',
      });
      assert.equal(again, undefined, 'a repeat changes nothing');
      await w.h.app.alerts.ingest({
        circuitId: CIRCUITS.contosoPar,
        condition: 'azure-health',
        status: 'resolved',
        evidence: [],
        source: 'azure-monitor',
      });
      assert.equal((await w.h.app.alertStore.getAlert(raised.id))?.state, 'resolved');
    });

    it('should silence a circuit for planned maintenance: its alerts recorded, not posted', async () => {
      const now = w.clock.now();
      const silence = await w.h.app.alerts.silenceFor(
        CIRCUITS.northwindNyc1,
        now - 1_000,
        now + 60 * MIN,
        'Planned maintenance (Service Health)',
      );
      assert.equal(silence.customerId, 'northwind');
      assert.equal(silence.by.aadObjectId, 'system');
      const raised = await w.h.app.alerts.ingest({
        circuitId: CIRCUITS.northwindNyc1,
        condition: 'azure-health',
        status: 'firing',
        evidence: ['Planned'],
        source: 'azure-monitor',
      });
      assert.equal(raised?.silencedBy, silence.id);
    });

    it('should refuse a circuit whose subscription no customer has', async () => {
      await assert.rejects(
        w.h.app.alerts.ingest({ ...joinedSignal(), circuitId: CIRCUITS.contosoAms.replace(/1a1a1a1a/, '9f9f9f9f') }),
        (e: unknown) => e instanceof CodedError && e.code === ErrorCode.NotFound,
      );
    });
  });

  function joinedSignal() {
    return {
      circuitId: CIRCUITS.contosoAms,
      condition: 'bgp-link-down' as const,
      peering: 'AzurePrivatePeering',
      link: 'primary' as const,
      status: 'firing' as const,
      evidence: [],
      source: 'azure-monitor' as const,
    };
  }
});
