import { CodedError, ErrorCode } from '../errors';
import { closeness, suggest } from '../directory/suggest';
import { looksLikePrefix, parsePrefix } from '../network/ip-prefix';
import { commandWords, findCommand, type CommandSpec } from './catalog';
import type { Intent, IntentKind, IntentOf, PathChoice, PeeringChoice } from './intent';
import {
  changeTargetProblem,
  circuitRefProblem,
  clip,
  customerOrCircuitProblem,
  customerOrRouteTableProblem,
  customerRefProblem,
  requestIdProblem,
} from './references';
import { assertValidIntent } from './validate-intent';
import { badInput } from './usage-error';
import { parseTypedChange, type ViewFallback } from './parse-change';

/** Longest command accepted, after mentions and markup are removed. */
export const MAX_TEXT_LENGTH = 2000;
/** Raw text past this is refused before any cleaning, so that a huge message costs nothing. */
const MAX_RAW_LENGTH = 20_000;

const PEERING_WORDS: Record<string, PeeringChoice> = {
  private: 'private',
  priv: 'private',
  azureprivatepeering: 'private',
  microsoft: 'microsoft',
  ms: 'microsoft',
  msft: 'microsoft',
  microsoftpeering: 'microsoft',
};
const PUBLIC_WORDS = new Set(['public', 'azurepublicpeering']);
const PATH_WORDS: Record<string, PathChoice> = {
  primary: 'primary',
  pri: 'primary',
  secondary: 'secondary',
  sec: 'secondary',
};
/** `--fresh`, and the dashes that Teams' autocorrect makes of `--`. */
const FRESH_FLAG = /^(?:--?|\u2013|\u2014)fresh$/i;

function tooLong(): CodedError {
  return new CodedError(ErrorCode.BadInput, `That message is too long for a command (over ${MAX_TEXT_LENGTH} characters).`, {
    hint: [
      'Commands are short, e.g. ',
      { say: 'status' },
      ' or ',
      { say: 'routes', args: ['contoso/er1'] },
      '. Type ',
      { say: 'help' },
      ' to see them.',
    ],
  });
}

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, (whole, body: string) => {
    const lower = body.toLowerCase();
    if (lower.startsWith('#')) {
      const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
    }
    return ENTITIES[lower] ?? whole;
  });
}

/** Removes leading Teams mentions (`<at>Bot</at>`), one after another. */
function stripLeadingMentions(s: string): string {
  let rest = s;
  for (;;) {
    const trimmed = rest.trimStart();
    if (!/^<at[\s>]/i.test(trimmed)) return trimmed;
    const end = trimmed.toLowerCase().indexOf('</at>');
    if (end < 0) return trimmed;
    rest = trimmed.slice(end + '</at>'.length);
  }
}

/**
 * Chat text → plain, single-spaced text: no mentions, markup, entities, control or invisible characters.
 * Unicode letters are kept; the argument checks decide whether they are acceptable where they appear.
 */
export function cleanCommandText(text: string): string {
  if (text.length > MAX_RAW_LENGTH) throw tooLong();
  // Teams separates mentions with &nbsp;, so that one entity goes before the mentions are found.
  let s = stripLeadingMentions(text.replace(/&nbsp;/gi, ' '));
  s = s.replace(/<\/?[a-z][^<>]{0,500}>/gi, ' ');
  s = decodeEntities(s);
  s = s.normalize('NFKC');
  s = s.replace(/\s+/gu, ' ');
  s = s.replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/gu, '');
  s = s.trim().replace(/^\/+/, '').trim();
  if (s.length > MAX_TEXT_LENGTH) throw tooLong();
  return s;
}

// ---- errors that name the problem and show how to say it (badInput: see usage-error.ts) ----

function unknownCommand(word: string): CodedError {
  const suggestions = [...new Set(suggest(word, commandWords(), 10).map((w) => findCommand(w)?.name ?? w))].slice(0, 3);
  return new CodedError(ErrorCode.UnknownCommand, `I don't know '${clip(word, 40)}'. Try \`help\`.`, {
    ...(suggestions.length > 0 ? { hint: `Did you mean ${suggestions.map((s) => `\`${s}\``).join(' or ')}?` } : {}),
    details: { suggestions },
  });
}

// ---- argument parsers, one per intent kind ----

interface Args {
  spec: CommandSpec;
  tokens: string[];
  fresh: boolean;
}

type ArgParser<K extends IntentKind> = (args: Args) => IntentOf<K>;

function freshOf(args: Args): { fresh?: true } {
  return args.fresh ? { fresh: true } : {};
}

function noArguments({ spec, tokens }: Args): void {
  const [first] = tokens;
  if (first !== undefined) throw badInput(spec, `\`${spec.name}\` takes no arguments; I didn't expect '${clip(first)}'`);
}

/** The rest of the line as one optional argument (customer names may have spaces). */
function optionalRest({ spec, tokens }: Args, problemOf: (s: string) => string | undefined): string | undefined {
  if (tokens.length === 0) return undefined;
  const rest = tokens.join(' ');
  const problem = problemOf(rest);
  if (problem) throw badInput(spec, problem);
  return rest;
}

function missingCircuit(spec: CommandSpec): CodedError {
  return badInput(spec, `\`${spec.name}\` needs a circuit: its name, customer/name, or its ARM id`);
}

function oneCircuit({ spec, tokens }: Args): string {
  const [circuit, extra] = tokens;
  if (circuit === undefined) throw missingCircuit(spec);
  const problem = circuitRefProblem(circuit);
  if (problem) throw badInput(spec, problem);
  if (extra !== undefined) {
    throw badInput(spec, `\`${spec.name}\` takes just one circuit; I didn't expect '${clip(extra)}'`);
  }
  return circuit;
}

type OptionName = 'peering' | 'path' | 'prefix' | 'page';
const PLURAL: Record<OptionName, string> = { peering: 'peerings', path: 'paths', prefix: 'prefixes', page: 'pages' };

interface CircuitOptions {
  circuit: string;
  peering?: PeeringChoice;
  path?: PathChoice;
  prefix?: string;
  page?: number;
}

function nearest(token: string, words: readonly string[]): number {
  let best = Infinity;
  for (const w of words) best = Math.min(best, closeness(token, w) ?? Infinity);
  return best;
}

/** Why a token after the circuit means nothing: the closest kind of option it could be a typo of. */
function strayTokenProblem(spec: CommandSpec, raw: string, allowed: ReadonlySet<OptionName>): string {
  const t = raw.toLowerCase();
  const peeringScore = allowed.has('peering') ? nearest(t, ['private', 'microsoft', 'public']) : Infinity;
  const pathScore = allowed.has('path') ? nearest(t, ['primary', 'secondary']) : Infinity;
  if (peeringScore < Infinity && peeringScore <= pathScore) {
    return `'${clip(raw)}' isn't a peering; choose private or microsoft`;
  }
  if (pathScore < Infinity) return `'${clip(raw)}' isn't a path; choose primary or secondary`;
  if (allowed.has('prefix') && looksLikePrefix(t)) return `'${clip(raw)}' isn't a valid IPv4 or IPv6 prefix`;
  const options = spec.usage.split(' ').slice(2).join(' ');
  return options
    ? `I didn't understand '${clip(raw)}' after the circuit; \`${spec.name}\` takes ${options}`
    : `\`${spec.name}\` takes just one circuit; I didn't expect '${clip(raw)}'`;
}

function parsePage(spec: CommandSpec, value: string | undefined): number {
  if (value === undefined || value === '') throw badInput(spec, '`page` needs a number, e.g. `page 2`');
  if (!/^\d{1,6}$/.test(value) || Number(value) < 1 || Number(value) > 100_000) {
    throw badInput(spec, `'${clip(value)}' isn't a page number; use a whole number from 1`);
  }
  return Number(value);
}

/** `<circuit>` then options in any order; an IP or prefix is the prefix wherever it appears. */
function circuitWithOptions({ spec, tokens }: Args, allowed: ReadonlySet<OptionName>): CircuitOptions {
  let circuit: string | undefined;
  const found: Omit<CircuitOptions, 'circuit'> = {};
  const setOnce = <N extends keyof typeof found>(name: N, value: NonNullable<(typeof found)[N]>, raw: string) => {
    if (!allowed.has(name)) {
      throw badInput(
        spec,
        name === 'path' && spec.kind === 'bgp'
          ? `\`bgp\` already shows both primary and secondary; leave out '${clip(raw)}'`
          : `\`${spec.name}\` doesn't take a ${name}; I didn't expect '${clip(raw)}'`,
      );
    }
    const previous = found[name];
    if (previous !== undefined && previous !== value) {
      throw badInput(spec, `you gave two ${PLURAL[name]} ('${previous}' and '${clip(raw)}'); give one`);
    }
    found[name] = value;
  };

  for (let i = 0; i < tokens.length; i++) {
    const raw = tokens[i] ?? '';
    const t = raw.toLowerCase();
    const peering = PEERING_WORDS[t];
    const path = PATH_WORDS[t];
    const pageMatch = /^page(?:=(.*))?$/.exec(t);
    if (peering) setOnce('peering', peering, raw);
    else if (PUBLIC_WORDS.has(t)) {
      throw badInput(spec, 'Azure public peering is deprecated and not shown; choose private or microsoft');
    } else if (path) setOnce('path', path, raw);
    else if (pageMatch) {
      const value = pageMatch[1] ?? tokens[++i];
      setOnce('page', parsePage(spec, value), raw);
    } else if (parsePrefix(raw, { bareAddress: 'host' }).ok) setOnce('prefix', raw.toLowerCase(), raw);
    else if (circuit === undefined) {
      const problem = circuitRefProblem(raw);
      if (problem) throw badInput(spec, problem);
      circuit = raw;
    } else throw badInput(spec, strayTokenProblem(spec, raw, allowed));
  }
  if (circuit === undefined) throw missingCircuit(spec);
  return { circuit, ...found };
}

const ROUTES_OPTIONS = new Set<OptionName>(['peering', 'path', 'prefix', 'page']);
const BGP_OPTIONS = new Set<OptionName>(['peering']);
const ARP_OPTIONS = new Set<OptionName>(['peering', 'path']);

/** `peering`, `filter` and `route` alone were aliases of the read commands; they still answer like them. */
const viewFallback: ViewFallback = (kind, tokens) => {
  const spec = findCommand(kind);
  if (!spec) throw new Error(`no catalog entry for ${kind}`);
  const { tokens: rest, fresh } = takeFresh(spec, tokens);
  return runParser(spec.kind, { spec, tokens: rest, fresh });
};

// The typed change commands fall back to a read command's intent, so they answer with any Intent.
const PARSERS: { [K in IntentKind]: ArgParser<K> | ((args: Args) => Intent) } = {
  help: ({ spec, tokens }) => {
    const [word, extra] = tokens;
    if (word === undefined) return { kind: 'help' };
    if (extra !== undefined) throw badInput(spec, `\`help\` takes one command name; I didn't expect '${clip(extra)}'`);
    const target = findCommand(word.replace(/^\//, ''));
    if (!target) throw unknownCommand(word);
    return { kind: 'help', command: target.name };
  },
  customers: (args) => {
    noArguments(args);
    return { kind: 'customers' };
  },
  circuits: (args) => {
    const customer = optionalRest(args, customerRefProblem);
    return { kind: 'circuits', ...(customer ? { customer } : {}), ...freshOf(args) };
  },
  filters: (args) => {
    const customer = optionalRest(args, customerRefProblem);
    return { kind: 'filters', ...(customer ? { customer } : {}), ...freshOf(args) };
  },
  status: (args) => {
    const target = optionalRest(args, customerOrCircuitProblem);
    return { kind: 'status', ...(target ? { target } : {}), ...freshOf(args) };
  },
  udr: (args) => {
    const target = optionalRest(args, customerOrRouteTableProblem);
    return { kind: 'udr', ...(target ? { target } : {}), ...freshOf(args) };
  },
  circuit: (args) => ({ kind: 'circuit', circuit: oneCircuit(args), ...freshOf(args) }),
  bandwidth: (args) => ({ kind: 'bandwidth', circuit: oneCircuit(args), ...freshOf(args) }),
  peerings: (args) => ({ kind: 'peerings', circuit: oneCircuit(args), ...freshOf(args) }),
  routes: (args) => ({ kind: 'routes', ...circuitWithOptions(args, ROUTES_OPTIONS), ...freshOf(args) }),
  bgp: (args) => {
    const { circuit, peering } = circuitWithOptions(args, BGP_OPTIONS);
    return { kind: 'bgp', circuit, ...(peering ? { peering } : {}), ...freshOf(args) };
  },
  arp: (args) => {
    const { circuit, peering, path } = circuitWithOptions(args, ARP_OPTIONS);
    return { kind: 'arp', circuit, ...(peering ? { peering } : {}), ...(path ? { path } : {}), ...freshOf(args) };
  },
  upgrade: ({ spec, tokens }) => {
    const [circuit, ...rest] = tokens;
    if (circuit === undefined) throw missingCircuit(spec);
    const problem = circuitRefProblem(circuit);
    if (problem) throw badInput(spec, problem);
    // "2 Gbps" arrives as two tokens; "2Gbps" and "2000" as one.
    const bandwidth = rest.join(' ');
    if (bandwidth === '') throw badInput(spec, '`upgrade` needs the new bandwidth after the circuit');
    return { kind: 'upgrade', circuit, bandwidth };
  },
  change: ({ spec, tokens }) => {
    const [target, extra] = tokens;
    if (target === undefined)
      throw badInput(spec, '`change` needs a circuit, a route table or a route filter: its name, customer/name, or its ARM id');
    const problem = changeTargetProblem(target);
    if (problem) throw badInput(spec, problem);
    if (extra !== undefined)
      throw badInput(spec, `\`change\` takes just one circuit, route table or route filter; I didn't expect '${clip(extra)}'`);
    return { kind: 'change', circuit: target };
  },
  peering: (args) => parseTypedChange('peering', args, viewFallback),
  filter: (args) => parseTypedChange('filter', args, viewFallback),
  route: (args) => parseTypedChange('route', args, viewFallback),
  authorization: (args) => parseTypedChange('authorization', args, viewFallback),
  key: (args) => ({ kind: 'key', id: oneRequestId(args) }),
  'submit-change': ({ spec }) => {
    throw badInput(spec, 'the change form is submitted from its card; type `change <circuit>` to get it');
  },
  requests: ({ spec, tokens }) => {
    const [word, extra] = tokens;
    if (word === undefined) return { kind: 'requests' };
    const filter = word.toLowerCase();
    if (extra !== undefined || (filter !== 'pending' && filter !== 'mine' && filter !== 'all')) {
      throw badInput(spec, `\`requests\` takes pending, mine or all; I didn't expect '${clip(tokens.join(' '))}'`);
    }
    return { kind: 'requests', filter };
  },
  request: (args) => ({ kind: 'request', id: oneRequestId(args) }),
  approve: (args) => ({ kind: 'approve', id: oneRequestId(args) }),
  cancel: (args) => ({ kind: 'cancel', id: oneRequestId(args) }),
  reject: ({ spec, tokens }) => {
    const [id, ...reason] = tokens;
    const checked = oneRequestId({ spec, tokens: id === undefined ? [] : [id], fresh: false });
    if (reason.length === 0) throw badInput(spec, 'a rejection needs a reason the requester will read');
    return { kind: 'reject', id: checked, reason: reason.join(' ').slice(0, 500) };
  },
  audit: ({ spec, tokens }) => {
    const rest = [...tokens];
    let count: number | undefined;
    const last = rest[rest.length - 1];
    if (last !== undefined && /^\d{1,6}$/.test(last)) {
      count = Number(last);
      if (count < 1 || count > 200) throw badInput(spec, 'the count is a whole number from 1 to 200');
      rest.pop();
    }
    const customer = optionalRest({ spec, tokens: rest, fresh: false }, customerRefProblem);
    return { kind: 'audit', ...(customer ? { customer } : {}), ...(count !== undefined ? { count } : {}) };
  },
  'approvals-channel': ({ spec, tokens }) => {
    const [here, ...rest] = tokens;
    if (here?.toLowerCase() !== 'here')
      throw badInput(spec, '`approvals` is written `approvals here <customer>`, in the channel to register');
    const customer = optionalRest({ spec, tokens: rest, fresh: false }, customerRefProblem);
    if (!customer) throw badInput(spec, 'name the customer whose approvals this channel gets');
    return { kind: 'approvals-channel', customer };
  },
};

function oneRequestId({ spec, tokens }: Args): string {
  const [id, extra] = tokens;
  if (id === undefined) throw badInput(spec, `\`${spec.name}\` needs a change request id, e.g. CR-7F3K2QX (\`requests\` lists them)`);
  const problem = requestIdProblem(id);
  if (problem) throw badInput(spec, problem);
  if (extra !== undefined) throw badInput(spec, `\`${spec.name}\` takes one request id; I didn't expect '${clip(extra)}'`);
  return id.toUpperCase();
}

function runParser<K extends IntentKind>(kind: K, args: Args): Intent {
  return PARSERS[kind](args);
}

// The change commands are never read from the cache, and a typed key must not be taken for an option.
const NO_FRESH = new Set<IntentKind>([
  'peering',
  'filter',
  'route',
  'authorization',
  'key',
  'upgrade',
  'change',
  'submit-change',
  'requests',
  'request',
  'approve',
  'reject',
  'cancel',
  'audit',
  'approvals-channel',
]);

/** Splits off `--fresh` anywhere, and a bare trailing `fresh` on commands that read ARM. */
function takeFresh(spec: CommandSpec, tokens: string[]): { tokens: string[]; fresh: boolean } {
  // Change commands always read live, and a rejection's reason is free text that may hold any word.
  if (NO_FRESH.has(spec.kind)) return { tokens, fresh: false };
  let fresh = false;
  const rest: string[] = [];
  for (const token of tokens) {
    if (FRESH_FLAG.test(token)) fresh = true;
    else if (/^--?[a-z]/i.test(token)) {
      throw badInput(spec, `'${clip(token)}' isn't an option I know; the only one is --fresh`);
    } else rest.push(token);
  }
  if (spec.kind !== 'help' && spec.kind !== 'customers' && rest[rest.length - 1]?.toLowerCase() === 'fresh') {
    rest.pop();
    fresh = true;
  }
  return { tokens: rest, fresh };
}

/**
 * Chat text → Intent (DESIGN Contract 1). Case-insensitive, tolerant of spacing, Teams mentions and markup.
 * Throws CodedError (UnknownCommand, BadInput) with the usage and an example; never anything else.
 */
export function parseCommand(text: string): Intent {
  if (typeof text !== 'string') {
    throw new CodedError(ErrorCode.BadInput, 'That message has no text.', { hint: ['Type ', { say: 'help' }, ' to see the commands.'] });
  }
  const cleaned = cleanCommandText(text);
  const [head, ...rest] = cleaned.split(' ').filter((t) => t.length > 0);
  if (head === undefined) return { kind: 'help' };
  const spec = findCommand(head);
  if (!spec) throw unknownCommand(head);
  const { tokens, fresh } = takeFresh(spec, rest);
  return assertValidIntent(runParser(spec.kind, { spec, tokens, fresh }));
}
