import assert from 'node:assert/strict';
import { requestCard, type RequestCardView } from '../../src/cards/request-card';
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
});
