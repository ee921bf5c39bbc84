import { randomUUID } from 'node:crypto';
import type { Json } from './resource-store';

/** Read-only facts ARM fills in when a resource is created (the caller never sends them). */
export function resourceDefaults(type: string, id: string, name: string): Json {
  const base: Json = { id, name };
  switch (type) {
    case 'microsoft.network/expressroutecircuits':
      return {
        ...base,
        type: 'Microsoft.Network/expressRouteCircuits',
        properties: {
          serviceKey: randomUUID(),
          circuitProvisioningState: 'Enabled',
          serviceProviderProvisioningState: 'NotProvisioned',
          allowClassicOperations: false,
          gatewayManagerEtag: '',
        },
      };
    case 'microsoft.network/expressroutecircuits/peerings':
      return {
        ...base,
        type: 'Microsoft.Network/expressRouteCircuits/peerings',
        properties: { state: 'Enabled', azureASN: 12076, primaryAzurePort: '', secondaryAzurePort: '', gatewayManagerEtag: '' },
      };
    case 'microsoft.network/expressroutecircuits/authorizations':
      return {
        ...base,
        type: 'Microsoft.Network/expressRouteCircuits/authorizations',
        properties: { authorizationKey: randomUUID(), authorizationUseStatus: 'Available' },
      };
    case 'microsoft.network/routefilters/routefilterrules':
      return { ...base, properties: { routeFilterRuleType: 'Community' } };
    default:
      return base;
  }
}
