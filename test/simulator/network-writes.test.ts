import assert from 'node:assert/strict';
import { DEMO_CUSTOMERS } from '../../src/demo/customers';
import { buildDemoFleet, startSimulator, type RunningSimulator } from '../../src/simulator';
import { ManualClock, rawRequest } from './raw-request';

const SUB = DEMO_CUSTOMERS.contoso.subscriptions[0] ?? '';
const FAB = DEMO_CUSTOMERS.fabrikam.subscriptions[0] ?? '';
const NET = `/subscriptions/${SUB}/resourceGroups/rg-contoso-network/providers/Microsoft.Network`;
const AMS = `${NET}/expressRouteCircuits/contoso-ams-er1`;
const FRA = `${NET}/expressRouteCircuits/contoso-fra-er3`;
const RT = `${NET}/routeTables/rt-contoso-spoke`;
const SEA = `/subscriptions/${FAB}/resourceGroups/rg-fabrikam-er/providers/Microsoft.Network/expressRouteCircuits/fabrikam-sea-er3`;

type Body = { etag?: string; properties?: Record<string, unknown>; error?: { code?: string; message?: string }; status?: string };
const peering = (p: Record<string, unknown>) => ({
  properties: {
    peeringType: 'AzurePrivatePeering',
    vlanId: 100,
    peerASN: 65010,
    primaryPeerAddressPrefix: '10.1.0.0/30',
    secondaryPeerAddressPrefix: '10.1.0.4/30',
    ...p,
  },
});

describe('simulator: the network rules ARM enforces on peerings, filters, routes and authorizations', () => {
  let sim: RunningSimulator;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock();
    sim = await startSimulator({ fleet: buildDemoFleet(), clock });
  });
  afterEach(() => sim.close());
  const put = (path: string, body: unknown) => rawRequest(sim, 'PUT', path, { body });
  const refused = async (path: string, body: unknown, code: string, method = 'PUT') => {
    const r = await rawRequest(sim, method, path, method === 'PUT' ? { body } : {});
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body?.error?.code, code);
    assert.ok((r.body?.error?.message ?? '').length > 10, 'an ARM error body with a message');
    return r.body?.error?.message ?? '';
  };

  it('should refuse peering create, update and delete while the provider has not provisioned the circuit', async () => {
    await refused(
      `${FRA}/peerings/AzurePrivatePeering`,
      peering({ primaryPeerAddressPrefix: '10.9.0.0/30', secondaryPeerAddressPrefix: '10.9.0.4/30' }),
      'ExpressRouteCircuitNotProvisioned',
    );
    // A circuit with peerings whose provider is de-provisioning: its peerings can be neither updated nor deleted.
    const fleet = buildDemoFleet() as Record<string, { properties?: Record<string, unknown> }>;
    const ams = fleet[AMS];
    assert.ok(ams?.properties);
    ams.properties.serviceProviderProvisioningState = 'Deprovisioning';
    const other = await startSimulator({ fleet, clock });
    try {
      for (const method of ['PUT', 'DELETE']) {
        const r = await rawRequest(
          other,
          method,
          `${AMS}/peerings/AzurePrivatePeering`,
          method === 'PUT' ? { body: peering({ vlanId: 101 }) } : {},
        );
        assert.equal(r.status, 400, method);
        assert.equal(r.body?.error?.code, 'ExpressRouteCircuitNotProvisioned');
        assert.match(r.body?.error?.message ?? '', /'Deprovisioning', not 'Provisioned'/);
      }
    } finally {
      await other.close();
    }
  });

  it('should refuse overlapping, misaligned or shared link subnets', async () => {
    assert.match(
      await refused(`${AMS}/peerings/AzurePrivatePeering`, peering({ secondaryPeerAddressPrefix: '10.1.0.0/30' }), 'InvalidPeeringSubnet'),
      /different/,
    );
    assert.match(
      await refused(`${AMS}/peerings/AzurePrivatePeering`, peering({ secondaryPeerAddressPrefix: '10.1.0.2/30' }), 'InvalidPeeringSubnet'),
      /10.1.0.0\/30/,
    );
    assert.match(
      await refused(
        `${AMS}/peerings/AzurePrivatePeering`,
        peering({ primaryPeerAddressPrefix: '203.0.113.4/30' }),
        'PeeringSubnetsOverlap',
      ),
      /MicrosoftPeering/,
    );
    assert.match(
      await refused(
        `${AMS}/peerings/AzurePrivatePeering`,
        peering({ ipv6PeeringConfig: { primaryPeerAddressPrefix: '2001:db8::/126', secondaryPeerAddressPrefix: '2001:db8::/125' } }),
        'PeeringSubnetsOverlap',
      ),
      /overlap/,
    );
  });

  it('should refuse more Microsoft peering prefixes than allowed, a route filter with two rules, and attaching a filter that does not exist', async () => {
    const ms = ((await rawRequest(sim, 'GET', `${AMS}/peerings/MicrosoftPeering`)).body as Body).properties ?? {};
    const prefixes = Array.from({ length: 201 }, (_, i) => `145.${i}.0.0/24`);
    await refused(
      `${AMS}/peerings/MicrosoftPeering`,
      { properties: { ...ms, microsoftPeeringConfig: { advertisedPublicPrefixes: prefixes } } },
      'AdvertisedPublicPrefixesLimitExceeded',
    );
    const rule = (name: string) => ({
      name,
      properties: { access: 'Allow', routeFilterRuleType: 'Community', communities: ['12076:5010'] },
    });
    await refused(
      `${NET}/routeFilters/rf-two`,
      { location: 'westeurope', properties: { rules: [rule('a'), rule('b')] } },
      'RouteFilterRuleLimitExceeded',
    );
    await refused(`${NET}/routeFilters/rf-contoso-m365/routeFilterRules/second`, rule('second'), 'RouteFilterRuleLimitExceeded');
    await refused(
      `${AMS}/peerings/MicrosoftPeering`,
      { properties: { ...ms, routeFilter: { id: `${NET}/routeFilters/nope` } } },
      'InvalidResourceReference',
    );
  });

  it('should create a route filter and replace its rule through the LRO protocol, and list the peering a filter is attached to', async () => {
    const created = await put(`${NET}/routeFilters/rf-new`, {
      location: 'westeurope',
      properties: {
        rules: [{ name: 'allow', properties: { access: 'Allow', routeFilterRuleType: 'Community', communities: ['12076:5020'] } }],
      },
    });
    assert.equal(created.status, 201);
    assert.match(String(created.headers['azure-asyncoperation']), /\/operations\//);
    const rule = await put(`${NET}/routeFilters/rf-new/routeFilterRules/allow`, {
      properties: { access: 'Allow', routeFilterRuleType: 'Community', communities: ['12076:51004'] },
    });
    assert.equal(rule.status, 200);
    const ms = ((await rawRequest(sim, 'GET', `${AMS}/peerings/MicrosoftPeering`)).body as Body).properties ?? {};
    assert.equal(
      (await put(`${AMS}/peerings/MicrosoftPeering`, { properties: { ...ms, routeFilter: { id: `${NET}/routeFilters/rf-new` } } })).status,
      200,
    );
    clock.advance(1);
    const rf = (await rawRequest(sim, 'GET', `${NET}/routeFilters/rf-new`)).body as {
      properties: { peerings: { id: string }[]; rules: { properties: { communities: string[] } }[] };
    };
    assert.deepEqual(
      rf.properties.peerings.map((p) => p.id),
      [`${AMS}/peerings/MicrosoftPeering`],
    );
    assert.deepEqual(rf.properties.rules[0]?.properties.communities, ['12076:51004']);
    const old = (await rawRequest(sim, 'GET', `${NET}/routeFilters/rf-contoso-m365`)).body as { properties: { peerings: unknown[] } };
    assert.deepEqual(old.properties.peerings, [], 'the filter it replaced no longer lists the peering');
  });

  it('should PUT and DELETE route table routes, refusing a VirtualAppliance without an IP, a duplicate prefix and the route limit', async () => {
    await refused(
      `${RT}/routes/fw`,
      { properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance' } },
      'NextHopIpAddressRequired',
    );
    await refused(`${RT}/routes/dup`, { properties: { addressPrefix: '10.20.0.0/16', nextHopType: 'None' } }, 'RouteConflict');
    await refused(`${RT}/routes/bad`, { properties: { addressPrefix: '10.20.0.0/33', nextHopType: 'None' } }, 'InvalidRouteAddressPrefix');
    const ok = await put(`${RT}/routes/fw`, {
      properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.100.0.4' },
    });
    assert.equal(ok.status, 201);
    clock.advance(1);
    const del = await rawRequest(sim, 'DELETE', `${RT}/routes/fw`);
    assert.equal(del.status, 202);
    assert.ok(del.headers.location && del.headers['azure-asyncoperation']);
    clock.advance(1);
    assert.equal((await rawRequest(sim, 'GET', `${RT}/routes/fw`)).status, 404);
    const table = (await rawRequest(sim, 'GET', RT)).body as Body;
    const routes = Array.from({ length: 400 }, (_, i) => ({
      name: `r${i}`,
      properties: { addressPrefix: `10.${100 + Math.floor(i / 256)}.${i % 256}.0/24`, nextHopType: 'None' },
    }));
    assert.equal((await put(RT, { ...table, properties: { ...table.properties, routes } })).status, 200);
    clock.advance(1);
    await refused(
      `${RT}/routes/one-more`,
      { properties: { addressPrefix: '192.168.0.0/24', nextHopType: 'None' } },
      'RouteTableRouteLimitExceeded',
    );
  });

  it('should answer 429 RetryableErrorDueToAnotherOperation to a write while another runs on the same circuit', async () => {
    sim.settings.lroDurationMs = 60_000;
    assert.equal((await put(`${AMS}/peerings/AzurePrivatePeering`, peering({ vlanId: 101 }))).status, 200);
    const second = await put(`${AMS}/authorizations/a2`, { properties: {} });
    assert.equal(second.status, 429);
    assert.equal(second.body?.error?.code, 'RetryableErrorDueToAnotherOperation');
    clock.advance(60_000);
    assert.equal((await put(`${AMS}/authorizations/a2`, { properties: {} })).status, 201);
  });

  it('should create an authorization with a generated authorizationKey and revoke it', async () => {
    const created = await put(`${SEA}/authorizations/auth-new`, { properties: {} });
    assert.equal(created.status, 201);
    clock.advance(1);
    const auth = (await rawRequest(sim, 'GET', `${SEA}/authorizations/auth-new`)).body as Body;
    assert.match(String(auth.properties?.authorizationKey), /^[0-9a-f-]{36}$/);
    assert.equal(auth.properties?.authorizationUseStatus, 'Available');
    assert.equal((await rawRequest(sim, 'DELETE', `${SEA}/authorizations/auth-new`)).status, 202);
    clock.advance(1);
    assert.equal((await rawRequest(sim, 'GET', `${SEA}/authorizations/auth-new`)).status, 404);
  });

  it('should refuse an 11th authorization on a circuit on its own, by its own PUT or inline in the circuit (issue 10, item 3)', async () => {
    // fabrikam-sea-er3 starts with 2; 8 more make 10, the most Azure allows per circuit.
    for (let i = 3; i <= 10; i++) {
      assert.equal((await put(`${SEA}/authorizations/auth-${i}`, { properties: {} })).status, 201, `authorization ${i}`);
      clock.advance(1);
    }
    const message = await refused(`${SEA}/authorizations/auth-11`, { properties: {} }, 'ResourceQuotaExceeded');
    assert.match(message, /quota of 10 authorizations per ExpressRoute circuit 'fabrikam-sea-er3'.*current count is 10/);
    assert.equal((await rawRequest(sim, 'GET', `${SEA}/authorizations/auth-11`)).status, 404, 'nothing was created');
    // Re-PUTting one of the 10 is an update, not an 11th; once one is revoked, a new one fits again.
    assert.equal((await put(`${SEA}/authorizations/auth-10`, { properties: {} })).status, 200);
    clock.advance(1);
    assert.equal((await rawRequest(sim, 'DELETE', `${SEA}/authorizations/auth-10`)).status, 202);
    clock.advance(1);
    assert.equal((await put(`${SEA}/authorizations/auth-11`, { properties: {} })).status, 201);
    clock.advance(1);
    // A circuit PUT that carries 11 inline is refused the same way.
    const circuit = (await rawRequest(sim, 'GET', SEA)).body as Body & Record<string, unknown>;
    const inline = [...((circuit.properties?.authorizations as unknown[]) ?? []), { name: 'auth-12', properties: {} }];
    await refused(SEA, { ...circuit, properties: { ...circuit.properties, authorizations: inline } }, 'ResourceQuotaExceeded');
  });

  it("should end a matching write's operation Failed with the configured code and message, leaving the old resource marked Failed", async () => {
    sim.settings.operationFailures = [
      { match: '/peerings/AzurePrivatePeering', code: 'InternalServerError', message: 'Provisioning the peering failed.' },
    ];
    const accepted = await put(`${AMS}/peerings/AzurePrivatePeering`, peering({ vlanId: 150 }));
    assert.equal(accepted.status, 200);
    clock.advance(1);
    const poll = await rawRequest(sim, 'GET', String(accepted.headers['azure-asyncoperation']));
    assert.deepEqual(
      { status: (poll.body as Body).status, error: (poll.body as Body).error },
      { status: 'Failed', error: { code: 'InternalServerError', message: 'Provisioning the peering failed.' } },
    );
    const after = (await rawRequest(sim, 'GET', `${AMS}/peerings/AzurePrivatePeering`)).body as Body;
    assert.equal(after.properties?.vlanId, 100);
    assert.equal(after.properties?.provisioningState, 'Failed');
    // count defaults to one: the next write succeeds.
    assert.equal((await put(`${AMS}/peerings/AzurePrivatePeering`, peering({ vlanId: 150 }))).status, 200);
    clock.advance(1);
    assert.equal(((await rawRequest(sim, 'GET', `${AMS}/peerings/AzurePrivatePeering`)).body as Body).properties?.vlanId, 150);
  });
});
