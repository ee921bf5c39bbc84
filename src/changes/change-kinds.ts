import { z } from 'zod';
import { CodedError, ErrorCode } from '../errors';
import type { Circuit } from '../network/types';
import {
  type ChangeKind,
  type ChangeSubject,
  type ChangeTargetType,
  type DomainPatch,
  isRouteFilter,
  isRouteTable,
  type KindContext,
  type KindDescription,
  type Refusal,
  type SecretRef,
  targetTypeOf,
} from './change-kind';
import type { ChangeRequest } from './change-request';
import { authorizationKind } from './kinds/authorization-kind';
import { bandwidthKind } from './kinds/bandwidth-kind';
import { circuitStateRefusal, resourceBusyRefusal } from './kinds/circuit-state-refusal';
import { circuitSummary } from './kinds/circuit-summary';
import { microsoftPeeringKind } from './kinds/microsoft-peering-kind';
import { peeringStateKind } from './kinds/peering-state-kind';
import { privatePeeringKind } from './kinds/private-peering-kind';
import { routeFilterKind } from './kinds/route-filter-kind';
import { routeFilterRuleKind } from './kinds/route-filter-rule-kind';
import { MemorySecretVault, type SecretOwner, type SecretVault } from './kinds/secret-vault';
import { skuKind } from './kinds/sku-kind';
import { udrRouteKind } from './kinds/udr-route-kind';

/**
 * A kind with its input type erased. Every method re-validates the input with the kind's schema: input
 * reaches here from card data, chat and store rows alike, and none of them is trusted.
 */
export interface RegisteredKind {
  name: string;
  title: string;
  right: 'request';
  /** What the change binds to (circuit unless the kind says otherwise). */
  target: ChangeTargetType;
  /**
   * What a person asked for (chat or card data), into the stored form. Throws BadInput with the schema's
   * complaint. `owner` is whom secrets typed in it are kept for; without it a typed secret is refused.
   */
  parseInput(raw: unknown, owner?: SecretOwner): Record<string, unknown>;
  gather(ctx: KindContext, circuit: ChangeSubject, input: unknown): Promise<unknown>;
  /** Shared circuit-state refusals first, then the kind's own rules. */
  check(circuit: ChangeSubject, input: unknown, facts: unknown): Refusal | undefined;
  describe(circuit: ChangeSubject, input: unknown, facts?: unknown): KindDescription;
  patch(circuit: ChangeSubject, input: unknown): DomainPatch;
  isApplied(circuit: ChangeSubject, input: unknown): boolean;
  /** The after-state a card shows, from the subject read back. */
  summary(subject: ChangeSubject, input: unknown): Record<string, string>;
  /**
   * The secret a succeeded request produced for its requester only, as a reference (never the value); the
   * bot reads it with a RequesterSecretReader and sends it to the requester's 1:1 chat only.
   */
  secretForRequester(request: Pick<ChangeRequest, 'circuitId' | 'state' | 'input' | 'outcome'>): SecretRef | undefined;
}

const TARGET_WORDS: Record<ChangeTargetType, string> = {
  expressRouteCircuit: 'an ExpressRoute circuit',
  routeTable: 'a route table',
  routeFilter: 'a route filter',
};

function register<I, F, S extends ChangeSubject>(kind: ChangeKind<I, F, S>): RegisteredKind {
  const target = kind.target ?? 'expressRouteCircuit';
  // A subject of the wrong type means a wiring bug (a route table handed to a circuit kind): fail loudly.
  const subject = (s: ChangeSubject): S => {
    if (targetTypeOf(s) !== target) {
      throw new CodedError(ErrorCode.BadInput, `A ${kind.title.toLowerCase()} applies to ${TARGET_WORDS[target]}.`, {
        hint: `Name ${TARGET_WORDS[target]} by its full id or through its customer.`,
      });
    }
    return s as S;
  };
  const parseWith = (schema: z.ZodType<I>, raw: unknown): I => {
    const result = schema.safeParse(raw);
    if (result.success) return result.data;
    const problems = result.error.issues
      .slice(0, 3)
      .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
      .join('; ');
    throw new CodedError(ErrorCode.BadInput, `That isn't a valid ${kind.title.toLowerCase()} request (${problems.slice(0, 300)}).`, {
      hint: `Use \`help\` for examples of ${kind.name} changes.`,
      details: { kind: kind.name },
    });
  };
  const parse = (raw: unknown): I => parseWith(kind.input, raw);
  return {
    name: kind.name,
    title: kind.title,
    right: kind.right,
    target,
    parseInput: (raw, owner) => {
      const input = parseWith(kind.requestInput ? kind.requestInput(owner) : kind.input, raw);
      // Stored as a plain record; kinds' inputs are objects by construction.
      return z.record(z.string(), z.unknown()).parse(input);
    },
    gather: async (ctx, s, input) => (kind.gather ? kind.gather(ctx, subject(s), parse(input)) : undefined),
    check: (s, input, facts) => {
      const state = isRouteTable(s) || isRouteFilter(s) ? resourceBusyRefusal(s.name, s.provisioningState) : circuitStateRefusal(s, kind.needsProvisioned);
      return state ?? kind.check(subject(s), parse(input), facts as F | undefined);
    },
    describe: (s, input, facts) => kind.describe(subject(s), parse(input), facts as F | undefined),
    patch: (s, input) => kind.patch(subject(s), parse(input)),
    isApplied: (s, input) => kind.isApplied(subject(s), parse(input)),
    summary: (s, input) => {
      if (kind.summary) return kind.summary(subject(s), parse(input));
      if (isRouteTable(s)) return { 'Route table': s.name, Routes: String(s.routes.length), 'Provisioning state': s.provisioningState };
      if (isRouteFilter(s)) return { 'Route filter': s.name, Communities: s.rules.flatMap((r) => r.communities).join(', ') || '(none)', 'Provisioning state': s.provisioningState };
      return circuitSummary(s);
    },
    secretForRequester: (request) => (kind.secretForRequester ? kind.secretForRequester(request, parse(request.input)) : undefined),
  };
}

/** The change kinds the workflow knows. The next issue's kinds (peerings, filters, UDR…) register here. */
export class ChangeKinds {
  private readonly kinds = new Map<string, RegisteredKind>();

  add<I, F, S extends ChangeSubject = Circuit>(kind: ChangeKind<I, F, S>): this {
    if (this.kinds.has(kind.name)) throw new Error(`change kind ${kind.name} is registered twice`);
    this.kinds.set(kind.name, register(kind));
    return this;
  }

  names(): string[] {
    return [...this.kinds.keys()];
  }

  /** Throws BadInput naming the known kinds; never echoes more than a short prefix of the input. */
  get(name: unknown): RegisteredKind {
    const found = typeof name === 'string' ? this.kinds.get(name) : undefined;
    if (found) return found;
    const shown = typeof name === 'string' ? `'${name.slice(0, 40)}'` : 'that';
    throw new CodedError(ErrorCode.BadInput, `I don't know a change kind called ${shown}.`, {
      hint: `Change kinds: ${this.names().join(', ')}.`,
    });
  }
}

export interface ChangeKindsOptions {
  /** Where MD5 keys wait between request and execution; default: in memory (see MemorySecretVault). */
  secrets?: SecretVault;
}

/** Every change kind: the circuit's own (bandwidth, SKU) and the peering, filter, UDR and authorization kinds. */
export function defaultChangeKinds(options: ChangeKindsOptions = {}): ChangeKinds {
  const secrets = options.secrets ?? new MemorySecretVault();
  return new ChangeKinds()
    .add(bandwidthKind)
    .add(skuKind)
    .add(privatePeeringKind(secrets))
    .add(microsoftPeeringKind(secrets))
    .add(peeringStateKind)
    .add(routeFilterKind)
    .add(routeFilterRuleKind)
    .add(udrRouteKind)
    .add(authorizationKind);
}
