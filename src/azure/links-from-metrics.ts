import type { Metric } from '@azure/arm-monitor';
import type { LinkThroughput, RateLimitDrops } from '../network/types';
import { rateLimitDrops, throughput } from './metric-signals';

/**
 * Azure Monitor's BitsIn/OutPerSecond split by the DeviceRole dimension → one average and one peak per link
 * and direction. Series without a known role or without data points are ignored.
 */
export function linksFromMetrics(metrics: readonly Metric[]): LinkThroughput[] {
  return throughput(metrics);
}

/** QosDropBitsIn/OutPerSecond (no dimensions): the newest interval with a value. */
export function dropsFromMetrics(metrics: readonly Metric[]): RateLimitDrops | undefined {
  return rateLimitDrops(metrics);
}

/** A grain that keeps a window to a few hundred points at most. */
export function metricsInterval(windowMs: number): string {
  const hour = 3_600_000;
  if (windowMs <= hour) return 'PT1M';
  if (windowMs <= 6 * hour) return 'PT5M';
  if (windowMs <= 24 * hour) return 'PT15M';
  if (windowMs <= 7 * 24 * hour) return 'PT1H';
  return 'PT6H';
}
