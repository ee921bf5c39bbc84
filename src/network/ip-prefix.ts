import ipaddr from 'ipaddr.js';

/**
 * The bot's one reader of IPv4/IPv6 addresses and prefixes, on ipaddr.js. ipaddr.js is more lenient than
 * ARM and RFC 4291: it reads 10.1 and 0x0a.0.0.1 as IPv4, 010 as octal (ARM reads 10), takes zone ids
 * (fe80::1%eth0), and reads ::1.2.3.4 as ::ffff:1.2.3.4. Those are refused or read the RFC way here, so a
 * prefix means the same to the bot as to Azure. Failures are one sentence, ready for a zod issue or a reply.
 */

export type IpVersion = 4 | 6;

/** Address width in bits, which is also the longest prefix length. */
const ADDRESS_BITS: Readonly<Record<IpVersion, number>> = { 4: 32, 6: 128 };

export interface IpAddress {
  readonly version: IpVersion;
  /** Canonical text: a dotted quad, or RFC 5952 (lower case, the longest run of zero groups as `::`). */
  readonly text: string;
}

export interface IpPrefix {
  readonly version: IpVersion;
  /** The address as written, in canonical text, host bits kept: 10.0.0.1 in 10.0.0.1/30. */
  readonly address: string;
  readonly prefixLength: number;
  /** The network in canonical text: 10.0.0.0/30, 2001:db8::/126. */
  readonly text: string;
  /** The network's first address, for the range checks below. */
  readonly network: ipaddr.IPv4 | ipaddr.IPv6;
}

export type PrefixResult = { ok: true; prefix: IpPrefix } | { ok: false; reason: string };

export interface ParsePrefixOptions {
  /**
   * What an address without `/length` means: refused (the default: a prefix someone asks to configure), one
   * host (/32 or /128: a route query), or classful for IPv4, as routers print 10.0.0.0 for 10.0.0.0/8.
   */
  bareAddress?: 'refuse' | 'host' | 'classful';
  /** `refuse` turns away 10.0.0.1/30 with the network it meant instead of reading it as 10.0.0.0/30. */
  hostBits?: 'allow' | 'refuse';
}

/** Hex groups with at most one dotted tail; 45 characters is the longest valid form. No zone id. */
const IPV6_CHARS = /^[0-9a-f:.]{2,45}$/i;

/** Four decimal octets without leading zeros: people mean 10 by 010, which some tools read as octal 8. */
const DOTTED_QUAD = /^(?:0|[1-9]\d{0,2})(?:\.(?:0|[1-9]\d{0,2})){3}$/;

function readIPv4(text: string): ipaddr.IPv4 | undefined {
  if (!DOTTED_QUAD.test(text)) return undefined;
  try {
    return ipaddr.IPv4.parse(text);
  } catch {
    return undefined; // an octet over 255
  }
}

function readIPv6(text: string): ipaddr.IPv6 | undefined {
  if (!IPV6_CHARS.test(text)) return undefined;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  let hex = text;
  if (tail.includes('.')) {
    // The dotted tail is the last two groups (RFC 4291), read as strictly as an IPv4 address.
    const v4 = readIPv4(tail);
    if (!v4) return undefined;
    const [a = 0, b = 0, c = 0, d = 0] = v4.toByteArray();
    hex = `${text.slice(0, lastColon + 1)}${(a * 256 + b).toString(16)}:${(c * 256 + d).toString(16)}`;
  }
  return ipaddr.IPv6.isValid(hex) ? ipaddr.IPv6.parse(hex) : undefined;
}

function readIp(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  return text.includes(':') ? readIPv6(text) : readIPv4(text);
}

const versionOf = (ip: ipaddr.IPv4 | ipaddr.IPv6): IpVersion => (ip.kind() === 'ipv4' ? 4 : 6);

/** An IPv4 or IPv6 address (no length), or undefined. Surrounding whitespace is ignored. */
export function parseAddress(text: string): IpAddress | undefined {
  const ip = readIp(text.trim());
  return ip && { version: versionOf(ip), text: ip.toString() };
}

/** Whether the address is a loopback one (127.0.0.0/8, ::1, or an IPv4-mapped loopback). */
export function isLoopbackAddress(text: string): boolean {
  const ip = readIp(text.trim());
  if (!ip) return false;
  const v4 = ip instanceof ipaddr.IPv6 && ip.isIPv4MappedAddress() ? ip.toIPv4Address() : ip;
  return v4.range() === 'loopback';
}

/** Class A, B or C by the first octet: how a router means a network it prints without a length. */
function classfulLength(ip: ipaddr.IPv4): number {
  const first = ip.octets[0] ?? 0;
  return first < 128 ? 8 : first < 192 ? 16 : 24;
}

/** The address with its host bits cleared; networkAddressFromCIDR re-parses text, too slow for 10,000 routes. */
function networkOf(ip: ipaddr.IPv4 | ipaddr.IPv6, prefixLength: number): ipaddr.IPv4 | ipaddr.IPv6 {
  const mask = (ip.kind() === 'ipv4' ? ipaddr.IPv4 : ipaddr.IPv6).subnetMaskFromPrefixLength(prefixLength).toByteArray();
  return ipaddr.fromByteArray(ip.toByteArray().map((b, i) => b & (mask[i] ?? 0)));
}

/** Parses "address/length". A reason never echoes more than the first 50 characters it was given. */
export function parsePrefix(input: string, options: ParsePrefixOptions = {}): PrefixResult {
  const bare = options.bareAddress ?? 'refuse';
  const shown = input.length > 50 ? `${input.slice(0, 50)}…` : input;
  const fail = (reason: string): PrefixResult => ({ ok: false, reason });
  const m = /^\s*([^/\s]+)(?:\/(\d{1,3}))?\s*$/.exec(input);
  const [, addressText = '', lengthText] = m ?? [];
  if (!m || (lengthText === undefined && bare === 'refuse')) {
    return fail(`'${shown}' is not a prefix: write it as address/length, e.g. 10.0.0.0/30`);
  }
  const ip = readIp(addressText);
  if (!ip && lengthText === undefined) return fail(`'${shown}' is not a valid IPv4 or IPv6 address`);
  if (!ip) return fail(`'${shown}' does not start with a valid IPv4 or IPv6 address`);
  const version = versionOf(ip);
  let prefixLength = ADDRESS_BITS[version];
  if (lengthText === undefined) {
    if (bare === 'classful' && ip instanceof ipaddr.IPv4) prefixLength = classfulLength(ip);
  } else {
    if (lengthText.length > 1 && lengthText.startsWith('0')) return fail(`'${shown}' has a prefix length with a leading zero`);
    prefixLength = Number(lengthText);
    if (prefixLength > ADDRESS_BITS[version]) return fail(`'${shown}': an IPv${version} prefix length is at most ${ADDRESS_BITS[version]}`);
  }
  const network = networkOf(ip, prefixLength);
  const prefix: IpPrefix = { version, address: ip.toString(), prefixLength, text: `${network.toString()}/${prefixLength}`, network };
  if (options.hostBits === 'refuse' && !isAligned(prefix)) return fail(`${input.trim()} has host bits set; did you mean ${prefix.text}?`);
  return { ok: true, prefix };
}

/** Parses a prefix that must be valid, such as one in a constant table; throws otherwise. */
export function mustParsePrefix(text: string): IpPrefix {
  const r = parsePrefix(text);
  if (!r.ok) throw new Error(r.reason);
  return r.prefix;
}

/** Network-aligned: no host bits set, the address is the prefix's first (10.0.0.0/30, not 10.0.0.1/30). */
export function isAligned(p: IpPrefix): boolean {
  return p.address === p.network.toString();
}

/** Whether the two share any address, which for prefixes means one contains the other. */
export function overlaps(a: IpPrefix, b: IpPrefix): boolean {
  return a.version === b.version && a.network.match(b.network, Math.min(a.prefixLength, b.prefixLength));
}

/** Whether `outer` holds every address of `inner`. */
export function contains(outer: IpPrefix, inner: IpPrefix): boolean {
  return (
    outer.version === inner.version && outer.prefixLength <= inner.prefixLength && inner.network.match(outer.network, outer.prefixLength)
  );
}

/** Something typed as an IP prefix but wrong (10.0.0.300/8, 10.0.0.0/33), to say so rather than "unknown word". */
export function looksLikePrefix(s: string): boolean {
  return (/^[0-9.]+(\/\d*)?$/.test(s) && s.includes('.')) || /^[0-9a-f:]*:[0-9a-f:.]*(\/\d*)?$/i.test(s);
}
