import type { Json } from './resource-store';

/**
 * The six default security rules Azure puts in every network security group ("Network security groups",
 * default security rules): they can't be removed, only overridden by rules of higher priority (lower number).
 * ARM returns them in `defaultSecurityRules` and serves each at …/defaultSecurityRules/{name}.
 */

interface DefaultRule {
  name: string;
  description: string;
  source: string;
  destination: string;
  access: 'Allow' | 'Deny';
  priority: number;
  direction: 'Inbound' | 'Outbound';
}

const DEFAULT_RULES: readonly DefaultRule[] = [
  {
    name: 'AllowVnetInBound',
    description: 'Allow inbound traffic from all VMs in VNET',
    source: 'VirtualNetwork',
    destination: 'VirtualNetwork',
    access: 'Allow',
    priority: 65000,
    direction: 'Inbound',
  },
  {
    name: 'AllowAzureLoadBalancerInBound',
    description: 'Allow inbound traffic from azure load balancer',
    source: 'AzureLoadBalancer',
    destination: '*',
    access: 'Allow',
    priority: 65001,
    direction: 'Inbound',
  },
  {
    name: 'DenyAllInBound',
    description: 'Deny all inbound traffic',
    source: '*',
    destination: '*',
    access: 'Deny',
    priority: 65500,
    direction: 'Inbound',
  },
  {
    name: 'AllowVnetOutBound',
    description: 'Allow outbound traffic from all VMs to all VMs in VNET',
    source: 'VirtualNetwork',
    destination: 'VirtualNetwork',
    access: 'Allow',
    priority: 65000,
    direction: 'Outbound',
  },
  {
    name: 'AllowInternetOutBound',
    description: 'Allow outbound traffic from all VMs to Internet',
    source: '*',
    destination: 'Internet',
    access: 'Allow',
    priority: 65001,
    direction: 'Outbound',
  },
  {
    name: 'DenyAllOutBound',
    description: 'Deny all outbound traffic',
    source: '*',
    destination: '*',
    access: 'Deny',
    priority: 65500,
    direction: 'Outbound',
  },
];

/** The rule properties ARM returns (singular and plural forms both present, the unused ones empty). */
export function securityRuleProperties(
  r: Omit<DefaultRule, 'name'> & { protocol?: string; sourcePorts?: string; destinationPorts?: string },
): Json {
  return {
    provisioningState: 'Succeeded',
    ...(r.description ? { description: r.description } : {}),
    protocol: r.protocol ?? '*',
    sourcePortRange: r.sourcePorts ?? '*',
    destinationPortRange: r.destinationPorts ?? '*',
    sourceAddressPrefix: r.source,
    destinationAddressPrefix: r.destination,
    access: r.access,
    priority: r.priority,
    direction: r.direction,
    sourcePortRanges: [],
    destinationPortRanges: [],
    sourceAddressPrefixes: [],
    destinationAddressPrefixes: [],
  };
}

/** The default rules of the NSG `nsgId`, as ARM returns them inline. */
export function defaultSecurityRules(nsgId: string, etag: () => string): Json[] {
  return DEFAULT_RULES.map(({ name, ...rule }) => ({
    name,
    id: `${nsgId}/defaultSecurityRules/${name}`,
    etag: etag(),
    type: 'Microsoft.Network/networkSecurityGroups/defaultSecurityRules',
    properties: securityRuleProperties(rule),
  }));
}
