import { armKey, collectionOf, normalizePath, parseArmPath, resourceType } from './arm-path';
import { classifyEntry, fleetEntries, type Fleet } from './fleet';

export type Json = Record<string, unknown>;

/** A child collection that ARM returns inline in the parent's `properties` and also serves at its own path. */
export interface ChildCollection {
  property: string;
  segment: string;
}

const CHILD_COLLECTIONS: Record<string, readonly ChildCollection[]> = {
  'microsoft.network/expressroutecircuits': [
    { property: 'peerings', segment: 'peerings' },
    { property: 'authorizations', segment: 'authorizations' },
  ],
  'microsoft.network/routefilters': [{ property: 'rules', segment: 'routeFilterRules' }],
  'microsoft.network/expressroutegateways': [{ property: 'expressRouteConnections', segment: 'expressRouteConnections' }],
  'microsoft.network/routetables': [{ property: 'routes', segment: 'routes' }],
  'microsoft.network/virtualnetworks': [
    { property: 'subnets', segment: 'subnets' },
    { property: 'virtualNetworkPeerings', segment: 'virtualNetworkPeerings' },
  ],
  'microsoft.network/networksecuritygroups': [
    { property: 'securityRules', segment: 'securityRules' },
    { property: 'defaultSecurityRules', segment: 'defaultSecurityRules' },
  ],
};

export function childCollectionsOf(id: string): readonly ChildCollection[] {
  return CHILD_COLLECTIONS[resourceType(parseArmPath(id))] ?? [];
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function clone<T>(v: T): T {
  return structuredClone(v);
}

/**
 * The simulator's state: every resource (children too) stored flat by lower-cased id, and the verbatim bodies
 * of POST-style reads, stats and metrics. Parents are composed with their current children on every read, so a
 * write to a peering shows in the circuit at once, as in ARM.
 */
export class ResourceStore {
  private readonly resources = new Map<string, { id: string; body: Json }>();
  private readonly byCollection = new Map<string, Set<string>>();
  private readonly bodies = new Map<string, Json>();
  private readonly scopes = new Set<string>();

  constructor(fleet: Fleet) {
    for (const [key, body] of fleetEntries(fleet)) {
      switch (classifyEntry(key, body)) {
        case 'result':
        case 'raw':
          this.bodies.set(armKey(key), clone(body));
          this.noteScope(key);
          break;
        case 'list':
          this.noteScope(key);
          for (const item of (body.value as unknown[]).filter(isObject)) this.put(String(item.id), clone(item));
          break;
        case 'resource':
          this.put(normalizePath(String(body.id)), clone(body));
          break;
      }
    }
  }

  /** The composed body of a resource, or undefined. */
  get(id: string): Json | undefined {
    const entry = this.resources.get(armKey(id));
    return entry ? this.compose(entry.id, entry.body) : undefined;
  }

  has(id: string): boolean {
    return this.resources.has(armKey(id));
  }

  /**
   * Read-only views for derived answers (metrics) that read many bodies per request: a resource's own body
   * (its children not composed in) or a stored read result, neither cloned. Callers must not change them.
   */
  peek(path: string): Readonly<Json> | undefined {
    const key = armKey(path);
    return this.resources.get(key)?.body ?? this.bodies.get(key);
  }

  /** The names of the resources directly in a collection (…/er1/peerings), without composing or cloning them. */
  childNames(collectionPath: string): string[] {
    const keys = this.byCollection.get(armKey(collectionPath)) ?? new Set<string>();
    return [...keys].flatMap((k) => {
      const entry = this.resources.get(k);
      return entry ? [entry.id.slice(entry.id.lastIndexOf('/') + 1)] : [];
    });
  }

  /** The stored body of a POST-style read, stats, metrics or verbatim list. */
  body(path: string): Json | undefined {
    const b = this.bodies.get(armKey(path));
    return b ? clone(b) : undefined;
  }

  /** Stores (or replaces) the verbatim body of a POST-style read, stats or metrics. */
  setBody(path: string, body: Json): void {
    this.bodies.set(armKey(path), clone(body));
    this.noteScope(path);
  }

  /** Resources directly in a collection path (…/expressRouteCircuits, …/er1/peerings), in fixture order. */
  listCollection(collectionPath: string): Json[] {
    const keys = this.byCollection.get(armKey(collectionPath)) ?? new Set<string>();
    return [...keys].map((k) => this.resources.get(k)).flatMap((e) => (e ? [this.compose(e.id, e.body)] : []));
  }

  /** Every resource matching a predicate on its id (sub-wide lists span resource groups). */
  listWhere(predicate: (id: string) => boolean): Json[] {
    const out: Json[] = [];
    for (const e of this.resources.values()) if (predicate(e.id)) out.push(this.compose(e.id, e.body));
    return out;
  }

  /** Every subscription the fleet mentions, lower-cased. */
  subscriptions(): string[] {
    return [...this.scopes].filter((s) => !s.includes('/'));
  }

  knowsSubscription(subscriptionId: string): boolean {
    return this.scopes.has(subscriptionId.toLowerCase());
  }

  knowsResourceGroup(subscriptionId: string, resourceGroup: string): boolean {
    return this.scopes.has(`${subscriptionId}/${resourceGroup}`.toLowerCase());
  }

  /** Stores a resource (creating or replacing it). Inline children arrays replace the stored children. */
  put(id: string, body: Json): void {
    const normalId = normalizePath(id);
    const key = armKey(normalId);
    const own = clone(body);
    own.id ??= normalId;
    const props = isObject(own.properties) ? own.properties : undefined;
    for (const { property, segment } of childCollectionsOf(normalId)) {
      const children = props?.[property];
      if (props) delete props[property];
      if (!Array.isArray(children)) continue;
      const keep = new Set<string>();
      for (const child of children.filter(isObject)) {
        if (typeof child.name !== 'string') continue;
        const childId = `${normalId}/${segment}/${child.name}`;
        keep.add(armKey(childId));
        this.put(childId, { ...child, id: childId });
      }
      for (const existing of this.byCollection.get(armKey(`${normalId}/${segment}`)) ?? []) {
        if (!keep.has(existing)) this.remove(existing);
      }
    }
    this.resources.set(key, { id: this.resources.get(key)?.id ?? normalId, body: own });
    const coll = armKey(collectionOf(normalId));
    if (!this.byCollection.has(coll)) this.byCollection.set(coll, new Set());
    this.byCollection.get(coll)?.add(key);
    this.noteScope(normalId);
  }

  /** Changes only the resource's own fields (not its children), e.g. provisioningState or etag. */
  patchOwn(id: string, change: (own: Json) => void): void {
    const entry = this.resources.get(armKey(id));
    if (entry) change(entry.body);
  }

  /** Deletes a resource and everything below it (a circuit's peerings go with it). */
  remove(id: string): void {
    const key = armKey(id);
    for (const k of [...this.resources.keys()]) {
      if (k === key || k.startsWith(`${key}/`)) {
        this.resources.delete(k);
        this.byCollection.get(armKey(collectionOf(k)))?.delete(k);
      }
    }
  }

  private compose(id: string, own: Json): Json {
    const body = clone(own);
    const collections = childCollectionsOf(id);
    if (collections.length === 0) return body;
    const props = isObject(body.properties) ? body.properties : (body.properties = {});
    for (const c of collections) props[c.property] = this.listCollection(`${id}/${c.segment}`);
    return body;
  }

  private noteScope(path: string): void {
    const p = parseArmPath(path);
    if (!p.subscriptionId) return;
    this.scopes.add(p.subscriptionId.toLowerCase());
    if (p.resourceGroup) this.scopes.add(`${p.subscriptionId}/${p.resourceGroup}`.toLowerCase());
  }
}
