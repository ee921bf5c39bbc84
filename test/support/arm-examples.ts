/** The official ARM REST examples (test/fixtures/arm-examples) and the ARM path each read operation uses. */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { NetworkManagementClient } from '@azure/arm-network';
import { collect, fastPolling } from '../simulator/sdk-clients';

/** Copied verbatim from the official ARM REST examples (see SOURCE.md there). */
const EXAMPLES_DIR = path.join(__dirname, '..', 'fixtures', 'arm-examples');

export interface Example {
  parameters: Record<string, string>;
  responses: Record<string, { body?: unknown }>;
  operationId: string;
}

export type Body = Record<string, unknown> & { value?: unknown[]; name?: string };

/** For each read operation: the ARM path it uses and how the real SDK reads it back (returns what to compare). */
export const READS: Record<string, { path: string; read: (c: NetworkManagementClient, p: Record<string, string>) => Promise<unknown> }> = {
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
      (
        await c.expressRouteCircuits.beginListArpTableAndWait(
          p.resourceGroupName!,
          p.circuitName!,
          p.peeringName!,
          p.devicePath!,
          fastPolling,
        )
      ).value?.length,
  },
  ExpressRouteCircuits_ListRoutesTable: {
    path: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/expressRouteCircuits/{circuitName}/peerings/{peeringName}/routeTables/{devicePath}',
    read: async (c, p) =>
      (
        await c.expressRouteCircuits.beginListRoutesTableAndWait(
          p.resourceGroupName!,
          p.circuitName!,
          p.peeringName!,
          p.devicePath!,
          fastPolling,
        )
      ).value?.length,
  },
  ExpressRouteCircuits_ListRoutesTableSummary: {
    path: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/expressRouteCircuits/{circuitName}/peerings/{peeringName}/routeTablesSummary/{devicePath}',
    read: async (c, p) =>
      (
        await c.expressRouteCircuits.beginListRoutesTableSummaryAndWait(
          p.resourceGroupName!,
          p.circuitName!,
          p.peeringName!,
          p.devicePath!,
          fastPolling,
        )
      ).value?.map((r) => r.statePfxRcd),
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
      (await c.networkInterfaces.beginGetEffectiveRouteTableAndWait(p.resourceGroupName!, p.networkInterfaceName!, fastPolling)).value
        ?.length,
  },
  VirtualNetworkGateways_GetLearnedRoutes: {
    path: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/virtualNetworkGateways/{virtualNetworkGatewayName}/getLearnedRoutes',
    read: async (c, p) =>
      (await c.virtualNetworkGateways.beginGetLearnedRoutesAndWait(p.resourceGroupName!, p.virtualNetworkGatewayName!, fastPolling)).value
        ?.length,
  },
  VirtualNetworkGateways_GetAdvertisedRoutes: {
    path: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/virtualNetworkGateways/{virtualNetworkGatewayName}/getAdvertisedRoutes',
    read: async (c, p) =>
      (
        await c.virtualNetworkGateways.beginGetAdvertisedRoutesAndWait(
          p.resourceGroupName!,
          p.virtualNetworkGatewayName!,
          p.peer!,
          fastPolling,
        )
      ).value?.length,
  },
};

/** What the SDK should hand back for an example body, in the same shape `read` returns. */
export function expected(operationId: string, body: Body): unknown {
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

export function fill(template: string, params: Record<string, string>): string {
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

export const examples = readdirSync(EXAMPLES_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => {
    const json = JSON.parse(readFileSync(path.join(EXAMPLES_DIR, f), 'utf8')) as Example;
    json.operationId ??= operationIdFromSource(f);
    return { file: f, json };
  });
