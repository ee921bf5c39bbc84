import { z } from 'zod';
import { hintText } from '../../../command-names';
import { armIdName, formatNetworkId, sameArmId } from '../../../network/arm-id';
import type { BgpServiceCommunity, Circuit, RouteFilter } from '../../../network/types';
import type { ChangeKind, Refusal } from '../../change-kind';
import { declareFields, type FormPlan, schemaOf } from '../../kind-fields';
import { communitiesField, ResourceName } from '../shared/input-parts';
import { lookAtSessions } from '../shared/bgp-sessions';
import { peeringOf, show } from '../shared/peering-view';
import { guardedLook, readFor } from '../shared/verify-reads';
import { communitiesRefusal, communityLabels, readServiceCommunities, sameCommunities } from '../shared/service-communities';

export const DEFAULT_RULE_NAME = 'allow-communities';

/**
 * Route filters for Microsoft peering, as two steps on the same mechanism, each one ARM write bound to the
 * circuit's etag: `create` makes the filter (with its single Allow rule) in the circuit's resource group and
 * region; `attach` puts it on the circuit's Microsoft peering. Changing the communities of an existing filter
 * is the route-filter-rule kind, bound to the filter itself.
 */
export const ROUTE_FILTER_FIELDS = declareFields([
  {
    key: 'name',
    label: 'Route filter name',
    noun: "the route filter's name",
    shape: 'name',
    example: 'rf-m365',
    actions: ['create'],
    maxLength: 80,
    schema: ResourceName,
  },
  communitiesField(['create']),
  {
    key: 'routeFilter',
    label: 'Route filter',
    noun: hintText(['the route filter to attach (its name or ARM id; ', { say: 'filters' }, ' lists them)']),
    shape: 'resource',
    example: 'rf-m365',
    actions: ['attach'],
    schema: z.string().trim().min(1).max(400),
  },
]);
const s = schemaOf(ROUTE_FILTER_FIELDS);

export const RouteFilterInput = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('create'), name: s.name, communities: s.communities, ruleName: ResourceName.optional() }),
  z.strictObject({ action: z.literal('attach'), routeFilter: s.routeFilter }),
]);
export type RouteFilterInput = z.output<typeof RouteFilterInput>;

export interface RouteFilterFacts {
  filters?: RouteFilter[];
  communities?: BgpServiceCommunity[];
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** A filter by full id, or by name in the circuit's resource group first, then anywhere in the subscription. */
function findFilter(circuit: Circuit, filters: readonly RouteFilter[], ref: string): RouteFilter | undefined {
  if (ref.startsWith('/')) return filters.find((f) => sameArmId(f.id, ref));
  return filters.find((f) => same(f.name, ref) && same(f.resourceGroup, circuit.resourceGroup)) ?? filters.find((f) => same(f.name, ref));
}

function attachedTo(circuit: Circuit): string | undefined {
  return peeringOf(circuit, 'microsoft')?.routeFilterId;
}

/** Whether the circuit's Microsoft peering has this filter (by id, or by name) attached. */
function isAttached(circuit: Circuit, ref: string): boolean {
  const current = attachedTo(circuit);
  return current !== undefined && (ref.startsWith('/') ? sameArmId(current, ref) : same(armIdName(current), ref));
}

export const routeFilterKind: ChangeKind<RouteFilterInput, RouteFilterFacts> = {
  name: 'route-filter',
  title: 'Route filter',
  right: 'request',
  scope: 'circuit',
  fields: ROUTE_FILTER_FIELDS,
  syntax: [
    {
      command: 'filter',
      target: 'circuit',
      select: ['create', 'new', 'add'],
      preset: { action: 'create' },
      style: 'positional',
      order: ['name', 'communities'],
    },
    {
      command: 'filter',
      target: 'circuit',
      select: ['attach', 'apply'],
      preset: { action: 'attach' },
      style: 'positional',
      order: ['routeFilter'],
    },
  ],
  form(on, facts) {
    if (!('circuit' in on)) return [];
    const circuit = on.circuit;
    const ms = peeringOf(circuit, 'microsoft');
    const here = (facts.filters ?? []).filter((f) => same(f.location.replace(/\s+/g, ''), circuit.location.replace(/\s+/g, '')));
    const create: FormPlan = {
      id: 'route-filter-create',
      action: 'create',
      title: 'Create a route filter',
      summary: `Created in ${circuit.location} with one Allow rule. Communities are checked against the BGP service communities Azure lists.`,
      creating: true,
    };
    const unavailable = !ms
      ? `${circuit.name} has no Microsoft peering to attach a filter to; create it first.`
      : here.length === 0
        ? `No route filter in ${circuit.location} yet: create one first.`
        : undefined;
    const attach: FormPlan = {
      id: 'route-filter-attach',
      action: 'attach',
      title: 'Attach a route filter to Microsoft peering',
      summary: ms?.routeFilterId
        ? `Now ${armIdName(ms.routeFilterId)}. Replacing it withdraws services only the old filter allows.`
        : 'Microsoft starts advertising the filter’s services once it is attached.',
      choices: {
        routeFilter: here.map((f) => ({
          title: `${f.name} (${f.rules.flatMap((r) => r.communities).join(', ') || 'no communities'})`,
          value: f.id,
        })),
      },
      values: { routeFilter: here[0]?.id },
      ...(unavailable ? { unavailable } : {}),
    };
    return [create, attach];
  },
  input: RouteFilterInput,
  needsProvisioned: false,
  async gather(ctx, _circuit, input) {
    const filters = (await ctx.reader.listRouteFilters(ctx.scope, { fresh: true })).value;
    if (input.action !== 'create') return { filters };
    const communities = await readServiceCommunities(ctx);
    return communities ? { filters, communities } : { filters };
  },
  check(circuit, input, facts): Refusal | undefined {
    const filters = facts?.filters ?? [];
    if (input.action === 'create') {
      const clash = filters.find((f) => same(f.name, input.name) && same(f.resourceGroup, circuit.resourceGroup));
      if (clash) {
        return {
          reason: `A route filter called ${clash.name} already exists in ${circuit.resourceGroup}.`,
          alternative: [
            'Attach it (',
            { say: 'filter', args: [circuit.name, 'attach', clash.name] },
            '), change its communities (',
            { say: 'filter', args: [clash.name, 'communities', '<communities>'] },
            '), or pick another name.',
          ],
        };
      }
      return communitiesRefusal(input.communities, facts?.communities);
    }
    const ms = peeringOf(circuit, 'microsoft');
    if (!ms) {
      return {
        reason: `${circuit.name} has no Microsoft peering to attach a route filter to.`,
        alternative: [
          'Create the Microsoft peering first (a microsoft-peering change: the form of ',
          { say: 'change', args: [circuit.name] },
          ').',
        ],
      };
    }
    const filter = findFilter(circuit, filters, input.routeFilter);
    if (!filter) {
      return {
        reason: `There is no route filter ${input.routeFilter.slice(0, 80)} in this subscription.`,
        alternative: [
          'Create one first (',
          { say: 'filter', args: [circuit.name, 'create', '<name>', 'communities', '<communities>'] },
          '), or pick one from ',
          { say: 'filters' },
          '.',
        ],
      };
    }
    if (!same(filter.location.replace(/\s+/g, ''), circuit.location.replace(/\s+/g, ''))) {
      return {
        reason: `Route filter ${filter.name} is in ${filter.location}, but ${circuit.name} is in ${circuit.location}; a filter must be in the circuit's region.`,
        alternative: `Create a filter in ${circuit.location} with the same communities, and attach that one.`,
      };
    }
    if (ms.routeFilterId && same(ms.routeFilterId, filter.id)) {
      return { reason: `${filter.name} is already attached to ${circuit.name}'s Microsoft peering.`, alternative: 'Nothing to do.' };
    }
    return undefined;
  },
  describe(circuit, input, facts) {
    if (input.action === 'create') {
      return {
        diff: {
          [`Route filter ${input.name}`]: [
            '(none)',
            `in ${circuit.location}, rule ${input.ruleName ?? DEFAULT_RULE_NAME}: Allow ${communityLabels(input.communities, facts?.communities)}`,
          ],
        },
        impact: {
          downtime: 'none: a new filter changes nothing until it is attached',
          oneWay: false,
          billing: 'No change.',
          disruptive: false,
          notes: [
            hintText([
              'Attach it to the Microsoft peering (',
              { say: 'filter', args: [circuit.name, 'attach', input.name] },
              ') for Microsoft to advertise these services.',
            ]),
          ],
        },
      };
    }
    const current = attachedTo(circuit);
    const next = findFilter(circuit, facts?.filters ?? [], input.routeFilter);
    const name = next?.name ?? armIdName(input.routeFilter);
    return {
      diff: { 'Microsoft peering route filter': [show(current && armIdName(current)), name] },
      impact: {
        downtime: current
          ? 'possible: prefixes of services only the old filter allows are withdrawn'
          : "none: Microsoft starts advertising the filter's services",
        oneWay: false,
        billing: "Outbound data over Microsoft peering is billed as the circuit's plan bills it.",
        disruptive: current !== undefined,
        notes: next ? [`Communities: ${next.rules.flatMap((r) => r.communities).join(', ') || '(none)'}.`] : [],
      },
    };
  },
  patch(circuit, input) {
    if (input.action === 'create') {
      return {
        resource: 'routeFilter',
        name: input.name,
        location: circuit.location,
        ruleName: input.ruleName ?? DEFAULT_RULE_NAME,
        communities: input.communities,
      };
    }
    const id = input.routeFilter.startsWith('/') ? input.routeFilter : formatNetworkId(circuit, 'routeFilters', input.routeFilter);
    return {
      resource: 'circuitPeering',
      peeringName: peeringOf(circuit, 'microsoft')?.name ?? 'MicrosoftPeering',
      set: { routeFilterId: id },
    };
  },
  isApplied(circuit, input) {
    // A filter's creation does not show on the circuit; PUT is idempotent, so sending it again is harmless.
    return input.action === 'attach' && isAttached(circuit, input.routeFilter);
  },
  summary(circuit, input) {
    const ms = peeringOf(circuit, 'microsoft');
    return {
      ...(input.action === 'create' ? { 'Route filter': `${input.name} (created in ${circuit.location})` } : {}),
      'Microsoft peering': ms ? show(ms.state) : '(none)',
      'Attached route filter': show(ms?.routeFilterId && armIdName(ms.routeFilterId)),
    };
  },
  verify: {
    look: (ctx, input) =>
      guardedLook('the circuit', async () => {
        const circuit = await readFor('the circuit', () => ctx.target());
        if (input.action === 'create') {
          // A new filter changes nothing until it is attached: it only has to be there, as asked.
          const filters = await readFor('the route filters', () => ctx.reader.listRouteFilters(ctx.scope, { fresh: true }));
          const made = filters.value.find((f) => same(f.name, input.name) && same(f.resourceGroup, circuit.resourceGroup));
          const now = made?.rules.flatMap((r) => r.communities) ?? [];
          if (!made) return { healthy: false, why: `route filter ${input.name} is not in ${circuit.resourceGroup}` };
          if ((made.provisioningState ?? 'Succeeded') !== 'Succeeded') {
            return { healthy: false, why: `route filter ${made.name} is ${made.provisioningState}, not Succeeded` };
          }
          if (!sameCommunities(now, input.communities)) {
            return {
              healthy: false,
              why: `route filter ${made.name} allows ${now.join(', ') || 'no communities'}, not ${input.communities.join(', ')}`,
            };
          }
          return {
            healthy: true,
            evidence: `route filter ${made.name} exists (Succeeded) allowing ${now.join(', ')}; it is attached to nothing yet, so no BGP session was checked`,
          };
        }
        const ms = peeringOf(circuit, 'microsoft');
        if (!ms || !isAttached(circuit, input.routeFilter)) {
          const now = attachedTo(circuit);
          return {
            healthy: false,
            why: `Microsoft peering has ${now ? `route filter ${armIdName(now)}` : 'no route filter'}, not ${armIdName(input.routeFilter)}`,
          };
        }
        const sessions = await lookAtSessions(ctx.reader, { scope: ctx.scope, circuitId: circuit.id, peering: ms }, 'some');
        return sessions.healthy
          ? { healthy: true, evidence: `${armIdName(input.routeFilter)} is attached; ${sessions.evidence}` }
          : sessions;
      }),
  },
  undo(before, input) {
    if (input.action === 'create') {
      return {
        oneWay:
          'The bot has no change that deletes a route filter. A filter attached to no peering changes nothing; delete it in the Azure portal if it is not wanted.',
      };
    }
    const was = attachedTo(before);
    if (!was) {
      return {
        oneWay: `${before.name}'s Microsoft peering had no route filter before, and the bot has no change that detaches one: attach another filter, or detach it in the Azure portal.`,
      };
    }
    return { kind: 'route-filter', input: { action: 'attach', routeFilter: was } };
  },
};
