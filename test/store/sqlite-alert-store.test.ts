import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Alert } from '../../src/alerts/alert';
import { SqliteAlertStore } from '../../src/store';
import { describeAlertStoreContract, makeAlert } from './alert-store-contract';
import { raceClaimsInTwoProcesses } from './fork-store-child';

const root = mkdtempSync(path.join(tmpdir(), 'erbot-alert-store-'));
let n = 0;

after(() => rmSync(root, { recursive: true, force: true }));

describeAlertStoreContract('SqliteAlertStore (two connections to one file)', async () => {
  const file = path.join(root, `db-${++n}`, 'erbot.sqlite');
  return [await SqliteAlertStore.open({ file }), await SqliteAlertStore.open({ file })];
});

describe('SqliteAlertStore: rows changed outside the store', () => {
  const T0 = Date.UTC(2026, 0, 5, 3, 0, 0);
  const claim = { groupId: 'G-HAND1', claimedAt: T0 + 1_000 };

  async function storeWithRow(change: string): Promise<{ store: SqliteAlertStore; alert: Alert; db: Database.Database }> {
    const file = path.join(root, `hand-${++n}`, 'erbot.sqlite');
    const store = await SqliteAlertStore.open({ file });
    const alert = makeAlert();
    assert.ok(await store.createAlert(alert));
    const db = new Database(file);
    db.prepare(change).run(alert.id);
    return { store, alert, db };
  }

  it('should claim what the row says now, not what this connection wrote before', async () => {
    const { store, alert, db } = await storeWithRow(
      `UPDATE alerts SET json = json_set(json, '$.evidence', json('["changed by hand"]')) WHERE id = ?`,
    );
    const [claimed] = await store.claimAlerts([{ id: alert.id, customerId: alert.customerId, expectVersion: 1 }], claim);
    assert.deepEqual(claimed?.evidence, ['changed by hand']);
    assert.deepEqual(await store.getAlert(alert.id), claimed);
    db.close();
    await store.close();
  });

  it('should refuse to claim a row that no longer reads as an alert, and leave it as it is', async () => {
    const { store, alert, db } = await storeWithRow(`UPDATE alerts SET json = json_set(json, '$.evidence', 7) WHERE id = ?`);
    await assert.rejects(
      store.claimAlerts([{ id: alert.id, customerId: alert.customerId, expectVersion: 1 }], claim),
      new RegExp(alert.id),
    );
    const row = db.prepare('SELECT version, group_id AS groupId FROM alerts WHERE id = ?').get(alert.id);
    assert.deepEqual(row, { version: 1, groupId: null });
    db.close();
    await store.close();
  });

  for (const [what, change] of [
    ['version', 'UPDATE alerts SET version = 5 WHERE id = ?'],
    ['customer', `UPDATE alerts SET version = 5, json = json_set(json, '$.customerId', 'fabrikam', '$.version', 5) WHERE id = ?`],
  ] as const) {
    it(`should not claim a row whose ${what} column and JSON disagree`, async () => {
      const { store, alert, db } = await storeWithRow(change);
      assert.deepEqual(await store.claimAlerts([{ id: alert.id, customerId: alert.customerId, expectVersion: 5 }], claim), [undefined]);
      db.close();
      await store.close();
    });
  }
});

describe('SqliteAlertStore: claims', () => {
  const T0 = Date.UTC(2026, 0, 5, 3, 0, 0);

  it('should write a claimed alert as checking it gives it back, so every connection can remember it', async () => {
    const file = path.join(root, `order-${++n}`, 'erbot.sqlite');
    const [a, b] = [await SqliteAlertStore.open({ file }), await SqliteAlertStore.open({ file })];
    const alert = makeAlert();
    assert.ok(await a.createAlert(alert));
    await b.claimAlerts([{ id: alert.id, customerId: alert.customerId, expectVersion: 1 }], { groupId: 'G-ORDER1', claimedAt: T0 });
    const db = new Database(file, { readonly: true });
    const { json } = db.prepare('SELECT json FROM alerts WHERE id = ?').get(alert.id) as { json: string };
    db.close();
    assert.equal(json, JSON.stringify(Alert.parse(JSON.parse(json))));
    await a.close();
    await b.close();
  });

  it('should give each alert to exactly one of two processes claiming them at once', async function () {
    this.timeout(30_000);
    const file = path.join(root, `race-${++n}`, 'erbot.sqlite');
    const store = await SqliteAlertStore.open({ file });
    const alerts = Array.from({ length: 200 }, (_, i) => makeAlert({ key: `k-claim-${i}` }));
    for (const alert of alerts) assert.ok(await store.createAlert(alert));
    const reports = await raceClaimsInTwoProcesses(
      file,
      alerts.map((x) => ({ id: x.id, customerId: x.customerId, expectVersion: 1 })),
    );
    for (const alert of alerts) {
      const winners = reports.filter((r) => r.won.includes(alert.id));
      assert.equal(winners.length, 1, `${alert.id} claimed once`);
      const stored = await store.getAlert(alert.id);
      assert.equal(stored?.groupId, winners[0]?.groupId);
      assert.equal(stored?.version, 2);
    }
    const overlap = Math.min(...reports.map((r) => r.endedAt)) - Math.max(...reports.map((r) => r.startedAt));
    assert.ok(overlap > 0, `the two processes were claiming at the same time (won: ${reports.map((r) => r.won.length).join(', ')})`);
    await store.close();
  });
});
