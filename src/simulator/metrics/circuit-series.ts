import type { Json } from '../resource-store';
import type { MetricsWorld } from './metrics-world';
import type { DerivedSeries, Dims } from './raw-series';

const ROLES = [
  ['primary', 'Primary'],
  ['secondary', 'Secondary'],
] as const;
/** Share of the circuit's bandwidth an established link carries when no metrics fixture says otherwise. */
const SHARE = { BitsInPerSecond: 0.1, BitsOutPerSecond: 0.05 } as const;
const FIVE_MINUTES = 300_000;
const MINUTE = 60_000;

/**
 * The PeeringType dimension value of a peering. Azure's docs name the dimension but not its values; the
 * simulator uses PrivatePeering, MicrosoftPeering and PublicPeering.
 */
export function peeringTypeOf(peeringName: string): string {
  const n = peeringName.toLowerCase();
  if (n === 'azureprivatepeering') return 'PrivatePeering';
  if (n === 'azurepublicpeering') return 'PublicPeering';
  if (n === 'microsoftpeering') return 'MicrosoftPeering';
  return peeringName;
}

function rows(body: Json | undefined): Json[] {
  const value = body?.value;
  return Array.isArray(value) ? value.filter((r): r is Json => typeof r === 'object' && r !== null) : [];
}

const established = (row: Json) =>
  typeof row.statePfxRcd === 'number' || (typeof row.statePfxRcd === 'string' && /^\d+$/.test(row.statePfxRcd.trim()));

/** BGP is established on a link when its route-table summary shows a prefix count rather than a state name. */
export function bgpRows(world: MetricsWorld, circuitId: string, peering: string, role: string, t: number): Json[] {
  return rows(world.at(`${circuitId}/peerings/${peering}/routeTablesSummary/${role}`, t));
}

export function bgpUp(world: MetricsWorld, circuitId: string, peering: string, role: string, t: number): boolean {
  return bgpRows(world, circuitId, peering, role, t).some(established);
}

/** The customer edge answered ARP: an entry other than the MSEE's own, with a resolved MAC address. */
function arpUp(world: MetricsWorld, circuitId: string, peering: string, role: string, t: number): boolean {
  return rows(world.at(`${circuitId}/peerings/${peering}/arpTables/${role}`, t)).some((row) => {
    const side = typeof row.interface === 'string' ? row.interface.toLowerCase() : '';
    const mac = typeof row.macAddress === 'string' ? row.macAddress.trim() : '';
    return side !== 'microsoft' && mac !== '' && !/incomplete/i.test(mac);
  });
}

function bandwidthBps(circuit: Json | undefined): number {
  const props = (circuit?.properties ?? {}) as Record<string, unknown>;
  const provider = (props.serviceProviderProperties ?? {}) as Record<string, unknown>;
  if (typeof provider.bandwidthInMbps === 'number') return provider.bandwidthInMbps * 1e6;
  if (typeof props.bandwidthInGbps === 'number') return props.bandwidthInGbps * 1e9;
  return 0;
}

/** Series of an ExpressRoute circuit metric derived from the state, or [] for metrics with no derivation. */
export function derivedCircuitSeries(world: MetricsWorld, circuitId: string, metric: string): DerivedSeries[] {
  const peerings = world.peeringNames(circuitId);
  const out: DerivedSeries[] = [];
  const series = (dims: Dims, valueAt: (t: number) => number | undefined, grainMs = MINUTE) => out.push({ dims, grainMs, valueAt });
  switch (metric) {
    case 'BgpAvailability':
      for (const peering of peerings) {
        for (const [role, Role] of ROLES) {
          for (const version of ipVersions(world, circuitId, peering, role)) {
            series({ PeeringType: peeringTypeOf(peering), Peer: `${Role}-IPv${version}` }, (t) => {
              const r = bgpRows(world, circuitId, peering, role, t).filter((row) => versionOf(row) === version);
              return r.length === 0 ? undefined : r.some(established) ? 100 : 0;
            });
          }
        }
      }
      break;
    case 'ArpAvailability':
      for (const peering of peerings) {
        for (const [role, Role] of ROLES) {
          series({ PeeringType: peeringTypeOf(peering), Peer: `${Role}-IPv4` }, (t) =>
            arpUp(world, circuitId, peering, role, t) ? 100 : 0,
          );
        }
      }
      break;
    case 'BitsInPerSecond':
    case 'BitsOutPerSecond':
      for (const peering of peerings) {
        for (const [role, Role] of ROLES) {
          series({ PeeringType: peeringTypeOf(peering), DeviceRole: Role }, (t) =>
            bgpUp(world, circuitId, peering, role, t) ? (bandwidthBps(world.at(circuitId, t)) * SHARE[metric]) / peerings.length : 0,
          );
        }
      }
      break;
    case 'QosDropBitsInPerSecond':
    case 'QosDropBitsOutPerSecond':
      series({}, () => 0, FIVE_MINUTES);
      break;
  }
  return out;
}

function versionOf(row: Json): number {
  return row.v === 6 || row.v === '6' ? 6 : 4;
}

/** The IP versions a link has summary rows for, now or at any time the timeline changed something. */
function ipVersions(world: MetricsWorld, circuitId: string, peering: string, role: string): number[] {
  const versions = new Set<number>();
  for (const t of [world.now, ...world.changeTimes.flatMap((c) => [c - 1, c])]) {
    for (const row of bgpRows(world, circuitId, peering, role, t)) versions.add(versionOf(row));
  }
  return [...versions].sort();
}
