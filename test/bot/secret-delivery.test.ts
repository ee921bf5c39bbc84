import assert from 'node:assert/strict';
import type { ProactiveSender } from '../../src/app/change-delivery';
import type { Reply } from '../../src/app/reply';
import { referenceKey } from '../../src/app/request-views';
import { SEA, startChangeKit, type ChangeKit } from '../changes/support/change-kit';
import { deliveryFor } from '../support/change-delivery-kit';

/**
 * A succeeded authorization's key goes to its requester's 1:1 chat on its own, and only there: a saved
 * conversation that does not say it is a 1:1 chat (one an older version saved without a type) gets nothing.
 */
describe('change delivery: a key is sent only to a chat that says it is 1:1', function () {
  this.timeout(30_000);
  let k: ChangeKit;
  afterEach(async () => {
    await k?.close();
  });

  async function deliverTo(reference: Record<string, unknown>): Promise<Reply[]> {
    const sent: Reply[] = [];
    const sender: ProactiveSender = {
      send: (_ref, reply) => {
        sent.push(reply);
        return Promise.resolve('activity');
      },
      update: () => Promise.resolve(),
    };
    const engineer = k.people.engineer;
    await k.store.saveReference(referenceKey.user(engineer.aadObjectId), reference);
    const { delivery, background } = deliveryFor(k, sender, { secrets: true });
    const r = await k.workflow.request(engineer, 'fabrikam', SEA, 'authorization', {
      action: 'create',
      name: `auth-${sent.length}-${Date.now() % 100000}`,
    });
    const done = await (await k.workflow.approve(k.people.approvers[0]!, r.id)).execution;
    assert.equal(done?.state, 'succeeded');
    delivery.onEvent({ type: 'transition', request: done, from: 'executing', to: 'succeeded' });
    await background.drain();
    return sent.filter((reply) => reply.kind === 'card' && /key/i.test(reply.summary));
  }

  it('should not send the key to a saved chat without a conversation type', async () => {
    k = await startChangeKit();
    assert.deepEqual(await deliverTo({ conversation: { id: 'a:shared-or-not' }, serviceUrl: 'https://example.invalid' }), []);
  });

  it('should send it to a saved 1:1 chat', async () => {
    k = await startChangeKit();
    const sent = await deliverTo({ conversation: { id: 'a:dana', conversationType: 'personal' }, serviceUrl: 'https://example.invalid' });
    assert.equal(sent.length, 1);
  });
});
