import { PEERING_STATE_FIELDS } from '../changes/kinds/peering-state/peering-state-kind';
import { AlertsFilter, PathChoice, PeeringChoice, RequestsFilter } from './intent';

/**
 * What a command takes after its name, declared in its catalog entry and read by parse-command.ts: the
 * parser has no per-command grammar of its own, only the shape of each kind of target and option.
 */

/** What a command's target names. Customer-ish targets take the rest of the line (names may have spaces). */
export type TargetRef =
  | 'command'
  | 'customer'
  | 'customerOrCircuit'
  | 'customerOrRouteTable'
  | 'circuit'
  | 'nicOrVm'
  | 'changeTarget'
  | 'requestId'
  | 'alertId'
  | 'silenceId'
  /** One word: a circuit (name, customer/name, ARM id) or a customer id (`silence`). */
  | 'circuitOrCustomer';

/**
 * Options. `peering`, `path`, `prefix`, `destination` and `page` come after the circuit (or NIC) in any order;
 * `count` is the last word; `filter` is the only word.
 */
export type OptionName = 'peering' | 'path' | 'prefix' | 'destination' | 'page' | 'count' | 'filter' | 'alertFilter';

export interface ArgSpec {
  /** A word that comes first, and where the command is run: `approvals here <customer>`. */
  lead?: { word: string; where: string };
  /** `missing` replaces the usual "needs a circuit…" when a required target is left out. */
  target?: { ref: TargetRef; optional?: true; missing?: string };
  options?: readonly OptionName[];
  /** `bgp` shows both paths at once, so naming one is refused. */
  showsBothPaths?: true;
  /** A duration right after the target (`silence <circuit> 2h <reason>`), required. */
  duration?: { missing: string };
  /** Required free text after the target: an upgrade's bandwidth, a rejection's reason. */
  rest?: { value: string; missing: string };
  /**
   * How `--fresh` (skip the read cache) is read. `none` leaves every word to the command: change commands
   * always read live, and a key or a rejection's reason may hold any word. `flag` takes `--fresh` off and
   * refuses other `--options`; `flag-or-word` also takes a bare trailing `fresh`.
   */
  fresh: 'none' | 'flag' | 'flag-or-word';
  /** The words are read against the change kinds' declared typed syntax instead (parse-change.ts). */
  changeKinds?: true;
  /**
   * The words are another command's, then `<joiner>` and free text: `emergency <change command> because <reason>`.
   * The wrapped command is read by its own catalog entry (parse-command.ts).
   */
  wraps?: { what: string; joiner: string; rest: string };
}

/** Options that may appear anywhere after the circuit (or NIC). */
export const AFTER_CIRCUIT: ReadonlySet<OptionName> = new Set(['peering', 'path', 'prefix', 'destination', 'page']);

// The peering words are the peering-state change kind's: `peering er1 private disable` and `routes er1 private`
// read one vocabulary.
const peeringField = PEERING_STATE_FIELDS.find((f) => f.key === 'peering');
if (!peeringField) throw new Error('the peering-state kind declares no peering field');
export const PEERING_CHOICES: readonly PeeringChoice[] = peeringField.choices.map((c) => PeeringChoice.parse(c));
export const PEERING_WORDS: ReadonlyMap<string, PeeringChoice> = new Map([
  ...PEERING_CHOICES.map((c) => [c, c] as const),
  ...Object.entries(peeringField.aliases).map(([word, c]) => [word.toLowerCase(), PeeringChoice.parse(c)] as const),
]);
/** Azure public peering is deprecated: these words get an answer that says so. */
export const PUBLIC_PEERING_WORDS: ReadonlySet<string> = new Set(['public', 'azurepublicpeering']);

export const PATH_CHOICES: readonly PathChoice[] = PathChoice.options;
export const PATH_WORDS: ReadonlyMap<string, PathChoice> = new Map([
  ['primary', 'primary'],
  ['pri', 'primary'],
  ['secondary', 'secondary'],
  ['sec', 'secondary'],
]);

export const REQUESTS_FILTERS: readonly RequestsFilter[] = RequestsFilter.options;
export const ALERTS_FILTERS: readonly AlertsFilter[] = AlertsFilter.options;

const OPTION_USAGE: Record<OptionName, string> = {
  peering: `[${PEERING_CHOICES.join('|')}]`,
  path: `[${PATH_CHOICES.join('|')}]`,
  prefix: '[prefix]',
  destination: '[destination IP]',
  page: '[page N]',
  count: '[count]',
  filter: `[${REQUESTS_FILTERS.join('|')}]`,
  alertFilter: `[${ALERTS_FILTERS.join('|')}]`,
};

const TARGET_USAGE: Record<TargetRef, string> = {
  command: 'command',
  customer: 'customer',
  customerOrCircuit: 'customer|circuit',
  customerOrRouteTable: 'customer|route table',
  circuit: 'circuit',
  nicOrVm: 'nic|vm',
  // `change <circuit>`: its details name the route tables and filters it also takes.
  changeTarget: 'circuit',
  requestId: 'id',
  alertId: 'id',
  silenceId: 'id',
  circuitOrCustomer: 'circuit|customer',
};

/** `[private|microsoft] [primary|secondary]`: the options as a usage line shows them. */
export function optionsUsage(options: readonly OptionName[]): string {
  return options.map((o) => OPTION_USAGE[o]).join(' ');
}

/** The usage line's words after the command name, as the spec declares them. */
export function argsUsage(args: ArgSpec): string {
  const { lead, target, options = [], duration, rest, wraps } = args;
  if (wraps) return `<${wraps.what}> ${wraps.joiner} <${wraps.rest}>`;
  return [
    lead?.word,
    target && (target.optional ? `[${TARGET_USAGE[target.ref]}]` : `<${TARGET_USAGE[target.ref]}>`),
    optionsUsage(options),
    duration && '<duration>',
    rest && `<${rest.value}>`,
  ]
    .filter((part) => part !== undefined && part !== '')
    .join(' ');
}
