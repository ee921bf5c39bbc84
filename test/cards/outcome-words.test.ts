import assert from 'node:assert/strict';
import { errorCard } from '../../src/cards/error-card';
import { commandSyntax, hintWords } from '../../src/cards/hint-words';
import { armCodeOf, ERROR_WORDS, OUTCOME_WORDS, outcomeMessage, outcomeShort } from '../../src/cards/outcome-words';
import { refusalCard } from '../../src/cards/refusal-card';
import { requestCard } from '../../src/cards/request-card';
import { auditCard } from '../../src/cards/requests-card';
import type { ChangeState, Outcome } from '../../src/changes/change-request';
import { CodedError, ErrorCode, OutcomeCode } from '../../src/errors';
import { COMMAND_NAMES, hintText } from '../../src/command-names';
import { makeChangeRequest } from '../support/seed-requests';
import { assertValidCard } from './card-check';

/** The state each outcome ends a request in; a Record, so a new code must be placed here too. */
const END_STATE: Record<OutcomeCode, Extract<ChangeState, 'succeeded' | 'failed' | 'stale'>> = {
  [OutcomeCode.Applied]: 'succeeded',
  [OutcomeCode.FoundApplied]: 'succeeded',
  [OutcomeCode.ArmRejected]: 'failed',
  [OutcomeCode.OperationFailed]: 'failed',
  [OutcomeCode.GaveUp]: 'failed',
  [OutcomeCode.Timeout]: 'failed',
  [OutcomeCode.ReadFailed]: 'failed',
  [OutcomeCode.NotApplied]: 'failed',
  [OutcomeCode.ChangedElsewhere]: 'failed',
  [OutcomeCode.Internal]: 'failed',
  [OutcomeCode.Stale]: 'stale',
};

const AT = Date.UTC(2025, 0, 6, 9, 0, 0);
const text = (card: unknown) => JSON.stringify(card);

function cardFor(state: ChangeState, outcome: Outcome) {
  const request = makeChangeRequest({ state, approvals: [], outcome, operation: { attempts: 3, startedAt: AT } });
  return {
    request,
    card: requestCard({
      request,
      customer: { name: 'Contoso Ltd', tenantId: 't' },
      kindTitle: 'Bandwidth upgrade',
      approvers: [],
      now: AT,
    }),
  };
}

describe('outcome words: one presenter for every code', () => {
  it('should give every error code a title and render its card (the refusal card for Refused)', () => {
    for (const code of Object.values(ErrorCode)) {
      assert.ok(ERROR_WORDS[code].title.trim().length > 0, code);
      const error = new CodedError(code, `Example of ${code}.`, {
        hint: ['Then ', { say: 'request', args: ['CR-7F3K2QX'] }, ' shows it.'],
      });
      const card = errorCard(error);
      assertValidCard(card);
      assert.ok(text(card).includes(ERROR_WORDS[code].title), code);
      assert.ok(text(card).includes('`request CR-7F3K2QX` shows it.'), `${code}: the hint with its command`);
    }
    const refusal = refusalCard(
      new CodedError(ErrorCode.Refused, 'No.', { hint: ['Ask for ', { say: 'upgrade', args: ['contoso/er1', '2', 'Gbps'] }, ' instead.'] }),
    );
    assertValidCard(refusal);
    assert.match(text(refusal), /Not possible as asked.*No\..*Instead.*Ask for `upgrade contoso\/er1 2 Gbps` instead\./);
  });

  it('should word every outcome code from its facts and render it on the request card and in the audit trail', () => {
    const failures = [
      { source: 'arm', code: 'ServiceUnavailable', message: 'Network RP is unavailable.' },
      { source: 'read', message: 'the circuit could not be read' },
      undefined,
    ] as const;
    for (const code of Object.values(OutcomeCode)) {
      assert.ok(OUTCOME_WORDS[code].short.trim().length > 0, code);
      for (const failure of failures) {
        const outcome: Outcome = {
          code,
          attempts: 3,
          submitted: false,
          deadlineMs: 300_000,
          staleBecause: 'etag',
          after: { Bandwidth: '1 Gbps' },
          ...(failure ? { failure } : {}),
        };
        const { request, card } = cardFor(END_STATE[code], outcome);
        const said = outcomeMessage(request);
        assert.ok(said.trim().length > 0, code);
        assert.doesNotMatch(said, /undefined|\[object/, `${code}: ${said}`);
        assertValidCard(card);
        assert.ok(text(card).includes(said), `${code}: the card says ${said}`);
        if (END_STATE[code] === 'failed') assert.ok(outcomeShort(outcome), `${code}: in short`);
        const trail = auditCard({
          heading: 'Audit trail',
          customerNames: {},
          entries: [
            {
              requestId: request.id,
              customerId: request.customerId,
              at: AT,
              actor: { aadObjectId: 'system', name: 'bot' },
              action: END_STATE[code],
              from: 'executing',
              to: END_STATE[code],
              result: outcome,
            },
          ],
        });
        assertValidCard(trail);
      }
    }
  });

  it("should say ARM's own code as data: in its words, in the small print, and never a code of the bot's as Azure's", () => {
    const rejected: Outcome = {
      code: OutcomeCode.ArmRejected,
      failure: { source: 'arm', code: 'InvalidCircuitBandwidth', message: 'Bandwidth 2000 Mbps is not offered here.' },
    };
    const { request, card } = cardFor('failed', rejected);
    assert.equal(outcomeMessage(request), 'Azure refused the change (InvalidCircuitBandwidth): Bandwidth 2000 Mbps is not offered here.');
    assert.match(text(card), /In short: invalid circuit bandwidth\..*Azure's code: InvalidCircuitBandwidth/);
    const timeout = cardFor('failed', { code: OutcomeCode.Timeout, deadlineMs: 7_200_000 });
    assert.equal(
      outcomeMessage(timeout.request),
      'Azure did not finish the change within 120 minutes, so the bot stopped following it. Check the circuit before asking again.',
    );
    assert.match(text(timeout.card), /In short: the change took longer than the bot waits\./);
    assert.doesNotMatch(text(timeout.card), /Azure's code/);
    assert.equal(armCodeOf({ code: OutcomeCode.GaveUp, failure: { source: 'read', message: 'x' } }), undefined);
  });

  it('should keep reading outcomes stored before the codes: their own sentence, and the ARM code they held', () => {
    const old: Outcome = {
      code: 'ServiceProviderCapacityExceeded',
      message: 'Azure accepted the change but the operation failed (ServiceProviderCapacityExceeded): no.',
    };
    const { request, card } = cardFor('failed', old);
    assert.equal(outcomeMessage(request), old.message);
    assert.match(text(card), /In short: service provider capacity exceeded\./);
    assert.match(text(card), /Azure's code: ServiceProviderCapacityExceeded/);
    const oldTimeout = cardFor('failed', { code: 'Timeout', message: 'Azure did not finish the change within 120 minutes.' });
    assert.match(text(oldTimeout.card), /In short: the change took longer than the bot waits\./);
    assert.doesNotMatch(text(oldTimeout.card), /Azure's code/, 'Timeout was never Azure’s code');
  });

  it("should render a command reference with the catalog's name, reading the same as the plain-text hint", () => {
    for (const say of COMMAND_NAMES) {
      assert.equal(commandSyntax({ say }), say);
      const hint = ['Type ', { say, args: ['x'] }, '.'] as const;
      assert.equal(hintWords(hint), hintText(hint));
      assert.equal(hintWords(hint), `Type \`${say} x\`.`);
    }
    assert.equal(hintWords('plain words'), 'plain words');
    assert.equal(
      new CodedError(ErrorCode.Conflict, 'm', { hint: [{ say: 'requests', args: ['all'] }, ' lists them.'] }).hint,
      '`requests all` lists them.',
    );
  });
});
