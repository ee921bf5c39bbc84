import { parseArmPath, resourceType } from './arm-path';
import { refreshNetworkLinks } from './network-links';
import { refreshPortOf } from './port-effects';
import type { Json } from './resource-store';
import type { SimState } from './sim-state';
import { text } from './write-rule';

const PEERINGS = 'microsoft.network/expressroutecircuits/peerings';
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});

/**
 * What ARM updates elsewhere once a write succeeds: a route filter lists the peerings it is attached to, so
 * attaching (or moving) a filter on a peering shows on both filters; an ExpressRoute port sums its circuits;
 * subnets, NSGs, route tables, NICs and VMs keep their back-references (network-links.ts).
 */
export function afterWrite(state: SimState, id: string): void {
  refreshNetworkLinks(state.store, id);
  if (resourceType(parseArmPath(id)) === 'microsoft.network/expressroutecircuits') refreshPortOf(state.store, id);
  if (resourceType(parseArmPath(id)) !== PEERINGS) return;
  const peering = state.store.get(id);
  const filterId = (obj(obj(peering?.properties).routeFilter).id as string | undefined)?.toLowerCase();
  for (const filter of state.store.listWhere((rid) => resourceType(parseArmPath(rid)) === 'microsoft.network/routefilters')) {
    const fid = text(filter.id);
    state.store.patchOwn(fid, (own) => {
      const props = obj(own.properties);
      const listed = (Array.isArray(props.peerings) ? props.peerings : [])
        .map(obj)
        .filter((p) => text(p.id).toLowerCase() !== id.toLowerCase());
      if (fid.toLowerCase() === filterId) listed.push({ id });
      own.properties = { ...props, peerings: listed };
    });
  }
}
