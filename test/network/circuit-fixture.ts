import type { BgpNeighbour, Circuit, Peering } from '../../src/network/types';

const SUB = '1a1a1a1a-0000-4000-8000-00000000c001';

export function circuitId(name: string, rg = 'rg-network'): string {
  return `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.Network/expressRouteCircuits/${name}`;
}

export function peering(kind: 'private' | 'microsoft', overrides: Partial<Peering> = {}): Peering {
  const base: Peering =
    kind === 'private'
      ? {
          name: 'AzurePrivatePeering',
          kind: 'private',
          state: 'Enabled',
          provisioningState: 'Succeeded',
          azureAsn: 12076,
          peerAsn: 65010,
          vlanId: 100,
          primaryPeerAddressPrefix: '192.168.10.0/30',
          secondaryPeerAddressPrefix: '192.168.10.4/30',
          primaryAzurePort: 'Equinix-SV5-01-A',
          secondaryAzurePort: 'Equinix-SV5-01-B',
          connections: ['hub-vnet-connection'],
          hasSharedKey: true,
        }
      : {
          name: 'MicrosoftPeering',
          kind: 'microsoft',
          state: 'Enabled',
          provisioningState: 'Succeeded',
          azureAsn: 12076,
          peerAsn: 64999,
          vlanId: 200,
          primaryPeerAddressPrefix: '203.0.113.0/30',
          secondaryPeerAddressPrefix: '203.0.113.4/30',
          advertisedPublicPrefixes: ['203.0.113.128/25'],
          customerAsn: 64999,
          routingRegistryName: 'ARIN',
          routeFilterId: `/subscriptions/${SUB}/resourceGroups/rg-network/providers/Microsoft.Network/routeFilters/rf-m365`,
          connections: [],
          hasSharedKey: false,
        };
  return { ...base, ...overrides };
}

export function circuit(overrides: Partial<Circuit> = {}): Circuit {
  const name = overrides.name ?? 'er-sv-01';
  return {
    id: circuitId(name),
    name,
    subscriptionId: SUB,
    resourceGroup: 'rg-network',
    location: 'westus2',
    etag: 'W/"1"',
    sku: { tier: 'Standard', family: 'MeteredData' },
    provisioningState: 'Succeeded',
    circuitProvisioningState: 'Enabled',
    serviceProviderProvisioningState: 'Provisioned',
    bandwidthMbps: 1000,
    provider: { name: 'Equinix', peeringLocation: 'Silicon Valley' },
    globalReachEnabled: false,
    peerings: [peering('private'), peering('microsoft')],
    authorizations: [{ name: 'fabrikam-auth', useStatus: 'InUse', provisioningState: 'Succeeded' }],
    tags: { env: 'prod' },
    ...overrides,
  };
}

export function neighbour(statePfxRcd: string | number, overrides: Partial<BgpNeighbour> = {}): BgpNeighbour {
  return { neighbor: '192.168.10.1', v: 4, as: 65010, upDown: '3d02h', statePfxRcd: String(statePfxRcd), ...overrides };
}
