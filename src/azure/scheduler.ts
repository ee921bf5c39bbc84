import type { PipelinePolicy, PipelineRequest, PipelineResponse, SendRequest } from '@azure/core-rest-pipeline';
import { isRestError, RestError } from '@azure/core-rest-pipeline';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { subscriptionOfArmId } from '../network/arm-id';
import { ConcurrencyLimit } from './concurrency-limit';
import { abortError, REFUSED_ANSWER_CODES } from './lean-http-client';
import { backoffMs, retryAfterMs } from './retry-delay';
import { type BucketLimits, TokenBucket } from './token-bucket';

export interface ArmLimits {
  /** ARM: 250 tokens refilled at 25/s per subscription and principal. */
  reads: BucketLimits;
  /** ARM: 200 tokens refilled at 10/s. ARM counts POST (e.g. route table reads) as writes. */
  writes: BucketLimits;
  /** Azure Resource Graph: 15 queries per 5 seconds per principal (one principal per customer tenant). */
  resourceGraph: BucketLimits;
  /** Azure Monitor metrics (metrics:getBatch), per principal. */
  metrics: BucketLimits;
  maxConcurrency: number;
  maxConcurrencyPerSubscription: number;
  /**
   * Calls nobody is waiting for (PolicyContext.background: the watcher's ~460 Resource Graph and metrics calls a
   * cycle) in flight at once, within maxConcurrency. Every call in flight is a connection, a TLS handshake after
   * a start and an answer held in memory; a background cycle may take longer instead. Measured over 2,000
   * circuits (50 ms latency): 32 rather than 128 cuts the first cycle's CPU by ~0.1–0.2 s for ~0.3 s more wall
   * time. A read someone asked for (`status` across the fleet) keeps the full maxConcurrency.
   */
  maxConcurrencyBackground: number;
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /** No retry starts once this much time has passed since the first attempt. */
  maxTotalMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long one attempt may wait for ARM's response before it counts as a dropped connection. */
  attemptTimeoutMs: number;
}

export const DEFAULT_ARM_LIMITS: ArmLimits = {
  reads: { capacity: 250, refillPerSecond: 25 },
  writes: { capacity: 200, refillPerSecond: 10 },
  resourceGraph: { capacity: 15, refillPerSecond: 3 },
  metrics: { capacity: 100, refillPerSecond: 20 },
  maxConcurrency: 128,
  maxConcurrencyPerSubscription: 32,
  maxConcurrencyBackground: 32,
  maxAttempts: 4,
  maxTotalMs: 60_000,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  attemptTimeoutMs: 30_000,
};

/** The three budgets a request can draw on, and what it is for the request counts by kind. */
export type RequestKind = 'resourceGraph' | 'metrics' | 'armRead' | 'deviceRead' | 'poll' | 'armWrite';

export interface ArmSchedulerStats {
  /** HTTP requests sent to ARM, retries included. */
  requests: number;
  /** The same requests by kind: Resource Graph, metrics (getBatch or per resource), ARM GETs, device reads, LRO polls, writes. */
  byKind: Record<RequestKind, number>;
  /** Of those, the ones nobody was waiting for (PolicyContext.background: the watcher's). */
  background: number;
  retries: number;
  throttled429: number;
  serverErrors: number;
  connectionErrors: number;
}

export interface ArmSchedulerOptions {
  clock: Clock;
  logger: Logger;
  limits?: Partial<ArmLimits>;
  /** For the backoff jitter; tests pass a fixed one. */
  random?: () => number;
}

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const ARM_SCHEDULER_POLICY_NAME = 'armSchedulerPolicy';
const RESOURCE_GRAPH_PATH = /^\/providers\/microsoft\.resourcegraph\/resources$/i;
const METRICS_PATH = /(\/metrics:getbatch$|\/providers\/microsoft\.insights\/metrics$)/i;
const DEVICE_READ_PATH = /\/peerings\/[^/]+\/(routetables|routetablessummary|arptables)\/[^/]+$/i;
const OPERATION_PATH = /\/providers\/microsoft\.network\/locations\/[^/]+\/(operations|operationresults)\//i;

interface SubscriptionState {
  reads: TokenBucket;
  writes: TokenBucket;
  slots: ConcurrencyLimit;
}

/** Who a client's requests are made as: Resource Graph and metrics budgets are per principal, i.e. per tenant. */
export interface PolicyContext {
  tenantId: string;
  /** Nobody is waiting for the answer (the watcher's reads): it queues for one of maxConcurrencyBackground slots. */
  background?: boolean;
}

/** Which budget a request draws on and how it is counted. */
export function requestKindOf(method: string, url: URL): RequestKind {
  const path = url.pathname;
  if (RESOURCE_GRAPH_PATH.test(path)) return 'resourceGraph';
  if (METRICS_PATH.test(path) || /\.metrics\.monitor\.azure\./i.test(url.hostname)) return 'metrics';
  if (READ_METHODS.has(method)) return OPERATION_PATH.test(path) ? 'poll' : 'armRead';
  return method === 'POST' && DEVICE_READ_PATH.test(path) ? 'deviceRead' : 'armWrite';
}

/**
 * ARM reports the quota left in `x-ms-ratelimit-remaining-subscription-*`; Resource Graph in
 * `x-ms-user-quota-remaining`, with `x-ms-user-quota-resets-after` (hh:mm:ss) saying when it is full again.
 */
export function quotaResetMs(headers: { get(name: string): string | undefined }): number | undefined {
  const value = headers.get('x-ms-user-quota-resets-after');
  const m = value ? /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(value.trim()) : null;
  if (!m) return undefined;
  return Math.round((Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000);
}

/**
 * Every ARM request goes through here: it waits for a token in the subscription's bucket and a free slot,
 * then retries throttling, server errors and dropped connections the way ARM asks. Installed as the only
 * retry policy of every ARM client so that retries are ours alone and counted.
 */
export class ArmScheduler {
  readonly limits: ArmLimits;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly random: () => number;
  private readonly global: ConcurrencyLimit;
  private readonly background: ConcurrencyLimit;
  private readonly subscriptions = new Map<string, SubscriptionState>();
  private readonly principals = new Map<string, { resourceGraph: TokenBucket; metrics: TokenBucket; slots: ConcurrencyLimit }>();
  private readonly counters: ArmSchedulerStats = {
    requests: 0,
    byKind: { resourceGraph: 0, metrics: 0, armRead: 0, deviceRead: 0, poll: 0, armWrite: 0 },
    background: 0,
    retries: 0,
    throttled429: 0,
    serverErrors: 0,
    connectionErrors: 0,
  };

  constructor(options: ArmSchedulerOptions) {
    this.limits = { ...DEFAULT_ARM_LIMITS, ...options.limits };
    this.clock = options.clock;
    this.logger = options.logger;
    this.random = options.random ?? Math.random;
    this.global = new ConcurrencyLimit(this.limits.maxConcurrency);
    this.background = new ConcurrencyLimit(this.limits.maxConcurrencyBackground);
  }

  stats(): ArmSchedulerStats {
    return { ...this.counters, byKind: { ...this.counters.byKind } };
  }

  /**
   * Tokens left now in the subscription's write bucket (which device reads draw on), so that background work
   * can stand aside while users need them.
   */
  writeTokens(subscriptionId: string): number {
    return this.state(subscriptionId.toLowerCase()).writes.available(this.clock.now());
  }

  /** A core-rest-pipeline policy; put it in the Retry phase in place of the SDK's default retry policy. */
  policy(context: PolicyContext = { tenantId: '' }): PipelinePolicy {
    return { name: ARM_SCHEDULER_POLICY_NAME, sendRequest: (request, next) => this.send(request, next, context) };
  }

  async send(request: PipelineRequest, next: SendRequest, context: PolicyContext = { tenantId: '' }): Promise<PipelineResponse> {
    const url = new URL(request.url);
    const path = url.pathname;
    const method = request.method.toUpperCase();
    const kind = requestKindOf(method, url);
    const sub = this.state(subscriptionOf(path));
    const principal = this.principal(context.tenantId);
    // Resource Graph and metrics have budgets of their own, per principal; everything else is ARM's, per
    // subscription, where POST (device reads included) counts as a write.
    const bucket =
      kind === 'resourceGraph'
        ? principal.resourceGraph
        : kind === 'metrics'
          ? principal.metrics
          : READ_METHODS.has(method)
            ? sub.reads
            : sub.writes;
    const slots = kind === 'resourceGraph' || kind === 'metrics' ? principal.slots : sub.slots;
    // Callers pass real AbortSignals (the SDK clients' wrapAbortSignalLikePolicy makes them so; the lean clients take only those).
    const signal = request.abortSignal as AbortSignal | undefined;
    const startedAt = this.clock.now();
    // Our own attempt timer instead of the HTTP client's `request.timeout`: the client leaves that one running
    // when a request fails (a reset connection, a cancelled poll), holding the process open for up to 30 s.
    const attemptTimeoutMs = request.timeout || this.limits.attemptTimeoutMs;
    request.timeout = 0;

    // A 429 that says when to come back is ARM pacing us, not failing: it is bounded by maxTotalMs only, so a
    // throttled subscription never turns into an error while waiting would succeed. Other failures count.
    let failures = 0;
    for (let attempt = 1; ; attempt++) {
      // A cancelled request takes no slot, no token and no count.
      if (signal?.aborted) throw abortError('The request to ARM was cancelled.');
      // The background slot before any other: a background call queued for it must not hold a tenant's,
      // a subscription's or a global slot that the calls someone is waiting for need.
      const releaseBackground = context.background ? await this.background.acquire(signal) : undefined;
      let releaseSub: (() => void) | undefined;
      let releaseGlobal: (() => void) | undefined;
      let response: PipelineResponse | undefined;
      let failure: unknown;
      let sentAt = this.clock.now();
      try {
        releaseSub = await slots.acquire(signal);
        releaseGlobal = await this.global.acquire(signal);
        await this.takeToken(bucket, signal);
        this.counters.requests += 1;
        this.counters.byKind[kind] += 1;
        if (context.background) this.counters.background += 1;
        sentAt = this.clock.now();
        response = await this.attempt(request, next, attemptTimeoutMs, signal);
      } catch (e) {
        failure = e;
      } finally {
        releaseGlobal?.();
        releaseSub?.();
        releaseBackground?.();
      }
      const durationMs = this.clock.now() - sentAt;
      if (signal?.aborted && response) throw abortError('The request to ARM was cancelled.');
      const elapsedMs = this.clock.now() - startedAt;

      if (response) {
        const status = response.status;
        const correlationId = response.headers.get('x-ms-correlation-request-id');
        if (kind === 'resourceGraph') this.observeQuota(bucket, response);
        else if (kind !== 'metrics') this.observeRemaining(sub, response);
        const log = { method, path, status, durationMs, correlationId, attempt };
        if (!RETRYABLE_STATUS.has(status)) {
          if (status >= 400) this.logger.warn(log, 'arm call');
          // The watcher's ~460 calls a cycle, each minute, would drown the log at info: they are there at debug.
          else if (context.background) this.logger.debug(log, 'arm call');
          else this.logger.info(log, 'arm call');
          return response;
        }
        if (status === 429) this.counters.throttled429 += 1;
        else this.counters.serverErrors += 1;
        const hinted = retryAfterMs(response.headers, this.clock.now()) ?? (status === 429 ? quotaResetMs(response.headers) : undefined);
        if (status === 429 && hinted !== undefined) bucket.pauseUntil(this.clock.now() + hinted);
        if (!(status === 429 && hinted !== undefined)) failures += 1;
        const delay = hinted ?? backoffMs(Math.max(1, failures), this.limits.baseDelayMs, this.limits.maxDelayMs, this.random);
        if (!this.mayRetry(failures, elapsedMs, delay, signal)) {
          this.logger.warn({ ...log, retriesExhausted: true }, 'arm call');
          return response;
        }
        this.logger.warn({ ...log, retryInMs: delay }, 'arm call will be retried');
        await this.retryAfter(delay, signal);
        continue;
      }

      if (!isRetryableFailure(failure, signal)) throw failure;
      this.counters.connectionErrors += 1;
      const code = isRestError(failure) ? failure.code : undefined;
      failures += 1;
      const delay = backoffMs(failures, this.limits.baseDelayMs, this.limits.maxDelayMs, this.random);
      const log = { method, path, code, durationMs, attempt };
      if (!this.mayRetry(failures, elapsedMs, delay, signal)) {
        this.logger.warn({ ...log, retriesExhausted: true }, 'arm call failed');
        throw failure;
      }
      this.logger.warn({ ...log, retryInMs: delay }, 'arm call failed, will be retried');
      await this.retryAfter(delay, signal);
    }
  }

  /**
   * One try, aborted after `timeoutMs` or when the caller's signal aborts; the timer and the listener on the
   * caller's signal are removed however the try ends. Not AbortSignal.any: on Node 20 each call leaves an entry on
   * its source signals for as long as they live (nodejs/node#55351), and some callers' signals live as long as the
   * process (the prefix sweeper's), so every try of every call would stay behind.
   */
  private async attempt(request: PipelineRequest, next: SendRequest, timeoutMs: number, signal?: AbortSignal): Promise<PipelineResponse> {
    const attempt = new AbortController();
    // Only this timer firing makes a failure a timeout (retried): a transport that reports itself closed with an
    // AbortError of its own is cancelled, not slow.
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      attempt.abort();
    }, timeoutMs);
    const follow = () => attempt.abort(signal?.reason);
    if (signal?.aborted) follow();
    else signal?.addEventListener('abort', follow, { once: true });
    request.abortSignal = attempt.signal;
    try {
      return await next(request);
    } catch (e) {
      // The abort the timer caused; a failure of another kind that came after it is passed on as it is.
      if (timedOut && !signal?.aborted && e instanceof Error && e.name === 'AbortError') {
        throw new RestError(`ARM did not answer within ${timeoutMs} ms.`, { code: 'ETIMEDOUT' });
      }
      throw e;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', follow);
      request.abortSignal = signal;
    }
  }

  /** ARM says how many calls are left; slowing down to match it beats being throttled. */
  private observeRemaining(sub: SubscriptionState, response: PipelineResponse): void {
    const now = this.clock.now();
    for (const [header, bucket] of [
      ['x-ms-ratelimit-remaining-subscription-reads', sub.reads],
      ['x-ms-ratelimit-remaining-subscription-writes', sub.writes],
    ] as const) {
      const value = response.headers.get(header);
      if (value !== undefined && value.trim() !== '' && Number.isFinite(Number(value))) {
        bucket.observeRemaining(Number(value), now);
      }
    }
  }

  /** Resource Graph's per-principal quota: what is left, and (when none is) when it resets. */
  private observeQuota(bucket: TokenBucket, response: PipelineResponse): void {
    const remaining = response.headers.get('x-ms-user-quota-remaining');
    if (remaining === undefined || remaining.trim() === '' || !Number.isFinite(Number(remaining))) return;
    bucket.observeRemaining(Number(remaining), this.clock.now());
    const resetMs = quotaResetMs(response.headers);
    if (Number(remaining) <= 0 && resetMs !== undefined) bucket.pauseUntil(this.clock.now() + resetMs);
  }

  private principal(tenantId: string) {
    const key = tenantId.toLowerCase();
    let p = this.principals.get(key);
    if (!p) {
      const now = this.clock.now();
      p = {
        resourceGraph: new TokenBucket(this.limits.resourceGraph, now),
        metrics: new TokenBucket(this.limits.metrics, now),
        slots: new ConcurrencyLimit(this.limits.maxConcurrencyPerSubscription),
      };
      this.principals.set(key, p);
    }
    return p;
  }

  private mayRetry(failures: number, elapsedMs: number, delayMs: number, signal?: AbortSignal): boolean {
    return !signal?.aborted && failures < this.limits.maxAttempts && elapsedMs + delayMs <= this.limits.maxTotalMs;
  }

  private async retryAfter(delayMs: number, signal?: AbortSignal): Promise<void> {
    this.counters.retries += 1;
    await this.clock.sleep(delayMs, signal);
  }

  private async takeToken(bucket: TokenBucket, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const wait = bucket.tryTake(this.clock.now());
      if (wait <= 0) return;
      await this.clock.sleep(wait, signal);
    }
  }

  private state(subscription: string): SubscriptionState {
    let s = this.subscriptions.get(subscription);
    if (!s) {
      const now = this.clock.now();
      s = {
        reads: new TokenBucket(this.limits.reads, now),
        writes: new TokenBucket(this.limits.writes, now),
        slots: new ConcurrencyLimit(this.limits.maxConcurrencyPerSubscription),
      };
      this.subscriptions.set(subscription, s);
    }
    return s;
  }
}

function subscriptionOf(path: string): string {
  return subscriptionOfArmId(path)?.toLowerCase() ?? '(tenant)';
}

/** Dropped connections and timeouts are worth another go; an abort or a bug is not. */
function isRetryableFailure(e: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted) return false;
  if (e instanceof Error && e.name === 'AbortError') return false;
  if (!isRestError(e)) return false;
  if (e.code !== undefined && REFUSED_ANSWER_CODES.has(e.code)) return false;
  return e.response === undefined;
}
