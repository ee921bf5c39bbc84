import assert from 'node:assert/strict';
import { flattenArm, inventoryFromRows } from '../../src/azure/arg-rows';

const CIRCUIT =
  '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/er1';

describe('Resource Graph rows', () => {
  it('should lift properties, at every level that is a resource, and keep the rest as it came', () => {
    const row = {
      id: CIRCUIT,
      name: 'er1',
      sku: { tier: 'Premium' },
      properties: { circuitProvisioningState: 'Enabled', peerings: [{ name: 'AzurePrivatePeering', properties: { vlanId: 100 } }] },
    };
    assert.deepEqual(flattenArm(row), {
      id: CIRCUIT,
      name: 'er1',
      sku: { tier: 'Premium' },
      circuitProvisioningState: 'Enabled',
      peerings: [{ name: 'AzurePrivatePeering', vlanId: 100 }],
    });
  });

  it('should never let a __proto__ key in an answer give the mapped model fields it does not have', () => {
    const rows: unknown[] = JSON.parse(
      JSON.stringify([
        {
          id: CIRCUIT,
          name: 'er1',
          type: 'microsoft.network/expressroutecircuits',
          properties: { serviceProviderProvisioningState: 'NotProvisioned' },
        },
      ]).replace(
        '"serviceProviderProvisioningState"',
        '"__proto__":{"circuitProvisioningState":"Enabled","etag":"forged"},"serviceProviderProvisioningState"',
      ),
    ) as unknown[];
    const [circuit] = inventoryFromRows(rows).inventory.circuits;
    assert.equal(circuit?.serviceProviderProvisioningState, 'NotProvisioned');
    assert.equal(circuit?.circuitProvisioningState, '');
    assert.equal(circuit?.etag, undefined);
  });
});
