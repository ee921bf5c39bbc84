import { z } from 'zod';
import { armIdName, sameArmId } from '../../../network/arm-id';
import type { BgpServiceCommunity, RouteFilter } from '../../../network/types';
import { declareFields, type FormPlan, schemaOf } from '../../kind-fields';
import type { ChangeKind, RouteFilterSubject } from '../../change-kind';
import { communitiesField } from '../shared/input-parts';
import { DEFAULT_RULE_NAME } from '../route-filter/route-filter-kind';
import { communitiesRefusal, communityLabels, readServiceCommunities } from '../shared/service-communities';

/** Sets the BGP communities of a route filter's single Allow rule (creating the rule if it has none). */
export const ROUTE_FILTER_RULE_FIELDS = declareFields([communitiesField()]);
export const RouteFilterRuleInput = z.strictObject(schemaOf(ROUTE_FILTER_RULE_FIELDS));

function ruleSection(filter: Pick<RouteFilter, 'id' | 'name' | 'rules'>, title?: string): FormPlan {
  const now = filter.rules.flatMap((r) => r.communities);
  return {
    targetId: filter.id,
    ...(title ? { title } : {}),
    summary: `Now ${now.join(', ') || 'no communities'}. The filter’s single Allow rule gets exactly the communities given; removing one withdraws that service.`,
    creating: true,
    values: { communities: now.length > 0 ? now.join(', ') : undefined },
  };
}
export type RouteFilterRuleInput = z.output<typeof RouteFilterRuleInput>;

const ruleName = (f: RouteFilterSubject) => f.rules[0]?.name ?? DEFAULT_RULE_NAME;
const current = (f: RouteFilterSubject) => f.rules[0]?.communities ?? [];
const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

export const routeFilterRuleKind: ChangeKind<RouteFilterRuleInput, { communities?: BgpServiceCommunity[] }, RouteFilterSubject> = {
  name: 'route-filter-rule',
  title: 'Route filter communities',
  right: 'request',
  scope: 'circuit',
  target: 'routeFilter',
  fields: ROUTE_FILTER_RULE_FIELDS,
  syntax: [
    { command: 'filter', target: 'changeTarget', select: ['communities', 'community', 'set'], style: 'positional', order: ['communities'] },
  ],
  form(on, facts) {
    if ('routeFilter' in on) return [ruleSection(on.routeFilter)];
    if (!('circuit' in on)) return [];
    const id = on.circuit.peerings.find((p) => p.kind === 'microsoft')?.routeFilterId;
    if (!id) return [];
    const filter = (facts.filters ?? []).find((f) => sameArmId(f.id, id));
    return [ruleSection(filter ?? { id, name: armIdName(id), rules: [] }, `Route filter communities of ${filter?.name ?? armIdName(id)}`)];
  },
  input: RouteFilterRuleInput,
  needsProvisioned: false,
  async gather(ctx) {
    const communities = await readServiceCommunities(ctx);
    return communities ? { communities } : {};
  },
  check(filter, input, facts) {
    if (filter.rules.length > 1) {
      return {
        reason: `${filter.name} has ${filter.rules.length} rules; ExpressRoute route filters allow exactly one.`,
        alternative: 'Fix the filter in the Azure portal (keep one Allow rule), then ask again.',
      };
    }
    if (sameSet(current(filter), input.communities)) {
      return { reason: `${filter.name} already allows exactly these communities.`, alternative: 'Nothing to do.' };
    }
    return communitiesRefusal(input.communities, facts?.communities);
  },
  describe(filter, input, facts) {
    const removed = current(filter).filter((c) => !input.communities.includes(c));
    return {
      diff: {
        [`${filter.name} communities`]: [
          communityLabels(current(filter), facts?.communities) || '(none)',
          communityLabels(input.communities, facts?.communities),
        ],
      },
      impact: {
        downtime: removed.length
          ? `expected for ${removed.join(', ')}: Microsoft withdraws those services' prefixes`
          : 'none: more services are advertised',
        oneWay: false,
        billing: 'No change.',
        disruptive: removed.length > 0 && filter.peeringIds.length > 0,
        notes: filter.peeringIds.length
          ? [`Attached to ${filter.peeringIds.length} peering(s); the change applies to them at once.`]
          : ['Not attached to any peering yet.'],
      },
    };
  },
  patch(filter, input) {
    return { resource: 'routeFilterRule', routeFilterId: filter.id, ruleName: ruleName(filter), communities: input.communities };
  },
  isApplied(filter, input) {
    return sameSet(current(filter), input.communities);
  },
  summary(filter) {
    return {
      'Route filter': filter.name,
      Rule: ruleName(filter),
      Communities: current(filter).join(', ') || '(none)',
      'Provisioning state': filter.provisioningState,
    };
  },
};
