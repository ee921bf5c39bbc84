import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteAlertStore } from '../../src/store';
import { describeAlertStoreContract } from './alert-store-contract';

const root = mkdtempSync(path.join(tmpdir(), 'erbot-alert-store-'));
let n = 0;

after(() => rmSync(root, { recursive: true, force: true }));

describeAlertStoreContract('SqliteAlertStore (two connections to one file)', async () => {
  const file = path.join(root, `db-${++n}`, 'erbot.sqlite');
  return [await SqliteAlertStore.open({ file }), await SqliteAlertStore.open({ file })];
});
