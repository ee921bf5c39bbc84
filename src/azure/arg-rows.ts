import type { ExpressRouteCircuit, RouteFilter as ArmRouteFilter, RouteTable } from '@azure/arm-network';
import { z } from 'zod';
import type { Inventory } from '../network/types';
import { toCircuit, toRouteFilter, toUdrTable } from './map-arm-models';
import { withAuthorizationConnections } from './arm-network-reader';

/** The types the inventory query asks Resource Graph for, as Resource Graph spells them (lower case). */
export const INVENTORY_TYPES = {
  circuit: 'microsoft.network/expressroutecircuits',
  routeFilter: 'microsoft.network/routefilters',
  routeTable: 'microsoft.network/routetables',
  port: 'microsoft.network/expressrouteports',
} as const;

export const INVENTORY_QUERY = [
  'Resources',
  `| where type in~ (${Object.values(INVENTORY_TYPES)
    .map((t) => `'${t}'`)
    .join(', ')})`,
  '| project id, name, type, location, subscriptionId, resourceGroup, sku, tags, etag, properties',
  '| order by id asc',
].join('\n');

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A Resource Graph row: untrusted until it has at least an id, a name and a type, and `properties`, if any, is an
 * object. The schema only checks: what is mapped is the row itself (flattenArm copies it once), not zod's output.
 */
const Row = z.object({
  id: z.string().min(1),
  name: z.string(),
  type: z.string(),
  properties: z.custom<Json>(isObject, { message: 'Expected an object' }).optional(),
});

/**
 * Resource Graph returns resources in ARM's wire format, `properties` nested; the ARM SDK models we map from
 * have them flattened (x-ms-client-flatten), children too. Flattening here lets one mapping serve both.
 */
export function flattenArm(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(flattenArm);
  if (!isObject(value)) return value;
  // Key by key rather than rest and entries: ~2,000 rows a watch cycle go through here.
  const out: Json = {};
  // A key named __proto__ in the JSON would set the copy's prototype: it is no ARM field, so it is left out.
  for (const k of Object.keys(value)) if (k !== 'properties' && k !== '__proto__') out[k] = flattenArm(value[k]);
  const properties = value.properties;
  if (isObject(properties) && ('id' in value || 'name' in value)) {
    for (const k of Object.keys(properties)) if (k !== '__proto__') out[k] = flattenArm(properties[k]);
  } else if (properties !== undefined) {
    out.properties = flattenArm(properties);
  }
  return out;
}

export interface InventoryRows {
  inventory: Inventory;
  /** Rows that were not resources of a known shape; logged, never fatal. */
  skipped: number;
}

/** Resource Graph rows → the domain's inventory; Direct circuits learn their port's size from the port rows. */
export function inventoryFromRows(rows: readonly unknown[]): InventoryRows {
  const inventory: Inventory = { circuits: [], routeFilters: [], routeTables: [] };
  const portGbps = new Map<string, number>();
  const portLocation = new Map<string, string>();
  let skipped = 0;
  for (const raw of rows) {
    const parsed = Row.safeParse(raw);
    if (!parsed.success) {
      skipped += 1;
      continue;
    }
    const model = flattenArm(raw);
    switch (parsed.data.type.toLowerCase()) {
      case INVENTORY_TYPES.circuit:
        inventory.circuits.push(withAuthorizationConnections(toCircuit(model as ExpressRouteCircuit), model as ExpressRouteCircuit));
        break;
      case INVENTORY_TYPES.routeFilter:
        inventory.routeFilters.push(toRouteFilter(model as ArmRouteFilter));
        break;
      case INVENTORY_TYPES.routeTable:
        inventory.routeTables.push(toUdrTable(model as RouteTable));
        break;
      case INVENTORY_TYPES.port: {
        const gbps = (model as { bandwidthInGbps?: unknown }).bandwidthInGbps;
        if (typeof gbps === 'number') portGbps.set(parsed.data.id.toLowerCase(), gbps);
        const where = (model as { peeringLocation?: unknown }).peeringLocation;
        if (typeof where === 'string' && where) portLocation.set(parsed.data.id.toLowerCase(), where);
        break;
      }
      default:
        skipped += 1;
    }
  }
  for (const c of inventory.circuits) {
    const gbps = c.direct ? portGbps.get(c.direct.portId.toLowerCase()) : undefined;
    if (c.direct && gbps !== undefined) c.direct.portBandwidthInGbps = gbps;
    const where = c.direct ? portLocation.get(c.direct.portId.toLowerCase()) : undefined;
    if (c.direct && where) c.direct.portPeeringLocation = where;
  }
  return { inventory, skipped };
}
