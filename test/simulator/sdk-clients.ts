import http from 'node:http';
import https from 'node:https';
import type { TokenCredential } from '@azure/core-auth';
import { NetworkManagementClient } from '@azure/arm-network';
import { MonitorClient } from '@azure/arm-monitor';
import { ResourceGraphClient } from '@azure/arm-resourcegraph';
import { MetricsClient } from '@azure/monitor-query-metrics';
import type { RunningSimulator } from '../../src/simulator';

/** Any bearer token will do for the simulator; the SDK's bearer policy only needs one to exist. */
export const staticCredential: TokenCredential = {
  getToken: () => Promise.resolve({ token: 'sim', expiresOnTimestamp: Date.now() + 3600e3 }),
};

/** A credential whose token is `token`: the simulator treats each token as its own principal. */
export function tokenCredential(token: string): TokenCredential {
  return { getToken: () => Promise.resolve({ token, expiresOnTimestamp: Date.now() + 3600e3 }) };
}

/** Fast SDK retries so fault and throttling tests stay quick; the retry logic itself is the SDK's own. */
const fastRetries = { retryDelayInMs: 5, maxRetryDelayInMs: 50 };

export function networkClient(sim: RunningSimulator, subscriptionId: string, maxRetries?: number): NetworkManagementClient {
  return new NetworkManagementClient(staticCredential, subscriptionId, {
    endpoint: sim.url,
    tlsOptions: { ca: sim.caPem },
    retryOptions: { ...fastRetries, ...(maxRetries === undefined ? {} : { maxRetries }) },
  });
}

export function monitorClient(sim: RunningSimulator, subscriptionId: string): MonitorClient {
  return new MonitorClient(staticCredential, subscriptionId, {
    endpoint: sim.url,
    tlsOptions: { ca: sim.caPem },
    retryOptions: fastRetries,
  });
}

/** Resource Graph's SDK (ms-rest-js underneath): TLS trust goes in through its agent settings. */
export function resourceGraphClient(sim: RunningSimulator, token = 'sim'): ResourceGraphClient {
  return new ResourceGraphClient(tokenCredential(token), {
    baseUri: sim.url,
    agentSettings: { http: new http.Agent(), https: new https.Agent({ ca: sim.caPem }) },
    noRetryPolicy: true,
  });
}

/** Azure Monitor's batch metrics client, pointed at the simulator instead of https://{region}.metrics.monitor.azure.com. */
export function metricsClient(sim: RunningSimulator, token = 'sim'): MetricsClient {
  return new MetricsClient(sim.url, tokenCredential(token), { tlsOptions: { ca: sim.caPem }, retryOptions: { maxRetries: 0 } });
}

/** LRO polling fast enough for tests; the simulator sends no Retry-After unless told to. */
export const fastPolling = { updateIntervalInMs: 5 };

export async function collect<T>(iter: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iter) out.push(x);
  return out;
}
