import { circuitsOnPort } from './direct-port-write-rules';
import type { ResourceStore } from './resource-store';
import { num, obj, props, str } from './write-rule';

/**
 * ARM keeps an ExpressRoute port's read-only provisionedBandwidthInGbps ("aggregate Gbps of associated circuit
 * bandwidths") and its circuits list up to date as the circuits on it change.
 */
export function refreshPortOf(store: ResourceStore, circuitId: string): void {
  const portId = str(obj(props(store.get(circuitId)).expressRoutePort).id);
  if (!portId || !store.has(portId)) return;
  const circuits = circuitsOnPort(store, portId, '');
  store.patchOwn(portId, (own) => {
    own.properties = {
      ...props(own),
      provisionedBandwidthInGbps: circuits.reduce((sum, c) => sum + (num(props(c).bandwidthInGbps) ?? 0), 0),
      circuits: circuits.map((c) => ({ id: str(c.id) ?? '' })),
    };
  });
}
