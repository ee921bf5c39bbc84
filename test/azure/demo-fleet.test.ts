import assert from 'node:assert/strict';
import { CodedError, ErrorCode } from '../../src/errors';
import type { Circuit } from '../../src/network/types';
import {
  CONTOSO,
  buildDemoFleet,
  circuitId,
  demoScopes,
  fleetCircuits,
  fleetRows,
  scopeOf,
  startArmKit,
  type ArmKit,
  type RawSubResource,
} from './support/arm-test-kit';

const HOUR = 3_600_000;

describe('ArmNetworkReader over the simulator (demo fleet)', function () {
  this.timeout(30_000);
  let kit: ArmKit;
  let circuits: Circuit[];

  before(async () => {
    kit = await startArmKit({ fleet: buildDemoFleet(), settings: { pageSize: 2, lroDurationMs: 30 } });
    circuits = [];
    for (const scope of demoScopes()) circuits.push(...(await kit.access.reader.listCircuits(scope)).value);
  });
  after(() => kit.close());

  it('should list every circuit of every demo subscription, across pages', () => {
    const expected = [...fleetCircuits(kit.fleet).keys()].sort();
    assert.deepEqual(circuits.map((c) => c.id.toLowerCase()).sort(), expected);
    assert.ok(expected.length >= 10);
    const listCalls = kit.sim.requests.filter((r) => r.method === 'GET' && /\/expressRouteCircuits$/i.test(r.path.split('?')[0] ?? ''));
    assert.ok(listCalls.length > demoScopes().length, 'a page size of 2 means more than one page per subscription');
  });

  it('should map each circuit from its ARM body: bandwidth, direct, sku, states, peerings', () => {
    const raw = fleetCircuits(kit.fleet);
    for (const c of circuits) {
      const body = raw.get(c.id.toLowerCase());
      assert.ok(body, c.name);
      const p = body.properties;
      const isDirect = Boolean(p.expressRoutePort?.id);
      const mbps = isDirect ? p.bandwidthInGbps * 1000 : p.serviceProviderProperties.bandwidthInMbps;
      assert.equal(c.bandwidthMbps, mbps, `${c.name} bandwidth`);
      assert.equal(c.direct !== undefined, isDirect, `${c.name} direct`);
      assert.equal(c.provider?.name, isDirect ? undefined : p.serviceProviderProperties.serviceProviderName);
      assert.equal(c.sku.tier, (body as { sku?: { tier: string } }).sku?.tier);
      assert.equal(c.serviceProviderProvisioningState, p.serviceProviderProvisioningState);
      assert.equal(c.circuitProvisioningState, p.circuitProvisioningState);
      assert.equal(c.provisioningState, p.provisioningState);
      assert.equal(c.subscriptionId.toLowerCase(), scopeOf(body.id).subscriptionId.toLowerCase());
      const rawPeerings: RawSubResource[] = p.peerings ?? [];
      assert.deepEqual(
        c.peerings.map((x) => [x.name, x.vlanId, x.hasSharedKey]),
        rawPeerings.map((x) => [x.name, x.properties.vlanId, typeof x.properties.sharedKey === 'string']),
        `${c.name} peerings`,
      );
    }
  });

  it('should never carry a peering MD5 key, service key or authorization key into the domain', () => {
    const text = JSON.stringify(circuits);
    for (const body of fleetCircuits(kit.fleet).values()) {
      const secrets = [
        body.properties.serviceKey,
        body.properties.authorizationKey,
        ...(body.properties.peerings ?? []).map((x) => x.properties.sharedKey),
        ...(body.properties.authorizations ?? []).map((x) => x.properties?.authorizationKey),
      ].filter((s): s is string => typeof s === 'string' && s.length > 0);
      for (const s of secrets) assert.ok(!text.includes(s), `a secret of ${body.name} leaked`);
    }
  });

  it('should read ExpressRoute Direct circuits with their port', async () => {
    const id = circuitId(kit.fleet, 'fabrikam-chi-direct');
    const { value } = await kit.access.reader.getCircuit(scopeOf(id), id);
    assert.ok(value.direct, 'direct');
    assert.match(value.direct.portId, /\/expressRoutePorts\//i);
    assert.equal(value.bandwidthMbps, value.direct.bandwidthInGbps * 1000);
    assert.ok(value.direct.portBandwidthInGbps !== undefined, 'the port was read for its size');
    assert.equal(value.provider, undefined);
  });

  it('should read a circuit by an id in any casing', async () => {
    const id = circuitId(kit.fleet, 'contoso-ams-er1');
    const { value } = await kit.access.reader.getCircuit(scopeOf(id), id.replace('resourceGroups', 'RESOURCEGROUPS'), { fresh: true });
    assert.equal(value.name, 'contoso-ams-er1');
  });

  it('should refuse a circuit id from another subscription than the scope', async () => {
    const id = circuitId(kit.fleet, 'fabrikam-dal-er1');
    await assert.rejects(
      kit.access.reader.getCircuit(CONTOSO, id),
      (e: unknown) => e instanceof CodedError && e.code === ErrorCode.BadInput,
    );
  });

  it('should answer ArmNotFound for a circuit that does not exist', async () => {
    const id = circuitId(kit.fleet, 'contoso-ams-er1').replace(/contoso-ams-er1$/, 'no-such-circuit');
    await assert.rejects(
      kit.access.reader.getCircuit(scopeOf(id), id),
      (e: unknown) => e instanceof CodedError && e.code === ErrorCode.ArmNotFound,
    );
  });

  it('should bring the ~9,000-route table back whole through the long-running read', async () => {
    const id = circuitId(kit.fleet, 'fabrikam-dal-er1');
    const routes = await kit.access.reader.listRoutes(scopeOf(id), id, 'AzurePrivatePeering', 'primary');
    const key = Object.keys(kit.fleet).find(
      (k) => k.toLowerCase() === `${id}/peerings/AzurePrivatePeering/routeTables/primary`.toLowerCase(),
    );
    const expected = key ? ((kit.fleet as Record<string, { value: unknown[] }>)[key]?.value.length ?? 0) : 0;
    assert.ok(routes.value.length >= 9000, `got ${routes.value.length} routes`);
    assert.equal(routes.value.length, expected);
    assert.ok(routes.value.every((r) => r.network.length > 0 && typeof r.path === 'string'));
    const lroPolls = kit.sim.requests.filter((r) => r.method === 'GET' && /operation/i.test(r.path));
    assert.ok(lroPolls.length > 0, 'the simulator answered 202 and the SDK polled');
  });

  it('should read BGP neighbours and ARP tables as the fleet has them (contoso-lon-er2 lost its secondary)', async () => {
    const id = circuitId(kit.fleet, 'contoso-lon-er2');
    const peering = `${id}/peerings/AzurePrivatePeering`;
    const bgp = await kit.access.reader.listBgpNeighbours(scopeOf(id), id, 'private', 'primary');
    assert.equal(bgp.value.length, fleetRows(kit.fleet, `${peering}/routeTablesSummary/primary`).length);
    assert.ok(bgp.value.length > 0 && bgp.value.every((n) => n.neighbor.length > 0 && n.statePfxRcd.length > 0));
    const arpPrimary = await kit.access.reader.listArp(scopeOf(id), id, 'private', 'primary');
    assert.equal(arpPrimary.value.length, fleetRows(kit.fleet, `${peering}/arpTables/primary`).length);
    assert.ok(arpPrimary.value.length > 0 && arpPrimary.value.every((a) => a.ipAddress.length > 0 && a.macAddress.length > 0));
    const arpSecondary = await kit.access.reader.listArp(scopeOf(id), id, 'private', 'secondary');
    assert.deepEqual(arpSecondary.value, []);
  });

  it('should refuse an unknown peering name with BadInput before calling ARM', async () => {
    const id = circuitId(kit.fleet, 'contoso-lon-er2');
    const before = kit.sim.requests.length;
    await assert.rejects(
      kit.access.reader.listArp(scopeOf(id), id, 'constructor', 'primary'),
      (e: unknown) => e instanceof CodedError && e.code === ErrorCode.BadInput,
    );
    assert.equal(kit.sim.requests.length, before);
  });

  it('should measure bandwidth from Azure Monitor metrics (fabrikam-sea-er3 runs above 80%)', async () => {
    const id = circuitId(kit.fleet, 'fabrikam-sea-er3');
    const scope = scopeOf(id);
    const circuit = (await kit.access.reader.getCircuit(scope, id)).value;
    const usage = (await kit.access.reader.getBandwidthUsage(scope, id, HOUR)).value;
    assert.equal(usage.source, 'metrics');
    assert.equal(usage.windowEnd - usage.windowStart, HOUR);
    assert.ok(usage.links.some((l) => l.path === 'primary') && usage.links.some((l) => l.path === 'secondary'));
    const busiest = Math.max(...usage.links.map((l) => l.peakBps));
    assert.ok(busiest > 0.8 * circuit.bandwidthMbps * 1e6, `peak ${busiest} bps on a ${circuit.bandwidthMbps} Mbps circuit`);
    assert.ok(usage.links.every((l) => l.peakBps >= l.averageBps));
  });

  it('should fall back to the getStats counters when metrics are missing', async () => {
    const id = circuitId(kit.fleet, 'fabrikam-sea-er3');
    kit.sim.addFaults([{ match: 'Microsoft.Insights/metrics', status: 404, code: 'ResourceNotFound', count: 1 }]);
    const usage = (await kit.access.reader.getBandwidthUsage(scopeOf(id), id, HOUR, { fresh: true })).value;
    assert.equal(usage.source, 'counters');
    assert.deepEqual(usage.links, []);
    assert.ok(usage.counters);
    const stats = kit.sim.requests.filter((r) => /\/stats$/i.test(r.path.split('?')[0] ?? ''));
    assert.ok(stats.length > 0, 'getStats was called');
  });

  it('should list route filters with their communities and attached peerings', async () => {
    const filters = (await kit.access.reader.listRouteFilters(CONTOSO)).value;
    assert.ok(filters.length > 0);
    for (const f of filters) {
      assert.ok(f.rules.length > 0);
      assert.ok(f.rules.every((r) => r.access === 'Allow' && r.communities.every((c) => /^12076:5\d{3,4}$/.test(c))));
    }
    const attached = circuits
      .flatMap((c) => c.peerings)
      .map((p) => p.routeFilterId)
      .filter((x): x is string => x !== undefined);
    assert.ok(
      attached.some((id) => filters.some((f) => f.id.toLowerCase() === id.toLowerCase())),
      'a Microsoft peering uses a listed filter',
    );
  });

  it('should list UDR tables with their routes (northwind rt-northwind-fw)', async () => {
    const northwind = demoScopes().find((s) => s.subscriptionId.startsWith('3c3c'));
    assert.ok(northwind);
    const tables = (await kit.access.reader.listUdrTables(northwind)).value;
    const fw = tables.find((t) => t.name === 'rt-northwind-fw');
    assert.ok(fw, 'rt-northwind-fw');
    assert.ok(fw.routes.length > 0);
    assert.ok(fw.routes.some((r) => r.nextHopType === 'VirtualAppliance' && r.nextHopIpAddress));
    assert.equal(fw.subscriptionId, northwind.subscriptionId);
  });
});
