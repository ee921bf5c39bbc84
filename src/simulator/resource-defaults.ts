import { randomUUID } from 'node:crypto';
import { newEtag } from './etag';
import { defaultSecurityRules } from './nsg-defaults';
import type { Json } from './resource-store';

/** The ARM type names of child resources created on their own path, which ARM returns in each child's body. */
const CHILD_TYPES: Record<string, string> = {
  'microsoft.network/virtualnetworks/subnets': 'Microsoft.Network/virtualNetworks/subnets',
  'microsoft.network/virtualnetworks/virtualnetworkpeerings': 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings',
  'microsoft.network/networksecuritygroups/securityrules': 'Microsoft.Network/networkSecurityGroups/securityRules',
};

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
    case 'microsoft.network/networksecuritygroups':
      // Every NSG comes with Azure's six default rules; the caller only writes its own.
      return {
        ...base,
        properties: { resourceGuid: randomUUID(), securityRules: [], defaultSecurityRules: defaultSecurityRules(id, newEtag) },
      };
    default:
      return CHILD_TYPES[type] ? { ...base, type: CHILD_TYPES[type] } : base;
  }
}
