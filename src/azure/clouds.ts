/**
 * The Azure clouds the bot runs against, by their Resource Manager (ARM_ENDPOINT), with the host of Azure Monitor's
 * metrics data plane in each: its regional endpoints are `https://{region}.{metricsHost}` and its token audience
 * `https://{metricsHost}` (Azure Monitor's metrics clients: @azure/monitor-query's KnownMonitorAudience, and the
 * MetricsClient audiences of the .NET, Java and Python SDKs). Entra ID's sign-in host outside the public cloud is
 * @azure/identity's AZURE_AUTHORITY_HOST (README).
 */
export const AZURE_CLOUDS = [
  { name: 'Azure', arm: 'https://management.azure.com', metricsHost: 'metrics.monitor.azure.com' },
  { name: 'Azure Government', arm: 'https://management.usgovcloudapi.net', metricsHost: 'metrics.monitor.azure.us' },
  { name: 'Azure operated by 21Vianet', arm: 'https://management.chinacloudapi.cn', metricsHost: 'metrics.monitor.azure.cn' },
] as const;

export type AzureCloud = (typeof AZURE_CLOUDS)[number];

export const PUBLIC_CLOUD: AzureCloud = AZURE_CLOUDS[0];

/** The cloud whose Resource Manager `endpoint` is (its host, compared as DNS compares it), or undefined. */
export function cloudOf(endpoint: string): AzureCloud | undefined {
  let host: string;
  try {
    host = new URL(endpoint).host.toLowerCase();
  } catch {
    return undefined;
  }
  return AZURE_CLOUDS.find((cloud) => new URL(cloud.arm).host === host);
}

/** The cloud's metrics:getBatch endpoint for a region (`westeurope`, `usgovvirginia`). */
export function metricsEndpointOf(cloud: AzureCloud, region: string): string {
  return `https://${region}.${cloud.metricsHost}`;
}

/** The token scope of the cloud's metrics data plane. */
export function metricsScopeOf(cloud: AzureCloud): string {
  return `https://${cloud.metricsHost}/.default`;
}
