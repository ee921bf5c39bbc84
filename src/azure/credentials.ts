import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { ClientCertificateCredential, ClientSecretCredential, DefaultAzureCredential } from '@azure/identity';
import { z } from 'zod';
import { settle } from '../settle';

/**
 * How the bot proves who it is to each customer's tenant. A CSP acts in many tenants, so every mode except
 * `static` builds one credential per customer tenant (a multitenant app registration consented in each).
 */
export const CredentialConfig = z.discriminatedUnion('kind', [
  /** The simulator: any bearer token is accepted, so a fixed one will do. */
  z.object({ kind: z.literal('static'), token: z.string().min(1) }),
  /**
   * Managed identity, workload identity, Azure CLI… whatever DefaultAzureCredential finds, per tenant.
   * `clientId` picks a user-assigned managed identity.
   */
  z.object({ kind: z.literal('default'), clientId: z.string().min(1).optional() }),
  z.object({ kind: z.literal('secret'), clientId: z.string().min(1), clientSecret: z.string().min(1) }),
  z.object({ kind: z.literal('certificate'), clientId: z.string().min(1), certificatePath: z.string().min(1) }),
]);
export type CredentialConfig = z.infer<typeof CredentialConfig>;

/** The credential to use for one customer tenant. */
export type CredentialProvider = (tenantId: string) => TokenCredential;

const STATIC_TOKEN_LIFETIME_MS = 60 * 60 * 1000;

/** A credential that always returns the same token; only meaningful against the simulator. */
export function staticTokenCredential(token: string, now: () => number = Date.now): TokenCredential {
  return {
    getToken: (): Promise<AccessToken> =>
      settle(() => ({
        token,
        expiresOnTimestamp: now() + STATIC_TOKEN_LIFETIME_MS,
        tokenType: 'Bearer',
      })),
  };
}

/**
 * Builds credentials lazily and keeps one per tenant, so that each keeps its own token cache (a new credential
 * per call would fetch a new token per call).
 */
export function createCredentialProvider(config: CredentialConfig): CredentialProvider {
  if (config.kind === 'static') {
    // One token per tenant, as a real app registration has one service principal (and so one set of
    // Resource Graph and metrics quotas) in each customer tenant.
    const byTenant = new Map<string, TokenCredential>();
    return (tenantId: string) => {
      const key = tenantId.toLowerCase();
      let credential = byTenant.get(key);
      if (!credential) byTenant.set(key, (credential = staticTokenCredential(key ? `${config.token}.${key}` : config.token)));
      return credential;
    };
  }
  const byTenant = new Map<string, TokenCredential>();
  return (tenantId: string) => {
    const key = tenantId.toLowerCase();
    let credential = byTenant.get(key);
    if (!credential) {
      credential = build(config, tenantId);
      byTenant.set(key, credential);
    }
    return credential;
  };
}

function build(config: Exclude<CredentialConfig, { kind: 'static' }>, tenantId: string): TokenCredential {
  switch (config.kind) {
    case 'default':
      return new DefaultAzureCredential(config.clientId ? { tenantId, managedIdentityClientId: config.clientId } : { tenantId });
    case 'secret':
      return new ClientSecretCredential(tenantId, config.clientId, config.clientSecret);
    case 'certificate':
      return new ClientCertificateCredential(tenantId, config.clientId, { certificatePath: config.certificatePath });
  }
}

/** What a credential config may show in a log line or a start-up banner: never the secret or token. */
export function describeCredentialConfig(config: CredentialConfig): string {
  switch (config.kind) {
    case 'static':
      return 'static token (simulator)';
    case 'default':
      return 'DefaultAzureCredential per customer tenant';
    case 'secret':
      return `client secret for app ${config.clientId} per customer tenant`;
    case 'certificate':
      return `client certificate for app ${config.clientId} per customer tenant`;
  }
}
