import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { Harness } from '../support/harness';
import { startLocalHttp, type LocalHttpServer } from '../support/local-http';
import { answerTo, textOf, validCard } from '../support/cards';
import { ENGINEER } from '../support/demo-world';
import { listensOnLoopbackOnly, loadConfig } from '../../src/config';

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
      // 401 whether botbuilder has Microsoft's signing keys or cannot fetch them (no network here).
      assert.equal(res.status, 401);
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

/** A stand-in for the Bot Framework's OpenID metadata and signing keys, so that tests sign their own tokens. */
class FakeBotFrameworkKeys {
  readonly kid = `test-${randomUUID()}`;
  private readonly keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private server: LocalHttpServer | undefined;
  url = '';
  /** The OpenID metadata URL (BOT_OPENID_METADATA_URL); `broken` answers 503, as an outage would. */
  metadataUrl = (broken = false) => `${this.url}/${broken ? 'broken' : 'v1'}/.well-known/openidconfiguration`;

  async start(): Promise<void> {
    const jwk = this.keys.publicKey.export({ format: 'jwk' });
    this.server = await startLocalHttp((req, res) => {
      const json = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.url?.startsWith('/broken/')) json(503, { error: 'unavailable' });
      else if (req.url === '/v1/.well-known/openidconfiguration') json(200, { jwks_uri: `${this.url}/v1/keys` });
      else if (req.url === '/v1/keys')
        json(200, { keys: [{ kty: 'RSA', use: 'sig', kid: this.kid, n: jwk.n, e: jwk.e, endorsements: ['msteams'] }] });
      else json(404, {});
    });
    this.url = this.server.url;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }

  /** A Bot Framework channel token: signed with the published key unless `key` says otherwise. */
  token(claims: Record<string, unknown>, key: KeyObject = this.keys.privateKey, header: Record<string, unknown> = {}): string {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const signed = `${b64({ alg: 'RS256', typ: 'JWT', kid: this.kid, ...header })}.${b64(claims)}`;
    return `${signed}.${sign('RSA-SHA256', Buffer.from(signed), key).toString('base64url')}`;
  }
}

describe('bot: forged, expired and unverifiable Bot Framework tokens get 401', function () {
  this.timeout(30_000);
  const BOT_ID = '0b0b0b0b-0000-4000-8000-000000000b08';
  const keys = new FakeBotFrameworkKeys();
  let h: Harness;
  let unverifiable: Harness;
  before(async () => {
    await keys.start();
    const env = { BOT_ID, BOT_PASSWORD, BOT_TENANT_ID: '44444444-4444-4444-8444-444444444444' };
    h = await Harness.start({ env: { ...env, BOT_OPENID_METADATA_URL: keys.metadataUrl() } });
    unverifiable = await Harness.start({ env: { ...env, BOT_OPENID_METADATA_URL: keys.metadataUrl(true) } });
  });
  after(async () => {
    await h?.stop();
    await unverifiable?.stop();
    await keys.stop();
  });

  const now = () => Math.floor(Date.now() / 1000);
  const claims = (target: Harness, extra: Record<string, unknown> = {}) => ({
    iss: 'https://api.botframework.com',
    aud: BOT_ID,
    serviceurl: target.connector.url,
    nbf: now() - 60,
    exp: now() + 3600,
    ...extra,
  });
  /** A card click (its answer comes back in the HTTP response: no outbound call that would need Azure AD). */
  const click = (target: Harness) =>
    target.activityFor(ENGINEER, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb: 'intent', data: { intent: { kind: 'help' } } } },
    });

  /** POSTs with the token; asserts 401, no turn, and a refusal logged without the token. */
  async function refused(target: Harness, token: string, level = 40): Promise<Record<string, unknown>> {
    const activity = click(target);
    const res = await target.post(activity, { authorization: `Bearer ${token}` });
    assert.equal(res.status, 401, JSON.stringify(res.body));
    assert.deepEqual(res.body, { error: 'unauthorized' });
    assert.equal(target.connector.calls.length, 0, 'nothing was sent');
    const lines = target.logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(!lines.some((l) => l.turn === activity.id), 'the turn never ran');
    const refusal = lines.find((l) => l.msg === 'refused an unauthenticated request' && l.activityId === activity.id);
    assert.ok(refusal, 'logged as an auth refusal');
    assert.equal(refusal.level, level);
    const [, , signature = ''] = token.split('.');
    assert.deepEqual(secretLines(target.logLines, [token, signature].filter(Boolean)), [], 'the token is not in the log');
    return refusal;
  }

  it('refuses a forged token: right kid and claims, signed with another key', async () => {
    // The same token signed with the published key is accepted: the refusals are about the token, not the setup.
    const genuine = await h.post(click(h), { authorization: `Bearer ${keys.token(claims(h))}` });
    assert.equal(genuine.status, 200, JSON.stringify(genuine.body));
    assert.match(textOf(validCard(genuine.body)), /Commands you can use/);
    const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const refusal = await refused(h, keys.token(claims(h), attacker));
    assert.match(String(refusal.reason), /signature/);
  });

  it('refuses a token signed with the published key as an HMAC secret, or with no signature at all', async () => {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    await refused(h, `${b64({ alg: 'none', typ: 'JWT', kid: keys.kid })}.${b64(claims(h))}.`);
    await refused(h, keys.token(claims(h), undefined, { alg: 'HS256' }));
  });

  it('refuses an expired token, and one not valid yet', async () => {
    const expired = await refused(h, keys.token(claims(h, { nbf: now() - 7200, exp: now() - 3600 })));
    assert.match(String(expired.reason), /expired/);
    await refused(h, keys.token(claims(h, { nbf: now() + 3600, exp: now() + 7200 })));
  });

  it('takes its signing keys from elsewhere in demo mode only: production refuses to start', () => {
    const production = {
      ARM_ENDPOINT: 'https://management.azure.com',
      DIRECTORY_FILE: '/nonexistent/directory.json',
      BOT_ID,
      BOT_PASSWORD,
      BOT_OPENID_METADATA_URL: keys.metadataUrl(),
    };
    assert.throws(() => loadConfig(production), /BOT_OPENID_METADATA_URL is a demo-mode setting/);
    assert.throws(() => loadConfig({ BOT_OPENID_METADATA_URL: keys.metadataUrl() }), /without BOT_ID/);
    assert.throws(
      () => loadConfig({ BOT_ID, BOT_OPENID_METADATA_URL: 'http://keys.example.net/.well-known/openid-configuration' }),
      /plain http must point at this machine/,
    );
  });

  it('refuses every token while the signing keys cannot be fetched, and logs why', async () => {
    // An error, not a warning: it is the bot's outage (or Microsoft's), and every caller is refused meanwhile.
    const refusal = await refused(unverifiable, keys.token(claims(unverifiable)), 50);
    assert.equal(refusal.keysUnavailable, true);
    assert.match(String(refusal.reason), /signing keys could not be fetched/);
    assert.equal(await unverifiable.healthz(), 200);
  });
});

describe('bot: start-up warns when it listens beyond loopback without BOT_ID', function () {
  this.timeout(30_000);
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  const warnings = async (env: Record<string, string>) => {
    h = await Harness.start({ env });
    const found = h.logLines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.risk === 'unauthenticated-public-listener');
    await h.stop();
    h = undefined;
    return found;
  };

  it('warns (pino warn) naming the risk on HOST=0.0.0.0 with no BOT_ID; quiet on loopback or with BOT_ID', async () => {
    const [warning, ...more] = await warnings({ HOST: '0.0.0.0' });
    assert.ok(warning, 'a warning line');
    assert.equal(more.length, 0);
    assert.equal(warning.level, 40);
    assert.match(String(warning.msg), /HOST=0\.0\.0\.0 is not a loopback address and BOT_ID is not set/);
    assert.match(String(warning.msg), /unsigned requests from anyone/);

    assert.deepEqual(await warnings({}), [], 'the default 127.0.0.1');
    assert.deepEqual(await warnings({ HOST: '::1' }), [], '::1');
    const auth = { BOT_ID: '0b0b0b0b-0000-4000-8000-000000000b09', BOT_PASSWORD, BOT_TENANT_ID: '44444444-4444-4444-8444-444444444444' };
    assert.deepEqual(await warnings({ HOST: '0.0.0.0', ...auth }), [], 'BOT_ID set');

    for (const host of [undefined, '127.0.0.1', '127.8.0.1', '::1', '[::1]', '::ffff:127.0.0.1', 'localhost', 'LOCALHOST']) {
      assert.equal(listensOnLoopbackOnly(host), true, String(host));
    }
    for (const host of ['0.0.0.0', '::', '10.0.0.4', 'fe80::1', 'bot.example.com', '']) {
      assert.equal(listensOnLoopbackOnly(host), false, host);
    }
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
