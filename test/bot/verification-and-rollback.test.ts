import assert from 'node:assert/strict';
import { Harness, type User } from '../support/harness';
import { buttonOf, buttonsOf, intentOf, textOf, validCard, type CardJson } from '../support/cards';
import { AMS, PEOPLE, approver, changeDirectory } from '../support/change-world';
import { cardBecomes, cardSentTo, introduce, requestIdOf } from '../support/change-cards';
import { CIRCUIT_IDS } from '../support/demo-world';
import { until } from '../support/until';

/**
 * Issue 13 through the real bot: a private peering change after which the simulator keeps both BGP sessions down
 * (`afterWriteTo`), judged "verification failed" within VERIFY_WINDOW_SECONDS on every card, told to the requester and
 * the approver in their 1:1 chats, and rolled back from the card's Rollback button; a change that checks out is
 * "verified" and rolled back by typing `rollback <id>`; a one-way change says it has no way back.
 */

/** The id in a request card's footer (`CR-… · updated …`): a rollback's card names the change it undoes first. */
function ownIdOf(card: unknown): string {
  const id = /\b(CR-[0-9A-Z]{5,12}) · updated/.exec(textOf(card))?.[1];
  assert.ok(id, `no request id in the footer of:\n${textOf(card)}`);
  return id;
}

const AMS_PRIVATE = `${CIRCUIT_IDS.contosoAms}/peerings/AzurePrivatePeering`;
const PAR = 'contoso/contoso-par-er4';
const PAR_ID = CIRCUIT_IDS.contosoAms
  .replace('c001/resourceGroups/rg-contoso-network', 'c002/resourceGroups/rg-contoso-dr')
  .replace('contoso-ams-er1', 'contoso-par-er4');
/** Both BGP sessions of contoso-ams-er1's private peering, Idle from the moment its peering is written to. */
const DROP_AFTER_WRITE = (['primary', 'secondary'] as const).map((path, i) => ({
  afterWriteTo: 'contoso-ams-er1/peerings/AzurePrivatePeering',
  afterMs: 0,
  path: `${AMS_PRIVATE}/routeTablesSummary/${path}`,
  merge: { value: [{ neighbor: `10.1.0.${1 + 4 * i}`, v: 4, as: 65010, upDown: '00:00:02', statePfxRcd: 'Idle' }] },
}));

describe('bot: post-change verification and rollback (issue 13)', function () {
  this.timeout(120_000);
  let h: Harness;
  const requests = async () => (await h.app.store.list({})).length;
  const vlanOf = (circuitId: string): unknown => {
    const circuit = h.app.simulator?.resource(circuitId) as {
      properties: { peerings: { name: string; properties: { vlanId: number } }[] };
    };
    return circuit.properties.peerings.find((p) => p.name === 'AzurePrivatePeering')?.properties.vlanId;
  };
  const textSentTo = (user: User, pattern: RegExp) =>
    h.connector.waitFor(
      (c) => c.op === 'send' && c.conversationId === `a:personal-${user.aadObjectId}` && pattern.test(c.activity.text ?? ''),
      20_000,
      `a message to ${user.aadObjectId} matching ${String(pattern)}`,
    );

  before(async () => {
    h = await Harness.start({
      directory: changeDirectory({ required: 1 }),
      env: { VERIFY_WINDOW_SECONDS: '3', VERIFY_LOOK_SECONDS: '0.2' },
      simulator: { timeline: DROP_AFTER_WRITE },
      changes: { progressUpdateMs: 50, executorLimits: { retryDelayMs: 10, followIntervalMs: 10 } },
    });
    for (const user of [PEOPLE.engineer, PEOPLE.lead, approver(0)]) await introduce(h, user);
  });
  after(async () => h?.stop());

  let failedId: string;
  let requesterCardId: string;
  let leadCardId: string;

  it('should end a change that leaves BGP down as "succeeded at ARM, verification failed", with the way back', async () => {
    const reply = await h.say(PEOPLE.engineer, `peering ${AMS} private vlan 201`);
    failedId = requestIdOf(validCard(reply));
    requesterCardId = reply.id;
    const sent = await cardSentTo(h, PEOPLE.lead, failedId);
    leadCardId = sent.id;
    validCard(await h.click(PEOPLE.lead, 'intent', { intent: { kind: 'approve', id: failedId } }, sent.id));

    const failed = (t: string) => /verification failed/.test(t);
    const mine = await cardBecomes(h, requesterCardId, failed, 30_000);
    const text = textOf(mine);
    assert.match(
      text,
      /⛔ Succeeded at ARM, verification failed: both BGP sessions of private peering are down \(primary Idle, secondary Idle\) since \d\d:\d\d UTC/,
    );
    assert.match(
      text,
      new RegExp(`The way back: \`rollback ${failedId}\` \\(or the Rollback button\\) asks for the change that puts it back`),
    );
    assert.deepEqual(
      buttonsOf(mine).map((b) => b.title),
      ['Rollback'],
      'the requester may ask for the rollback',
    );
    // In a channel, Teams fetches the personal view (with Rollback) for whoever may ask for it.
    assert.deepEqual(
      [...((mine as CardJson).refresh?.userIds ?? [])].sort(),
      [PEOPLE.engineer, PEOPLE.lead]
        .map((p) => `29:${p.aadObjectId}`)
        .concat([PEOPLE.admin, PEOPLE.channelOnly].map((p) => `8:orgid:${p.aadObjectId}`))
        .sort(),
      'the requester, then who may request on Contoso (approvers first); never a viewer',
    );
    assert.equal(vlanOf(CIRCUIT_IDS.contosoAms), 201, 'ARM has the change');
    const stored = await h.app.store.get(failedId);
    assert.equal(stored?.state, 'succeeded');
    assert.equal(stored?.verification?.status, 'failed');

    // On its way there, the card said the check was running, and until when.
    const shown = h.connector.calls.filter((c) => c.op === 'update' && c.targetId === requesterCardId).map((c) => textOf(c));
    assert.ok(
      shown.some((t) => /🔎 Succeeded, verifying \(until \d\d:\d\d UTC\)/.test(t)),
      `no "verifying" card among:\n${shown.join('\n---\n')}`,
    );

    const theirs = await cardBecomes(h, leadCardId, failed);
    const rollback = buttonOf(theirs, 'Rollback');
    assert.deepEqual(intentOf(rollback), { kind: 'rollback', id: failedId }, 'the button carries only the rollback intent');

    const audit = textOf(validCard(await h.say(PEOPLE.engineer, 'audit contoso 10')));
    assert.match(audit, /verification failed\n[^\n]*verification failed: both BGP sessions of private peering are down/);
  });

  it('should tell the requester and the approver in their 1:1 chats, with `rollback <id>`', async () => {
    for (const user of [PEOPLE.engineer, PEOPLE.lead]) {
      const message = await textSentTo(user, new RegExp(failedId));
      assert.match(
        message.activity.text ?? '',
        new RegExp(
          `⛔ ${failedId} \\(Private peering[^)]*of contoso-ams-er1, Contoso Ltd\\) succeeded at ARM, but its verification failed: both BGP sessions of private peering are down.* since \\d\\d:\\d\\d UTC\\. \`rollback ${failedId}\` is the way back`,
        ),
      );
    }
    // Someone who neither asked nor approved hears nothing.
    assert.equal(
      h.connector.calls.filter(
        (c) => c.op === 'send' && c.conversationId === `a:personal-${approver(0).aadObjectId}` && !c.activity.attachments,
      ).length,
      0,
    );
  });

  it('should refuse a forged Rollback click by someone without the right to request, and change nothing', async () => {
    const before = await requests();
    const answer = validCard(await h.click(PEOPLE.viewer, 'intent', { intent: { kind: 'rollback', id: failedId } }));
    assert.match(textOf(answer), /You can't do that/);
    assert.match(textOf(answer), /right to request changes for Contoso Ltd/);
    const outsider = validCard(await h.click(PEOPLE.outsider, 'intent', { intent: { kind: 'rollback', id: failedId } }));
    assert.match(textOf(outsider), new RegExp(`can't find a change request ${failedId} that you can see`));
    assert.equal(await requests(), before, 'no request was made');
    const audit = await h.app.store.audit({ customerIds: ['contoso'], requestId: failedId, limit: 50 });
    assert.ok(!audit.some((e) => e.action === 'rollback-requested'));
  });

  it("should turn the approver's Rollback click into the rollback request, linked both ways, and restore the VLAN once approved", async () => {
    const callsBefore = h.connector.calls.length;
    const clicked = validCard(await h.click(PEOPLE.lead, 'intent', { intent: { kind: 'rollback', id: failedId } }, leadCardId));
    const text = textOf(clicked);
    assert.match(text, new RegExp(`↩ Rollback of ${failedId}: it puts back what that change changed\\.`));
    assert.match(text, /Waiting for approval \(0\/1\)/);
    assert.match(text, /VLAN[^\n]*\n201 → 100/);
    const rollbackId = ownIdOf(clicked);
    assert.notEqual(rollbackId, failedId);
    const rollback = await h.app.store.get(rollbackId);
    assert.equal(rollback?.rollbackOf, failedId);
    assert.equal(rollback?.requester.aadObjectId, PEOPLE.lead.aadObjectId);

    // The clicked message is the rollback's now: the original's card no longer follows it there…
    await until('the original to let go of the clicked message', async () =>
      (await h.app.store.cardPosts(failedId)).every((p) => p.activityId !== leadCardId),
    );
    // …and its other cards point at the rollback, and offer no second one.
    const original = await cardBecomes(h, requesterCardId, (t) => t.includes(`Rollback asked for: ${rollbackId}`));
    assert.deepEqual(buttonsOf(original), []);
    const overwritten = h.connector.calls
      .slice(callsBefore)
      .filter((c) => c.op === 'update' && c.targetId === leadCardId && textOf(c).includes('Rollback asked for'));
    assert.deepEqual(overwritten, [], "the original's update never replaced the rollback's card");
    const again = validCard(await h.say(PEOPLE.engineer, `rollback ${failedId}`));
    assert.match(textOf(again), new RegExp(`${rollbackId} already rolls back ${failedId}`));

    const sent = await cardSentTo(h, approver(0), rollbackId);
    validCard(await h.click(approver(0), 'intent', { intent: { kind: 'approve', id: rollbackId } }, sent.id));
    await until('the rollback to succeed', async () => (await h.app.store.get(rollbackId))?.state === 'succeeded', { timeoutMs: 30_000 });
    assert.equal(vlanOf(CIRCUIT_IDS.contosoAms), 100, 'read back from the simulator: the VLAN is as before');
    await cardBecomes(h, requesterCardId, (t) => t.includes(`↩ Rolled back by ${rollbackId}.`));
    // The clicked message is the rollback's now: the original's updates never took it back.
    const leadCard = await cardBecomes(h, leadCardId, (t) => /Succeeded/.test(t) && t.includes(`Rollback of ${failedId}`), 30_000);
    assert.doesNotMatch(textOf(leadCard), /Rolled back by/);
  });

  it('should show "succeeded, verified: <evidence>" for a change that checks out, and roll it back when typed', async () => {
    const reply = await h.say(PEOPLE.engineer, `peering ${PAR} private vlan 221`);
    const id = requestIdOf(validCard(reply));
    validCard(await h.say(approver(0), `approve ${id}`));
    const card = await cardBecomes(h, reply.id, (t) => /verified/.test(t), 30_000);
    assert.match(
      textOf(card),
      /✅ Succeeded, verified: AzurePrivatePeering reads back as requested; both BGP sessions of private peering are established: primary 22 prefixes \(was 22\), secondary 22 prefixes \(was 22\)/,
    );
    assert.match(textOf(card), new RegExp(`Reversible: \`rollback ${id}\``));
    assert.equal(vlanOf(PAR_ID), 221);

    const typed = validCard(await h.say(PEOPLE.engineer, `rollback ${id.toLowerCase()}`));
    assert.match(textOf(typed), new RegExp(`Rollback of ${id}`));
    assert.match(textOf(typed), /221 → 120/);
    assert.match(textOf(typed), /Waiting for approval \(0\/1\)/);
  });

  it('should refuse to roll back a one-way change, saying why, and show it on the card', async () => {
    const reply = await h.say(PEOPLE.engineer, 'upgrade contoso/contoso-lon-er2 2 Gbps');
    const id = requestIdOf(validCard(reply));
    validCard(await h.say(approver(0), `approve ${id}`));
    const card = await cardBecomes(h, reply.id, (t) => /Succeeded/.test(t) && /No rollback: /.test(t), 30_000);
    assert.deepEqual(buttonsOf(card), [], 'no Rollback on a one-way change');
    const before = await requests();
    const refused = validCard(await h.say(PEOPLE.engineer, `rollback ${id}`));
    assert.match(textOf(refused), /Not possible as asked/);
    assert.match(textOf(refused), new RegExp(`${id} can't be rolled back: `));
    assert.equal(await requests(), before);
  });

  it('should refuse to roll back a change that has not succeeded', async () => {
    const reply = await h.say(PEOPLE.engineer, 'upgrade contoso/er-shared 2 Gbps');
    const id = requestIdOf(validCard(reply));
    const refused = validCard(await h.say(PEOPLE.engineer, `rollback ${id}`));
    assert.match(textOf(refused), new RegExp(`${id} is pending; only a change that succeeded can be rolled back`));
    validCard(await h.say(PEOPLE.engineer, `cancel ${id}`));
  });
});
