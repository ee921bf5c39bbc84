import type { Json } from './resource-store';
import { obj, props, reject, str, type WriteAttempt, type WriteRule } from './write-rule';

/**
 * What Network RP enforces on route filters for Microsoft peering beyond their shape (write-rules.ts): a rule
 * may only allow BGP communities the subscription is authorized to use. ARM marks them, per subscription, in
 * the BGP service communities list (`isAuthorizedToUse`); Microsoft 365 communities (serviceGroup O365) are
 * authorized only once Microsoft has approved the subscription for Microsoft 365 over ExpressRoute. Azure
 * documents no error code for the refusal, so the simulator answers with a 400 and a code of its own.
 *
 * A private peer ASN is not refused here: Azure accepts it on Microsoft peering, with manual validation.
 */

const ROUTE_FILTERS = 'microsoft.network/routefilters';
const ROUTE_FILTER_RULES = 'microsoft.network/routefilters/routefilterrules';

const list = (v: unknown): Json[] => (Array.isArray(v) ? v.map(obj) : []);

interface ServedCommunity {
  value: string;
  name: string;
  group: string;
  authorized: boolean;
}

/** The subscription's BGP service communities, as the fleet serves them; empty when it serves none. */
function servedCommunities(a: WriteAttempt): Map<string, ServedCommunity> {
  const served = new Map<string, ServedCommunity>();
  const subscription = /^\/subscriptions\/([^/]+)\//i.exec(a.id)?.[1];
  if (!subscription) return served;
  // A list whose items carry their ids is stored item by item; any other list body verbatim.
  const path = `/subscriptions/${subscription}/providers/Microsoft.Network/bgpServiceCommunities`;
  const services = [...a.store.listCollection(path), ...list(a.store.body(path)?.value)];
  for (const service of services) {
    for (const c of list(props(service).bgpCommunities)) {
      const value = str(c.communityValue);
      if (value === undefined) continue;
      served.set(value, {
        value,
        name: str(c.communityName) ?? value,
        group: str(c.serviceGroup) ?? '',
        authorized: c.isAuthorizedToUse !== false,
      });
    }
  }
  return served;
}

function communitiesOf(rule: Json): string[] {
  const communities: unknown = props(rule).communities;
  return Array.isArray(communities) ? communities.filter((c): c is string => typeof c === 'string') : [];
}

const communitiesAuthorized: WriteRule = (a) => {
  if (a.method === 'DELETE' || !a.proposed) return undefined;
  const rules = a.type === ROUTE_FILTER_RULES ? [a.proposed] : a.type === ROUTE_FILTERS ? list(props(a.proposed).rules) : [];
  const wanted = rules.flatMap(communitiesOf);
  if (wanted.length === 0) return undefined;
  const served = servedCommunities(a);
  const denied = wanted.map((c) => served.get(c)).find((c) => c !== undefined && !c.authorized);
  if (!denied) return undefined;
  const m365 = denied.group.toLowerCase() === 'o365' ? ' Microsoft 365 communities need Microsoft to authorize the subscription.' : '';
  return reject(
    'BgpCommunityNotAuthorized',
    `Subscription is not authorized to use BGP community '${denied.value}' (${denied.name}) in route filter rules.${m365}`,
  );
};

export const MICROSOFT_PEERING_WRITE_RULES: readonly WriteRule[] = [communitiesAuthorized];
