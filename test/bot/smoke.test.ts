import { strict as assert } from 'node:assert';
import { Harness, cardOf, textOf } from '../support/harness';

describe('smoke', function () {
  let h: Harness;
  before(async () => {
    h = await Harness.start();
  });
  after(async () => h?.stop());

  it('answers help', async () => {
    const reply = await h.say({ aadObjectId: 'demo-engineer' }, 'help');
    console.log(JSON.stringify(cardOf(reply)).slice(0, 500));
  });
  it('answers status', async () => {
    const reply = await h.say({ aadObjectId: 'demo-engineer' }, 'status');
    console.log(textOf(reply).slice(0, 2000));
    assert.ok(cardOf(reply));
  });
});
