import { CodedError, ErrorCode } from '../errors';
import { suggest } from './suggest';

/**
 * Turns what a user typed into one circuit or customer. The caller passes only what the asker may see, and
 * every answer (found, ambiguous, not found, suggestions) is computed from that list alone, so the reply is
 * the same whether or not a matching circuit exists in a customer the asker cannot see.
 */

export interface CircuitCandidate {
  customerId: string;
  customerName: string;
  circuit: { id: string; name: string };
}

export interface CustomerCandidate {
  id: string;
  name: string;
}

const ARM_ID_PREFIX = '/subscriptions/';

function label(c: CircuitCandidate): string {
  return `${c.customerId}/${c.circuit.name}`;
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function lastSegment(id: string): string {
  const parts = id.split('/').filter(Boolean);
  return parts[parts.length - 1] ?? id;
}

function normaliseId(id: string): string {
  return id.trim().replace(/\/+$/, '').toLowerCase();
}

function quoted(text: string): string {
  const short = text.length > 80 ? `${text.slice(0, 77)}…` : text;
  return `'${short}'`;
}

/** `noun` names what is being looked for ("circuit", "route table") in the messages. */
export function resolveCircuit<C extends CircuitCandidate>(query: string, candidates: readonly C[], noun = 'circuit'): C {
  const q = query.trim();
  let matches: C[];
  let nameForSuggestions: string;
  let customerPart: string | undefined;
  if (q.toLowerCase().startsWith(ARM_ID_PREFIX)) {
    const id = normaliseId(q);
    matches = candidates.filter((c) => normaliseId(c.circuit.id) === id);
    nameForSuggestions = lastSegment(q);
  } else if (q.includes('/')) {
    const slash = q.indexOf('/');
    customerPart = q.slice(0, slash).trim();
    nameForSuggestions = q.slice(slash + 1).trim();
    const cp = customerPart;
    matches = candidates.filter((c) => (same(c.customerId, cp) || same(c.customerName, cp)) && same(c.circuit.name, nameForSuggestions));
  } else {
    nameForSuggestions = q;
    matches = candidates.filter((c) => same(c.circuit.name, q));
  }

  const [only, ...others] = matches;
  if (only && others.length === 0) return only;
  if (only) {
    const names = matches.map(label).sort();
    throw new CodedError(ErrorCode.Ambiguous, `More than one ${noun} is called ${quoted(q)}: ${names.join(', ')}.`, {
      hint: `Say which one with customer/name, e.g. \`${names[0]}\`.`,
      details: { candidates: names },
    });
  }

  const pool = customerPart === undefined ? candidates : scopeToCustomer(customerPart, candidates);
  const suggestions = suggestCircuits(nameForSuggestions, pool.length > 0 ? pool : candidates);
  throw new CodedError(ErrorCode.NotFound, `I can't find a ${noun} ${quoted(q)} among the ${noun}s you can see.`, {
    hint:
      suggestions.length > 0
        ? `Did you mean ${suggestions.map((s) => `\`${s}\``).join(', ')}?`
        : ['Try ', noun === 'circuit' ? { say: 'circuits' } : { say: 'udr' }, ` to list the ${noun}s you can see.`],
    details: { suggestions },
  });
}

function scopeToCustomer<C extends CircuitCandidate>(customer: string, candidates: readonly C[]): C[] {
  return candidates.filter((c) => same(c.customerId, customer) || same(c.customerName, customer));
}

function suggestCircuits(name: string, candidates: readonly CircuitCandidate[]): string[] {
  // Rank by the circuit name, but show customer/name so that the suggestion can be pasted back unambiguously.
  const byName = new Map<string, string[]>();
  for (const c of candidates) {
    const list = byName.get(c.circuit.name) ?? [];
    list.push(label(c));
    byName.set(c.circuit.name, list);
  }
  return suggest(name, byName.keys(), 5)
    .flatMap((n) => byName.get(n) ?? [])
    .slice(0, 5);
}

export function resolveCustomer<C extends CustomerCandidate>(query: string, customers: readonly C[]): C {
  const q = query.trim();
  const byId = customers.filter((c) => same(c.id, q));
  const matches = byId.length > 0 ? byId : customers.filter((c) => same(c.name, q));
  const [only, ...others] = matches;
  if (only && others.length === 0) return only;
  if (only) {
    const ids = matches.map((c) => c.id).sort();
    throw new CodedError(ErrorCode.Ambiguous, `More than one customer is called ${quoted(q)}: ${ids.join(', ')}.`, {
      hint: `Use the customer id, e.g. \`${ids[0]}\`.`,
      details: { candidates: ids },
    });
  }
  const labels = new Map<string, string>();
  for (const c of customers) {
    labels.set(c.id, c.id);
    labels.set(c.name, c.id);
  }
  const suggestions = [...new Set(suggest(q, labels.keys(), 10).map((l) => labels.get(l) ?? l))].slice(0, 5);
  throw new CodedError(ErrorCode.NotFound, `I can't find a customer ${quoted(q)} among the customers you can see.`, {
    hint:
      suggestions.length > 0
        ? `Did you mean ${suggestions.map((s) => `\`${s}\``).join(', ')}?`
        : ['Try ', { say: 'customers' }, ' to list the customers you can see.'],
    details: { suggestions },
  });
}

export type ResolvedTarget<Cu, Ci> = { kind: 'customer'; customer: Cu } | { kind: 'circuit'; circuit: Ci };

/**
 * For `status [customer|circuit]` and friends: an exact customer id or name wins, then a circuit. A miss
 * suggests from both lists.
 */
export function resolveTarget<Cu extends CustomerCandidate, Ci extends CircuitCandidate>(
  query: string,
  customers: readonly Cu[],
  circuits: readonly Ci[],
): ResolvedTarget<Cu, Ci> {
  const q = query.trim();
  if (!q.includes('/')) {
    const customer = customers.filter((c) => same(c.id, q) || same(c.name, q));
    if (customer.length === 1 && customer[0]) return { kind: 'customer', customer: customer[0] };
  }
  try {
    return { kind: 'circuit', circuit: resolveCircuit(q, circuits) };
  } catch (e) {
    if (!(e instanceof CodedError) || e.code !== ErrorCode.NotFound) throw e;
    const circuitSuggestions = (e.details?.suggestions as string[] | undefined) ?? [];
    const customerSuggestions = q.includes('/')
      ? []
      : suggest(
          q,
          customers.map((c) => c.id),
          5,
        );
    const suggestions = [...customerSuggestions, ...circuitSuggestions].slice(0, 5);
    throw new CodedError(ErrorCode.NotFound, `I can't find a customer or circuit ${quoted(q)} among those you can see.`, {
      hint:
        suggestions.length > 0
          ? `Did you mean ${suggestions.map((s) => `\`${s}\``).join(', ')}?`
          : ['Try ', { say: 'customers' }, ' or ', { say: 'circuits' }, ' to see what you can ask about.'],
      details: { suggestions },
    });
  }
}
