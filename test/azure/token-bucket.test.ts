import assert from 'node:assert/strict';
import { TokenBucket } from '../../src/azure/token-bucket';
import { backoffMs, retryAfterMs } from '../../src/azure/retry-delay';

function headers(h: Record<string, string>) {
  return { get: (name: string) => h[name.toLowerCase()] };
}

describe('token-bucket', () => {
  it('should allow a burst up to capacity, then ask to wait for the refill', () => {
    const b = new TokenBucket({ capacity: 3, refillPerSecond: 10 }, 0);
    assert.equal(b.tryTake(0), 0);
    assert.equal(b.tryTake(0), 0);
    assert.equal(b.tryTake(0), 0);
    assert.equal(b.tryTake(0), 100);
    assert.equal(b.tryTake(100), 0);
  });

  it('should never hold more than capacity', () => {
    const b = new TokenBucket({ capacity: 2, refillPerSecond: 10 }, 0);
    assert.equal(b.available(60_000), 2);
  });

  it('should believe ARM when it reports fewer tokens remaining', () => {
    const b = new TokenBucket({ capacity: 250, refillPerSecond: 25 }, 0);
    b.observeRemaining(0, 0);
    assert.equal(b.tryTake(0), 40);
    b.observeRemaining(1000, 40);
    assert.ok(b.available(40) <= 1.0001);
  });

  it('should refuse everything while paused after a 429', () => {
    const b = new TokenBucket({ capacity: 10, refillPerSecond: 10 }, 0);
    b.pauseUntil(3000);
    assert.equal(b.tryTake(1000), 2000);
    assert.equal(b.tryTake(3000), 0);
  });
});

describe('retry-delay', () => {
  it('should prefer retry-after-ms, then x-ms-retry-after-ms, then Retry-After seconds', () => {
    assert.equal(retryAfterMs(headers({ 'retry-after-ms': '250', 'retry-after': '9' }), 0), 250);
    assert.equal(retryAfterMs(headers({ 'x-ms-retry-after-ms': '120', 'retry-after': '9' }), 0), 120);
    assert.equal(retryAfterMs(headers({ 'retry-after': '7' }), 0), 7000);
  });

  it('should read an HTTP-date Retry-After relative to now', () => {
    const now = Date.UTC(2025, 0, 1, 0, 0, 0);
    assert.equal(retryAfterMs(headers({ 'retry-after': new Date(now + 5000).toUTCString() }), now), 5000);
  });

  it('should return undefined when ARM gives no hint or garbage', () => {
    assert.equal(retryAfterMs(headers({}), 0), undefined);
    assert.equal(retryAfterMs(headers({ 'retry-after': 'soon' }), 0), undefined);
  });

  it('should back off exponentially within [ceiling/2, ceiling] and never past the maximum', () => {
    assert.equal(
      backoffMs(1, 500, 20_000, () => 0),
      250,
    );
    assert.equal(
      backoffMs(1, 500, 20_000, () => 1),
      500,
    );
    assert.equal(
      backoffMs(3, 500, 20_000, () => 1),
      2000,
    );
    assert.equal(
      backoffMs(20, 500, 20_000, () => 1),
      20_000,
    );
  });
});
