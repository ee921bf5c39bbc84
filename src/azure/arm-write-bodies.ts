import type {
  ExpressRouteCircuit,
  ExpressRouteCircuitPeering,
  Ipv6ExpressRouteCircuitPeeringConfig,
  RouteFilter,
  RouteTable,
} from '@azure/arm-network';
import type { RelatedWrite } from '../changes/arm-body-builder';
import type { DomainPatch } from '../changes/change-kind';
import { CodedError, ErrorCode } from '../errors';
import { childArmId, formatNetworkId, parseArmId } from '../network/arm-id';
import { parsePrefix } from '../network/ip-prefix';

type Method = 'PUT' | 'DELETE';
export interface RelatedBody {
  method: Method;
  body: RelatedWrite;
}

const same = (a: string | undefined, b: string) => (a ?? '').toLowerCase() === b.toLowerCase();

function object(body: unknown, what: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new CodedError(ErrorCode.Internal, `The ${what} body to write is not an object.`, {
      hint: 'Tell the bot owners; the stored change request looks damaged.',
    });
  }
  return body as Record<string, unknown>;
}

/** ARM computes these on every resource; keeping them out makes the stored body (and its hash) only what we ask for. */
function dropComputed<T extends object>(model: T): T {
  const m = model as Record<string, unknown>;
  for (const k of [
    'etag',
    'provisioningState',
    'type',
    'lastModifiedBy',
    'stats',
    'connections',
    'peeredConnections',
    'gatewayManagerEtag',
    'azureASN',
    'primaryAzurePort',
    'secondaryAzurePort',
    'expressRouteConnection',
  ])
    delete m[k];
  return model;
}

const isIPv6 = (prefix: string | undefined): boolean => {
  const parsed = prefix === undefined ? undefined : parsePrefix(prefix);
  return parsed?.ok === true && parsed.prefix.version === 6;
};

/** PUT body of one peering: its current model (which carries the MD5 key ARM returned) with the patch over it. */
function peeringBody(circuit: ExpressRouteCircuit, patch: Extract<DomainPatch, { resource: 'circuitPeering' }>): RelatedBody {
  const existing = (circuit.peerings ?? []).find((p) => same(p.name, patch.peeringName) || same(p.peeringType, patch.peeringName));
  const model: ExpressRouteCircuitPeering = dropComputed(
    existing ? structuredClone(existing) : { name: patch.peeringName, peeringType: patch.peeringName },
  );
  const s = patch.set;
  if (s.vlanId !== undefined) model.vlanId = s.vlanId;
  if (s.peerAsn !== undefined) model.peerASN = s.peerAsn;
  if (s.state !== undefined) model.state = s.state;
  // The IPv6 side (its link subnets and Microsoft peering config) lives in ipv6PeeringConfig; the top-level
  // fields are IPv4 only. A change is one family or the other, so the other family's fields stay as ARM has them.
  const v6 = isIPv6(s.primaryPeerAddressPrefix ?? s.secondaryPeerAddressPrefix ?? s.advertisedPublicPrefixes?.[0]);
  const side: Ipv6ExpressRouteCircuitPeeringConfig = v6 ? { ...model.ipv6PeeringConfig } : model;
  if (s.primaryPeerAddressPrefix !== undefined) side.primaryPeerAddressPrefix = s.primaryPeerAddressPrefix;
  if (s.secondaryPeerAddressPrefix !== undefined) side.secondaryPeerAddressPrefix = s.secondaryPeerAddressPrefix;
  if (s.advertisedPublicPrefixes !== undefined || s.customerAsn !== undefined || s.routingRegistryName !== undefined) {
    const ms = { ...side.microsoftPeeringConfig };
    if (s.advertisedPublicPrefixes !== undefined) ms.advertisedPublicPrefixes = [...s.advertisedPublicPrefixes];
    if (s.customerAsn !== undefined) ms.customerASN = s.customerAsn;
    if (s.routingRegistryName !== undefined) ms.routingRegistryName = s.routingRegistryName;
    side.microsoftPeeringConfig = ms;
  }
  if (v6) model.ipv6PeeringConfig = side;
  if (s.routeFilterId !== undefined) model.routeFilter = { id: s.routeFilterId };
  if (patch.sharedKey === null) delete model.sharedKey;
  else if (patch.sharedKey !== undefined) model.sharedKey = patch.sharedKey;
  return {
    method: 'PUT',
    body: { $write: { resourceId: childArmId(circuit.id ?? '', 'peerings', model.name ?? patch.peeringName) }, model },
  };
}

/** The ARM request for a patch that writes something other than the target itself. */
export function relatedBody(patch: Exclude<DomainPatch, { resource: 'expressRouteCircuit' }>, rawTarget: unknown): RelatedBody {
  switch (patch.resource) {
    case 'circuitPeering':
      return peeringBody(object(rawTarget, 'circuit'), patch);
    case 'circuitAuthorization': {
      const circuit = object(rawTarget, 'circuit') as ExpressRouteCircuit;
      const resourceId = childArmId(circuit.id ?? '', 'authorizations', patch.name);
      return patch.action === 'create'
        ? { method: 'PUT', body: { $write: { resourceId }, model: { name: patch.name } } }
        : { method: 'DELETE', body: { $write: { resourceId } } };
    }
    case 'routeFilter': {
      const circuit = object(rawTarget, 'circuit') as ExpressRouteCircuit;
      const model: RouteFilter = {
        location: patch.location,
        rules: [{ name: patch.ruleName, access: 'Allow', routeFilterRuleType: 'Community', communities: [...patch.communities] }],
      };
      return {
        method: 'PUT',
        body: { $write: { resourceId: formatNetworkId(parseArmId(circuit.id ?? ''), 'routeFilters', patch.name) }, model },
      };
    }
    case 'routeFilterRule': {
      const filter = object(rawTarget, 'route filter') as RouteFilter;
      const model = { access: 'Allow', routeFilterRuleType: 'Community', communities: [...patch.communities] };
      return {
        method: 'PUT',
        body: { $write: { resourceId: `${filter.id ?? patch.routeFilterId}/routeFilterRules/${patch.ruleName}` }, model },
      };
    }
    case 'routeTableRoute': {
      const table = object(rawTarget, 'route table') as RouteTable;
      const resourceId = `${table.id ?? ''}/routes/${patch.name}`;
      if (patch.action === 'delete') return { method: 'DELETE', body: { $write: { resourceId } } };
      // A route's domain properties are ARM's own names: sent as they are.
      const model = { ...patch.route };
      return { method: 'PUT', body: { $write: { resourceId }, model } };
    }
  }
}
