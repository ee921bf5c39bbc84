export { SqliteChangeStore, type SqliteChangeStoreOptions } from './sqlite-change-store';
export { MIGRATIONS, LATEST_SCHEMA_VERSION, migrate, schemaVersion, type Migration } from './migrations';
export { TableChangeStore, type TableChangeStoreOptions } from './table-change-store';
export { openChangeStore, openAlertStore, type StoreConfig } from './open-change-store';
export { SqliteAlertStore } from './sqlite-alert-store';
export { TableAlertStore } from './table-alert-store';
export { tableStoreCredential } from './table-store-credential';
export { MAX_TABLE_PREFIX_LENGTH, TABLE_PREFIX_PATTERN, TABLE_PREFIX_RULE, tableNames } from './table-names';
