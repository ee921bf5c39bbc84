import type { Circuit } from '../../../network/types';

/**
 * The limits an authorization runs into, from Azure's documentation:
 * - authorizations: "as many as 10 authorizations for each circuit" (Az.Network,
 *   New-AzExpressRouteCircuitAuthorization and Add-AzExpressRouteCircuitAuthorization);
 * - VNet links, which a redeemed authorization adds to: "Virtual networks links allowed for each ExpressRoute
 *   circuit" (Azure ExpressRoute limits): 10 on Local and Standard, 20 to 100 on Premium by bandwidth, Global
 *   Reach connections included.
 */
export const MAX_AUTHORIZATIONS_PER_CIRCUIT = 10;
export const STANDARD_VNET_LINKS = 10;

/** Premium: [bandwidth from, in Mbps; VNet links]. 40 and 100 Gbps are ExpressRoute Direct only. */
const PREMIUM_VNET_LINKS: readonly (readonly [number, number])[] = [
  [50, 20],
  [100, 25],
  [200, 25],
  [500, 40],
  [1_000, 50],
  [2_000, 60],
  [5_000, 75],
  [10_000, 100],
];

/** The VNet links Azure allows this circuit, by its SKU tier and bandwidth. */
export function vnetLinkLimit(circuit: Pick<Circuit, 'sku' | 'bandwidthMbps'>): number {
  if (circuit.sku.tier.toLowerCase() !== 'premium') return STANDARD_VNET_LINKS;
  let limit = PREMIUM_VNET_LINKS[0]?.[1] ?? STANDARD_VNET_LINKS;
  for (const [fromMbps, links] of PREMIUM_VNET_LINKS) if (circuit.bandwidthMbps >= fromMbps) limit = links;
  return limit;
}
