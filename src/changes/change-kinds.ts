import { z } from 'zod';
import { CodedError, ErrorCode } from '../errors';
import type { Circuit } from '../network/types';
import {
  type ChangeKind,
  type ChangeScope,
  type ChangeSubject,
  type ChangeTargetType,
  type DomainPatch,
  type FormFacts,
  type KindFormSubject,
  isRouteFilter,
  isRouteTable,
  type KindContext,
  type KindDescription,
  type Refusal,
  type SecretRef,
  targetTypeOf,
  type Undo,
  type VerifyBaseline,
  type VerifyContext,
  type VerifyLook,
} from './change-kind';
import type { ChangeRequest } from './change-request';
import { type FormPlan, fromFlatInput, isSecret, type KindField, labelsOf, type TypedSyntax } from './kind-fields';
import { authorizationKind } from './kinds/authorization/authorization-kind';
import { bandwidthKind } from './kinds/bandwidth/bandwidth-kind';
import { circuitStateRefusal, resourceBusyRefusal } from './kinds/shared/circuit-state-refusal';
import { circuitSummary } from './kinds/shared/circuit-summary';
import { microsoftPeeringKind } from './kinds/microsoft-peering/microsoft-peering-kind';
import { peeringStateKind } from './kinds/peering-state/peering-state-kind';
import { privatePeeringKind } from './kinds/private-peering/private-peering-kind';
import { routeFilterKind } from './kinds/route-filter/route-filter-kind';
import { routeFilterRuleKind } from './kinds/route-filter-rule/route-filter-rule-kind';
import { MemorySecretVault, type SecretOwner, type SecretVault } from './kinds/shared/secret-vault';
import { skuKind } from './kinds/sku/sku-kind';
import { udrRouteKind } from './kinds/udr-route/udr-route-kind';

/**
 * A kind with its input type erased. Every method re-validates the input with the kind's schema: input
 * reaches here from card data, chat and store rows alike, and none of them is trusted.
 */
export interface RegisteredKind {
  name: string;
  title: string;
  right: 'request';
  /** The fields a person gives, as the kind declares them. */
  fields: readonly KindField[];
  /** How the kind is asked for in chat (empty: only through the form). */
  syntax: readonly TypedSyntax[];
  /** The kind's form sections for a resource as it is now (empty: not offered there). */
  form(on: KindFormSubject, facts: FormFacts): FormPlan[];
  /** Whether flat input (a form's or a typed line's) holds a secret the person typed, e.g. an MD5 key. */
  holdsTypedSecret(raw: Readonly<Record<string, unknown>>): boolean;
  /** What the change binds to (circuit unless the kind says otherwise). */
  target: ChangeTargetType;
  /** Circuit-level or VNet-level, for the connection model's approvals. */
  scope: ChangeScope;
  /**
   * What a person asked for (chat or card data), into the stored form. Throws BadInput with the schema's
   * complaint. `owner` is whom secrets typed in it are kept for; without it a typed secret is refused.
   */
  parseInput(raw: unknown, owner?: SecretOwner): Record<string, unknown>;
  /** Whether an input key stands for a secret (typed, or the vault reference it became): never in card data. */
  isSecretKey(key: string): boolean;
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
  /** What "healthy after" means, with the input re-validated; undefined when the kind declares no check. */
  verification?: RegisteredVerification;
  /** How to undo the change, from the target before it; a one-way reason when the kind can't. */
  undo(before: ChangeSubject, input: unknown): Undo;
}

/** A kind's verification with its types erased (see KindVerification). */
export interface RegisteredVerification {
  maxMs?: number;
  baseline?(ctx: VerifyContext, before: ChangeSubject, input: unknown): Promise<VerifyBaseline>;
  look(ctx: VerifyContext, input: unknown, baseline: VerifyBaseline | undefined): Promise<VerifyLook>;
}

/** See ChangeKinds.rerequest. */
export type Rerequest = { input: Record<string, string | number | boolean> } | { retypeSecret: true };

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
  const labels = labelsOf(kind.fields);
  // A complaint names the field as the form and the typed syntax do; never the input's key.
  const where = (path: readonly PropertyKey[]): string => {
    const [key, ...rest] = path;
    const label = typeof key === 'string' ? labels[key] : undefined;
    return label ? `${label}${rest.length > 0 ? ` (item ${String(rest[0])})` : ''}` : path.map(String).join('.');
  };
  const parseWith = (schema: z.ZodType<I>, raw: unknown): I => {
    const result = schema.safeParse(raw);
    if (result.success) return result.data;
    const problems = result.error.issues
      .slice(0, 3)
      .map((i) => (i.path.length ? `${where(i.path)}: ${i.message}` : i.message))
      .join('; ');
    throw new CodedError(ErrorCode.BadInput, `That isn't a valid ${kind.title.toLowerCase()} request (${problems.slice(0, 300)}).`, {
      hint: ['Use ', { say: 'help' }, ` for examples of ${kind.name} changes.`],
      details: { kind: kind.name },
    });
  };
  const parse = (raw: unknown): I => parseWith(kind.input, raw);
  // A typed secret is stored as a vault reference (`<key>Ref`) and whom it was given for (`<key>Owner`).
  const secretKeys = new Set(kind.fields.filter(isSecret).flatMap((f) => [f.key, `${f.key}Ref`, `${f.key}Owner`]));
  return {
    name: kind.name,
    title: kind.title,
    right: kind.right,
    target,
    scope: kind.scope,
    fields: kind.fields,
    syntax: kind.syntax ?? [],
    form: (on, facts) => kind.form?.(on, facts) ?? [],
    holdsTypedSecret: (raw) => kind.fields.some((f) => isSecret(f) && typeof raw[f.key] === 'string' && raw[f.key] !== ''),
    isSecretKey: (key) => secretKeys.has(key),
    parseInput: (raw, owner) => {
      const flat =
        raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? fromFlatInput(kind.fields, raw as Record<string, unknown>) : raw;
      const input = parseWith(kind.requestInput ? kind.requestInput(owner) : kind.input, flat);
      // Stored as a plain record; kinds' inputs are objects by construction.
      return z.record(z.string(), z.unknown()).parse(input);
    },
    gather: async (ctx, s, input) => (kind.gather ? kind.gather(ctx, subject(s), parse(input)) : undefined),
    check: (s, input, facts) => {
      const state = isRouteTable(s)
        ? // No command shows a route table's provisioning state.
          resourceBusyRefusal(s.name, s.provisioningState)
        : isRouteFilter(s)
          ? resourceBusyRefusal(s.name, s.provisioningState, { say: 'filters' })
          : circuitStateRefusal(s, kind.needsProvisioned);
      return state ?? kind.check(subject(s), parse(input), facts as F | undefined);
    },
    describe: (s, input, facts) => kind.describe(subject(s), parse(input), facts as F | undefined),
    patch: (s, input) => kind.patch(subject(s), parse(input)),
    isApplied: (s, input) => kind.isApplied(subject(s), parse(input)),
    summary: (s, input) => {
      if (kind.summary) return kind.summary(subject(s), parse(input));
      if (isRouteTable(s)) return { 'Route table': s.name, Routes: String(s.routes.length), 'Provisioning state': s.provisioningState };
      if (isRouteFilter(s))
        return {
          'Route filter': s.name,
          Communities: s.rules.flatMap((r) => r.communities).join(', ') || '(none)',
          'Provisioning state': s.provisioningState,
        };
      return circuitSummary(s);
    },
    secretForRequester: (request) => (kind.secretForRequester ? kind.secretForRequester(request, parse(request.input)) : undefined),
    ...(kind.verify ? { verification: eraseVerification(kind.verify, subject, parse) } : {}),
    undo: (s, input) => (kind.undo ? kind.undo(subject(s), parse(input)) : { oneWay: `The bot can't undo a ${kind.title.toLowerCase()}.` }),
  };
}

function eraseVerification<I, S extends ChangeSubject>(
  verify: NonNullable<ChangeKind<I, unknown, S>['verify']>,
  subject: (s: ChangeSubject) => S,
  parse: (raw: unknown) => I,
): RegisteredVerification {
  const typed = (ctx: VerifyContext): VerifyContext<S> => ({ ...ctx, target: async () => subject(await ctx.target()) });
  return {
    ...(verify.maxMs !== undefined ? { maxMs: verify.maxMs } : {}),
    ...(verify.baseline
      ? {
          baseline: (ctx: VerifyContext, before: ChangeSubject, input: unknown) =>
            verify.baseline!(typed(ctx), subject(before), parse(input)),
        }
      : {}),
    look: (ctx, input, base) => verify.look(typed(ctx), parse(input), base),
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

  /**
   * What asking again for a finished request means: the same kind and input as flat card data, planned
   * afresh. A request that carried a typed secret (an MD5 key) is asked again through the form instead, so the
   * secret is typed again: its vault reference never goes into card data, where anyone in the conversation
   * could read it. Undefined when the kind is gone or the input cannot be given again as flat data.
   */
  rerequest(request: Pick<ChangeRequest, 'kind' | 'input'>): Rerequest | undefined {
    const kind = this.kinds.get(request.kind);
    if (!kind) return undefined;
    if (Object.keys(request.input).some((k) => kind.isSecretKey(k))) return { retypeSecret: true };
    const input: Record<string, string | number | boolean> = {};
    for (const [k, v] of Object.entries(request.input)) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') input[k] = v;
      // Lists (prefixes, communities) go back as the comma-separated text the form and commands use.
      else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) input[k] = v.join(',');
      else return undefined;
    }
    return { input };
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
