/** ARM's throttling model: a bucket of `capacity` tokens refilled continuously at `refillPerSecond`. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    readonly capacity: number,
    readonly refillPerSecond: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.updatedAt = now;
  }

  /** Takes one token if there is one. Returns what is left (floored), or -1 when the bucket is empty. */
  take(now: number): number {
    this.refill(now);
    if (this.tokens < 1) return -1;
    this.tokens -= 1;
    return Math.floor(this.tokens);
  }

  /** Whole seconds until one token is available (at least 1, as ARM never sends Retry-After: 0 on a 429). */
  secondsUntilToken(now: number): number {
    this.refill(now);
    const missing = Math.max(0, 1 - this.tokens);
    return Math.max(1, Math.ceil(missing / this.refillPerSecond));
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.refillPerSecond);
    this.updatedAt = now;
  }
}
