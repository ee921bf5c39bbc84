/** ARM's own model: a bucket per subscription and principal that refills continuously. */
export interface BucketLimits {
  capacity: number;
  refillPerSecond: number;
}

/**
 * A token bucket driven by an injected time source. It also learns from ARM: when ARM reports fewer tokens
 * left than we think (other instances or tools share the same principal), we believe ARM.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private pausedUntil = 0;

  constructor(
    private readonly limits: BucketLimits,
    now: number,
  ) {
    this.tokens = limits.capacity;
    this.updatedAt = now;
  }

  /** Takes a token and returns 0, or returns how long to wait before asking again. */
  tryTake(now: number): number {
    this.refill(now);
    if (now < this.pausedUntil) return this.pausedUntil - now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - this.tokens) / this.limits.refillPerSecond) * 1000));
  }

  /** ARM's `x-ms-ratelimit-remaining-*` header: never think we have more than ARM says. */
  observeRemaining(remaining: number, now: number): void {
    this.refill(now);
    if (Number.isFinite(remaining) && remaining >= 0) this.tokens = Math.min(this.tokens, remaining);
  }

  /** After a 429 nobody in this subscription should call until ARM's Retry-After has passed. */
  pauseUntil(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  available(now: number): number {
    this.refill(now);
    return this.tokens;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.limits.capacity, this.tokens + (elapsed / 1000) * this.limits.refillPerSecond);
    this.updatedAt = now;
  }
}
