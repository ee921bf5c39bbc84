import { MonitorClient } from '@azure/arm-monitor';
import { NetworkManagementClient } from '@azure/arm-network';
import type { ServiceClient } from '@azure/core-client';
import { exponentialRetryPolicyName, systemErrorRetryPolicyName, throttlingRetryPolicyName } from '@azure/core-rest-pipeline';
import https from 'node:https';
import tls from 'node:tls';
import type { Logger } from '../log';
import type { SubscriptionScope } from '../network/types';
import type { CredentialProvider } from './credentials';
import type { ArmScheduler } from './scheduler';
import { leanConnections, LeanHttpClient } from './lean-http-client';
import { CodedError, ErrorCode } from '../errors';
import { cloudOf, metricsEndpointOf, metricsScopeOf, PUBLIC_CLOUD, type AzureCloud } from './clouds';
import { MetricsBatchClient } from './metrics-batch';
import { ResourceGraphQueryClient } from './resource-graph-query';

export const PUBLIC_ARM_ENDPOINT = PUBLIC_CLOUD.arm;

/** How long a stop lets the watcher's calls in flight finish before cutting their connections. */
export const CLOSE_DEADLINE_MS = 5_000;

export interface ClientPoolOptions {
  /** ARM base URL; the simulator's URL in demo mode and tests. */
  endpoint?: string;
  /** Extra CA to trust (the simulator's self-signed certificate). Verification stays on. */
  caPem?: string;
  /**
   * Where Azure Monitor's metrics are read per region, for the simulator, which serves every region at its own URL
   * (and is its own token audience). Unset, they come from the data plane of `endpoint`'s cloud (clouds.ts).
   */
  metricsEndpoint?: (region: string) => string;
  credentials: CredentialProvider;
  scheduler: ArmScheduler;
  logger: Logger;
}

/**
 * One ARM client of each kind per (tenant, subscription), built on first use and kept: clients hold the
 * credential's token cache and the connection pool, so rebuilding them per call would be slow.
 */
export class ClientPool {
  readonly endpoint: string;
  /** The token scope for ARM (and Resource Graph): the endpoint's `.default`. */
  private readonly armScope: string;
  /** `endpoint`'s cloud (clouds.ts): where metrics are read unless `metricsEndpoint` says otherwise. */
  private readonly cloud: AzureCloud | undefined;
  private readonly network = new Map<string, NetworkManagementClient>();
  private readonly monitor = new Map<string, MonitorClient>();
  private readonly graph = new Map<string, ResourceGraphQueryClient>();
  private readonly metrics = new Map<string, MetricsBatchClient>();
  /**
   * One keep-alive agent for every SDK client: ARM is one host, so connections (and TLS sessions) are shared
   * across tenants and subscriptions. The trusted CA is parsed once into a secure context; passing `ca` per
   * request would rebuild it, and a fresh TLS handshake, for every new connection.
   */
  private readonly agent: https.Agent;
  /** The watcher's transport (Resource Graph and metrics:getBatch, every cycle) and its connections: see lean-http-client.ts. */
  private readonly lean: LeanHttpClient;
  private readonly leanAgent: ReturnType<typeof leanConnections>;

  constructor(private readonly options: ClientPoolOptions) {
    this.endpoint = (options.endpoint ?? PUBLIC_ARM_ENDPOINT).replace(/\/+$/, '');
    this.armScope = `${this.endpoint}/.default`;
    this.cloud = cloudOf(this.endpoint);
    const secureContext = options.caPem ? tls.createSecureContext({ ca: [...tls.rootCertificates, options.caPem] }) : undefined;
    this.agent = new https.Agent({ keepAlive: true, scheduling: 'lifo', ...(secureContext ? { secureContext } : {}) });
    // No host is sent more connections than the scheduler ever lets calls out at once.
    this.leanAgent = leanConnections({ ...(secureContext ? { secureContext } : {}), maxPerHost: options.scheduler.limits.maxConcurrency });
    this.lean = new LeanHttpClient(this.leanAgent);
  }

  networkClient(scope: SubscriptionScope): NetworkManagementClient {
    return this.cached(
      this.network,
      scope,
      () => new NetworkManagementClient(this.credential(scope), scope.subscriptionId, this.clientOptions()),
    );
  }

  monitorClient(scope: SubscriptionScope): MonitorClient {
    return this.cached(this.monitor, scope, () => new MonitorClient(this.credential(scope), scope.subscriptionId, this.clientOptions()));
  }

  /** Resource Graph, one client per customer tenant (its principal has its own query quota). */
  resourceGraphClient(tenantId: string): ResourceGraphQueryClient {
    const key = tenantId.toLowerCase();
    let client = this.graph.get(key);
    if (!client) {
      client = new ResourceGraphQueryClient(this.endpoint, this.options.credentials(tenantId), {
        scope: this.armScope,
        scheduler: this.options.scheduler,
        tenantId,
        httpClient: this.lean,
      });
      this.graph.set(key, client);
    }
    return client;
  }

  /** Azure Monitor metrics (metrics:getBatch) for one tenant and region. */
  metricsBatch(tenantId: string, region: string): MetricsBatchClient {
    const { endpoint, scope } = this.metricsTarget(region.toLowerCase().replace(/\s+/g, ''));
    const key = `${tenantId}|${endpoint}`.toLowerCase();
    let client = this.metrics.get(key);
    if (!client) {
      client = new MetricsBatchClient(endpoint, this.options.credentials(tenantId), {
        scope,
        scheduler: this.options.scheduler,
        tenantId,
        httpClient: this.lean,
      });
      this.metrics.set(key, client);
    }
    return client;
  }

  /**
   * Where a region's metrics are read and the token audience for them: `metricsEndpoint` (the simulator, its own
   * audience), else the data plane of `endpoint`'s cloud, which has an audience of its own.
   */
  private metricsTarget(region: string): { endpoint: string; scope: string } {
    const { metricsEndpoint } = this.options;
    if (metricsEndpoint) return { endpoint: metricsEndpoint(region), scope: this.armScope };
    if (!this.cloud) {
      throw new CodedError(
        ErrorCode.Config,
        `${this.endpoint} is not the Resource Manager of a cloud the bot knows, so it cannot tell where that cloud's ` +
          'Azure Monitor metrics are.',
        { hint: 'Set ARM_ENDPOINT to the Resource Manager of Azure, Azure Government or Azure operated by 21Vianet.' },
      );
    }
    return { endpoint: metricsEndpointOf(this.cloud, region), scope: metricsScopeOf(this.cloud) };
  }

  get size(): { network: number; monitor: number; resourceGraph: number; metrics: number } {
    return { network: this.network.size, monitor: this.monitor.size, resourceGraph: this.graph.size, metrics: this.metrics.size };
  }

  clear(): void {
    this.network.clear();
    this.monitor.clear();
    this.graph.clear();
    this.metrics.clear();
  }

  /**
   * Closes the connections. The watcher's calls still in flight are given up to `deadlineMs` to finish, then cut
   * (they end as cancelled calls), so a stop never waits on a hung connection; new ones are refused as cancelled.
   */
  async close(deadlineMs = CLOSE_DEADLINE_MS): Promise<void> {
    this.clear();
    this.agent.destroy();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, deadlineMs);
    });
    await Promise.race([this.lean.stop(), late]);
    clearTimeout(timer);
    // Idle connections close; a call still in flight after the deadline ends as cancelled.
    await this.leanAgent.destroy().catch(() => undefined);
  }

  private cached<C extends ServiceClient>(map: Map<string, C>, scope: SubscriptionScope, create: () => C): C {
    const key = `${scope.tenantId}/${scope.subscriptionId}`.toLowerCase();
    let client = map.get(key);
    if (!client) {
      client = create();
      installScheduler(client, this.options.scheduler, scope.tenantId);
      map.set(key, client);
      this.options.logger.debug({ tenantId: scope.tenantId, subscriptionId: scope.subscriptionId }, 'arm client created');
    }
    return client;
  }

  private credential(scope: SubscriptionScope) {
    return this.options.credentials(scope.tenantId);
  }

  private clientOptions() {
    return {
      endpoint: this.endpoint,
      // arm-monitor 7 would otherwise always ask for a public-cloud token.
      credentialScopes: [this.armScope],
      retryOptions: { maxRetries: 0 },
      agent: this.agent,
    };
  }
}

const RETRY_POLICY_NAMES = ['defaultRetryPolicy', exponentialRetryPolicyName, systemErrorRetryPolicyName, throttlingRetryPolicyName];

/** Swaps the SDK's retry policies for the scheduler, so every retry is ours, throttle-aware and counted. */
function installScheduler(client: { pipeline: ServiceClient['pipeline'] }, scheduler: ArmScheduler, tenantId: string): void {
  client.pipeline.removePolicy({ phase: 'Retry' });
  for (const name of RETRY_POLICY_NAMES) client.pipeline.removePolicy({ name });
  client.pipeline.addPolicy(scheduler.policy({ tenantId }), { phase: 'Retry' });
}
