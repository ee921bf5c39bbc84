import assert from 'node:assert/strict';
import { DEMO_CUSTOMERS } from '../../src/demo/customers';
import { CodedError } from '../../src/errors';
import type { SubscriptionScope } from '../../src/network/types';
import { SUBSCRIPTIONS } from '../support/demo-world';
import { CHI_PORT, portPairFleet } from '../support/port-fleets';
import { startArmKit, type ArmKit } from './support/arm-test-kit';

const FABRIKAM: SubscriptionScope = { tenantId: DEMO_CUSTOMERS.fabrikam.tenantId, subscriptionId: SUBSCRIPTIONS.fabrikam0 };

describe('ArmPortCircuitsReader: the circuits on an ExpressRoute Direct port pair, from Resource Graph over HTTPS', function () {
  this.timeout(30_000);
  let kit: ArmKit;
  afterEach(() => kit?.close());

  it('should list every circuit on the port with its bandwidth and its peerings’ VLANs, the port id in any casing', async () => {
    const { fleet, ids } = portPairFleet([{ name: 'chi-other', bandwidthInGbps: 40, vlanId: 520 }]);
    kit = await startArmKit({ fleet });
    const circuits = await kit.access.ports.listPortCircuits(FABRIKAM, DEMO_CUSTOMERS.fabrikam.subscriptions, CHI_PORT.toUpperCase());
    assert.deepEqual(
      circuits.map((c) => [c.name, c.bandwidthInGbps, c.vlans]),
      [
        ['chi-other', 40, [{ peering: 'AzurePrivatePeering', vlanId: 520 }]],
        ['fabrikam-chi-direct', 10, [{ peering: 'AzurePrivatePeering', vlanId: 310 }]],
      ],
    );
    assert.equal(circuits[0]?.id, ids[0]);
    const elsewhere = await kit.access.ports.listPortCircuits(FABRIKAM, DEMO_CUSTOMERS.fabrikam.subscriptions, `${CHI_PORT}-other`);
    assert.deepEqual(elsewhere, []);
  });

  it('should fail the read on a circuit row without its bandwidth, rather than count it as 0 Gbps', async () => {
    const { fleet, ids } = portPairFleet([{ name: 'chi-other', bandwidthInGbps: 40, vlanId: 520 }]);
    delete (fleet[ids[0] ?? ''] as { properties: Record<string, unknown> }).properties.bandwidthInGbps;
    kit = await startArmKit({ fleet });
    await assert.rejects(kit.access.ports.listPortCircuits(FABRIKAM, DEMO_CUSTOMERS.fabrikam.subscriptions, CHI_PORT), (e: unknown) => {
      assert.ok(e instanceof CodedError, String(e));
      assert.match(e.message, /a circuit on port erport-fabrikam-chi that the bot cannot read/);
      return true;
    });
  });

  it('should fail with a coded error when Resource Graph refuses, never with an empty list', async () => {
    kit = await startArmKit({ fleet: portPairFleet([]).fleet });
    kit.sim.addFaults([{ match: 'Microsoft.ResourceGraph', status: 403, code: 'AuthorizationFailed', count: 1 }]);
    await assert.rejects(
      kit.access.ports.listPortCircuits(FABRIKAM, DEMO_CUSTOMERS.fabrikam.subscriptions, CHI_PORT),
      (e: unknown) => e instanceof CodedError,
    );
  });
});
