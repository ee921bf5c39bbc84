import { type Clock, systemClock } from '../clock';
import { type Logger, silentLogger } from '../log';
import type { CircuitLinksReader, PortCircuitsReader } from '../changes/change-kind';
import type { FleetReader, NetworkReader, SubscriptionScope } from '../network/types';
import type { EffectiveRoutesReader } from '../network/effective-routes';
import type { PostureReader } from '../network/posture-facts';
import { ArmEffectiveRoutesReader } from './arm-effective-routes-reader';
import { ArmFleetReader } from './arm-fleet-reader';
import { ArmLinksReader } from './arm-links-reader';
import { ArmNetworkReader } from './arm-network-reader';
import { ArmPortCircuitsReader } from './arm-port-circuits-reader';
import { ArmPostureReader } from './arm-posture-reader';
import { ClientPool } from './client-pool';
import { type CredentialConfig, createCredentialProvider } from './credentials';
import { ReadCache } from './read-cache';
import { type ArmLimits, ArmScheduler, type ArmSchedulerStats } from './scheduler';

export interface CreateArmAccessOptions {
  /** ARM base URL; defaults to public Azure. In demo mode, the simulator's URL. */
  endpoint?: string;
  /** The simulator's certificate, trusted in addition to the system CAs. */
  caPem?: string;
  /** Azure Monitor's metrics endpoint per region; the simulator serves all regions at its own URL. */
  metricsEndpoint?: (region: string) => string;
  credentials: CredentialConfig;
  clock?: Clock;
  logger?: Logger;
  cacheTtlMs?: number;
  cacheMaxEntries?: number;
  lroPollIntervalMs?: number;
  /** How long Resource Graph's inventory and metrics answers are reused (default: the read cache's TTL). */
  fleetCacheTtlMs?: number;
  limits?: Partial<ArmLimits>;
  /** For the retry jitter; tests pass a fixed one. */
  random?: () => number;
}

export interface ArmAccess {
  reader: NetworkReader;
  /** Resource Graph and Azure Monitor: the fleet-wide reads. */
  fleet: FleetReader;
  /** A circuit's VNet links, from Resource Graph across the customer's subscriptions (never cached: rules depend on it). */
  links: CircuitLinksReader;
  /** The circuits on an ExpressRoute Direct port pair, from Resource Graph (never cached: VLAN and capacity rules). */
  ports: PortCircuitsReader;
  /** The networks behind a customer's circuits (VNets, NSGs, gateways, MACsec), from Resource Graph, for `security`. */
  posture: PostureReader;
  /** NICs and VMs by name, and a NIC's effective routes (a long-running read, cached like device reads). */
  effectiveRoutes: EffectiveRoutesReader;
  /** The ARM clients, for a writer in src/azure that must share the scheduler and credentials. */
  pool: ClientPool;
  /** Counters for the benchmark and health output. */
  stats(): ArmSchedulerStats;
  /** Tokens left in a subscription's write bucket (device reads draw on it), for background work to yield. */
  writeTokens(subscriptionId: string): number;
  /** Forget cached reads (of one subscription and its tenant's inventory, or all), e.g. after a change was applied. */
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
    ...(options.metricsEndpoint !== undefined ? { metricsEndpoint: options.metricsEndpoint } : {}),
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
  const fleetCache = new ReadCache({
    clock,
    ttlMs: options.fleetCacheTtlMs ?? options.cacheTtlMs ?? undefined,
    ...(options.cacheMaxEntries !== undefined ? { maxEntries: options.cacheMaxEntries } : {}),
  });
  const fleet = new ArmFleetReader({ pool, cache: fleetCache, clock, logger });
  const links = new ArmLinksReader({ pool, logger });
  return {
    reader,
    fleet,
    links,
    posture: new ArmPostureReader({ pool, links, clock, logger }),
    effectiveRoutes: new ArmEffectiveRoutesReader({
      pool,
      cache,
      logger,
      ...(options.lroPollIntervalMs !== undefined ? { lroPollIntervalMs: options.lroPollIntervalMs } : {}),
    }),
    ports: new ArmPortCircuitsReader({ pool, logger }),
    pool,
    stats: () => scheduler.stats(),
    writeTokens: (subscriptionId) => scheduler.writeTokens(subscriptionId),
    invalidate: (scope) => {
      cache.invalidate(scope ? ArmNetworkReader.cachePrefix(scope) : undefined);
      fleet.invalidateInventory(scope?.tenantId);
    },
    close: async () => {
      cache.invalidate();
      fleetCache.invalidate();
      await pool.close();
    },
  };
}
