import path from 'node:path';
import type { TokenCredential } from '@azure/core-auth';
import { CodedError, ErrorCode } from '../errors';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { ChangeStore } from '../changes/ports';
import { SqliteChangeStore } from './sqlite-change-store';
import { TableChangeStore } from './table-change-store';
import { SqliteAlertStore } from './sqlite-alert-store';
import { TableAlertStore } from './table-alert-store';
import type { TableChangeStoreOptions } from './open-table-clients';
import type { AlertStore } from '../alerts/alert-store';

/** Where change requests live: the embedded SQLite file, or Azure Table Storage shared by several instances. */
export type StoreConfig =
  | { kind: 'sqlite'; dataDir: string }
  | {
      kind: 'table';
      /** Either a connection string (Azurite, or an account key), or an https endpoint reached with the bot's identity. */
      connectionString?: string;
      endpoint?: string;
      tablePrefix?: string;
      /** Azurite speaks plain HTTP; nothing else may. */
      allowInsecureConnection?: boolean;
    };

export interface OpenChangeStoreDeps {
  clock: Clock;
  logger: Logger;
  /** What the endpoint form signs in with: tableStoreCredential(), built by the composition root. */
  credential?: TokenCredential | undefined;
}

export async function openChangeStore(config: StoreConfig, deps: OpenChangeStoreDeps): Promise<ChangeStore> {
  return openWith<ChangeStore>(config, deps, { sqlite: (o) => SqliteChangeStore.open(o), table: (o) => TableChangeStore.open(o) });
}

/** Alerts, silences and the watcher's leases: in the same SQLite file, or in the same Table Storage account. */
export async function openAlertStore(config: StoreConfig, deps: OpenChangeStoreDeps): Promise<AlertStore> {
  return openWith<AlertStore>(config, deps, { sqlite: (o) => SqliteAlertStore.open(o), table: (o) => TableAlertStore.open(o) });
}

async function openWith<T>(
  config: StoreConfig,
  deps: OpenChangeStoreDeps,
  open: { sqlite: (o: { file: string; clock: Clock; logger: Logger }) => Promise<T>; table: (o: TableChangeStoreOptions) => Promise<T> },
): Promise<T> {
  const { credential, ...rest } = deps;
  if (config.kind === 'sqlite') {
    return open.sqlite({ file: path.join(config.dataDir, 'erbot.sqlite'), ...rest });
  }
  const common = {
    ...rest,
    ...(config.tablePrefix ? { tablePrefix: config.tablePrefix } : {}),
    ...(config.allowInsecureConnection ? { allowInsecureConnection: true } : {}),
  };
  if (config.connectionString) return open.table({ ...common, connectionString: config.connectionString });
  if (config.endpoint) {
    if (!credential) {
      throw new CodedError(
        ErrorCode.Config,
        `The Azure Table Storage endpoint ${config.endpoint} needs a credential to sign in with, and none was given.`,
        {
          hint: 'Pass tableStoreCredential(…) from the composition root, or use TABLE_STORAGE_CONNECTION_STRING.',
        },
      );
    }
    return open.table({ ...common, endpoint: config.endpoint, credential });
  }
  throw new Error('table store needs a connection string or an endpoint');
}
