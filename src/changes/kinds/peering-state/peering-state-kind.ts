import { z } from 'zod';
import { type Circuit, DEVICE_PATHS, PEERING_ARM_NAME, type Peering } from '../../../network/types';
import type { ChangeKind, KindContext } from '../../change-kind';
import { declareFields, labelsOf, schemaOf } from '../../kind-fields';
import { oneOf } from '../shared/input-parts';
import { PEERING_ALIASES, PEERING_CHOICES, PEERING_WORDS } from '../shared/peering-words';
import { lookAtSessions } from '../shared/bgp-sessions';
import { peeringOf, peeringSummary, show } from '../shared/peering-view';
import { guardedLook, readFor } from '../shared/verify-reads';

/** A peering's admin state, and the other words for it. */
const ADMIN_STATES = ['Enabled', 'Disabled'] as const;
const ADMIN_STATE_ALIASES = { enable: 'Enabled', on: 'Enabled', disable: 'Disabled', off: 'Disabled' } as const;

/** Which peering, and the state it should be in: typed `peering <circuit> private disable`. */
export const PEERING_STATE_FIELDS = declareFields([
  {
    key: 'peering',
    label: 'Peering',
    noun: 'the peering',
    shape: 'choice',
    choices: PEERING_CHOICES,
    aliases: PEERING_ALIASES,
    example: 'private',
    schema: oneOf(PEERING_CHOICES, PEERING_ALIASES),
  },
  {
    key: 'state',
    label: 'State',
    noun: 'enable or disable',
    shape: 'choice',
    choices: ADMIN_STATES,
    aliases: ADMIN_STATE_ALIASES,
    example: 'disable',
    schema: oneOf(ADMIN_STATES, ADMIN_STATE_ALIASES),
  },
]);
const LABELS = labelsOf(PEERING_STATE_FIELDS);

export const PeeringStateInput = z.strictObject(schemaOf(PEERING_STATE_FIELDS));
export type PeeringStateInput = z.output<typeof PeeringStateInput>;

/** What says a peering carries traffic, read when disabling it. Unknown (a read failed) counts as carrying. */
export interface PeeringTraffic {
  bgpUp?: boolean;
  routesReceived?: number;
  bytes?: number;
  circuitBps?: number;
  unknown?: string;
}

async function traffic(ctx: KindContext, circuit: Circuit, peering: Peering): Promise<PeeringTraffic> {
  const facts: PeeringTraffic = {};
  try {
    let routes = 0;
    let up = false;
    for (const path of DEVICE_PATHS) {
      const neighbours = await ctx.reader.listBgpNeighbours(ctx.scope, circuit.id, peering.name, path, { fresh: true });
      for (const n of neighbours.value) {
        const count = Number.parseInt(n.statePfxRcd, 10);
        if (Number.isFinite(count)) {
          up = true;
          routes += count;
        }
      }
    }
    facts.bgpUp = up;
    facts.routesReceived = routes;
  } catch (e) {
    facts.unknown = `BGP state could not be read (${e instanceof Error ? e.message.slice(0, 120) : 'error'})`;
  }
  if (peering.stats) {
    const s = peering.stats;
    facts.bytes = s.primaryBytesIn + s.primaryBytesOut + s.secondaryBytesIn + s.secondaryBytesOut;
  }
  // Utilisation is measured per circuit; it speaks for this peering only when it is the only one.
  if (circuit.peerings.length === 1) {
    try {
      const usage = await ctx.reader.getBandwidthUsage(ctx.scope, circuit.id, 15 * 60_000);
      facts.circuitBps = usage.value.links.reduce((sum, l) => sum + l.averageBps, 0);
    } catch {
      // BGP state decides; a missing metric is not a reason to refuse.
    }
  }
  return facts;
}

export function carriesTraffic(t: PeeringTraffic | undefined): boolean {
  if (!t || t.unknown !== undefined) return true;
  return t.bgpUp === true || (t.routesReceived ?? 0) > 0 || (t.bytes ?? 0) > 0 || (t.circuitBps ?? 0) > 0;
}

function evidence(t: PeeringTraffic | undefined): string {
  if (!t) return 'its traffic was not checked';
  if (t.unknown) return `${t.unknown}, so it is assumed to carry traffic`;
  const parts: string[] = [];
  if (t.bgpUp) parts.push(`BGP is up with ${t.routesReceived ?? 0} routes received`);
  if ((t.bytes ?? 0) > 0) parts.push('its byte counters are moving');
  if ((t.circuitBps ?? 0) > 0) parts.push('the circuit shows traffic');
  return parts.join('; ') || 'no traffic seen';
}

export const peeringStateKind: ChangeKind<PeeringStateInput, PeeringTraffic> = {
  name: 'peering-state',
  title: 'Peering enable/disable',
  right: 'request',
  scope: 'circuit',
  fields: PEERING_STATE_FIELDS,
  syntax: PEERING_CHOICES.map((peering) => ({
    command: 'peering' as const,
    target: 'circuit' as const,
    select: PEERING_WORDS[peering],
    preset: { peering },
    style: 'positional' as const,
    order: ['state'],
  })),
  form(on) {
    if (!('circuit' in on)) return [];
    const peerings = on.circuit.peerings.filter((p) => p.kind === 'private' || p.kind === 'microsoft');
    const first = peerings[0];
    return [
      {
        summary:
          'For maintenance. Disabling a peering that carries traffic stops it (the request is marked disruptive) and always needs someone else’s approval.',
        choices: {
          peering: peerings.map((p) => ({
            title: `${p.kind === 'private' ? 'Private' : 'Microsoft'} (${p.state ?? 'Enabled'})`,
            value: p.kind,
          })),
          state: [
            { title: 'Disabled (BGP sessions down)', value: 'Disabled' },
            { title: 'Enabled', value: 'Enabled' },
          ],
        },
        values: { peering: first?.kind, state: first?.state === 'Disabled' ? 'Enabled' : 'Disabled' },
        ...(first ? {} : { unavailable: `${on.circuit.name} has no peerings yet.` }),
      },
    ];
  },
  input: PeeringStateInput,
  // Disabling for maintenance must stay possible on a circuit the provider is de-provisioning.
  needsProvisioned: false,
  async gather(ctx, circuit, input) {
    const p = peeringOf(circuit, input.peering);
    if (!p || input.state !== 'Disabled') return {};
    return traffic(ctx, circuit, p);
  },
  check(circuit, input) {
    const p = peeringOf(circuit, input.peering);
    if (!p) {
      return {
        reason: `${circuit.name} has no ${PEERING_ARM_NAME[input.peering]}.`,
        alternative: [
          `Create it first (a ${input.peering}-peering change: the form of `,
          { say: 'change', args: [circuit.name] },
          '); ',
          { say: 'peerings', args: [circuit.name] },
          ' lists what exists.',
        ],
      };
    }
    if ((p.state ?? 'Enabled') === input.state) {
      return { reason: `${p.name} on ${circuit.name} is already ${input.state}.`, alternative: 'Nothing to do.' };
    }
    return undefined;
  },
  describe(circuit, input, facts) {
    const p = peeringOf(circuit, input.peering);
    const name = p?.name ?? PEERING_ARM_NAME[input.peering];
    const disabling = input.state === 'Disabled';
    const disruptive = disabling && carriesTraffic(facts);
    return {
      // The state field's label, named for the peering it is of: "AzurePrivatePeering state".
      diff: { [`${name} ${LABELS.state.toLowerCase()}`]: [show(p?.state ?? 'Enabled'), input.state] },
      impact: {
        downtime: disabling
          ? `expected: both BGP sessions of ${name} go down and traffic over it stops until it is enabled again`
          : `none: ${name}'s BGP sessions come up again once your routers answer`,
        oneWay: false,
        billing: 'No change.',
        disruptive,
        notes: disabling
          ? [`Traffic check: ${evidence(facts)}.`, 'Even with one approval required, someone other than you must approve it.']
          : [],
      },
    };
  },
  patch(circuit, input) {
    return {
      resource: 'circuitPeering',
      peeringName: peeringOf(circuit, input.peering)?.name ?? PEERING_ARM_NAME[input.peering],
      set: { state: input.state },
    };
  },
  isApplied(circuit, input) {
    return peeringOf(circuit, input.peering)?.state === input.state;
  },
  summary: (circuit, input) => peeringSummary(circuit, input.peering),
  // Disabled: the peering reads Disabled. Enabled: it reads Enabled and both BGP sessions are up again.
  verify: {
    look: (ctx, input) =>
      guardedLook('the circuit', async () => {
        const circuit = await readFor('the circuit', () => ctx.target());
        const p = peeringOf(circuit, input.peering);
        const name = p?.name ?? PEERING_ARM_NAME[input.peering];
        const now = p?.state ?? 'Enabled';
        if (!p || now !== input.state) return { healthy: false, why: `${name} reads ${p ? now : 'missing'}, not ${input.state}` };
        if (input.state === 'Disabled') return { healthy: true, evidence: `${name} reads Disabled` };
        const sessions = await lookAtSessions(ctx.reader, { scope: ctx.scope, circuitId: circuit.id, peering: p }, 'any');
        return sessions.healthy ? { healthy: true, evidence: `${name} reads Enabled; ${sessions.evidence}` } : sessions;
      }),
  },
  undo(before, input) {
    const p = peeringOf(before, input.peering);
    if (!p) return { oneWay: `${before.name} had no ${PEERING_ARM_NAME[input.peering]}: there is no state to go back to.` };
    return { kind: 'peering-state', input: { peering: input.peering, state: p.state === 'Disabled' ? 'Disabled' : 'Enabled' } };
  },
};
