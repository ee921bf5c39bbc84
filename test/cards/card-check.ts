import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Intent, INTENT_VERB } from '../../src/intents/intent';

// The package's main entry needs a DOM at import time; the dist bundle parses without one (TOOLCHAIN.md).
const AC = createRequire(__filename)('adaptivecards/dist/adaptivecards.js') as {
  AdaptiveCard: new () => {
    parse(json: unknown, context?: unknown): void;
    validateProperties(): { validationEvents: { message: string }[] };
  };
  SerializationContext: new () => { eventCount: number; getEventAt(i: number): { message: string } };
};

export const TEAMS_CARD_LIMIT_BYTES = 28 * 1024;

function walk(node: unknown, visit: (o: Record<string, unknown>, path: string) => void, path = '$'): void {
  if (Array.isArray(node)) node.forEach((n, i) => walk(n, visit, `${path}[${i}]`));
  else if (node !== null && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    visit(o, path);
    for (const [k, v] of Object.entries(o)) walk(v, visit, `${path}.${k}`);
  }
}

/** Problems with a card, empty when it is fine. Exported for tests that want to assert on the list. */
export function cardProblems(card: unknown): string[] {
  const problems: string[] = [];
  const json = card as Record<string, unknown>;
  if (json.type !== 'AdaptiveCard') problems.push(`type is ${String(json.type)}, not AdaptiveCard`);
  if (typeof json.$schema !== 'string') problems.push('no $schema');
  const version = typeof json.version === 'string' ? json.version.split('.').map(Number) : [];
  const [major = NaN, minor = NaN] = version;
  if (!(major === 1 && minor <= 5)) problems.push(`version ${String(json.version)} is not ≤ 1.5`);
  const bytes = Buffer.byteLength(JSON.stringify(card));
  if (bytes >= TEAMS_CARD_LIMIT_BYTES) problems.push(`card is ${bytes} bytes, over ${TEAMS_CARD_LIMIT_BYTES}`);

  const context = new AC.SerializationContext();
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const e of parsed.validateProperties().validationEvents) problems.push(`validate: ${e.message}`);

  // The SDK doesn't check verbs (TOOLCHAIN.md), and a button whose intent the bot would reject is a dead button.
  walk(card, (o, path) => {
    if (o.type !== 'Action.Execute') return;
    if (typeof o.verb !== 'string' || o.verb === '') problems.push(`${path}: Action.Execute without a verb`);
    if (o.verb === INTENT_VERB) {
      const data = o.data as { intent?: unknown } | undefined;
      const result = Intent.safeParse(data?.intent);
      if (!result.success) problems.push(`${path}: data.intent is not a valid Intent: ${result.error.message}`);
    }
  });
  return problems;
}

/** Fails with every problem listed: schema parse errors, size, version, missing verbs, invalid intents. */
export function assertValidCard(card: unknown): void {
  const problems = cardProblems(card);
  assert.deepEqual(problems, [], `card problems:\n${problems.join('\n')}`);
}
