import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CodedError, ErrorCode } from '../../src/errors';
import { Intent } from '../../src/intents/intent';
import { MAX_TEXT_LENGTH, parseCommand } from '../../src/intents/parse-command';
import { channelText } from '../../src/teams/channel-text';

/** What a Teams message's text becomes: the adapter's cleaning, then the parser (as create-bot.ts does). */
function understand(raw: string): Intent {
  return parseCommand(channelText(raw));
}

/** Returns what a message became, failing on anything but a valid Intent or a CodedError. */
function outcome(raw: string): Intent | CodedError {
  try {
    const intent = understand(raw);
    assert.ok(Intent.safeParse(intent).success, `invalid intent ${JSON.stringify(intent)}`);
    return intent;
  } catch (e) {
    if (e instanceof CodedError) return e;
    throw e;
  }
}

describe('channelText', () => {
  it('strips a leading mention', () => {
    assert.equal(channelText('<at>ExpressRoute Bot</at> status contoso'), 'status contoso');
    assert.deepEqual(understand('<at>ExpressRoute Bot</at> status contoso'), { kind: 'status', target: 'contoso' });
  });

  it('strips several mentions and HTML tags', () => {
    assert.deepEqual(understand('<at id="0">Bot</at>&nbsp;<at>Bot</at> <p>routes <b>er1</b> private</p>'), {
      kind: 'routes',
      circuit: 'er1',
      peering: 'private',
    });
  });

  it('reads a bare mention as help', () => {
    assert.equal(channelText('<at>Bot</at>'), '');
    assert.deepEqual(understand('<at>Bot</at>'), { kind: 'help' });
  });

  it('removes only leading mentions: a later one loses its tags but keeps its name', () => {
    assert.equal(channelText('status <at>Bot</at>'), 'status  Bot ');
  });

  it('reads &nbsp; as a space', () => {
    assert.deepEqual(understand('bgp&nbsp;er1'), { kind: 'bgp', circuit: 'er1' });
  });

  it('decodes entities, and turns a code point that cannot be one into a space', () => {
    assert.equal(channelText('a&amp;b &lt;x&gt; &quot;&apos; &#65;&#x42; &#0;&#x110000; &bogus;'), `a&b <x> "' AB    &bogus;`);
  });

  it('accepts text at the limit once markup is removed', () => {
    const padded = `<at>Bot</at>${' '.repeat(MAX_TEXT_LENGTH)}status`;
    assert.deepEqual(understand(padded), { kind: 'status' });
  });

  it('leaves huge text as it came, for the parser to refuse unread', () => {
    const huge = `<at>Bot</at>${'x'.repeat(30_000)}`;
    assert.equal(channelText(huge), huge);
    assert.throws(
      () => understand(huge),
      (e) => e instanceof CodedError && e.code === ErrorCode.BadInput && /too long/.test(e.message),
    );
  });

  it('passes a text that is not a string on, for the parser to refuse', () => {
    const notText = 42 as unknown as string;
    assert.equal(channelText(notText), notText);
    assert.throws(() => understand(notText), /no text/);
  });

  describe('with the parser (property)', () => {
    const word = fc.oneof(
      fc.constantFrom('status', 'routes', 'help', 'er1', 'contoso/er1', 'private', '--fresh'),
      fc.constantFrom('<at>Bot</at>', '<at id="0">', '</at>', '<p>', '</b>', '&nbsp;', '&amp;', '&#0;', '&#x110000;', '&#x1F600;', '<'),
      fc.string({ unit: 'grapheme', maxLength: 12 }),
    );
    const markupLike = fc.array(word, { maxLength: 12 }).map((ws) => ws.join(' '));

    it('only ever gives a valid Intent or a CodedError, for text with mentions, tags and entities', () => {
      fc.assert(
        fc.property(markupLike, (s) => {
          outcome(s);
        }),
        { numRuns: 3000 },
      );
    });

    it('answers huge markup quickly', () => {
      const inputs = [
        '<at>'.repeat(4_000),
        `${'<at>x'.repeat(3_000)}</at>`,
        `${'<at>x</at>'.repeat(1_999)}status`,
        `status ${'<b '.repeat(5_000)}`,
        '&#x1F600;'.repeat(2_200),
      ];
      for (const s of inputs) {
        const started = process.hrtime.bigint();
        outcome(s);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        assert.ok(ms < 500, `${ms} ms for input of length ${s.length}`);
      }
    });
  });
});
