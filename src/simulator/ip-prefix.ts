import { isIPv4, isIPv6 } from 'node:net';

/** An IPv4 or IPv6 prefix as Network RP reads a peer address prefix. */
export interface IpPrefix {
  bits: 32 | 128;
  /** The address as written. */
  address: bigint;
  length: number;
  /** The network address (host bits cleared). */
  network: bigint;
  /** The network as it should have been written, e.g. 10.0.0.0/30. */
  text: string;
}

/** `a.b.c.d/n` or an IPv6 prefix; undefined for anything else. */
export function parsePrefix(input: string): IpPrefix | undefined {
  const [ip = '', len, extra] = input.trim().split('/');
  if (len === undefined || extra !== undefined || !/^\d{1,3}$/.test(len)) return undefined;
  const bits = isIPv4(ip) ? 32 : isIPv6(ip) ? 128 : undefined;
  const length = Number(len);
  if (bits === undefined || length > bits) return undefined;
  const address = bits === 32 ? v4(ip) : v6(ip);
  const host = (1n << BigInt(bits - length)) - 1n;
  const network = address & ~host & ((1n << BigInt(bits)) - 1n);
  return { bits, address, length, network, text: `${bits === 32 ? formatV4(network) : formatV6(network)}/${length}` };
}

/** Written as its own network address (10.0.0.0/30, not 10.0.0.1/30), as ARM requires of a link subnet. */
export function isNetworkAddress(p: IpPrefix): boolean {
  return p.address === p.network;
}

export function prefixesOverlap(a: IpPrefix, b: IpPrefix): boolean {
  if (a.bits !== b.bits) return false;
  const last = (p: IpPrefix) => p.network + (1n << BigInt(p.bits - p.length)) - 1n;
  return a.network <= last(b) && b.network <= last(a);
}

function v4(ip: string): bigint {
  return ip.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

function v6(ip: string): bigint {
  // An embedded IPv4 tail (::ffff:10.0.0.1) becomes two hex groups first.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(ip)?.[1];
  const text = dotted ? ip.slice(0, -dotted.length) + [v4(dotted) >> 16n, v4(dotted) & 0xffffn].map((g) => g.toString(16)).join(':') : ip;
  const [head = '', tail] = text.split('::');
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return all.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
}

function formatV4(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 0xffn)).join('.');
}

function formatV6(n: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => ((n >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  const joined = groups.join(':');
  // The longest run of two or more zero groups becomes '::'.
  const runs = [...`:${joined}:`.matchAll(/:(0:){2,}/g)].sort((a, b) => b[0].length - a[0].length);
  const best = runs[0];
  if (!best) return joined;
  const padded = `:${joined}:`;
  const compressed = `${padded.slice(0, best.index)}::${padded.slice((best.index ?? 0) + best[0].length)}`;
  return compressed.replace(/^:(?!:)/, '').replace(/(?<!:):$/, '');
}
