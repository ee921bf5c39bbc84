import { parsePrefix, type IpPrefix } from './ip-prefix';
import type { Json } from './resource-store';
import {
  obj,
  props,
  reject,
  resourcesOfType,
  str,
  vnetOfSubnet,
  type WriteAttempt,
  type WriteRejection,
  type WriteRule,
} from './write-rule';

/**
 * What Network RP enforces on user-defined routes, modelled from Azure's documentation:
 * - virtual-networks-udr-overview: a destination is a prefix or a service tag, with at most 25 service-tag
 *   routes per table; a VirtualAppliance route needs its IP; a virtual network gateway of type ExpressRoute
 *   (alone or coexisting with a VPN gateway) can't be a UDR's next hop, "with ExpressRoute, you must use BGP".
 * - expressroute-about-virtual-network-gateways: a 0.0.0.0/0 UDR on the GatewaySubnet is not supported, and a
 *   gateway with one is blocked from being created.
 * Azure documents no error code for these refusals, so the codes are named the way Network RP names its own
 * (RouteConflict, ApplicationGatewaySubnetUserDefinedRouteNotAllowed), in ARM's error body. What Azure only
 * advises against (BGP propagation off on the GatewaySubnet, an appliance it cannot reach) it accepts, and so
 * does the simulator.
 */

const ROUTE_TABLES = 'microsoft.network/routetables';
const ROUTES = 'microsoft.network/routetables/routes';
const VNETS = 'microsoft.network/virtualnetworks';
const SUBNETS = 'microsoft.network/virtualnetworks/subnets';
const GATEWAYS = 'microsoft.network/virtualnetworkgateways';
export const ROUTE_TABLE_ROUTE_LIMIT = 400;
export const SERVICE_TAG_ROUTE_LIMIT = 25;

const SERVICE_TAG = /^[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*$/;
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.map(obj) : []);
const lower = (s: string | undefined) => (s ?? '').toLowerCase();
const cidrOf = (text: string | undefined): IpPrefix | undefined => (text ? parsePrefix(text) : undefined);
const isTag = (text: string | undefined) => text !== undefined && cidrOf(text) === undefined && SERVICE_TAG.test(text.trim());
const prefixOf = (route: Json) => str(props(route).addressPrefix);
const isDefaultRoute = (route: Json) => {
  const c = cidrOf(prefixOf(route));
  return c !== undefined && c.address.kind() === 'ipv4' && c.length === 0;
};
const lastSegment = (id: string) => id.slice(id.lastIndexOf('/') + 1);
const isGatewaySubnet = (subnetId: string) => vnetOfSubnet(subnetId) !== undefined && lower(lastSegment(subnetId)) === 'gatewaysubnet';
const byType = (a: WriteAttempt, type: string) => resourcesOfType(a.store, type);

/** The table being written and the routes the write would store in it (one route, or a table with its routes). */
function routesWritten(a: WriteAttempt): { table: Json; name: string; routes: Json[] } | undefined {
  if (a.method === 'DELETE' || !a.proposed) return undefined;
  if (a.type === ROUTES) return { table: a.parent ?? {}, name: str(a.parent?.name) ?? '', routes: [{ ...a.proposed, name: a.name }] };
  if (a.type === ROUTE_TABLES) return { table: a.proposed, name: a.name, routes: list(props(a.proposed).routes) };
  return undefined;
}

const subnetsOf = (table: Json) => list(props(table).subnets).flatMap((s) => str(s.id) ?? []);

function defaultRouteOnGatewaySubnet(table: string, subnet: string, route: string): WriteRejection {
  return reject(
    'GatewaySubnetDefaultRouteNotSupported',
    `Route table '${table}' is associated to subnet '${subnet}': a user-defined route with destination 0.0.0.0/0 ` +
      `('${route}') is not supported on the GatewaySubnet. The gateway requires access to its management controllers.`,
  );
}

/** Route shape: a prefix or a service tag, an IP only for VirtualAppliance, one route per destination, the limits. */
const routeValues: WriteRule = (a) => {
  if (a.type !== ROUTES || a.method === 'DELETE' || !a.proposed) return undefined;
  const p = props(a.proposed);
  const prefix = str(p.addressPrefix);
  const c = cidrOf(prefix);
  const tag = isTag(prefix);
  if (!c && !tag) return reject('InvalidRouteAddressPrefix', `Route '${a.name}' has an invalid address prefix '${prefix ?? ''}'.`);
  const hop = str(p.nextHopType);
  if (hop === 'VirtualAppliance' && !str(p.nextHopIpAddress)) {
    return reject('NextHopIpAddressRequired', `Route '${a.name}' has next hop type VirtualAppliance but no next hop IP address.`);
  }
  if (hop !== 'VirtualAppliance' && str(p.nextHopIpAddress)) {
    return reject('NextHopIpAddressNotAllowed', `Route '${a.name}' has next hop type ${hop ?? '?'}, which takes no next hop IP address.`);
  }
  const siblings = list(props(a.parent).routes).filter((r) => lower(str(r.name)) !== lower(a.name));
  const dup = siblings.find((r) => (c ? cidrOf(prefixOf(r))?.text === c.text : lower(prefixOf(r)) === lower(prefix)));
  if (dup) {
    return reject('RouteConflict', `Route '${a.name}' has the same address prefix ${c?.text ?? prefix ?? ''} as route '${str(dup.name)}'.`);
  }
  if (!a.existing && siblings.length + 1 > ROUTE_TABLE_ROUTE_LIMIT) {
    return reject(
      'RouteTableRouteLimitExceeded',
      `Route table '${a.id.split('/')[8] ?? ''}' cannot have more than ${ROUTE_TABLE_ROUTE_LIMIT} routes.`,
    );
  }
  return undefined;
};

/** At most 25 routes with service tags in a route table, by route or by table. */
const serviceTagLimit: WriteRule = (a) => {
  const w = routesWritten(a);
  if (!w) return undefined;
  const written = new Set(w.routes.map((r) => lower(str(r.name))));
  const kept = a.type === ROUTES ? list(props(w.table).routes).filter((r) => !written.has(lower(str(r.name)))) : [];
  const tagged = [...kept, ...w.routes].filter((r) => isTag(prefixOf(r))).length;
  if (tagged <= SERVICE_TAG_ROUTE_LIMIT || !w.routes.some((r) => isTag(prefixOf(r)))) return undefined;
  return reject(
    'RouteTableServiceTagRouteLimitExceeded',
    `Route table '${w.name}' cannot have more than ${SERVICE_TAG_ROUTE_LIMIT} routes with a service tag as address prefix.`,
  );
};

/** No 0.0.0.0/0 route in a table associated to a GatewaySubnet. */
const gatewaySubnetDefaultRoute: WriteRule = (a) => {
  const w = routesWritten(a);
  const subnet = w && subnetsOf(w.table).find(isGatewaySubnet);
  const route = subnet && w.routes.find(isDefaultRoute);
  return subnet && route ? defaultRouteOnGatewaySubnet(w.name, subnet, str(route.name) ?? '') : undefined;
};

/** The ExpressRoute gateways a VNet's subnets reach: its own, or a peered hub's through useRemoteGateways. */
function expressRouteGateways(a: WriteAttempt, vnetId: string): string[] {
  const hubs = list(props(a.store.get(vnetId)).virtualNetworkPeerings)
    .filter((p) => props(p).useRemoteGateways === true)
    .flatMap((p) => str(obj(props(p).remoteVirtualNetwork).id) ?? []);
  const reach = new Set([vnetId, ...hubs].map(lower));
  return byType(a, GATEWAYS)
    .filter((g) => lower(str(props(g).gatewayType)) === 'expressroute')
    .filter((g) => list(props(g).ipConfigurations).some((c) => reach.has(lower(vnetOfSubnet(str(obj(props(c).subnet).id) ?? '')))))
    .map((g) => str(g.id) ?? '');
}

/** No VirtualNetworkGateway next hop where the VNet's gateway is (or includes) an ExpressRoute gateway. */
const expressRouteGatewayNextHop: WriteRule = (a) => {
  const w = routesWritten(a);
  const route = w?.routes.find((r) => str(props(r).nextHopType) === 'VirtualNetworkGateway');
  if (!w || !route) return undefined;
  const vnets = [...new Set(subnetsOf(w.table).flatMap((s) => vnetOfSubnet(s) ?? []))];
  const gateway = vnets.flatMap((v) => expressRouteGateways(a, v))[0];
  if (!gateway) return undefined;
  return reject(
    'ExpressRouteGatewayNextHopNotSupported',
    `Route '${str(route.name) ?? ''}' in route table '${w.name}' has next hop type VirtualNetworkGateway, but the virtual network ` +
      `gateway '${lastSegment(gateway)}' is of type ExpressRoute: ExpressRoute routes must come from BGP, not from user-defined routes.`,
  );
};

/** The route table (with its routes) a subnet is to be associated with, if it holds a 0.0.0.0/0 route. */
function defaultRouteTable(a: WriteAttempt, subnet: Json): { name: string; route: string } | undefined {
  const id = str(obj(props(subnet).routeTable).id);
  const table = id ? a.store.get(id) : undefined;
  const route = table ? list(props(table).routes).find(isDefaultRoute) : undefined;
  return table && route ? { name: str(table.name) ?? lastSegment(id ?? ''), route: str(route.name) ?? '' } : undefined;
}

/** Associating a table with a 0.0.0.0/0 route to a GatewaySubnet (subnet or VNet PUT) is refused alike. */
const gatewaySubnetAssociation: WriteRule = (a) => {
  if (a.method === 'DELETE' || !a.proposed) return undefined;
  const subnets =
    a.type === SUBNETS
      ? [{ ...a.proposed, id: a.id }]
      : a.type === VNETS
        ? list(props(a.proposed).subnets).map((s) => ({ ...s, id: `${a.id}/subnets/${str(s.name) ?? ''}` }))
        : [];
  for (const s of subnets.filter((x) => isGatewaySubnet(str(x.id) ?? ''))) {
    const t = defaultRouteTable(a, s);
    if (t) return defaultRouteOnGatewaySubnet(t.name, str(s.id) ?? '', t.route);
  }
  return undefined;
};

/** A gateway is not created on a GatewaySubnet whose route table holds a 0.0.0.0/0 route. */
const gatewayCreation: WriteRule = (a) => {
  if (a.type !== GATEWAYS || a.existing || !a.proposed) return undefined;
  const subnets = new Set(list(props(a.proposed).ipConfigurations).map((c) => lower(str(obj(props(c).subnet).id))));
  for (const table of byType(a, ROUTE_TABLES)) {
    const subnet = subnetsOf(table).find((s) => isGatewaySubnet(s) && subnets.has(lower(s)));
    const route = subnet ? list(props(table).routes).find(isDefaultRoute) : undefined;
    if (subnet && route) return defaultRouteOnGatewaySubnet(str(table.name) ?? '', subnet, str(route.name) ?? '');
  }
  return undefined;
};

export const UDR_WRITE_RULES: readonly WriteRule[] = [
  routeValues,
  serviceTagLimit,
  gatewaySubnetDefaultRoute,
  expressRouteGatewayNextHop,
  gatewaySubnetAssociation,
  gatewayCreation,
];
