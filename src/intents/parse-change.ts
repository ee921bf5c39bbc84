import { parseAddress, parsePrefix } from '../network/ip-prefix';
import type { KindDeclaration } from '../changes/change-kind';
import type { KindField, TypedSyntax } from '../changes/kind-fields';
import { KIND_DECLARATIONS } from '../changes/kinds';
import { isServiceTag } from '../changes/kinds/udr-route/route-destination';
import type { CommandSpec } from './catalog';
import type { Intent } from './intent';
import { changeTargetProblem, circuitRefProblem, clip, isRouteFilterId, RESOURCE_NAME_PATTERN, routeTableRefProblem } from './references';
import { PUBLIC_PEERING_WORDS } from './command-args';
import { badInput, orList } from './usage-error';

/**
 * The typed change commands (`peering`, `filter`, `route`, `authorization`): one line that asks for the same
 * change the form would. The grammar is the kinds' own: each kind declares its typed syntax (which command,
 * which word picks it, keywords or positions) and its fields (words, shapes, nouns, examples), and this reads
 * a line against those declarations. Only the shape is checked here (numbers, prefixes, names); every rule
 * (VLAN range, reserved ASNs, overlaps, known communities…) is the change kind's, on the server, so typed and
 * form input get the same answers.
 *
 * An MD5 key typed after `key` is never repeated in an error: once a line holds one, no error quotes any of
 * its words.
 */

export interface ChangeArgs {
  spec: CommandSpec;
  tokens: string[];
}

/** Runs a read command's parser on the same words: the change commands' names were once their aliases. */
export type ViewFallback = (kind: 'peerings' | 'filters' | 'routes', tokens: string[]) => Intent;

type Input = Record<string, string | number | boolean>;

/** Every word that introduces a secret in any kind: once a line holds one, no error quotes its words. */
const KEY_WORDS = new Set(KIND_DECLARATIONS.flatMap((k) => k.fields.filter((f) => f.shape === 'secret').flatMap((f) => f.words ?? [])));

/**
 * Whether a typed line gives a secret a value (`… key s3cret`), parsed or not: a line that fails to parse has
 * still been posted where it was typed, so the exposure is told either way.
 */
export function typesASecret(text: string): boolean {
  const tokens = text.trim().split(/\s+/);
  return tokens.some((t, i) => KEY_WORDS.has(t.toLowerCase()) && (tokens[i + 1] ?? '') !== '');
}

/** Quotes a word in an error, unless the line holds a secret. */
function quoter(tokens: readonly string[]): (raw: string) => string {
  const secret = tokens.some((t) => KEY_WORDS.has(t.toLowerCase()));
  return (raw) => (secret ? 'a word (not repeated here: your message holds a key)' : `'${clip(raw)}'`);
}

function needTarget(spec: CommandSpec, what: string): never {
  throw badInput(spec, `\`${spec.name}\` needs ${what} first`);
}

function noMore(spec: CommandSpec, extra: string | undefined, q: (s: string) => string): void {
  if (extra !== undefined) throw badInput(spec, `I didn't expect ${q(extra)} at the end`);
}

/** A comma-separated list that may have been typed with spaces after the commas: `a, b` or `a,b`. */
function takeList(tokens: string[], start: number): { items: string[]; next: number } {
  let text = tokens[start] ?? '';
  let i = start + 1;
  while (i < tokens.length && (text.endsWith(',') || (tokens[i] ?? '').startsWith(','))) text += tokens[i++] ?? '';
  return {
    items: text
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
    next: i,
  };
}

const isCidr = (s: string) => parsePrefix(s).ok;
const COMMUNITY = /^\d{1,10}:\d{1,10}$/;
const norm = (s: string) => s.toLowerCase().replace(/[\s_-]/g, '');

/** A shape mistake, turned into a usage error by the caller (which knows the command). */
class ShapeError extends Error {}

/** What a wrong value is not, for "'x' isn't …". */
function notA(field: KindField): string {
  switch (field.shape) {
    case 'number':
      return 'a number';
    case 'asn':
      return 'an AS number';
    case 'subnet':
      return 'a subnet';
    case 'prefix':
      return 'an address prefix';
    case 'prefixOrServiceTag':
      return 'an address prefix or a service tag';
    case 'prefixes':
      return 'a prefix';
    case 'communities':
      return "a BGP community; Microsoft's look like 12076:5010 (a service) or 12076:51004 (a region)";
    case 'ip':
      return 'an IP address';
    case 'name':
      return `a valid ${field.label.toLowerCase()}: use letters, digits, '.', '_' and '-' (1–80 characters)`;
    case 'resource':
      return `a ${field.label.toLowerCase()} name or id`;
    case 'choice':
      return `a ${field.label.toLowerCase()}; use ${(field.choices ?? []).join(', ')}`;
    default:
      return field.noun;
  }
}

/** The choice a word means (any case, or an alias), if any. */
function choiceOf(field: KindField, word: string): string | undefined {
  const w = norm(word);
  return field.choices?.find((c) => norm(c) === w) ?? field.aliases?.[w];
}

/** Reads one field's value at `at`; `how` explains the field when the value is wrong. */
function readValue(
  field: KindField,
  tokens: string[],
  at: number,
  q: (s: string) => string,
  how: string,
): { value: string | number | boolean; next: number } {
  const raw = tokens[at] ?? '';
  const wrong = (bad: string): never => {
    throw new ShapeError(`${q(bad)} isn't ${notA(field)}${how}`);
  };
  switch (field.shape) {
    case 'flag':
      return { value: true, next: at };
    case 'number':
      if (!/^\d{1,10}$/.test(raw)) wrong(raw);
      return { value: Number(raw), next: at + 1 };
    case 'asn': {
      const digits = raw.replace(/^as/i, '');
      if (!/^\d{1,10}$/.test(digits)) wrong(raw);
      return { value: Number(digits), next: at + 1 };
    }
    case 'subnet':
    case 'prefix':
      if (!isCidr(raw)) wrong(raw);
      return { value: raw, next: at + 1 };
    case 'prefixOrServiceTag':
      if (!isCidr(raw) && !isServiceTag(raw)) wrong(raw);
      return { value: raw, next: at + 1 };
    case 'prefixes':
    case 'communities': {
      const { items, next } = takeList(tokens, at);
      const ok = field.shape === 'prefixes' ? isCidr : (c: string) => COMMUNITY.test(c);
      const bad = items.find((x) => !ok(x));
      if (items.length === 0) throw new ShapeError(`give ${field.noun}, separated by commas, e.g. \`${field.example}\``);
      if (bad !== undefined) wrong(bad);
      return { value: items.join(','), next };
    }
    case 'ip':
      if (parseAddress(raw) === undefined) wrong(raw);
      return { value: raw, next: at + 1 };
    case 'name':
      if (!RESOURCE_NAME_PATTERN.test(raw)) wrong(raw);
      return { value: raw, next: at + 1 };
    case 'resource':
      if (!isRouteFilterId(raw) && !RESOURCE_NAME_PATTERN.test(raw)) wrong(raw);
      return { value: raw, next: at + 1 };
    case 'choice': {
      const choice = choiceOf(field, raw);
      if (choice === undefined) wrong(raw);
      return { value: choice as string, next: at + 1 };
    }
    case 'bandwidth':
    case 'secret':
      return { value: raw, next: at + 1 };
  }
}

// ---- the kinds' syntaxes, by command ----

type Command = TypedSyntax['command'];
interface Candidate {
  kind: KindDeclaration;
  syntax: TypedSyntax;
}

function candidatesFor(command: Command): Candidate[] {
  return KIND_DECLARATIONS.flatMap((kind) =>
    (kind.syntax ?? []).filter((syntax) => syntax.command === command).map((syntax) => ({ kind, syntax })),
  );
}

/** The words that pick a kind, first of each, for "use create, attach or communities". */
function pickWords(candidates: readonly Candidate[]): string[] {
  return [...new Set(candidates.map((c) => c.syntax.select[0] ?? ''))].filter((w) => w !== '');
}

function targetProblem(target: TypedSyntax['target'], ref: string): string | undefined {
  if (target === 'routeTable') return routeTableRefProblem(ref);
  if (target === 'changeTarget') return changeTargetProblem(ref);
  return circuitRefProblem(ref);
}

const fieldOf = (kind: KindDeclaration, key: string): KindField => {
  const field = kind.fields.find((f) => f.key === key);
  if (!field) throw new Error(`${kind.name}: typed syntax names unknown field ${key}`);
  return field;
};

function positional(c: Candidate, rest: string[], q: (s: string) => string): { input: Input; next: number } {
  const input: Input = { ...(c.syntax.preset ?? {}) };
  let i = 0;
  for (const key of c.syntax.order ?? []) {
    const field = fieldOf(c.kind, key);
    // A field's own word may stand before its value: `create rf-1 communities 12076:5010`.
    if (rest[i] !== undefined && field.words?.some((w) => w === (rest[i] ?? '').toLowerCase())) i++;
    if (rest[i] === undefined) {
      if (field.optional) break;
      const how =
        field.shape === 'choice'
          ? `: ${(field.choices ?? []).join(', ')}`
          : ['name', 'resource'].includes(field.shape)
            ? ''
            : `, e.g. \`${field.example}\``;
      throw new ShapeError(`give ${field.noun}${how}`);
    }
    const { value, next } = readValue(field, rest, i, q, '');
    input[key] = value;
    i = next;
  }
  return { input, next: i };
}

function keywords(c: Candidate, siblings: readonly Candidate[], rest: string[], q: (s: string) => string): Input {
  const own = new Map(c.kind.fields.flatMap((f) => (f.words ?? []).map((w) => [w, f] as const)));
  const elsewhere = new Map(siblings.flatMap((s) => s.kind.fields.flatMap((f) => (f.words ?? []).map((w) => [w, s.kind] as const))));
  const input: Input = { ...(c.syntax.preset ?? {}) };
  const given: KindField[] = [];
  for (let i = 0; i < rest.length;) {
    const word = (rest[i] ?? '').toLowerCase();
    const field = own.get(word);
    if (!field) {
      const other = elsewhere.get(word);
      if (other) throw new ShapeError(`\`${word}\` is for ${other.title} only`);
      const known = c.kind.fields.map((f) => f.words?.[0]).filter((w): w is string => w !== undefined);
      const alone = siblings.some(
        (s) => s.syntax.style === 'positional' && s.syntax.order?.some((k) => choiceOf(fieldOf(s.kind, k), word) !== undefined),
      );
      throw new ShapeError(
        `I don't know ${q(rest[i] ?? '')} here; ${c.kind.title.toLowerCase()} takes ${known.join(', ')}${alone ? ' (enable/disable go alone)' : ''}`,
      );
    }
    if (input[field.key] !== undefined) throw new ShapeError(`you gave \`${word}\` twice; give it once`);
    if (field.shape !== 'flag' && rest[i + 1] === undefined) {
      throw new ShapeError(
        field.shape === 'secret'
          ? `\`${word}\` needs ${field.noun} after it`
          : `\`${word}\` needs ${field.noun} after it, e.g. \`${word} ${field.example}\``,
      );
    }
    const { value, next } = readValue(field, rest, i + 1, q, `; \`${word}\` takes ${field.noun}, e.g. \`${word} ${field.example}\``);
    input[field.key] = value;
    given.push(field);
    i = next;
  }
  const secret = given.find((f) => f.shape === 'secret');
  const flag = given.find((f) => f.shape === 'flag');
  if (secret && flag)
    throw new ShapeError(`give a new \`${secret.words?.[0] ?? secret.key}\` or \`${flag.words?.[0] ?? flag.key}\`, not both`);
  return input;
}

/** What a word after the target means when no kind of the command is picked by it. */
interface CommandRules {
  /** "'x' isn't a peering; choose private or microsoft" instead of "isn't something `x` does". */
  pickNoun?: string;
  /** When the words are the read command's (its old alias), which one. */
  view?: (
    target: string | undefined,
    word: string | undefined,
    picked: boolean,
    tokens: string[],
  ) => 'peerings' | 'filters' | 'routes' | undefined;
}

const RULES: Record<Command, CommandRules> = {
  peering: { pickNoun: 'a peering', view: (target, word) => (target !== undefined && word === undefined ? 'peerings' : undefined) },
  filter: { view: (target, _word, picked, tokens) => (target === undefined || (!picked && tokens.length <= 2) ? 'filters' : undefined) },
  route: { view: (_target, _word, picked) => (picked ? undefined : 'routes') },
  authorization: {},
};

/** One typed change command, read against the syntaxes the kinds declare for it. */
export function parseTypedChange(command: Command, { spec, tokens }: ChangeArgs, view: ViewFallback): Intent {
  const q = quoter(tokens);
  const candidates = candidatesFor(command);
  const rules = RULES[command];
  const [target, word, ...rest] = tokens;
  const picked = word === undefined ? [] : candidates.filter((c) => c.syntax.select.includes(word.toLowerCase()));
  const fallback = rules.view?.(target, word, picked.length > 0, tokens);
  if (fallback) return view(fallback, fallback === 'peerings' && target !== undefined ? [target] : tokens);
  if (target === undefined) needTarget(spec, command === 'route' ? 'a route table' : 'a circuit: its name, customer/name, or its ARM id');
  const picks = pickWords(candidates);
  if (command === 'peering') {
    const problem = circuitRefProblem(target);
    if (problem) throw badInput(spec, problem);
  }
  if (word === undefined) {
    const first = candidates[0];
    const then = first?.syntax.order?.[0];
    throw badInput(spec, `say ${orList(picks)}${first && then ? `, then ${fieldOf(first.kind, then).noun}` : ''}`);
  }
  if (command === 'peering' && PUBLIC_PEERING_WORDS.has(word.toLowerCase())) {
    throw badInput(
      spec,
      'Azure public peering is deprecated: it cannot be created any more. Use Microsoft peering with a route filter for Azure public services',
    );
  }
  if (picked.length === 0) {
    throw badInput(
      spec,
      rules.pickNoun
        ? `${q(word)} isn't ${rules.pickNoun}; choose ${orList(picks)}`
        : `${q(word)} isn't something \`${command}\` does; use ${orList(picks)}`,
    );
  }
  try {
    // A word picks a positional syntax only when what follows is its first field (`private disable`).
    const positionalPick = picked.find((c) => {
      if (c.syntax.style !== 'positional') return false;
      const first = c.syntax.order?.[0];
      return (
        picked.length === 1 || (first !== undefined && rest[0] !== undefined && choiceOf(fieldOf(c.kind, first), rest[0]) !== undefined)
      );
    });
    const chosen = positionalPick ?? picked.find((c) => c.syntax.style === 'keywords') ?? picked[0];
    if (!chosen) throw new ShapeError('nothing to do');
    const problem = targetProblem(chosen.syntax.target, target);
    if (problem) throw badInput(spec, problem);
    if (chosen.syntax.style === 'keywords') {
      if (rest.length === 0) {
        const fields = chosen.kind.fields.map((f) => f.words?.[0]).filter((w) => w !== undefined && !w.startsWith('no-'));
        const alone = picked
          .filter((c) => c !== chosen)
          .flatMap((c) => (c.syntax.order ?? []).flatMap((k) => fieldOf(c.kind, k).choices ?? []));
        throw new ShapeError(
          `say what to change on ${chosen.kind.title.toLowerCase()}: its fields (${fields.join(', ')})${alone.length ? `, or ${alone.map((c) => c.replace(/d$/, '').toLowerCase()).join(' / ')}` : ''}`,
        );
      }
      const siblings = candidates.filter((c) => c.kind !== chosen.kind && c.syntax.style === 'keywords');
      return {
        kind: command,
        target,
        change: chosen.kind.name,
        input: keywords(chosen, [...siblings, ...picked.filter((c) => c !== chosen)], rest, q),
      };
    }
    const { input, next } = positional(chosen, rest, q);
    noMore(spec, rest[next], q);
    return { kind: command, target, change: chosen.kind.name, input };
  } catch (e) {
    if (e instanceof ShapeError) throw badInput(spec, e.message);
    throw e;
  }
}
