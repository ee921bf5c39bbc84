import type { HealthLevel } from '../network/health';
import type { Intent } from '../intents/intent';
import { INTENT_VERB } from '../intents/intent';
import type { Hint } from '../command-names';
import { hintWords } from './hint-words';

/**
 * The building blocks every card is made of, so that headers, tables and buttons look (and validate) the same
 * everywhere. Elements are plain JSON objects: the Adaptive Cards schema is the contract, not a class model.
 */
export type CardElement = Record<string, unknown>;

export interface AdaptiveCardJson {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: CardElement[];
  actions?: CardElement[];
  /** `entities`: the people a `<at>Name</at>` in the card's text mentions (Teams notifies them). */
  msteams?: { width: 'Full'; entities?: CardElement[] };
  /** Universal Actions: Teams fetches a personal view (this action) for each of `userIds` (at most 60). */
  refresh?: { action: CardElement; userIds: string[] };
}

export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
/** Teams refuses or truncates cards much past this, so big tables are paged or summarised below it. */
export const CARD_MAX_BYTES = 28 * 1024;

export function adaptiveCard(body: CardElement[], actions: CardElement[] = []): AdaptiveCardJson {
  const card: AdaptiveCardJson = { type: 'AdaptiveCard', $schema: CARD_SCHEMA, version: '1.5', body };
  if (actions.length > 0) card.actions = actions;
  card.msteams = { width: 'Full' };
  return card;
}

export function cardBytes(card: unknown): number {
  return Buffer.byteLength(JSON.stringify(card));
}

/** A button that re-runs a query: the click comes back to the bot as the same Intent a typed command makes. */
export function executeAction(title: string, intent: Intent, style?: 'positive' | 'destructive'): CardElement {
  const action: CardElement = { type: 'Action.Execute', title, verb: INTENT_VERB, data: { intent } };
  if (style) action.style = style;
  return action;
}

export function actionSet(actions: CardElement[]): CardElement[] {
  return actions.length > 0 ? [{ type: 'ActionSet', actions }] : [];
}

export type TextColor = 'Default' | 'Attention' | 'Warning' | 'Good' | 'Accent';

export interface TextOptions {
  size?: 'Small' | 'Default' | 'Medium' | 'Large';
  weight?: 'Bolder' | 'Lighter';
  color?: TextColor;
  subtle?: boolean;
  wrap?: boolean;
  spacing?: 'None' | 'Small' | 'Medium';
  separator?: boolean;
}

export function text(value: string, options: TextOptions = {}): CardElement {
  return { type: 'TextBlock', text: value, wrap: options.wrap ?? true, ...withoutWrap(options) };
}

function withoutWrap(options: TextOptions): Omit<TextOptions, 'wrap'> {
  const { wrap: _wrap, ...rest } = options;
  return rest;
}

export function heading(value: string): CardElement {
  return text(value, { size: 'Medium', weight: 'Bolder', spacing: 'Medium' });
}

/** A card's own title, largest on the card. */
export function title(value: string): CardElement {
  return text(value, { size: 'Large', weight: 'Bolder' });
}

export type Fact = readonly [title: string, value: string | number | undefined];

/** Facts with no value are left out rather than shown as "undefined". */
export function factSet(facts: readonly Fact[]): CardElement[] {
  const shown = facts
    .filter((f): f is readonly [string, string | number] => f[1] !== undefined && f[1] !== '')
    .map(([t, v]) => ({ title: t, value: String(v) }));
  return shown.length > 0 ? [{ type: 'FactSet', facts: shown }] : [];
}

export const LEVEL_STYLE: Record<HealthLevel, { icon: string; color: TextColor; label: string }> = {
  red: { icon: '🔴', color: 'Attention', label: 'Red' },
  amber: { icon: '🟠', color: 'Warning', label: 'Amber' },
  unknown: { icon: '⚪', color: 'Default', label: 'Unknown' },
  green: { icon: '🟢', color: 'Good', label: 'Green' },
};

export interface Cell {
  text: string;
  color?: TextColor;
  weight?: 'Bolder';
  /** Clicking the cell runs this. */
  intent?: Intent;
}

export interface Column {
  title: string;
  /** Relative width. */
  width?: number;
}

/**
 * An Adaptive Cards 1.5 Table with a header row. Cells are kept minimal (no wrap on long tables) because a
 * route page's size is mostly per-cell JSON overhead.
 */
export function table(columns: readonly Column[], rows: readonly (string | Cell)[][], options: { wrap?: boolean } = {}): CardElement[] {
  const cell = (c: string | Cell, header = false): CardElement => {
    const value = typeof c === 'string' ? { text: c } : c;
    const block: CardElement = { type: 'TextBlock', text: value.text === '' ? '—' : value.text };
    if (options.wrap !== false) block.wrap = true;
    if (header || value.weight) block.weight = 'Bolder';
    if (value.color && value.color !== 'Default') block.color = value.color;
    const result: CardElement = { type: 'TableCell', items: [block] };
    if (value.intent) result.selectAction = executeAction(value.text, value.intent);
    return result;
  };
  return [
    {
      type: 'Table',
      columns: columns.map((c) => ({ width: c.width ?? 1 })),
      firstRowAsHeader: true,
      showGridLines: false,
      rows: [
        { type: 'TableRow', cells: columns.map((c) => cell(c.title, true)) },
        ...rows.map((r) => ({ type: 'TableRow', cells: r.map((c) => cell(c)) })),
      ],
    },
  ];
}

/** Long user-controlled strings (names, AS paths) are cut so one row can't blow the card's size budget. */
export function clip(value: string, max = 120): string {
  const chars = [...value];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : value;
}

/**
 * TextBlocks are markdown. Backslash escapes render literally in some Teams clients, so instead of escaping we
 * only break the one construct that matters for user-controlled text: a link.
 */
export function plain(value: string): string {
  return value.replace(/\]\(/g, '] (').replace(/\r?\n/g, ' ');
}

/** Leaves room under CARD_MAX_BYTES for what Teams adds around a card. */
export const CARD_BUDGET_BYTES = 27 * 1024;

/** Up to this many entries, the whole card is tried first: most cards fit whole, and then it is built once. */
const WHOLE_FIRST = 64;

/**
 * The largest `shown` in 0..count whose card fits the budget. `build(shown)` must say how many were left out, and
 * a card must not shrink as it shows more (except that the card with every entry drops its "more" note). Up to
 * WHOLE_FIRST entries the whole card is tried first; then, or for more, the card is tried at 1, 2, 4… until one is
 * over the budget, and halved in between. So a card for a customer's outage of 2,000 alerts, which has room for a
 * dozen, is built about eight times near that size, never whole: built whole, then at 1,000, 500…, it took ~0.1 s
 * of CPU in the watch cycle that posted it.
 */
export function fitToBudget(count: number, build: (shown: number) => AdaptiveCardJson, budget = CARD_BUDGET_BYTES): AdaptiveCardJson {
  const fitting = (shown: number): AdaptiveCardJson | undefined => {
    const card = build(shown);
    return cardBytes(card) <= budget ? card : undefined;
  };
  // `lo` fits (or is 0), `hi` is the most that may: the answer is in lo..hi.
  let lo = 0;
  let best: AdaptiveCardJson | undefined;
  let hi = count;
  if (count > 0 && count <= WHOLE_FIRST) {
    const whole = fitting(count);
    if (whole) return whole;
    hi = count - 1;
  }
  for (let probe = 1; probe <= hi; probe = probe * 2 >= hi && probe < hi ? hi : probe * 2) {
    const card = fitting(probe);
    if (!card) {
      hi = probe - 1;
      break;
    }
    lo = probe;
    best = card;
  }
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const card = fitting(mid);
    if (card) {
      lo = mid;
      best = card;
    } else hi = mid - 1;
  }
  return best ?? build(lo);
}

/** "… and 12 more: narrow the question, e.g. `status contoso`." */
export function moreNote(hidden: number, how: Hint): CardElement[] {
  return hidden > 0 ? [text(`… and ${hidden} more not shown. ${hintWords(how)}`, { size: 'Small', subtle: true })] : [];
}
