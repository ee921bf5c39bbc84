import assert from 'node:assert/strict';
import { CredentialConfig, createCredentialProvider, describeCredentialConfig } from '../../src/azure/credentials';

describe('credentials', () => {
  it('should hand out a static bearer token for the simulator, one per tenant as a real principal would be', async () => {
    const provider = createCredentialProvider({ kind: 'static', token: 'sim-token' });
    const token = await provider('Any-Tenant').getToken('https://management.azure.com/.default');
    assert.equal(token?.token, 'sim-token.any-tenant');
    assert.ok((token?.expiresOnTimestamp ?? 0) > Date.now());
    assert.equal(provider('any-tenant'), provider('ANY-TENANT'));
    assert.notEqual((await provider('other-tenant').getToken('x'))?.token, token?.token);
  });

  it('should build one credential per customer tenant and reuse it', () => {
    const provider = createCredentialProvider({ kind: 'secret', clientId: 'app-id', clientSecret: 'shh-secret' });
    const a = provider('11111111-1111-4111-8111-111111111111');
    assert.equal(provider('11111111-1111-4111-8111-111111111111'.toUpperCase()), a);
    assert.notEqual(provider('22222222-2222-4222-8222-222222222222'), a);
  });

  it('should validate the config and describe it without its secret', () => {
    assert.equal(CredentialConfig.safeParse({ kind: 'secret', clientId: 'x' }).success, false);
    const config = CredentialConfig.parse({ kind: 'secret', clientId: 'app-id', clientSecret: 'shh-secret' });
    assert.doesNotMatch(describeCredentialConfig(config), /shh-secret/);
    assert.doesNotMatch(describeCredentialConfig({ kind: 'static', token: 'sim-token' }), /sim-token/);
  });
});
