import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Clock } from '../../src/clock';
import { ChangeRequest } from '../../src/changes/change-request';
import { SqliteChangeStore } from '../../src/store';

let root: string | undefined;
let n = 0;

/**
 * A fresh, empty store on a real SQLite file, for tests that need a ChangeStore without being about one: the
 * store the bot runs with, not a stand-in. Files go into one temp folder per test process, removed at exit.
 */
export function openTempSqliteStore(options: { clock?: Clock } = {}): Promise<SqliteChangeStore> {
  if (root === undefined) {
    const dir = mkdtempSync(path.join(tmpdir(), 'erbot-test-stores-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    root = dir;
  }
  return SqliteChangeStore.open({ file: path.join(root, `store-${++n}.sqlite`), ...options });
}

/**
 * Overwrites a stored request behind the store's back, as a crashed process or a forged row would have left it:
 * no version bump, no audit entry. Approval rows are left as they are.
 */
export function overwriteStoredRequest(store: SqliteChangeStore, request: ChangeRequest): void {
  const r = ChangeRequest.parse(request);
  const db = new Database(store.file);
  try {
    const changed = db
      .prepare('UPDATE requests SET customer_id = ?, state = ?, version = ?, updated_at = ?, json = ? WHERE id = ?')
      .run(r.customerId, r.state, r.version, Math.floor(r.updatedAt), JSON.stringify(r), r.id);
    if (changed.changes !== 1) throw new Error(`no stored change request ${r.id} to overwrite`);
  } finally {
    db.close();
  }
}
