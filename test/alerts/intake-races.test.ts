import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AlertStore, AlertWrite } from '../../src/alerts/alert-store';
import { AlertWorkflow, type ExternalSignal } from '../../src/alerts/alert-workflow';
import { newAlertId } from '../../src/alerts/alert-ids';
import { AzureMonitorIntake } from '../../src/azure-monitor/azure-monitor-intake';
import { systemClock } from '../../src/clock';
import { Access } from '../../src/directory/access';
import { parseDirectory } from '../../src/directory/directory';
import { CodedError, ErrorCode } from '../../src/errors';
import { silentLogger } from '../../src/log';
import { SqliteAlertStore } from '../../src/store';
import { createServer, type BotServer } from '../../src/teams/create-server';
import { TOKEN, expressRoute, postAlert } from '../azure-monitor/support/payloads';
import { CIRCUITS, alertDirectory } from './support/alert-world';

/**
 * The real SQLite alert store, with another writer that gets in first: before each of the workflow's saves (while
 * `races` lasts), it writes what the save is about, as another instance (its watcher, a click) would. The
 * workflow's compare-and-set then loses for real.
 */
function racedStore(inner: AlertStore, state: { races: number }): AlertStore {
  const racer = async (writes: readonly AlertWrite[]) => {
    for (const w of writes) {
      if (w.expectVersion === undefined) {
        await inner.createAlert({ ...w.alert, id: newAlertId(), sources: ['watcher'] });
      } else {
        const stored = await inner.getAlert(w.alert.id);
        if (stored) await inner.updateAlert({ ...stored, updatedAt: stored.updatedAt + 1, version: stored.version + 1 }, stored.version);
      }
    }
  };
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'saveAlerts') {
        return async (writes: readonly AlertWrite[]) => {
          if (state.races > 0) {
            state.races--;
            await racer(writes);
          }
          return target.saveAlerts(writes);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const BGP_PRIMARY: ExternalSignal = {
  circuitId: CIRCUITS.contosoAms,
  condition: 'bgp-link-down',
  peering: 'AzurePrivatePeering',
  link: 'primary',
  status: 'firing',
  evidence: ['Azure Monitor rule "er-bgp": BgpAvailability 0%'],
  source: 'azure-monitor',
};

describe('alerts: a report that loses a write race', function () {
  this.timeout(30_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'erbot-intake-races-'));
  const access = new Access(parseDirectory(alertDirectory(), 'test directory'));
  let n = 0;
  let store: AlertStore;
  let workflow: AlertWorkflow;
  const races = { races: 0 };

  beforeEach(async () => {
    store = await SqliteAlertStore.open({ file: path.join(dir, `alerts-${++n}.sqlite`) });
    workflow = new AlertWorkflow({ store: racedStore(store, races), access, clock: systemClock, logger: silentLogger });
  });
  afterEach(async () => store.close());
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('should decide again on what won: a create beaten by the watcher’s joins the watcher’s alert', async () => {
    races.races = 1;
    const alert = await workflow.ingest(BGP_PRIMARY);
    assert.ok(alert, 'the report is recorded, not dropped');
    assert.deepEqual(alert.sources, ['watcher', 'azure-monitor']);
    const stored = await store.listAlerts({ customerIds: ['contoso'], resolvedSince: 0 });
    assert.deepEqual(
      stored.map((a) => [a.id, a.sources.join('+')]),
      [[alert.id, 'watcher+azure-monitor']],
    );
  });

  it('should retry an update that lost, and record it', async () => {
    const raised = await workflow.ingest(BGP_PRIMARY);
    assert.ok(raised);
    races.races = 2;
    const resolved = await workflow.ingest({ ...BGP_PRIMARY, status: 'resolved', evidence: [] });
    assert.equal(resolved?.state, 'resolved');
    assert.equal((await store.getAlert(raised.id))?.state, 'resolved');
  });

  it('should give up after a few rounds with a Conflict, never reporting success', async () => {
    const raised = await workflow.ingest(BGP_PRIMARY);
    assert.ok(raised);
    races.races = 1_000;
    await assert.rejects(
      workflow.ingest({ ...BGP_PRIMARY, status: 'resolved', evidence: [] }),
      (e: unknown) => e instanceof CodedError && e.code === ErrorCode.Conflict,
    );
    assert.equal((await store.getAlert(raised.id))?.state, 'firing');
    races.races = 0;
  });

  describe('POST /api/azure-alerts', () => {
    let server: BotServer;
    let url = '';
    beforeEach(async () => {
      const intake = new AzureMonitorIntake({
        intake: workflow,
        access,
        inventory: () => Promise.resolve({ circuits: [], failures: [] }),
        clock: systemClock,
        logger: silentLogger,
      });
      server = createServer({
        processActivity: () => Promise.resolve(),
        isReady: () => true,
        logger: silentLogger,
        azureAlerts: { token: TOKEN, receive: (body) => intake.receive(body) },
      });
      url = `http://127.0.0.1:${(await server.listen(0)).port}`;
    });
    afterEach(async () => server.close());

    it('should answer 503 with Retry-After while every write loses, so that Azure Monitor sends it again', async () => {
      races.races = 1_000;
      const r = await postAlert(url, expressRoute('metric-bgp-fired'));
      assert.equal(r.status, 503, JSON.stringify(r.body));
      assert.equal(r.headers.get('retry-after'), '10');
      const stored = await store.listAlerts({ customerIds: ['contoso'], resolvedSince: 0 });
      assert.ok(
        stored.every((a) => !a.sources.includes('azure-monitor')),
        'nothing of the report was recorded',
      );
      races.races = 0;
      const again = await postAlert(url, expressRoute('metric-bgp-fired'));
      assert.equal(again.status, 200, JSON.stringify(again.body));
    });
  });
});
