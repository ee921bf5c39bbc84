import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CodedError, ErrorCode } from '../errors';
import type { Logger } from '../log';
import { migrate } from './migrations';

export interface SqliteDatabaseOptions {
  /** The database file, e.g. `<DATA_DIR>/erbot.sqlite`; its folder is created if missing. */
  file: string;
  /**
   * FULL (default) fsyncs the WAL on every commit, so a committed transition survives a power cut as well as a
   * process crash. NORMAL survives a process crash but can lose the last commits on power loss; here that could
   * forget that a change was already `executing` and submit the ARM write twice, so NORMAL is for benchmarks.
   */
  synchronous?: 'FULL' | 'NORMAL';
  /** How long a write waits for another connection's lock before failing. Default 5000. */
  busyTimeoutInMs?: number;
}

/**
 * One connection to the store's SQLite file in WAL mode, migrated to the latest schema. Every store on the file
 * (changes, alerts) opens its own: several connections and processes share one file safely.
 */
export function openSqliteDatabase(options: SqliteDatabaseOptions, now: number, logger: Logger, what: string): Database.Database {
  const file = options.file;
  let db: Database.Database | undefined;
  try {
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    db = new Database(file);
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutInMs ?? 5000))}`);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    db.pragma('foreign_keys = ON');
    const { from, to } = migrate(db, { file, now, logger });
    logger.info({ file, schemaVersion: to, migratedFrom: from === to ? undefined : from }, `${what} open`);
    return db;
  } catch (e) {
    db?.close();
    if (e instanceof CodedError) throw e;
    throw new CodedError(ErrorCode.Config, `Could not open the ${what} at ${file}.`, {
      hint: 'Check that DATA_DIR points at a writable folder on a local disk and that the file is a database this bot created.',
      cause: e,
    });
  }
}

/** Prepared statements by their SQL, prepared once per connection. */
export class StatementCache {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  prepare(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  clear(): void {
    this.statements.clear();
  }
}
