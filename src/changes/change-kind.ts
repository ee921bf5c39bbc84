import type { z } from 'zod';
import type { Right } from '../directory/rights';
import type { Circuit, NetworkReader, SubscriptionScope } from '../network/types';
import type { Impact } from './change-request';

/**
 * What a change does to the resource, in domain words. src/azure turns it into the exact ARM request body
 * (see ArmBodyBuilder); the domain never sees ARM models. New kinds add a variant here.
 */
export type DomainPatch = {
  resource: 'expressRouteCircuit';
  /** Provider circuits: serviceProviderProperties.bandwidthInMbps; Direct circuits: bandwidthInGbps. */
  bandwidthMbps?: number;
  sku?: { tier: string; family: string };
};

/** A change a kind refuses, with what to do instead. Shown before anyone is asked to approve. */
export interface Refusal {
  reason: string;
  alternative: string;
}

export interface KindDescription {
  /** Label → [before, after], e.g. { Bandwidth: ['1 Gbps', '2 Gbps'] }. */
  diff: Record<string, [string, string]>;
  impact: Impact;
}

/** VNet links of a circuit and where they are, for the Premium → Standard limits. */
export interface VnetLink {
  name: string;
  /** Azure region of the linked VNet, e.g. westeurope. */
  region: string;
}

/**
 * Optional port: lists the VNet connections that use a circuit. ARM has no single call for it (links can sit
 * in other subscriptions through authorizations), so it is a port of its own.
 */
export interface CircuitLinksReader {
  listVnetLinks(scope: SubscriptionScope, circuit: Circuit): Promise<VnetLink[]>;
}

/** What a kind may read before deciding, beyond the circuit itself. */
export interface KindContext {
  scope: SubscriptionScope;
  reader: NetworkReader;
  links?: CircuitLinksReader;
}

/**
 * One change kind. The workflow (approval, execution, audit) is the same for every kind; a kind only knows
 * its input, its rules, how to describe itself and what it changes.
 */
export interface ChangeKind<I = unknown, F = unknown> {
  name: string;
  /** Human title, e.g. "Bandwidth upgrade". */
  title: string;
  /** The right needed to ask for it. */
  right: Extract<Right, 'request'>;
  /** zod at the boundary: card data and chat both end up here. */
  input: z.ZodType<I>;
  /** Reads what the rules need beyond the circuit (route counts, VNet links). Optional. */
  gather?(ctx: KindContext, circuit: Circuit, input: I): Promise<F>;
  /** A refusal, or undefined when the change may be requested. */
  check(circuit: Circuit, input: I, facts: F | undefined): Refusal | undefined;
  describe(circuit: Circuit, input: I): KindDescription;
  patch(circuit: Circuit, input: I): DomainPatch;
  /** Whether the circuit already shows the change; decides, after a crash, whether a write reached ARM. */
  isApplied(circuit: Circuit, input: I): boolean;
  /** The states this kind needs the circuit in (Provisioned / Enabled), beyond "no write in progress". */
  needsProvisioned: boolean;
}

