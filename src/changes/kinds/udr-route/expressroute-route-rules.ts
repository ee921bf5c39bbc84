import { armIdName, armIdNameOf } from '../../../network/arm-id';
import { contains, type IpAddress, type IpPrefix, parsePrefix } from '../../../network/ip-prefix';
import type { Refusal, RouteTableSubject } from '../../change-kind';

/**
 * What Azure says of user-defined routes next to an ExpressRoute gateway (DESIGN.md, Rules: "UDR and
 * ExpressRoute"). Sources:
 * - learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview: a virtual network gateway of type
 *   ExpressRoute can't be a UDR's next hop ("with ExpressRoute, you must use BGP for custom routes"), nor where
 *   VPN and ExpressRoute coexist; a VirtualAppliance next hop "must have direct connectivity without having to
 *   route through ExpressRoute Gateway"; route propagation "shouldn't be disabled on the GatewaySubnet".
 * - learn.microsoft.com/azure/expressroute/expressroute-about-virtual-network-gateways: UDRs with a 0.0.0.0/0
 *   destination on the GatewaySubnet "are not supported" (gateways with them are blocked from being created);
 *   with BGP route propagation disabled "the gateway won't function".
 * Azure refuses the unsupported (refusals here); what it only advises against is a warning (notes).
 */

/** The address spaces of the VNets whose subnets use the table, as read when the change was requested. */
export interface VnetSpace {
  name: string;
  prefixes: string[];
}

export interface ReachFacts {
  vnets?: VnetSpace[];
  /** VNets that could not be read (another subscription, no access, or no reader). */
  unreadVnets?: string[];
}

const names = (list: readonly string[]) => [...new Set(list)].join(', ');

/** The VNets whose GatewaySubnet uses the table. */
export function gatewaySubnetVnets(table: RouteTableSubject): string[] {
  return table.subnetIds
    .filter((id) => /\/subnets\/[^/]+$/i.test(id) && armIdName(id).toLowerCase() === 'gatewaysubnet')
    .map((id) => armIdNameOf(id, 'virtualNetworks') ?? id);
}

/** No 0.0.0.0/0 UDR in a table on a GatewaySubnet. */
export function gatewaySubnetDefaultRoute(table: RouteTableSubject, prefix: IpPrefix | undefined): Refusal | undefined {
  if (prefix?.version !== 4 || prefix.prefixLength !== 0) return undefined;
  const vnets = gatewaySubnetVnets(table);
  if (vnets.length === 0) return undefined;
  return {
    reason:
      `${table.name} is associated with the GatewaySubnet of ${names(vnets)}, where Azure does not support a 0.0.0.0/0 ` +
      'user-defined route: the gateway must reach its management controllers, and Azure blocks creating a gateway with such a route.',
    alternative:
      'Put the 0.0.0.0/0 route in the route tables of the workload subnets instead; to send internet-bound traffic on-premises ' +
      '(forced tunnelling), advertise 0.0.0.0/0 from on-premises over BGP.',
  };
}

/** No VirtualNetworkGateway next hop: towards an ExpressRoute gateway Azure takes routes from BGP only. */
export function gatewayNextHop(nextHopType: string, destination: string): Refusal | undefined {
  if (nextHopType !== 'VirtualNetworkGateway') return undefined;
  return {
    reason:
      'Azure does not support a VirtualNetworkGateway next hop towards an ExpressRoute gateway, nor where VPN and ExpressRoute ' +
      'gateways coexist: ExpressRoute routes come from BGP.',
    alternative:
      `Use a VirtualAppliance next hop (e.g. the hub firewall) to send ${destination} through an appliance; to reach ${destination} ` +
      'on-premises over ExpressRoute, advertise it from on-premises over BGP: no user-defined route is needed.',
  };
}

function inside(ip: IpAddress, prefixes: readonly string[]): boolean {
  const host = parsePrefix(`${ip.text}/${ip.version === 4 ? 32 : 128}`);
  return (
    host.ok &&
    prefixes.some((p) => {
      const r = parsePrefix(p);
      return r.ok && contains(r.prefix, host.prefix);
    })
  );
}

/**
 * An appliance outside the address space of every VNet using the table is reachable only through VNet peering
 * (a hub firewall, the usual hub-and-spoke design), which the bot does not read; never through the ExpressRoute
 * gateway. A warning, not a refusal: refusing would block the hub-and-spoke setup Azure supports.
 */
export function unreachableAppliance(table: RouteTableSubject, ip: IpAddress, facts: ReachFacts | undefined): string | undefined {
  const vnets = facts?.vnets ?? [];
  const prefixes = vnets.flatMap((v) => v.prefixes);
  if (vnets.length === 0 || (facts?.unreadVnets ?? []).length > 0 || inside(ip, prefixes)) return undefined;
  const spaces = vnets.map((v) => `${v.name} (${v.prefixes.join(', ') || 'no address space'})`).join('; ');
  return (
    `The appliance ${ip.text} is outside the address space of ${spaces}, whose subnets use ${table.name}: Azure forwards to a ` +
    'VirtualAppliance next hop only when it is reachable directly or through VNet peering (a hub), not through the ExpressRoute ' +
    'gateway. Check that it is in a peered VNet; otherwise traffic from these subnets to that prefix is dropped.'
  );
}

/** When the address space could not be read, the check is left to the person, and they are told so. */
export function unverifiedAppliance(ip: IpAddress, facts: ReachFacts | undefined): string | undefined {
  const unread = facts?.unreadVnets ?? [];
  const prefixes = (facts?.vnets ?? []).flatMap((v) => v.prefixes);
  if (unread.length === 0 || inside(ip, prefixes)) return undefined;
  return (
    `Could not read the address space of ${names(unread)} to check that the appliance ${ip.text} is reachable without crossing ` +
    'the ExpressRoute gateway: make sure it is inside the address space of the VNet whose subnets use this table.'
  );
}

/** Azure: with BGP route propagation disabled on the GatewaySubnet the gateway won't function. */
export function gatewayPropagationNote(table: RouteTableSubject): string | undefined {
  const vnets = gatewaySubnetVnets(table);
  if (vnets.length === 0 || !table.disableBgpRoutePropagation) return undefined;
  return (
    `${table.name} is associated with the GatewaySubnet of ${names(vnets)} and has BGP route propagation disabled: Azure says the ` +
    `gateway won't function like that. Enable gateway route propagation on ${table.name}.`
  );
}
