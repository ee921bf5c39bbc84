import { CodedError, ErrorCode } from '../errors';
import { type Hint, hintText } from '../command-names';
import { closeness, suggest } from '../directory/suggest';
import { looksLikePrefix, parseAddress, parsePrefix } from '../network/ip-prefix';
import { commandWords, findCommand, type CommandSpec } from './catalog';
import {
  AFTER_CIRCUIT,
  optionsUsage,
  PATH_CHOICES,
  PATH_WORDS,
  PEERING_CHOICES,
  PEERING_WORDS,
  PUBLIC_PEERING_WORDS,
  REQUESTS_FILTERS,
  ALERTS_FILTERS,
  type OptionName,
  type TargetRef,
} from './command-args';
import {
  EMERGENCY_CHANGE_KINDS,
  type AlertsFilter,
  type EmergencyChange,
  type Intent,
  type IntentKind,
  type IntentOf,
  type PathChoice,
  type PeeringChoice,
  type RequestsFilter,
} from './intent';
import {
  changeTargetProblem,
  circuitRefProblem,
  clip,
  customerOrCircuitProblem,
  customerOrRouteTableProblem,
  customerRefProblem,
  nicOrVmRefProblem,
  requestIdProblem,
  alertIdProblem,
  silenceIdProblem,
} from './references';
import { assertValidIntent } from './validate-intent';
import { badInput, orList } from './usage-error';
import { parseTypedChange, type ViewFallback } from './parse-change';
import { plainText, reasonText } from './plain-text';
import { silenceDurationProblem } from '../alerts/silence-duration';

/** Longest command accepted, after the channel's markup is removed. */
export const MAX_TEXT_LENGTH = 2000;
/** Raw text past this is refused before any work, so that a huge message costs nothing. */
const MAX_RAW_LENGTH = 20_000;

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

/** The command's text, plain (plain-text.ts) and without a leading `/`, refused if too long before or after. */
function commandText(text: string): string {
  if (text.length > MAX_RAW_LENGTH) throw tooLong();
  const s = plainText(text).replace(/^\/+/, '').trim();
  if (s.length > MAX_TEXT_LENGTH) throw tooLong();
  return s;
}

// ---- errors that name the problem and show how to say it (badInput: see usage-error.ts) ----

function unknownCommand(word: string): CodedError {
  const suggestions = [...new Set(suggest(word, commandWords(), 10).map((w) => findCommand(w)?.name ?? w))].slice(0, 3);
  return new CodedError(ErrorCode.UnknownCommand, hintText([`I don't know '${clip(word, 40)}'. Try `, { say: 'help' }, '.']), {
    ...(suggestions.length > 0 ? { hint: `Did you mean ${suggestions.map((s) => `\`${s}\``).join(' or ')}?` } : {}),
    details: { suggestions },
  });
}

// ---- reading the words by the command's ArgSpec (command-args.ts) ----

/** How each kind of target is checked, and how its absence or a second one is said. */
interface TargetRule {
  problem: (s: string) => string | undefined;
  /** The rest of the line is one value (customer names may have spaces). */
  wholeLine?: true;
  missing?: (command: string) => Hint;
  extra?: (command: string, raw: string) => string;
  canonical?: (s: string) => string;
}

const needsCircuit = (command: string) => `\`${command}\` needs a circuit: its name, customer/name, or its ARM id`;

const TARGETS: Record<TargetRef, TargetRule> = {
  // Looked up by `help` itself, after the one-name check.
  command: { problem: () => undefined, extra: (command, raw) => `\`${command}\` takes one command name; I didn't expect '${clip(raw)}'` },
  customer: { problem: customerRefProblem, wholeLine: true },
  customerOrCircuit: { problem: customerOrCircuitProblem, wholeLine: true },
  customerOrRouteTable: { problem: customerOrRouteTableProblem, wholeLine: true },
  circuit: {
    problem: circuitRefProblem,
    missing: needsCircuit,
    extra: (command, raw) => `\`${command}\` takes just one circuit; I didn't expect '${clip(raw)}'`,
  },
  nicOrVm: {
    problem: nicOrVmRefProblem,
    missing: (command) => `\`${command}\` needs a NIC or a VM: its name, customer/name, or its ARM id`,
    extra: (command, raw) => `\`${command}\` takes just one NIC or VM; I didn't expect '${clip(raw)}'`,
  },
  changeTarget: {
    problem: changeTargetProblem,
    missing: (command) => `\`${command}\` needs a circuit, a route table or a route filter: its name, customer/name, or its ARM id`,
    extra: (command, raw) => `\`${command}\` takes just one circuit, route table or route filter; I didn't expect '${clip(raw)}'`,
  },
  requestId: {
    problem: requestIdProblem,
    missing: (command) => [`\`${command}\` needs a change request id, e.g. CR-7F3K2QX (`, { say: 'requests' }, ' lists them)'],
    extra: (command, raw) => `\`${command}\` takes one request id; I didn't expect '${clip(raw)}'`,
    canonical: (s) => s.toUpperCase(),
  },
  alertId: {
    problem: alertIdProblem,
    missing: (command) => [`\`${command}\` needs an alert id, e.g. AL-7F3K2QX (`, { say: 'alerts' }, ' lists them)'],
    extra: (command, raw) => `\`${command}\` takes one alert id; I didn't expect '${clip(raw)}'`,
    canonical: (s) => s.toUpperCase(),
  },
  silenceId: {
    problem: silenceIdProblem,
    missing: (command) => [`\`${command}\` needs a silence id, e.g. SI-7F3K2QX (`, { say: 'silences' }, ' lists them)'],
    extra: (command, raw) => `\`${command}\` takes one silence id; I didn't expect '${clip(raw)}'`,
    canonical: (s) => s.toUpperCase(),
  },
  circuitOrCustomer: {
    problem: circuitRefProblem,
    missing: (command) => `\`${command}\` needs a circuit (its name, customer/name or ARM id) or a customer id`,
  },
};

/** What the words said, by the command's ArgSpec. */
interface Parsed {
  target?: string;
  rest?: string;
  peering?: PeeringChoice;
  path?: PathChoice;
  prefix?: string;
  destination?: string;
  page?: number;
  count?: number;
  filter?: RequestsFilter;
  alertFilter?: AlertsFilter;
  duration?: string;
}

type AfterCircuit = 'peering' | 'path' | 'prefix' | 'destination' | 'page';
const PLURAL: Record<AfterCircuit, string> = {
  peering: 'peerings',
  path: 'paths',
  prefix: 'prefixes',
  destination: 'destinations',
  page: 'pages',
};

function nearest(token: string, words: readonly string[]): number {
  let best = Infinity;
  for (const w of words) best = Math.min(best, closeness(token, w) ?? Infinity);
  return best;
}

/** Why a token after the circuit means nothing: the closest kind of option it could be a typo of. */
function strayTokenProblem(spec: CommandSpec, raw: string, allowed: readonly OptionName[]): string {
  const t = raw.toLowerCase();
  const peeringScore = allowed.includes('peering') ? nearest(t, [...PEERING_CHOICES, 'public']) : Infinity;
  const pathScore = allowed.includes('path') ? nearest(t, PATH_CHOICES) : Infinity;
  if (peeringScore < Infinity && peeringScore <= pathScore) {
    return `'${clip(raw)}' isn't a peering; choose ${orList(PEERING_CHOICES)}`;
  }
  if (pathScore < Infinity) return `'${clip(raw)}' isn't a path; choose ${orList(PATH_CHOICES)}`;
  if (allowed.includes('prefix') && looksLikePrefix(t)) return `'${clip(raw)}' isn't a valid IPv4 or IPv6 prefix`;
  const target = spec.args.target?.ref === 'nicOrVm' ? 'the NIC or VM' : 'the circuit';
  return `I didn't understand '${clip(raw)}' after ${target}; \`${spec.name}\` takes ${optionsUsage(allowed)}`;
}

function parsePage(spec: CommandSpec, value: string | undefined): number {
  if (value === undefined || value === '') throw badInput(spec, '`page` needs a number, e.g. `page 2`');
  if (!/^\d{1,6}$/.test(value) || Number(value) < 1 || Number(value) > 100_000) {
    throw badInput(spec, `'${clip(value)}' isn't a page number; use a whole number from 1`);
  }
  return Number(value);
}

/** One destination address; a prefix or a malformed address is refused saying which. */
function destinationOf(spec: CommandSpec, raw: string): string {
  const address = parseAddress(raw);
  if (address && !raw.includes('/')) return address.text;
  throw badInput(
    spec,
    raw.includes('/') && parsePrefix(raw).ok
      ? `'${clip(raw)}' is a prefix; give one destination address, e.g. 10.20.1.5`
      : `'${clip(raw)}' isn't a valid IP address`,
  );
}

/**
 * `<circuit>` (or the command's other one-word target, a NIC) then options in any order; an IP or prefix is the
 * prefix, or the destination, wherever it appears.
 */
function circuitWithOptions(spec: CommandSpec, tokens: string[]): Parsed {
  const allowed = spec.args.options ?? [];
  const rule = TARGETS[spec.args.target?.ref ?? 'circuit'];
  const missing = rule.missing?.(spec.name) ?? needsCircuit(spec.name);
  const found: Parsed = {};
  const setOnce = <N extends AfterCircuit>(name: N, value: NonNullable<Parsed[N]>, raw: string) => {
    if (!allowed.includes(name)) {
      throw badInput(
        spec,
        name === 'path' && spec.args.showsBothPaths
          ? `\`${spec.name}\` already shows both ${PATH_CHOICES.join(' and ')}; leave out '${clip(raw)}'`
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
    const peering = PEERING_WORDS.get(t);
    const path = PATH_WORDS.get(t);
    const pageMatch = /^page(?:=(.*))?$/.exec(t);
    if (peering) setOnce('peering', peering, raw);
    else if (PUBLIC_PEERING_WORDS.has(t)) {
      throw badInput(spec, `Azure public peering is deprecated and not shown; choose ${orList(PEERING_CHOICES)}`);
    } else if (path) setOnce('path', path, raw);
    else if (pageMatch) {
      const value = pageMatch[1] ?? tokens[++i];
      setOnce('page', parsePage(spec, value), raw);
    } else if (allowed.includes('destination') && looksLikePrefix(raw)) setOnce('destination', destinationOf(spec, raw), raw);
    else if (parsePrefix(raw, { bareAddress: 'host' }).ok) setOnce('prefix', raw.toLowerCase(), raw);
    else if (found.target === undefined) {
      const problem = rule.problem(raw);
      if (problem) throw badInput(spec, problem);
      found.target = raw;
    } else throw badInput(spec, strayTokenProblem(spec, raw, allowed));
  }
  if (found.target === undefined) throw badInput(spec, missing);
  return found;
}

/** A trailing count (`audit contoso 50`), taken off the words. */
function takeCount(spec: CommandSpec, tokens: string[]): number | undefined {
  const last = tokens[tokens.length - 1];
  if (last === undefined || !/^\d{1,6}$/.test(last)) return undefined;
  const count = Number(last);
  if (count < 1 || count > 200) throw badInput(spec, 'the count is a whole number from 1 to 200');
  tokens.pop();
  return count;
}

/** A trailing `open` or `all` (`alerts contoso all`), taken off the words. */
function takeAlertsFilter(tokens: string[]): AlertsFilter | undefined {
  const filter = ALERTS_FILTERS.find((f) => f === tokens[tokens.length - 1]?.toLowerCase());
  if (filter !== undefined) tokens.pop();
  return filter;
}

/** The duration word after the target (`silence er1 2h …`). */
function takeDuration(spec: CommandSpec, missing: string, after: readonly string[]): string {
  const [word] = after;
  if (word === undefined) throw badInput(spec, missing);
  const problem = silenceDurationProblem(word);
  if (problem) throw badInput(spec, problem);
  return word.toLowerCase();
}

function readArgs(spec: CommandSpec, words: readonly string[]): Parsed {
  const { lead, target, options = [], rest } = spec.args;
  const tokens = [...words];
  if (lead) {
    if (tokens.shift()?.toLowerCase() !== lead.word) throw badInput(spec, `\`${spec.name}\` is written \`${spec.usage}\`, ${lead.where}`);
  }
  if (options.includes('filter')) {
    const [word, extra] = tokens;
    if (word === undefined) return {};
    const filter = REQUESTS_FILTERS.find((f) => f === word.toLowerCase());
    if (extra !== undefined || filter === undefined) {
      throw badInput(spec, `\`${spec.name}\` takes ${orList(REQUESTS_FILTERS)}; I didn't expect '${clip(tokens.join(' '))}'`);
    }
    return { filter };
  }
  const count = options.includes('count') ? takeCount(spec, tokens) : undefined;
  const alertFilter = options.includes('alertFilter') ? takeAlertsFilter(tokens) : undefined;
  const withCount = { ...(count === undefined ? {} : { count }), ...(alertFilter === undefined ? {} : { alertFilter }) };
  if (!target) {
    const [first] = tokens;
    if (first !== undefined) throw badInput(spec, `\`${spec.name}\` takes no arguments; I didn't expect '${clip(first)}'`);
    return withCount;
  }
  if (options.some((o) => AFTER_CIRCUIT.has(o))) return circuitWithOptions(spec, tokens);

  const rule = TARGETS[target.ref];
  const missing = () => badInput(spec, target.missing ?? rule.missing?.(spec.name) ?? `\`${spec.name}\` needs a ${target.ref}`);
  if (rule.wholeLine) {
    if (tokens.length === 0) {
      if (target.optional) return withCount;
      throw missing();
    }
    const line = tokens.join(' ');
    const problem = rule.problem(line);
    if (problem) throw badInput(spec, problem);
    return { target: line, ...withCount };
  }
  const [first, ...afterTarget] = tokens;
  if (first === undefined) {
    if (target.optional) return withCount;
    throw missing();
  }
  const problem = rule.problem(first);
  if (problem) throw badInput(spec, problem);
  const value = rule.canonical?.(first) ?? first;
  const duration = spec.args.duration ? takeDuration(spec, spec.args.duration.missing, afterTarget) : undefined;
  const after = duration === undefined ? afterTarget : afterTarget.slice(1);
  if (rest) {
    const text = after.join(' ');
    if (text === '') throw badInput(spec, rest.missing);
    return { target: value, ...(duration === undefined ? {} : { duration }), rest: text, ...withCount };
  }
  const [extra] = after;
  if (extra !== undefined) throw badInput(spec, rule.extra?.(spec.name, extra) ?? `I didn't expect '${clip(extra)}'`);
  return { target: value, ...withCount };
}

/** Splits off `--fresh` anywhere, and a bare trailing `fresh`, as the command's ArgSpec says. */
function takeFresh(spec: CommandSpec, tokens: string[]): { tokens: string[]; fresh: boolean } {
  const how = spec.args.fresh;
  if (how === 'none') return { tokens, fresh: false };
  let fresh = false;
  const rest: string[] = [];
  for (const token of tokens) {
    if (FRESH_FLAG.test(token)) fresh = true;
    else if (/^--?[a-z]/i.test(token)) {
      throw badInput(spec, `'${clip(token)}' isn't an option I know; the only one is --fresh`);
    } else rest.push(token);
  }
  if (how === 'flag-or-word' && rest[rest.length - 1]?.toLowerCase() === 'fresh') {
    rest.pop();
    fresh = true;
  }
  return { tokens: rest, fresh };
}

// ---- the Intent each command builds from what was read ----

type TypedChangeKind = 'peering' | 'filter' | 'route' | 'authorization';
interface Words {
  spec: CommandSpec;
  tokens: string[];
  fresh: boolean;
}
/** The typed change commands fall back to a read command's intent, so they answer with any Intent. */
type Build<K extends IntentKind> = (parsed: Parsed, words: Words) => K extends TypedChangeKind ? Intent : IntentOf<K>;

const freshOf = ({ fresh }: Words): { fresh?: true } => (fresh ? { fresh: true } : {});
/** A required target or text, which readArgs has checked is there ('' would fail the Intent's own check). */
const required = (value: string | undefined): string => value ?? '';

/** `peering`, `filter` and `route` alone were aliases of the read commands; they still answer like them. */
const viewFallback: ViewFallback = (kind, tokens) => {
  const spec = findCommand(kind);
  if (!spec) throw new Error(`no catalog entry for ${kind}`);
  return interpret(spec, tokens);
};

const BUILD: { [K in IntentKind]: Build<K> } = {
  help: ({ target }) => {
    if (target === undefined) return { kind: 'help' };
    const named = findCommand(target.replace(/^\//, ''));
    if (!named) throw unknownCommand(target);
    return { kind: 'help', command: named.name };
  },
  customers: () => ({ kind: 'customers' }),
  circuits: ({ target }, w) => ({ kind: 'circuits', ...(target ? { customer: target } : {}), ...freshOf(w) }),
  filters: ({ target }, w) => ({ kind: 'filters', ...(target ? { customer: target } : {}), ...freshOf(w) }),
  status: ({ target }, w) => ({ kind: 'status', ...(target ? { target } : {}), ...freshOf(w) }),
  udr: ({ target }, w) => ({ kind: 'udr', ...(target ? { target } : {}), ...freshOf(w) }),
  security: ({ target }, w) => ({ kind: 'security', target: required(target), ...freshOf(w) }),
  'effective-routes': ({ target, destination, page }, w) => ({
    kind: 'effective-routes',
    target: required(target),
    ...(destination ? { destination } : {}),
    ...(page !== undefined ? { page } : {}),
    ...freshOf(w),
  }),
  circuit: ({ target }, w) => ({ kind: 'circuit', circuit: required(target), ...freshOf(w) }),
  bandwidth: ({ target }, w) => ({ kind: 'bandwidth', circuit: required(target), ...freshOf(w) }),
  peerings: ({ target }, w) => ({ kind: 'peerings', circuit: required(target), ...freshOf(w) }),
  routes: ({ target, peering, path, prefix, page }, w) => ({
    kind: 'routes',
    circuit: required(target),
    ...(peering ? { peering } : {}),
    ...(path ? { path } : {}),
    ...(prefix ? { prefix } : {}),
    ...(page !== undefined ? { page } : {}),
    ...freshOf(w),
  }),
  bgp: ({ target, peering }, w) => ({ kind: 'bgp', circuit: required(target), ...(peering ? { peering } : {}), ...freshOf(w) }),
  arp: ({ target, peering, path }, w) => ({
    kind: 'arp',
    circuit: required(target),
    ...(peering ? { peering } : {}),
    ...(path ? { path } : {}),
    ...freshOf(w),
  }),
  // "2 Gbps" arrives as two tokens; "2Gbps" and "2000" as one.
  upgrade: ({ target, rest }) => ({ kind: 'upgrade', circuit: required(target), bandwidth: required(rest) }),
  change: ({ target }) => ({ kind: 'change', circuit: required(target) }),
  peering: (_, w) => parseTypedChange('peering', w, viewFallback),
  filter: (_, w) => parseTypedChange('filter', w, viewFallback),
  route: (_, w) => parseTypedChange('route', w, viewFallback),
  authorization: (_, w) => parseTypedChange('authorization', w, viewFallback),
  key: ({ target }) => ({ kind: 'key', id: required(target) }),
  'submit-change': (_, { spec }) => {
    throw badInput(spec, ['the change form is submitted from its card; type ', { say: 'change', args: ['<circuit>'] }, ' to get it']);
  },
  requests: ({ filter }) => ({ kind: 'requests', ...(filter ? { filter } : {}) }),
  request: ({ target }) => ({ kind: 'request', id: required(target) }),
  approve: ({ target }) => ({ kind: 'approve', id: required(target) }),
  cancel: ({ target }) => ({ kind: 'cancel', id: required(target) }),
  reject: ({ target, rest }, { spec }) => {
    // Cleaned like a reason entered on the card (card-data.ts): a reason of links or invisible characters only is none.
    const reason = reasonText(required(rest));
    if (reason === '') throw badInput(spec, spec.args.rest?.missing ?? 'a rejection needs a reason');
    return { kind: 'reject', id: required(target), reason };
  },
  audit: ({ target, count }) => ({ kind: 'audit', ...(target ? { customer: target } : {}), ...(count !== undefined ? { count } : {}) }),
  'approvals-channel': ({ target }) => ({ kind: 'approvals-channel', customer: required(target) }),
  'link-here': ({ target }) => ({ kind: 'link-here', ...(target ? { customer: target } : {}) }),
  'unlink-here': ({ target }) => ({ kind: 'unlink-here', customer: required(target) }),
  alerts: ({ target, alertFilter }, { spec }) => {
    const [first, ...customer] = (target ?? '').split(' ');
    if (first?.toLowerCase() === 'here') {
      if (customer.length === 0 || alertFilter)
        throw badInput(spec, ['in the channel that should get the alert cards, type ', { say: 'alerts', args: ['here', '<customer>'] }]);
      return { kind: 'alerts', here: true, customer: customer.join(' ') };
    }
    return { kind: 'alerts', ...(target ? { customer: target } : {}), ...(alertFilter ? { filter: alertFilter } : {}) };
  },
  ack: ({ target }) => ({ kind: 'ack', id: required(target) }),
  silence: ({ target, duration, rest }, { spec }) => {
    const reason = reasonText(required(rest));
    if (reason === '') throw badInput(spec, spec.args.rest?.missing ?? 'a silence needs a reason');
    return { kind: 'silence', target: required(target), duration: required(duration), reason };
  },
  silences: () => ({ kind: 'silences' }),
  unsilence: ({ target }) => ({ kind: 'unsilence', id: required(target) }),
  rollback: ({ target }) => ({ kind: 'rollback', id: required(target) }),
  emergency: (_, { spec, tokens }) => ({ kind: 'emergency', ...emergencyOf(spec, tokens) }),
};

/** `emergency <change command> because <reason>`: the wrapped command read by its own entry, and the reason. */
function emergencyOf(spec: CommandSpec, tokens: readonly string[]): { change: EmergencyChange; reason: string } {
  const wraps = spec.args.wraps;
  if (!wraps) throw new Error(`${spec.name} wraps no command`);
  const changes = orList(EMERGENCY_CHANGE_KINDS.map((k) => `\`${k}\``));
  // The first `because`: a reason may say "because" again, a change command never does.
  const at = tokens.findIndex((t) => t.toLowerCase() === wraps.joiner);
  const inner = at < 0 ? tokens : tokens.slice(0, at);
  const [head, ...rest] = inner;
  if (head === undefined) {
    throw badInput(spec, `\`${spec.name}\` needs the change to make first (${changes}), then \`${wraps.joiner}\` and the reason`);
  }
  const wrapped = findCommand(head);
  if (wrapped?.kind === 'emergency') {
    throw badInput(spec, `write \`${spec.name}\` once, before the change; an emergency can't wrap another one`);
  }
  if (wrapped?.kind === 'change' || wrapped?.kind === 'submit-change') {
    throw badInput(spec, `the change form has no emergency override; type the change itself after \`${spec.name}\` (${changes})`);
  }
  if (!wrapped || !isEmergencyChangeKind(wrapped.kind)) {
    throw badInput(spec, `'${clip(head, 40)}' isn't a change command; after \`${spec.name}\` comes one of ${changes}`);
  }
  if (at < 0) {
    throw badInput(spec, `an emergency override needs a reason: add \`${wraps.joiner} <${wraps.rest}>\` after the change`);
  }
  // Cleaned like any typed reason: a reason of links or invisible characters only is none.
  const reason = reasonText(tokens.slice(at + 1).join(' '));
  if (reason === '') throw badInput(spec, `say why after \`${wraps.joiner}\`: the reason is shown on the card and in the audit`);
  const change = interpret(wrapped, rest);
  // `peering er1` alone lists the peerings: a change command that asks for no change.
  if (!isEmergencyChange(change)) {
    throw badInput(
      spec,
      `\`${clip(inner.join(' '), 80)}\` doesn't ask for a change; say what to change, e.g. \`${wrapped.examples[0] ?? wrapped.usage}\``,
    );
  }
  return { change, reason };
}

function isEmergencyChangeKind(kind: IntentKind): kind is EmergencyChange['kind'] {
  return (EMERGENCY_CHANGE_KINDS as readonly string[]).includes(kind);
}

function isEmergencyChange(intent: Intent): intent is EmergencyChange {
  return isEmergencyChangeKind(intent.kind);
}

/** The words after a command's name → its Intent, read by the command's catalog entry. */
function interpret(spec: CommandSpec, words: string[]): Intent {
  const { tokens, fresh } = takeFresh(spec, words);
  const parsed = spec.args.changeKinds || spec.args.wraps ? {} : readArgs(spec, tokens);
  return BUILD[spec.kind](parsed, { spec, tokens, fresh });
}

/**
 * Text → Intent (DESIGN Contract 1). Case-insensitive and tolerant of spacing; the channel's markup is removed
 * before (src/teams/channel-text.ts). Throws CodedError (UnknownCommand, BadInput) with the usage and an
 * example; never anything else.
 */
export function parseCommand(text: string): Intent {
  if (typeof text !== 'string') {
    throw new CodedError(ErrorCode.BadInput, 'That message has no text.', { hint: ['Type ', { say: 'help' }, ' to see the commands.'] });
  }
  const [head, ...rest] = commandText(text)
    .split(' ')
    .filter((t) => t.length > 0);
  if (head === undefined) return { kind: 'help' };
  const spec = findCommand(head);
  if (!spec) throw unknownCommand(head);
  return assertValidIntent(interpret(spec, rest));
}
