import { buildDemoFleet } from '../../src/simulator';
import { CIRCUIT_IDS } from './demo-world';

export const BIG_TABLE_CIRCUIT = CIRCUIT_IDS.fabrikamDal;
export const BIG_TABLE_ROUTES = 10_000;

/** The n-th route of the big table: 10.64.0.0/24, 10.64.1.0/24, … (256 per second octet). */
export function bigTableNetwork(n: number): string {
  return `10.${64 + Math.floor(n / 256)}.${n % 256}.0/24`;
}

/**
 * The demo fleet with fabrikam-dal-er1's private primary route table replaced by 10,000 routes with long AS
 * paths (a Premium circuit near its limit), to page through.
 */
export function fleetWithBigRouteTable(rows = BIG_TABLE_ROUTES): Record<string, unknown> {
  const fleet = buildDemoFleet() as Record<string, unknown>;
  const key = `${BIG_TABLE_CIRCUIT}/peerings/AzurePrivatePeering/routeTables/primary`;
  if (!(key in fleet)) throw new Error(`the demo fleet has no ${key}`);
  fleet[key] = {
    value: Array.from({ length: rows }, (_, n) => ({
      network: bigTableNetwork(n),
      nextHop: '172.16.0.1',
      locPrf: n % 3 === 0 ? '100' : '',
      weight: 0,
      // Long but realistic paths: the card must stay under 28 KB with every row at its widest.
      path: `65100 64512 64513 64514 3356 1299 174 2914 6453 ${64600 + (n % 300)} i`,
    })),
  };
  return fleet;
}
