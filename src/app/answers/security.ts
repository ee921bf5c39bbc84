import type { IntentOf } from '../../intents/intent';
import type { Access } from '../../directory/access';
import type { Customer } from '../../directory/directory';
import { resolveTarget } from '../../directory/resolve-circuit';
import { securityCard } from '../../cards/security-card';
import { mapConcurrent } from '../../network/map-concurrent';
import { partFailure, type Part } from '../../network/part';
import {
  type CustomerPosture,
  evaluatePosture,
  isDefaultRoute,
  needsDefaultRoute,
  postureCounts,
  type SubscriptionOwner,
} from '../../network/posture';
import type { PostureFacts } from '../../network/posture-facts';
import { DEVICE_PATHS, type Fresh } from '../../network/types';
import { cardReply } from '../reply';
import { header, readOptions, type Answer, type AnswerContext } from './answer-context';
import { withFailures } from './circuits';
import { customersForName, visibleInventory, type OwnedCircuit } from './visible-circuits';

const SOURCES = [
  'Links, VNets, NSGs, route tables, gateways and ports: Azure Resource Graph',
  "0.0.0.0/0 over private peering: the circuits' route tables, from the Microsoft edge routers",
];
/** Route-table reads at once: each is a slow device read that counts against the subscription's write quota. */
const ROUTE_READS = 4;

const lower = (s: string) => s.toLowerCase();

/** Whose a subscription is, per the directory; another customer's stays anonymous to the evaluation. */
function ownerOf(access: Access, customer: Customer): (subscriptionId: string) => SubscriptionOwner {
  const owners = new Map(access.allCustomers().flatMap((c) => c.subscriptions.map((s) => [lower(s), c.id] as const)));
  return (subscriptionId) => {
    const owner = owners.get(lower(subscriptionId));
    return owner === undefined ? 'unknown' : owner === customer.id ? 'own' : 'other';
  };
}

/** Whether the circuit's private peering learned 0.0.0.0/0 on either link, from the route tables the bot reads anyway. */
async function defaultRouteLearned(
  context: PostureDeps,
  owned: OwnedCircuit,
  fresh: boolean,
  stamps: Fresh<unknown>[],
): Promise<Part<boolean>> {
  const peering = owned.circuit.peerings.find((p) => p.kind === 'private');
  if (!peering) return { ok: true, value: false, fetchedAt: context.clock.now() };
  const reads = await Promise.all(
    DEVICE_PATHS.map(async (path) => {
      try {
        const routes = await context.reader.listRoutes(owned.scope, owned.circuit.id, peering.name, path, readOptions({ fresh }));
        stamps.push(routes);
        return { ok: true as const, value: routes.value.some((r) => isDefaultRoute(r.network)), fetchedAt: routes.fetchedAt };
      } catch (e) {
        return { ok: false as const, error: partFailure(e) };
      }
    }),
  );
  const learned = reads.find((r) => r.ok && r.value);
  if (learned) return learned;
  return reads.find((r) => !r.ok) ?? { ok: true, value: false, fetchedAt: context.clock.now() };
}

/** The parts of the read that failed, in words for the card. */
function unreadParts(facts: PostureFacts): string[] {
  const parts = [facts.vnets, facts.nsgs, facts.routeTables, facts.gateways, facts.ipsecConnections, facts.ports, ...facts.links.values()];
  const messages = parts.flatMap((p) => (p.ok ? [] : [p.error.message]));
  return [...new Set(messages)];
}

/** The customers a target may name, read as few tenants as possible: an exact customer alone, else as for a circuit. */
function customersToRead(target: string, visible: readonly Customer[]): readonly Customer[] {
  const exact = target.includes('/') ? [] : visible.filter((c) => lower(c.id) === lower(target) || lower(c.name) === lower(target.trim()));
  return exact.length === 1 ? exact : customersForName(target, visible);
}

/** What reading a customer's posture needs: the directory, the posture reads, and the routers' route tables. */
export type PostureDeps = Pick<AnswerContext, 'access' | 'posture' | 'reader' | 'clock'>;

export interface ReadPosture {
  posture: CustomerPosture;
  /** The parts that couldn't be read, in words. */
  unread: string[];
  /** The route-table reads behind it, for the card's freshness. */
  stamps: Fresh<unknown>[];
}

/**
 * The customer's posture for these of its circuits: the networks behind them from Resource Graph (links looked for
 * in every subscription the directory lists in the tenant), and, where a VNet is behind a circuit, whether its
 * private peering learned 0.0.0.0/0.
 */
export async function customerPosture(
  deps: PostureDeps,
  customer: Customer,
  owned: readonly OwnedCircuit[],
  fresh: boolean,
): Promise<ReadPosture> {
  const circuits = owned.map((o) => o.circuit);
  const tenantSubscriptions = deps.access
    .allCustomers()
    .filter((c) => lower(c.tenantId) === lower(customer.tenantId))
    .flatMap((c) => c.subscriptions);
  const facts = await deps.posture.readPosture(
    { tenantId: customer.tenantId, subscriptions: customer.subscriptions, linkSubscriptions: tenantSubscriptions, circuits },
    readOptions({ fresh }),
  );
  const owner = ownerOf(deps.access, customer);
  const stamps: Fresh<unknown>[] = [];
  const routeReads = owned.filter((o) => needsDefaultRoute({ ownerOf: owner, facts }, o.circuit));
  const defaultRoutes = new Map(
    await mapConcurrent(
      routeReads,
      ROUTE_READS,
      async (o) => [lower(o.circuit.id), await defaultRouteLearned(deps, o, fresh, stamps)] as const,
    ),
  );
  const posture = evaluatePosture({ customer, requirements: customer.security ?? {}, ownerOf: owner, circuits, facts, defaultRoutes });
  return { posture, unread: unreadParts(facts), stamps };
}

export const answerSecurity: Answer<IntentOf<'security'>> = async (intent, context) => {
  const fresh = intent.fresh ?? false;
  const visible = context.access.customersWith(context.person, 'view');
  const inventory = await visibleInventory(context, context.person, { customers: customersToRead(intent.target, visible), fresh });
  const target = resolveTarget(intent.target, visible, inventory.circuits);
  const customer = target.kind === 'customer' ? target.customer : target.circuit.customer;
  const owned = target.kind === 'customer' ? inventory.circuits.filter((c) => c.customerId === customer.id) : [target.circuit];
  const read = await customerPosture(context, customer, owned, fresh);
  const card = securityCard({
    header: header(context, [customer], [...inventory.stamps, ...read.stamps], intent, SOURCES),
    posture: read.posture,
    target: target.kind === 'customer' ? customer.id : target.circuit.circuit.id,
    ...(target.kind === 'circuit' ? { circuitName: target.circuit.circuit.name } : {}),
    page: intent.page ?? 1,
    unread: read.unread,
  });
  const counts = postureCounts(read.posture.circuits);
  const failures = inventory.failures.filter((f) => f.customer.id === customer.id);
  return cardReply(
    withFailures(card, { circuits: [], failures }),
    `Security of ${target.kind === 'customer' ? customer.name : target.circuit.circuit.name}: ${counts.gap} gaps, ${counts.unknown} unknown, ${counts.advice} recommended, ${counts.met} met`,
  );
};
