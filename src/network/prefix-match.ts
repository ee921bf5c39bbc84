import { CodedError, ErrorCode } from '../errors';
import { type IpPrefix, overlaps, parsePrefix } from './ip-prefix';

/** Parses a user's prefix query once; a bare address is a host. Throws BadInput with an example when it isn't one. */
function parsePrefixQuery(query: string): IpPrefix {
  const parsed = parsePrefix(query, { bareAddress: 'host' });
  if (!parsed.ok) {
    throw new CodedError(ErrorCode.BadInput, `'${query.trim().slice(0, 64)}' isn't an IP prefix or address.`, {
      hint: 'Give an IPv4 or IPv6 prefix or address, e.g. `10.1.0.0/16`, `10.1.2.3` or `2001:db8::/32`.',
    });
  }
  return parsed.prefix;
}

/**
 * A predicate over route networks for one query, so a 10,000-row table parses the query once. Route networks
 * printed without a length by the router are classful (10.0.0.0 = /8), like `show ip bgp`.
 */
export function routeMatcher(query: string): (network: string) => boolean {
  const q = parsePrefixQuery(query);
  return (network) => {
    const route = parsePrefix(network, { bareAddress: 'classful' });
    return route.ok && overlaps(route.prefix, q);
  };
}

/** Whether a route's network overlaps the query (an IPv4/IPv6 prefix or address). */
export function routeMatches(network: string, query: string): boolean {
  return routeMatcher(query)(network);
}
