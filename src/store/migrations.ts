import type Database from 'better-sqlite3';
import { CodedError, ErrorCode } from '../errors';
import type { Logger } from '../log';

export interface Migration {
  /** 1, 2, 3… in order; the database's `user_version` is the last one applied. */
  version: number;
  name: string;
  sql: string;
}

/**
 * The schema, as an ordered list. Never edit a migration that has shipped: append a new one. Each runs in its
 * own transaction together with the `user_version` bump, so a crash mid-migration leaves the previous version.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'change requests, approvals, audit, card posts, conversation references',
    sql: `
      CREATE TABLE schema_migrations (
        version    INTEGER PRIMARY KEY,
        name       TEXT    NOT NULL,
        applied_at INTEGER NOT NULL
      );

      -- The json column is the request as the model defines it; the other columns copy the fields that queries
      -- filter on, and every write keeps them in step (a mismatch on read is reported as corruption).
      CREATE TABLE requests (
        id           TEXT    PRIMARY KEY,
        customer_id  TEXT    NOT NULL,
        state        TEXT    NOT NULL,
        requester_id TEXT    NOT NULL,
        created_at   INTEGER NOT NULL,
        updated_at   INTEGER NOT NULL,
        expires_at   INTEGER NOT NULL,
        version      INTEGER NOT NULL,
        json         TEXT    NOT NULL
      ) STRICT;
      CREATE INDEX requests_customer_state ON requests (customer_id, state, created_at);
      CREATE INDEX requests_requester ON requests (requester_id, created_at);
      -- Expiry sweeps and resume-after-restart look requests up by state alone.
      CREATE INDEX requests_state_expires ON requests (state, expires_at);

      -- One row per distinct approver: the unique constraint is what makes "nobody approves twice" hold even
      -- when two clicks from the same person race.
      CREATE TABLE approvals (
        request_id  TEXT    NOT NULL REFERENCES requests (id),
        approver_id TEXT    NOT NULL,
        at          INTEGER NOT NULL,
        UNIQUE (request_id, approver_id)
      ) STRICT;

      CREATE TABLE audit (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        request_id  TEXT    NOT NULL,
        customer_id TEXT    NOT NULL,
        at          INTEGER NOT NULL,
        action      TEXT    NOT NULL,
        json        TEXT    NOT NULL
      ) STRICT;
      CREATE INDEX audit_customer ON audit (customer_id, id);
      CREATE INDEX audit_request ON audit (request_id, id);
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit is append-only: rows cannot be updated'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit is append-only: rows cannot be deleted'); END;

      CREATE TABLE card_posts (
        seq              INTEGER PRIMARY KEY AUTOINCREMENT,
        request_id       TEXT    NOT NULL REFERENCES requests (id),
        conversation_key TEXT    NOT NULL,
        activity_id      TEXT    NOT NULL,
        audience         TEXT    NOT NULL,
        UNIQUE (request_id, conversation_key, activity_id)
      ) STRICT;

      CREATE TABLE conversation_refs (
        key        TEXT    PRIMARY KEY,
        json       TEXT    NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'conversation links (which customers a shared conversation may show)',
    sql: `
      CREATE TABLE conversation_links (
        conversation_id TEXT    NOT NULL,
        customer_id     TEXT    NOT NULL,
        linked_at       INTEGER NOT NULL,
        PRIMARY KEY (conversation_id, customer_id)
      ) STRICT;
    `,
  },
  {
    version: 3,
    name: 'alerts, their cards, silences and the watcher leases',
    sql: `
      -- As with requests, json is the alert as the model defines it and the other columns copy what queries use.
      CREATE TABLE alerts (
        id          TEXT    PRIMARY KEY,
        key         TEXT    NOT NULL,
        customer_id TEXT    NOT NULL,
        state       TEXT    NOT NULL,
        open        INTEGER NOT NULL,
        group_id    TEXT,
        updated_at  INTEGER NOT NULL,
        resolved_at INTEGER,
        version     INTEGER NOT NULL,
        json        TEXT    NOT NULL
      ) STRICT;
      -- Deduplication: at most one open alert per (circuit, peering, link, condition), whoever writes it.
      CREATE UNIQUE INDEX alerts_open_key ON alerts (key) WHERE open = 1;
      CREATE INDEX alerts_customer ON alerts (customer_id, open, resolved_at);
      CREATE INDEX alerts_group ON alerts (customer_id, group_id);

      CREATE TABLE alert_posts (
        group_id         TEXT    NOT NULL,
        customer_id      TEXT    NOT NULL,
        conversation_key TEXT    NOT NULL,
        activity_id      TEXT    NOT NULL,
        at               INTEGER NOT NULL,
        PRIMARY KEY (customer_id, group_id, conversation_key, activity_id)
      ) STRICT;

      CREATE TABLE silences (
        id          TEXT    PRIMARY KEY,
        customer_id TEXT    NOT NULL,
        ends_at     INTEGER NOT NULL,
        ended       INTEGER NOT NULL,
        json        TEXT    NOT NULL
      ) STRICT;
      CREATE INDEX silences_customer ON silences (customer_id, ended, ends_at);

      -- Which instance watches which customer, until when (a compare-and-set on owner and until).
      CREATE TABLE leases (
        name  TEXT    PRIMARY KEY,
        owner TEXT    NOT NULL,
        until INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 4,
    name: 'one change per target: the target each request locks, indexed',
    sql: `
      -- targetKey (changes/target-lock.ts) of plan.targetId, so that the lock check is an index lookup. SQLite's
      -- lower() folds ASCII only, as ARM resource ids are. A row whose JSON is unreadable gets '' and stays
      -- unreadable: the upgrade must not fail on it.
      ALTER TABLE requests ADD COLUMN target_key TEXT NOT NULL DEFAULT '';
      UPDATE requests SET target_key = lower(trim(json_extract(json, '$.plan.targetId')))
        WHERE json_valid(json) AND json_type(json, '$.plan.targetId') = 'text';
      CREATE INDEX requests_target ON requests (target_key, state);
    `,
  },
  {
    version: 5,
    name: "the watcher's gaps: customers it could not read, and whether their channel was told",
    sql: `
      CREATE TABLE watch_gaps (
        customer_id TEXT    PRIMARY KEY,
        since       INTEGER NOT NULL,
        told        INTEGER NOT NULL CHECK (told IN (0, 1)),
        told_by     TEXT    NOT NULL DEFAULT ''
      ) STRICT;
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the file up to LATEST_SCHEMA_VERSION. Safe when two processes open the same new file at once: each
 * step re-reads the version under the write lock (BEGIN IMMEDIATE) and skips what the other already applied.
 */
export function migrate(
  db: Database.Database,
  options: { file: string; now: number; logger: Logger; migrations?: readonly Migration[] },
): { from: number; to: number } {
  const migrations = options.migrations ?? MIGRATIONS;
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  const from = schemaVersion(db);
  refuseNewer(from, latest, options.file);
  for (const m of migrations) {
    const applied = db
      .transaction(() => {
        const current = schemaVersion(db);
        refuseNewer(current, latest, options.file);
        if (current >= m.version) return false;
        if (current !== m.version - 1) {
          throw new CodedError(
            ErrorCode.Config,
            `The data file ${options.file} is at schema version ${current}, which this build cannot upgrade to ${m.version}.`,
            {
              hint: 'Restore a backup of the data file or point DATA_DIR at an empty folder.',
            },
          );
        }
        db.exec(m.sql);
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, options.now);
        // user_version is part of the transaction: it rolls back with the schema change.
        db.pragma(`user_version = ${m.version}`);
        return true;
      })
      .immediate();
    if (applied) options.logger.info({ file: options.file, version: m.version, migration: m.name }, 'store schema migrated');
  }
  return { from, to: schemaVersion(db) };
}

function refuseNewer(current: number, latest: number, file: string): void {
  if (current > latest) {
    throw new CodedError(
      ErrorCode.Config,
      `The data file ${file} has schema version ${current}, newer than this build of the bot understands (up to ${latest}).`,
      {
        hint: 'Run the newer version of the bot that wrote this file, or point DATA_DIR at another folder. Do not edit the file by hand.',
        details: { file, schemaVersion: current, supportedVersion: latest },
      },
    );
  }
}
