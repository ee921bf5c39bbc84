import ipaddr from 'ipaddr.js';

/**
 * The simulator's only IP parsing and arithmetic, on ipaddr.js: prefixes as Network RP reads them (peer address
 * prefixes, route prefixes) and the IPv4 addresses and subnets the fleet generators hand out.
 */

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/** An IPv4 or IPv6 prefix as Network RP reads a peer address prefix. */
export interface IpPrefix {
  /** The address as written. */
  address: IpAddress;
  length: number;
  /** The network address (host bits cleared). */
  network: IpAddress;
  /** The network as it should have been written, e.g. 10.0.0.0/30. */
  text: string;
}

/** `a.b.c.d/n` or an IPv6 prefix; undefined for anything else. */
export function parsePrefix(input: string): IpPrefix | undefined {
  const [ip = '', len, extra] = input.trim().split('/');
  if (len === undefined || extra !== undefined || !/^\d{1,3}$/.test(len)) return undefined;
  const address = parseAddress(ip);
  const length = Number(len);
  if (!address || length > bitsOf(address)) return undefined;
  const network = networkOf(address, length);
  return { address, length, network, text: `${network.toString()}/${length}` };
}

/** Written as its own network address (10.0.0.0/30, not 10.0.0.1/30), as ARM requires of a link subnet. */
export function isNetworkAddress(p: IpPrefix): boolean {
  const network = p.network.toByteArray();
  return p.address.toByteArray().every((b, i) => b === network[i]);
}

export function prefixesOverlap(a: IpPrefix, b: IpPrefix): boolean {
  if (a.network.kind() !== b.network.kind()) return false;
  // Two prefixes overlap exactly when the shorter one contains the other's network.
  return a.network.match(b.network, Math.min(a.length, b.length));
}

/** The IPv4 address `offset` addresses after `ip`: ipv4Plus('10.1.0.0', 5) → 10.1.0.5. */
export function ipv4Plus(ip: string, offset: number): string {
  const n = ipv4Number(ip) + offset;
  return ipaddr.fromByteArray([24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256)).toString();
}

/** The n-th address of an IPv4 prefix, counted from the address as written: hostOf('10.1.0.0/30', 1) → 10.1.0.1. */
export function hostOf(prefix: string, n: number): string {
  const [ip = ''] = prefix.split('/');
  return ipv4Plus(ip, n);
}

/** The n-th /`length` subnet of an IPv4 block: subnetAt('10.1.0.0/24', 30, 1) → 10.1.0.4/30. */
export function subnetAt(block: string, length: number, n: number): string {
  const parsed = parsePrefix(block);
  if (parsed?.network.kind() !== 'ipv4') throw new Error(`'${block}' is not an IPv4 prefix.`);
  return `${ipv4Plus(parsed.network.toString(), n * 2 ** (32 - length))}/${length}`;
}

function parseAddress(ip: string): IpAddress | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(ip)) return ipaddr.IPv4.parse(ip);
  // A zone (fe80::1%eth0) names an interface, which a prefix never has.
  if (!ip.includes(':') || ip.includes('%')) return undefined;
  const lastColon = ip.lastIndexOf(':');
  const tail = ip.slice(lastColon + 1);
  let text = ip;
  if (tail.includes('.')) {
    // ipaddr.js reads '::a.b.c.d' as IPv4-mapped (::ffff:a.b.c.d); RFC 4291 reads the tail as the last two
    // groups, so it becomes those groups first.
    if (!ipaddr.IPv4.isValidFourPartDecimal(tail)) return undefined;
    const [a = 0, b = 0, c = 0, d = 0] = ipaddr.IPv4.parse(tail).octets;
    text = `${ip.slice(0, lastColon + 1)}${(a * 256 + b).toString(16)}:${(c * 256 + d).toString(16)}`;
  }
  return ipaddr.IPv6.isValid(text) ? ipaddr.IPv6.parse(text) : undefined;
}

function bitsOf(address: IpAddress): number {
  return address.kind() === 'ipv4' ? 32 : 128;
}

function networkOf(address: IpAddress, length: number): IpAddress {
  const family = address.kind() === 'ipv4' ? ipaddr.IPv4 : ipaddr.IPv6;
  const mask = family.subnetMaskFromPrefixLength(length).toByteArray();
  return ipaddr.fromByteArray(address.toByteArray().map((byte, i) => byte & (mask[i] ?? 0)));
}

function ipv4Number(ip: string): number {
  if (!ipaddr.IPv4.isValidFourPartDecimal(ip)) throw new Error(`'${ip}' is not an IPv4 address.`);
  return ipaddr.IPv4.parse(ip).octets.reduce((acc, octet) => acc * 256 + octet, 0);
}
