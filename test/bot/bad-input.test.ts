import assert from 'node:assert/strict';
import { Harness } from '../support/harness';
import { answerTo, textOf, validCard } from '../support/cards';
import { ENGINEER } from '../support/demo-world';

/**
 * Whatever arrives, the user gets a clear message (what was wrong, how to say it) and the process stays up.
 * No stack traces, no raw SDK text.
 */
describe('bot: bad input', function () {
  this.timeout(30_000);
  let h: Harness;
  before(async () => {
    h = await Harness.start();
  });
  after(async () => h?.stop());
  afterEach(async () => {
    assert.equal(await h.healthz(), 200, 'the process is still up');
  });

  function assertNoInternals(text: string): void {
    assert.doesNotMatch(text, /\bat [\w.<>]+ \(|node_modules|Error:|TypeError|undefined|\[object Object\]|RestError/);
  }

  async function refusal(text: string): Promise<string> {
    const card = await answerTo(h, ENGINEER, text);
    const shown = textOf(card);
    assertNoInternals(shown);
    assert.match(shown, /Code: (bad_input|unknown_command|not_found|ambiguous)/, shown);
    return shown;
  }

  it('garbage gets "I don\'t know" with a pointer to help', async () => {
    assert.match(await refusal('asdkjh qwe 123 !!!'), /I don't know 'asdkjh'. Try `help`/);
    assert.match(await refusal('%%% $$$'), /Try `help`/);
  });

  it('a near-miss command gets a "did you mean"', async () => {
    assert.match(await refusal('stauts contoso'), /Did you mean:\n`status`/);
  });

  it('10,000 characters of text is refused as too long, quickly', async () => {
    const started = Date.now();
    assert.match(await refusal(`status ${'x'.repeat(10_000)}`), /too long for a command/);
    assert.match(await refusal('routes '.repeat(1500)), /too long for a command/);
    assert.ok(Date.now() - started < 5000);
  });

  it('unicode and emoji are refused as names but do not confuse the parser', async () => {
    assert.match(await refusal('circuit 🔥🔥🔥'), /isn't a circuit name/);
    assert.match(await refusal('circuit Ωmega-er1'), /isn't a circuit name/);
    assert.match(await refusal('🔥'), /I don't know/);
    // Full-width letters normalise to the command they spell.
    assert.match(textOf(await answerTo(h, ENGINEER, 'ｈｅｌｐ')), /Commands you can use/);
    // Zero-width and control characters are dropped.
    assert.match(textOf(await answerTo(h, ENGINEER, 'circ\u200buit contoso-ams-er1\u0007')), /Circuit contoso-ams-er1/);
  });

  it('path-like and encoded names are refused before they reach ARM', async () => {
    const before = h.app.simulator!.requests.length;
    for (const text of [
      'circuit ../../etc/passwd',
      'routes ..\\..\\windows\\system32',
      'circuit %2e%2e%2fetc',
      'bgp contoso/../../fabrikam',
      'udr ../rt',
      'status ~/secret',
    ]) {
      assert.match(await refusal(text), /looks like a file path|isn't/, text);
    }
    assert.equal(h.app.simulator!.requests.length, before, 'nothing was read');
  });

  it('an unknown peering or path, and a bad prefix, name the problem and the usage', async () => {
    assert.match(await refusal('routes contoso-ams-er1 tertiary'), /I didn't understand 'tertiary'/);
    assert.match(await refusal('arp contoso-ams-er1 privte'), /'privte' isn't a peering; choose private or microsoft/);
    assert.match(await refusal('arp contoso-ams-er1 secondry'), /'secondry' isn't a path; choose primary or secondary/);
    assert.match(await refusal('routes contoso-ams-er1 public'), /public peering is deprecated/);
    assert.match(await refusal('bgp contoso-ams-er1 secondary'), /`bgp` already shows both primary and secondary/);
    const prefix = await refusal('routes contoso-ams-er1 10.0.0.300/8');
    assert.match(prefix, /'10\.0\.0\.300\/8' isn't a valid IPv4 or IPv6 prefix/);
    assert.match(prefix, /Usage: `routes <circuit>/);
    assert.match(await refusal('routes contoso-ams-er1 page zero'), /isn't a page number/);
    assert.match(await refusal('routes contoso-ams-er1 --verbose'), /the only one is --fresh/);
  });

  it('a peering the circuit does not have is explained', async () => {
    const text = textOf(await answerTo(h, ENGINEER, 'routes contoso-lon-er2 microsoft'));
    assert.match(text, /contoso-lon-er2 has no Microsoft peering/);
    assert.match(text, /It has private peering/);
    const none = textOf(await answerTo(h, ENGINEER, 'arp contoso-fra-er3'));
    assert.match(none, /has no peerings yet/);
  });

  it('a malformed JSON body to /api/messages gets 400; an empty or wrong-typed one does not crash', async () => {
    const raw = async (body: string, type = 'application/json') => {
      const res = await fetch(`${h.app.url}/api/messages`, { method: 'POST', headers: { 'content-type': type }, body });
      const text = await res.text();
      assertNoInternals(text);
      return res.status;
    };
    assert.equal(await raw('{"type": "message", "text": '), 400);
    assert.equal(await raw('not json at all'), 400);
    // Valid JSON that isn't an activity: refused at the door rather than failing inside botbuilder.
    assert.equal(await raw('[]'), 400);
    assert.equal(await raw('{}'), 400);
    assert.equal(await raw('{"type":"message","text":"status"}'), 400);
    assert.equal(await raw('"just a string"'), 400);
    assert.ok((await raw('x'.repeat(300 * 1024))) >= 400, 'an oversized body is refused');
  });

  it('forged or garbage card data is refused with a clear message', async () => {
    const cases: [string, unknown][] = [
      ['intent', { intent: { kind: 'routes', circuit: '../../etc/passwd' } }],
      ['intent', { intent: { kind: 'launch-missiles' } }],
      ['intent', { intent: { kind: 'routes', circuit: 'contoso-ams-er1', page: -4 } }],
      ['intent', { intent: { kind: 'routes', circuit: 'contoso-ams-er1', prefix: 'not-a-prefix' } }],
      ['intent', { intent: { kind: 'circuit', circuit: 'x'.repeat(5000) } }],
      ['intent', 'garbage'],
      ['intent', null],
      ['intent', { nothing: true }],
    ];
    for (const [verb, data] of cases) {
      const card = validCard(await h.click(ENGINEER, verb, data));
      const text = textOf(card);
      assertNoInternals(text);
      assert.match(text, /button's data isn't valid|I couldn't read that/, `${JSON.stringify(data)?.slice(0, 80)} → ${text}`);
    }
  });

  it('an unknown verb, and an invoke that is not a card action, are refused without crashing', async () => {
    const text = textOf(validCard(await h.click(ENGINEER, 'launchMissiles', { intent: { kind: 'status' } })));
    assert.match(text, /That button isn't one I know/);
    const other = h.activityFor(ENGINEER, { type: 'invoke', name: 'composeExtension/query', value: {} });
    const res = await h.post(other);
    assert.equal(res.status, 501);
  });
});
