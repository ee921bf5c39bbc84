import { z } from 'zod';
import type { CircuitLinksReader, VnetLink } from '../changes/change-kind';
import type { Logger } from '../log';
import { armIdName, parentArmId, subscriptionOfArmId } from '../network/arm-id';
import type { Circuit, SubscriptionScope } from '../network/types';
import { chunked, idIn, kqlString, queryResourceGraph, resourcesQuery } from './arg-query';
import { toCodedError } from './arm-errors';
import type { ClientPool } from './client-pool';

export interface ArmLinksReaderOptions {
  pool: ClientPool;
  logger: Logger;
}

/** Ids per `in~` list: a circuit has at most 100 links, so one query nearly always does. */
const IDS_PER_QUERY = 200;

/** The connections whose peer is one of the circuits: VNet links (ExpressRoute connections) across the subscriptions. */
export function connectionsQuery(circuitIds: readonly string[]): string {
  return resourcesQuery(
    'microsoft.network/connections',
    `tostring(properties.peer.id) in~ (${circuitIds.map(kqlString).join(', ')})`,
    'id, name, location, subscriptionId, peerId = tostring(properties.peer.id), gatewayId = tostring(properties.virtualNetworkGateway1.id)',
  );
}

/**
 * The Virtual WAN hub gateways (`microsoft.network/expressroutegateways`) with an ExpressRoute connection to a peering
 * of one of the circuits: their `properties.expressRouteConnections[].properties.expressRouteCircuitPeering.id` is
 * `<circuit id>/peerings/<peering>` (REST spec, ExpressRouteConnection). The connections are matched again row by
 * row; the text match only narrows the rows, and needs no mv-expand.
 */
export function hubGatewaysQuery(circuitIds: readonly string[]): string {
  return resourcesQuery(
    'microsoft.network/expressroutegateways',
    `(${circuitIds.map((id) => `tostring(properties.expressRouteConnections) contains ${kqlString(`${id}/peerings/`)}`).join(' or ')})`,
    'id, name, location, subscriptionId, connections = properties.expressRouteConnections',
  );
}

export const gatewaysQuery = (gatewayIds: readonly string[]) =>
  resourcesQuery('microsoft.network/virtualnetworkgateways', idIn(gatewayIds), 'id, ipConfigurations = properties.ipConfigurations');

export const vnetsQuery = (vnetIds: readonly string[]) =>
  resourcesQuery('microsoft.network/virtualnetworks', idIn(vnetIds), 'id, name, addressPrefixes = properties.addressSpace.addressPrefixes');

/** A connection row: it counts against the circuit's limit, so one that cannot be read fails the read. */
const ConnectionRow = z.looseObject({
  id: z.string().min(1),
  name: z.string().min(1),
  location: z.string(),
  subscriptionId: z.string(),
  peerId: z.string().nullish(),
  gatewayId: z.string().nullish(),
});

/** A hub gateway row: each of its connections to the circuit counts against the limit, so one not understood fails the read. */
const HubGatewayRow = z.looseObject({
  id: z.string().min(1),
  name: z.string().min(1),
  location: z.string(),
  subscriptionId: z.string(),
  connections: z
    .array(
      z.looseObject({
        id: z.string().nullish(),
        name: z.string().nullish(),
        properties: z.looseObject({ expressRouteCircuitPeering: z.looseObject({ id: z.string().nullish() }).nullish() }).nullish(),
      }),
    )
    .nullish(),
});

/** Gateway and VNet rows only add detail (the VNet's address space): one not understood is skipped. */
const GatewayRow = z.looseObject({
  id: z.string().min(1),
  ipConfigurations: z
    .array(z.looseObject({ properties: z.looseObject({ subnet: z.looseObject({ id: z.string() }).nullish() }).nullish() }))
    .nullish(),
});
const VnetRow = z.looseObject({ id: z.string().min(1), name: z.string(), addressPrefixes: z.array(z.string()).nullish() });

const key = (id: string) => id.toLowerCase();

/** The connections of a hub gateway row to the circuit's peerings, each a link in the gateway's region. */
function hubLinksOf(row: unknown, circuitId: string): VnetLink[] {
  const parsed = HubGatewayRow.safeParse(row);
  if (!parsed.success) throw new Error('Resource Graph answered an ExpressRoute gateway row without an id, a name or a location.');
  const gateway = parsed.data;
  const prefix = `${key(circuitId)}/peerings/`;
  return (gateway.connections ?? [])
    .filter((c) => key(c.properties?.expressRouteCircuitPeering?.id ?? '').startsWith(prefix))
    .map((c) => {
      if (!c.name) throw new Error(`Resource Graph answered a connection of ExpressRoute gateway ${gateway.name} without a name.`);
      return {
        name: c.name,
        region: gateway.location,
        connectionId: c.id || `${gateway.id}/expressRouteConnections/${c.name}`,
        subscriptionId: gateway.subscriptionId,
        hub: { gatewayId: gateway.id, gatewayName: gateway.name },
      };
    });
}

/**
 * The VNet links of a circuit, from Azure Resource Graph across the customer's subscriptions: the connections
 * whose peer is the circuit, then their gateways and the VNets behind them, and the ExpressRoute connections of
 * Virtual WAN hub gateways to the circuit's peerings. A connection the circuit's
 * authorizations name but Resource Graph does not show (it sits in a subscription outside the customer's list)
 * still counts, with its region unknown, so the rules that depend on it cannot pass by not seeing it.
 */
export class ArmLinksReader implements CircuitLinksReader {
  constructor(private readonly options: ArmLinksReaderOptions) {}

  async listVnetLinks(scope: SubscriptionScope, subscriptions: readonly string[], circuit: Circuit): Promise<VnetLink[]> {
    return (await this.listVnetLinksOf(scope, subscriptions, [circuit])).get(key(circuit.id)) ?? [];
  }

  /**
   * The VNet links of several circuits of one tenant, by circuit id (lower case), in the queries one circuit takes:
   * Resource Graph's quota is per principal, and `security` reads every circuit of a customer.
   */
  async listVnetLinksOf(
    scope: SubscriptionScope,
    subscriptions: readonly string[],
    circuits: readonly Circuit[],
  ): Promise<Map<string, VnetLink[]>> {
    try {
      return await this.read(scope.tenantId, subscriptions.length > 0 ? subscriptions : [scope.subscriptionId], circuits);
    } catch (e) {
      const [only] = circuits;
      const coded = toCodedError(e, {
        resource: `the VNet links of ${circuits.length === 1 && only ? only.name : `${circuits.length} circuits`}`,
      });
      this.options.logger.warn({ code: coded.code, circuits: circuits.map((c) => c.name).slice(0, 20) }, 'reading the VNet links failed');
      throw coded;
    }
  }

  private async read(tenantId: string, subscriptions: readonly string[], circuits: readonly Circuit[]): Promise<Map<string, VnetLink[]>> {
    const query = (text: string) => queryResourceGraph(this.options.pool, tenantId, subscriptions, text);
    const out = new Map<string, VnetLink[]>(circuits.map((c) => [key(c.id), []]));
    if (circuits.length === 0) return out;
    const connections: z.output<typeof ConnectionRow>[] = [];
    const hubRows: unknown[] = [];
    for (const slice of chunked(
      circuits.map((c) => c.id),
      IDS_PER_QUERY,
    )) {
      connections.push(
        ...(await query(connectionsQuery(slice))).map((row) => {
          const parsed = ConnectionRow.safeParse(row);
          if (!parsed.success) throw new Error('Resource Graph answered a connection row without an id, a name or a location.');
          return parsed.data;
        }),
      );
      hubRows.push(...(await query(hubGatewaysQuery(slice))));
    }
    const gatewayIds = [...new Set(connections.flatMap((c) => (c.gatewayId ? [c.gatewayId] : [])))];
    const vnetOfGateway = new Map<string, string>();
    for (const slice of chunked(gatewayIds, IDS_PER_QUERY)) {
      for (const row of await query(gatewaysQuery(slice))) {
        const gateway = GatewayRow.safeParse(row);
        const subnet = gateway.data?.ipConfigurations?.find((c) => c.properties?.subnet?.id)?.properties?.subnet?.id;
        const vnetId = subnet ? parentArmId(subnet, 'virtualNetworks') : undefined;
        if (gateway.data && vnetId) vnetOfGateway.set(key(gateway.data.id), vnetId);
      }
    }
    const vnets = new Map<string, NonNullable<VnetLink['vnet']>>();
    for (const slice of chunked([...new Set(vnetOfGateway.values())], IDS_PER_QUERY)) {
      for (const row of await query(vnetsQuery(slice))) {
        const vnet = VnetRow.safeParse(row);
        if (vnet.data)
          vnets.set(key(vnet.data.id), { id: vnet.data.id, name: vnet.data.name, addressPrefixes: vnet.data.addressPrefixes ?? [] });
      }
    }
    for (const circuit of circuits) {
      const mine = connections.filter((c) => key(c.peerId ?? '') === key(circuit.id));
      const links: VnetLink[] = mine.map((c) => {
        const vnetId = c.gatewayId ? vnetOfGateway.get(key(c.gatewayId)) : undefined;
        const vnet = vnetId ? vnets.get(key(vnetId)) : undefined;
        return { name: c.name, region: c.location, connectionId: c.id, subscriptionId: c.subscriptionId, ...(vnet ? { vnet } : {}) };
      });
      links.push(...hubRows.flatMap((row) => hubLinksOf(row, circuit.id)));
      out.set(key(circuit.id), withRedeemedAuthorizations(links, circuit));
    }
    return out;
  }
}

/**
 * A connection the circuit's authorizations name but Resource Graph does not show (it sits in a subscription outside
 * the ones searched) still counts, with its region unknown, so the rules that depend on it cannot pass by not seeing it.
 */
function withRedeemedAuthorizations(links: VnetLink[], circuit: Circuit): VnetLink[] {
  const seen = new Set(links.map((l) => key(l.connectionId ?? '')));
  for (const a of circuit.authorizations) {
    if (!a.connectionId || a.useStatus?.toLowerCase() === 'available' || seen.has(key(a.connectionId))) continue;
    seen.add(key(a.connectionId));
    const subscriptionId = subscriptionOfArmId(a.connectionId);
    links.push({
      name: armIdName(a.connectionId),
      region: '',
      connectionId: a.connectionId,
      ...(subscriptionId ? { subscriptionId } : {}),
    });
  }
  return links;
}
