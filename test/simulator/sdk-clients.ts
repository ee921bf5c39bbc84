import type { TokenCredential } from '@azure/core-auth';
import { NetworkManagementClient } from '@azure/arm-network';
import { MonitorClient } from '@azure/arm-monitor';
import type { RunningSimulator } from '../../src/simulator';

/** Any bearer token will do for the simulator; the SDK's bearer policy only needs one to exist. */
export const staticCredential: TokenCredential = {
  getToken: async () => ({ token: 'sim', expiresOnTimestamp: Date.now() + 3600e3 }),
};

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

/** LRO polling fast enough for tests; the simulator sends no Retry-After unless told to. */
export const fastPolling = { updateIntervalInMs: 5 };

export async function collect<T>(iter: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iter) out.push(x);
  return out;
}
