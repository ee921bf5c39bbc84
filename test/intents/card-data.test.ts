import assert from 'node:assert/strict';
import { CodedError, ErrorCode } from '../../src/errors';
import { intentFromCardData } from '../../src/intents/card-data';
import { parseCommand } from '../../src/intents/parse-command';

function refused(data: unknown): CodedError {
  try {
    intentFromCardData(data);
  } catch (e) {
    assert.ok(e instanceof CodedError);
    assert.equal(e.code, ErrorCode.BadInput);
    assert.match(e.message, /That button's data isn't valid/);
    return e;
  }
  assert.fail(`accepted ${JSON.stringify(data)}`);
}

describe('intentFromCardData', () => {
  it('returns the intent a button carries', () => {
    const intent = { kind: 'routes', circuit: 'contoso/er1', peering: 'private', path: 'secondary', page: 2, fresh: true };
    assert.deepEqual(intentFromCardData({ intent }), intent);
  });

  it("ignores Teams' own keys next to the intent", () => {
    assert.deepEqual(intentFromCardData({ intent: { kind: 'status' }, msteams: { type: 'task/fetch' }, verb: 'intent' }), {
      kind: 'status',
    });
  });

  it('drops unknown keys inside the intent', () => {
    assert.deepEqual(intentFromCardData({ intent: { kind: 'circuit', circuit: 'er1', admin: true } }), { kind: 'circuit', circuit: 'er1' });
  });

  it('refuses anything that is not { intent: Intent }', () => {
    for (const bad of [undefined, null, 'status', 42, [], {}, { intent: null }, { intent: { kind: 'reboot' } }, { kind: 'status' }]) {
      refused(bad);
    }
  });

  it('refuses a wrongly typed field and says which', () => {
    const e = refused({ intent: { kind: 'routes', circuit: 'er1', page: '2' } });
    assert.match(String(e.details?.problem), /page/);
  });

  it('checks references as strictly as typed text', () => {
    refused({ intent: { kind: 'circuit', circuit: '../../etc/passwd' } });
    refused({ intent: { kind: 'routes', circuit: 'er1', prefix: 'not-a-prefix' } });
    refused({ intent: { kind: 'status', target: '%2e%2e' } });
    refused({ intent: { kind: 'help', command: 'frobnicate' } });
  });

  it('cleans a rejection reason from the card exactly like a typed one', () => {
    const cases: [string, string][] = [
      ['No\u200b \u202eway\u202c', 'No way'],
      ['see [runbook](https://evil.example/a_(b)) now', 'see runbook now'],
      ['[[nested](x)](https://evil.example)', 'nested'],
      ['read https://evil.example/x, then www.evil.example.', 'read (link removed), then (link removed).'],
      ['ｈｔｔｐｓ://evil.example', '(link removed)'],
      [`${'a'.repeat(600)}`, 'a'.repeat(500)],
    ];
    for (const [raw, clean] of cases) {
      const clicked = intentFromCardData({ intent: { kind: 'reject', id: 'CR-7F3K2QX' }, rejectReason: raw });
      assert.deepEqual(clicked, { kind: 'reject', id: 'CR-7F3K2QX', reason: clean }, raw);
      assert.deepEqual(parseCommand(`reject CR-7F3K2QX ${raw}`), clicked, raw);
    }
    const forged = intentFromCardData({ intent: { kind: 'reject', id: 'CR-7F3K2QX', reason: 'x\u202e https://evil.example' } });
    assert.deepEqual(forged, { kind: 'reject', id: 'CR-7F3K2QX', reason: 'x (link removed)' }, 'a reason inside the button data too');
    assert.deepEqual(
      intentFromCardData({ intent: { kind: 'reject', id: 'CR-7F3K2QX' }, rejectReason: '\u200b\u202e ' }),
      { kind: 'reject', id: 'CR-7F3K2QX' },
      'nothing readable is no reason',
    );
  });
});
