import type { TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';
import { CodedError, ErrorCode } from '../errors';
import { createCredentialProvider, type CredentialConfig } from '../azure/credentials';
import type { StoreConfig } from './open-change-store';

/**
 * The credential the Table store signs in with when it is given an endpoint; undefined when it needs none (SQLite,
 * or a connection string, which carries its own key or SAS). It follows AZURE_CREDENTIAL as the ARM clients do,
 * built by the same provider, but for the tenant the storage account lives in, the bot's own (`tenantId`), not a
 * customer's. Demo mode's static token only opens the ARM simulator, so there a developer's own sign-in is used.
 */
export function tableStoreCredential(
  store: StoreConfig,
  credentials: CredentialConfig,
  tenantId: string | undefined,
): TokenCredential | undefined {
  if (store.kind !== 'table' || store.connectionString || !store.endpoint) return undefined;
  if (credentials.kind === 'static') return new DefaultAzureCredential();
  if (tenantId) return createCredentialProvider(credentials)(tenantId);
  if (credentials.kind === 'default')
    return new DefaultAzureCredential(credentials.clientId ? { managedIdentityClientId: credentials.clientId } : {});
  throw new CodedError(
    ErrorCode.Config,
    `TABLE_STORAGE_ENDPOINT with AZURE_CREDENTIAL=${credentials.kind} needs the tenant of the storage account, and BOT_TENANT_ID is not set.`,
    {
      hint: "Set BOT_TENANT_ID to the bot's own tenant, where the storage account is, or use TABLE_STORAGE_CONNECTION_STRING with a SAS instead.",
    },
  );
}
