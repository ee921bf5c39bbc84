/**
 * Shape checks for the references a user types (circuits, customers, route tables; IP prefixes are
 * network/ip-prefix's). They run on chat text and on card data alike, before anything reaches a resolver or
 * an ARM URL. Each returns a problem sentence, or undefined if the reference is well formed.
 */
import { formatArmId, looksLikeArmId, tryParseArmId } from '../network/arm-id';
import { ALERT_ID_PATTERN, SILENCE_ID_PATTERN } from '../alerts/alert';

const GUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** ARM resource names: letters, digits, `._-`; no leading or trailing dot. */
const NAME = '[A-Za-z0-9_](?:[A-Za-z0-9._-]{0,78}[A-Za-z0-9_-])?';
/** Resource groups may hold unicode letters and parentheses. */
const RESOURCE_GROUP = '[\\p{L}\\p{N}_()-](?:[\\p{L}\\p{N}._()-]{0,88}[\\p{L}\\p{N}_()-])?';
const whole = (part: string) => new RegExp(`^${part}$`, 'iu');
const [ID_SUBSCRIPTION, ID_RESOURCE_GROUP, ID_NAME] = [whole(GUID), whole(RESOURCE_GROUP), whole(NAME)];

/** A `provider/type` resource id exactly as typed (no spaces, no trailing slash, no children), its parts in ARM's shapes. */
function isResourceId(s: string, provider: string, type: string): boolean {
  const id = tryParseArmId(s);
  return (
    id !== undefined &&
    id.children.length === 0 &&
    id.provider.toLowerCase() === provider.toLowerCase() &&
    id.type.toLowerCase() === type.toLowerCase() &&
    formatArmId(id).toLowerCase() === s.toLowerCase() &&
    ID_SUBSCRIPTION.test(id.subscriptionId) &&
    ID_RESOURCE_GROUP.test(id.resourceGroup) &&
    ID_NAME.test(id.name)
  );
}

const isNetworkId = (s: string, type: string) => isResourceId(s, 'Microsoft.Network', type);

export const isCircuitId = (s: string): boolean => isNetworkId(s, 'expressRouteCircuits');
export const isRouteTableId = (s: string): boolean => isNetworkId(s, 'routeTables');
export const isRouteFilterId = (s: string): boolean => isNetworkId(s, 'routeFilters');
export const RESOURCE_NAME_PATTERN = new RegExp(`^${NAME}$`);
/** The customer half of `customer/name`: a customer id, or a one-word customer name. */
const CUSTOMER_WORD = /^[\p{L}\p{N}][\p{L}\p{N}._-]{0,99}$/u;
/** A customer id or name as typed; names may have spaces and a little punctuation ("Contoso Ltd."). */
const CUSTOMER_NAME = /^[\p{L}\p{N}][\p{L}\p{N}\p{M} ._&'’,()+-]{0,99}$/u;

const NAME_RULE = "names use only letters A–Z, digits, '.', '_' and '-' (1–80 characters)";

function looksLikePath(s: string): boolean {
  return /\.\.|%|\\|^~|\/\/|^\/(?!subscriptions\/)/i.test(s);
}

function pathProblem(s: string, what: string): string | undefined {
  return looksLikePath(s) ? `'${clip(s)}' looks like a file path or encoded text, not ${what}` : undefined;
}

export function clip(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function customerNameProblem(s: string): string | undefined {
  if (CUSTOMER_NAME.test(s) && !s.includes('..')) return undefined;
  return `'${clip(s)}' isn't a customer id or name`;
}

/** A circuit: its name, `customer/name`, or a full ARM id. */
export function circuitRefProblem(s: string): string | undefined {
  if (isCircuitId(s)) return undefined;
  if (looksLikeArmId(s)) {
    return `'${clip(s)}' isn't an ExpressRoute circuit id (/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Network/expressRouteCircuits/<name>)`;
  }
  const path = pathProblem(s, 'a circuit');
  if (path) return path;
  const slash = s.indexOf('/');
  if (slash >= 0) {
    const customer = s.slice(0, slash);
    const name = s.slice(slash + 1);
    if (!CUSTOMER_WORD.test(customer)) return `'${clip(customer)}' isn't a customer id (use customer/name, e.g. contoso/er1)`;
    if (!RESOURCE_NAME_PATTERN.test(name)) return `'${clip(name)}' isn't a circuit name: ${NAME_RULE}`;
    return undefined;
  }
  if (!RESOURCE_NAME_PATTERN.test(s)) return `'${clip(s)}' isn't a circuit name: ${NAME_RULE}`;
  return undefined;
}

export function customerRefProblem(s: string): string | undefined {
  return pathProblem(s, 'a customer') ?? customerNameProblem(s);
}

/** `status`'s target: a customer (id or name) or a circuit. */
export function customerOrCircuitProblem(s: string): string | undefined {
  if (circuitRefProblem(s) === undefined || customerRefProblem(s) === undefined) return undefined;
  if (looksLikeArmId(s) || s.includes('/')) return circuitRefProblem(s);
  return pathProblem(s, 'a customer or circuit') ?? `'${clip(s)}' isn't a customer or circuit name`;
}

/** `udr`'s target: a customer, a route table name, `customer/table`, or a route table's ARM id. */
export function customerOrRouteTableProblem(s: string): string | undefined {
  if (isRouteTableId(s)) return undefined;
  if (looksLikeArmId(s)) {
    return `'${clip(s)}' isn't a route table id (/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Network/routeTables/<name>)`;
  }
  const path = pathProblem(s, 'a customer or route table');
  if (path) return path;
  if (s.includes('/')) {
    const [customer = '', name = ''] = [s.slice(0, s.indexOf('/')), s.slice(s.indexOf('/') + 1)];
    if (CUSTOMER_WORD.test(customer) && RESOURCE_NAME_PATTERN.test(name)) return undefined;
    return `'${clip(s)}' isn't customer/route-table (e.g. contoso/rt-firewall)`;
  }
  if (RESOURCE_NAME_PATTERN.test(s) || customerRefProblem(s) === undefined) return undefined;
  return `'${clip(s)}' isn't a customer or route table name`;
}

/** A name, or `customer/name`, of any resource (circuit, route table, route filter). */
function nameRefProblem(s: string, what: string): string | undefined {
  const path = pathProblem(s, what);
  if (path) return path;
  const slash = s.indexOf('/');
  if (slash >= 0) {
    const customer = s.slice(0, slash);
    const name = s.slice(slash + 1);
    if (!CUSTOMER_WORD.test(customer)) return `'${clip(customer)}' isn't a customer id (use customer/name, e.g. contoso/rt-firewall)`;
    if (!RESOURCE_NAME_PATTERN.test(name)) return `'${clip(name)}' isn't a ${what} name: ${NAME_RULE}`;
    return undefined;
  }
  return RESOURCE_NAME_PATTERN.test(s) ? undefined : `'${clip(s)}' isn't a ${what} name: ${NAME_RULE}`;
}

/** A route table: its name, `customer/name`, or its ARM id. */
export function routeTableRefProblem(s: string): string | undefined {
  if (isRouteTableId(s)) return undefined;
  if (looksLikeArmId(s)) {
    return `'${clip(s)}' isn't a route table id (/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Network/routeTables/<name>)`;
  }
  return nameRefProblem(s, 'route table');
}

/** A NIC or a VM: its name, `customer/name`, or its ARM id (a NIC's, or a VM's: its primary NIC is read). */
export function nicOrVmRefProblem(s: string): string | undefined {
  if (isNetworkId(s, 'networkInterfaces') || isResourceId(s, 'Microsoft.Compute', 'virtualMachines')) return undefined;
  if (looksLikeArmId(s)) {
    return `'${clip(s)}' isn't the ARM id of a network interface (Microsoft.Network/networkInterfaces) or a VM (Microsoft.Compute/virtualMachines)`;
  }
  return nameRefProblem(s, 'NIC or VM');
}

/** What a change applies to: a circuit, a route table or a route filter, by name, `customer/name` or ARM id. */
export function changeTargetProblem(s: string): string | undefined {
  if (isCircuitId(s) || isRouteTableId(s) || isRouteFilterId(s)) return undefined;
  if (looksLikeArmId(s)) {
    return `'${clip(s)}' isn't the ARM id of an ExpressRoute circuit, a route table or a route filter`;
  }
  return nameRefProblem(s, 'circuit, route table or route filter');
}

/** Change request ids look like CR-7F3K2QX (any case as typed). */
export function requestIdProblem(s: string): string | undefined {
  return /^CR-[0-9A-Z]{5,12}$/i.test(s) ? undefined : `'${clip(s, 40)}' isn't a change request id (they look like CR-7F3K2QX)`;
}

/** Alert ids look like AL-7F3K2QX (any case as typed). */
export function alertIdProblem(s: string): string | undefined {
  return ALERT_ID_PATTERN.test(s.toUpperCase()) ? undefined : `'${clip(s, 40)}' isn't an alert id (they look like AL-7F3K2QX)`;
}

/** Silence ids look like SI-7F3K2QX (any case as typed). */
export function silenceIdProblem(s: string): string | undefined {
  return SILENCE_ID_PATTERN.test(s.toUpperCase()) ? undefined : `'${clip(s, 40)}' isn't a silence id (they look like SI-7F3K2QX)`;
}
