import type { CircuitSku, PeeringKind } from './types';
import { parseAddress } from './ip-prefix';

/**
 * Past these the edge router drops the BGP session, so we warn well before. The change kinds refuse what
 * would cross them: a Premium → Standard move above the Standard limit, more advertised Microsoft prefixes.
 */
/** Private peering, IPv4, on Standard (and Local); Premium lifts it. */
export const PRIVATE_PEERING_IPV4_LIMIT = 4000;
export const PRIVATE_PEERING_IPV4_LIMIT_PREMIUM = 10_000;
export const PRIVATE_PEERING_IPV6_LIMIT = 100;
/** Microsoft peering: the public prefixes one session may advertise, on any SKU. */
export const MICROSOFT_PEERING_LIMIT = 200;
/** Warn when the received prefixes reach this share of the limit. */
export const PREFIX_WARN_RATIO = 0.8;

export type AddressFamily = 'ipv4' | 'ipv6';

export function isPremium(sku: CircuitSku): boolean {
  return sku.tier.toLowerCase() === 'premium';
}

/** How many prefixes one BGP session on this peering may advertise to Microsoft. */
export function prefixLimit(kind: PeeringKind, sku: CircuitSku, family: AddressFamily = 'ipv4'): number {
  if (kind !== 'private') return MICROSOFT_PEERING_LIMIT;
  if (family === 'ipv6') return PRIVATE_PEERING_IPV6_LIMIT;
  return isPremium(sku) ? PRIVATE_PEERING_IPV4_LIMIT_PREMIUM : PRIVATE_PEERING_IPV4_LIMIT;
}

/** A BGP neighbour's address tells which family its session (and so its limit) is. */
export function familyOf(address: string): AddressFamily {
  return parseAddress(address)?.version === 6 ? 'ipv6' : 'ipv4';
}

export interface PrefixUsage {
  count: number;
  limit: number;
  ratio: number;
  level: 'ok' | 'warning' | 'over';
}

export function assessPrefixCount(count: number, limit: number): PrefixUsage {
  const ratio = limit > 0 ? count / limit : 0;
  const level = count >= limit ? 'over' : ratio >= PREFIX_WARN_RATIO ? 'warning' : 'ok';
  return { count, limit, ratio, level };
}
