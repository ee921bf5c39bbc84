import fc from 'fast-check';

/**
 * An oracle for IP prefix tests that shares no code with src/network/ip-prefix.ts or ipaddr.js: addresses
 * are generated as bytes, written as text here, and ranges are compared as bigints.
 */

export interface OraclePrefix {
  bytes: readonly number[];
  length: number;
}

export const toBig = (bytes: readonly number[]): bigint => bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);

const hostBits = (p: OraclePrefix) => BigInt(p.bytes.length * 8 - p.length);

/** The network address as a bigint. */
export const networkOf = (p: OraclePrefix): bigint => (toBig(p.bytes) >> hostBits(p)) << hostBits(p);

/** Whether the first `length` bits of both addresses are the same (and both are the same family). */
function sameLeadingBits(a: readonly number[], b: readonly number[], length: number): boolean {
  if (a.length !== b.length) return false;
  const shift = BigInt(a.length * 8 - length);
  return toBig(a) >> shift === toBig(b) >> shift;
}

export const overlapOracle = (a: OraclePrefix, b: OraclePrefix): boolean => sameLeadingBits(a.bytes, b.bytes, Math.min(a.length, b.length));

export const containsOracle = (outer: OraclePrefix, inner: OraclePrefix): boolean =>
  outer.length <= inner.length && sameLeadingBits(outer.bytes, inner.bytes, outer.length);

const groupsOf = (bytes: readonly number[]) => Array.from({ length: 8 }, (_, i) => (bytes[2 * i] ?? 0) * 256 + (bytes[2 * i + 1] ?? 0));

/** RFC 5952: lower case, no leading zeros, the first longest run of two or more zero groups as `::`. */
export function rfc5952(bytes: readonly number[]): string {
  const groups = groupsOf(bytes);
  let best = { start: -1, length: 1 };
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start < 0) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}

/** Canonical text of an address: a dotted quad, or RFC 5952. */
export const addressText = (bytes: readonly number[]): string => (bytes.length === 4 ? bytes.join('.') : rfc5952(bytes));

/** Canonical text of the prefix's network, e.g. 10.0.0.0/30. */
export function networkText(p: OraclePrefix): string {
  const n = networkOf(p);
  const bytes = p.bytes.map((_, i) => Number((n >> BigInt(8 * (p.bytes.length - 1 - i))) & 0xffn));
  return `${addressText(bytes)}/${p.length}`;
}

/** Every way people and tools write one IPv6 address: compressed, upper case, full, zero-padded, dotted tail. */
export function ipv6Texts(bytes: readonly number[]): string[] {
  const groups = groupsOf(bytes).map((g) => g.toString(16));
  const full = groups.join(':');
  return [
    rfc5952(bytes),
    rfc5952(bytes).toUpperCase(),
    full,
    groups.map((g) => g.padStart(4, '0')).join(':'),
    `${groups.slice(0, 6).join(':')}:${bytes.slice(12).join('.')}`,
  ];
}

export const ipv4Bytes = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 });
export const ipv6Bytes = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 16, maxLength: 16 });
/** Zero runs make `::` likely, which is where IPv6 readers go wrong. */
export const sparseIpv6Bytes = fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 255 })), { minLength: 16, maxLength: 16 });

export const oraclePrefix: fc.Arbitrary<OraclePrefix> = fc.oneof(
  fc.tuple(ipv4Bytes, fc.integer({ min: 0, max: 32 })).map(([bytes, length]) => ({ bytes, length })),
  fc.tuple(sparseIpv6Bytes, fc.integer({ min: 0, max: 128 })).map(([bytes, length]) => ({ bytes, length })),
);

export const prefixText = (p: OraclePrefix): string => `${addressText(p.bytes)}/${p.length}`;

/** A prefix close to `p`: its first `keep` bits, then noise, so overlaps actually happen. */
export function neighbourOf(p: OraclePrefix, keep: number, noise: readonly number[], length: number): OraclePrefix {
  const bits = p.bytes.length * 8;
  const k = Math.min(keep, bits);
  const mask = ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - k)) - 1n);
  const mixed = (toBig(p.bytes) & mask) | (toBig(noise.slice(0, p.bytes.length)) & ~mask & ((1n << BigInt(bits)) - 1n));
  const bytes = p.bytes.map((_, i) => Number((mixed >> BigInt(8 * (p.bytes.length - 1 - i))) & 0xffn));
  return { bytes, length: Math.min(length, bits) };
}
