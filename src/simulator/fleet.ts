import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CodedError, ErrorCode } from '../errors';
import { armKey, isCollectionPath, isResourcePath, parseArmPath } from './arm-path';
import { SimulatorSettings } from './simulator-settings';

const SETTINGS_KEY = '$simulator';

/**
 * How the simulator treats a fixture entry:
 * - `result`: the final body of a POST-style read, stats or metrics, served verbatim;
 * - `list`: a `{ value: [...] }` page whose items are resources of that collection (they are stored one by one);
 * - `raw`: any other `{ value: [...] }` body, served verbatim at its path;
 * - `resource`: one resource, keyed by its own id.
 */
export type FleetEntryKind = 'result' | 'list' | 'raw' | 'resource';

const RESULT_PATTERNS = [
  /\/stats$/i,
  /\/peerings\/[^/]+\/(routetables|routetablessummary|arptables)\/[^/]+$/i,
  /\/providers\/microsoft\.insights\/metrics$/i,
];
/** Other ARM POST actions (effective routes, gateway learned routes, …): a camelCase verb after a resource. */
const ACTION = /\/(get|list|effective)[A-Z][A-Za-z]*$/;

export function isResultPath(path: string): boolean {
  if (RESULT_PATTERNS.some((re) => re.test(path))) return true;
  return ACTION.test(path) && isCollectionPath(parseArmPath(path)) && parseArmPath(path).segments.length >= 3;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether a resource id belongs to the collection named by `listPath` (a sub-wide list spans resource groups). */
export function belongsToCollection(id: string, listPath: string): boolean {
  const item = parseArmPath(id);
  const list = parseArmPath(listPath);
  if (!isResourcePath(item) || list.namespace === undefined || list.segments.length % 2 !== 1) return false;
  if (item.subscriptionId?.toLowerCase() !== list.subscriptionId?.toLowerCase()) return false;
  if (list.resourceGroup !== undefined && item.resourceGroup?.toLowerCase() !== list.resourceGroup.toLowerCase()) {
    return false;
  }
  if (list.resourceGroup === undefined && list.segments.length > 1 && item.resourceGroup !== undefined) return false;
  if (item.namespace?.toLowerCase() !== list.namespace.toLowerCase()) return false;
  const itemCollection = item.segments.slice(0, -1).map((s) => s.toLowerCase());
  const listSegments = list.segments.map((s) => s.toLowerCase());
  return itemCollection.length === listSegments.length && itemCollection.every((s, i) => s === listSegments[i]);
}

export function classifyEntry(key: string, body: Record<string, unknown>): FleetEntryKind {
  if (isResultPath(key)) return 'result';
  const value = body.value;
  if (Array.isArray(value) && body.id === undefined) {
    const allBelong = value.every((item) => isPlainObject(item) && typeof item.id === 'string' && belongsToCollection(item.id, key));
    if (value.length === 0) return isCollectionPath(parseArmPath(key)) ? 'list' : 'raw';
    return allBelong ? 'list' : 'raw';
  }
  return 'resource';
}

function checkEntry(key: string, value: unknown, ctx: z.RefinementCtx): void {
  const issue = (message: string) => ctx.addIssue({ code: 'custom', path: [key], message });
  if (!key.toLowerCase().startsWith('/subscriptions/')) {
    return issue(`key "${key}" must be an ARM path starting with /subscriptions/ (no host, no api-version)`);
  }
  if (key.includes('?')) return issue(`key "${key}" must not contain a query string (drop ?api-version=…)`);
  if (!isPlainObject(value)) {
    return issue(`value of "${key}" must be a JSON object (the ARM response body), got ${describe(value)}`);
  }
  if (classifyEntry(key, value) !== 'resource') return;
  if (!isResourcePath(parseArmPath(key))) {
    return issue(
      `key "${key}" is neither a resource id (…/type/name), a list ({ "value": [...] }), nor a known read such as …/stats or …/routeTables/primary`,
    );
  }
  if (typeof value.id !== 'string') return issue(`resource at "${key}" has no string "id"`);
  if (typeof value.name !== 'string') return issue(`resource at "${key}" has no string "name"`);
  if (armKey(value.id) !== armKey(key)) {
    return issue(`resource at "${key}" has id "${value.id}", which does not match its key`);
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}

/** The fleet fixture (DESIGN.md Contract 3): ARM path → ARM wire-format body, plus optional simulator settings. */
export const Fleet = z
  .object({ $simulator: SimulatorSettings.optional() })
  .catchall(z.unknown())
  .superRefine((fleet, ctx) => {
    for (const [key, value] of Object.entries(fleet)) {
      if (key === SETTINGS_KEY) continue;
      checkEntry(key, value, ctx);
    }
  });
export type Fleet = z.infer<typeof Fleet>;

/** Fixture entries other than the settings key. */
export function fleetEntries(fleet: Fleet): Array<[string, Record<string, unknown>]> {
  return Object.entries(fleet).filter((e): e is [string, Record<string, unknown>] => e[0] !== SETTINGS_KEY && isPlainObject(e[1]));
}

export function parseFleet(json: unknown, source?: string): Fleet {
  const where = source ? ` in ${source}` : '';
  if (!isPlainObject(json)) {
    throw new CodedError(ErrorCode.Config, `The fleet fixture${where} must be a JSON object, got ${describe(json)}.`, {
      hint: 'A fleet fixture maps ARM paths (e.g. /subscriptions/…/expressRouteCircuits/er1) to ARM response bodies.',
    });
  }
  const parsed = Fleet.safeParse(json);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.slice(0, 10).map((i) => {
    const path = i.path.map(String).join('.');
    return path && !i.message.includes(`"${String(i.path[0])}"`) ? `"${path}": ${i.message}` : i.message;
  });
  const more = parsed.error.issues.length > 10 ? ` (and ${parsed.error.issues.length - 10} more)` : '';
  throw new CodedError(ErrorCode.Config, `The fleet fixture${where} is invalid: ${problems.join('; ')}${more}.`, {
    hint: 'Fix the named keys. Keys are ARM paths; values are the bodies ARM returns, as in shared/arm-examples.',
    details: { problems },
  });
}

export function loadFleetFile(path: string): Fleet {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CodedError(ErrorCode.Config, `Cannot read the fleet file ${path}: ${(e as Error).message}`, {
      hint: 'Check FLEET_FILE: it must name a readable JSON file.',
      cause: e,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CodedError(ErrorCode.Config, `The fleet file ${path} is not valid JSON: ${(e as Error).message}`, {
      hint: 'Fix the JSON syntax (a validator or `node -e "JSON.parse(…)"` shows where).',
      cause: e,
    });
  }
  return parseFleet(json, path);
}
