import { powerStateOf } from './compute-reads';
import { hostOf, parsePrefix, prefixesOverlap, type IpPrefix } from './ip-prefix';
import type { Json, ResourceStore } from './resource-store';
import { armError, type SimResponse } from './sim-http';
import { list, obj, props, resourcesOfType, str } from './write-rule';

/**
 * POST …/networkInterfaces/{nic}/effectiveRouteTable (NetworkInterfaces_GetEffectiveRouteTable), derived from the
 * fleet's live state as "Virtual network traffic routing" (virtual-networks-udr-overview) describes it:
 * - system routes (source Default): each address prefix of the VNet → VnetLocal; 0.0.0.0/0 → Internet;
 *   10.0.0.0/8, 100.64.0.0/10, 172.16.0.0/12, 192.168.0.0/16 → None, unless the VNet's address space is or
 *   contains that range (then the VNet route stands for it); each connected peering's remote space → VNetPeering;
 * - routes learned over BGP by the VNet's virtual network gateways, or a peered hub's when the peering uses the
 *   remote gateways (source VirtualNetworkGateway), left out when the subnet's route table disables gateway
 *   route propagation: an ExpressRoute gateway's from the private-peering route tables of the circuits it is
 *   connected to; a VPN gateway's from the local network gateways of its IPsec connections;
 * - the user-defined routes of the subnet's route table (source User).
 * Where routes share a prefix, the user route wins, then BGP, then the system route; VNet and peering routes win
 * over BGP even when the BGP route is more specific, so BGP routes inside them are not installed. ExpressRoute
 * wins over VPN for the same prefix. The losers are listed with state Invalid. Different prefixes are all
 * Active: which one carries a packet is the longest match, decided when it is sent.
 *
 * What the simulator cannot know: an ExpressRoute route's next hops are given as the Microsoft edge routers'
 * addresses on the links it was learned over (.2 of each peering /30); service-tag user routes, which Azure
 * expands into the tag's prefixes, are left out.
 */

type Source = 'Default' | 'User' | 'VirtualNetworkGateway';

interface Candidate {
  source: Source;
  name?: string;
  /** As written, e.g. a user route's addressPrefix. */
  prefix: string;
  key: string;
  nextHopType: string;
  nextHopIpAddress: string[];
  /** Who wins among routes of one prefix: higher first. */
  rank: number;
}

const RANK = { user: 40, vnet: 30, expressRoute: 21, vpn: 20, system: 10 } as const;
/** Address ranges Azure drops (next hop None) unless a VNet uses them: RFC 1918 and RFC 6598. */
const RESERVED = ['10.0.0.0/8', '100.64.0.0/10', '172.16.0.0/12', '192.168.0.0/16'];
const GATEWAYS = 'microsoft.network/virtualnetworkgateways';
const CONNECTIONS = 'microsoft.network/connections';
const PATHS = ['primary', 'secondary'] as const;

const lower = (s: string | undefined) => (s ?? '').toLowerCase();
const vnetOfSubnet = (subnetId: string) => /^(.*\/virtualnetworks\/[^/]+)\/subnets\/[^/]+$/i.exec(subnetId)?.[1] ?? '';
/** The addressPrefixes of an AddressSpace (a VNet's, a peering's remote one, a local network gateway's). */
const prefixesOf = (space: unknown): string[] => {
  const prefixes = obj(space).addressPrefixes;
  return Array.isArray(prefixes) ? prefixes.flatMap((x) => (typeof x === 'string' ? [x] : [])) : [];
};
/** `inner` lies within `outer` (or is it). */
const within = (inner: IpPrefix, outer: IpPrefix) => outer.length <= inner.length && prefixesOverlap(inner, outer);

export type EffectiveRoutesRead = { error: SimResponse } | { read: () => Json };

/**
 * Checks that the NIC can be asked (Azure answers only for a NIC attached to a running VM) and returns the read
 * to run when the operation completes. Azure documents no error codes for these refusals; the codes are the
 * simulator's own.
 */
export function effectiveRoutesRead(store: ResourceStore, nicId: string): EffectiveRoutesRead {
  const nic = store.get(nicId) ?? {};
  const nicName = str(nic.name) ?? nicId;
  const vmId = str(obj(props(nic).virtualMachine).id);
  const vm = vmId ? store.get(vmId) : undefined;
  if (!vm) {
    return {
      error: armError(
        400,
        'NetworkInterfaceNotAttachedToVirtualMachine',
        `Effective routes can be shown only for a network interface attached to a running virtual machine; '${nicName}' is not attached to one.`,
      ),
    };
  }
  const power = powerStateOf(vm);
  if (power !== 'running') {
    return {
      error: armError(
        400,
        'VirtualMachineNotRunning',
        `Effective routes can be shown only for a network interface attached to a running virtual machine; ` +
          `virtual machine '${str(vm.name) ?? ''}' of '${nicName}' is ${power}.`,
      ),
    };
  }
  const configs = list(props(nic).ipConfigurations);
  const config = configs.find((c) => props(c).primary === true) ?? configs[0];
  const subnetId = str(obj(props(config).subnet).id);
  if (!subnetId || !store.has(subnetId)) {
    return {
      error: armError(400, 'InvalidResourceReference', `Resource '${subnetId ?? ''}' referenced by resource '${nicId}' was not found.`),
    };
  }
  return { read: () => ({ value: effectiveRoutes(store, subnetId) }) };
}

/** The effective routes of a subnet's NICs, in ARM's wire format (EffectiveRoute). */
export function effectiveRoutes(store: ResourceStore, subnetId: string): Json[] {
  const vnetId = vnetOfSubnet(subnetId);
  const vnet = store.get(vnetId);
  const tableId = str(obj(props(store.get(subnetId)).routeTable).id);
  const table = tableId ? store.get(tableId) : undefined;
  const bgpOff = props(table).disableBgpRoutePropagation === true;
  const own = prefixesOf(props(vnet).addressSpace);
  const peerings = connectedPeerings(store, vnet);
  const local = [...own, ...peerings.flatMap((p) => p.prefixes)].flatMap((t) => parsePrefix(t) ?? []);
  const hubs = peerings.filter((p) => p.useRemoteGateways).map((p) => p.remoteId);
  const candidates = [
    ...systemRoutes(own, peerings),
    ...(bgpOff ? [] : gatewayRoutes(store, [vnetId, ...hubs], local)),
    ...userRoutes(table),
  ];
  const best = new Map<string, number>();
  for (const c of candidates) best.set(c.key, Math.max(best.get(c.key) ?? 0, c.rank));
  return candidates.map((c) => ({
    ...(c.name ? { name: c.name } : {}),
    disableBgpRoutePropagation: bgpOff,
    source: c.source,
    state: c.rank === best.get(c.key) ? 'Active' : 'Invalid',
    addressPrefix: [c.prefix],
    nextHopIpAddress: c.nextHopIpAddress,
    nextHopType: c.nextHopType,
  }));
}

/** The route, or none when its prefix is not a prefix (a service tag). */
function candidate(source: Source, prefix: string, nextHopType: string, rank: number, nextHopIpAddress: string[] = []): Candidate[] {
  const parsed = parsePrefix(prefix);
  return parsed ? [{ source, prefix, key: parsed.text, nextHopType, nextHopIpAddress, rank }] : [];
}

interface Peering {
  remoteId: string;
  prefixes: string[];
  useRemoteGateways: boolean;
}

/** The VNet's peerings that carry traffic (Connected; a hand-written one without a state counts). */
function connectedPeerings(store: ResourceStore, vnet: Json | undefined): Peering[] {
  return list(props(vnet).virtualNetworkPeerings)
    .map(props)
    .filter((p) => (str(p.peeringState) ?? 'Connected') === 'Connected')
    .map((p) => {
      const remoteId = str(obj(p.remoteVirtualNetwork).id) ?? '';
      const remote = prefixesOf(p.remoteAddressSpace);
      const prefixes = remote.length > 0 ? remote : prefixesOf(props(store.get(remoteId)).addressSpace);
      return { remoteId, prefixes, useRemoteGateways: p.useRemoteGateways === true };
    });
}

function systemRoutes(own: string[], peerings: Peering[]): Candidate[] {
  const ownParsed = own.flatMap((t) => parsePrefix(t) ?? []);
  const reserved = RESERVED.filter((r) => {
    const range = parsePrefix(r);
    return range !== undefined && !ownParsed.some((o) => within(range, o));
  });
  return [
    ...own.flatMap((p) => candidate('Default', p, 'VnetLocal', RANK.vnet)),
    ...peerings.flatMap((peering) => peering.prefixes.flatMap((p) => candidate('Default', p, 'VNetPeering', RANK.vnet))),
    ...candidate('Default', '0.0.0.0/0', 'Internet', RANK.system),
    ...reserved.flatMap((p) => candidate('Default', p, 'None', RANK.system)),
  ];
}

/** Routes the VNets' gateways learn, one per prefix and gateway kind, with the next hops of every path merged. */
function gatewayRoutes(store: ResourceStore, vnetIds: string[], local: IpPrefix[]): Candidate[] {
  const reach = new Set(vnetIds.map(lower));
  const gateways = resourcesOfType(store, GATEWAYS).filter((g) =>
    list(props(g).ipConfigurations).some((c) => reach.has(lower(vnetOfSubnet(str(obj(props(c).subnet).id) ?? '')))),
  );
  const connections = resourcesOfType(store, CONNECTIONS);
  const merged = new Map<string, Candidate>();
  const add = (prefix: string, rank: number, hops: string[]) => {
    const [c] = candidate('VirtualNetworkGateway', prefix, 'VirtualNetworkGateway', rank);
    const parsed = parsePrefix(prefix);
    // VNet and peering routes are preferred even over more specific BGP routes: those are never installed.
    if (!c || !parsed || local.some((l) => within(parsed, l))) return;
    const key = `${rank}|${c.key}`;
    const seen = merged.get(key) ?? c;
    seen.nextHopIpAddress = [...new Set([...seen.nextHopIpAddress, ...hops])];
    merged.set(key, seen);
  };
  for (const gateway of gateways) {
    const mine = connections.filter((c) => lower(str(obj(props(c).virtualNetworkGateway1).id)) === lower(str(gateway.id)));
    const kind = lower(str(props(gateway).gatewayType));
    for (const connection of mine) {
      const type = lower(str(props(connection).connectionType));
      if (kind === 'expressroute' && type === 'expressroute') {
        for (const learned of expressRouteLearned(store, str(obj(props(connection).peer).id) ?? '')) {
          add(learned.prefix, RANK.expressRoute, [learned.nextHop]);
        }
      }
      if (kind === 'vpn' && type === 'ipsec') {
        const site = store.get(str(obj(props(connection).localNetworkGateway2).id) ?? '');
        const hops = list(props(gateway).ipConfigurations).flatMap((c) => str(props(c).privateIPAddress) ?? []);
        for (const prefix of prefixesOf(props(site).localNetworkAddressSpace)) add(prefix, RANK.vpn, hops);
      }
    }
  }
  return [...merged.values()];
}

/**
 * What a circuit's private peering has learned, link by link: each route-table row with the Microsoft edge
 * router of that link (the .2 of its /30) as next hop.
 */
function expressRouteLearned(store: ResourceStore, circuitId: string): Array<{ prefix: string; nextHop: string }> {
  const peeringId = `${circuitId}/peerings/AzurePrivatePeering`;
  const peering = props(store.peek(peeringId));
  return PATHS.flatMap((path) => {
    const link = str(peering[`${path}PeerAddressPrefix`]);
    const rows = list(store.peek(`${peeringId}/routeTables/${path}`)?.value);
    if (!link || parsePrefix(link)?.address.kind() !== 'ipv4') return [];
    const nextHop = hostOf(link, 2);
    return rows.flatMap((r) => {
      const prefix = str(r.network);
      return prefix ? [{ prefix, nextHop }] : [];
    });
  });
}

function userRoutes(table: Json | undefined): Candidate[] {
  return list(props(table).routes).flatMap((route) => {
    const p = props(route);
    const ip = str(p.nextHopIpAddress);
    const routes = candidate('User', str(p.addressPrefix) ?? '', str(p.nextHopType) ?? 'None', RANK.user, ip ? [ip] : []);
    return routes.map((c) => ({ ...c, name: str(route.name) ?? '' }));
  });
}
