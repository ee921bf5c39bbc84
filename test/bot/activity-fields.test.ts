import assert from 'node:assert/strict';
import { Harness } from '../support/harness';
import { textOf, validCard } from '../support/cards';
import { ENGINEER } from '../support/demo-world';

/**
 * Wrong types in activity fields (issue 10, Teams audiences item 5). The envelope is checked with zod at the door:
 * - where and how to answer (`from.id`, `recipient.id`, `conversation`, `id`, `locale`, …) wrong: HTTP 400 naming
 *   the field, since a reply would have nowhere to go;
 * - who said it (`from.aadObjectId`, `from.name`) or what was said (`text`, `entities`, `replyToId`) wrong on a
 *   message: a reply in the conversation naming the field (the wrong identity fields are left off the reply);
 * - a card action's `value` of the wrong shape: Universal Actions' error response, which Teams shows on the card.
 * In every case no turn runs, nothing is saved, nothing fails inside botbuilder, and the process stays up.
 */
describe('bot: wrong types in activity fields', function () {
  this.timeout(30_000);
  let h: Harness;
  before(async () => {
    h = await Harness.start();
  });
  after(async () => h?.stop());
  afterEach(async () => {
    assert.equal(await h.healthz(), 200, 'the process is still up');
  });

  const parsed = () => h.logLines.map((l) => JSON.parse(l) as Record<string, unknown>);

  /** Nothing of the turn ran: not understood, no reference saved, nothing failed. */
  function noTurn(activityId: unknown): void {
    const lines = parsed();
    assert.deepEqual(
      lines.filter((l) => l.turn === activityId && l.msg !== 'answered a malformed activity'),
      [],
      'no turn ran',
    );
    assert.deepEqual(
      lines.filter((l) => Number(l.level) >= 50 || l.msg === 'could not record the turn').map((l) => l.msg),
      [],
      'nothing failed',
    );
  }

  const message = (extra: Record<string, unknown>) => h.activityFor(ENGINEER, { type: 'message', text: 'status', ...extra });
  const from = (aadObjectId: unknown) => ({ id: '29:x', name: 'X', aadObjectId });

  it('who, where or how to answer wrong: 400 naming the field, and nothing runs', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [message({ from: { name: 'X', aadObjectId: 'demo-engineer' } }), /'from\.id' is missing/],
      [message({ conversation: undefined }), /'conversation' is missing/],
      [message({ conversation: 'a:personal' }), /'conversation' must be an object, not text/],
      [message({ conversation: { id: 'c', conversationType: 1 } }), /'conversation\.conversationType' must be text, not a number/],
      [message({ conversation: { id: 'c', isGroup: 'yes' } }), /'conversation\.isGroup' must be true or false, not text/],
      [message({ recipient: { name: 'bot' } }), /'recipient\.id' is missing/],
      [message({ id: 12 }), /'id' must be text, not a number/],
      [message({ locale: ['en'] }), /'locale' must be text, not a list/],
      [message({ serviceUrl: { url: 'x' } }), /'serviceUrl' must be text, not an object/],
    ];
    for (const [activity, named] of cases) {
      for (const [k, v] of Object.entries(activity)) if (v === undefined) delete activity[k];
      const res = await h.post(activity);
      assert.equal(res.status, 400, JSON.stringify(activity));
      const error = (res.body as { error?: unknown }).error;
      assert.match(String(error), /^not a valid Bot Framework activity: /);
      assert.match(String(error), named);
      noTurn(activity.id);
    }
    assert.equal(h.connector.calls.length, 0, 'nothing was sent anywhere');
  });

  it('what was said or who said it wrong on a message: a reply naming the field, and nothing else', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [message({ from: from(42) }), /'from\.aadObjectId' must be text, not a number/],
      [message({ from: from({ id: 'demo-engineer' }) }), /'from\.aadObjectId' must be text, not an object/],
      [message({ from: from(['demo-engineer']) }), /'from\.aadObjectId' must be text, not a list/],
      [message({ from: { id: '29:x', aadObjectId: 'demo-engineer', name: 7 } }), /'from\.name' must be text, not a number/],
      [message({ entities: 'mention' }), /'entities' must be a list, not text/],
      [message({ entities: { type: 'mention' } }), /'entities' must be a list, not an object/],
      [message({ entities: [1] }), /'entities\[0\]' must be an object, not a number/],
      [message({ entities: [null] }), /'entities\[0\]' must be an object, not null/],
      [message({ entities: [{ type: 5 }] }), /'entities\[0\]\.type' must be text, not a number/],
      [
        message({ text: '<at>Bot</at> status', entities: [{ type: 'mention', text: '<at>Bot</at>' }] }),
        /'entities\[0\]\.mentioned' is missing/,
      ],
      [
        message({ text: undefined, entities: [{ type: 'mention', text: '<at>Bot</at>', mentioned: { id: '28:bot' } }] }),
        /'text' is missing/,
      ],
      [message({ text: 42 }), /'text' must be text, not a number/],
      [message({ text: { status: true } }), /'text' must be text, not an object/],
      [message({ replyToId: 7 }), /'replyToId' must be text, not a number/],
    ];
    for (const [activity, named] of cases) {
      for (const [k, v] of Object.entries(activity)) if (v === undefined) delete activity[k];
      const res = await h.post(activity);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const reply = await h.replyTo(String(activity.id));
      assert.match(String(reply.activity.text), /^I couldn't read that message: /);
      assert.match(String(reply.activity.text), named);
      assert.match(String(reply.activity.text), /Nothing was done\.$/);
      noTurn(activity.id);
    }
    // A well-formed message (nulls where botbuilder allows them) is answered as before.
    const fine = message({ locale: null, replyToId: null, from: { id: '29:e', name: null, aadObjectId: 'demo-engineer' } });
    assert.equal((await h.post(fine)).status, 200);
    assert.match(textOf(validCard(await h.replyTo(String(fine.id)))), /Status/);
  });

  it('a card action whose value has the wrong shape: an error the card shows, and nothing runs', async () => {
    const invoke = (value: unknown) => h.activityFor(ENGINEER, { type: 'invoke', name: 'adaptiveCard/action', value });
    const cases: [Record<string, unknown>, RegExp][] = [
      [invoke('Action.Execute'), /'value' must be an object, not text/],
      [invoke(null), /'value' must be an object, not null/],
      [invoke(undefined), /'value' is missing/],
      [invoke({ action: 'intent' }), /'value\.action' must be an object, not text/],
      [invoke({ action: { type: 'Action.Execute', verb: 5, data: {} } }), /'value\.action\.verb' must be text, not a number/],
      [invoke({ action: { type: 'Action.Execute', verb: ['intent'], data: {} } }), /'value\.action\.verb' must be text, not a list/],
    ];
    for (const [activity, named] of cases) {
      const res = await h.post(activity);
      assert.equal(res.status, 200);
      const body = res.body as { statusCode?: unknown; type?: unknown; value?: { code?: unknown; message?: unknown } };
      assert.equal(body.statusCode, 400);
      assert.equal(body.type, 'application/vnd.microsoft.error');
      assert.equal(body.value?.code, 'BadRequest');
      assert.match(String(body.value?.message), /^I couldn't read that button's data: /);
      assert.match(String(body.value?.message), named);
      noTurn(activity.id);
    }
    const clicked = await h.click(ENGINEER, 'intent', { intent: { kind: 'help' } });
    assert.match(textOf(validCard(clicked)), /Commands you can use/, 'a well-formed click is answered as before');
  });
});
