import { hostOf } from '../ip-prefix';
import type { MACSEC_CIPHERS } from '../macsec-write-rules';
import type { FleetRecord } from './circuit-fixture';
import { putNetworkResource, resourceId } from './network-resources';
import { SeededRandom } from './seeded-random';
import { array, entry } from './subnets';

/**
 * The two ways ExpressRoute traffic gets encrypted ("About encryption for Azure ExpressRoute"): MACsec on the
 * links of an ExpressRoute Direct port pair, and an IPsec site-to-site VPN over private peering: a VPN gateway
 * with private IPs (enablePrivateIpAddress) in the VNet's GatewaySubnet, beside its ExpressRoute gateway, and an
 * IPsec connection that uses them (useLocalAzureIpAddress) towards a local network gateway whose address is an
 * on-premises private IP reached over the private peering.
 */

export type MacsecCipher = (typeof MACSEC_CIPHERS)[number];

export interface VpnOverPrivatePeeringSpec {
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  /** The VNet, with its GatewaySubnet (e.g. from addVnetLink). */
  vnetId: string;
  gateway: string;
  localGateway: string;
  connection: string;
  /** The on-premises VPN device's private address, reached over private peering. */
  onPremisesDeviceIp: string;
  /** What the tunnel carries: the local network gateway's address space. */
  onPremisesPrefixes: string[];
}

export function addVpnOverPrivatePeering(
  fleet: FleetRecord,
  o: VpnOverPrivatePeeringSpec,
): { gatewayId: string; localNetworkGatewayId: string; connectionId: string } {
  const random = new SeededRandom(`${o.gateway}${o.subscriptionId}`);
  const place = { subscriptionId: o.subscriptionId, resourceGroup: o.resourceGroup, location: o.location };
  const gatewaySubnet = array(entry(fleet, o.vnetId, 'virtual network'), 'subnets').find((s) => s.name === 'GatewaySubnet');
  const addressPrefix = (gatewaySubnet?.properties as Record<string, unknown> | undefined)?.addressPrefix;
  const prefix = typeof addressPrefix === 'string' ? addressPrefix : '';
  if (!gatewaySubnet || !prefix) throw new Error(`virtual network ${o.vnetId} has no GatewaySubnet for the VPN gateway`);
  const gatewayId = resourceId({ ...place, name: o.gateway }, 'virtualNetworkGateways');
  putNetworkResource(fleet, { ...place, name: o.gateway }, 'virtualNetworkGateways', random.etag(), {
    provisioningState: 'Succeeded',
    resourceGuid: random.guid(),
    gatewayType: 'Vpn',
    vpnType: 'RouteBased',
    vpnGatewayGeneration: 'Generation2',
    enableBgp: false,
    activeActive: false,
    enablePrivateIpAddress: true,
    sku: { name: 'VpnGw2AZ', tier: 'VpnGw2AZ' },
    ipConfigurations: [
      {
        name: 'default',
        id: `${gatewayId}/ipConfigurations/default`,
        etag: random.etag(),
        properties: {
          provisioningState: 'Succeeded',
          privateIPAllocationMethod: 'Dynamic',
          // Azure picks it from the GatewaySubnet; the ExpressRoute gateway holds the first ones.
          privateIPAddress: hostOf(prefix, 6),
          subnet: { id: String(gatewaySubnet.id) },
        },
      },
    ],
    bgpSettings: { asn: 65515, peerWeight: 0 },
  });
  const localNetworkGatewayId = putNetworkResource(fleet, { ...place, name: o.localGateway }, 'localNetworkGateways', random.etag(), {
    provisioningState: 'Succeeded',
    resourceGuid: random.guid(),
    localNetworkAddressSpace: { addressPrefixes: o.onPremisesPrefixes },
    gatewayIpAddress: o.onPremisesDeviceIp,
  });
  const connectionId = putNetworkResource(fleet, { ...place, name: o.connection }, 'connections', random.etag(), {
    provisioningState: 'Succeeded',
    resourceGuid: random.guid(),
    virtualNetworkGateway1: { id: gatewayId },
    localNetworkGateway2: { id: localNetworkGatewayId },
    connectionType: 'IPsec',
    connectionProtocol: 'IKEv2',
    connectionStatus: 'Connected',
    connectionMode: 'Default',
    routingWeight: 0,
    dpdTimeoutSeconds: 45,
    enableBgp: false,
    useLocalAzureIpAddress: true,
    usePolicyBasedTrafficSelectors: false,
    expressRouteGatewayBypass: false,
    ipsecPolicies: [],
    trafficSelectorPolicies: [],
    ingressBytesTransferred: random.int(1, 900) * 1_000_000,
    egressBytesTransferred: random.int(1, 900) * 1_000_000,
  });
  return { gatewayId, localNetworkGatewayId, connectionId };
}

/**
 * MACsec on both links of a Direct port: CKN and CAK as Key Vault secret identifiers, read through a
 * user-assigned identity given to the port.
 */
export function setPortMacsec(
  fleet: FleetRecord,
  portId: string,
  o: { vault?: string; cipher?: MacsecCipher; sciState?: 'Enabled' | 'Disabled' } = {},
): void {
  const port = entry(fleet, portId, 'ExpressRoute port');
  const name = portId.split('/').pop() ?? 'port';
  const vault = o.vault ?? `kv-${name}`.slice(0, 24).replace(/-+$/, '');
  const random = new SeededRandom(`${portId}/macsec`);
  const identityId = portId.replace(
    /\/providers\/Microsoft\.Network\/expressRoutePorts\/[^/]+$/i,
    `/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-${name}`,
  );
  port.identity = {
    type: 'UserAssigned',
    userAssignedIdentities: { [identityId]: { principalId: random.guid(), clientId: random.guid() } },
  };
  for (const link of array(port, 'links')) {
    const props = link.properties as Record<string, unknown>;
    props.macSecConfig = {
      cknSecretIdentifier: `https://${vault}.vault.azure.net/secrets/${name}-ckn`,
      cakSecretIdentifier: `https://${vault}.vault.azure.net/secrets/${name}-cak`,
      cipher: o.cipher ?? 'GcmAes256',
      sciState: o.sciState ?? 'Enabled',
    };
  }
}
