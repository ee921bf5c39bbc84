import type { Json, ResourceStore } from './resource-store';
import { list, num, obj, props, reject, resourcesOfType, str, type WriteRule } from './write-rule';

/**
 * ExpressRoute Direct, as documented in "About ExpressRoute Direct". VLAN Tagging: with QinQ "Azure dynamically
 * gives an S-Tag at circuit creation [...] The C-Tag isn't required to be unique across circuits on the
 * ExpressRoute Direct ports", while with Dot1Q "A C-Tag used on a peering must be unique across all circuits and
 * peerings on the ExpressRoute Direct port pair" (within a circuit, write-rules.ts keeps peerings' VLANs apart
 * either way). The circuits on a pair may subscribe twice the port bandwidth (20 Gbps on 10G ports, 200 Gbps on
 * 100G ports). Azure documents no error code for either refusal: the codes here
 * (ExpressRoutePortVlanIdAlreadyInUse, ExpressRoutePortBandwidthExceeded) are the simulator's, not from Azure's
 * docs, named after the in-circuit ones in write-rules.ts.
 */

const CIRCUITS = 'microsoft.network/expressroutecircuits';
const PEERINGS = 'microsoft.network/expressroutecircuits/peerings';
/** Each circuit runs over both ports of the pair. */
const PORT_PAIR_FACTOR = 2;

const lower = (s: string | undefined) => (s ?? '').toLowerCase();
const portOf = (circuit: Json | undefined) => str(obj(props(circuit).expressRoutePort).id);

/** Every circuit on the port (its circuits can sit in any subscription), but the one with `exceptId`. */
export function circuitsOnPort(store: ResourceStore, portId: string, exceptId: string): Json[] {
  return resourcesOfType(store, CIRCUITS).filter((c) => lower(portOf(c)) === lower(portId) && lower(str(c.id)) !== lower(exceptId));
}

const portVlanUnique: WriteRule = (a) => {
  if (a.type !== PEERINGS || a.method === 'DELETE' || !a.proposed) return undefined;
  const portId = portOf(a.parent);
  const vlan = num(props(a.proposed).vlanId);
  if (!portId || vlan === undefined) return undefined;
  if (lower(str(props(a.store.get(portId)).encapsulation)) !== 'dot1q') return undefined;
  for (const other of circuitsOnPort(a.store, portId, str(a.parent?.id) ?? '')) {
    const peering = list(props(other).peerings).find((p) => num(props(p).vlanId) === vlan);
    if (peering) {
      return reject(
        'ExpressRoutePortVlanIdAlreadyInUse',
        `VLAN ID ${vlan} is already used by peering '${str(peering.name) ?? '?'}' of circuit '${str(other.name) ?? '?'}' ` +
          `on ExpressRoute port '${portId}'. With Dot1Q encapsulation a VLAN must be unique across all circuits on the port.`,
      );
    }
  }
  return undefined;
};

const portPairCapacity: WriteRule = (a) => {
  if (a.type !== CIRCUITS || a.method === 'DELETE' || !a.proposed) return undefined;
  const portId = portOf(a.proposed);
  const gbps = num(props(a.proposed).bandwidthInGbps);
  if (!portId || gbps === undefined) return undefined;
  // Only what the write adds is judged: a pair already over (a fixture) may still take other changes.
  const samePort = lower(portOf(a.existing)) === lower(portId);
  if (samePort && gbps <= (num(props(a.existing).bandwidthInGbps) ?? 0)) return undefined;
  const portGbps = num(props(a.store.get(portId)).bandwidthInGbps);
  if (portGbps === undefined) return undefined;
  const others = circuitsOnPort(a.store, portId, a.id);
  const used = others.reduce((sum, c) => sum + (num(props(c).bandwidthInGbps) ?? 0), 0);
  const capacity = portGbps * PORT_PAIR_FACTOR;
  if (used + gbps <= capacity) return undefined;
  return reject(
    'ExpressRoutePortBandwidthExceeded',
    `Circuit '${a.name}' needs ${gbps} Gbps on ExpressRoute port '${portId}', but its circuits already use ${used} of the ` +
      `${capacity} Gbps the port pair allows (${PORT_PAIR_FACTOR} x ${portGbps} Gbps); ${Math.max(0, capacity - used)} Gbps are left.`,
  );
};

export const DIRECT_PORT_WRITE_RULES: readonly WriteRule[] = [portVlanUnique, portPairCapacity];
