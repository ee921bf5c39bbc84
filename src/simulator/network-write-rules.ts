import { isNetworkAddress, parsePrefix, prefixesOverlap, type IpPrefix } from './ip-prefix';
import type { Json } from './resource-store';
import { UDR_WRITE_RULES } from './udr-write-rules';
import { obj, props, reject, str, type WriteRule } from './write-rule';

/**
 * More of what Network RP enforces on peerings and route filter attachment, and (udr-write-rules.ts) on route
 * tables. Kept apart from write-rules.ts (circuit and filter shape) so each file stays small; WRITE_RULES lists both.
 */

const PEERINGS = 'microsoft.network/expressroutecircuits/peerings';
export const MICROSOFT_PEERING_PREFIX_LIMIT = 200;

const list = (v: unknown): Json[] => (Array.isArray(v) ? v.map(obj) : []);
const cidrOf = (text: string | undefined): IpPrefix | undefined => (text ? parsePrefix(text) : undefined);

/** Every link subnet a peering body carries, IPv4 (top level) and IPv6 (ipv6PeeringConfig). */
export function subnetsOf(peering: Json): string[] {
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

export const NETWORK_WRITE_RULES: readonly WriteRule[] = [peeringSubnets, microsoftPrefixLimit, routeFilterExists, ...UDR_WRITE_RULES];
