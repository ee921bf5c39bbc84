import assert from 'node:assert/strict';
import { type ChangeEvent, ChangeEvents } from '../../src/changes/change-events';
import type { ChangeRequest } from '../../src/changes/change-request';

describe('change events: delivery subscribes, the workflow never holds it', () => {
  const event = { type: 'transition', request: { id: 'CR-1' } as ChangeRequest, to: 'pending' } as ChangeEvent;

  it('should give every event to every subscriber, and stop after unsubscribing', () => {
    const hub = new ChangeEvents(() => undefined);
    const a: ChangeEvent[] = [];
    const b: ChangeEvent[] = [];
    hub.subscribe((e) => a.push(e));
    const stopB = hub.subscribe((e) => b.push(e));
    hub.emit(event);
    stopB();
    hub.emit(event);
    assert.equal(a.length, 2);
    assert.equal(b.length, 1);
  });

  it('should keep telling the others when one subscriber throws, and report the failure', () => {
    const failures: unknown[] = [];
    const hub = new ChangeEvents((e) => failures.push(e));
    const seen: ChangeEvent[] = [];
    hub.subscribe(() => {
      throw new Error('card update failed');
    });
    hub.subscribe((e) => seen.push(e));
    hub.emit(event);
    assert.equal(seen.length, 1);
    assert.equal(failures.length, 1);
  });
});
