import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { NetworkManagementClient } from '@azure/arm-network';
import { generateCertificate, parseFleet, startSimulator, type CertificatePair } from '../../src/simulator';
import { collect, fastPolling, networkClient } from './sdk-clients';

const EXAMPLES_DIR = '/work/shared/arm-examples';

interface Example {
  parameters: Record<string, string>;
  responses: Record<string, { body?: unknown }>;
  operationId: string;
}

type Body = Record<string, unknown> & { value?: unknown[]; name?: string };

/** For each read operation: the ARM path it uses and how the real SDK reads it back (returns what to compare). */
const READS: Record<string, { path: string; read: (c: NetworkManagementClient, p: Record<string, string>) => Promise<unknown> }> = {
  ExpressRouteCircuits_Get: {
    path: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/expressRouteCircuits/{circuitName}',
    read: async (c, p) => (await c.expressRouteCircuits.get(p.resourceGroupName!, p.circuitName!)).name,
  },
  ExpressRouteCircuits_List: {
    path: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/expressRouteCircuits',
    read: async (c, p) => (await collect(c.expressRouteCircuits.list(p.resourceGroupName!))).map((x) => x.name),
  },
  ExpressRouteCircuits_ListAll: {
    path: '/subscriptions/{subscriptionId}/providers/Microsoft.Network/expressRouteCircuits',
    read: async (c) => (await collect(c.expressRouteCircuits.listAll())).map((x) => x.name),
  },
  ExpressRouteCircuits_GetStats: {
    path: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/expressRouteCircuits/{circuitName}/stats',
    read: async (c, p) => (await c.expressRouteCircuits.getStats(p.resourceGroupName!, p.circuitName!)).primarybytesOut,
  },
  ExpressRouteCircuits_GetPeeringStats: {
    path: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/expressRouteCircuits/{circuitName}/peerings/{peeringName}/stats',
    read: async (c, p) =>
      (await c.expressRouteCircuits.getPeeringStats(p.resourceGroupName!, p.circuitName!, p.peeringName!)).primarybytesOut,
  },
  ExpressRouteCircuits_ListArpTable: {
    path: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/expressRouteCircuits/{circuitName}/peerings/{peeringName}/arpTables/{devicePath}',
    read: async (c, p) =>
      (await c.expressRouteCircuits.beginListArpTableAndWait(p.resourceGroupName!, p.circuitName!, p.peeringName!, p.devicePath!, fastPolling)).value?.length,
  },
  ExpressRouteCircuits_ListRoutesTable: {
    path: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/expressRouteCircuits/{circuitName}/peerings/{peeringName}/routeTables/{devicePath}',
    read: async (c, p) =>
      (await c.expressRouteCircuits.beginListRoutesTableAndWait(p.resourceGroupName!, p.circuitName!, p.peeringName!, p.devicePath!, fastPolling)).value?.length,
  },
  ExpressRouteCircuits_ListRoutesTableSummary: {
    path: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/expressRouteCircuits/{circuitName}/peerings/{peeringName}/routeTablesSummary/{devicePath}',
    read: async (c, p) =>
      (await c.expressRouteCircuits.beginListRoutesTableSummaryAndWait(p.resourceGroupName!, p.circuitName!, p.peeringName!, p.devicePath!, fastPolling)).value?.map((r) => r.statePfxRcd),
  },
  ExpressRouteCircuitPeerings_Get: {
    path: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/expressRouteCircuits/{circuitName}/peerings/{peeringName}',
    read: async (c, p) => (await c.expressRouteCircuitPeerings.get(p.resourceGroupName!, p.circuitName!, p.peeringName!)).name,
  },
  ExpressRouteCircuitPeerings_List: {
    path: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/expressRouteCircuits/{circuitName}/peerings',
    read: async (c, p) => (await collect(c.expressRouteCircuitPeerings.list(p.resourceGroupName!, p.circuitName!))).map((x) => x.name),
  },
  ExpressRouteCircuitAuthorizations_List: {
    path: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/expressRouteCircuits/{circuitName}/authorizations',
    read: async (c, p) =>
      (await collect(c.expressRouteCircuitAuthorizations.list(p.resourceGroupName!, p.circuitName!))).map((x) => x.name),
  },
  RouteFilters_Get: {
    path: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/routeFilters/{routeFilterName}',
    read: async (c, p) => (await c.routeFilters.get(p.resourceGroupName!, p.routeFilterName!)).name,
  },
  RouteTables_Get: {
    path: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/routeTables/{routeTableName}',
    read: async (c, p) => (await c.routeTables.get(p.resourceGroupName!, p.routeTableName!)).name,
  },
  RouteTables_List: {
    path: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/routeTables',
    read: async (c, p) => (await collect(c.routeTables.list(p.resourceGroupName!))).map((x) => x.name),
  },
  BgpServiceCommunities_List: {
    path: '/subscriptions/{subscriptionId}/providers/Microsoft.Network/bgpServiceCommunities',
    read: async (c) => (await collect(c.bgpServiceCommunities.list())).map((x) => x.name),
  },
  ExpressRouteServiceProviders_List: {
    path: '/subscriptions/{subscriptionId}/providers/Microsoft.Network/expressRouteServiceProviders',
    read: async (c) => (await collect(c.expressRouteServiceProviders.list())).map((x) => x.name),
  },
  NetworkInterfaces_GetEffectiveRouteTable: {
    path: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/networkInterfaces/{networkInterfaceName}/effectiveRouteTable',
    read: async (c, p) =>
      (await c.networkInterfaces.beginGetEffectiveRouteTableAndWait(p.resourceGroupName!, p.networkInterfaceName!, fastPolling)).value?.length,
  },
  VirtualNetworkGateways_GetLearnedRoutes: {
    path: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/virtualNetworkGateways/{virtualNetworkGatewayName}/getLearnedRoutes',
    read: async (c, p) =>
      (await c.virtualNetworkGateways.beginGetLearnedRoutesAndWait(p.resourceGroupName!, p.virtualNetworkGatewayName!, fastPolling)).value?.length,
  },
  VirtualNetworkGateways_GetAdvertisedRoutes: {
    path: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/virtualNetworkGateways/{virtualNetworkGatewayName}/getAdvertisedRoutes',
    read: async (c, p) =>
      (await c.virtualNetworkGateways.beginGetAdvertisedRoutesAndWait(p.resourceGroupName!, p.virtualNetworkGatewayName!, p.peer!, fastPolling)).value?.length,
  },
};

/** What the SDK should hand back for an example body, in the same shape `read` returns. */
function expected(operationId: string, body: Body): unknown {
  if (operationId.endsWith('Stats')) return body.primarybytesOut;
  if (operationId === 'ExpressRouteCircuits_ListRoutesTableSummary') {
    return body.value?.map((r) => (r as { statePfxRcd?: string }).statePfxRcd);
  }
  if (/ListArpTable|ListRoutesTable$|EffectiveRouteTable|LearnedRoutes|AdvertisedRoutes/.test(operationId)) {
    return body.value?.length;
  }
  if (Array.isArray(body.value)) return body.value.map((x) => (x as { name?: string }).name);
  return body.name;
}

function fill(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = params[k];
    assert.ok(v !== undefined, `example lacks parameter ${k}`);
    return v;
  });
}

/** A few 2025-07-01 files carry no operationId; SOURCE.md names it. */
function operationIdFromSource(file: string): string {
  const source = readFileSync(path.join(EXAMPLES_DIR, 'SOURCE.md'), 'utf8');
  const row = source.split('\n').find((l) => l.startsWith(`| \`${file}\``));
  const id = row?.split('|')[3]?.trim().split(' ')[0];
  assert.ok(id, `SOURCE.md has no operation for ${file}`);
  return id;
}

const examples = readdirSync(EXAMPLES_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => {
    const json = JSON.parse(readFileSync(path.join(EXAMPLES_DIR, f), 'utf8')) as Example;
    json.operationId ??= operationIdFromSource(f);
    return { file: f, json };
  });

describe('simulator: ARM examples as fixtures, read back by the real SDK', () => {
  let tls: CertificatePair;
  before(async () => {
    tls = await generateCertificate();
  });

  it('should know how to read every GET/list/POST-read example (writes are the only ones left out)', () => {
    const unread = examples.filter((e) => !READS[e.json.operationId]).map((e) => e.json.operationId);
    for (const op of unread) assert.match(op, /_CreateOrUpdate|_Delete|_UpdateTags/, `no reader for ${op}`);
    assert.ok(examples.filter((e) => READS[e.json.operationId]).length >= 19);
  });

  for (const { file, json } of examples) {
    const reader = READS[json.operationId];
    if (!reader) continue;
    it(`should serve ${file} (${json.operationId}) so the SDK reads it back`, async () => {
      const body = json.responses['200']?.body as Body;
      const key = fill(reader.path, json.parameters);
      const fleet = parseFleet({ [key]: body }, file);
      const sim = await startSimulator({ fleet, tls });
      try {
        const client = networkClient(sim, json.parameters.subscriptionId ?? '');
        assert.deepEqual(await reader.read(client, json.parameters), expected(json.operationId, body));
        assert.ok(sim.requests.length > 0 && sim.requests.every((r) => r.hasBearer && r.status < 300));
      } finally {
        await sim.close();
      }
    });
  }

  it('should accept all read examples together in one fleet', () => {
    const fleet: Record<string, unknown> = {};
    for (const { json } of examples) {
      const reader = READS[json.operationId];
      if (reader) fleet[fill(reader.path, json.parameters)] = json.responses['200']?.body;
    }
    assert.ok(Object.keys(parseFleet(fleet)).length >= 15);
  });
});
