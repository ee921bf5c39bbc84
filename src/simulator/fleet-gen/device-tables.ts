import { hostOf, ipv4Plus } from '../ip-prefix';
import type { SeededRandom } from './seeded-random';

/** The generated device tables (route summary, routes, ARP) of one link of a peering. */

/** One side (primary or secondary link) of a peering as the Microsoft edge router (MSEE) sees it. */
export interface LinkSpec {
  /** The /30 of this link; the customer edge is .1, the MSEE .2. */
  subnet: string;
  peerAsn: number;
  /** Whether the BGP session is established. */
  bgpUp: boolean;
  /** Whether the MSEE has ARP entries on this link. */
  arp: boolean;
}

export interface RoutesSpec {
  /** How many prefixes the customer advertises (the summary's statePfxRcd when up). */
  received: number;
  /** Where the customer's prefixes come from, e.g. 10.64.0.0 or a public block for Microsoft peering. */
  base: string;
  /** Prefix length of each advertised route. */
  length: number;
  /** Azure-side prefixes the MSEE also carries (VNet address spaces), shown with AS 65515. */
  azurePrefixes?: string[];
  /** Intermediate ASNs prepended after the customer's own, to look like a real enterprise WAN. */
  transitAsns?: number[];
}

/** Route table summary row (ExpressRouteCircuitRoutesTableSummary, wire format). */
export function summaryRows(link: LinkSpec, routes: RoutesSpec, random: SeededRandom): unknown[] {
  const upDown = link.bgpUp
    ? `${random.int(1, 40)}d${String(random.int(0, 23)).padStart(2, '0')}h`
    : random.pick(['00:04:17', '00:41:09', '1d02h']);
  const state = link.bgpUp ? String(routes.received) : random.pick(['Idle', 'Active']);
  return [{ neighbor: hostOf(link.subnet, 1), v: 4, as: link.peerAsn, upDown, statePfxRcd: state }];
}

/** The MSEE's route table for a link: the customer's prefixes via the customer edge, plus Azure's own. */
export function routeRows(link: LinkSpec, routes: RoutesSpec, random: SeededRandom): unknown[] {
  if (!link.bgpUp) return [];
  const rows: unknown[] = [];
  const step = 2 ** (32 - routes.length);
  const nextHop = hostOf(link.subnet, 1);
  for (let i = 0; i < routes.received; i++) {
    const transit = routes.transitAsns?.length ? ` ${random.pick(routes.transitAsns)}` : '';
    rows.push({
      network: `${ipv4Plus(routes.base, i * step)}/${routes.length}`,
      nextHop,
      locPrf: '',
      weight: 0,
      path: `${link.peerAsn}${i % 7 === 0 ? transit : ''}`,
    });
  }
  for (const prefix of routes.azurePrefixes ?? []) {
    rows.push({ network: prefix, nextHop: hostOf(prefix, 4 + random.int(0, 1)), locPrf: '', weight: 32768, path: '65515' });
  }
  return rows;
}

/** ARP entries on a link: the customer edge and the MSEE itself, with their MAC addresses. */
export function arpRows(link: LinkSpec, random: SeededRandom): unknown[] {
  if (!link.arp) return [];
  return [
    { age: random.int(0, 240), interface: 'On-Prem', ipAddress: hostOf(link.subnet, 1), macAddress: random.mac() },
    { age: 0, interface: 'Microsoft', ipAddress: hostOf(link.subnet, 2), macAddress: random.mac() },
  ];
}
