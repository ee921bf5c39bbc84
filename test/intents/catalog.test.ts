import assert from 'node:assert/strict';
import { CARD_ONLY_KINDS, CATALOG, commandsFor, findCommand, helpFor } from '../../src/intents/catalog';
import { argsUsage } from '../../src/intents/command-args';
import { Intent } from '../../src/intents/intent';
import { parseCommand } from '../../src/intents/parse-command';

const QUERY_COMMANDS = [
  'help',
  'customers',
  'circuits',
  'status',
  'circuit',
  'bandwidth',
  'routes',
  'bgp',
  'arp',
  'peerings',
  'filters',
  'udr',
  'security',
  'effective-routes',
];
/** Reading change requests and the audit trail needs only view; deciding needs more. */
const VIEW_COMMANDS = [...QUERY_COMMANDS, 'requests', 'request', 'audit', 'alerts', 'silences'];

describe('catalog', () => {
  it('has one entry for every intent kind that can be typed, and only those', () => {
    const kinds = Intent.options
      .map((o) => o.shape.kind.value)
      .filter((k) => !CARD_ONLY_KINDS.includes(k))
      .sort();
    assert.deepEqual(CATALOG.map((c) => c.kind).sort(), kinds);
    for (const name of QUERY_COMMANDS) assert.ok(findCommand(name), name);
  });

  it('has no word that names two commands', () => {
    const seen = new Map<string, string>();
    for (const c of CATALOG) {
      for (const w of [c.name, ...(c.aliases ?? [])]) {
        assert.equal(seen.get(w), undefined, `'${w}' is used by ${seen.get(w)} and ${c.name}`);
        seen.set(w, c.name);
      }
    }
  });

  it('fits the Teams manifest command limits', () => {
    for (const c of CATALOG) {
      assert.ok(c.name.length <= 32, c.name);
      assert.ok(c.summary.length <= 128, `${c.name}: ${c.summary.length}`);
      assert.ok(c.examples.length > 0, c.name);
    }
  });

  it('has examples that parse to their own command', () => {
    for (const c of CATALOG) {
      for (const example of c.examples) assert.equal(parseCommand(example).kind, c.kind, example);
    }
  });

  it('has usage lines that start with the command name', () => {
    for (const c of CATALOG) assert.ok(c.usage.startsWith(c.name), c.usage);
  });

  it("has usage lines that show the arguments its args declare (the change commands' are the kinds')", () => {
    for (const c of CATALOG.filter((e) => !e.args.changeKinds)) {
      assert.equal(c.usage, [c.name, argsUsage(c.args)].filter((part) => part !== '').join(' '), c.name);
    }
  });

  it('mentions `--fresh` in the details of exactly the commands that read it', () => {
    for (const c of CATALOG) assert.equal(c.details?.includes('--fresh') ?? false, c.args.fresh === 'flag-or-word', c.name);
  });

  it('finds a command by name or alias in any case', () => {
    assert.equal(findCommand('ROUTES')?.name, 'routes');
    assert.equal(findCommand('bw')?.name, 'bandwidth');
    assert.equal(findCommand('nope'), undefined);
  });

  describe('commandsFor', () => {
    it('lists only help for someone with no rights', () => {
      assert.deepEqual(
        commandsFor([]).map((c) => c.name),
        ['help'],
      );
    });

    it('lists the view commands for a viewer', () => {
      assert.deepEqual(
        commandsFor(['view']).map((c) => c.name),
        VIEW_COMMANDS,
      );
    });

    it('treats admin as every right', () => {
      assert.deepEqual(
        commandsFor(['admin']).map((c) => c.name),
        CATALOG.map((c) => c.name),
      );
    });

    it('does not list view commands for a pure approver, only the decisions', () => {
      assert.deepEqual(
        helpFor(new Set(['approve'] as const)).map((c) => c.name),
        ['help', 'approve', 'reject'],
      );
    });

    it('lists the request commands for a requester and the channel registration for an admin only', () => {
      assert.deepEqual(
        commandsFor(['request']).map((c) => c.name),
        ['help', 'upgrade', 'change', 'peering', 'filter', 'route', 'authorization', 'key', 'cancel', 'rollback'],
      );
      assert.ok(!commandsFor(['view', 'request', 'approve']).some((c) => c.name === 'approvals'));
      assert.ok(commandsFor(['admin']).some((c) => c.name === 'approvals'));
    });

    it('lists `emergency` (a freeze or window override) for admins only', () => {
      assert.ok(!commandsFor(['view', 'request', 'approve', 'oncall']).some((c) => c.name === 'emergency'));
      assert.ok(commandsFor(['admin']).some((c) => c.name === 'emergency'));
    });
  });
});
