import assert from 'node:assert/strict';
import { requestCard, type RequestCardView } from '../../src/cards/request-card';
import { requestsCard } from '../../src/cards/requests-card';
import { textOf } from '../support/harness';
import { makeChangeRequest } from '../support/seed-requests';
import { assertValidCard } from './card-check';

const AT = Date.UTC(2025, 0, 6, 9, 0, 0);

function view(overrides: Partial<RequestCardView> = {}): RequestCardView {
  return {
    request: makeChangeRequest(),
    customer: { name: 'Contoso Ltd', tenantId: 't' },
    kindTitle: 'Bandwidth upgrade',
    approvers: ['Ada Approver'],
    now: AT,
    viewer: { isRequester: true, canApprove: false, canReject: false, canCancel: true, canRerequest: false },
    ...overrides,
  };
}

describe('request card', () => {
  it('should render a notice first, above the title, with its command references in words', () => {
    const hint = ['Next time, use the form (', { say: 'change' as const, args: ['<circuit>'] }, ').'];
    const plain = view();
    const warned = requestCard({ ...plain, notice: { text: hint, tone: 'attention' } });
    assertValidCard(warned);
    assert.deepEqual(warned.body[0], {
      type: 'TextBlock',
      text: 'Next time, use the form (`change <circuit>`).',
      wrap: true,
      color: 'Attention',
      size: 'Default',
      weight: 'Bolder',
    });
    assert.deepEqual(warned.body.slice(1), requestCard(plain).body, 'the rest of the card is unchanged');
  });

  it('should render a warning notice as small print', () => {
    const card = requestCard(view({ notice: { text: 'Mind the key.', tone: 'warning' } }));
    assertValidCard(card);
    assert.deepEqual(card.body[0], { type: 'TextBlock', text: 'Mind the key.', wrap: true, color: 'Warning', size: 'Small' });
  });

  it('should give the same JSON for the same view model, with or without a notice (pure)', () => {
    const v = view({ notice: { text: 'Mind the key.', tone: 'warning' } });
    assert.equal(JSON.stringify(requestCard(v)), JSON.stringify(requestCard(v)));
    assert.notEqual(requestCard(view()).body[0]?.text, 'Mind the key.');
  });

  describe('Connect-To: who must approve and why (issue 11)', () => {
    const fabrikam = { name: 'Fabrikam Inc', tenantId: 't' };
    const approver = (name: string, side: 'csp' | 'customer', at = AT) => ({ by: { aadObjectId: name.toLowerCase(), name }, at, side });
    const connectTo = (overrides: Parameters<typeof makeChangeRequest>[0] = {}) =>
      view({
        request: makeChangeRequest({ customerId: 'fabrikam', required: 2, needsCustomerSide: true, ...overrides }),
        customer: fabrikam,
        approvers: ['Avery', 'Erin', 'Frank'],
        customerSide: ['Erin', 'Frank'],
      });

    it("should say that it needs one approval from the customer's side, naming them, and one from anyone, and why", () => {
      const card = requestCard(connectTo());
      assertValidCard(card);
      const text = textOf(card);
      assert.match(
        text,
        /Who must approve\nConnect-To: needs 1 approval from Fabrikam Inc's side \(Erin, Frank\) and 1 from anyone with approve/,
      );
      assert.match(
        text,
        /Fabrikam Inc uses the Connect-To model: it configures its own routers, so a change to the circuit needs its side's approval too\./,
      );
      assert.match(text, /Who can approve\nAvery, Erin, Frank/);
    });

    it("should leave out 'anyone' when one approval is required, and say who approved once the customer's side has", () => {
      assert.match(
        textOf(requestCard(connectTo({ required: 1 }))),
        /Connect-To: needs 1 approval from Fabrikam Inc's side \(Erin, Frank\)\n/,
      );
      const approved = textOf(requestCard(connectTo({ approvals: [approver('Erin', 'customer')] })));
      assert.match(approved, /Fabrikam Inc's side\napproved by Erin/);
      assert.doesNotMatch(approved, /Who must approve/);
    });

    it('should say it still needs a customer-side approval when the count is reached without one', () => {
      const text = textOf(requestCard(connectTo({ approvals: [approver('Avery', 'csp'), approver('Omar', 'csp')] })));
      assert.match(text, /Waiting for approval \(2\/2, still needs a customer-side approval\)/);
      assert.match(text, /Who must approve\nConnect-To: needs 1 approval from Fabrikam Inc's side/);
    });

    it("should mark a Connect-To request in the requests list while the customer's side has not approved", () => {
      const waiting = makeChangeRequest({ customerId: 'fabrikam', needsCustomerSide: true });
      const decided = makeChangeRequest({ customerId: 'fabrikam', needsCustomerSide: true, approvals: [approver('Erin', 'customer')] });
      const list = textOf(
        requestsCard({ heading: 'Pending', requests: [waiting, decided, makeChangeRequest()], customerNames: {}, hint: '' }),
      );
      const cells = list.split('\n').filter((line) => /^\d\/\d/.test(line));
      assert.deepEqual(cells, ['0/1 + customer side', '1/1', '0/1'], list);
    });

    it('should show none of it for a Connect-Through or VNet-side request', () => {
      const text = textOf(requestCard(view()));
      assert.doesNotMatch(text, /Connect-To|Who must approve|customer-side/);
      assert.match(text, /Waiting for approval \(0\/1\)/);
    });
  });
});
