import assert from 'node:assert/strict';
import { Harness } from '../support/harness';
import { answerTo, buttonOf, buttonsOf, textOf, validCard } from '../support/cards';
import { PEOPLE, approver, changeDirectory } from '../support/change-world';
import { cardBecomes, cardSentTo, introduce, putsTo, requestIdOf } from '../support/change-cards';
import { CIRCUIT_IDS } from '../support/demo-world';

/**
 * Issue 11 over real Bot Framework HTTP: Fabrikam is Connect-To, so a bandwidth upgrade of its circuit needs Erin,
 * who is on Fabrikam's side. A CSP approver's approval is refused with that reason, typed and clicked alike, and
 * recorded nowhere; Erin's click runs the change. Contoso (Connect-Through) is approved by the CSP as before.
 */

const REFUSAL = /Fabrikam Inc's Connect-To model needs one approval from Fabrikam Inc's side: Erin\./;

describe('bot: Connect-To approvals (typed and clicked)', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => {
    h = await Harness.start({
      directory: changeDirectory({ required: 1 }),
      changes: { progressUpdateMs: 50, executorLimits: { retryDelayMs: 10 } },
    });
    await introduce(h, approver(0));
    await introduce(h, PEOPLE.fabrikamLead);
  });
  after(async () => h?.stop());

  it('should refuse the CSP approver’s typed and clicked approvals with the reason, then run the change on Erin’s click', async () => {
    const reply = await h.say(PEOPLE.engineer, 'upgrade fabrikam/fabrikam-sea-er3 2 Gbps');
    const card = validCard(reply);
    const id = requestIdOf(card);
    assert.match(textOf(card), /Who must approve\nConnect-To: needs 1 approval from Fabrikam Inc's side \(Erin\)\n/);
    assert.match(textOf(card), /Who can approve\n[^\n]*Erin/);

    // The CSP approver's own card: no Approve button, and why.
    const theirs = validCard(await cardSentTo(h, approver(0), id));
    assert.ok(!buttonsOf(theirs).some((b) => b.title === 'Approve'), 'no Approve button for the CSP approver');
    assert.match(textOf(theirs), REFUSAL);

    const typed = textOf(validCard(await h.say(approver(0), `approve ${id}`)));
    assert.match(typed, REFUSAL);
    assert.match(typed, /Your approval was not recorded\. Ask Erin to approve/);
    // The button an older card still carries goes through the same check.
    const clicked = textOf(validCard(await h.click(approver(0), 'intent', { intent: { kind: 'approve', id } })));
    assert.match(clicked, REFUSAL);
    const pending = await h.app.store.get(id);
    assert.equal(pending?.state, 'pending');
    assert.deepEqual(pending?.approvals, []);
    assert.equal(putsTo(h, CIRCUIT_IDS.fabrikamSea), 0);

    const sent = await cardSentTo(h, PEOPLE.fabrikamLead, id);
    const approve = buttonOf(validCard(sent), 'Approve');
    validCard(await h.click(PEOPLE.fabrikamLead, approve.verb, approve.data, sent.id));
    const done = await cardBecomes(h, reply.id, (t) => /Succeeded/.test(t) && /Read back from Azure/.test(t));
    assert.match(textOf(done), /Fabrikam Inc's side\napproved by Erin/);
    assert.equal(putsTo(h, CIRCUIT_IDS.fabrikamSea), 1);
  });

  it('should let a CSP approver alone approve a Connect-Through change, typed', async () => {
    const id = requestIdOf(validCard(await h.say(PEOPLE.engineer, 'upgrade contoso/contoso-lon-er2 2 Gbps')));
    assert.match(textOf(validCard(await h.say(approver(1), `approve ${id}`))), /Approved|Running|Succeeded/);
    assert.notEqual((await h.app.store.get(id))?.state, 'pending');
  });

  it('should show the model and who configures the routers on the circuit card and in `customers`', async () => {
    const circuit = textOf(await answerTo(h, PEOPLE.engineer, 'circuit fabrikam/fabrikam-sea-er3'));
    assert.match(circuit, /Model\nConnect-To: the customer configures their own routers; the customer decides the VNet security policy/);
    const customers = textOf(validCard(await h.say(PEOPLE.engineer, 'customers')));
    assert.match(customers, /Connect-Through: the CSP runs the BGP routes and network plumbing/);
    assert.match(customers, /Connect-To: the customer configures their own routers/);
  });
});
