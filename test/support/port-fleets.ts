import { DEMO_CUSTOMERS } from '../../src/demo/customers';
import { buildDemoFleet, type Fleet } from '../../src/simulator';
import { addCircuit, privatePeering } from '../../src/simulator/fleet-gen/circuit-fixture';

const [FABRIKAM0 = ''] = DEMO_CUSTOMERS.fabrikam.subscriptions;
const NW = 'providers/Microsoft.Network';
/** The demo fleet's ExpressRoute Direct port pair (100 Gbps) and the circuit on it (10 Gbps, private peering VLAN 310). */
export const CHI_PORT = `/subscriptions/${FABRIKAM0}/resourceGroups/rg-fabrikam-er/${NW}/expressRoutePorts/erport-fabrikam-chi`;

export interface PortNeighbour {
  name: string;
  bandwidthInGbps: number;
  /** Its private peering's VLAN (C-Tag). */
  vlanId: number;
  /** Its subscription; default Fabrikam's first. One the customer does not list is outside what the bot reads. */
  subscriptionId?: string;
}

export interface PortPairFleetOptions {
  portGbps?: number;
  /** The port's encapsulation; default the demo port's (QinQ). With Dot1Q a C-Tag is unique on the whole pair. */
  encapsulation?: 'Dot1Q' | 'QinQ';
}

/**
 * The demo fleet with more circuits on the Chicago port pair, in another resource group of Fabrikam's
 * subscription (or the one given), each with a private peering. Returns the fleet and the neighbours' ids.
 */
export function portPairFleet(neighbours: readonly PortNeighbour[], o: PortPairFleetOptions = {}): { fleet: Fleet; ids: string[] } {
  const fleet = buildDemoFleet({ now: Date.UTC(2025, 0, 1) }) as Record<string, unknown>;
  const port = fleet[CHI_PORT] as { properties: { bandwidthInGbps: number; encapsulation: string } } | undefined;
  if (!port) throw new Error('the demo fleet has no erport-fabrikam-chi');
  if (o.portGbps !== undefined) port.properties.bandwidthInGbps = o.portGbps;
  if (o.encapsulation !== undefined) port.properties.encapsulation = o.encapsulation;
  const ids = neighbours.map((n, i) => {
    const subscriptionId = n.subscriptionId ?? FABRIKAM0;
    const spec = { subscriptionId, resourceGroup: 'rg-fabrikam-direct', name: n.name };
    addCircuit(
      fleet,
      {
        ...spec,
        location: 'northcentralus',
        tier: 'Standard',
        family: 'UnlimitedData',
        direct: { portId: CHI_PORT, bandwidthInGbps: n.bandwidthInGbps },
        peerings: [
          privatePeering({
            vlanId: n.vlanId,
            peerAsn: 65200,
            subnetBase: `172.17.${i}.0`,
            routes: 10,
            routesBase: `10.${110 + i}.0.0`,
            portPrefix: `CHG-06GMR-DIRECT-${i + 2}`,
          }),
        ],
      },
      Date.UTC(2025, 0, 1),
    );
    return `/subscriptions/${subscriptionId}/resourceGroups/rg-fabrikam-direct/${NW}/expressRouteCircuits/${n.name}`;
  });
  return { fleet, ids };
}
