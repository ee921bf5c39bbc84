import { parsePrefix, prefixesOverlap, type IpPrefix } from './ip-prefix';
import { subnetsOf } from './network-write-rules';
import type { Json } from './resource-store';
import { circuitConnections, list, obj, props, reject, str, vnetOfSubnet, type WriteAttempt, type WriteRule } from './write-rule';

/**
 * Private peering's link subnets against the VNets linked to the circuit. "ExpressRoute routing requirements":
 * the peering subnets must not conflict with the range reserved for use in the Microsoft cloud, the VNets. A VNet
 * is linked by a connection whose peer is the circuit, through its gateway (connection → virtualNetworkGateway1 →
 * the gateway's subnet → VNet). Azure documents no error code for this refusal: PeeringSubnetOverlapsVirtualNetwork
 * is the simulator's, not from Azure's docs.
 */

const PRIVATE_PEERING = 'azureprivatepeering';
const PEERINGS = 'microsoft.network/expressroutecircuits/peerings';
const lower = (s: string | undefined) => (s ?? '').toLowerCase();

/** The VNets linked to a circuit, with the connection that links each. */
function linkedVnets(a: WriteAttempt, circuitId: string): { connection: string; vnet: Json }[] {
  const out: { connection: string; vnet: Json }[] = [];
  for (const connection of circuitConnections(a.store, circuitId)) {
    const gatewayId = str(obj(props(connection).virtualNetworkGateway1).id);
    const gateway = gatewayId ? a.store.get(gatewayId) : undefined;
    const subnetIds = list(props(gateway).ipConfigurations).flatMap((c) => str(obj(props(c).subnet).id) ?? []);
    const vnetId = subnetIds.map(vnetOfSubnet).find((v) => v !== undefined);
    const vnet = vnetId ? a.store.get(vnetId) : undefined;
    if (vnet) out.push({ connection: str(connection.name) ?? '?', vnet });
  }
  return out;
}

const peeringOutsideLinkedVnets: WriteRule = (a) => {
  if (a.type !== PEERINGS || a.method === 'DELETE' || !a.proposed || lower(a.name) !== PRIVATE_PEERING) return undefined;
  const mine = subnetsOf(a.proposed).flatMap((s) => parsePrefix(s) ?? []);
  if (mine.length === 0) return undefined;
  for (const { connection, vnet } of linkedVnets(a, str(a.parent?.id) ?? '')) {
    const space = obj(props(vnet).addressSpace).addressPrefixes;
    for (const text of Array.isArray(space) ? space : []) {
      const theirs = typeof text === 'string' ? parsePrefix(text) : undefined;
      const clash = theirs && mine.find((m: IpPrefix) => prefixesOverlap(m, theirs));
      if (clash) {
        return reject(
          'PeeringSubnetOverlapsVirtualNetwork',
          `Peer address prefix '${clash.text}' of '${a.name}' overlaps address space '${text as string}' of virtual network ` +
            `'${str(vnet.name) ?? '?'}', linked to the circuit by connection '${connection}'.`,
        );
      }
    }
  }
  return undefined;
};

export const LINKED_VNET_WRITE_RULES: readonly WriteRule[] = [peeringOutsideLinkedVnets];
