import type { BgpServiceCommunity } from '../../../network/types';
import type { KindContext, Refusal } from '../../change-kind';
import { parseCommunity } from '../../validators/community';

/** Whether two lists hold the same communities, in any order (a rule's communities are a set). */
export const sameCommunities = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x) => b.includes(x));

/** Read for route filter changes; undefined when the reader cannot list them (then nothing is approved). */
export async function readServiceCommunities(ctx: KindContext): Promise<BgpServiceCommunity[] | undefined> {
  if (!ctx.reader.listBgpServiceCommunities) return undefined;
  return (await ctx.reader.listBgpServiceCommunities(ctx.scope, {})).value;
}

/** Each community must have Microsoft's shape AND be one ARM currently serves. */
export function communitiesRefusal(
  communities: readonly string[],
  served: readonly BgpServiceCommunity[] | undefined,
): Refusal | undefined {
  const bad = communities.find((c) => parseCommunity(c) === undefined);
  if (bad !== undefined) {
    return {
      reason: `${bad.slice(0, 30)} is not a Microsoft BGP community (12076:5NNN for a service, 12076:5NNNN for a region).`,
      alternative: ['Pick communities from ', { say: 'filters' }, " or from Azure's BGP service communities list."],
    };
  }
  if (!served) {
    return {
      reason: 'The bot could not read the BGP service communities Azure offers, so it cannot check these values.',
      alternative: 'Try again in a few minutes.',
    };
  }
  const known = new Set(served.map((s) => s.value));
  const unknown = communities.filter((c) => !known.has(c));
  if (unknown.length > 0) {
    const examples = served
      .slice(0, 6)
      .map((s) => `${s.value} (${s.communityName})`)
      .join(', ');
    return {
      reason: `Azure offers no service or region with the communit${unknown.length === 1 ? 'y' : 'ies'} ${unknown.join(', ')}.`,
      alternative: `Use communities Azure lists for this subscription, e.g. ${examples}.`,
    };
  }
  return authorizationRefusal(communities, served);
}

/** ARM's serviceGroup of the Microsoft 365 communities (Exchange, SharePoint, Skype/Teams, other Office 365). */
const MICROSOFT_365_GROUP = 'o365';

export function isMicrosoft365(c: BgpServiceCommunity): boolean {
  return c.serviceGroup?.toLowerCase() === MICROSOFT_365_GROUP;
}

/**
 * ARM marks, per subscription, the communities it may use (isAuthorizedToUse). Microsoft 365 communities need
 * Microsoft's authorization of the subscription, so one is refused unless ARM says it is authorized; any other
 * community is refused only when ARM says outright that it is not.
 */
function authorizationRefusal(communities: readonly string[], served: readonly BgpServiceCommunity[]): Refusal | undefined {
  const byValue = new Map(served.map((s) => [s.value, s]));
  const denied = communities
    .map((c) => byValue.get(c))
    .filter((s): s is BgpServiceCommunity => s !== undefined)
    .filter((s) => (isMicrosoft365(s) ? s.isAuthorizedToUse !== true : s.isAuthorizedToUse === false));
  if (denied.length === 0) return undefined;
  const m365 = denied.some(isMicrosoft365);
  const names = denied.map((s) => `${s.value} (${s.communityName})`).join(', ');
  const rest = communities.filter((c) => !denied.some((s) => s.value === c));
  const them = denied.length === 1 ? 'it' : 'them';
  const without = rest.length > 0 ? ` or ask again without ${them} (${rest.join(', ')})` : ` or leave ${them} out`;
  return {
    reason: m365
      ? `This subscription is not authorized to use the Microsoft 365 communit${denied.length === 1 ? 'y' : 'ies'} ${names}: Azure's BGP service communities do not mark ${them} isAuthorizedToUse, and Microsoft 365 over ExpressRoute needs Microsoft's authorization.`
      : `This subscription is not authorized to use ${names}: Azure lists ${them} with isAuthorizedToUse false.`,
    alternative: m365
      ? `Ask your Microsoft account team to authorize the subscription for Microsoft 365 over ExpressRoute, then ask again;${without}. Microsoft 365 stays reachable over the internet meanwhile.`
      : `Ask Microsoft to authorize the subscription for ${them};${without}.`,
  };
}

export function communityLabels(communities: readonly string[], served: readonly BgpServiceCommunity[] | undefined): string {
  const names = new Map((served ?? []).map((s) => [s.value, s.communityName]));
  return communities.map((c) => (names.has(c) ? `${c} (${names.get(c)})` : c)).join(', ');
}
