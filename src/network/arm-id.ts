import { CodedError, ErrorCode } from '../errors';

/**
 * The bot's one ARM resource id module: parsing, building and naming ids. Plain strings in, plain strings out,
 * so that every layer (the domain, the parser of typed references, the cards and the Azure adapter) reads ids
 * the same way. ARM compares ids case-insensitively, and so does everything here.
 */

/** A resource id split into the parts ARM addresses it by. Names keep the case they were given in. */
export interface ArmResourceId {
  subscriptionId: string;
  resourceGroup: string;
  /** e.g. Microsoft.Network */
  provider: string;
  /** e.g. expressRouteCircuits */
  type: string;
  name: string;
  /** Child segments after the resource, e.g. [{ type: 'peerings', name: 'AzurePrivatePeering' }]. */
  children: { type: string; name: string }[];
}

/** The provider of every resource the bot reads or writes. */
export const NETWORK_PROVIDER = 'Microsoft.Network';

const HINT = 'Use the full id: /subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.Network/<type>/<name>.';

function bad(id: string, why: string): CodedError {
  return new CodedError(ErrorCode.BadInput, `"${id}" is not a valid Azure resource id: ${why}.`, { hint: HINT });
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Parses a top-level (or child) ARM resource id; throws BadInput saying what is wrong with it. */
export function parseArmId(id: string): ArmResourceId {
  const trimmed = id.trim().replace(/\/+$/, '');
  if (!trimmed.startsWith('/')) throw bad(id, 'it must start with /subscriptions/');
  const parts = trimmed.slice(1).split('/');
  if (parts.some((p) => p.length === 0)) throw bad(id, 'it has an empty segment');
  const [subs, subscriptionId, rgs, resourceGroup, providers, provider, type, name, ...rest] = parts;
  if (subs?.toLowerCase() !== 'subscriptions' || !subscriptionId) throw bad(id, 'it has no subscription');
  if (rgs?.toLowerCase() !== 'resourcegroups' || !resourceGroup) throw bad(id, 'it has no resource group');
  if (providers?.toLowerCase() !== 'providers' || !provider || !type || !name) {
    throw bad(id, 'it does not name a provider, resource type and resource');
  }
  if (rest.length % 2 !== 0) throw bad(id, 'a child resource has a type but no name');
  const children: { type: string; name: string }[] = [];
  for (let i = 0; i < rest.length; i += 2) children.push({ type: rest[i] ?? '', name: rest[i + 1] ?? '' });
  return { subscriptionId, resourceGroup, provider, type, name, children };
}

/** An ARM resource id's parts, or undefined when the text is not one. */
export function tryParseArmId(id: string): ArmResourceId | undefined {
  try {
    return parseArmId(id);
  } catch {
    return undefined;
  }
}

function isResourceOf(parsed: ArmResourceId, provider: string, type: string): boolean {
  return same(parsed.provider, provider) && same(parsed.type, type) && parsed.children.length === 0;
}

/** Parses an id that must be exactly a resource of `provider/type` (no children). */
export function parseResourceId(id: string, provider: string, type: string): ArmResourceId {
  const parsed = parseArmId(id);
  if (!isResourceOf(parsed, provider, type)) throw bad(id, `it is not a ${provider}/${type} id`);
  return parsed;
}

/** The parts of an id that is exactly a Microsoft.Network resource of `type` (no children), or undefined. */
export function networkResourceId(id: string, type: string): ArmResourceId | undefined {
  const parsed = tryParseArmId(id);
  return parsed && isResourceOf(parsed, NETWORK_PROVIDER, type) ? parsed : undefined;
}

export function parseCircuitId(id: string): ArmResourceId {
  return parseResourceId(id, NETWORK_PROVIDER, 'expressRouteCircuits');
}

export function formatArmId(parts: Omit<ArmResourceId, 'children'> & { children?: ArmResourceId['children'] }): string {
  const base =
    `/subscriptions/${parts.subscriptionId}/resourceGroups/${parts.resourceGroup}` +
    `/providers/${parts.provider}/${parts.type}/${parts.name}`;
  return base + (parts.children ?? []).map((c) => `/${c.type}/${c.name}`).join('');
}

/** The id of a Microsoft.Network resource of `type` in a subscription's resource group. */
export function formatNetworkId(place: { subscriptionId: string; resourceGroup: string }, type: string, name: string): string {
  return formatArmId({ subscriptionId: place.subscriptionId, resourceGroup: place.resourceGroup, provider: NETWORK_PROVIDER, type, name });
}

export function formatCircuitId(subscriptionId: string, resourceGroup: string, name: string): string {
  return formatNetworkId({ subscriptionId, resourceGroup }, 'expressRouteCircuits', name);
}

/** The id of a child of `parentId`, e.g. a circuit's peering or authorization. */
export function childArmId(parentId: string, type: string, name: string): string {
  return `${parentId.replace(/\/+$/, '')}/${type}/${name}`;
}

/** The id of the resource a child id belongs to (a subnet's VNet), or undefined when it is no child of a `type`. */
export function parentArmId(id: string, type: string): string | undefined {
  const parsed = tryParseArmId(id);
  if (!parsed || parsed.children.length === 0 || !same(parsed.type, type)) return undefined;
  return formatArmId({ ...parsed, children: [] });
}

export function sameArmId(a: string, b: string): boolean {
  return a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();
}

/** Whether typed text is meant as an ARM id (it starts like one), well formed or not. */
export function looksLikeArmId(text: string): boolean {
  return text.toLowerCase().startsWith('/subscriptions/');
}

/**
 * The subscription an id or an ARM request path starts with (`/subscriptions/<id>/…`), as written; undefined
 * when it starts otherwise. Unlike parseArmId this reads a bare scope too: `/subscriptions/<id>/providers/…`.
 */
export function subscriptionOfArmId(idOrPath: string): string | undefined {
  const [root, subs, subscriptionId] = idOrPath.split('/');
  return root === '' && subs?.toLowerCase() === 'subscriptions' && subscriptionId ? subscriptionId : undefined;
}

/**
 * The name an id ends with, for showing: the resource's, or its last child's. Text that is already a name
 * (a route filter named rather than given by id) comes back as it is.
 */
export function armIdName(idOrName: string): string {
  return idOrName.split('/').filter(Boolean).pop() ?? idOrName;
}

/** The name of the `type` segment of an id: the resource's or one of its children's (a peering id's circuit). */
export function armIdNameOf(id: string, type: string): string | undefined {
  const parsed = tryParseArmId(id);
  if (!parsed) return undefined;
  if (same(parsed.type, type)) return parsed.name;
  return parsed.children.find((c) => same(c.type, type))?.name;
}
