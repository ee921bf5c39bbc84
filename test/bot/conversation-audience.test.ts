import assert from 'node:assert/strict';
import { Harness, type User } from '../support/harness';
import { textOf, validCard } from '../support/cards';
import { PEOPLE, approver, changeDirectory } from '../support/change-world';
import { cardBecomes, introduce, requestIdOf } from '../support/change-cards';
import type { ConnectorCall } from '../support/fake-connector';
import { CIRCUIT_IDS } from '../support/demo-world';

/**
 * Teams audiences, issue 10 item 2: only a conversation that says it is a 1:1 chat is one. A missing or unknown
 * `conversationType` (or a "personal" one that says it is a group) is treated as shared: no key is shown there,
 * and it is never remembered as the person's 1:1 chat.
 */

/** Conversations whose audience the bot cannot know from the activity. */
const NOT_SAID_PERSONAL: { label: string; conversation: Record<string, unknown> }[] = [
  { label: 'no conversationType', conversation: { id: '19:no-type@thread.v2' } },
  { label: 'conversationType null', conversation: { id: '19:null-type@thread.v2', conversationType: null } },
  { label: 'an unknown conversationType', conversation: { id: '19:odd-type@thread.v2', conversationType: 'townhall' } },
  { label: '"personal" but isGroup', conversation: { id: '19:grouped@thread.v2', conversationType: 'personal', isGroup: true } },
];

const props = (body: unknown) => (body as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};

describe('bot: a conversation that does not say it is a 1:1 chat is shared', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => {
    h = await Harness.start({
      directory: changeDirectory({ required: 1 }),
      changes: { progressUpdateMs: 20, executorLimits: { retryDelayMs: 10 } },
    });
  });
  after(async () => h?.stop());

  async function sayIn(user: User, conversation: Record<string, unknown>, text: string): Promise<ConnectorCall> {
    const activity = h.activityFor(user, { type: 'message', text, conversation });
    const res = await h.post(activity);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return h.replyTo(String(activity.id));
  }

  it('never shows an authorization key there; the 1:1 chat still does', async () => {
    await introduce(h, PEOPLE.engineer);
    const asked = await h.say(PEOPLE.engineer, 'authorization contoso/contoso-ams-er1 create auth-audience');
    const id = requestIdOf(validCard(asked));
    validCard(await h.say(approver(0), `approve ${id}`));
    await cardBecomes(h, asked.id, (t) => /Succeeded/.test(t));
    const key = props(h.app.simulator!.resource(`${CIRCUIT_IDS.contosoAms}/authorizations/auth-audience`)).authorizationKey;
    assert.ok(typeof key === 'string' && key.length > 0, 'the authorization has a key');
    assert.ok(JSON.stringify(await h.say(PEOPLE.engineer, `key ${id}`)).includes(key), 'the 1:1 chat shows it');

    for (const { label, conversation } of NOT_SAID_PERSONAL) {
      const reply = await sayIn(PEOPLE.engineer, conversation, `key ${id}`);
      assert.ok(!JSON.stringify(reply).includes(key), `${label}: the key was shown`);
      assert.match(textOf(reply), /1:1|private chat|personal chat/i, `${label}: says where to ask`);
      const leaked: ConnectorCall[] = h.connector.calls.filter(
        (c) => c.conversationId === conversation.id && JSON.stringify(c.activity).includes(key),
      );
      assert.deepEqual(leaked, [], `${label}: nothing posted there carries the key`);
    }
  });

  it('is not saved as the person’s 1:1 chat', async () => {
    const person = PEOPLE.channelOnly;
    for (const { label, conversation } of NOT_SAID_PERSONAL) {
      validCard(await sayIn(person, conversation, 'help'));
      const saved = (await h.app.store.getReference(`user:${person.aadObjectId}`)) as { conversation?: { id?: unknown } } | undefined;
      assert.notEqual(saved?.conversation?.id, conversation.id, `${label}: saved as ${person.name}'s 1:1 chat`);
    }
  });
});
