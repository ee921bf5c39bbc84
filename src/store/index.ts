export { SqliteChangeStore, type SqliteChangeStoreOptions } from './sqlite-change-store';
export { MIGRATIONS, LATEST_SCHEMA_VERSION, migrate, schemaVersion, type Migration } from './migrations';
export { TableChangeStore, type TableChangeStoreOptions } from './table-change-store';
export { openChangeStore, type StoreConfig } from './open-change-store';
