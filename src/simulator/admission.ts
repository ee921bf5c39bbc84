import { parseArmPath } from './arm-path';
import { METRICS_BATCH_PATH } from './metrics/metrics-batch';
import { hhmmss, PrincipalQuota } from './principal-quota';
import { rateLimited } from './resource-graph/arg-error';
import { RESOURCE_GRAPH_PATH } from './resource-graph/resource-graph';
import { armError, type SimResponse } from './sim-http';
import { RESOURCE_GRAPH_QUOTA_DEFAULT, type SimulatorSettings } from './simulator-settings';
import { SubscriptionThrottle, throttleKindOf } from './subscription-throttle';

/** Which Azure service a request is for: each throttles in its own way. */
export type SimService = 'arm' | 'resourceGraph' | 'metricsBatch';

export function serviceOf(method: string, path: string): SimService {
  if (method === 'POST' && RESOURCE_GRAPH_PATH.test(path)) return 'resourceGraph';
  if (method === 'POST' && METRICS_BATCH_PATH.test(path)) return 'metricsBatch';
  return 'arm';
}

export interface Verdict {
  headers: Record<string, string>;
  rejected?: SimResponse;
}

/**
 * The front doors' throttling: ARM's per-subscription token buckets; Resource Graph's per-principal quota
 * (reported on every answer); and, only when configured, a per-principal quota on metrics:getBatch, which Azure
 * documents no number for. Resource Graph and the metrics data plane do not spend ARM's subscription buckets;
 * the per-resource metrics API (`…/providers/Microsoft.Insights/metrics`) is an ARM call and does, as ARM's
 * "request limits and throttling" page warns ("a common cause of subscription throttling events").
 */
export class Admission {
  private readonly throttle: SubscriptionThrottle;
  private readonly graphQuota = new PrincipalQuota();
  private readonly metricsQuota = new PrincipalQuota();

  constructor(private readonly settings: () => SimulatorSettings) {
    this.throttle = new SubscriptionThrottle(settings);
  }

  admit(service: SimService, method: string, path: string, principal: string, now: number): Verdict {
    if (service === 'resourceGraph') return this.admitGraph(principal, now);
    if (service === 'metricsBatch') return this.admitMetrics(principal, now);
    return this.admitArm(method, path, now);
  }

  private admitArm(method: string, path: string, now: number): Verdict {
    const sub = parseArmPath(path).subscriptionId;
    if (!sub) return { headers: {} };
    const kind = throttleKindOf(method);
    const header = `x-ms-ratelimit-remaining-subscription-${kind}`;
    const verdict = this.throttle.take(sub, kind, now);
    if (!verdict) return { headers: {} };
    if (verdict.allowed) return { headers: { [header]: String(verdict.remaining) } };
    const rejected = armError(
      429,
      'TooManyRequests',
      `The request was throttled: too many ${kind} for subscription '${sub}'. Retry after ${verdict.retryAfterSeconds} seconds.`,
      { 'Retry-After': String(verdict.retryAfterSeconds) },
    );
    return { headers: { [header]: '0' }, rejected };
  }

  private admitGraph(principal: string, now: number): Verdict {
    const setting = this.settings().resourceGraph;
    const quota = setting === false || setting?.quota === false ? undefined : (setting?.quota ?? RESOURCE_GRAPH_QUOTA_DEFAULT);
    if (!quota) return { headers: {} };
    const v = this.graphQuota.take(principal, quota, now);
    const headers = { 'x-ms-user-quota-remaining': String(v.remaining), 'x-ms-user-quota-resets-after': hhmmss(v.resetsAfterMs) };
    if (v.allowed) return { headers };
    return { headers, rejected: rateLimited({ ...headers, 'Retry-After': String(retrySeconds(v.resetsAfterMs)) }) };
  }

  private admitMetrics(principal: string, now: number): Verdict {
    const setting = this.settings().metrics;
    const quota = setting === false || !setting?.quota ? undefined : setting.quota;
    if (!quota) return { headers: {} };
    const v = this.metricsQuota.take(principal, quota, now);
    if (v.allowed) return { headers: {} };
    const seconds = retrySeconds(v.resetsAfterMs);
    return {
      headers: {},
      rejected: armError(429, 'TooManyRequests', `Too many metrics:getBatch requests; retry after ${seconds} seconds.`, {
        'Retry-After': String(seconds),
      }),
    };
  }
}

function retrySeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
