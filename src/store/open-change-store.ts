import path from 'node:path';
import type { TokenCredential } from '@azure/core-auth';
import { CodedError, ErrorCode } from '../errors';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { ChangeStore } from '../changes/ports';
import { SqliteChangeStore } from './sqlite-change-store';
import { TableChangeStore } from './table-change-store';

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
  const { credential, ...rest } = deps;
  if (config.kind === 'sqlite') {
    return SqliteChangeStore.open({ file: path.join(config.dataDir, 'erbot.sqlite'), ...rest });
  }
  const common = {
    ...rest,
    ...(config.tablePrefix ? { tablePrefix: config.tablePrefix } : {}),
    ...(config.allowInsecureConnection ? { allowInsecureConnection: true } : {}),
  };
  if (config.connectionString) return TableChangeStore.open({ ...common, connectionString: config.connectionString });
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
    return TableChangeStore.open({ ...common, endpoint: config.endpoint, credential });
  }
  throw new Error('table store needs a connection string or an endpoint');
}
