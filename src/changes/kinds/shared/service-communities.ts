import type { BgpServiceCommunity } from '../../../network/types';
import type { KindContext, Refusal } from '../../change-kind';
import { parseCommunity } from '../../validators/community';

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
  return undefined;
}

export function communityLabels(communities: readonly string[], served: readonly BgpServiceCommunity[] | undefined): string {
  const names = new Map((served ?? []).map((s) => [s.value, s.communityName]));
  return communities.map((c) => (names.has(c) ? `${c} (${names.get(c)})` : c)).join(', ');
}
