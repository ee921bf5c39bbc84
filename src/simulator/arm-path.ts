/**
 * ARM URL paths, taken apart the way ARM routes them. Matching is case-insensitive (ARM ignores case in ids),
 * so every comparison goes through `armKey`.
 */

export interface ArmPath {
  /** The path as given, without a trailing slash and with repeated slashes collapsed. */
  path: string;
  subscriptionId?: string;
  resourceGroup?: string;
  /** e.g. Microsoft.Network; undefined when the path stops before /providers/. */
  namespace?: string;
  /** Alternating type/name segments after the namespace: [type, name, type, name, …, (type)]. */
  segments: string[];
}

/** The key under which ARM paths are stored and compared. */
/** Keys are asked for the same few thousand paths over and over (every metric of every circuit): remember them. */
const KEYS = new Map<string, string>();
const MAX_REMEMBERED_KEYS = 200_000;

export function armKey(path: string): string {
  let key = KEYS.get(path);
  if (key === undefined) {
    key = normalizePath(path).toLowerCase();
    if (KEYS.size >= MAX_REMEMBERED_KEYS) KEYS.clear();
    KEYS.set(path, key);
  }
  return key;
}

export function normalizePath(path: string): string {
  const collapsed = path.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
  return collapsed.startsWith('/') ? collapsed : `/${collapsed}`;
}

export function parseArmPath(raw: string): ArmPath {
  const path = normalizePath(raw);
  const parts = path.split('/').slice(1).map(decodeSegment);
  const result: ArmPath = { path, segments: [] };
  let i = 0;
  if (parts[i]?.toLowerCase() === 'subscriptions' && parts[i + 1] !== undefined) {
    result.subscriptionId = parts[i + 1];
    i += 2;
  }
  if (parts[i]?.toLowerCase() === 'resourcegroups' && parts[i + 1] !== undefined) {
    result.resourceGroup = parts[i + 1];
    i += 2;
  }
  if (parts[i]?.toLowerCase() === 'providers' && parts[i + 1] !== undefined) {
    result.namespace = parts[i + 1];
    result.segments = parts.slice(i + 2);
  }
  return result;
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A resource path names an instance (…/type/name); a collection path stops at a type (…/type). */
export function isResourcePath(p: ArmPath): boolean {
  return p.namespace !== undefined && p.segments.length >= 2 && p.segments.length % 2 === 0;
}

export function isCollectionPath(p: ArmPath): boolean {
  return p.namespace !== undefined && p.segments.length % 2 === 1;
}

/** The id of the resource's parent (for a child such as a peering), or undefined for a top-level resource. */
export function parentId(p: ArmPath): string | undefined {
  if (!isResourcePath(p) || p.segments.length < 4) return undefined;
  return p.path.split('/').slice(0, -2).join('/');
}

/** The top-level resource a path belongs to: the unit ARM locks while a write runs. */
export function topLevelId(p: ArmPath): string | undefined {
  if (p.namespace === undefined || p.segments.length < 2) return undefined;
  const extra = p.segments.length - 2;
  const parts = p.path.split('/');
  return parts.slice(0, parts.length - extra).join('/');
}

/** The collection a resource lives in (its id without the final name). */
export function collectionOf(id: string): string {
  return normalizePath(id).split('/').slice(0, -1).join('/');
}

/** "microsoft.network/expressroutecircuits/peerings" for a peering id. */
export function resourceType(p: ArmPath): string {
  const types = p.segments.filter((_, i) => i % 2 === 0);
  return [p.namespace ?? '', ...types].join('/').toLowerCase();
}

export function lastSegment(path: string): string {
  const parts = normalizePath(path).split('/');
  return parts[parts.length - 1] ?? '';
}
