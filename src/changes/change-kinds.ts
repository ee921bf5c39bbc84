import { z } from 'zod';
import { CodedError, ErrorCode } from '../errors';
import type { Circuit } from '../network/types';
import type { ChangeKind, DomainPatch, KindContext, KindDescription, Refusal } from './change-kind';
import { bandwidthKind } from './kinds/bandwidth-kind';
import { circuitStateRefusal } from './kinds/circuit-state-refusal';
import { skuKind } from './kinds/sku-kind';

/**
 * A kind with its input type erased. Every method re-validates the input with the kind's schema: input
 * reaches here from card data, chat and store rows alike, and none of them is trusted.
 */
export interface RegisteredKind {
  name: string;
  title: string;
  right: 'request';
  /** Throws BadInput with the schema's complaint. */
  parseInput(raw: unknown): Record<string, unknown>;
  gather(ctx: KindContext, circuit: Circuit, input: unknown): Promise<unknown>;
  /** Shared circuit-state refusals first, then the kind's own rules. */
  check(circuit: Circuit, input: unknown, facts: unknown): Refusal | undefined;
  describe(circuit: Circuit, input: unknown): KindDescription;
  patch(circuit: Circuit, input: unknown): DomainPatch;
  isApplied(circuit: Circuit, input: unknown): boolean;
}

function register<I, F>(kind: ChangeKind<I, F>): RegisteredKind {
  const parse = (raw: unknown): I => {
    const result = kind.input.safeParse(raw);
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
  return {
    name: kind.name,
    title: kind.title,
    right: kind.right,
    parseInput: (raw) => {
      const input = parse(raw);
      // Stored as a plain record; kinds' inputs are objects by construction.
      return z.record(z.string(), z.unknown()).parse(input);
    },
    gather: async (ctx, circuit, input) => (kind.gather ? kind.gather(ctx, circuit, parse(input)) : undefined),
    check: (circuit, input, facts) =>
      circuitStateRefusal(circuit, kind.needsProvisioned) ?? kind.check(circuit, parse(input), facts as F | undefined),
    describe: (circuit, input) => kind.describe(circuit, parse(input)),
    patch: (circuit, input) => kind.patch(circuit, parse(input)),
    isApplied: (circuit, input) => kind.isApplied(circuit, parse(input)),
  };
}

/** The change kinds the workflow knows. The next issue's kinds (peerings, filters, UDR…) register here. */
export class ChangeKinds {
  private readonly kinds = new Map<string, RegisteredKind>();

  add<I, F>(kind: ChangeKind<I, F>): this {
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

export function defaultChangeKinds(): ChangeKinds {
  return new ChangeKinds().add(bandwidthKind).add(skuKind);
}
