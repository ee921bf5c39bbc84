import assert from 'node:assert/strict';
import { CodedError, ErrorCode } from '../../src/errors';
import { intentFromCardData } from '../../src/intents/card-data';
import { parseCommand } from '../../src/intents/parse-command';
import { retarget } from '../../src/intents/retarget';
import { intentProblem } from '../../src/intents/validate-intent';

/** How `parseCommand` refused `text`: a BadInput whose message and hint can be read. */
function refusal(text: string): { message: string; hint: string } {
  try {
    const intent = parseCommand(text);
    assert.fail(`expected a refusal for ${JSON.stringify(text)}, got ${JSON.stringify(intent)}`);
  } catch (e) {
    assert.ok(e instanceof CodedError, `not a CodedError: ${String(e)}`);
    assert.equal(e.code, ErrorCode.BadInput, e.message);
    return { message: e.message, hint: e.hint ?? '' };
  }
}

describe('intents: rollback and emergency (issue 13)', () => {
  describe('rollback <id>', () => {
    it('should read the request id in any case, and its aliases', () => {
      assert.deepEqual(parseCommand('rollback cr-7f3k2qx'), { kind: 'rollback', id: 'CR-7F3K2QX' });
      assert.deepEqual(parseCommand('Undo CR-7F3K2QX'), { kind: 'rollback', id: 'CR-7F3K2QX' });
      assert.deepEqual(parseCommand('revert CR-7F3K2QX'), { kind: 'rollback', id: 'CR-7F3K2QX' });
    });

    it('should say what is missing or wrong, with the usage', () => {
      const missing = refusal('rollback');
      assert.match(missing.message, /`rollback` needs a change request id/);
      assert.match(missing.hint, /Usage: `rollback <id>`/);
      assert.match(refusal('rollback er1').message, /'er1' isn't a change request id/);
      assert.match(refusal('rollback CR-7F3K2QX now').message, /takes one request id; I didn't expect 'now'/);
    });

    it('should be what the card’s Rollback button may carry', () => {
      assert.deepEqual(intentFromCardData({ intent: { kind: 'rollback', id: 'CR-7F3K2QX' } }), { kind: 'rollback', id: 'CR-7F3K2QX' });
      assert.throws(() => intentFromCardData({ intent: { kind: 'rollback', id: '../etc/passwd' } }), /button's data isn't valid/);
    });
  });

  describe('emergency <change command> because <reason>', () => {
    it('should wrap every typed change command, with the reason after the first `because`', () => {
      assert.deepEqual(parseCommand('emergency upgrade contoso/er1 2 Gbps because the provider link is saturated because of backups'), {
        kind: 'emergency',
        change: { kind: 'upgrade', circuit: 'contoso/er1', bandwidth: '2 Gbps' },
        reason: 'the provider link is saturated because of backups',
      });
      assert.deepEqual(parseCommand('EMERGENCY rollback cr-7f3k2qx BECAUSE BGP is down'), {
        kind: 'emergency',
        change: { kind: 'rollback', id: 'CR-7F3K2QX' },
        reason: 'BGP is down',
      });
      const peering = parseCommand('emergency peering er1 private vlan 200 because the customer moved its router');
      assert.equal(peering.kind, 'emergency');
      assert.deepEqual(peering.kind === 'emergency' ? peering.change : undefined, {
        kind: 'peering',
        target: 'er1',
        change: 'private-peering',
        input: { vlanId: 200 },
      });
      for (const text of [
        'emergency filter er1 attach rf-m365 because Teams calls fail',
        'emergency route rt-spoke remove to-fw because the firewall is down',
        'emergency authorization er1 create auth-dr because the DR site needs it now',
      ]) {
        const intent = parseCommand(text);
        assert.equal(intent.kind, 'emergency', text);
      }
    });

    it('should refuse a missing reason, naming what to add', () => {
      const { message, hint } = refusal('emergency upgrade er1 2 Gbps');
      assert.equal(message, 'An emergency override needs a reason: add `because <reason>` after the change.');
      assert.match(hint, /Usage: `emergency <change command> because <reason>`, for example `emergency upgrade/);
      assert.match(refusal('emergency upgrade er1 2 Gbps because   ').message, /Say why after `because`/);
      const long = parseCommand(`emergency upgrade er1 2 Gbps because ${'x'.repeat(600)}`);
      assert.equal(long.kind === 'emergency' ? long.reason.length : 0, 500, 'cut like a rejection’s reason');
    });

    it('should refuse a missing or non-change inner command, naming the change commands', () => {
      assert.match(refusal('emergency').message, /`emergency` needs the change to make first \(`upgrade`, `peering`, .* or `rollback`\)/);
      assert.match(refusal('emergency because it is urgent').message, /needs the change to make first/);
      assert.match(
        refusal('emergency status er1 because x').message,
        /'status' isn't a change command; after `emergency` comes one of `upgrade`, `peering`, `filter`, `route`, `authorization` or `rollback`/,
      );
      assert.match(refusal('emergency approve CR-7F3K2QX because x').message, /'approve' isn't a change command/);
      assert.match(refusal('emergency frobnicate because x').message, /'frobnicate' isn't a change command/);
      assert.match(refusal('emergency change er1 because x').message, /the change form has no emergency override; type the change itself/i);
      assert.match(
        refusal('emergency peering er1 because x').message,
        /`peering er1` doesn't ask for a change; say what to change, e.g. `peering /,
      );
    });

    it('should refuse an emergency inside an emergency', () => {
      assert.match(refusal('emergency emergency upgrade er1 2 Gbps because x because y').message, /write `emergency` once/i);
    });

    it("should pass the wrapped command's own mistakes through, with that command's usage", () => {
      const { message, hint } = refusal('emergency upgrade er1 because x');
      assert.match(message, /new bandwidth/);
      assert.match(hint, /Usage: `upgrade <circuit> <bandwidth>`/);
    });

    it('should never be clicked: card data carrying one is refused, and no "did you mean" offers one', () => {
      const intent = parseCommand('emergency upgrade er1 2 Gbps because x');
      assert.throws(
        () => intentFromCardData({ intent }),
        (e: unknown) =>
          e instanceof CodedError &&
          /typed, never clicked/.test(e.message) &&
          /`emergency <change command> because <reason>`/.test(e.hint ?? ''),
      );
      assert.equal(retarget(intent, 'contoso/er2'), undefined);
    });

    it('should check the wrapped change as if typed alone', () => {
      assert.deepEqual(intentProblem({ kind: 'emergency', change: { kind: 'upgrade', circuit: 'er1', bandwidth: 'lots' }, reason: 'x' }), {
        problem: "'lots' isn't a bandwidth (e.g. 2 Gbps or 2000)",
      });
      assert.ok('problem' in intentProblem({ kind: 'emergency', change: { kind: 'status' }, reason: 'x' }));
      assert.ok('problem' in intentProblem({ kind: 'emergency', change: { kind: 'rollback', id: 'CR-7F3K2QX' }, reason: ' ' }));
      assert.ok(
        'problem' in
          intentProblem({
            kind: 'emergency',
            change: { kind: 'emergency', change: { kind: 'rollback', id: 'CR-7F3K2QX' }, reason: 'x' },
            reason: 'x',
          }),
      );
    });
  });
});
