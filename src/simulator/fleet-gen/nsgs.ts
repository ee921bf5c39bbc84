import { defaultSecurityRules, securityRuleProperties } from '../nsg-defaults';
import type { FleetRecord } from './circuit-fixture';
import { putNetworkResource, resourceId, type Scope } from './network-resources';
import { SeededRandom } from './seeded-random';

/** Network security groups as ARM returns them: the caller's rules and Azure's default rules inline. */

export interface SecurityRuleSpec {
  name: string;
  /** 100-4096; lower is evaluated first. */
  priority: number;
  direction: 'Inbound' | 'Outbound';
  access: 'Allow' | 'Deny';
  /** Default '*'. */
  protocol?: '*' | 'Tcp' | 'Udp' | 'Icmp';
  /** An address prefix or a service tag (Internet, VirtualNetwork, …); default '*'. */
  source?: string;
  destination?: string;
  /** A port, a range (1024-65535) or '*' (the default). */
  sourcePorts?: string;
  destinationPorts?: string;
  description?: string;
}

/** The backstop Azure's forced-tunnelling guidance recommends: nothing leaves for the internet. */
export const DENY_INTERNET_OUTBOUND: SecurityRuleSpec = {
  name: 'deny-internet-outbound',
  priority: 4000,
  direction: 'Outbound',
  access: 'Deny',
  destination: 'Internet',
  description: 'Backstop for forced tunnelling: if the default route is withdrawn, nothing leaves for the internet',
};

/** An NSG with `rules` (no subnets or NICs yet: linkSubnet and addNetworkInterface add them). Returns its id. */
export function addNetworkSecurityGroup(fleet: FleetRecord, o: Scope & { rules: SecurityRuleSpec[] }): string {
  const random = new SeededRandom(`${o.name}${o.subscriptionId}`);
  const id = resourceId(o, 'networkSecurityGroups');
  return putNetworkResource(fleet, o, 'networkSecurityGroups', random.etag(), {
    provisioningState: 'Succeeded',
    resourceGuid: random.guid(),
    securityRules: o.rules.map(({ name, ...r }) => ({
      name,
      id: `${id}/securityRules/${name}`,
      etag: random.etag(),
      type: 'Microsoft.Network/networkSecurityGroups/securityRules',
      properties: securityRuleProperties({
        ...r,
        source: r.source ?? '*',
        destination: r.destination ?? '*',
        description: r.description ?? '',
      }),
    })),
    defaultSecurityRules: defaultSecurityRules(id, () => random.etag()),
    subnets: [],
    networkInterfaces: [],
  });
}
