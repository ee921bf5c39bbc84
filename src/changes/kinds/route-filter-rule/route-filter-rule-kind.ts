import { z } from 'zod';
import { armIdName, parentArmId, sameArmId, subscriptionOfArmId } from '../../../network/arm-id';
import type { BgpServiceCommunity, RouteFilter } from '../../../network/types';
import type { VerifyContext, VerifyLook } from '../../change-kind';
import { declareFields, type FormPlan, schemaOf } from '../../kind-fields';
import type { ChangeKind, RouteFilterSubject } from '../../change-kind';
import { lookAtSessions } from '../shared/bgp-sessions';
import { communitiesField } from '../shared/input-parts';
import { guardedLook, readFor } from '../shared/verify-reads';
import { typedValue } from '../shared/typed-value';
import { DEFAULT_RULE_NAME } from '../route-filter/route-filter-kind';
import { communitiesRefusal, communityLabels, readServiceCommunities, sameCommunities } from '../shared/service-communities';

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

/** Microsoft peering receives prefixes again on both sessions, on every peering the filter is attached to. */
async function attachedPeeringsLook(ctx: VerifyContext<RouteFilterSubject>, filter: RouteFilterSubject): Promise<VerifyLook> {
  const seen = new Set<string>();
  const evidence: string[] = [];
  for (const peeringId of filter.peeringIds) {
    const circuitId = parentArmId(peeringId, 'expressRouteCircuits');
    if (!circuitId || seen.has(peeringId.toLowerCase())) continue;
    seen.add(peeringId.toLowerCase());
    const scope = { tenantId: ctx.scope.tenantId, subscriptionId: subscriptionOfArmId(circuitId) ?? ctx.scope.subscriptionId };
    const circuit = (await readFor(`circuit ${armIdName(circuitId)}`, () => ctx.reader.getCircuit(scope, circuitId, { fresh: true })))
      .value;
    const peering = circuit.peerings.find((p) => p.name.toLowerCase() === armIdName(peeringId).toLowerCase());
    if (!peering)
      return { healthy: false, why: `${circuit.name} no longer has the peering ${armIdName(peeringId)} the filter is attached to` };
    const sessions = await lookAtSessions(ctx.reader, { scope, circuitId, peering }, 'some');
    if (!sessions.healthy) return { healthy: false, why: `on ${circuit.name}: ${sessions.why}` };
    evidence.push(`on ${circuit.name}: ${sessions.evidence}`);
  }
  return { healthy: true, evidence: evidence.join('; ') || 'it is attached to no peering, so no BGP session was checked' };
}

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
    if (sameCommunities(current(filter), input.communities)) {
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
    return sameCommunities(current(filter), input.communities);
  },
  summary(filter) {
    return {
      'Route filter': filter.name,
      Rule: ruleName(filter),
      Communities: current(filter).join(', ') || '(none)',
      'Provisioning state': filter.provisioningState,
    };
  },
  verify: {
    look: (ctx, input) =>
      guardedLook('the route filter', async () => {
        const filter = await readFor('the route filter', () => ctx.target());
        const now = current(filter);
        if (filter.provisioningState !== 'Succeeded') {
          return {
            healthy: false,
            why: `route filter ${filter.name} is ${filter.provisioningState || 'in an unknown state'}, not Succeeded`,
          };
        }
        if (!sameCommunities(now, input.communities)) {
          return {
            healthy: false,
            why: `route filter ${filter.name} allows ${now.join(', ') || 'no communities'}, not ${input.communities.join(', ')}`,
          };
        }
        const peerings = await attachedPeeringsLook(ctx, filter);
        return peerings.healthy
          ? { healthy: true, evidence: `route filter ${filter.name} allows ${now.join(', ')} (Succeeded); ${peerings.evidence}` }
          : peerings;
      }),
  },
  undo(filter) {
    const was = current(filter);
    if (was.length === 0) {
      return {
        oneWay: `${filter.name} allowed no communities before this change, and its Allow rule needs at least one: remove the rule in the Azure portal, or detach the filter.`,
      };
    }
    return { kind: 'route-filter-rule', input: { communities: typedValue(was) } };
  },
};
