import { parseFleet } from '../../src/simulator';

export const SUB = '3c3c3c3c-0000-4000-8000-000000000001';
export const RG = 'rg-hand';
export const CIRCUIT = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Network/expressRouteCircuits/er-hand`;
export const OTHER_REGION = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Network/expressRouteCircuits/er-far`;
export const PRIVATE = `${CIRCUIT}/peerings/AzurePrivatePeering`;

const summary = (neighbor: string, state: string) => ({ value: [{ neighbor, v: 4, as: 65010, upDown: '1d02h', statePfxRcd: state }] });
const circuit = (id: string, name: string, location: string) => ({
  id,
  name,
  type: 'Microsoft.Network/expressRouteCircuits',
  location,
  sku: { name: 'Standard_MeteredData', tier: 'Standard', family: 'MeteredData' },
  properties: {
    serviceProviderProvisioningState: 'Provisioned',
    serviceProviderProperties: { serviceProviderName: 'Equinix', peeringLocation: 'Amsterdam', bandwidthInMbps: 1000 },
    peerings: [
      {
        name: 'AzurePrivatePeering',
        id: `${id}/peerings/AzurePrivatePeering`,
        properties: { peeringType: 'AzurePrivatePeering', vlanId: 100 },
      },
      { name: 'MicrosoftPeering', id: `${id}/peerings/MicrosoftPeering`, properties: { peeringType: 'MicrosoftPeering', vlanId: 200 } },
    ],
  },
});

/**
 * A fleet written by hand, as an operator would: two circuits, no metrics entries. er-hand's private peering has
 * BGP up on the primary (ARP answered) and Idle on the secondary (no ARP); its Microsoft peering has no device
 * tables at all.
 */
export function handFleet(): ReturnType<typeof parseFleet> {
  return parseFleet({
    [CIRCUIT]: circuit(CIRCUIT, 'er-hand', 'westeurope'),
    [OTHER_REGION]: circuit(OTHER_REGION, 'er-far', 'eastus'),
    [`${PRIVATE}/routeTablesSummary/primary`]: summary('10.0.0.1', '120'),
    [`${PRIVATE}/routeTablesSummary/secondary`]: summary('10.0.0.5', 'Idle'),
    [`${PRIVATE}/arpTables/primary`]: {
      value: [
        { age: 10, interface: 'On-Prem', ipAddress: '10.0.0.1', macAddress: '00:0d:3a:aa:bb:cc' },
        { age: 0, interface: 'Microsoft', ipAddress: '10.0.0.2', macAddress: '00:0d:3a:dd:ee:ff' },
      ],
    },
    [`${PRIVATE}/arpTables/secondary`]: {
      value: [
        { age: 10, interface: 'On-Prem', ipAddress: '10.0.0.5', macAddress: 'Incomplete' },
        { age: 0, interface: 'Microsoft', ipAddress: '10.0.0.6', macAddress: '00:0d:3a:dd:ee:00' },
      ],
    },
  });
}
