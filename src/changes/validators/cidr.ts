/**
 * IPv4/IPv6 prefixes as exact integers (bigint), so alignment and overlap are plain arithmetic and both
 * families share one code path. Written without a library on purpose: the property tests use ipaddr.js as an
 * independent oracle, which only means something if this code does not call it.
 */

export type IpVersion = 4 | 6;

export interface Cidr {
  version: IpVersion;
  /** The address as written (not masked). */
  address: bigint;
  prefixLength: number;
  /** Canonical text of the network, e.g. 10.0.0.0/30 or 2001:db8::/126. */
  text: string;
}

export type CidrResult = { ok: true; cidr: Cidr } | { ok: false; reason: string };

const BITS: Record<IpVersion, number> = { 4: 32, 6: 128 };

/** Strict dotted quad: four decimal octets 0–255, no leading zeros (ARM reads 010 as 10; people mean 8). */
export function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

/** RFC 4291 text: up to eight hex groups, one `::`, an optional trailing dotted quad. No zone ids. */
export function parseIPv6(text: string): bigint | undefined {
  if (text.length === 0 || text.length > 45 || /[^0-9a-fA-F:.]/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (half: string, closesAddress: boolean): number[] | undefined => {
    if (half === '') return [];
    const out: number[] = [];
    const parts = half.split(':');
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] ?? '';
      if (part.includes('.')) {
        // An embedded IPv4 address may only close the whole address, never the part before '::'.
        if (i !== parts.length - 1 || !closesAddress) return undefined;
        const v4 = parseIPv4(part);
        if (v4 === undefined) return undefined;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(part)) return undefined;
      out.push(Number.parseInt(part, 16));
    }
    return out;
  };
  const head = groupsOf(halves[0] ?? '', halves.length === 1);
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '', true) : [];
  if (!head || !tail) return undefined;
  if (halves.length === 1 && head.length !== 8) return undefined;
  if (halves.length === 2 && head.length + tail.length > 7) return undefined;
  const groups = halves.length === 2 ? [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail] : head;
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(g);
  return value;
}

export function formatIPv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
}

/** RFC 5952: lower case, leading zeros dropped, the longest run (≥ 2) of zero groups as `::`. */
export function formatIPv6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export function parseIp(text: string): { version: IpVersion; value: bigint } | undefined {
  const t = text.trim();
  if (t.includes(':')) {
    const v = parseIPv6(t);
    return v === undefined ? undefined : { version: 6, value: v };
  }
  const v = parseIPv4(t);
  return v === undefined ? undefined : { version: 4, value: v };
}

export function formatIp(version: IpVersion, value: bigint): string {
  return version === 4 ? formatIPv4(value) : formatIPv6(value);
}

function mask(version: IpVersion, prefixLength: number): bigint {
  const bits = BITS[version];
  return ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefixLength)) - 1n);
}

/** The first address of the prefix. */
export function networkOf(c: Pick<Cidr, 'version' | 'address' | 'prefixLength'>): bigint {
  return c.address & mask(c.version, c.prefixLength);
}

/** The last address of the prefix. */
export function lastOf(c: Pick<Cidr, 'version' | 'address' | 'prefixLength'>): bigint {
  return networkOf(c) | ((1n << BigInt(BITS[c.version] - c.prefixLength)) - 1n);
}

/** Parses "address/length". Never echoes more than a short prefix of what it was given. */
export function parseCidr(input: string): CidrResult {
  const shown = input.length > 50 ? `${input.slice(0, 50)}…` : input;
  const m = /^\s*([^/\s]+)\/(\d{1,3})\s*$/.exec(input);
  if (!m) return { ok: false, reason: `'${shown}' is not a prefix: write it as address/length, e.g. 10.0.0.0/30` };
  const ip = parseIp(m[1] ?? '');
  if (!ip) return { ok: false, reason: `'${shown}' does not start with a valid IPv4 or IPv6 address` };
  const prefixLength = Number(m[2]);
  if ((m[2] ?? '').length > 1 && (m[2] ?? '').startsWith('0')) return { ok: false, reason: `'${shown}' has a prefix length with a leading zero` };
  if (prefixLength > BITS[ip.version]) {
    return { ok: false, reason: `'${shown}': an IPv${ip.version} prefix length is at most ${BITS[ip.version]}` };
  }
  const cidr: Cidr = { version: ip.version, address: ip.value, prefixLength, text: '' };
  cidr.text = `${formatIp(ip.version, networkOf(cidr))}/${prefixLength}`;
  return { ok: true, cidr };
}

/** Network-aligned: the address is the prefix's first address (10.0.0.0/30, not 10.0.0.1/30). */
export function isAligned(c: Cidr): boolean {
  return c.address === networkOf(c);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  if (a.version !== b.version) return false;
  return networkOf(a) <= lastOf(b) && networkOf(b) <= lastOf(a);
}

/** Whether `outer` contains every address of `inner`. */
export function contains(outer: Cidr, inner: Cidr): boolean {
  if (outer.version !== inner.version || outer.prefixLength > inner.prefixLength) return false;
  return networkOf({ ...inner, prefixLength: outer.prefixLength }) === networkOf(outer);
}

export function containsIp(outer: Cidr, ip: { version: IpVersion; value: bigint }): boolean {
  return outer.version === ip.version && networkOf({ version: ip.version, address: ip.value, prefixLength: outer.prefixLength }) === networkOf(outer);
}

/** Parses a prefix that must be valid; for constant tables. */
export function cidr(text: string): Cidr {
  const r = parseCidr(text);
  if (!r.ok) throw new Error(r.reason);
  return r.cidr;
}
