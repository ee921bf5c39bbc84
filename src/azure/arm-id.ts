import { CodedError, ErrorCode } from '../errors';

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

const HINT = 'Use the full id: /subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.Network/<type>/<name>.';

function bad(id: string, why: string): CodedError {
  return new CodedError(ErrorCode.BadInput, `"${id}" is not a valid Azure resource id: ${why}.`, { hint: HINT });
}

/** Parses a top-level (or child) ARM resource id; ARM compares these case-insensitively, and so do we. */
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

/** Parses an id that must be exactly a resource of `provider/type` (no children). */
export function parseResourceId(id: string, provider: string, type: string): ArmResourceId {
  const parsed = parseArmId(id);
  if (
    parsed.provider.toLowerCase() !== provider.toLowerCase() ||
    parsed.type.toLowerCase() !== type.toLowerCase() ||
    parsed.children.length > 0
  ) {
    throw bad(id, `it is not a ${provider}/${type} id`);
  }
  return parsed;
}

export function parseCircuitId(id: string): ArmResourceId {
  return parseResourceId(id, 'Microsoft.Network', 'expressRouteCircuits');
}

export function formatArmId(parts: Omit<ArmResourceId, 'children'> & { children?: ArmResourceId['children'] }): string {
  const base =
    `/subscriptions/${parts.subscriptionId}/resourceGroups/${parts.resourceGroup}` +
    `/providers/${parts.provider}/${parts.type}/${parts.name}`;
  return base + (parts.children ?? []).map((c) => `/${c.type}/${c.name}`).join('');
}

export function formatCircuitId(subscriptionId: string, resourceGroup: string, name: string): string {
  return formatArmId({ subscriptionId, resourceGroup, provider: 'Microsoft.Network', type: 'expressRouteCircuits', name });
}

export function sameArmId(a: string, b: string): boolean {
  return a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();
}
