import { TableAlertStore } from '../../src/store';
import { startAzurite, type Azurite } from '../support/azurite';
import { describeAlertStoreContract } from './alert-store-contract';

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

  describeAlertStoreContract('TableAlertStore (two instances on one Azurite)', async () => {
    const options = { connectionString: azurite.connectionString, tablePrefix: `a${process.pid}x${++n}`, allowInsecureConnection: true };
    return [await TableAlertStore.open(options), await TableAlertStore.open(options)];
  });
});
