import assert from 'node:assert/strict';
import { Harness } from '../support/harness';
import { answerTo, textOf } from '../support/cards';
import { ENGINEER } from '../support/demo-world';

const BOT_PASSWORD = 'pw-Do-Not-Log-7f3a9c';

/** Lines that carry anything like a credential: a bearer token, an Authorization header, a secret. */
function secretLines(lines: readonly string[], secrets: readonly string[]): string[] {
  return lines.filter(
    (l) =>
      /bearer\s+[\w.~+/-]{6,}/i.test(l) ||
      /"authorization"\s*:\s*"[^"]/i.test(l) ||
      /"(client_?secret|password|access_?token)"\s*:\s*"[^"]/i.test(l) ||
      secrets.some((s) => l.includes(s)),
  );
}

describe('bot: Bot Framework authentication (BOT_ID set)', function () {
  this.timeout(30_000);
  let h: Harness;
  before(async () => {
    h = await Harness.start({
      env: { BOT_ID: '0b0b0b0b-0000-4000-8000-000000000b07', BOT_PASSWORD, BOT_TENANT_ID: '44444444-4444-4444-8444-444444444444' },
    });
  });
  after(async () => h?.stop());

  const message = () => h.activityFor(ENGINEER, { type: 'message', text: 'status' });

  it('refuses an unsigned POST with 401 and answers nothing', async () => {
    const activity = message();
    const res = await h.post(activity);
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, { error: 'unauthorized' });
    assert.equal(
      h.connector.calls.some((c) => c.targetId === activity.id),
      false,
      'no reply was sent',
    );
    assert.ok(
      h.logLines.some((l) => l.includes('refused an unauthenticated request') && l.includes(String(activity.id))),
      'the refusal is in the JSON log',
    );
  });

  it('refuses `Bearer garbage` with 401', async () => {
    assert.equal((await h.post(message(), { authorization: 'Bearer garbage' })).status, 401);
  });

  it('never acts on a well-formed JWT that is not signed by the Bot Framework', async () => {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const claims = b64({ iss: 'https://api.botframework.com', aud: '0b0b0b0b-0000-4000-8000-000000000b07', exp: 4102444800 });
    for (const header of [
      { alg: 'none', typ: 'JWT' },
      { alg: 'RS256', typ: 'JWT', kid: 'forged' },
    ]) {
      const activity = message();
      const res = await h.post(activity, { authorization: `Bearer ${b64(header)}.${claims}.c2ln` });
      // 401 once botbuilder has Microsoft's signing keys; without network access it cannot fetch them and
      // answers 500 (Bot Service retries). Either way the turn never runs.
      assert.ok(res.status === 401 || res.status >= 500, `HTTP ${res.status}`);
      assert.doesNotMatch(JSON.stringify(res.body), /botframework\.com|ENOTFOUND|at /, 'no internals in the answer');
      assert.equal(
        h.connector.calls.some((c) => c.targetId === activity.id),
        false,
        'no reply was sent',
      );
    }
  });

  it('refuses an unsigned card click too', async () => {
    const invoke = h.activityFor(ENGINEER, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb: 'intent', data: { intent: { kind: 'status' } } } },
    });
    assert.equal((await h.post(invoke)).status, 401);
  });

  it('still answers /healthz with 200', async () => {
    assert.equal(await h.healthz(), 200);
  });

  it('never logs the password or the tokens it was sent', async () => {
    await h.post(message(), { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2Vu.sig-xyz' });
    assert.deepEqual(secretLines(h.logLines, [BOT_PASSWORD, 'c2VjcmV0LXRva2Vu']), []);
  });
});

describe('bot: logs', function () {
  this.timeout(30_000);
  let h: Harness;
  before(async () => {
    h = await Harness.start();
  });
  after(async () => h?.stop());

  const parsed = () => h.logLines.map((l) => JSON.parse(l) as Record<string, unknown>);

  it('are JSON, one object a line', () => {
    assert.ok(h.logLines.length > 0);
    for (const line of h.logLines) assert.doesNotThrow(() => JSON.parse(line), line);
  });

  it('tie every turn to a correlation id (the activity id), typed or clicked', async () => {
    const activity = h.activityFor(ENGINEER, { type: 'message', text: 'circuit contoso-ams-er1' });
    await h.post(activity);
    await h.replyTo(String(activity.id));
    const turnLines = parsed().filter((l) => l.turn === activity.id);
    assert.ok(turnLines.some((l) => l.msg === 'understood' && l.intent === 'circuit' && l.person === 'demo-engineer'));

    const click = h.activityFor(ENGINEER, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb: 'intent', data: { intent: { kind: 'bgp', circuit: 'contoso-ams-er1' } } } },
    });
    await h.post(click);
    assert.ok(parsed().some((l) => l.turn === click.id && l.intent === 'bgp'));

    const stranger = h.activityFor({ aadObjectId: 'who-am-i' }, { type: 'message', text: 'status' });
    await h.post(stranger);
    await h.replyTo(String(stranger.id));
    assert.ok(
      parsed().some((l) => l.turn === stranger.id && l.code === 'unknown_person'),
      'refusals are logged with the turn',
    );
  });

  it("log each ARM call with ARM's correlation id", async () => {
    await answerTo(h, ENGINEER, 'routes contoso-ams-er1 --fresh');
    const calls = parsed().filter((l) => l.component === 'arm' && l.msg === 'arm call');
    assert.ok(calls.length > 0);
    for (const c of calls) assert.match(String(c.correlationId), /^[0-9a-f-]{36}$/, JSON.stringify(c));
  });

  it('contain no bearer token, Authorization value or secret after a full session', async () => {
    for (const command of ['status', 'bandwidth fabrikam-sea-er3', 'arp contoso-lon-er2', 'udr']) {
      assert.ok(textOf(await answerTo(h, ENGINEER, command)).length > 0);
    }
    assert.deepEqual(secretLines(h.logLines, []), []);
  });
});
