import { type IpPrefix, mustParsePrefix, overlaps } from '../../network/ip-prefix';

/**
 * Ranges that can never be advertised to Microsoft over Microsoft peering: private, shared, loopback,
 * link-local, multicast, reserved and documentation space (RFC 6890 and the IANA special-purpose registries).
 * Documentation ranges are refused too: Microsoft validates ownership against a routing registry, and nobody
 * owns 192.0.2.0/24 or 2001:db8::/32, so such a peering never carries traffic.
 */
export const NON_PUBLIC_RANGES: ReadonlyArray<{ prefix: IpPrefix; what: string }> = [
  ['0.0.0.0/8', '"this network" (RFC 1122)'],
  ['10.0.0.0/8', 'private (RFC 1918)'],
  ['100.64.0.0/10', 'carrier-grade NAT shared space (RFC 6598)'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private (RFC 1918)'],
  ['192.0.0.0/24', 'IETF protocol assignments'],
  ['192.0.2.0/24', 'documentation (TEST-NET-1)'],
  ['192.88.99.0/24', 'deprecated 6to4 relay anycast'],
  ['192.168.0.0/16', 'private (RFC 1918)'],
  ['198.18.0.0/15', 'benchmarking (RFC 2544)'],
  ['198.51.100.0/24', 'documentation (TEST-NET-2)'],
  ['203.0.113.0/24', 'documentation (TEST-NET-3)'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved (including broadcast)'],
  ['::/127', 'unspecified or loopback'],
  ['::ffff:0:0/96', 'IPv4-mapped'],
  ['64:ff9b::/96', 'NAT64'],
  ['100::/64', 'discard-only'],
  ['2001:db8::/32', 'documentation'],
  ['fc00::/7', 'unique local (private)'],
  ['fe80::/10', 'link-local'],
  ['ff00::/8', 'multicast'],
].map(([text, what]) => ({ prefix: mustParsePrefix(text ?? ''), what: what ?? '' }));

/** What makes the prefix non-public, or undefined when it is public. */
export function nonPublicReason(p: IpPrefix): string | undefined {
  // A prefix that merely contains a special range (0.0.0.0/0) is refused too: it is not one you own.
  return NON_PUBLIC_RANGES.find((r) => overlaps(r.prefix, p))?.what;
}
