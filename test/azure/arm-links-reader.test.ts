import assert from 'node:assert/strict';
import { kqlString } from '../../src/azure/arg-query';
import { DEMO_CUSTOMERS } from '../../src/demo/customers';
import { CodedError, ErrorCode } from '../../src/errors';
import type { Circuit, SubscriptionScope } from '../../src/network/types';
import { buildDemoFleet, parseFleet } from '../../src/simulator';
import { addVnetLink } from '../../src/simulator/fleet-gen/vnet-links';
import { CIRCUIT_IDS, SUBSCRIPTIONS } from '../support/demo-world';
import { premiumAmsWithLinks } from '../support/link-fleets';
import { startArmKit, type ArmKit } from './support/arm-test-kit';

const FABRIKAM: SubscriptionScope = { tenantId: DEMO_CUSTOMERS.fabrikam.tenantId, subscriptionId: SUBSCRIPTIONS.fabrikam0 };
const CONTOSO: SubscriptionScope = { tenantId: DEMO_CUSTOMERS.contoso.tenantId, subscriptionId: SUBSCRIPTIONS.contoso0 };
const graphCalls = (kit: ArmKit) => kit.sim.requests.filter((r) => /microsoft\.resourcegraph\/resources/i.test(r.path)).length;

describe('ArmLinksReader: a circuit VNet links from Resource Graph, over HTTPS', function () {
  this.timeout(30_000);
  let kit: ArmKit;
  afterEach(() => kit?.close());

  async function circuitOf(scope: SubscriptionScope, id: string): Promise<Circuit> {
    return (await kit.access.reader.getCircuit(scope, id, { fresh: true })).value;
  }

  it('should find the connections whose peer is the circuit, with region, subscription and the VNet address space', async () => {
    kit = await startArmKit({ fleet: buildDemoFleet() });
    const dal = await circuitOf(FABRIKAM, CIRCUIT_IDS.fabrikamDal);
    const before = graphCalls(kit);
    const links = await kit.access.links.listVnetLinks(FABRIKAM, DEMO_CUSTOMERS.fabrikam.subscriptions, dal);
    const prefix = `/subscriptions/${SUBSCRIPTIONS.fabrikam0}/resourceGroups/rg-fabrikam-network/providers/Microsoft.Network`;
    assert.deepEqual(
      links.sort((a, b) => a.name.localeCompare(b.name)),
      [
        {
          name: 'cn-fabrikam-hub-dal',
          region: 'southcentralus',
          connectionId: `${prefix}/connections/cn-fabrikam-hub-dal`,
          subscriptionId: SUBSCRIPTIONS.fabrikam0,
          vnet: {
            id: `${prefix}/virtualNetworks/vnet-fabrikam-hub-scus`,
            name: 'vnet-fabrikam-hub-scus',
            addressPrefixes: ['10.200.0.0/16'],
          },
        },
        {
          name: 'cn-fabrikam-weu-dal',
          region: 'westeurope',
          connectionId: `${prefix}/connections/cn-fabrikam-weu-dal`,
          subscriptionId: SUBSCRIPTIONS.fabrikam0,
          vnet: { id: `${prefix}/virtualNetworks/vnet-fabrikam-weu`, name: 'vnet-fabrikam-weu', addressPrefixes: ['10.201.0.0/16'] },
        },
      ],
    );
    assert.equal(
      graphCalls(kit) - before,
      4,
      'one query each for the connections, the hub gateways, the connections gateways and their VNets',
    );
    assert.deepEqual(
      dal.peerings.find((p) => p.kind === 'private')?.connections,
      ['gr-fabrikam-dal-sea'],
      'Global Reach shows on the private peering',
    );
    const sea = await circuitOf(FABRIKAM, CIRCUIT_IDS.fabrikamSea);
    assert.deepEqual(sea.peerings.find((p) => p.kind === 'private')?.connections, ['gr-fabrikam-dal-sea'], 'and as a peered connection');
  });

  it('should search every subscription it is given, and only those', async () => {
    kit = await startArmKit({ fleet: premiumAmsWithLinks(2) });
    const ams = await circuitOf(CONTOSO, CIRCUIT_IDS.contosoAms);
    const all = await kit.access.links.listVnetLinks(CONTOSO, DEMO_CUSTOMERS.contoso.subscriptions, ams);
    assert.deepEqual(all.map((l) => l.name).sort(), ['cn-contoso-hub-ams', 'cn-spoke-0', 'cn-spoke-1']);
    assert.deepEqual(new Set(all.map((l) => l.subscriptionId)), new Set(DEMO_CUSTOMERS.contoso.subscriptions));
    const first = await kit.access.links.listVnetLinks(CONTOSO, [SUBSCRIPTIONS.contoso0], ams);
    assert.deepEqual(
      first.map((l) => l.name),
      ['cn-contoso-hub-ams'],
    );
  });

  it('should count the ExpressRoute connections of a Virtual WAN hub gateway to the circuit, in the gateway region', async () => {
    kit = await startArmKit({ fleet: premiumAmsWithLinks(0, { hubLinks: 2, hubRegion: 'northeurope' }) });
    const ams = await circuitOf(CONTOSO, CIRCUIT_IDS.contosoAms);
    const links = await kit.access.links.listVnetLinks(CONTOSO, DEMO_CUSTOMERS.contoso.subscriptions, ams);
    const gatewayId = `/subscriptions/${SUBSCRIPTIONS.contoso1}/resourceGroups/rg-contoso-vwan/providers/Microsoft.Network/expressRouteGateways/ergw-hub-contoso`;
    assert.deepEqual(
      links.filter((l) => l.hub),
      [0, 1].map((i) => ({
        name: `cn-hub-${i}`,
        region: 'northeurope',
        connectionId: `${gatewayId}/expressRouteConnections/cn-hub-${i}`,
        subscriptionId: SUBSCRIPTIONS.contoso1,
        hub: { gatewayId, gatewayName: 'ergw-hub-contoso' },
      })),
    );
    assert.deepEqual(
      links.filter((l) => !l.hub).map((l) => l.name),
      ['cn-contoso-hub-ams'],
    );
    const lon = await circuitOf(CONTOSO, CIRCUIT_IDS.contosoAms.replace(/contoso-ams-er1$/, 'contoso-lon-er2'));
    assert.ok(
      !(await kit.access.links.listVnetLinks(CONTOSO, DEMO_CUSTOMERS.contoso.subscriptions, lon)).some((l) => l.hub),
      'another circuit',
    );
  });

  it('should still count a connection that redeemed an authorization where Resource Graph cannot see, its region unknown', async () => {
    kit = await startArmKit({ fleet: buildDemoFleet() });
    const sea = await circuitOf(FABRIKAM, CIRCUIT_IDS.fabrikamSea);
    const links = await kit.access.links.listVnetLinks(FABRIKAM, DEMO_CUSTOMERS.fabrikam.subscriptions, sea);
    assert.deepEqual(links, [
      {
        name: 'cn-fabrikam-hub-er',
        region: '',
        connectionId:
          '/subscriptions/9f1e2d3c-4b5a-4789-8abc-0fab1e000002/resourceGroups/rg-fabrikam-hub/providers/Microsoft.Network/connections/cn-fabrikam-hub-er',
        subscriptionId: '9f1e2d3c-4b5a-4789-8abc-0fab1e000002',
      },
    ]);
  });

  it('should follow $skipToken past 1,000 connections', async () => {
    const fleet = buildDemoFleet() as Record<string, unknown>;
    for (let i = 0; i < 1005; i++) {
      const id = `/subscriptions/${SUBSCRIPTIONS.contoso1}/resourceGroups/rg-many/providers/Microsoft.Network/connections/cn-${i}`;
      fleet[id] = {
        id,
        name: `cn-${i}`,
        type: 'Microsoft.Network/connections',
        location: 'westeurope',
        properties: { peer: { id: CIRCUIT_IDS.contosoAms } },
      };
    }
    kit = await startArmKit({ fleet: parseFleet(fleet), settings: { resourceGraph: false } });
    const ams = await circuitOf(CONTOSO, CIRCUIT_IDS.contosoAms);
    const before = graphCalls(kit);
    const links = await kit.access.links.listVnetLinks(CONTOSO, DEMO_CUSTOMERS.contoso.subscriptions, ams);
    assert.equal(links.length, 1006, "the 1,005 and the demo's hub link");
    assert.equal(graphCalls(kit) - before, 5, 'two pages of connections, the hub gateways, then the hub link gateway and VNet');
  });

  it('should quote the circuit id in KQL so that an id cannot change the query', async () => {
    assert.equal(kqlString("a'b\\c"), "'a\\'b\\\\c'");
    kit = await startArmKit({ fleet: buildDemoFleet() });
    const dal = await circuitOf(FABRIKAM, CIRCUIT_IDS.fabrikamDal);
    const forged = { ...dal, id: `${dal.id}' or type =~ 'microsoft.network/connections`, authorizations: [] };
    assert.deepEqual(await kit.access.links.listVnetLinks(FABRIKAM, DEMO_CUSTOMERS.fabrikam.subscriptions, forged), []);
  });

  it('should throw a coded error naming the links when Resource Graph refuses', async () => {
    const fleet = buildDemoFleet() as Record<string, unknown>;
    addVnetLink(fleet, {
      circuitId: CIRCUIT_IDS.contosoAms,
      subscriptionId: SUBSCRIPTIONS.contoso0,
      resourceGroup: 'rg-contoso-network',
      location: 'northeurope',
      vnet: 'vnet-extra',
      addressPrefixes: ['10.99.0.0/16'],
      gatewaySubnet: '10.99.255.0/27',
    });
    kit = await startArmKit({ fleet: parseFleet(fleet) });
    const ams = await circuitOf(CONTOSO, CIRCUIT_IDS.contosoAms);
    kit.sim.addFaults([{ match: 'Microsoft.ResourceGraph', status: 403, code: 'AuthorizationFailed', count: 1 }]);
    await assert.rejects(kit.access.links.listVnetLinks(CONTOSO, DEMO_CUSTOMERS.contoso.subscriptions, ams), (e: unknown) => {
      assert.ok(e instanceof CodedError);
      assert.equal(e.code, ErrorCode.ArmForbidden);
      assert.match(e.message, /VNet links of contoso-ams-er1/);
      return true;
    });
  });
});
