import assert from 'node:assert/strict';
import { Harness } from '../support/harness';
import { answerTo, buttonOf, buttonsOf, textOf, validCard } from '../support/cards';
import { AMS, PEOPLE, approver, changeDirectory } from '../support/change-world';
import { cardBecomes, cardSentTo, introduce, putsTo, requestIdOf } from '../support/change-cards';

describe('bot: change requests end to end', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => {
    h = await Harness.start({
      directory: changeDirectory({ required: 1 }),
      changes: { progressUpdateMs: 50, executorLimits: { retryDelayMs: 10 } },
    });
    await introduce(h, approver(0));
  });
  after(async () => h?.stop());
  const graphQueries = () =>
    h.app.simulator!.requests.filter((r) => r.path.toLowerCase() === '/providers/microsoft.resourcegraph/resources').length;

  it('should run request → approve → PUT → succeeded, updating the requester’s and the approver’s cards', async () => {
    // The inventory index is warm before the change, so the listing after it proves the change invalidated it.
    assert.match(textOf(await answerTo(h, PEOPLE.engineer, 'circuits contoso')), /contoso-ams-er1[^\n]*\n[^]*?1 Gbps/);
    const graphBefore = graphQueries();
    const reply = await h.say(PEOPLE.engineer, `upgrade ${AMS} 2 Gbps`);
    const card = validCard(reply);
    const id = requestIdOf(card);
    const text = textOf(card);
    assert.match(text, /Waiting for approval \(0\/1\)/);
    assert.match(text, /1 Gbps → 2 Gbps/);
    assert.match(text, /Downtime/);
    assert.match(text, /one-way/i);
    assert.match(text, /Billing/);
    assert.match(text, /Approver 0/);
    assert.match(text, /Expires/);
    assert.deepEqual(
      buttonsOf(card).map((b) => b.title),
      ['Cancel request'],
      'the requester may only cancel',
    );
    assert.ok(card.refresh?.userIds?.includes(`29:${approver(0).aadObjectId}`), 'approvers get their own view');

    const sent = await cardSentTo(h, approver(0), id);
    const approverCard = validCard(sent);
    const approve = buttonOf(approverCard, 'Approve');
    assert.equal(putsTo(h), 0);
    const clicked = validCard(await h.click(approver(0), approve.verb, approve.data, sent.id));
    assert.match(textOf(clicked), /Approved|Running|Succeeded/);
    assert.equal(buttonsOf(clicked).filter((b) => b.title === 'Approve').length, 0);

    const done = (t: string) => /Succeeded/.test(t) && /Read back from Azure/.test(t);
    const mine = await cardBecomes(h, reply.id, done);
    const theirs = await cardBecomes(h, sent.id, done);
    for (const c of [mine, theirs]) {
      assert.match(textOf(c), /Bandwidth\n2 Gbps/);
      assert.equal(buttonsOf(c).length, 0);
    }
    assert.equal(putsTo(h), 1);
    const detail = await answerTo(h, PEOPLE.engineer, `circuit ${AMS}`);
    assert.match(textOf(detail), /2 Gbps/);
    // Not --fresh: the bot's own write dropped the tenant's cached inventory, so Resource Graph is asked again.
    const listed = textOf(await answerTo(h, PEOPLE.engineer, 'circuits contoso'));
    assert.ok(graphQueries() > graphBefore, 'the inventory was read again after the write');
    assert.match(listed, /contoso-ams-er1[^\n]*\n[^]*?2 Gbps/);
  });
});
