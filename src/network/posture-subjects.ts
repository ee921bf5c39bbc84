import { armIdName } from './arm-id';
import type { Part, PartFailure } from './part';
import type { CircuitLinkFact, GatewayFact, IpsecConnectionFact, NsgFact, PortFact, SubnetFact, VnetFact } from './posture-facts';
import type { Circuit, UdrRoute, UdrTable } from './types';

/**
 * What each security criterion is evaluated on (a circuit, or a VNet behind one), and the routing facts several
 * criteria share: where a subnet's internet-bound traffic goes, and whether a VNet's traffic is encrypted.
 */

/**
 * Worst first. `advice`: recommended, not required by the customer's directory entry (a gap only where it is);
 * `na`: not applicable (nothing to check, or not required by the customer's directory entry).
 */
export const POSTURE_STATUSES = ['gap', 'unknown', 'advice', 'met', 'na'] as const;
export type PostureStatus = (typeof POSTURE_STATUSES)[number];

/** Whose subscription: this customer's, another customer's (never named to this one), or none the directory lists. */
export type SubscriptionOwner = 'own' | 'other' | 'unknown';

/** The customer's posture requirements (the directory's `customers[].security`). */
export interface SecurityRequirements {
  separatePublicAndPrivate?: boolean;
  forcedTunnelling?: boolean;
  requireEncryption?: boolean;
}

export interface Verdict {
  status: PostureStatus;
  /** What was seen, one fact a line. */
  evidence: string[];
}

/** A VNet whose traffic crosses the circuit: linked to it, or a spoke using a linked hub's gateway. */
export interface VnetSubject {
  vnet: VnetFact;
  /** Set for a spoke: the linked VNet whose gateway it uses. */
  hub?: VnetFact;
  requirements: SecurityRequirements;
  nsgs: Part<ReadonlyMap<string, NsgFact>>;
  routeTables: Part<ReadonlyMap<string, UdrTable>>;
  gateways: Part<readonly GatewayFact[]>;
  ipsecConnections: Part<readonly IpsecConnectionFact[]>;
  /** Whether the circuit's private peering learned 0.0.0.0/0; undefined when the circuit has no private peering. */
  defaultRoute: Part<boolean> | undefined;
}

export interface CircuitSubject {
  circuit: Circuit;
  requirements: SecurityRequirements;
  ownerOf: (subscriptionId: string) => SubscriptionOwner;
  links: Part<CircuitLinkFact[]>;
  /** The VNets behind the circuit from the customer's subscriptions; fails when the links or the VNets could not be read. */
  vnets: Part<VnetSubject[]>;
  ports: Part<readonly PortFact[]>;
  /**
   * VNets linked from the customer's subscriptions that couldn't be read, named by VNet or by connection: no
   * criterion that needs them is met.
   */
  unreadVnets: readonly string[];
}

export const key = (id: string) => id.toLowerCase();
export const GATEWAY_SUBNET = 'gatewaysubnet';
export const isGatewaySubnet = (s: SubnetFact) => s.name.toLowerCase() === GATEWAY_SUBNET;

/**
 * Subnets Azure reserves for one of its services besides the GatewaySubnet (which has its own criterion), and why
 * a check leaves them out: `nsg` when Azure takes no NSG there (absent: the NSG is checked like any other), `routes`
 * when forced tunnelling doesn't apply (Azure takes no route table there, or the service needs its own way out).
 */
const PLATFORM_SUBNETS: Readonly<Record<string, { nsg?: string; routes: string }>> = {
  azurefirewallsubnet: { nsg: "Azure Firewall's subnet takes no NSG", routes: 'Azure Firewall is itself the way out' },
  azurefirewallmanagementsubnet: {
    nsg: "Azure Firewall's management subnet takes no NSG",
    routes: 'Azure Firewall is managed over it, straight to the internet',
  },
  routeserversubnet: { nsg: "Azure Route Server's subnet takes no NSG", routes: "Azure Route Server's subnet takes no route table" },
  // Azure Bastion's subnet takes an NSG (with the rules Bastion needs), but no route table.
  azurebastionsubnet: { routes: "Azure Bastion's subnet takes no route table" },
};

/** What a subnet check is about: its NSG, or where its internet-bound traffic goes. */
export type SubnetCheck = 'nsg' | 'routes';

const whySkipped = (s: SubnetFact, check: SubnetCheck) => PLATFORM_SUBNETS[s.name.toLowerCase()]?.[check];

/** The subnets a check applies to: every one but the GatewaySubnet and the platform subnets the check doesn't apply to. */
export const checkedSubnets = (vnet: VnetFact, check: SubnetCheck) =>
  vnet.subnets.filter((s) => !isGatewaySubnet(s) && whySkipped(s, check) === undefined);

/** "Not checked: AzureFirewallSubnet (Azure Firewall's subnet takes no NSG)." when the check left platform subnets out. */
export function skippedSubnets(vnet: VnetFact, check: SubnetCheck): string[] {
  const skipped = vnet.subnets.flatMap((s) => {
    const why = isGatewaySubnet(s) ? undefined : whySkipped(s, check);
    return why ? [`${s.name} (${why})`] : [];
  });
  return skipped.length > 0 ? [`Not checked: ${skipped.join('; ')}.`] : [];
}

export function unread(what: string, error: PartFailure): Verdict {
  return { status: 'unknown', evidence: [`Couldn't read ${what}: ${error.message}${error.hint ? ` ${error.hint}` : ''}`] };
}

/** "snet-a, snet-b and 3 more": lists stay one line on a card. */
export function names(items: readonly string[], max = 4): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

// ---- where a subnet's internet-bound traffic goes ----

export type InternetPath =
  | { kind: 'udr'; table: UdrTable; route: UdrRoute }
  /** A UDR to the VPN gateway: tunnelled, but over site-to-site VPN rather than ExpressRoute. */
  | { kind: 'vpn'; table: UdrTable; route: UdrRoute; gateway: string }
  | { kind: 'bgp' }
  | { kind: 'blocked'; table: UdrTable; route: UdrRoute }
  | { kind: 'direct'; why: string }
  | { kind: 'unknown'; why: string };

const DEFAULT_ROUTE = '0.0.0.0/0';

/** A table's 0.0.0.0/0 route, if it has one. */
export const defaultRouteOf = (table: UdrTable) => table.routes.find((r) => r.addressPrefix.trim() === DEFAULT_ROUTE);

/** The gateways the VNet sends through: its own, or its hub's for a spoke using the hub's gateways. */
export function gatewaysOf(subject: VnetSubject): Part<GatewayFact[]> {
  if (!subject.gateways.ok) return subject.gateways;
  const vnetIds = new Set([key(subject.vnet.id), ...(subject.hub ? [key(subject.hub.id)] : [])]);
  return { ok: true, value: subject.gateways.value.filter((g) => vnetIds.has(key(g.vnetId))), fetchedAt: subject.gateways.fetchedAt };
}

/**
 * Where a 0.0.0.0/0 UDR to VirtualNetworkGateway sends traffic. Azure takes only a VPN gateway as a UDR next hop
 * ("with ExpressRoute, you must use BGP for custom routes"), so the traffic goes over site-to-site VPN, never
 * ExpressRoute; without a VPN gateway the route carries nothing anywhere we can call tunnelled.
 */
function toGateway(table: UdrTable, route: UdrRoute, subject: VnetSubject): InternetPath {
  const via = `UDR ${route.name} in ${table.name} sends 0.0.0.0/0 to VirtualNetworkGateway`;
  const gateways = gatewaysOf(subject);
  if (!gateways.ok) return { kind: 'unknown', why: `${via}, and the VNet's gateways couldn't be read (${gateways.error.message})` };
  const vpn = gateways.value.find((g) => g.kind.toLowerCase() === 'vpn');
  if (vpn) return { kind: 'vpn', table, route, gateway: vpn.name };
  return {
    kind: 'direct',
    why: `${via}, but the VNet has no VPN gateway, and Azure takes no ExpressRoute gateway as a UDR next hop: nothing is tunnelled over ExpressRoute`,
  };
}

/**
 * A subnet's route for 0.0.0.0/0: its UDR wins over BGP, and BGP (learned over private peering) over Azure's
 * system route to the internet, unless the route table turns gateway route propagation off.
 */
export function internetPath(subnet: SubnetFact, subject: VnetSubject): InternetPath {
  let table: UdrTable | undefined;
  if (subnet.routeTableId) {
    if (!subject.routeTables.ok) return { kind: 'unknown', why: `its route table ${armIdName(subnet.routeTableId)} couldn't be read` };
    table = subject.routeTables.value.get(key(subnet.routeTableId));
    if (!table) return { kind: 'unknown', why: `its route table ${armIdName(subnet.routeTableId)} wasn't found` };
  }
  const route = table && defaultRouteOf(table);
  if (table && route) {
    const hop = route.nextHopType.toLowerCase();
    if (hop === 'virtualappliance') return { kind: 'udr', table, route };
    if (hop === 'virtualnetworkgateway') return toGateway(table, route, subject);
    if (hop === 'none') return { kind: 'blocked', table, route };
    return { kind: 'direct', why: `UDR ${route.name} in ${table.name} sends 0.0.0.0/0 to ${route.nextHopType}` };
  }
  const learned = subject.defaultRoute;
  if (!learned) return { kind: 'direct', why: 'no 0.0.0.0/0 UDR, and the circuit has no private peering' };
  if (!learned.ok) return { kind: 'unknown', why: `the circuit's private-peering route table couldn't be read (${learned.error.message})` };
  if (!learned.value) return { kind: 'direct', why: 'no 0.0.0.0/0 UDR, nor learned over private peering' };
  if (table?.disableBgpRoutePropagation) {
    return { kind: 'direct', why: `0.0.0.0/0 is learned over private peering, but ${table.name} turns BGP route propagation off` };
  }
  return { kind: 'bgp' };
}

/** Internet-bound traffic doesn't go straight out: sent home (over ExpressRoute or VPN), or dropped. */
export const isTunnelled = (p: InternetPath) => isSentHome(p) || p.kind === 'blocked';
/** Internet-bound traffic is carried home, where it could leak out directly if that route went away. */
export const isSentHome = (p: InternetPath) => p.kind === 'udr' || p.kind === 'bgp' || p.kind === 'vpn';

export function describePath(p: InternetPath): string {
  switch (p.kind) {
    case 'udr':
      return `0.0.0.0/0 → ${p.route.nextHopType}${p.route.nextHopIpAddress ? ` ${p.route.nextHopIpAddress}` : ''} by UDR (${p.table.name})`;
    case 'vpn':
      return `0.0.0.0/0 → VirtualNetworkGateway by UDR (${p.table.name}): tunnelled over site-to-site VPN (${p.gateway}), not ExpressRoute`;
    case 'bgp':
      return '0.0.0.0/0 learned over private peering';
    case 'blocked':
      return `0.0.0.0/0 → None by UDR (${p.table.name}): internet traffic is dropped`;
    default:
      return p.why;
  }
}

// ---- encryption behind the circuit ----

/** The IPsec tunnels over private peering of the VNet (or of the hub whose gateway it uses). */
export function ipsecOverPrivatePeering(subject: VnetSubject): Part<string[]> {
  const all = gatewaysOf(subject);
  if (!all.ok) return all;
  if (!subject.ipsecConnections.ok) return subject.ipsecConnections;
  const gateways = all.value.filter((g) => g.kind.toLowerCase() === 'vpn' && g.enablePrivateIpAddress);
  const tunnels = gateways.flatMap((g) =>
    subject.ipsecConnections.ok
      ? subject.ipsecConnections.value
          .filter((c) => key(c.gatewayId) === key(g.id) && c.useLocalAzureIpAddress)
          .map((c) => `IPsec ${c.name} over private peering (${g.name}, private IPs${c.status ? `, ${c.status}` : ''})`)
      : [],
  );
  return { ok: true, value: tunnels, fetchedAt: all.fetchedAt };
}

/** The route tables that send some of every workload subnet's traffic to an appliance (Azure's side of "firewalls at both ends"). */
export function applianceNextHops(subject: VnetSubject): Part<string[] | undefined> {
  if (!subject.routeTables.ok) return subject.routeTables;
  const tables = subject.routeTables.value;
  const subnets = checkedSubnets(subject.vnet, 'routes');
  const hops = subnets.map((s) => {
    const table = s.routeTableId ? tables.get(key(s.routeTableId)) : undefined;
    const route = table?.routes.find((r) => r.nextHopType.toLowerCase() === 'virtualappliance');
    return table && route ? `${s.name} → ${route.nextHopIpAddress ?? 'appliance'} (${table.name})` : undefined;
  });
  const all = subnets.length > 0 && hops.every((h) => h !== undefined);
  return { ok: true, value: all ? hops : undefined, fetchedAt: subject.routeTables.fetchedAt };
}
