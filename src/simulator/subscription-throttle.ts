import { ARM_THROTTLE_DEFAULTS, type SimulatorSettings } from './simulator-settings';
import { TokenBucket } from './token-bucket';

export type ThrottleKind = 'reads' | 'writes';

export type ThrottleVerdict = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

/** Per-subscription read and write buckets. Settings are read live so tests can change them mid-run. */
export class SubscriptionThrottle {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly settings: () => SimulatorSettings) {}

  take(subscriptionId: string, kind: ThrottleKind, now: number): ThrottleVerdict | undefined {
    const throttle = this.settings().throttle;
    if (throttle === false) return undefined;
    const config = throttle?.[kind] ?? ARM_THROTTLE_DEFAULTS[kind];
    const key = `${subscriptionId.toLowerCase()}|${kind}|${config.capacity}|${config.refillPerSecond}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(config.capacity, config.refillPerSecond, now);
      this.buckets.set(key, bucket);
    }
    const remaining = bucket.take(now);
    if (remaining >= 0) return { allowed: true, remaining };
    return { allowed: false, retryAfterSeconds: bucket.secondsUntilToken(now) };
  }
}

/** ARM counts every POST as a write, the POST-style device reads included; only GET (and HEAD) are reads. */
export function throttleKindOf(method: string): ThrottleKind {
  return method === 'GET' || method === 'HEAD' ? 'reads' : 'writes';
}
