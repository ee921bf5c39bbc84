import { type Clock, systemClock } from '../clock';
import { type Logger, silentLogger } from '../log';
import type { NetworkReader, SubscriptionScope } from '../network/types';
import { ArmNetworkReader } from './arm-network-reader';
import { ClientPool } from './client-pool';
import { type CredentialConfig, createCredentialProvider } from './credentials';
import { ReadCache } from './read-cache';
import { type ArmLimits, ArmScheduler, type ArmSchedulerStats } from './scheduler';

export interface CreateArmAccessOptions {
  /** ARM base URL; defaults to public Azure. In demo mode, the simulator's URL. */
  endpoint?: string;
  /** The simulator's certificate, trusted in addition to the system CAs. */
  caPem?: string;
  credentials: CredentialConfig;
  clock?: Clock;
  logger?: Logger;
  cacheTtlMs?: number;
  cacheMaxEntries?: number;
  lroPollIntervalMs?: number;
  limits?: Partial<ArmLimits>;
  /** For the retry jitter; tests pass a fixed one. */
  random?: () => number;
}

export interface ArmAccess {
  reader: NetworkReader;
  /** The ARM clients, for a writer in src/azure that must share the scheduler and credentials. */
  pool: ClientPool;
  /** Counters for the benchmark and health output. */
  stats(): ArmSchedulerStats;
  /** Forget cached reads (of one subscription, or all), e.g. after a change was applied. */
  invalidate(scope?: SubscriptionScope): void;
  close(): Promise<void>;
}

/** The one place the composition root builds ARM access from. */
export function createArmAccess(options: CreateArmAccessOptions): ArmAccess {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const scheduler = new ArmScheduler({
    clock,
    logger,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.random ? { random: options.random } : {}),
  });
  const pool = new ClientPool({
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.caPem !== undefined ? { caPem: options.caPem } : {}),
    credentials: createCredentialProvider(options.credentials),
    scheduler,
    logger,
  });
  const cache = new ReadCache({
    clock,
    ...(options.cacheTtlMs !== undefined ? { ttlMs: options.cacheTtlMs } : {}),
    ...(options.cacheMaxEntries !== undefined ? { maxEntries: options.cacheMaxEntries } : {}),
  });
  const reader = new ArmNetworkReader({
    pool,
    cache,
    clock,
    logger,
    ...(options.lroPollIntervalMs !== undefined ? { lroPollIntervalMs: options.lroPollIntervalMs } : {}),
  });
  return {
    reader,
    pool,
    stats: () => scheduler.stats(),
    invalidate: (scope) => cache.invalidate(scope ? ArmNetworkReader.cachePrefix(scope) : undefined),
    close: async () => {
      cache.invalidate();
      pool.close();
    },
  };
}
