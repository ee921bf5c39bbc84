import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CodedError } from '../../src/errors';
import { Intent } from '../../src/intents/intent';
import { parseCommand } from '../../src/intents/parse-command';
import { CATALOG } from '../../src/intents/catalog';

/** Returns what parseCommand did, failing on anything but an Intent or a CodedError. */
function outcome(text: string): Intent | CodedError {
  try {
    const intent = parseCommand(text);
    assert.ok(Intent.safeParse(intent).success, `invalid intent ${JSON.stringify(intent)}`);
    return intent;
  } catch (e) {
    if (e instanceof CodedError) return e;
    throw e;
  }
}

const word = fc.oneof(
  fc.constantFrom(...CATALOG.map((c) => c.name), 'private', 'microsoft', 'primary', 'secondary', 'page', '--fresh', 'fresh'),
  fc.constantFrom('er1', 'contoso/er1', '10.0.0.0/8', '::1', '..', '%2e', '\u0000', '\ud800'),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
);
const commandLike = fc.array(word, { maxLength: 12 }).map((ws) => ws.join(' '));
const separators = fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u200b', '');

// Teams mentions, HTML and entities: test/teams/channel-text.test.ts.
describe('parseCommand (property)', () => {
  it('only ever returns a valid Intent or throws a CodedError, for arbitrary strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 300 })), (s) => {
        outcome(s);
      }),
      { numRuns: 2000 },
    );
  });

  it('only ever returns a valid Intent or throws a CodedError, for command-like strings', () => {
    fc.assert(
      fc.property(commandLike, separators, (s, sep) => {
        outcome(s.replace(/ /g, sep || ' '));
      }),
      { numRuns: 3000 },
    );
  });

  it('answers huge inputs quickly', () => {
    const inputs = ['a'.repeat(5_000_000), `routes ${'er1 '.repeat(499)}`, `circuit ${'ab'.repeat(999)}`, `rotues${'e'.repeat(1_990)}`];
    for (const s of inputs) {
      const started = process.hrtime.bigint();
      outcome(s);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      assert.ok(ms < 500, `${ms} ms for input of length ${s.length}`);
    }
  });

  it('reads upper and lower case alike', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CATALOG.flatMap((c) => c.examples)),
        fc.array(fc.boolean(), { minLength: 80, maxLength: 80 }),
        (example, flips) => {
          const mixed = [...example].map((ch, i) => (flips[i] ? ch.toUpperCase() : ch)).join('');
          const a = parseCommand(example);
          const b = parseCommand(mixed);
          assert.equal(b.kind, a.kind);
        },
      ),
    );
  });
});
