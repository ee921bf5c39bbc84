import { CodedError, ErrorCode } from '../errors';

/** A parsed prefix: the address as a bigint of `bits` bits, and the prefix length. */
export interface IpPrefix {
  family: 4 | 6;
  address: bigint;
  length: number;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const p of parts) {
    // No leading zeros: "010" is octal to some tools and decimal to others.
    if (!/^(0|[1-9]\d{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  let body = text.toLowerCase();
  // An embedded IPv4 tail (::ffff:10.0.0.1) stands for the last two groups.
  const lastColon = body.lastIndexOf(':');
  if (lastColon >= 0 && body.slice(lastColon + 1).includes('.')) {
    const v4 = parseIpv4(body.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    body = `${body.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string | undefined) => (s === undefined || s === '' ? [] : s.split(':'));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  for (const g of [...head, ...rest]) if (!/^[0-9a-f]{1,4}$/.test(g)) return undefined;
  const given = head.length + rest.length;
  if (halves.length === 1 ? given !== 8 : given > 7) return undefined;
  const all = [
    ...head.map((g) => BigInt(`0x${g}`)),
    ...Array<bigint>(8 - given).fill(0n),
    ...rest.map((g) => BigInt(`0x${g}`)),
  ];
  return all.reduce((acc, g) => (acc << 16n) | g, 0n);
}

/**
 * "10.1.0.0/16", "10.1.2.3" (a host), "2001:db8::/32". Route networks printed without a length by the router
 * are classful (10.0.0.0 = /8), like `show ip bgp`; a bare address typed as a query is a host.
 */
export function parsePrefix(text: string, bareAddress: 'host' | 'classful' = 'host'): IpPrefix | undefined {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const addressText = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const lengthText = slash < 0 ? undefined : trimmed.slice(slash + 1);
  const family: 4 | 6 = addressText.includes(':') ? 6 : 4;
  const address = family === 4 ? parseIpv4(addressText) : parseIpv6(addressText);
  if (address === undefined) return undefined;
  const bits = family === 4 ? 32 : 128;
  let length: number;
  if (lengthText === undefined) {
    length = family === 4 && bareAddress === 'classful' ? classfulLength(address) : bits;
  } else {
    if (!/^(0|[1-9]\d{0,2})$/.test(lengthText)) return undefined;
    length = Number(lengthText);
    if (length > bits) return undefined;
  }
  return { family, address, length };
}

function classfulLength(address: bigint): number {
  const first = Number(address >> 24n);
  if (first < 128) return 8;
  if (first < 192) return 16;
  return 24;
}

/** Whether the two prefixes share any address, i.e. one contains the other. */
export function prefixesOverlap(a: IpPrefix, b: IpPrefix): boolean {
  if (a.family !== b.family) return false;
  const bits = BigInt(a.family === 4 ? 32 : 128);
  const shift = bits - BigInt(Math.min(a.length, b.length));
  return a.address >> shift === b.address >> shift;
}

/** Parses a user's prefix query once; throws BadInput with an example when it isn't one. */
export function parsePrefixQuery(query: string): IpPrefix {
  const parsed = parsePrefix(query, 'host');
  if (!parsed) {
    throw new CodedError(ErrorCode.BadInput, `'${query.trim().slice(0, 64)}' isn't an IP prefix or address.`, {
      hint: 'Give an IPv4 or IPv6 prefix or address, e.g. `10.1.0.0/16`, `10.1.2.3` or `2001:db8::/32`.',
    });
  }
  return parsed;
}

/** A predicate over route networks for one query, so a 10,000-row table parses the query once. */
export function routeMatcher(query: string): (network: string) => boolean {
  const q = parsePrefixQuery(query);
  return (network) => {
    const route = parsePrefix(network, 'classful');
    return route !== undefined && prefixesOverlap(route, q);
  };
}

/** Whether a route's network overlaps the query (an IPv4/IPv6 prefix or address). */
export function routeMatches(network: string, query: string): boolean {
  return routeMatcher(query)(network);
}
