import { strict as assert } from 'node:assert';
import { loadConfig } from '../src/config';
import { CodedError, ErrorCode } from '../src/errors';

function refusal(env: Record<string, string>): CodedError {
  try {
    loadConfig(env);
  } catch (e) {
    assert.ok(e instanceof CodedError);
    assert.equal(e.code, ErrorCode.Config);
    return e;
  }
  assert.fail('expected the configuration to be refused');
}

const production = {
  ARM_ENDPOINT: 'https://management.azure.com',
  AZURE_CREDENTIAL: 'secret',
  AZURE_CLIENT_ID: 'app',
  AZURE_CLIENT_SECRET: 'not-logged',
  DIRECTORY_FILE: '/etc/erbot/directory.json',
  BOT_ID: 'bot-app-id',
  BOT_PASSWORD: 'bot-secret',
};

describe('config', () => {
  it('should start in demo mode with no configuration at all', () => {
    const c = loadConfig({});
    assert.equal(c.mode, 'demo');
    assert.equal(c.port, 3978);
    assert.equal(c.dataDir, './data');
    assert.equal(c.playground, true);
    assert.equal(c.botAuth, undefined);
    assert.deepEqual(c.credentials, { kind: 'static', token: 'simulator' });
  });

  it('should keep demo mode but turn on Bot Framework auth when BOT_ID is set', () => {
    const c = loadConfig({ BOT_ID: 'id', BOT_PASSWORD: 'pw', PLAYGROUND: '0' });
    assert.equal(c.mode, 'demo');
    assert.equal(c.playground, false);
    assert.deepEqual(c.botAuth, { appId: 'id', appPassword: 'pw', appType: 'MultiTenant' });
  });

  it('should accept a complete production configuration', () => {
    const c = loadConfig({ ...production, BOT_TENANT_ID: 'tenant', BOT_TYPE: 'SingleTenant' });
    assert.equal(c.mode, 'production');
    assert.equal(c.playground, false);
    assert.deepEqual(c.credentials, { kind: 'secret', clientId: 'app', clientSecret: 'not-logged' });
    assert.equal(c.botAuth?.tenantId, 'tenant');
  });

  it('should refuse production without bot auth, directory or credentials, naming each missing piece', () => {
    const e = refusal({ ARM_ENDPOINT: 'https://management.azure.com', AZURE_CREDENTIAL: 'secret' });
    assert.match(e.message, /DIRECTORY_FILE is missing/);
    assert.match(e.message, /BOT_ID\/BOT_PASSWORD are missing/);
    assert.match(e.message, /AZURE_CLIENT_ID and AZURE_CLIENT_SECRET/);
    assert.ok(e.hint);
  });

  it('should never fall back to demo data in production', () => {
    assert.match(refusal({ ...production, FLEET_FILE: 'fleet.json' }).message, /FLEET_FILE is a demo-mode setting/);
  });

  it('should refuse half-configured bot auth', () => {
    assert.match(refusal({ BOT_ID: 'id' }).message, /BOT_PASSWORD is missing/);
    assert.match(refusal({ BOT_PASSWORD: 'pw' }).message, /without BOT_ID/);
    assert.match(refusal({ BOT_ID: 'id', BOT_PASSWORD: 'pw', BOT_TYPE: 'SingleTenant' }).message, /needs BOT_TENANT_ID/);
  });

  it('should refuse malformed values with the variable named', () => {
    assert.match(refusal({ PORT: 'eighty' }).message, /PORT/);
    assert.match(refusal({ ARM_ENDPOINT: 'http://management.azure.com' }).message, /ARM_ENDPOINT: must be an https:\/\/ URL/);
    assert.match(refusal({ PLAYGROUND: 'yes' }).message, /PLAYGROUND/);
    assert.match(refusal({ LOG_LEVEL: 'loud' }).message, /LOG_LEVEL/);
  });

  it('should take AZURE_ALERTS_TOKEN as a long URL-safe secret, unset meaning the endpoint is off, and never echo it', () => {
    assert.equal(loadConfig({}).azureAlertsToken, undefined);
    assert.equal(loadConfig({ AZURE_ALERTS_TOKEN: '  ' }).azureAlertsToken, undefined);
    const token = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';
    assert.equal(loadConfig({ AZURE_ALERTS_TOKEN: token }).azureAlertsToken, token);
    assert.match(refusal({ AZURE_ALERTS_TOKEN: 'short-secret' }).message, /AZURE_ALERTS_TOKEN: must be at least 16 characters/);
    const e = refusal({ AZURE_ALERTS_TOKEN: 'has spaces&amp;and=signs-in-it' });
    assert.match(e.message, /AZURE_ALERTS_TOKEN: may hold only letters, digits and \. _ ~ -/);
    assert.doesNotMatch(e.message, /spaces/);
  });

  it("should time the demo incident in demo mode with the built-in fleet only, unset keeping the fleet's own timing", () => {
    assert.equal(loadConfig({}).demoIncident, undefined);
    assert.equal(loadConfig({ DEMO_INCIDENT_AFTER_SECONDS: ' ' }).demoIncident, undefined);
    assert.deepEqual(loadConfig({ DEMO_INCIDENT_AFTER_SECONDS: '5', DEMO_INCIDENT_LASTS_SECONDS: '12.5' }).demoIncident, {
      dropAfterMs: 5_000,
      lastsMs: 12_500,
    });
    assert.deepEqual(loadConfig({ DEMO_INCIDENT_LASTS_SECONDS: '30' }).demoIncident, { lastsMs: 30_000 });
    assert.match(refusal({ DEMO_INCIDENT_AFTER_SECONDS: 'soon' }).message, /DEMO_INCIDENT_AFTER_SECONDS/);
    assert.match(refusal({ DEMO_INCIDENT_AFTER_SECONDS: '-1' }).message, /DEMO_INCIDENT_AFTER_SECONDS/);
    assert.match(refusal({ DEMO_INCIDENT_LASTS_SECONDS: '0' }).message, /DEMO_INCIDENT_LASTS_SECONDS/);
    assert.match(
      refusal({ DEMO_INCIDENT_AFTER_SECONDS: '5', FLEET_FILE: 'fleet.json' }).message,
      /built-in demo fleet; unset them with FLEET_FILE/,
    );
    assert.match(refusal({ ...production, DEMO_INCIDENT_LASTS_SECONDS: '30' }).message, /are demo-mode settings/);
  });

  it('should never echo a secret in its refusal', () => {
    const e = refusal({ ...production, AZURE_CLIENT_ID: '', BOT_PASSWORD: 'hunter2-secret', PORT: '-1' });
    assert.doesNotMatch(e.message, /hunter2-secret|not-logged/);
  });

  it('should take the Resource Manager of a cloud it knows, as that cloud spells it, and refuse any other', () => {
    const arm = (ARM_ENDPOINT: string) => loadConfig({ ...production, ARM_ENDPOINT }).armEndpoint;
    assert.equal(arm('https://management.azure.com'), 'https://management.azure.com');
    assert.equal(arm('https://Management.Azure.com/'), 'https://management.azure.com');
    assert.equal(arm('https://management.usgovcloudapi.net'), 'https://management.usgovcloudapi.net');
    assert.equal(arm('https://MANAGEMENT.CHINACLOUDAPI.CN/x?y#z'), 'https://management.chinacloudapi.cn', 'nothing but the host is kept');
    assert.equal(loadConfig({}).armEndpoint, undefined, 'demo mode: the embedded simulator');

    const e = refusal({ ...production, ARM_ENDPOINT: 'https://user:s3cret-sig@arm.example.com/?sig=s3cret-sig' });
    assert.match(e.message, /ARM_ENDPOINT: arm\.example\.com is not the Resource Manager of a cloud the bot knows/);
    assert.ok(!e.message.includes('s3cret-sig'), 'whatever else the URL carried is not repeated');
    for (const url of [
      'https://management.azure.com for Azure',
      'https://management.usgovcloudapi.net for Azure Government',
      'https://management.chinacloudapi.cn',
    ]) {
      assert.ok(e.message.includes(url), url);
    }
    assert.match(refusal({ ...production, ARM_ENDPOINT: 'not a url' }).message, /ARM_ENDPOINT: must be an https:\/\/ URL/);
    assert.match(
      refusal({ ...production, ARM_ENDPOINT: '' }).message,
      /ARM_ENDPOINT is missing \(https:\/\/management\.azure\.com for Azure, /,
    );
  });
});
