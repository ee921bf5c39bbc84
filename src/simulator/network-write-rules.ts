import { isNetworkAddress, parsePrefix, prefixesOverlap, type IpPrefix } from './ip-prefix';
import type { Json } from './resource-store';
import { obj, props, reject, str, type WriteRule } from './write-rule';

/**
 * More of what Network RP enforces on peerings, route tables and route filter attachment. Kept apart from
 * write-rules.ts (circuit and filter shape) so each file stays small; WRITE_RULES lists both.
 */

const PEERINGS = 'microsoft.network/expressroutecircuits/peerings';
const ROUTES = 'microsoft.network/routetables/routes';
export const MICROSOFT_PEERING_PREFIX_LIMIT = 200;
export const ROUTE_TABLE_ROUTE_LIMIT = 400;

const list = (v: unknown): Json[] => (Array.isArray(v) ? v.map(obj) : []);
const cidrOf = (text: string | undefined): IpPrefix | undefined => (text ? parsePrefix(text) : undefined);

function subnetsOf(peering: Json): string[] {
  const p = props(peering);
  const v6 = obj(p.ipv6PeeringConfig);
  return [p.primaryPeerAddressPrefix, p.secondaryPeerAddressPrefix, v6.primaryPeerAddressPrefix, v6.secondaryPeerAddressPrefix].flatMap(
    (s) => (typeof s === 'string' ? [s] : []),
  );
}

/** Link subnets: aligned, primary and secondary disjoint, and not used by another peering of the circuit. */
const peeringSubnets: WriteRule = (a) => {
  if (a.type !== PEERINGS || a.method === 'DELETE' || !a.proposed) return undefined;
  const p = props(a.proposed);
  const v6 = obj(p.ipv6PeeringConfig);
  for (const [primary, secondary] of [
    [str(p.primaryPeerAddressPrefix), str(p.secondaryPeerAddressPrefix)],
    [str(v6.primaryPeerAddressPrefix), str(v6.secondaryPeerAddressPrefix)],
  ] as const) {
    const [pc, sc] = [cidrOf(primary), cidrOf(secondary)];
    for (const [text, c] of [
      [primary, pc],
      [secondary, sc],
    ] as const) {
      if (text !== undefined && c && !isNetworkAddress(c))
        return reject('InvalidPeeringSubnet', `Peer address prefix '${text}' is not a valid network address; use ${c.text}.`);
    }
    if (pc && sc && prefixesOverlap(pc, sc)) {
      return reject(
        'PeeringSubnetsOverlap',
        `Primary peer address prefix '${primary}' and secondary peer address prefix '${secondary}' overlap.`,
      );
    }
  }
  const mine = subnetsOf(a.proposed)
    .map(cidrOf)
    .filter((c): c is IpPrefix => c !== undefined);
  for (const other of list(props(a.parent).peerings)) {
    if (str(other.name)?.toLowerCase() === a.name.toLowerCase()) continue;
    const clash = subnetsOf(other).find((s) => {
      const c = cidrOf(s);
      return c !== undefined && mine.some((m) => prefixesOverlap(m, c));
    });
    if (clash)
      return reject(
        'PeeringSubnetsOverlap',
        `The peer address prefixes of '${a.name}' overlap '${clash}' of peering '${str(other.name)}'.`,
      );
  }
  return undefined;
};

const microsoftPrefixLimit: WriteRule = (a) => {
  if (a.type !== PEERINGS || a.method === 'DELETE' || !a.proposed) return undefined;
  const prefixes = obj(props(a.proposed).microsoftPeeringConfig).advertisedPublicPrefixes;
  if (Array.isArray(prefixes) && prefixes.length > MICROSOFT_PEERING_PREFIX_LIMIT) {
    return reject(
      'AdvertisedPublicPrefixesLimitExceeded',
      `Microsoft peering '${a.name}' advertises ${prefixes.length} prefixes; at most ${MICROSOFT_PEERING_PREFIX_LIMIT} are allowed.`,
    );
  }
  return undefined;
};

/** A peering may only reference a route filter that exists. */
const routeFilterExists: WriteRule = (a) => {
  if (a.type !== PEERINGS || a.method === 'DELETE' || !a.proposed) return undefined;
  const id = str(obj(props(a.proposed).routeFilter).id);
  if (id === undefined || a.store.has(id)) return undefined;
  return reject('InvalidResourceReference', `Resource '${id}' referenced by resource '${a.id}' was not found.`);
};

const routeValues: WriteRule = (a) => {
  if (a.type !== ROUTES || a.method === 'DELETE' || !a.proposed) return undefined;
  const p = props(a.proposed);
  const prefix = str(p.addressPrefix);
  const c = cidrOf(prefix);
  if (!c) return reject('InvalidRouteAddressPrefix', `Route '${a.name}' has an invalid address prefix '${prefix ?? ''}'.`);
  const hop = str(p.nextHopType);
  if (hop === 'VirtualAppliance' && !str(p.nextHopIpAddress)) {
    return reject('NextHopIpAddressRequired', `Route '${a.name}' has next hop type VirtualAppliance but no next hop IP address.`);
  }
  if (hop !== 'VirtualAppliance' && str(p.nextHopIpAddress)) {
    return reject('NextHopIpAddressNotAllowed', `Route '${a.name}' has next hop type ${hop ?? '?'}, which takes no next hop IP address.`);
  }
  const siblings = list(props(a.parent).routes).filter((r) => str(r.name)?.toLowerCase() !== a.name.toLowerCase());
  const dup = siblings.find((r) => cidrOf(str(props(r).addressPrefix))?.text === c.text);
  if (dup) return reject('RouteConflict', `Route '${a.name}' has the same address prefix ${c.text} as route '${str(dup.name)}'.`);
  if (!a.existing && siblings.length + 1 > ROUTE_TABLE_ROUTE_LIMIT) {
    return reject(
      'RouteTableRouteLimitExceeded',
      `Route table '${a.id.split('/')[8] ?? ''}' cannot have more than ${ROUTE_TABLE_ROUTE_LIMIT} routes.`,
    );
  }
  return undefined;
};

export const NETWORK_WRITE_RULES: readonly WriteRule[] = [peeringSubnets, microsoftPrefixLimit, routeFilterExists, routeValues];
