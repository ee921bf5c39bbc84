import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Alert } from '../../src/alerts/alert';
import { SqliteAlertStore } from '../../src/store';
import { describeAlertStoreContract, makeAlert } from './alert-store-contract';

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

  it('should not claim a row whose version column and JSON disagree', async () => {
    const { store, alert, db } = await storeWithRow('UPDATE alerts SET version = 5 WHERE id = ?');
    assert.deepEqual(await store.claimAlerts([{ id: alert.id, customerId: alert.customerId, expectVersion: 5 }], claim), [undefined]);
    db.close();
    await store.close();
  });
});
