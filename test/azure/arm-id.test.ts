import assert from 'node:assert/strict';
import { formatCircuitId, parseArmId, parseCircuitId, sameArmId } from '../../src/network/arm-id';
import { CodedError, ErrorCode } from '../../src/errors';

const ID =
  '/subscriptions/1a1a1a1a-0000-4000-8000-00000000c001/resourceGroups/rg-net/providers/Microsoft.Network/expressRouteCircuits/contoso-ams-er1';

describe('arm-id', () => {
  it('should parse a circuit id into its parts', () => {
    const id = parseCircuitId(ID);
    assert.equal(id.subscriptionId, '1a1a1a1a-0000-4000-8000-00000000c001');
    assert.equal(id.resourceGroup, 'rg-net');
    assert.equal(id.name, 'contoso-ams-er1');
    assert.deepEqual(id.children, []);
  });

  it('should accept any casing of the fixed segments, as ARM does', () => {
    const id = parseCircuitId(ID.replace('resourceGroups', 'RESOURCEGROUPS').replace('expressRouteCircuits', 'EXPRESSROUTECIRCUITS'));
    assert.equal(id.name, 'contoso-ams-er1');
    assert.ok(sameArmId(ID, ID.toUpperCase()));
  });

  it('should round-trip through formatCircuitId', () => {
    const id = parseCircuitId(ID);
    assert.equal(formatCircuitId(id.subscriptionId, id.resourceGroup, id.name), ID);
  });

  it('should parse child segments', () => {
    const id = parseArmId(`${ID}/peerings/AzurePrivatePeering`);
    assert.deepEqual(id.children, [{ type: 'peerings', name: 'AzurePrivatePeering' }]);
  });

  for (const bad of [
    'contoso-ams-er1',
    '/subscriptions//resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/x',
    '/subscriptions/s/providers/Microsoft.Network/expressRouteCircuits/x',
    '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/routeTables/x',
    `${ID}/peerings`,
    `${ID}/peerings/AzurePrivatePeering`,
  ]) {
    it(`should refuse "${bad}" as a circuit id with BadInput`, () => {
      assert.throws(
        () => parseCircuitId(bad),
        (e: unknown) => e instanceof CodedError && e.code === ErrorCode.BadInput && typeof e.hint === 'string',
      );
    });
  }
});
