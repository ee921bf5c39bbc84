import assert from 'node:assert/strict';
import { CodedError, ErrorCode } from '../../src/errors';
import { parseCommand, MAX_TEXT_LENGTH } from '../../src/intents/parse-command';
import { PEERING_STATE_FIELDS } from '../../src/changes/kinds/peering-state/peering-state-kind';

const ARM_ID =
  '/subscriptions/1a1a1a1a-0000-4000-8000-00000000c001/resourceGroups/rg-net.prod(1)/providers/Microsoft.Network/expressRouteCircuits/er-ams-01';
const RT_ID = '/subscriptions/1a1a1a1a-0000-4000-8000-00000000c001/resourceGroups/rg-net/providers/Microsoft.Network/routeTables/rt-fw';

function refused(text: string, code: ErrorCode, message?: RegExp): CodedError {
  try {
    const intent = parseCommand(text);
    assert.fail(`expected ${code} for ${JSON.stringify(text)}, got ${JSON.stringify(intent)}`);
  } catch (e) {
    assert.ok(e instanceof CodedError, `not a CodedError: ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (message) assert.match(e.message, message);
    return e;
  }
}

describe('parseCommand', () => {
  describe('each command', () => {
    const cases: [string, unknown][] = [
      ['help', { kind: 'help' }],
      ['help routes', { kind: 'help', command: 'routes' }],
      ['help route', { kind: 'help', command: 'route' }],
      ['help rib', { kind: 'help', command: 'routes' }],
      ['customers', { kind: 'customers' }],
      ['circuits', { kind: 'circuits' }],
      ['circuits contoso', { kind: 'circuits', customer: 'contoso' }],
      ['circuits Contoso Ltd.', { kind: 'circuits', customer: 'Contoso Ltd.' }],
      ['status', { kind: 'status' }],
      ['status contoso', { kind: 'status', target: 'contoso' }],
      ['status contoso/er1', { kind: 'status', target: 'contoso/er1' }],
      [`status ${ARM_ID}`, { kind: 'status', target: ARM_ID }],
      ['circuit er1', { kind: 'circuit', circuit: 'er1' }],
      ['circuit contoso/er1', { kind: 'circuit', circuit: 'contoso/er1' }],
      [`circuit ${ARM_ID}`, { kind: 'circuit', circuit: ARM_ID }],
      ['bandwidth er1', { kind: 'bandwidth', circuit: 'er1' }],
      ['peerings er1', { kind: 'peerings', circuit: 'er1' }],
      ['routes er1', { kind: 'routes', circuit: 'er1' }],
      ['bgp er1', { kind: 'bgp', circuit: 'er1' }],
      ['bgp er1 microsoft', { kind: 'bgp', circuit: 'er1', peering: 'microsoft' }],
      ['arp er1', { kind: 'arp', circuit: 'er1' }],
      ['arp er1 private secondary', { kind: 'arp', circuit: 'er1', peering: 'private', path: 'secondary' }],
      ['filters', { kind: 'filters' }],
      ['filters fabrikam', { kind: 'filters', customer: 'fabrikam' }],
      ['udr', { kind: 'udr' }],
      ['udr contoso', { kind: 'udr', target: 'contoso' }],
      ['udr rt-fw', { kind: 'udr', target: 'rt-fw' }],
      ['udr contoso/rt-fw', { kind: 'udr', target: 'contoso/rt-fw' }],
      [`udr ${RT_ID}`, { kind: 'udr', target: RT_ID }],
    ];
    for (const [text, expected] of cases) {
      it(`parses ${JSON.stringify(text.length > 50 ? `${text.slice(0, 50)}…` : text)}`, () => {
        assert.deepEqual(parseCommand(text), expected);
      });
    }
  });

  describe('routes options', () => {
    const full = { kind: 'routes', circuit: 'er1', peering: 'microsoft', path: 'secondary', prefix: '10.1.0.0/16', page: 3 };
    const orders = [
      'routes er1 microsoft secondary 10.1.0.0/16 page 3',
      'routes er1 page 3 10.1.0.0/16 secondary microsoft',
      'routes er1 secondary page=3 microsoft 10.1.0.0/16',
      'routes er1 10.1.0.0/16 microsoft page 3 secondary',
    ];
    for (const text of orders) {
      it(`accepts options in any order: ${text}`, () => assert.deepEqual(parseCommand(text), full));
    }

    it('takes an address or an IPv6 prefix as the prefix', () => {
      assert.deepEqual(parseCommand('routes er1 10.1.2.3'), { kind: 'routes', circuit: 'er1', prefix: '10.1.2.3' });
      assert.deepEqual(parseCommand('routes er1 2001:DB8::/32'), { kind: 'routes', circuit: 'er1', prefix: '2001:db8::/32' });
    });

    it('takes the prefix even before the circuit', () => {
      assert.deepEqual(parseCommand('routes 10.0.0.0/8 er1'), { kind: 'routes', circuit: 'er1', prefix: '10.0.0.0/8' });
    });

    it('accepts the short peering and path words', () => {
      assert.deepEqual(parseCommand('routes er1 ms sec'), { kind: 'routes', circuit: 'er1', peering: 'microsoft', path: 'secondary' });
      assert.deepEqual(parseCommand('routes er1 AzurePrivatePeering pri'), {
        kind: 'routes',
        circuit: 'er1',
        peering: 'private',
        path: 'primary',
      });
    });

    it("reads the peering-state change kind's peering words, so that `routes` and `peering` agree", () => {
      const field = PEERING_STATE_FIELDS.find((f) => f.key === 'peering');
      assert.ok(field);
      const words = [...field.choices.map((c) => [c, c]), ...Object.entries(field.aliases)];
      for (const [word, peering] of words) {
        assert.deepEqual(parseCommand(`routes er1 ${word}`), { kind: 'routes', circuit: 'er1', peering }, word);
      }
      refused('routes er1 constructor', ErrorCode.BadInput, /I didn't understand 'constructor' after the circuit/);
    });

    it('accepts the same option twice when it agrees', () => {
      assert.deepEqual(parseCommand('routes er1 private private'), { kind: 'routes', circuit: 'er1', peering: 'private' });
    });
  });

  describe('case and whitespace', () => {
    it('ignores the case of commands and options but keeps the circuit as typed', () => {
      assert.deepEqual(parseCommand('ROUTES Contoso/ER1 MICROSOFT Primary'), {
        kind: 'routes',
        circuit: 'Contoso/ER1',
        peering: 'microsoft',
        path: 'primary',
      });
    });

    it('tolerates tabs, newlines, NBSP and repeated spaces', () => {
      assert.deepEqual(parseCommand('  arp\t\ter1 \u00a0 private\n\r\nprimary  '), {
        kind: 'arp',
        circuit: 'er1',
        peering: 'private',
        path: 'primary',
      });
    });

    it('accepts a leading slash', () => {
      assert.deepEqual(parseCommand('/status contoso'), { kind: 'status', target: 'contoso' });
    });

    it('strips control and invisible characters', () => {
      assert.deepEqual(parseCommand('circ\u0000uit er\u200b1\u0007'), { kind: 'circuit', circuit: 'er1' });
    });

    it('folds full-width letters', () => {
      assert.deepEqual(parseCommand('ｓｔａｔｕｓ'), { kind: 'status' });
    });
  });

  // Teams mentions and HTML are the Teams adapter's to remove: test/teams/channel-text.test.ts.
  it('reads empty text as help', () => {
    assert.deepEqual(parseCommand(''), { kind: 'help' });
    assert.deepEqual(parseCommand('   '), { kind: 'help' });
  });

  describe('--fresh', () => {
    it('sets fresh from --fresh anywhere', () => {
      assert.deepEqual(parseCommand('routes er1 --fresh private'), { kind: 'routes', circuit: 'er1', peering: 'private', fresh: true });
    });

    it('sets fresh from a trailing bare fresh', () => {
      assert.deepEqual(parseCommand('status fresh'), { kind: 'status', fresh: true });
      assert.deepEqual(parseCommand('circuit er1 fresh'), { kind: 'circuit', circuit: 'er1', fresh: true });
    });

    it("accepts the dash Teams' autocorrect makes of --", () => {
      assert.deepEqual(parseCommand('bandwidth er1 \u2014fresh'), { kind: 'bandwidth', circuit: 'er1', fresh: true });
    });

    it('leaves fresh unset otherwise', () => {
      assert.equal('fresh' in parseCommand('circuit er1'), false);
    });

    it('refuses any other option', () => {
      refused('circuit er1 --force', ErrorCode.BadInput, /'--force' isn't an option/);
    });
  });

  describe('errors', () => {
    it('names an unknown command and suggests the closest', () => {
      const e = refused('rotues er1', ErrorCode.UnknownCommand, /^I don't know 'rotues'\. Try `help`\.$/);
      assert.deepEqual(e.details?.suggestions, ['routes']);
      assert.match(e.hint ?? '', /Did you mean `routes`\?/);
    });

    it('suggests nothing for an unrelated word', () => {
      const e = refused('xyzzy', ErrorCode.UnknownCommand, /I don't know 'xyzzy'/);
      assert.deepEqual(e.details?.suggestions, []);
      assert.equal(e.hint, undefined);
    });

    it('refuses help for an unknown command', () => {
      refused('help frobnicate', ErrorCode.UnknownCommand, /frobnicate/);
    });

    it('says a circuit is missing and shows usage and an example', () => {
      const e = refused('routes', ErrorCode.BadInput, /`routes` needs a circuit/);
      assert.match(e.hint ?? '', /Usage: `routes <circuit>.*`, for example `routes contoso\/er1`/);
      assert.equal(e.details?.usage, 'routes <circuit> [private|microsoft] [primary|secondary] [prefix] [page N]');
      refused('circuit', ErrorCode.BadInput, /`circuit` needs a circuit/);
      refused('routes private secondary', ErrorCode.BadInput, /needs a circuit/);
    });

    it('names an unknown peering', () => {
      refused('routes er1 publik', ErrorCode.BadInput, /'publik' isn't a peering; choose private or microsoft/);
      refused('arp er1 privte', ErrorCode.BadInput, /'privte' isn't a peering/);
    });

    it('refuses the deprecated public peering with the reason', () => {
      refused('routes er1 public', ErrorCode.BadInput, /public peering is deprecated/);
    });

    it('names an unknown path', () => {
      refused('routes er1 primery', ErrorCode.BadInput, /'primery' isn't a path; choose primary or secondary/);
      refused('arp er1 secundary', ErrorCode.BadInput, /'secundary' isn't a path/);
    });

    it('refuses options a command does not take', () => {
      refused('bgp er1 primary', ErrorCode.BadInput, /`bgp` already shows both primary and secondary/);
      refused('arp er1 10.0.0.0/8', ErrorCode.BadInput, /`arp` doesn't take a prefix/);
      refused('bgp er1 page 2', ErrorCode.BadInput, /`bgp` doesn't take a page/);
    });

    it('refuses conflicting options', () => {
      refused('routes er1 private microsoft', ErrorCode.BadInput, /two peerings \('private' and 'microsoft'\)/);
      refused('routes er1 primary secondary', ErrorCode.BadInput, /two paths/);
      refused('routes er1 10.0.0.0/8 10.1.0.0/16', ErrorCode.BadInput, /two prefixes/);
    });

    it('refuses a bad prefix or page', () => {
      refused('routes er1 10.0.0.300/8', ErrorCode.BadInput, /'10\.0\.0\.300\/8' isn't a valid IPv4 or IPv6 prefix/);
      refused('routes er1 10.0.0.0/33', ErrorCode.BadInput, /isn't a valid IPv4 or IPv6 prefix/);
      refused('routes er1 page', ErrorCode.BadInput, /`page` needs a number/);
      refused('routes er1 page 0', ErrorCode.BadInput, /'0' isn't a page number/);
      refused('routes er1 page two', ErrorCode.BadInput, /'two' isn't a page number/);
    });

    it('names garbage after the circuit', () => {
      refused('routes er1 banana', ErrorCode.BadInput, /I didn't understand 'banana' after the circuit; `routes` takes \[private/);
    });

    it('refuses too many arguments', () => {
      refused('circuit er1 er2', ErrorCode.BadInput, /`circuit` takes just one circuit; I didn't expect 'er2'/);
      refused('customers contoso', ErrorCode.BadInput, /`customers` takes no arguments/);
      refused('help routes bgp', ErrorCode.BadInput, /`help` takes one command name/);
    });

    it('refuses path-like and encoded junk', () => {
      for (const junk of ['../../etc/passwd', '%2e%2e', '..\\..\\windows', '/etc/passwd', 'a/../b']) {
        refused(`circuit ${junk}`, ErrorCode.BadInput);
        refused(`status ${junk}`, ErrorCode.BadInput);
        refused(`udr ${junk}`, ErrorCode.BadInput);
      }
      refused('circuits ../contoso', ErrorCode.BadInput, /looks like a file path/);
    });

    it('refuses names outside the ARM alphabet, including lookalike letters', () => {
      refused('circuit \u0435r1', ErrorCode.BadInput, /isn't a circuit name: names use only letters A–Z/);
      refused('circuit er1;rm', ErrorCode.BadInput, /isn't a circuit name/);
      refused(`circuit ${'a'.repeat(81)}`, ErrorCode.BadInput, /isn't a circuit name/);
      refused('circuit <script>', ErrorCode.BadInput);
    });

    it('refuses a malformed ARM id', () => {
      refused(
        'circuit /subscriptions/not-a-guid/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/er1',
        ErrorCode.BadInput,
        /isn't an ExpressRoute circuit id/,
      );
      refused(`circuit ${RT_ID}`, ErrorCode.BadInput, /isn't an ExpressRoute circuit id/);
      refused(`udr ${ARM_ID}`, ErrorCode.BadInput, /isn't a route table id/);
    });

    it('keeps unicode customer names but validates them', () => {
      assert.deepEqual(parseCommand('circuits Société Générale'), { kind: 'circuits', customer: 'Société Générale' });
      refused('circuits Société;DROP', ErrorCode.BadInput, /isn't a customer id or name/);
    });

    it(`refuses text over ${MAX_TEXT_LENGTH} characters as too long`, () => {
      refused(`status ${'a'.repeat(MAX_TEXT_LENGTH)}`, ErrorCode.BadInput, /too long/);
      refused('x'.repeat(1_000_000), ErrorCode.BadInput, /too long/);
    });

    it('accepts text at the limit once spacing is collapsed', () => {
      assert.deepEqual(parseCommand(`${' '.repeat(MAX_TEXT_LENGTH)}status`), { kind: 'status' });
    });

    it('refuses a non-string as bad input', () => {
      refused(undefined as unknown as string, ErrorCode.BadInput, /no text/);
    });
  });
});
