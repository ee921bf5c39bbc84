import type { SubscriptionScope } from '../../../src/network/types';

/**
 * A small fleet fixture in ARM wire format (as in shared/arm-examples), with values chosen so that the
 * mapping can be asserted exactly. The demo fleet is covered separately.
 */
export const SUB = '1a1a1a1a-0000-4000-8000-00000000c001';
export const OTHER_SUB = '2b2b2b2b-0000-4000-8000-00000000f001';
export const SCOPE: SubscriptionScope = { tenantId: '11111111-1111-4111-8111-111111111111', subscriptionId: SUB };
export const OTHER_SCOPE: SubscriptionScope = { tenantId: '22222222-2222-4222-8222-222222222222', subscriptionId: OTHER_SUB };

const NET = `/subscriptions/${SUB}/resourceGroups/rg-er/providers/Microsoft.Network`;
export const PROVIDER_ID = `${NET}/expressRouteCircuits/er-provider`;
export const DIRECT_ID = `${NET}/expressRouteCircuits/er-direct`;
export const PORT_ID = `${NET}/expressRoutePorts/port-chi`;
export const FILTER_ID = `${NET}/routeFilters/rf-o365`;
export const UDR_ID = `${NET}/routeTables/rt-fw`;
export const OTHER_CIRCUIT_ID = `/subscriptions/${OTHER_SUB}/resourceGroups/rg-x/providers/Microsoft.Network/expressRouteCircuits/er-other`;

export const SECRETS = {
  md5: 'md5-secret-abc123',
  serviceKey: 'a1410692-5ec2-4ceb-b94a-b90b94d398d1',
  authorizationKey: 'b0be57f5-1fba-463b-adec-ffe767354cdd',
};
export const ROUTE_COUNT = 9000;

function peering(circuitId: string, name: string, properties: Record<string, unknown>) {
  return { name, id: `${circuitId}/peerings/${name}`, properties: { peeringType: name, provisioningState: 'Succeeded', ...properties } };
}

function circuit(id: string, name: string, sku: [string, string], properties: Record<string, unknown>) {
  return {
    name,
    id,
    type: 'Microsoft.Network/expressRouteCircuits',
    location: 'westeurope',
    etag: `W/"${name}-1"`,
    sku: { name: `${sku[0]}_${sku[1]}`, tier: sku[0], family: sku[1] },
    properties: {
      provisioningState: 'Succeeded',
      circuitProvisioningState: 'Enabled',
      serviceProviderProvisioningState: 'Provisioned',
      allowClassicOperations: false,
      authorizations: [],
      peerings: [],
      ...properties,
    },
  };
}

function series(role: string, points: [number, number][]) {
  return {
    metadatavalues: [{ name: { value: 'DeviceRole', localizedValue: 'DeviceRole' }, value: role }],
    data: points.map(([average, maximum], i) => ({ timeStamp: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString(), average, maximum })),
  };
}

export function buildTestFleet(): Record<string, unknown> {
  const privatePeering = peering(PROVIDER_ID, 'AzurePrivatePeering', {
    state: 'Enabled',
    azureASN: 12076,
    peerASN: 65010,
    primaryPeerAddressPrefix: '192.168.16.0/30',
    secondaryPeerAddressPrefix: '192.168.16.4/30',
    primaryAzurePort: 'MSEE-AMS-1',
    secondaryAzurePort: 'MSEE-AMS-2',
    vlanId: 100,
    sharedKey: SECRETS.md5,
    connections: [{ name: 'gr-to-lon', id: `${PROVIDER_ID}/peerings/AzurePrivatePeering/connections/gr-to-lon`, properties: {} }],
    stats: { primarybytesIn: 1, primarybytesOut: 2, secondarybytesIn: 3, secondarybytesOut: 4 },
  });
  const microsoftPeering = peering(PROVIDER_ID, 'MicrosoftPeering', {
    state: 'Enabled',
    azureASN: 12076,
    peerASN: 64496,
    primaryPeerAddressPrefix: '203.0.113.0/30',
    secondaryPeerAddressPrefix: '203.0.113.4/30',
    vlanId: 200,
    microsoftPeeringConfig: {
      advertisedPublicPrefixes: ['198.51.100.0/24'],
      advertisedPublicPrefixesState: 'Configured',
      customerASN: 64496,
      routingRegistryName: 'ARIN',
    },
    routeFilter: { id: FILTER_ID },
  });
  const routes = Array.from({ length: ROUTE_COUNT }, (_, i) => ({
    network: `10.${Math.floor(i / 256) % 256}.${i % 256}.0/24`,
    nextHop: '192.168.16.2',
    locPrf: '',
    weight: 0,
    path: '65010 65020',
  }));
  const smalls = Object.fromEntries(
    [1, 2, 3].map((n) => {
      const id = `${NET}/expressRouteCircuits/er-small-${n}`;
      return [
        id,
        circuit(id, `er-small-${n}`, ['Local', 'UnlimitedData'], {
          serviceProviderProvisioningState: 'NotProvisioned',
          serviceProviderProperties: { serviceProviderName: 'Megaport', peeringLocation: 'Dallas', bandwidthInMbps: 50 },
        }),
      ];
    }),
  );
  return {
    [PROVIDER_ID]: {
      ...circuit(PROVIDER_ID, 'er-provider', ['Standard', 'MeteredData'], {
        serviceKey: SECRETS.serviceKey,
        serviceProviderProperties: { serviceProviderName: 'Equinix', peeringLocation: 'Amsterdam', bandwidthInMbps: 1000 },
        globalReachEnabled: true,
        peerings: [privatePeering, microsoftPeering],
        authorizations: [
          {
            name: 'auth-lon',
            id: `${PROVIDER_ID}/authorizations/auth-lon`,
            properties: { authorizationKey: SECRETS.authorizationKey, authorizationUseStatus: 'Available', provisioningState: 'Succeeded' },
          },
        ],
      }),
      tags: { env: 'prod' },
    },
    [DIRECT_ID]: circuit(DIRECT_ID, 'er-direct', ['Premium', 'UnlimitedData'], {
      expressRoutePort: { id: PORT_ID },
      bandwidthInGbps: 10,
    }),
    [PORT_ID]: {
      name: 'port-chi',
      id: PORT_ID,
      type: 'Microsoft.Network/expressRoutePorts',
      location: 'westeurope',
      properties: { peeringLocation: 'Chicago', bandwidthInGbps: 100, encapsulation: 'QinQ', provisioningState: 'Succeeded' },
    },
    ...smalls,
    [OTHER_CIRCUIT_ID]: circuit(OTHER_CIRCUIT_ID, 'er-other', ['Standard', 'MeteredData'], {
      serviceProviderProperties: { serviceProviderName: 'AT&T', peeringLocation: 'Dallas', bandwidthInMbps: 200 },
    }),
    [`${PROVIDER_ID}/peerings/AzurePrivatePeering/routeTables/primary`]: { value: routes },
    [`${PROVIDER_ID}/peerings/AzurePrivatePeering/routeTablesSummary/primary`]: {
      value: [{ neighbor: '192.168.16.2', v: 4, as: 65010, upDown: '2d03h', statePfxRcd: String(ROUTE_COUNT) }],
    },
    [`${PROVIDER_ID}/peerings/AzurePrivatePeering/arpTables/secondary`]: {
      value: [
        { age: 0, interface: 'Microsoft', ipAddress: '192.168.16.5', macAddress: '00:0d:3a:aa:bb:cc' },
        { age: 12, interface: 'On-Prem', ipAddress: '192.168.16.6', macAddress: '00:0d:3a:dd:ee:ff' },
      ],
    },
    [`${PROVIDER_ID}/stats`]: { primarybytesIn: 10, primarybytesOut: 20, secondarybytesIn: 30, secondarybytesOut: 40 },
    [`${DIRECT_ID}/stats`]: { primarybytesIn: 537408, primarybytesOut: 44032550, secondarybytesIn: 0, secondarybytesOut: 39002500 },
    [`${PROVIDER_ID}/providers/Microsoft.Insights/metrics`]: {
      cost: 0,
      timespan: '2025-01-01T00:00:00Z/2025-01-01T01:00:00Z',
      interval: 'PT1M',
      namespace: 'Microsoft.Network/expressRouteCircuits',
      resourceregion: 'westeurope',
      value: [
        {
          id: `${PROVIDER_ID}/providers/Microsoft.Insights/metrics/BitsInPerSecond`,
          type: 'Microsoft.Insights/metrics',
          name: { value: 'BitsInPerSecond', localizedValue: 'BitsInPerSecond' },
          unit: 'BitsPerSecond',
          timeseries: [
            series('Primary', [
              [800e6, 850e6],
              [820e6, 900e6],
            ]),
            series('Secondary', [[10e6, 12e6]]),
          ],
        },
        {
          id: `${PROVIDER_ID}/providers/Microsoft.Insights/metrics/BitsOutPerSecond`,
          type: 'Microsoft.Insights/metrics',
          name: { value: 'BitsOutPerSecond', localizedValue: 'BitsOutPerSecond' },
          unit: 'BitsPerSecond',
          timeseries: [series('Primary', [[100e6, 150e6]]), series('Secondary', [[5e6, 6e6]])],
        },
      ],
    },
    [FILTER_ID]: {
      name: 'rf-o365',
      id: FILTER_ID,
      type: 'Microsoft.Network/routeFilters',
      location: 'westeurope',
      properties: {
        provisioningState: 'Succeeded',
        rules: [
          {
            name: 'allow-exo',
            id: `${FILTER_ID}/routeFilterRules/allow-exo`,
            properties: { access: 'Allow', routeFilterRuleType: 'Community', communities: ['12076:5010', '12076:5100'] },
          },
        ],
        peerings: [{ id: `${PROVIDER_ID}/peerings/MicrosoftPeering` }],
      },
    },
    [UDR_ID]: {
      name: 'rt-fw',
      id: UDR_ID,
      type: 'Microsoft.Network/routeTables',
      location: 'westeurope',
      properties: {
        disableBgpRoutePropagation: true,
        provisioningState: 'Succeeded',
        routes: [
          {
            name: 'default-via-fw',
            id: `${UDR_ID}/routes/default-via-fw`,
            properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.0.4' },
          },
        ],
        subnets: [
          { id: `/subscriptions/${SUB}/resourceGroups/rg-er/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/workloads` },
        ],
      },
    },
  };
}
