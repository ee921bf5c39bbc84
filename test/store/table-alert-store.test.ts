import assert from 'node:assert/strict';
import { TableClient } from '@azure/data-tables';
import { TableAlertStore } from '../../src/store';
import { tableNames } from '../../src/store/table-names';
import { startAzurite, type Azurite } from '../support/azurite';
import { describeAlertStoreContract, makeAlert } from './alert-store-contract';

describe('TableAlertStore', function () {
  this.timeout(20_000);
  let azurite: Azurite;
  let n = 0;

  before(async () => {
    azurite = await startAzurite();
  });
  after(async () => {
    await azurite?.stop();
  });

  const optionsFor = (tablePrefix: string) => ({ connectionString: azurite.connectionString, tablePrefix, allowInsecureConnection: true });

  describeAlertStoreContract('TableAlertStore (two instances on one Azurite)', async () => {
    const options = optionsFor(`a${process.pid}x${++n}`);
    return [await TableAlertStore.open(options), await TableAlertStore.open(options)];
  });

  describe('the watch gaps', () => {
    it('should pass over a gap row that cannot be read, and replace it when that customer next cannot be read', async () => {
      const prefix = `gaps${process.pid}x${++n}`;
      const store = await TableAlertStore.open(optionsFor(prefix));
      const table = TableClient.fromConnectionString(azurite.connectionString, tableNames(prefix).alerts, {
        allowInsecureConnection: true,
      });
      try {
        await store.openWatchGap('fabrikam', 1_000);
        // Edited by hand: `since` as text. And a row whose customer is not its key.
        await table.createEntity({ partitionKey: 'gaps', rowKey: 'contoso', customerId: 'contoso', since: 'yesterday', told: true });
        await table.createEntity({ partitionKey: 'gaps', rowKey: 'northwind', customerId: 'fabrikam', since: 5, told: true });
        assert.deepEqual(await store.listWatchGaps(['contoso', 'fabrikam', 'northwind']), [
          { customerId: 'fabrikam', since: 1_000, told: false },
        ]);
        assert.equal(await store.tellWatchGap('contoso', 0, 'A'), false);
        assert.equal(await store.closeWatchGap('contoso', 0, 'A'), undefined);
        assert.deepEqual(await store.openWatchGap('contoso', 2_000), { customerId: 'contoso', since: 2_000, told: false }, 'replaced');
        assert.equal(await store.tellWatchGap('contoso', 2_000, 'A'), true);
        assert.deepEqual(await store.closeWatchGap('contoso', 2_000, 'A'), { customerId: 'contoso', since: 2_000, told: true });
      } finally {
        await store.close();
      }
    });
  });

  describe('the id rows that find an alert’s partition', () => {
    it('should leave no id row behind for a create that lost the key, and keep the winner’s', async () => {
      const prefix = `ids${process.pid}x${++n}`;
      const store = await TableAlertStore.open(optionsFor(prefix));
      const table = TableClient.fromConnectionString(azurite.connectionString, tableNames(prefix).alerts, {
        allowInsecureConnection: true,
      });
      const idRow = async (id: string) => {
        try {
          return await table.getEntity('ids', id);
        } catch {
          return undefined;
        }
      };
      try {
        const winner = makeAlert();
        const loser = makeAlert();
        assert.equal(await store.createAlert(winner), true);
        assert.equal(await store.createAlert(loser), false, 'same key');
        assert.ok(await idRow(winner.id), 'the winner is found by its id');
        assert.equal(await idRow(loser.id), undefined, 'no orphan id row');
        assert.equal(await store.createAlert(winner), false, 'the same create again');
        assert.deepEqual(await store.getAlert(winner.id), winner, 'a repeated create keeps the id row of the alert it found');
      } finally {
        await store.close();
      }
    });
  });
});
