import { addCircuit, privatePeering, type CircuitSpec, type FleetRecord } from './fleet-gen/circuit-fixture';
import { FAILURE_MODES, withFailure, type FailureMode } from './fleet-gen/failure-modes';
import { SeededRandom } from './fleet-gen/seeded-random';
import { parseFleet, type Fleet } from './fleet';

export { FAILURE_MODES, NEAR_LIMIT_ROUTES, type FailureMode } from './fleet-gen/failure-modes';

export interface ScaleFleetOptions {
  circuits: number;
  /** Subscriptions per tenant. */
  subscriptions: number;
  /** Only used to derive the subscription ids, so two tenants get different ones. */
  tenantId?: string;
  /** Several customer tenants, `subscriptions` each; circuits are spread over all their subscriptions. */
  tenantIds?: string[];
  /**
   * Sprinkle failures in, deterministically: every `every`-th circuit (default 5), starting with the first, shows
   * the next of `modes` (default every mode of FAILURE_MODES; an empty list is an error) in turn.
   * `{ every: 1, modes: ['bgp-both-down'] }` is a fleet-wide outage: every circuit down.
   */
  failures?: boolean | { every?: number; modes?: readonly FailureMode[] };
  now?: number;
}

export interface ScaleFleet {
  fleet: Fleet;
  /** Every subscription, tenant by tenant. */
  subscriptions: string[];
  tenants: Array<{ tenantId: string; subscriptions: string[] }>;
  /** Circuit name → the failure it shows; circuits not listed are healthy. */
  modes: Record<string, FailureMode>;
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
export function buildScaleFleet(o: ScaleFleetOptions): ScaleFleet {
  const perTenant = Math.max(1, Math.floor(o.subscriptions));
  const tenants = (o.tenantIds ?? [o.tenantId ?? '']).map((tenantId) => {
    const random = new SeededRandom(`scale|${tenantId}|${perTenant}`);
    return { tenantId, subscriptions: Array.from({ length: perTenant }, () => random.guid()) };
  });
  const subscriptions = tenants.flatMap((t) => t.subscriptions);
  const subs = subscriptions.length;
  const given = typeof o.failures === 'object' ? o.failures : {};
  if (given.modes?.length === 0)
    throw new Error('failures.modes names no failure mode: name at least one, or leave it out for every mode.');
  const every = o.failures ? Math.max(1, Math.floor(given.every ?? 5)) : 0;
  const modes = given.modes ?? FAILURE_MODES;
  const now = o.now ?? Date.now();
  const fleet: FleetRecord = {};
  const shown: Record<string, FailureMode> = {};
  for (let i = 0; i < o.circuits; i++) {
    const sub = subscriptions[i % subs] ?? '';
    const [location, city] = LOCATIONS[i % LOCATIONS.length] ?? LOCATIONS[0];
    const n = Math.floor(i / subs);
    let spec: CircuitSpec = {
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
    };
    if (every > 0 && i % every === 0) {
      const mode = modes[Math.floor(i / every) % modes.length] ?? FAILURE_MODES[0];
      spec = withFailure(spec, mode);
      shown[spec.name] = mode;
    }
    addCircuit(fleet, spec, now);
  }
  return { fleet: parseFleet(fleet, 'the scale fleet'), subscriptions, tenants, modes: shown };
}
