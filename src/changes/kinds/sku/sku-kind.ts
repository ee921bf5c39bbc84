import { z } from 'zod';
import { PRIVATE_PEERING_IPV4_LIMIT } from '../../../network/prefix-limits';
import { PEERING_ARM_NAME, type Circuit } from '../../../network/types';
import type { ChangeKind, KindContext, Refusal } from '../../change-kind';
import { declareFields, labelsOf, schemaOf } from '../../kind-fields';
import { hintText } from '../../../command-names';
import { circuitVerification } from '../shared/circuit-verification';
import { oneOf } from '../shared/input-parts';
import { gatherLinks, type LinkFacts, linkRefusal, localRefusal, STANDARD_LINK_LIMIT } from './sku-link-rules';

const TIERS = ['Local', 'Standard', 'Premium'] as const;
const FAMILIES = ['MeteredData', 'UnlimitedData'] as const;

/** Standard's limits that Premium lifts (ExpressRoute FAQ). */
export const STANDARD_LIMITS = { vnetLinks: STANDARD_LINK_LIMIT, privateRoutes: PRIVATE_PEERING_IPV4_LIMIT } as const;

const FAMILY_ALIASES = { metered: 'MeteredData', unlimited: 'UnlimitedData' } as const;

/** Tier and billing family; either or both. */
export const SKU_FIELDS = declareFields([
  {
    key: 'tier',
    label: 'SKU tier',
    noun: 'the SKU tier',
    shape: 'choice',
    choices: TIERS,
    example: 'Premium',
    words: ['tier'],
    optional: true,
    schema: oneOf(TIERS).optional(),
  },
  {
    key: 'family',
    label: 'SKU family',
    noun: 'the SKU family',
    help: 'billing',
    shape: 'choice',
    choices: FAMILIES,
    aliases: FAMILY_ALIASES,
    example: 'UnlimitedData',
    words: ['family', 'billing'],
    optional: true,
    schema: oneOf(FAMILIES, FAMILY_ALIASES).optional(),
  },
]);
const LABELS = labelsOf(SKU_FIELDS);

export const SkuInput = z
  .strictObject(schemaOf(SKU_FIELDS))
  .refine((v) => v.tier !== undefined || v.family !== undefined, { message: 'give a tier, a family or both' });
export type SkuInput = z.output<typeof SkuInput>;

export interface SkuFacts extends LinkFacts {
  /** Most routes received on private peering over primary and secondary; undefined when not read. */
  privateRoutes?: number;
}

function target(circuit: Circuit, input: SkuInput): { tier: string; family: string } {
  return { tier: input.tier ?? circuit.sku.tier, family: input.family ?? circuit.sku.family };
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const isPremiumDown = (circuit: Circuit, to: { tier: string }) => same(circuit.sku.tier, 'Premium') && !same(to.tier, 'Premium');
/** Standard or Premium → Local: Local has its own reach (the peering location's local regions) and no Global Reach. */
const isToLocal = (circuit: Circuit, to: { tier: string }) => same(to.tier, 'Local') && !same(circuit.sku.tier, 'Local');

/** Azure never moves a circuit from Unlimited back to Metered: refused when asked, and why Metered → Unlimited is one-way. */
const UNLIMITED_TO_METERED: Refusal = {
  reason: 'ExpressRoute cannot move a circuit from Unlimited to Metered data.',
  alternative: 'Create a new Metered circuit, move the connections and peerings to it, then delete this one.',
};

/** What a tier below Premium allows (checked by `check` when a move down is asked for). */
const limitsBelowPremium = (tier: string) =>
  `${tier} limits: at most ${STANDARD_LIMITS.vnetLinks} VNet links and Global Reach connections together, VNets in the peering location's geopolitical region only, fewer than ${STANDARD_LIMITS.privateRoutes} private routes.`;
const LOCAL_LIMITS = `Local limits: Standard's, with VNets only in the Azure region(s) local to the peering location, and no Global Reach.`;

const short = (family: string) => (same(family, 'UnlimitedData') ? 'Unlimited' : same(family, 'MeteredData') ? 'Metered' : family);

async function privateRouteCount(ctx: KindContext, circuit: Circuit): Promise<number> {
  if (!circuit.peerings.some((p) => p.kind === 'private')) return 0;
  let most = 0;
  for (const path of ['primary', 'secondary'] as const) {
    const neighbours = await ctx.reader.listBgpNeighbours(ctx.scope, circuit.id, PEERING_ARM_NAME.private, path, { fresh: true });
    for (const n of neighbours.value) {
      const count = Number.parseInt(n.statePfxRcd, 10);
      if (Number.isFinite(count)) most = Math.max(most, count);
    }
  }
  return most;
}

function billing(circuit: Circuit, to: { tier: string; family: string }): string {
  const parts: string[] = [];
  if (!same(circuit.sku.tier, to.tier)) {
    if (same(to.tier, 'Premium')) parts.push('the Premium add-on is charged monthly on top of the circuit from the change');
    else if (same(circuit.sku.tier, 'Premium')) parts.push('the Premium add-on stops being charged from the change');
    if (same(to.tier, 'Local')) parts.push('Local includes its data transfer in the port price');
  }
  if (!same(circuit.sku.family, to.family) && same(to.family, 'UnlimitedData')) {
    parts.push('the circuit moves to a higher flat monthly price with outbound data included (no per-GB charges)');
  }
  const text = parts.join('; ');
  return text ? text.charAt(0).toUpperCase() + text.slice(1) + '.' : 'No change.';
}

export const skuKind: ChangeKind<SkuInput, SkuFacts> = {
  name: 'sku',
  title: 'SKU change',
  right: 'request',
  scope: 'circuit',
  fields: SKU_FIELDS,
  form: (on) =>
    'circuit' in on
      ? [
          {
            summary: `Now ${on.circuit.sku.tier} / ${on.circuit.sku.family}. Metered → Unlimited is one-way; Premium → Standard only within Standard's limits.`,
            values: { tier: on.circuit.sku.tier, family: on.circuit.sku.family },
            choices: {
              family: [
                { title: 'Metered data', value: 'MeteredData' },
                { title: 'Unlimited data', value: 'UnlimitedData' },
              ],
            },
          },
        ]
      : [],
  input: SkuInput,
  needsProvisioned: false,
  async gather(ctx, circuit, input) {
    const to = target(circuit, input);
    if (!isPremiumDown(circuit, to) && !isToLocal(circuit, to)) return {};
    const routes = isPremiumDown(circuit, to) ? { privateRoutes: await privateRouteCount(ctx, circuit) } : {};
    return { ...routes, ...(await gatherLinks(ctx, circuit)) };
  },
  check(circuit, input, facts): Refusal | undefined {
    const to = target(circuit, input);
    const from = circuit.sku;
    if (same(from.tier, to.tier) && same(from.family, to.family)) {
      return {
        reason: `${circuit.name} is already ${from.tier} / ${short(from.family)}.`,
        alternative: 'Pick a different tier or family.',
      };
    }
    if (same(from.family, 'UnlimitedData') && same(to.family, 'MeteredData')) return UNLIMITED_TO_METERED;
    if (same(to.tier, 'Local') && !same(to.family, 'UnlimitedData')) {
      return {
        reason: 'ExpressRoute Local is sold with Unlimited data only.',
        alternative: 'Ask for tier Local with family Unlimited (a one-way move from Metered).',
      };
    }
    if (isPremiumDown(circuit, to)) {
      const routes = facts?.privateRoutes;
      if (routes !== undefined && routes >= STANDARD_LIMITS.privateRoutes) {
        return {
          reason: `${circuit.name} receives ${routes} routes on private peering; ${to.tier} allows fewer than ${STANDARD_LIMITS.privateRoutes}, so BGP would drop.`,
          alternative: `Summarise the advertised routes below ${STANDARD_LIMITS.privateRoutes} first, or keep Premium.`,
        };
      }
    }
    if (isToLocal(circuit, to)) return localRefusal(circuit, from.tier, facts);
    if (isPremiumDown(circuit, to)) return linkRefusal(circuit, to.tier, facts);
    return undefined;
  },
  describe(circuit, input) {
    const to = target(circuit, input);
    const diff: Record<string, [string, string]> = {};
    if (!same(circuit.sku.tier, to.tier)) diff[LABELS.tier] = [circuit.sku.tier, to.tier];
    if (!same(circuit.sku.family, to.family)) diff[LABELS.family] = [short(circuit.sku.family), short(to.family)];
    const familyOneWay = !same(circuit.sku.family, to.family) && same(to.family, 'UnlimitedData');
    const notes: string[] = [];
    if (familyOneWay) notes.push('One-way: Unlimited can never go back to Metered on this circuit.');
    if (isToLocal(circuit, to)) notes.push(LOCAL_LIMITS);
    else if (isPremiumDown(circuit, to)) notes.push(limitsBelowPremium(to.tier));
    return {
      diff,
      impact: { downtime: 'none: the SKU changes in place', oneWay: familyOneWay, billing: billing(circuit, to), disruptive: false, notes },
    };
  },
  patch(circuit, input) {
    return { resource: 'expressRouteCircuit', sku: target(circuit, input) };
  },
  isApplied(circuit, input) {
    const to = target(circuit, input);
    return same(circuit.sku.tier, to.tier) && same(circuit.sku.family, to.family);
  },
  verify: circuitVerification({
    what: 'the SKU',
    now: (circuit) => `${circuit.sku.tier} / ${short(circuit.sku.family)}`,
    asked: (circuit, input) => {
      const to = target(circuit, input);
      return `${to.tier} / ${short(to.family)}`;
    },
  }),
  /**
   * Metered → Unlimited has no way back. A tier change goes back to the tier before; down from Premium (or to Local)
   * only within that tier's limits, which `check` enforces when the rollback is asked for.
   */
  undo(before, input) {
    const to = target(before, input);
    if (!same(before.sku.family, to.family)) {
      return { oneWay: `${UNLIMITED_TO_METERED.reason} ${hintText(UNLIMITED_TO_METERED.alternative)}` };
    }
    const tier = TIERS.find((t) => same(t, before.sku.tier));
    if (!tier) return { oneWay: `${before.name} was ${before.sku.tier}, a tier the bot cannot set (only ${TIERS.join(', ')}).` };
    if (same(tier, to.tier)) return { oneWay: `This change left the SKU of ${before.name} as it was: there is nothing to put back.` };
    const after = { ...before, sku: to };
    const limits = isToLocal(after, { tier }) ? LOCAL_LIMITS : isPremiumDown(after, { tier }) ? limitsBelowPremium(tier) : undefined;
    return {
      kind: 'sku',
      input: { tier },
      ...(limits ? { precondition: `Back to ${tier} only within the ${limits}` } : {}),
    };
  },
};
