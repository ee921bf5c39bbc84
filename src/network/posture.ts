import { ErrorCode } from '../errors';
import { armIdName } from './arm-id';
import type { Part } from './part';
import { CIRCUIT_CRITERIA, type CriterionId, VNET_CRITERIA } from './posture-criteria';
import type { CircuitLinkFact, PostureFacts, VnetFact } from './posture-facts';
import {
  type CircuitSubject,
  key,
  POSTURE_STATUSES,
  type PostureStatus,
  type SecurityRequirements,
  type SubscriptionOwner,
  unread,
  type Verdict,
  type VnetSubject,
} from './posture-subjects';
import type { Circuit } from './types';

/**
 * A customer's security posture: every criterion (posture-criteria.ts) for every circuit and every VNet behind
 * it, each met, a gap, not applicable, or unknown because a read failed (never met on no data).
 */

export interface PostureInput {
  customer: { id: string; name: string };
  requirements: SecurityRequirements;
  /** Whose a subscription is, per the directory; another customer's is never named. */
  ownerOf: (subscriptionId: string) => SubscriptionOwner;
  circuits: readonly Circuit[];
  facts: PostureFacts;
  /** By circuit id (lower case): whether its private peering learned 0.0.0.0/0, or why that couldn't be read. */
  defaultRoutes: ReadonlyMap<string, Part<boolean>>;
}

export interface Finding extends Verdict {
  criterion: CriterionId;
}

export interface VnetPosture {
  id: string;
  name: string;
  /** For a spoke: the linked hub whose gateway it uses. */
  via?: string;
  findings: Finding[];
}

export interface CircuitPosture {
  id: string;
  name: string;
  findings: Finding[];
  vnets: VnetPosture[];
  /** What the criteria don't cover but a reader should know (a Virtual WAN hub's connection). */
  notes: string[];
}

export interface CustomerPosture {
  customerId: string;
  customerName: string;
  requirements: SecurityRequirements;
  circuits: CircuitPosture[];
}

const notRead = (what: string): Part<never> => ({ ok: false, error: { code: ErrorCode.NoData, message: `${what} weren't read.` } });

/** The VNets behind a circuit from the customer's subscriptions: those linked to it, then the spokes using their gateways. */
export function vnetsBehind(
  links: readonly CircuitLinkFact[],
  vnets: readonly VnetFact[],
  ownerOf: (subscriptionId: string) => SubscriptionOwner,
): { linked: VnetFact[]; spokes: { vnet: VnetFact; hub: VnetFact }[]; missing: string[]; unresolved: CircuitLinkFact[] } {
  const byId = new Map(vnets.map((v) => [key(v.id), v]));
  const own = ownLinks(links, ownerOf);
  const ids = new Map(own.flatMap((l) => (l.vnetId ? [[key(l.vnetId), l.vnetId] as const] : [])));
  const linked = [...ids.keys()].flatMap((id) => byId.get(id) ?? []);
  const missing = [...ids].flatMap(([k, id]) => (byId.has(k) ? [] : [id]));
  // A connection of the customer's whose gateway or VNet Resource Graph didn't show: a VNet behind it, unread.
  const unresolved = own.filter((l) => !l.vnetId && !l.hubGateway);
  const hubs = new Map(linked.map((v) => [key(v.id), v]));
  const spokes = vnets.flatMap((v) => {
    if (hubs.has(key(v.id)) || ownerOf(v.subscriptionId) !== 'own') return [];
    const peering = v.peerings.find((p) => p.useRemoteGateways && p.state.toLowerCase() === 'connected' && hubs.has(key(p.remoteVnetId)));
    const hub = peering && hubs.get(key(peering.remoteVnetId));
    return hub ? [{ vnet: v, hub }] : [];
  });
  return { linked, spokes, missing, unresolved };
}

/** The circuit's links from the customer's own subscriptions. */
function ownLinks(links: readonly CircuitLinkFact[], ownerOf: (subscriptionId: string) => SubscriptionOwner): CircuitLinkFact[] {
  return links.filter((l) => l.subscriptionId !== undefined && ownerOf(l.subscriptionId) === 'own');
}

/** A VNet entry for a link whose VNet wasn't seen, named by its connection. */
function unresolvedVnet(link: CircuitLinkFact, why: Verdict): VnetPosture {
  const named = unreadVnet(link.connectionId ?? link.name, why);
  return { ...named, name: `VNet behind ${link.name}` };
}

const UNRESOLVED: Verdict = {
  status: 'unknown',
  evidence: ["Resource Graph didn't show this connection's gateway or VNet, so nothing behind it could be checked."],
};

/** A route-table row for the default route, as the edge routers print it (with or without its length). */
export function isDefaultRoute(network: string): boolean {
  const n = network.trim();
  return n === '0.0.0.0/0' || n === '0.0.0.0';
}

/** Circuits whose private-peering route table the posture needs (0.0.0.0/0 learned?): private peering and a VNet behind. */
export function needsDefaultRoute(input: Pick<PostureInput, 'ownerOf' | 'facts'>, circuit: Circuit): boolean {
  if (!circuit.peerings.some((p) => p.kind === 'private')) return false;
  const links = input.facts.links.get(key(circuit.id));
  if (!links?.ok || !input.facts.vnets.ok) return false;
  const behind = vnetsBehind(links.value, input.facts.vnets.value, input.ownerOf);
  return behind.linked.length + behind.missing.length + behind.unresolved.length > 0;
}

function asMap<T extends { id: string }>(part: Part<readonly T[]>): Part<ReadonlyMap<string, T>> {
  return part.ok ? { ok: true, value: new Map(part.value.map((x) => [key(x.id), x])), fetchedAt: part.fetchedAt } : part;
}

function findings<S>(criteria: readonly { id: CriterionId; evaluate(subject: S): Verdict }[], subject: S): Finding[] {
  return criteria.map((c) => ({ criterion: c.id, ...c.evaluate(subject) }));
}

function unreadVnet(id: string, why: Verdict): VnetPosture {
  return { id, name: armIdName(id), findings: VNET_CRITERIA.map((c) => ({ criterion: c.id, ...why })) };
}

function circuitPosture(input: PostureInput, circuit: Circuit): CircuitPosture {
  const { facts } = input;
  const links = facts.links.get(key(circuit.id)) ?? notRead('The VNet links');
  const shared = {
    requirements: input.requirements,
    nsgs: asMap(facts.nsgs),
    routeTables: asMap(facts.routeTables),
    gateways: facts.gateways,
    ipsecConnections: facts.ipsecConnections,
    defaultRoute: circuit.peerings.some((p) => p.kind === 'private')
      ? (input.defaultRoutes.get(key(circuit.id)) ?? notRead('The routes learned over private peering'))
      : undefined,
  };
  let subjects: Part<VnetSubject[]>;
  const vnets: VnetPosture[] = [];
  const unreadVnets: string[] = [];
  if (!links.ok) subjects = links;
  else if (!facts.vnets.ok) subjects = facts.vnets;
  else {
    const behind = vnetsBehind(links.value, facts.vnets.value, input.ownerOf);
    const list: VnetSubject[] = [...behind.linked.map((vnet) => ({ ...shared, vnet })), ...behind.spokes.map((s) => ({ ...shared, ...s }))];
    subjects = { ok: true, value: list, fetchedAt: facts.vnets.fetchedAt };
    for (const s of list)
      vnets.push({ id: s.vnet.id, name: s.vnet.name, ...(s.hub ? { via: s.hub.name } : {}), findings: findings(VNET_CRITERIA, s) });
    for (const id of behind.missing)
      vnets.push(unreadVnet(id, { status: 'unknown', evidence: ["Resource Graph didn't return this VNet."] }));
    for (const l of behind.unresolved) vnets.push(unresolvedVnet(l, UNRESOLVED));
    unreadVnets.push(...behind.missing.map(armIdName), ...behind.unresolved.map((l) => `the VNet behind ${l.name}`));
  }
  if (!subjects.ok && links.ok) {
    for (const l of ownLinks(links.value, input.ownerOf)) {
      if (l.vnetId) vnets.push(unreadVnet(l.vnetId, unread('the VNets', subjects.error)));
      else if (!l.hubGateway) vnets.push(unresolvedVnet(l, unread('the VNets', subjects.error)));
    }
  }
  const subject: CircuitSubject = {
    circuit,
    requirements: input.requirements,
    ownerOf: input.ownerOf,
    links,
    vnets: subjects,
    ports: facts.ports,
    unreadVnets,
  };
  const notes = links.ok
    ? ownLinks(links.value, input.ownerOf)
        .filter((l) => l.hubGateway)
        .map((l) => `${l.name} connects Virtual WAN hub gateway ${l.hubGateway}; the hub's VNets aren't checked here.`)
    : [];
  return { id: circuit.id, name: circuit.name, findings: findings(CIRCUIT_CRITERIA, subject), vnets, notes };
}

export function evaluatePosture(input: PostureInput): CustomerPosture {
  return {
    customerId: input.customer.id,
    customerName: input.customer.name,
    requirements: input.requirements,
    circuits: input.circuits.map((c) => circuitPosture(input, c)),
  };
}

/** Every finding of a circuit: its own, then its VNets'. */
export function findingsOf(circuit: CircuitPosture): Finding[] {
  return [...circuit.findings, ...circuit.vnets.flatMap((v) => v.findings)];
}

export function statusCounts(findings: readonly Finding[]): Record<PostureStatus, number> {
  const counts = Object.fromEntries(POSTURE_STATUSES.map((s) => [s, 0])) as Record<PostureStatus, number>;
  for (const f of findings) counts[f.status] += 1;
  return counts;
}

export function postureCounts(circuits: readonly CircuitPosture[]): Record<PostureStatus, number> {
  return statusCounts(circuits.flatMap(findingsOf));
}

/** Worst first: gaps, then unknowns, then recommendations, then met, then not applicable. */
export function statusRank(status: PostureStatus): number {
  return POSTURE_STATUSES.indexOf(status);
}

export { CIRCUIT_CRITERIA, VNET_CRITERIA, criterion, type CriterionId } from './posture-criteria';
export { POSTURE_STATUSES, type PostureStatus, type SecurityRequirements, type SubscriptionOwner } from './posture-subjects';
