import assert from 'node:assert/strict';
import { Harness } from '../support/harness';
import { buttonOf, buttonsOf, textOf, validCard } from '../support/cards';
import { AMS, PEOPLE, approver, changeDirectory } from '../support/change-world';
import { patchTags } from '../support/sim-write';
import { CIRCUIT_IDS } from '../support/demo-world';
import { CATALOG } from '../../src/intents/catalog';
import { cardBecomes, cardSentTo, introduce, putsTo, requestIdOf } from '../support/change-cards';
import { until } from '../support/until';

const AMS_ID = CIRCUIT_IDS.contosoAms;

async function requestUpgrade(h: Harness, mbps = 2000): Promise<{ id: string; replyId: string }> {
  const reply = await h.say(PEOPLE.engineer, `upgrade ${AMS} ${mbps}`);
  const card = validCard(reply);
  return { id: requestIdOf(card), replyId: reply.id };
}

async function stateOf(h: Harness, id: string): Promise<string | undefined> {
  return (await h.app.store.get(id))?.state;
}

describe('bot: who may decide on a change request', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => {
    h = await Harness.start({ directory: changeDirectory({ required: 2 }), changes: { progressUpdateMs: 50 } });
  });
  after(async () => h?.stop());

  it('should refuse a request from someone with view rights only, and store nothing', async () => {
    const before = (await h.app.store.list({})).length;
    const card = validCard(await h.say(PEOPLE.viewer, `upgrade ${AMS} 2 Gbps`));
    assert.match(textOf(card), /don't have the right to request changes/);
    assert.equal((await h.app.store.list({})).length, before);
  });

  it('should never let the requester approve their own request, typed or clicked', async () => {
    const reply = await h.say(PEOPLE.lead, `upgrade ${AMS} 5 Gbps`);
    const id = requestIdOf(validCard(reply));
    assert.equal(
      buttonsOf(validCard(reply)).some((b) => b.title === 'Approve'),
      false,
      'no Approve on the requester’s own card',
    );
    const typed = validCard(await h.say(PEOPLE.lead, `approve ${id}`));
    assert.match(textOf(typed), /someone else must approve/);
    const clicked = validCard(await h.click(PEOPLE.lead, 'intent', { intent: { kind: 'approve', id } }));
    assert.match(textOf(clicked), /someone else must approve/);
    assert.equal((await h.app.store.get(id))?.approvals.length, 0);
    validCard(await h.say(PEOPLE.lead, `cancel ${id}`));
    assert.equal(await stateOf(h, id), 'cancelled');
  });

  it('should refuse a non-approver, hide the request from other customers’ people, and need two distinct approvers', async () => {
    const { id, replyId } = await requestUpgrade(h);
    assert.match(textOf(validCard(await h.say(PEOPLE.viewer, `approve ${id}`))), /don't have the right to approve/);

    // Someone with rights on another customer only: the same answer as for an id that doesn't exist.
    const hidden = textOf(validCard(await h.say(PEOPLE.outsider, `request ${id}`)));
    const missing = textOf(validCard(await h.say(PEOPLE.outsider, 'request CR-ZZZZZZZ')));
    assert.equal(hidden.replace(id, 'X'), missing.replace('CR-ZZZZZZZ', 'X'));
    assert.doesNotMatch(hidden, /contoso|Contoso|ams/);
    assert.match(
      textOf(validCard(await h.click(PEOPLE.outsider, 'intent', { intent: { kind: 'approve', id } }))),
      /can't find a change request/,
    );
    assert.doesNotMatch(textOf(validCard(await h.say(PEOPLE.outsider, 'requests all'))), new RegExp(id));
    assert.doesNotMatch(textOf(validCard(await h.say(PEOPLE.outsider, 'audit'))), new RegExp(id));

    const first = validCard(await h.say(approver(0), `approve ${id}`));
    assert.match(textOf(first), /Waiting for approval \(1\/2\)/);
    assert.match(textOf(validCard(await h.say(approver(0), `approve ${id}`))), /already approved/);
    assert.match(textOf(validCard(await h.click(approver(0), 'intent', { intent: { kind: 'approve', id } }))), /already approved/);
    assert.equal(putsTo(h), 0, 'one approver of two runs nothing');
    assert.match(textOf(await cardBecomes(h, replyId, (t) => /\(1\/2\)/.test(t))), /Approver 0/);

    validCard(await h.say(approver(1), `approve ${id}`));
    await cardBecomes(h, replyId, (t) => /Succeeded/.test(t));
    assert.equal(putsTo(h), 1);
    const trail = textOf(validCard(await h.say(PEOPLE.engineer, 'audit contoso 50')));
    for (const action of ['requested', 'approved', 'approval-complete', 'executing', 'succeeded']) assert.match(trail, new RegExp(action));
  });

  it('should offer no command that edits the audit trail', async () => {
    const mutating = CATALOG.filter((c) => ['upgrade', 'change', 'approve', 'reject', 'cancel', 'approvals-channel'].includes(c.kind)).map(
      (c) => c.kind,
    );
    assert.deepEqual(
      CATALOG.filter((c) => !['view', 'request', 'approve', 'oncall', 'admin'].includes(c.right)),
      [],
    );
    assert.ok(!mutating.includes('audit'));
    const before = await h.app.store.audit({ customerIds: ['contoso', 'fabrikam', 'northwind'], limit: 200 });
    for (const attempt of ['audit contoso delete', 'audit clear', 'audit contoso 0']) {
      assert.doesNotMatch(textOf(validCard(await h.say(PEOPLE.admin, attempt))), /deleted|cleared|removed/i);
    }
    assert.deepEqual(await h.app.store.audit({ customerIds: ['contoso', 'fabrikam', 'northwind'], limit: 200 }), before);
  });

  it('should reject with a reason from the card, and refuse a rejection without one', async () => {
    const { id, replyId } = await requestUpgrade(h, 10_000);
    const card = validCard(await h.say(approver(2), `request ${id}`));
    const reject = buttonOf(card, 'Reject');
    const empty = validCard(await h.click(approver(2), reject.verb, { ...(reject.data as object), rejectReason: '  ' }));
    assert.match(textOf(empty), /needs a reason/);
    assert.equal(await stateOf(h, id), 'pending');
    const done = validCard(await h.click(approver(2), reject.verb, { ...(reject.data as object), rejectReason: 'Not during the freeze' }));
    assert.match(textOf(done), /Rejected/);
    const requester = await cardBecomes(h, replyId, (t) => /Rejected/.test(t));
    assert.match(textOf(requester), /Not during the freeze/);
    assert.match(textOf(requester), /Approver 2/);
    assert.equal(buttonsOf(requester).length, 0);
  });

  it('should show the audit trail newest first', async () => {
    const { id } = await requestUpgrade(h, 10_000);
    validCard(await h.say(PEOPLE.engineer, `cancel ${id}`));
    const trail = textOf(validCard(await h.say(PEOPLE.engineer, 'audit contoso 50')));
    assert.match(trail, /entries, newest first/);
    // The first row under the column titles is the cancellation just made, and its request comes after it.
    assert.match(trail, new RegExp(`Details\\n[^\\n]+ UTC\\n${id}\\n(?:${id}\\n)?Dana\\ncancelled \\(pending → cancelled\\)`), trail);
    const cancelled = trail.indexOf(`${id}\nDana\ncancelled`);
    const requested = trail.indexOf(`${id}\nDana\nrequested`);
    assert.ok(cancelled >= 0 && requested > cancelled, trail);
  });

  it('should clean a reason from the card exactly like a typed one: no bidi override, zero-width character or link', async () => {
    const raw = 'Wrong\u200b VLAN \u202egnp.exe\u202c, see [the runbook](https://evil.example/login) or https://evil.example/x.';
    const clean = 'Wrong VLAN gnp.exe, see the runbook or (link removed).';
    const clicked = await requestUpgrade(h, 10_000);
    const reject = buttonOf(validCard(await h.say(approver(2), `request ${clicked.id}`)), 'Reject');
    validCard(await h.click(approver(2), reject.verb, { ...(reject.data as object), rejectReason: raw }));
    const typed = await requestUpgrade(h, 10_000);
    validCard(await h.say(approver(2), `reject ${typed.id} ${raw}`));

    for (const { id, replyId } of [clicked, typed]) {
      assert.equal((await h.app.store.get(id))?.rejection?.reason, clean, `stored reason of ${id}`);
      const requester = await cardBecomes(h, replyId, (t) => /Rejected/.test(t));
      assert.ok(textOf(requester).includes(clean), textOf(requester));
      for (const shown of [JSON.stringify(requester), JSON.stringify(validCard(await h.say(PEOPLE.engineer, 'audit contoso 50')))]) {
        assert.ok(!/evil\.example|\\u202e|\\u200b|\u202e|\u200b|\]\(/i.test(shown), `shown as given: ${shown.slice(0, 200)}`);
      }
    }
  });
});

describe('bot: exactly one ARM write for 50 simultaneous approvals', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => {
    h = await Harness.start({
      directory: changeDirectory({ required: 1, approvers: 50 }),
      changes: { progressUpdateMs: 50 },
      logLevel: 'info',
    });
  });
  after(async () => h?.stop());

  it('should send one PUT and answer every clicker with a sane card', async () => {
    const { id, replyId } = await requestUpgrade(h);
    const clicks = Array.from({ length: 50 }, (_, i) => h.click(approver(i), 'intent', { intent: { kind: 'approve', id } }));
    const answers = await Promise.all(clicks);
    for (const a of answers) {
      const text = textOf(validCard(a));
      assert.match(text, /Approved|Running|Succeeded|can't be approved any more|Waiting/, text);
    }
    await cardBecomes(h, replyId, (t) => /Succeeded/.test(t));
    assert.equal(putsTo(h), 1);
    const request = await h.app.store.get(id);
    assert.equal(request?.state, 'succeeded');
    assert.equal(request?.approvals.length, 1);
  });
});

describe('bot: a change bound to the circuit as it was', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => {
    h = await Harness.start({ directory: changeDirectory({ required: 1 }), changes: { progressUpdateMs: 50 } });
    await introduce(h, approver(0));
  });
  after(async () => h?.stop());

  it('should go stale without a PUT when the circuit changed before approval, and offer to re-request', async () => {
    const { id, replyId } = await requestUpgrade(h);
    const sent = await cardSentTo(h, approver(0), id);
    assert.equal(await patchTags(h.app.simulator!, AMS_ID, { changedBy: 'portal' }), 200);
    validCard(await h.click(approver(0), 'intent', { intent: { kind: 'approve', id } }, sent.id));
    const requester = await cardBecomes(h, replyId, (t) => /Stale/.test(t));
    assert.match(textOf(requester), /changed after this request was made/);
    await cardBecomes(h, sent.id, (t) => /Stale/.test(t) && !/Approve/.test(t));
    assert.equal(putsTo(h), 0);

    const again = buttonOf(requester, 'Re-request');
    const fresh = validCard(await h.click(PEOPLE.engineer, again.verb, again.data));
    const newId = requestIdOf(fresh);
    assert.notEqual(newId, id);
    assert.match(textOf(fresh), /Waiting for approval \(0\/1\)/);
    assert.equal(await stateOf(h, newId), 'pending');
  });
});

describe('bot: change refusals that do not wait', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => {
    h = await Harness.start({ directory: changeDirectory() });
  });
  after(async () => h?.stop());

  it('should refuse a decrease with the reason and the alternative, before anyone is asked', async () => {
    const before = (await h.app.store.list({})).length;
    const text = textOf(validCard(await h.say(PEOPLE.engineer, `upgrade ${AMS} 500 Mbps`)));
    assert.match(text, /Not possible as asked/);
    assert.match(text, /Instead/);
    assert.match(text, /new.*circuit/i);
    assert.equal((await h.app.store.list({})).length, before);
  });

  it('should refuse Unlimited → Metered from the change form', async () => {
    const form = validCard(await h.say(PEOPLE.engineer, 'change fabrikam/fabrikam-dal-er1'));
    const sku = buttonOf(form, /SKU/);
    const text = textOf(
      validCard(await h.click(PEOPLE.engineer, sku.verb, { ...(sku.data as object), 'sku:tier': 'Premium', 'sku:family': 'MeteredData' })),
    );
    assert.match(text, /Unlimited to Metered/);
    assert.match(text, /Instead/);
  });

  it('should request from the form with the kind and its fields, validated on the server', async () => {
    const form = validCard(await h.say(PEOPLE.engineer, `change ${AMS}`));
    const titles = buttonsOf(form).map((b) => b.title);
    assert.deepEqual(titles.slice(0, 2), ['Request bandwidth upgrade', 'Request SKU change']);
    assert.ok(titles.includes('Request private peering') && titles.includes('Request create an authorization'), titles.join(' | '));
    const bandwidth = buttonOf(form, /bandwidth/);
    const bad = validCard(await h.click(PEOPLE.engineer, bandwidth.verb, { ...(bandwidth.data as object), 'bandwidth:bandwidth': 'lots' }));
    assert.match(textOf(bad), /as a bandwidth/);
    const card = validCard(
      await h.click(PEOPLE.engineer, bandwidth.verb, { ...(bandwidth.data as object), 'bandwidth:bandwidth': '5000' }),
    );
    assert.match(textOf(card), /1 Gbps → 5 Gbps/);
    // One change per circuit: withdraw the bandwidth request before asking for the SKU on the same circuit.
    validCard(await h.say(PEOPLE.engineer, `cancel ${requestIdOf(card)}`));
    const sku = buttonOf(form, /SKU/);
    const premium = validCard(
      await h.click(PEOPLE.engineer, sku.verb, { ...(sku.data as object), 'sku:tier': 'Premium', 'sku:family': 'MeteredData' }),
    );
    assert.match(textOf(premium), /Standard → Premium/);
    validCard(await h.say(PEOPLE.engineer, `cancel ${requestIdOf(premium)}`));
  });

  it('should refuse any write while the circuit is updating', async () => {
    h.app.simulator!.settings.lroDurationMs = 60_000;
    try {
      const { id, replyId } = await requestUpgrade(h, 2000);
      validCard(await h.say(approver(0), `approve ${id}`));
      await until('the PUT', () => putsTo(h) === 1, { timeoutMs: 20_000 });
      const running = textOf(await cardBecomes(h, replyId, (t) => /Running in Azure/.test(t) && /ARM status/.test(t)));
      assert.match(running, /Running for/);
      const text = textOf(validCard(await h.say(PEOPLE.engineer, `upgrade ${AMS} 5 Gbps`)));
      assert.match(text, /Not possible as asked/);
      assert.match(text, /Updating|in progress|busy/i);
    } finally {
      h.app.simulator!.settings.lroDurationMs = 0;
    }
  });
});

describe('bot: approvals channel', function () {
  this.timeout(60_000);
  let h: Harness;
  const channel = { id: '19:approvals@thread.tacv2;messageid=1700000000000', conversationType: 'channel' };
  before(async () => {
    h = await Harness.start({ directory: changeDirectory() });
  });
  after(async () => h?.stop());

  async function sayInChannel(user: { aadObjectId: string; name?: string }, text: string) {
    const activity = h.activityFor(user, { type: 'message', text, conversation: channel });
    assert.equal((await h.post(activity)).status, 200);
    return h.replyTo(String(activity.id));
  }

  it('should be registered by the customer’s admin only, in a channel, and then get each new request', async () => {
    assert.match(textOf(await sayInChannel(PEOPLE.engineer, 'approvals here contoso')), /right to administer/);
    assert.match(textOf(validCard(await h.say(PEOPLE.admin, 'approvals here contoso'))), /in the Teams channel/);
    assert.match(textOf(await sayInChannel(PEOPLE.admin, 'approvals here contoso')), /now gets Contoso Ltd's change requests/);

    const { id } = await requestUpgrade(h);
    const post = await h.connector.waitFor(
      (c) => c.conversationId === '19:approvals@thread.tacv2' && c.op === 'send',
      10_000,
      'the channel post',
    );
    const card = validCard(post);
    assert.match(textOf(card), new RegExp(id));
    assert.deepEqual(buttonsOf(card), [], 'everyone in the channel sees the status only');
    assert.ok(card.refresh?.userIds?.length > 0 && card.refresh.userIds.length <= 60);
    assert.deepEqual(card.refresh.action.data, { intent: { kind: 'request', id } });
    // What Teams fetches for an approver in that channel: their own view, with the buttons.
    const personal = validCard(await h.click(approver(0), card.refresh.action.verb, card.refresh.action.data, post.id));
    assert.ok(buttonsOf(personal).some((b) => b.title === 'Approve'));
    const viewer = validCard(await h.click(PEOPLE.viewer, card.refresh.action.verb, card.refresh.action.data, post.id));
    assert.deepEqual(buttonsOf(viewer), []);
  });
});
