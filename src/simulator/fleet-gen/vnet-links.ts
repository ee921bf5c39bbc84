import type { FleetRecord } from './circuit-fixture';
import { putNetworkResource, resourceId, type Scope } from './network-resources';
import { SeededRandom } from './seeded-random';

/**
 * A circuit's links as ARM shows them: a VNet with a GatewaySubnet, an ExpressRoute virtual network gateway in it,
 * and a connection (`Microsoft.Network/connections`, connectionType ExpressRoute) whose peer is the circuit; a
 * Virtual WAN hub's ExpressRoute gateway with an ExpressRoute connection to the circuit's peering; and
 * Global Reach, a connection on the private peering of one circuit that shows on the other as a peered connection.
 */

type Body = { properties: Record<string, unknown> } & Record<string, unknown>;

const GATEWAY_SUBNET = 'GatewaySubnet';

function subnet(vnetId: string, name: string, addressPrefix: string, random: SeededRandom): Record<string, unknown> {
  return {
    name,
    id: `${vnetId}/subnets/${name}`,
    etag: random.etag(),
    type: 'Microsoft.Network/virtualNetworks/subnets',
    properties: { provisioningState: 'Succeeded', addressPrefix, delegations: [], privateEndpointNetworkPolicies: 'Disabled' },
  };
}

/**
 * A VNet with a GatewaySubnet; when the fleet already has the VNet, only a missing GatewaySubnet is added.
 * Returns its id.
 */
export function addVirtualNetwork(fleet: FleetRecord, o: Scope & { addressPrefixes: string[]; gatewaySubnet: string }): string {
  const random = new SeededRandom(o.name + o.subscriptionId);
  const id = resourceId(o, 'virtualNetworks');
  const existing = fleet[id] as Body | undefined;
  if (!existing) {
    return putNetworkResource(fleet, o, 'virtualNetworks', random.etag(), {
      provisioningState: 'Succeeded',
      resourceGuid: random.guid(),
      addressSpace: { addressPrefixes: o.addressPrefixes },
      subnets: [subnet(id, GATEWAY_SUBNET, o.gatewaySubnet, random)],
      virtualNetworkPeerings: [],
      enableDdosProtection: false,
    });
  }
  const subnets = Array.isArray(existing.properties.subnets) ? (existing.properties.subnets as Array<{ name?: unknown }>) : [];
  if (!subnets.some((s) => s.name === GATEWAY_SUBNET))
    existing.properties.subnets = [...subnets, subnet(id, GATEWAY_SUBNET, o.gatewaySubnet, random)];
  return id;
}

/** An ExpressRoute virtual network gateway in a VNet's GatewaySubnet (created once per VNet). Returns its id. */
export function addExpressRouteGateway(fleet: FleetRecord, o: Scope & { vnetId: string }): string {
  const random = new SeededRandom(o.name + o.subscriptionId);
  const id = resourceId(o, 'virtualNetworkGateways');
  if (fleet[id]) return id;
  return putNetworkResource(fleet, o, 'virtualNetworkGateways', random.etag(), {
    provisioningState: 'Succeeded',
    resourceGuid: random.guid(),
    gatewayType: 'ExpressRoute',
    vpnType: 'RouteBased',
    enableBgp: false,
    activeActive: false,
    sku: { name: 'ErGw1AZ', tier: 'ErGw1AZ' },
    ipConfigurations: [
      {
        name: 'default',
        id: `${id}/ipConfigurations/default`,
        etag: random.etag(),
        properties: {
          provisioningState: 'Succeeded',
          privateIPAllocationMethod: 'Dynamic',
          subnet: { id: `${o.vnetId}/subnets/${GATEWAY_SUBNET}` },
        },
      },
    ],
  });
}

/** An ExpressRoute connection from a gateway to a circuit (ARM's VirtualNetworkGatewayConnection). Returns its id. */
export function addExpressRouteConnection(fleet: FleetRecord, o: Scope & { gatewayId: string; circuitId: string }): string {
  const random = new SeededRandom(o.name + o.subscriptionId);
  return putNetworkResource(fleet, o, 'connections', random.etag(), {
    provisioningState: 'Succeeded',
    resourceGuid: random.guid(),
    virtualNetworkGateway1: { id: o.gatewayId },
    peer: { id: o.circuitId },
    connectionType: 'ExpressRoute',
    routingWeight: 0,
    enableBgp: false,
    usePolicyBasedTrafficSelectors: false,
    expressRouteGatewayBypass: false,
    ipsecPolicies: [],
    trafficSelectorPolicies: [],
    ingressBytesTransferred: 0,
    egressBytesTransferred: 0,
  });
}

export interface VnetLinkSpec {
  circuitId: string;
  subscriptionId: string;
  resourceGroup: string;
  /** The VNet's (and so its gateway's and connection's) Azure region. */
  location: string;
  vnet: string;
  addressPrefixes: string[];
  gatewaySubnet: string;
  /** Default: cn-<vnet>-<circuit name>. */
  connection?: string;
  /** The VNet's ExpressRoute gateway; default ergw-<vnet>. */
  gateway?: string;
}

/** A VNet linked to a circuit: the VNet (if absent), its ExpressRoute gateway (if absent) and the connection. */
export function addVnetLink(fleet: FleetRecord, o: VnetLinkSpec): { connectionId: string; gatewayId: string; vnetId: string } {
  const place = { subscriptionId: o.subscriptionId, resourceGroup: o.resourceGroup, location: o.location };
  const vnetId = addVirtualNetwork(fleet, { ...place, name: o.vnet, addressPrefixes: o.addressPrefixes, gatewaySubnet: o.gatewaySubnet });
  const gatewayId = addExpressRouteGateway(fleet, { ...place, name: o.gateway ?? `ergw-${o.vnet}`, vnetId });
  const circuitName = o.circuitId.split('/').pop() ?? 'circuit';
  const connectionId = addExpressRouteConnection(fleet, {
    ...place,
    name: o.connection ?? `cn-${o.vnet}-${circuitName}`,
    gatewayId,
    circuitId: o.circuitId,
  });
  return { connectionId, gatewayId, vnetId };
}

export interface HubLinkSpec {
  circuitId: string;
  subscriptionId: string;
  resourceGroup: string;
  /** The hub's (and so its ExpressRoute gateway's) Azure region. */
  location: string;
  /** The Virtual WAN hub's ExpressRoute gateway (Microsoft.Network/expressRouteGateways); created once. */
  gateway: string;
  /** The hub's name, for the gateway's virtualHub reference; default hub-<gateway>. */
  hub?: string;
  /** The ExpressRoute connection's name. */
  connection: string;
}

/**
 * A circuit linked to a Virtual WAN hub: the hub's ExpressRoute gateway (if absent) and its ExpressRoute
 * connection to the circuit's private peering, inline in the gateway as ARM returns it. Returns their ids.
 */
export function addHubLink(fleet: FleetRecord, o: HubLinkSpec): { gatewayId: string; connectionId: string } {
  const random = new SeededRandom(o.connection + o.gateway);
  const place = { subscriptionId: o.subscriptionId, resourceGroup: o.resourceGroup, location: o.location };
  const gatewayId = resourceId({ ...place, name: o.gateway }, 'expressRouteGateways');
  if (!fleet[gatewayId]) {
    putNetworkResource(fleet, { ...place, name: o.gateway }, 'expressRouteGateways', random.etag(), {
      provisioningState: 'Succeeded',
      autoScaleConfiguration: { bounds: { min: 1 } },
      virtualHub: { id: resourceId({ ...place, name: o.hub ?? `hub-${o.gateway}` }, 'virtualHubs') },
      expressRouteConnections: [],
    });
  }
  const gateway = fleet[gatewayId] as Body;
  const connectionId = `${gatewayId}/expressRouteConnections/${o.connection}`;
  const current = Array.isArray(gateway.properties.expressRouteConnections)
    ? (gateway.properties.expressRouteConnections as unknown[])
    : [];
  gateway.properties.expressRouteConnections = [
    ...current,
    {
      name: o.connection,
      id: connectionId,
      properties: {
        provisioningState: 'Succeeded',
        expressRouteCircuitPeering: { id: `${o.circuitId}/peerings/AzurePrivatePeering` },
        routingWeight: 0,
        enableInternetSecurity: false,
        expressRouteGatewayBypass: false,
      },
    },
  ];
  return { gatewayId, connectionId };
}

function privatePeeringOf(fleet: FleetRecord, circuitId: string): Body {
  const circuit = fleet[circuitId] as Body | undefined;
  const peerings = Array.isArray(circuit?.properties.peerings) ? (circuit.properties.peerings as Body[]) : [];
  const peering = peerings.find((p) => p.name === 'AzurePrivatePeering');
  if (!peering) throw new Error(`Global Reach needs the private peering of ${circuitId} in the fleet`);
  return peering;
}

function pushTo(peering: Body, property: string, item: unknown): void {
  const current = Array.isArray(peering.properties[property]) ? (peering.properties[property] as unknown[]) : [];
  peering.properties[property] = [...current, item];
}

/**
 * Global Reach between two circuits' private peerings: the connection on `from`'s peering (ARM's
 * expressRouteCircuitConnection) and its mirror on `to`'s (a peerExpressRouteCircuitConnection).
 */
export function addGlobalReach(fleet: FleetRecord, o: { from: string; to: string; name: string; addressPrefix: string }): void {
  const random = new SeededRandom(o.name + o.from);
  const fromPeering = `${o.from}/peerings/AzurePrivatePeering`;
  const toPeering = `${o.to}/peerings/AzurePrivatePeering`;
  const properties = (self: string, peer: string) => ({
    provisioningState: 'Succeeded',
    addressPrefix: o.addressPrefix,
    circuitConnectionStatus: 'Connected',
    expressRouteCircuitPeering: { id: self },
    peerExpressRouteCircuitPeering: { id: peer },
  });
  pushTo(privatePeeringOf(fleet, o.from), 'connections', {
    name: o.name,
    id: `${fromPeering}/connections/${o.name}`,
    etag: random.etag(),
    type: 'Microsoft.Network/expressRouteCircuits/peerings/connections',
    properties: properties(fromPeering, toPeering),
  });
  pushTo(privatePeeringOf(fleet, o.to), 'peeredConnections', {
    name: o.name,
    id: `${toPeering}/peerConnections/${o.name}`,
    etag: random.etag(),
    type: 'Microsoft.Network/expressRouteCircuits/peerings/peerConnections',
    properties: { ...properties(toPeering, fromPeering), connectionName: o.name, authResourceGuid: random.guid() },
  });
}
