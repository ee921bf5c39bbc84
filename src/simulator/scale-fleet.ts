import { addCircuit, privatePeering, type FleetRecord } from './fleet-gen/circuit-fixture';
import { SeededRandom } from './fleet-gen/seeded-random';
import { parseFleet, type Fleet } from './fleet';

export interface ScaleFleetOptions {
  circuits: number;
  subscriptions: number;
  /** Only used to derive the subscription ids, so two tenants get different ones. */
  tenantId?: string;
  now?: number;
}

const LOCATIONS = [
  ['westeurope', 'Amsterdam'],
  ['uksouth', 'London'],
  ['eastus', 'New York'],
  ['westus2', 'Seattle'],
  ['southeastasia', 'Singapore'],
] as const;
const BANDWIDTHS = [200, 500, 1000, 2000];

/**
 * A large, uniform fleet for the benchmark: circuits spread evenly over subscriptions (one resource group
 * each), every circuit with a private peering and summaries, route tables and ARP on both paths.
 */
export function buildScaleFleet(o: ScaleFleetOptions): { fleet: Fleet; subscriptions: string[] } {
  const subs = Math.max(1, Math.floor(o.subscriptions));
  const random = new SeededRandom(`scale|${o.tenantId ?? ''}|${subs}`);
  const subscriptions = Array.from({ length: subs }, () => random.guid());
  const now = o.now ?? Date.now();
  const fleet: FleetRecord = {};
  for (let i = 0; i < o.circuits; i++) {
    const sub = subscriptions[i % subs] ?? '';
    const [location, city] = LOCATIONS[i % LOCATIONS.length] ?? LOCATIONS[0];
    const n = Math.floor(i / subs);
    addCircuit(
      fleet,
      {
        subscriptionId: sub,
        resourceGroup: `rg-er-${(i % subs) + 1}`,
        name: `er-${String(i + 1).padStart(4, '0')}`,
        location,
        tier: 'Standard',
        family: 'MeteredData',
        provider: { name: 'Equinix', peeringLocation: city, bandwidthInMbps: BANDWIDTHS[i % BANDWIDTHS.length] ?? 1000 },
        peerings: [
          privatePeering({
            vlanId: 100 + n,
            peerAsn: 65000 + (i % subs),
            subnetBase: `10.${128 + (i % 100)}.${Math.floor(i / 100) % 256}.0`,
            routes: 20 + (i % 30),
            routesBase: `10.${i % 64}.0.0`,
            portPrefix: `EQIX-${city.slice(0, 3).toUpperCase()}-01GMR-CIS-${(i % 9) + 1}`,
            azurePrefixes: [`172.${16 + (i % 16)}.0.0/16`],
          }),
        ],
        utilisation: { inPrimary: 0.2 + (i % 5) * 0.1, inSecondary: 0.15, outPrimary: 0.1, outSecondary: 0.08 },
      },
      now,
    );
  }
  return { fleet: parseFleet(fleet, 'the scale fleet'), subscriptions };
}
