import type { Json, ResourceStore } from './resource-store';

/**
 * The shape of one ARM write rule and the small readers every rule uses; write-rules.ts and
 * network-write-rules.ts hold the rules themselves.
 */
export interface WriteAttempt {
  method: 'PUT' | 'PATCH' | 'DELETE';
  id: string;
  /** Lower-case type chain, e.g. microsoft.network/expressroutecircuits/peerings. */
  type: string;
  name: string;
  /** The current composed body, if the resource exists. */
  existing?: Json;
  /** The body as it would be stored (PUT/PATCH). */
  proposed?: Json;
  /** The parent's current body, for child resources. */
  parent?: Json;
  store: ResourceStore;
}

export interface WriteRejection {
  status: number;
  code: string;
  message: string;
}

export type WriteRule = (a: WriteAttempt) => WriteRejection | undefined;

export function reject(code: string, message: string, status = 400): WriteRejection {
  return { status, code, message };
}

export function obj(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
}

export function props(body: Json | undefined): Json {
  return obj(body?.properties);
}

/** A JSON value as String() shows it, '' for null or absent, and objects as JSON rather than '[object Object]'. */
export function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return v === undefined || v === null ? '' : JSON.stringify(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Every resource of a top-level type (lower case, e.g. microsoft.network/connections), in any subscription the fleet holds. */
export function resourcesOfType(store: ResourceStore, type: string): Json[] {
  const tail = `/providers/${type}/`;
  return store.listWhere((id) => {
    const at = id.toLowerCase().lastIndexOf(tail);
    return at >= 0 && !id.slice(at + tail.length).includes('/');
  });
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** An array of objects (anything else in it read as {}), or [] when it is not an array. */
export function list(v: unknown): Json[] {
  return Array.isArray(v) ? v.map(obj) : [];
}

/** The VNet of a subnet id (…/virtualNetworks/v/subnets/s → …/virtualNetworks/v), or undefined for anything else. */
export function vnetOfSubnet(subnetId: string): string | undefined {
  return /^(.*\/virtualnetworks\/[^/]+)\/subnets\/[^/]+$/i.exec(subnetId)?.[1];
}

/**
 * The ExpressRoute connections of Virtual WAN hub gateways (expressRouteGateways) to one of the circuit's
 * peerings (properties.expressRouteCircuitPeering.id = <circuit>/peerings/<peering>), each with its gateway.
 */
export function circuitHubConnections(store: ResourceStore, circuitId: string): { gateway: Json; connection: Json }[] {
  const prefix = `${circuitId.toLowerCase()}/peerings/`;
  return resourcesOfType(store, 'microsoft.network/expressroutegateways').flatMap((gateway) =>
    list(props(gateway).expressRouteConnections)
      .filter((c) => (str(obj(props(c).expressRouteCircuitPeering).id) ?? '').toLowerCase().startsWith(prefix))
      .map((connection) => ({ gateway, connection })),
  );
}

/** The connections (VNet links) whose peer is the circuit, in any subscription of the simulated cloud. */
export function circuitConnections(store: ResourceStore, circuitId: string): Json[] {
  return resourcesOfType(store, 'microsoft.network/connections').filter(
    (c) => str(obj(props(c).peer).id)?.toLowerCase() === circuitId.toLowerCase(),
  );
}
