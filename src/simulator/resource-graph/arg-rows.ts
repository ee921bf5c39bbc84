import { parseArmPath, resourceType } from '../arm-path';
import { resourceGraphProperties } from '../compute-reads';
import type { Json, ResourceStore } from '../resource-store';
import { text } from '../write-rule';

/** The columns of ARG's Resources table, in ARG's order. */
export const RESOURCE_COLUMNS = [
  'id',
  'name',
  'type',
  'tenantId',
  'kind',
  'location',
  'resourceGroup',
  'subscriptionId',
  'managedBy',
  'sku',
  'plan',
  'properties',
  'tags',
  'identity',
  'zones',
  'extendedLocation',
  'etag',
];

/**
 * The Resources table as ARG shows it: one row per top-level resource of the given subscriptions (children such
 * as peerings stay inline in their parent's properties), with type and resourceGroup lower-cased as ARG does.
 */
export function resourceRows(store: ResourceStore, subscriptions: ReadonlySet<string>): Json[] {
  const rows: Json[] = [];
  for (const body of store.listWhere((id) => isTopLevelInScope(id, subscriptions))) {
    const id = text(body.id);
    const p = parseArmPath(id);
    rows.push({
      id,
      name: body.name ?? p.segments[1] ?? '',
      type: (typeof body.type === 'string' ? body.type : resourceType(p)).toLowerCase(),
      // The fleet does not say which tenant owns a subscription.
      tenantId: '',
      kind: body.kind ?? '',
      location: body.location ?? '',
      resourceGroup: (p.resourceGroup ?? '').toLowerCase(),
      subscriptionId: p.subscriptionId ?? '',
      managedBy: body.managedBy ?? '',
      sku: body.sku ?? null,
      plan: body.plan ?? null,
      properties: resourceGraphProperties(body),
      tags: body.tags ?? null,
      identity: body.identity ?? null,
      zones: body.zones ?? null,
      extendedLocation: body.extendedLocation ?? null,
      etag: body.etag ?? null,
    });
  }
  return rows;
}

function isTopLevelInScope(id: string, subscriptions: ReadonlySet<string>): boolean {
  const p = parseArmPath(id);
  // Subscription-level catalogues (bgpServiceCommunities) are not resources ARG indexes; resources live in groups.
  return p.segments.length === 2 && p.resourceGroup !== undefined && subscriptions.has((p.subscriptionId ?? '').toLowerCase());
}
