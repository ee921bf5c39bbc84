import assert from 'node:assert/strict';
import { assertValidCard } from '../cards/card-check';
import { cardOf, textOf, type Harness, type User } from './harness';
import type { ConnectorCall } from './fake-connector';

/**
 * An Adaptive Card as JSON. `refresh` is only on cards with a per-user view (read it with `?.`); the rest is
 * left untyped for the assertions to check.
 */
export interface CardJson {
  refresh: { userIds: string[]; action: { verb: string; data: unknown } };
  [key: string]: unknown;
}

/** An Action.Execute button found on a card: what the user sees and what a click sends back. */
export interface CardButton {
  title: string;
  verb: string;
  data: unknown;
}

/**
 * The Adaptive Card a reply, an update or an invoke response carries, checked like every card must be
 * (Adaptive Cards SDK parse, schema version, under 28 KB, every button a valid intent). Fails on plain text.
 */
export function validCard(target: unknown): CardJson {
  // Callers pass objects; a non-object throws at `in` as it always did.
  const t = target as object;
  let card: unknown;
  if ('activity' in t && 'op' in t) card = cardOf(t as ConnectorCall);
  else if ('statusCode' in t) {
    assert.equal(
      (t as { type?: unknown }).type,
      'application/vnd.microsoft.card.adaptive',
      `invoke answered ${JSON.stringify(target).slice(0, 300)}`,
    );
    card = (t as { value?: unknown }).value;
  } else card = target;
  assert.ok(card && typeof card === 'object', `expected a card, got ${JSON.stringify(target).slice(0, 300)}`);
  assertValidCard(card);
  return card as CardJson;
}

/** Every Action.Execute on the card (actions, ActionSets, selectActions, show-cards), in document order. */
export function buttonsOf(card: unknown): CardButton[] {
  const out: CardButton[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'Action.Execute') out.push({ title: scalarText(o.title), verb: scalarText(o.verb), data: o.data });
      // A card's `refresh` is how Teams fetches a personal view, not a button anyone sees.
      for (const [k, v] of Object.entries(o)) if (k !== 'data' && k !== 'refresh') walk(v);
    }
  };
  walk(card);
  return out;
}

/** A JSON value as text: strings as they are, nothing as '', anything else as its JSON. */
function scalarText(v: unknown): string {
  if (typeof v === 'string') return v;
  return v === undefined || v === null ? '' : JSON.stringify(v);
}

/** The one button whose title matches; fails listing the titles there are. */
export function buttonOf(card: unknown, title: string | RegExp): CardButton {
  const all = buttonsOf(card);
  const found = all.filter((b) => (typeof title === 'string' ? b.title === title : title.test(b.title)));
  assert.ok(found.length >= 1, `no button ${String(title)} among: ${all.map((b) => b.title).join(' | ')}`);
  return found[0]!;
}

/** The intent a button carries. */
export function intentOf(button: CardButton): Record<string, unknown> {
  return (button.data as { intent: Record<string, unknown> }).intent;
}

/** Clicks a button exactly as Teams would send it back, and returns the (checked) card shown in its place. */
export async function clickButton(h: Harness, user: User, button: CardButton): Promise<CardJson> {
  return validCard(await h.click(user, button.verb, button.data));
}

/** Says something and returns the checked card of the reply. */
export async function ask(h: Harness, user: User, text: string): Promise<CardJson> {
  return validCard(await h.say(user, text));
}

/** Lines of the card's readable text. */
export function linesOf(card: unknown): string[] {
  return textOf(card).split('\n');
}

export { textOf };

const PROGRESS_TITLE = 'Reading from the Microsoft edge routers';
/** A first answer from Azure's batched sources that live router reads will replace. */
const UPDATES_IN_PLACE = 'this card updates in place';

/** Whether a card is interim: the "reading from the routers…" card, or a first answer that a live one replaces. */
export function isProgressCard(card: unknown): boolean {
  const text = textOf(card);
  return text.includes(PROGRESS_TITLE) || text.includes(UPDATES_IN_PLACE);
}

/**
 * The final answer to a chat message: the reply itself, or (if the read was slow and the reply was the
 * progress card) the PUT that replaced it.
 */
export async function finalReply(h: Harness, call: ConnectorCall, timeoutMs = 30_000): Promise<ConnectorCall> {
  if (!isProgressCard(cardOf(call))) return call;
  return h.connector.waitFor(
    (c) => c.op === 'update' && c.targetId === call.id && !isProgressCard(cardOf(c)),
    timeoutMs,
    `the final update of ${call.id}`,
  );
}

/** Says something and returns the checked card of the final answer (through a progress card if need be). */
export async function answerTo(h: Harness, user: User, text: string, timeoutMs = 30_000): Promise<CardJson> {
  const first = await h.say(user, text, timeoutMs);
  validCard(first);
  return validCard(await finalReply(h, first, timeoutMs));
}

/** Clicks a button and returns the checked final card (the invoke answer, or the update that followed it). */
export async function clickFinal(h: Harness, user: User, button: CardButton, timeoutMs = 30_000): Promise<CardJson> {
  const messageId = `card-${Math.random().toString(36).slice(2)}`;
  const card = validCard(await h.click(user, button.verb, button.data, messageId));
  if (!isProgressCard(card)) return card;
  return validCard(
    await h.connector.waitFor(
      (c) => c.op === 'update' && c.targetId === messageId && !isProgressCard(cardOf(c)),
      timeoutMs,
      `the final update of ${messageId}`,
    ),
  );
}
