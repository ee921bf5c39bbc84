import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { ClientCertificateCredential, ClientSecretCredential, DefaultAzureCredential } from '@azure/identity';
import { systemClock } from '../../src/clock';
import { loadConfig } from '../../src/config';
import { CodedError, ErrorCode } from '../../src/errors';
import { silentLogger } from '../../src/log';
import { generateCertificate } from '../../src/simulator/certificate';
import { openChangeStore, tableStoreCredential } from '../../src/store';

const ENDPOINT = 'https://erbotops.table.core.windows.net';

const production = {
  ARM_ENDPOINT: 'https://management.azure.com',
  DIRECTORY_FILE: '/etc/erbot/directory.json',
  BOT_ID: 'bot-app-id',
  BOT_PASSWORD: 'bot-secret',
  TABLE_STORAGE_ENDPOINT: ENDPOINT,
};

/** The store's credential exactly as the composition root builds it from the environment. */
function credentialFor(env: Record<string, string>): TokenCredential | undefined {
  const config = loadConfig(env);
  return tableStoreCredential(config.store, config.credentials, config.botAuth?.tenantId);
}

function configRefusal(run: () => unknown): CodedError {
  try {
    run();
  } catch (e) {
    assert.ok(e instanceof CodedError, String(e));
    assert.equal(e.code, ErrorCode.Config);
    return e;
  }
  assert.fail('expected a Config error');
}

describe('the Table store credential', () => {
  describe('follows AZURE_CREDENTIAL as the ARM clients do', () => {
    const csp = { BOT_TENANT_ID: 'csp-tenant', BOT_TYPE: 'SingleTenant' };

    it('should sign in with the app secret in the bot’s own tenant for AZURE_CREDENTIAL=secret', () => {
      const credential = credentialFor({
        ...production,
        ...csp,
        AZURE_CREDENTIAL: 'secret',
        AZURE_CLIENT_ID: 'app',
        AZURE_CLIENT_SECRET: 's3cret',
      });
      assert.ok(credential instanceof ClientSecretCredential);
    });

    it('should sign in with the app certificate for AZURE_CREDENTIAL=certificate', () => {
      const credential = credentialFor({
        ...production,
        ...csp,
        AZURE_CREDENTIAL: 'certificate',
        AZURE_CLIENT_ID: 'app',
        AZURE_CLIENT_CERTIFICATE_PATH: '/etc/erbot/app.pem',
      });
      assert.ok(credential instanceof ClientCertificateCredential);
    });

    it('should use DefaultAzureCredential for AZURE_CREDENTIAL=default, with or without the bot’s tenant', () => {
      assert.ok(
        credentialFor({ ...production, AZURE_CREDENTIAL: 'default', AZURE_CLIENT_ID: 'user-assigned-mi' }) instanceof
          DefaultAzureCredential,
      );
      assert.ok(credentialFor({ ...production, ...csp, AZURE_CREDENTIAL: 'default' }) instanceof DefaultAzureCredential);
    });

    it('should use the developer’s own sign-in in demo mode, where the static token only opens the simulator', () => {
      assert.ok(credentialFor({ TABLE_STORAGE_ENDPOINT: ENDPOINT }) instanceof DefaultAzureCredential);
    });

    it('should build none when the store needs none: SQLite, or a connection string', () => {
      const secret = { ...production, ...csp, AZURE_CREDENTIAL: 'secret', AZURE_CLIENT_ID: 'app', AZURE_CLIENT_SECRET: 's3cret' };
      const { TABLE_STORAGE_ENDPOINT: _endpoint, ...sqlite } = secret;
      assert.equal(credentialFor(sqlite), undefined);
      assert.equal(
        credentialFor({
          ...sqlite,
          TABLE_STORAGE_CONNECTION_STRING: 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=a2V5;EndpointSuffix=core.windows.net',
        }),
        undefined,
      );
    });
  });

  describe('refuses what it cannot sign in with, as Config errors', () => {
    it('should name AZURE_CREDENTIAL and its choices when the value is unknown', () => {
      const e = configRefusal(() => loadConfig({ ...production, AZURE_CREDENTIAL: 'kerberos', AZURE_CLIENT_ID: 'app' }));
      assert.match(e.message, /AZURE_CREDENTIAL/);
      assert.match(e.message, /default.*secret.*certificate/);
    });

    it('should name BOT_TENANT_ID when an app secret has no tenant to sign in to', () => {
      const config = loadConfig({ ...production, AZURE_CREDENTIAL: 'secret', AZURE_CLIENT_ID: 'app', AZURE_CLIENT_SECRET: 's3cret' });
      const e = configRefusal(() => tableStoreCredential(config.store, config.credentials, config.botAuth?.tenantId));
      assert.match(e.message, /AZURE_CREDENTIAL=secret/);
      assert.match(e.message, /BOT_TENANT_ID/);
      assert.doesNotMatch(`${e.message} ${e.hint}`, /s3cret/);
      assert.ok(e.hint);
    });

    it('should refuse an endpoint with no credential rather than sign in some other way', async () => {
      await assert.rejects(
        openChangeStore({ kind: 'table', endpoint: ENDPOINT }, { clock: systemClock, logger: silentLogger }),
        (e: unknown) => {
          assert.ok(e instanceof CodedError);
          assert.equal(e.code, ErrorCode.Config);
          assert.match(e.message, /credential/);
          return true;
        },
      );
    });
  });

  describe('is the one the store signs in with', () => {
    let server: Server;
    let endpoint: string;
    before(async () => {
      const { certPem, keyPem } = await generateCertificate();
      server = createServer({ cert: certPem, key: keyPem }, (_req, res) => res.writeHead(500).end());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}/erbotops`;
    });
    after(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    it('should ask the given credential for an Azure Storage token before anything is sent', async () => {
      const asked: string[][] = [];
      const credential: TokenCredential = {
        getToken: (scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken> => {
          asked.push(Array.isArray(scopes) ? scopes : [scopes]);
          return Promise.resolve({ token: 'recorded-token', expiresOnTimestamp: Date.now() + 3_600_000, tokenType: 'Bearer' });
        },
      };
      // The server's certificate is not trusted, so the store cannot open; the sign-in has happened by then.
      await assert.rejects(
        openChangeStore({ kind: 'table', endpoint }, { clock: systemClock, logger: silentLogger, credential }),
        (e: unknown) => {
          assert.ok(e instanceof CodedError);
          assert.equal(e.code, ErrorCode.Config);
          assert.doesNotMatch(`${e.message} ${e.hint} ${JSON.stringify(e.details)}`, /recorded-token/);
          return true;
        },
      );
      assert.ok(asked.length > 0, 'the credential was asked for a token');
      assert.ok(
        asked.every((scopes) => scopes.includes('https://storage.azure.com/.default')),
        JSON.stringify(asked),
      );
    });
  });
});
