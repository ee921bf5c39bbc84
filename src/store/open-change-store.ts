import path from 'node:path';
import { DefaultAzureCredential } from '@azure/identity';
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

export async function openChangeStore(config: StoreConfig, deps: { clock: Clock; logger: Logger }): Promise<ChangeStore> {
  if (config.kind === 'sqlite') {
    return SqliteChangeStore.open({ file: path.join(config.dataDir, 'erbot.sqlite'), ...deps });
  }
  const common = {
    ...deps,
    ...(config.tablePrefix ? { tablePrefix: config.tablePrefix } : {}),
    ...(config.allowInsecureConnection ? { allowInsecureConnection: true } : {}),
  };
  if (config.connectionString) return TableChangeStore.open({ ...common, connectionString: config.connectionString });
  if (config.endpoint) return TableChangeStore.open({ ...common, endpoint: config.endpoint, credential: new DefaultAzureCredential() });
  throw new Error('table store needs a connection string or an endpoint');
}
