import { CodedError, ErrorCode } from '../errors';
import { contains, parseAddress, parsePrefix } from './ip-prefix';
import type { GatewayFact } from './posture-facts';
import type { Fresh, ReadOptions } from './types';

/**
 * A NIC's effective routes (what Azure programs for it: system routes, UDRs and routes learned by the VNet's
 * gateways), and which one carries traffic to a destination, decided as Azure decides it ("Virtual network
 * traffic routing"): the longest prefix first; for one prefix, a user route over BGP over a system route; and
 * VNet and peering routes over BGP routes even when those are more specific.
 */

export interface EffectiveRoute {
  /** A user route's name; system and BGP routes have none. */
  name?: string;
  /** Default (system), User (UDR) or VirtualNetworkGateway (learned over BGP, or a VPN site's). */
  source: string;
  /** Active, or Invalid when Azure overrode it with another route of the same prefix. */
  state: string;
  addressPrefixes: string[];
  /** VnetLocal, VNetPeering, VirtualNetworkGateway, VirtualAppliance, Internet, None… */
  nextHopType: string;
  nextHopIps: string[];
}

/** A NIC to read, found by its own name or by its VM's (then the VM's primary NIC). */
export interface NetworkInterfaceRef {
  id: string;
  name: string;
  subscriptionId: string;
  /** What the user named: the NIC, or its VM. */
  named: 'nic' | 'vm';
  vm?: { id: string; name: string; powerState?: string };
  privateIp?: string;
  subnetId?: string;
}

export interface EffectiveRouteTable {
  routes: EffectiveRoute[];
  /** The gateways the NIC's VNet sends through (its own, or a peered hub's): they tell ExpressRoute from VPN next hops. */
  gateways: GatewayFact[];
  /** The subnet's route table turns gateway route propagation off: no BGP routes. */
  bgpPropagationDisabled: boolean;
}

/** The port effective routes are read through; src/azure implements it (Resource Graph, and ARM's long-running POST). */
export interface EffectiveRoutesReader {
  /** The NICs named `nameOrId`, or the primary NICs of the VMs so named, in these subscriptions of one tenant. */
  findInterfaces(
    tenantId: string,
    subscriptions: readonly string[],
    nameOrId: string,
    options?: ReadOptions,
  ): Promise<NetworkInterfaceRef[]>;
  /**
   * The NICs whose primary IP configuration is in one of these subnets (each with its `subnetId` and its VM's power
   * state), in these subscriptions of one tenant: any of them shows, in its effective routes, what its subnet's route
   * table does. One read for all the subnets, whatever their number.
   */
  interfacesInSubnets(
    tenantId: string,
    subscriptions: readonly string[],
    subnetIds: readonly string[],
    options?: ReadOptions,
  ): Promise<NetworkInterfaceRef[]>;
  /**
   * The NIC's effective route table: a long-running read that Azure refuses for a NIC of a VM that isn't running
   * (then a CodedError from `notReadable`). `subscriptions` are where the gateways of its VNet may be.
   */
  effectiveRoutes(
    tenantId: string,
    subscriptions: readonly string[],
    nic: NetworkInterfaceRef,
    options?: ReadOptions,
  ): Promise<Fresh<EffectiveRouteTable>>;
}

const ONLY_RUNNING =
  'Azure computes effective routes only for a NIC attached to a running VM. Start the VM, or ask about a running VM in the same subnet: it gets the same routes.';

/**
 * Why Azure can't show the NIC's effective routes, before asking it (what Resource Graph says of the VM), or from
 * its refusal (`azureSays`); undefined when nothing known stands in the way.
 */
export function notReadable(nic: NetworkInterfaceRef, azureSays?: string): CodedError | undefined {
  const subject = nic.named === 'vm' && nic.vm ? `VM ${nic.vm.name}` : `NIC ${nic.name}`;
  const state = nic.vm?.powerState;
  const stopped = state && state !== 'running' ? state : undefined;
  const why = !nic.vm
    ? "it isn't attached to a VM"
    : stopped
      ? nic.named === 'vm'
        ? `it is ${stopped}`
        : `its VM ${nic.vm.name} is ${stopped}`
      : undefined;
  if (why === undefined && azureSays === undefined) return undefined;
  const said = azureSays ? ` Azure says: ${azureSays.replace(/\s+/g, ' ').trim().slice(0, 300)}` : '';
  return new CodedError(ErrorCode.Refused, `I can't show the effective routes of ${subject}${why ? `: ${why}` : ''}.${said}`, {
    hint: ONLY_RUNNING,
  });
}

export type Destination =
  'expressroute' | 'ipsec-over-expressroute' | 'vpn' | 'gateway' | 'appliance' | 'internet' | 'vnet' | 'peering' | 'dropped' | 'no-route';

export interface Candidate {
  route: EffectiveRoute;
  /** The route's prefix that covers the destination (its longest, if several do). */
  prefix: string;
  prefixLength: number;
  /** Why it does not carry the traffic; undefined for the winner. */
  lost?: string;
}

export interface RouteChoice {
  /** The destination, in canonical text. */
  destination: string;
  winner?: Candidate;
  /** Why the winner wins, one reason a line. */
  why: string[];
  /** Every route covering the destination: the winner first, then the others with why each lost. */
  candidates: Candidate[];
  goes: { kind: Destination; text: string };
}

const SOURCE_RANK: Record<string, number> = { user: 3, virtualnetworkgateway: 2, default: 1 };
const sourceRank = (r: EffectiveRoute) => SOURCE_RANK[r.source.toLowerCase()] ?? 0;
const SOURCE_WORDS: Record<string, string> = { user: 'a user route', virtualnetworkgateway: 'a BGP route', default: 'a system route' };
const sourceWords = (r: EffectiveRoute) => SOURCE_WORDS[r.source.toLowerCase()] ?? `a ${r.source} route`;
/** System routes to the VNet and its peerings: preferred over BGP routes, even more specific ones. */
const LOCAL_HOPS = new Set(['vnetlocal', 'vnetpeering', 'vnetglobalpeering']);
const isLocal = (r: EffectiveRoute) => r.source.toLowerCase() === 'default' && LOCAL_HOPS.has(r.nextHopType.toLowerCase());
const isBgp = (r: EffectiveRoute) => r.source.toLowerCase() === 'virtualnetworkgateway';

/** The destination as typed; throws BadInput with an example when it isn't one IP address. */
export function parseDestination(text: string): string {
  const address = parseAddress(text);
  if (!address) {
    throw new CodedError(ErrorCode.BadInput, `'${text.trim().slice(0, 64)}' isn't an IP address.`, {
      hint: 'Give one IPv4 or IPv6 address as the destination, e.g. 10.20.1.5.',
    });
  }
  return address.text;
}

function covering(route: EffectiveRoute, destination: string): Candidate | undefined {
  let best: Candidate | undefined;
  const host = parsePrefix(destination, { bareAddress: 'host' });
  if (!host.ok) return undefined;
  for (const text of route.addressPrefixes) {
    const p = parsePrefix(text);
    if (p.ok && contains(p.prefix, host.prefix) && (!best || p.prefix.prefixLength > best.prefixLength)) {
      best = { route, prefix: p.prefix.text, prefixLength: p.prefix.prefixLength };
    }
  }
  return best;
}

/** Where traffic goes by this route; the gateways tell an ExpressRoute next hop from a VPN one. */
export function whereTo(route: EffectiveRoute | undefined, gateways: readonly GatewayFact[]): { kind: Destination; text: string } {
  if (!route) return { kind: 'no-route', text: 'Nowhere: no route covers it, so Azure drops the traffic.' };
  const hops = route.nextHopIps.join(', ');
  switch (route.nextHopType.toLowerCase()) {
    case 'none':
      return { kind: 'dropped', text: 'Nowhere: the route’s next hop is None, so Azure drops the traffic.' };
    case 'virtualappliance':
      return { kind: 'appliance', text: `To the virtual appliance at ${hops || 'an unnamed address'} (a firewall or NVA).` };
    case 'internet':
      return { kind: 'internet', text: 'Out to the internet, directly from Azure (not over ExpressRoute).' };
    case 'vnetlocal':
      return { kind: 'vnet', text: 'Stays inside the VNet.' };
    case 'vnetpeering':
    case 'vnetglobalpeering':
      return { kind: 'peering', text: 'To a peered VNet, over VNet peering.' };
    case 'virtualnetworkgateway': {
      const vpn = gateways.find((g) => g.kind.toLowerCase() === 'vpn' && g.privateIpAddresses.some((ip) => route.nextHopIps.includes(ip)));
      if (vpn?.enablePrivateIpAddress) {
        return {
          kind: 'ipsec-over-expressroute',
          text: `Through the IPsec tunnel of VPN gateway ${vpn.name}, over ExpressRoute private peering (encrypted).`,
        };
      }
      if (vpn) return { kind: 'vpn', text: `Through VPN gateway ${vpn.name} (site-to-site VPN, not ExpressRoute).` };
      const er = gateways.find((g) => g.kind.toLowerCase() === 'expressroute');
      if (er)
        return {
          kind: 'expressroute',
          text: `Crosses ExpressRoute through gateway ${er.name}${hops ? ` (next hops ${hops}: the Microsoft edge routers)` : ''}.`,
        };
      const only = gateways.find((g) => g.kind.toLowerCase() === 'vpn');
      if (only) return { kind: 'vpn', text: `Through VPN gateway ${only.name}.` };
      return { kind: 'gateway', text: `To the VNet's gateway${hops ? ` (${hops})` : ''}; which kind couldn't be read.` };
    }
    default:
      return { kind: 'gateway', text: `To next hop ${route.nextHopType}${hops ? ` ${hops}` : ''}.` };
  }
}

/** Why `loser` does not carry traffic that `winner` does. */
function lostTo(loser: Candidate, winner: Candidate): string {
  if (loser.prefixLength < winner.prefixLength)
    return `/${loser.prefixLength} is shorter than /${winner.prefixLength}: the longest prefix wins`;
  if (sourceRank(loser.route) < sourceRank(winner.route)) {
    return `same prefix: ${sourceWords(winner.route)} wins over ${sourceWords(loser.route)}`;
  }
  return 'same prefix and source: Azure uses the first';
}

/** Which route carries traffic to `destination`, and why; where the traffic goes. */
export function chooseRoute(table: Pick<EffectiveRouteTable, 'routes' | 'gateways'>, destination: string): RouteChoice {
  const to = parseDestination(destination);
  const all = table.routes.flatMap((r) => covering(r, to) ?? []);
  const invalid = all.filter((c) => c.route.state.toLowerCase() === 'invalid');
  let active = all.filter((c) => c.route.state.toLowerCase() !== 'invalid');
  const local = active.find((c) => isLocal(c.route));
  const shadowed = local ? active.filter((c) => isBgp(c.route)) : [];
  active = active.filter((c) => !shadowed.includes(c));
  const ranked = [...active].sort((a, b) => b.prefixLength - a.prefixLength || sourceRank(b.route) - sourceRank(a.route));
  const [winner, ...others] = ranked;
  const why: string[] = [];
  if (winner) {
    const rivals = others.filter((o) => o.prefixLength === winner.prefixLength);
    why.push(others.length === 0 ? `The only active route covering ${to}.` : `Longest prefix covering ${to}: ${winner.prefix}.`);
    if (rivals.length > 0)
      why.push(`For ${winner.prefix}, ${sourceWords(winner.route)} wins over ${rivals.map((r) => sourceWords(r.route)).join(' and ')}.`);
    if (shadowed.length > 0) why.push('VNet and peering routes are preferred over BGP routes, even more specific ones.');
  }
  const candidates: Candidate[] = [
    ...(winner ? [winner] : []),
    ...(winner ? others.map((o) => ({ ...o, lost: lostTo(o, winner) })) : []),
    ...shadowed.map((c) => ({ ...c, lost: `inside ${local?.prefix ?? 'the VNet'}: VNet and peering routes win over BGP` })),
    ...invalid.map((c) => ({ ...c, lost: 'Invalid: Azure overrides it with another route of the same prefix' })),
  ];
  return { destination: to, ...(winner ? { winner } : {}), why, candidates, goes: whereTo(winner?.route, table.gateways) };
}
