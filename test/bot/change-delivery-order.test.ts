import assert from 'node:assert/strict';
import type { ProactiveSender } from '../../src/app/change-delivery';
import type { Reply } from '../../src/app/reply';
import { AMS, startChangeKit, type ChangeKit } from '../changes/support/change-kit';
import { deliveryFor } from '../support/change-delivery-kit';

/**
 * Cards never go back in time: an event that arrives after a newer state was already sent (a late progress
 * snapshot, a transition reported out of order) is dropped, even once the newer update has finished and its
 * per-request slot is gone.
 */
describe('change delivery: a card never shows an older state than it already showed', function () {
  this.timeout(30_000);
  let k: ChangeKit;
  afterEach(async () => {
    await k?.close();
  });

  it('should drop late events at or below the version already shown', async () => {
    k = await startChangeKit();
    const pending = await k.workflow.request(k.people.engineer, 'contoso', AMS, 'bandwidth', { bandwidthMbps: 2000 });
    await k.store.saveReference('conv:room', { conversation: { id: 'room' }, serviceUrl: 'https://example.invalid' });
    await k.store.addCardPost({ requestId: pending.id, conversationKey: 'conv:room', activityId: 'activity-1', audience: 'shared' });
    // A shared conversation gets a request's updates only while it is linked to the request's customer.
    await k.store.linkConversation('room', 'contoso');

    const shown: string[] = [];
    const sender: ProactiveSender = {
      send: () => Promise.resolve('new-activity'),
      update: (_reference: unknown, _activityId: string, reply: Reply) => {
        shown.push(reply.kind === 'card' ? reply.summary : reply.text);
        return Promise.resolve();
      },
    };
    const { delivery, background } = deliveryFor(k, sender);

    const cancelled = await k.workflow.cancel(k.people.engineer, pending.id);
    delivery.onEvent({ type: 'transition', request: cancelled, from: 'pending', to: 'cancelled' });
    await background.drain();
    assert.deepEqual(shown, [`${pending.id} (${pending.circuitName}): cancelled`]);

    // Late, older news: the card must stay cancelled.
    delivery.onEvent({ type: 'transition', request: pending, to: 'pending' });
    delivery.onEvent({ type: 'progress', request: pending, status: 'InProgress', elapsedMs: 10 });
    // The same version again is a repeat, not news.
    delivery.onEvent({ type: 'transition', request: cancelled, from: 'pending', to: 'cancelled' });
    await background.drain();
    assert.deepEqual(shown, [`${pending.id} (${pending.circuitName}): cancelled`], 'no update went backwards or repeated');
  });
});
