import assert from 'node:assert/strict';
import { TableClient } from '@azure/data-tables';
import { RestError, type PipelinePolicy } from '@azure/core-rest-pipeline';
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
  /** A store, and its alerts table as a plain client: what a test writes or reads behind the store's back. */
  const storeAndTable = async (tablePrefix: string) => ({
    store: await TableAlertStore.open(optionsFor(tablePrefix)),
    table: TableClient.fromConnectionString(azurite.connectionString, tableNames(tablePrefix).alerts, { allowInsecureConnection: true }),
  });

  describeAlertStoreContract('TableAlertStore (two instances on one Azurite)', async () => {
    const options = optionsFor(`a${process.pid}x${++n}`);
    return [await TableAlertStore.open(options), await TableAlertStore.open(options)];
  });

  describe('the watch gaps', () => {
    it('should pass over a gap row that cannot be read, and replace it when that customer next cannot be read', async () => {
      const prefix = `gaps${process.pid}x${++n}`;
      const { store, table } = await storeAndTable(prefix);
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

  describe('the watch gaps, when a write lands but its answer is lost', () => {
    /**
     * A policy that lets the first matching write through to Azurite, then throws as a reset connection would, so
     * the write is made and its answer never comes. `perRetry` sits under the SDK's retry policy (which sends the
     * write again and gets 412); `perCall` above it (the error reaches the store's caller).
     */
    function loseAnswer(position: 'perRetry' | 'perCall', matches: (body: string) => boolean) {
      const seen = { lost: 0 };
      const policy: PipelinePolicy = {
        name: 'lose-answer',
        async sendRequest(request, next) {
          const body = typeof request.body === 'string' ? request.body : '';
          const response = await next(request);
          if (seen.lost === 0 && request.method === 'PUT' && request.url.includes("PartitionKey='gaps'") && matches(body)) {
            seen.lost += 1;
            throw new RestError('socket hang up', { code: 'ECONNRESET' });
          }
          return response;
        },
      };
      return { seen, additionalPolicies: [{ policy, position }] };
    }
    const gapsOf = (store: TableAlertStore) => store.listWatchGaps(['contoso']);

    it('should never remove a gap opened between a close’s mark and its removal', async () => {
      const options = optionsFor(`between${process.pid}x${++n}`);
      const other = await TableAlertStore.open(options);
      let opened = false;
      // Right after the mark lands, another instance finds the customer unreadable anew: the marked row is no gap, so it opens one.
      const policy: PipelinePolicy = {
        name: 'open-between',
        async sendRequest(request, next) {
          const response = await next(request);
          if (!opened && request.method === 'PUT' && typeof request.body === 'string' && request.body.includes('"closedBy":"A"')) {
            opened = true;
            await other.openWatchGap('contoso', 9_000);
          }
          return response;
        },
      };
      const closer = await TableAlertStore.open({ ...options, additionalPolicies: [{ policy, position: 'perCall' }] });
      try {
        await other.openWatchGap('contoso', 1_000);
        assert.deepEqual(await closer.closeWatchGap('contoso', 1_000, 'A'), { customerId: 'contoso', since: 1_000, told: false });
        assert.ok(opened);
        assert.deepEqual(await gapsOf(other), [{ customerId: 'contoso', since: 9_000, told: false }], 'the newer gap stands');
      } finally {
        await Promise.all([closer.close(), other.close()]);
      }
    });

    for (const position of ['perRetry', 'perCall'] as const) {
      it(`should take a tell back though the answer to that write was lost (${position})`, async () => {
        const untell = loseAnswer(position, (body) => body.includes('"told":false,"toldBy":""'));
        const options = optionsFor(`untell${process.pid}x${++n}`);
        const [a, c] = [
          await TableAlertStore.open({ ...options, additionalPolicies: untell.additionalPolicies }),
          await TableAlertStore.open(options),
        ];
        try {
          await c.openWatchGap('contoso', 1_000);
          assert.equal(await c.tellWatchGap('contoso', 1_000, 'A'), true);
          if (position === 'perRetry') await a.untellWatchGap('contoso', 1_000, 'A');
          else {
            await assert.rejects(a.untellWatchGap('contoso', 1_000, 'A'));
            await a.untellWatchGap('contoso', 1_000, 'A');
          }
          assert.equal(untell.seen.lost, 1, 'an answer was lost');
          assert.deepEqual(await gapsOf(c), [{ customerId: 'contoso', since: 1_000, told: false }], 'taken back');
          assert.equal(await c.tellWatchGap('contoso', 1_000, 'C'), true, 'told anew');
        } finally {
          await Promise.all([a.close(), c.close()]);
        }
      });

      it(`should count a tell and a close as made by their caller, found by its mark (${position})`, async () => {
        const tell = loseAnswer(position, (body) => body.includes('"toldBy":"A"'));
        const close = loseAnswer(position, (body) => body.includes('"closedBy":"A"'));
        const options = optionsFor(`lost${process.pid}x${++n}`);
        const [a, b, c] = [
          await TableAlertStore.open({ ...options, additionalPolicies: tell.additionalPolicies }),
          await TableAlertStore.open({ ...options, additionalPolicies: close.additionalPolicies }),
          await TableAlertStore.open(options),
        ];
        try {
          await c.openWatchGap('contoso', 1_000);
          if (position === 'perRetry') assert.equal(await a.tellWatchGap('contoso', 1_000, 'A'), true, 'the retry finds its own mark');
          else {
            await assert.rejects(a.tellWatchGap('contoso', 1_000, 'A'));
            assert.equal(await a.tellWatchGap('contoso', 1_000, 'A'), true, 'asked again, it finds its own mark');
          }
          assert.equal(tell.seen.lost, 1, 'an answer was lost');
          assert.equal(await c.tellWatchGap('contoso', 1_000, 'C'), false, 'told once');
          assert.deepEqual(await gapsOf(c), [{ customerId: 'contoso', since: 1_000, told: true }]);

          const closed = { customerId: 'contoso', since: 1_000, told: true };
          if (position === 'perRetry')
            assert.deepEqual(await b.closeWatchGap('contoso', 1_000, 'A'), closed, 'the retry finds its own mark');
          else {
            await assert.rejects(b.closeWatchGap('contoso', 1_000, 'A'));
            assert.deepEqual(await gapsOf(c), [], 'marked closed: no gap to anyone');
            assert.equal(await c.closeWatchGap('contoso', 1_000, 'C'), undefined, 'not closed by another');
            assert.deepEqual(await b.closeWatchGap('contoso', 1_000, 'A'), closed, 'asked again, it finds its own mark');
          }
          assert.equal(close.seen.lost, 1, 'an answer was lost');
          assert.deepEqual(await c.openWatchGap('contoso', 5_000), { customerId: 'contoso', since: 5_000, told: false }, 'a new gap');
        } finally {
          await Promise.all([a.close(), b.close(), c.close()]);
        }
      });
    }
  });

  describe('the id rows that find an alert’s partition', () => {
    it('should leave no id row behind for a create that lost the key, and keep the winner’s', async () => {
      const prefix = `ids${process.pid}x${++n}`;
      const { store, table } = await storeAndTable(prefix);
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
