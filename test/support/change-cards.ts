import assert from 'node:assert/strict';
import type { Harness, User } from './harness';
import type { ConnectorCall } from './fake-connector';
import { textOf, validCard } from './cards';
import { CIRCUIT_IDS } from './demo-world';
import { until } from './until';

/** Helpers for the change-request suites: find the request on a card, follow a posted card to its end. */

export const AMS_ID = CIRCUIT_IDS.contosoAms;

/** The request id a request card shows (`CR-… · updated …`). */
export function requestIdOf(card: unknown): string {
  const m = /\b(CR-[0-9A-Z]{5,12})\b/.exec(textOf(card));
  assert.ok(m, `no request id on the card:\n${textOf(card)}`);
  return m[1]!;
}

/** PUTs the simulator saw on a circuit. */
export function putsTo(h: Harness, id = AMS_ID): number {
  return (h.app.simulator?.requests ?? []).filter((r) => r.method === 'PUT' && r.path.toLowerCase() === id.toLowerCase()).length;
}

/** The newest card the connector holds for a message (its post, or the latest PUT that replaced it). */
export function latestCardFor(h: Harness, activityId: string): Record<string, unknown> | undefined {
  const calls = h.connector.calls.filter((c) => (c.op === 'update' && c.targetId === activityId) || c.id === activityId);
  const last = calls[calls.length - 1];
  return last ? (last.activity.attachments?.[0]?.content as Record<string, unknown>) : undefined;
}

/** Waits until the message's newest card satisfies `check`; every card met on the way must be valid. */
export async function cardBecomes(
  h: Harness,
  activityId: string,
  check: (text: string, card: Record<string, unknown>) => boolean,
  timeoutMs = 20_000,
): Promise<Record<string, unknown>> {
  const card = await until(
    `card ${activityId} to match`,
    () => {
      const latest = latestCardFor(h, activityId);
      if (latest && check(textOf(latest), latest)) return latest;
      throw new Error(`the newest card is:\n${latest ? textOf(latest) : '(none)'}`);
    },
    { timeoutMs },
  );
  return validCard(card);
}

/** Says hello in a 1:1 chat, so that the bot has a conversation reference for proactive cards. */
export async function introduce(h: Harness, user: User): Promise<void> {
  validCard(await h.say(user, 'help'));
}

/** The proactive card sent to a user's 1:1 chat about a request. */
export async function cardSentTo(h: Harness, user: User, requestId: string): Promise<ConnectorCall> {
  return h.connector.waitFor(
    (c) => c.op === 'send' && c.conversationId === `a:personal-${user.aadObjectId}` && textOf(c).includes(requestId),
    10_000,
    `the card of ${requestId} in ${user.aadObjectId}'s chat`,
  );
}
