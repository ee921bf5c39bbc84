import { TableClient, type TableServiceClientOptions } from '@azure/data-tables';
import type { NamedKeyCredential, SASCredential, TokenCredential } from '@azure/core-auth';
import { CodedError, ErrorCode } from '../errors';
import { systemClock, type Clock } from '../clock';
import { silentLogger, type Logger } from '../log';
import { tableStoreError } from './table-errors';
import { DEFAULT_TABLE_PREFIX, TABLE_PREFIX_PATTERN, TABLE_PREFIX_RULE, tableNames } from './table-names';

interface CommonOptions {
  /** Prefix of the table names (`<prefix>Changes`, `<prefix>Refs`, `<prefix>Alerts`): see TABLE_PREFIX_RULE. Default `erbot`. */
  tablePrefix?: string;
  clock?: Clock;
  logger?: Logger;
  /** Plain HTTP, for Azurite only. Production endpoints are HTTPS. */
  allowInsecureConnection?: boolean;
  /** How many times a compare-and-set re-reads and retries after losing a race. Default 25. */
  maxAttempts?: number;
  /**
   * Change store: how long a target lock whose request never appeared still counts as taken, since its creator
   * may still be writing it (table-target-lock.ts). Default 30 s.
   */
  targetLockGraceInMs?: number;
  /** Pipeline policies added to the table clients, as the SDK takes them (tests lose an answer with one). */
  additionalPolicies?: TableServiceClientOptions['additionalPolicies'];
}

export type TableChangeStoreOptions = CommonOptions &
  (
    | { connectionString: string; endpoint?: undefined; credential?: undefined }
    | {
        /** The table service URL, e.g. https://<account>.table.core.windows.net or a Cosmos DB Table endpoint. */
        endpoint: string;
        credential: TokenCredential | NamedKeyCredential | SASCredential;
        connectionString?: undefined;
      }
  );

/** What the Table stores run on: their tables, created if they were missing, and the checked options. */
export interface OpenTables {
  changes: TableClient;
  refs: TableClient;
  alerts: TableClient;
  /** Where the store lives, for messages and logs: account URL and tables, never a key. */
  where: string;
  clock: Clock;
  logger: Logger;
  maxAttempts: number;
}

/** Checks the options, connects, creates the tables if they are missing, and fails fast with a readable message if it cannot. */
export async function openTableClients(options: TableChangeStoreOptions): Promise<OpenTables> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const prefix = options.tablePrefix ?? DEFAULT_TABLE_PREFIX;
  if (!TABLE_PREFIX_PATTERN.test(prefix)) {
    throw new CodedError(ErrorCode.Config, `The table prefix "${prefix}" is not usable as an Azure table name.`, {
      hint: `Use ${TABLE_PREFIX_RULE}.`,
    });
  }
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 25));
  const clientOptions: TableServiceClientOptions = {
    allowInsecureConnection: options.allowInsecureConnection ?? false,
    ...(options.additionalPolicies ? { additionalPolicies: options.additionalPolicies } : {}),
  };
  const names = tableNames(prefix);
  let client: (name: string) => TableClient;
  let changes: TableClient;
  let refs: TableClient;
  let alerts: TableClient;
  try {
    if (options.connectionString !== undefined) {
      const connectionString = options.connectionString;
      client = (name) => TableClient.fromConnectionString(connectionString, name, clientOptions);
    } else {
      // The SDK's overloads are per credential type; all three are accepted at runtime.
      const credential = options.credential as NamedKeyCredential;
      const endpoint = options.endpoint;
      client = (name) => new TableClient(endpoint, name, credential, clientOptions);
    }
    changes = client(names.changes);
    refs = client(names.refs);
    alerts = client(names.alerts);
  } catch (e) {
    // Never echo the connection string: it holds the account key.
    throw new CodedError(ErrorCode.Config, 'The Azure Table Storage connection settings are not usable.', {
      hint: 'Check the connection string (DefaultEndpointsProtocol, AccountName, AccountKey or SharedAccessSignature, TableEndpoint) or the endpoint URL.',
      details: { reason: e instanceof Error ? e.message.replace(/AccountKey=[^;]*/gi, 'AccountKey=[redacted]') : undefined },
    });
  }
  if (!clientOptions.allowInsecureConnection && /^http:/i.test(changes.url)) {
    throw new CodedError(ErrorCode.Config, `The Azure Table Storage endpoint ${accountUrl(changes)} uses plain HTTP.`, {
      hint: 'Use an https:// endpoint. Only a local Azurite emulator may use HTTP, with allowInsecureConnection set.',
    });
  }
  // Without the query: a SAS connection string puts its signature there.
  const where = `${accountUrl(changes)} (tables ${changes.tableName}, ${refs.tableName}, ${alerts.tableName})`;
  if (/^http:/i.test(changes.url) && !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/i.test(changes.url)) {
    logger.warn({ where }, 'table change store uses plain HTTP to a non-loopback host; use HTTPS outside development');
  }
  try {
    await changes.createTable();
    await refs.createTable();
    await alerts.createTable();
  } catch (e) {
    const cause = tableStoreError(e, 'open', where, logger);
    throw new CodedError(ErrorCode.Config, `Could not open the change store in Azure Table Storage: ${cause.message}`, {
      hint: cause.hint ?? 'Check the storage connection settings.',
      details: cause.details,
      cause: e,
    });
  }
  logger.info({ where }, 'change store open');
  return { changes, refs, alerts, where, clock, logger, maxAttempts };
}

function accountUrl(client: TableClient): string {
  return client.url.split('?')[0] ?? '';
}
