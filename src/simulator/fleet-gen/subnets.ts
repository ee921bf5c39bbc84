import type { FleetRecord } from './circuit-fixture';
import { putNetworkResource, resourceId, type Scope } from './network-resources';
import { SeededRandom } from './seeded-random';

/**
 * Subnets as ARM returns them inside their VNet, with their NSG and route table links (and, on the NSG and the
 * route table, the read-only list of subnets associated with them); and VNet peerings, both directions.
 */

export type Body = { properties: Record<string, unknown> } & Record<string, unknown>;

export interface SubnetSpec {
  name: string;
  addressPrefix: string;
  nsgId?: string;
  routeTableId?: string;
}

/** A fleet entry the builders change in place; throws when it is missing (a builder called out of order). */
export function entry(fleet: FleetRecord, id: string, what: string): Body {
  const body = fleet[id] as Body | undefined;
  if (!body) throw new Error(`${what} ${id} is not in the fleet yet`);
  return body;
}

export function array(body: Body, property: string): Array<Record<string, unknown>> {
  const v = body.properties[property];
  return Array.isArray(v) ? (v as Array<Record<string, unknown>>) : [];
}

/** Adds `{ id }` to a body's list of references (`subnets`, `networkInterfaces`, …) unless it is there. */
export function addReference(holder: Body, property: string, id: string): void {
  const refs = array(holder, property);
  if (!refs.some((r) => String(r.id).toLowerCase() === id.toLowerCase())) holder.properties[property] = [...refs, { id }];
}

export function vnetIdOfSubnet(subnetId: string): string {
  return subnetId.replace(/\/subnets\/[^/]+$/i, '');
}

/** The subnet's body inside its VNet's fleet entry. */
export function subnetEntry(fleet: FleetRecord, subnetId: string): Body {
  const subnet = array(entry(fleet, vnetIdOfSubnet(subnetId), 'virtual network'), 'subnets').find(
    (s) => String(s.id).toLowerCase() === subnetId.toLowerCase(),
  );
  if (!subnet) throw new Error(`subnet ${subnetId} is not in the fleet yet`);
  return subnet as Body;
}

/**
 * A VNet (without a gateway) holding `subnets`; when the fleet has the VNet already (e.g. from addVnetLink), the
 * subnets are added to it, replacing any of the same name. Returns the VNet's id.
 */
export function addSubnets(fleet: FleetRecord, o: Scope & { addressPrefixes?: string[]; subnets: SubnetSpec[] }): string {
  const random = new SeededRandom(`${o.name}${o.subscriptionId}/subnets`);
  const id = resourceId(o, 'virtualNetworks');
  if (!fleet[id]) {
    if (!o.addressPrefixes) throw new Error(`virtual network ${id} needs addressPrefixes`);
    putNetworkResource(fleet, o, 'virtualNetworks', random.etag(), {
      provisioningState: 'Succeeded',
      resourceGuid: random.guid(),
      addressSpace: { addressPrefixes: o.addressPrefixes },
      subnets: [],
      virtualNetworkPeerings: [],
      enableDdosProtection: false,
    });
  }
  const vnet = entry(fleet, id, 'virtual network');
  for (const s of o.subnets) {
    const subnetId = `${id}/subnets/${s.name}`;
    const body = {
      name: s.name,
      id: subnetId,
      etag: random.etag(),
      type: 'Microsoft.Network/virtualNetworks/subnets',
      properties: {
        provisioningState: 'Succeeded',
        addressPrefix: s.addressPrefix,
        ipConfigurations: [],
        delegations: [],
        privateEndpointNetworkPolicies: 'Disabled',
        privateLinkServiceNetworkPolicies: 'Enabled',
      },
    };
    vnet.properties.subnets = [...array(vnet, 'subnets').filter((x) => x.name !== s.name), body];
    linkSubnet(fleet, subnetId, s);
  }
  return id;
}

/** Associates an existing subnet with an NSG and/or a route table, on both sides as ARM shows them. */
export function linkSubnet(fleet: FleetRecord, subnetId: string, o: { nsgId?: string; routeTableId?: string }): void {
  const subnet = subnetEntry(fleet, subnetId);
  if (o.nsgId) {
    subnet.properties.networkSecurityGroup = { id: o.nsgId };
    addReference(entry(fleet, o.nsgId, 'network security group'), 'subnets', subnetId);
  }
  if (o.routeTableId) {
    subnet.properties.routeTable = { id: o.routeTableId };
    addReference(entry(fleet, o.routeTableId, 'route table'), 'subnets', subnetId);
  }
}

/**
 * Peers two VNets both ways (Connected). With `spokeUsesHubGateways`, the hub allows gateway transit and the
 * spoke uses the hub's gateways, so the spoke learns what the hub's ExpressRoute gateway learns.
 */
export function peerVirtualNetworks(fleet: FleetRecord, o: { hubId: string; spokeId: string; spokeUsesHubGateways?: boolean }): void {
  const random = new SeededRandom(`${o.hubId}<->${o.spokeId}`);
  const transit = o.spokeUsesHubGateways ?? false;
  const side = (fromId: string, toId: string, own: { allowGatewayTransit: boolean; useRemoteGateways: boolean }) => {
    const from = entry(fleet, fromId, 'virtual network');
    const space = entry(fleet, toId, 'virtual network').properties.addressSpace;
    const name = `peer-${toId.split('/').pop() ?? ''}`;
    from.properties.virtualNetworkPeerings = [
      ...array(from, 'virtualNetworkPeerings').filter((p) => p.name !== name),
      {
        name,
        id: `${fromId}/virtualNetworkPeerings/${name}`,
        etag: random.etag(),
        type: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings',
        properties: {
          provisioningState: 'Succeeded',
          peeringState: 'Connected',
          peeringSyncLevel: 'FullyInSync',
          remoteVirtualNetwork: { id: toId },
          allowVirtualNetworkAccess: true,
          allowForwardedTraffic: true,
          ...own,
          doNotVerifyRemoteGateways: false,
          remoteAddressSpace: space,
          remoteVirtualNetworkAddressSpace: space,
        },
      },
    ];
  };
  side(o.hubId, o.spokeId, { allowGatewayTransit: transit, useRemoteGateways: false });
  side(o.spokeId, o.hubId, { allowGatewayTransit: false, useRemoteGateways: transit });
}
