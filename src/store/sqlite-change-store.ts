import type Database from 'better-sqlite3';
import { systemClock, type Clock } from '../clock';
import { settle } from '../settle';
import { silentLogger, type Logger } from '../log';
import { AuditEntry, ChangeRequest, type ChangeState, type Approval } from '../changes/change-request';
import type { AddApprovalResult, CardPost, ChangeFilter, ChangeStore } from '../changes/ports';
import { LOCKING_STATES, TargetBusy, holdsLock, targetKey } from '../changes/target-lock';
import { decideApproval } from './decide-approval';
import { matchesNothing } from './matches-nothing';
import { openSqliteDatabase, StatementCache, type SqliteDatabaseOptions } from './sqlite-database';
import { parseTransition, type TransitionPatch } from './parse-transition';
import { cardPostWithoutRequest, duplicateRequestId, requestNotFound, storeError, unreadableRequest } from './store-errors';
import {
  INVALID_JSON,
  parseLink,
  parseLinkedCustomer,
  parseStoredAudit,
  parseStoredReference,
  referenceJson,
  safeJson,
} from './stored-json';

export interface SqliteChangeStoreOptions extends SqliteDatabaseOptions {
  clock?: Clock;
  logger?: Logger;
}

interface RequestRow {
  id: string;
  customer_id: string;
  state: string;
  version: number;
  json: string;
}

/**
 * The embedded ChangeStore: one SQLite file in WAL mode, shared safely by several store instances and processes.
 * better-sqlite3 is synchronous, so every method has committed (or rolled back) before its promise settles.
 * Write transactions take the write lock up front (BEGIN IMMEDIATE): a read-then-write transaction that only
 * upgrades its lock later could fail with SQLITE_BUSY instead of waiting for the other writer.
 */
export class SqliteChangeStore implements ChangeStore {
  readonly file: string;
  private readonly db: Database.Database;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly statements: StatementCache;

  private constructor(db: Database.Database, file: string, clock: Clock, logger: Logger) {
    this.db = db;
    this.file = file;
    this.clock = clock;
    this.logger = logger;
    this.statements = new StatementCache(db);
  }

  static open(options: SqliteChangeStoreOptions): Promise<SqliteChangeStore> {
    return settle(() => {
      const clock = options.clock ?? systemClock;
      const logger = options.logger ?? silentLogger;
      const db = openSqliteDatabase(options, clock.now(), logger, 'change store');
      return new SqliteChangeStore(db, options.file, clock, logger);
    });
  }

  create(request: ChangeRequest, audit: AuditEntry): Promise<void> {
    return settle(() => {
      this.run(
        'create',
        () => {
          const r = ChangeRequest.parse(request);
          const entry = AuditEntry.parse(audit);
          this.db
            .transaction(() => {
              const exists = this.stmt('SELECT 1 FROM requests WHERE id = ?').get(r.id);
              if (exists) throw duplicateRequestId(r.id);
              const target = targetKey(r.plan.targetId);
              // Checked and inserted under the write lock (IMMEDIATE): no other connection or process can slip a
              // request on the same target in between.
              const holder = this.lockHolder(target, this.clock.now());
              if (holder) throw new TargetBusy({ id: holder.id, state: holder.state, circuitName: holder.circuitName });
              this.stmt(
                `INSERT INTO requests (id, customer_id, state, requester_id, created_at, updated_at, expires_at, version, target_key, json)
               VALUES (@id, @customerId, @state, @requesterId, @createdAt, @updatedAt, @expiresAt, @version, @targetKey, @json)`,
              ).run({
                id: r.id,
                targetKey: target,
                customerId: r.customerId,
                state: r.state,
                requesterId: r.requester.aadObjectId,
                createdAt: Math.floor(r.createdAt),
                updatedAt: Math.floor(r.updatedAt),
                expiresAt: Math.floor(r.expiresAt),
                version: r.version,
                json: JSON.stringify(r),
              });
              this.replaceApprovals(r.id, r.approvals);
              this.insertAudit(entry);
            })
            .immediate();
        },
        request.id,
      );
    });
  }

  get(id: string): Promise<ChangeRequest | undefined> {
    return settle(() => {
      return this.run(
        'get',
        () => {
          const row = this.stmt('SELECT id, customer_id, state, version, json FROM requests WHERE id = ?').get(id) as
            RequestRow | undefined;
          return row ? this.parseRequest(row) : undefined;
        },
        id,
      );
    });
  }

  /** Newest first. An empty `customerIds` or `states` matches nothing; an absent one matches everything. */
  list(filter: ChangeFilter): Promise<ChangeRequest[]> {
    return settle(() => {
      return this.run('list', () => {
        if (matchesNothing(filter)) return [];
        const where: string[] = [];
        const params: Record<string, unknown> = {};
        if (filter.customerIds) {
          where.push('customer_id IN (SELECT value FROM json_each(@customerIds))');
          params.customerIds = JSON.stringify(filter.customerIds);
        }
        if (filter.states) {
          where.push('state IN (SELECT value FROM json_each(@states))');
          params.states = JSON.stringify(filter.states);
        }
        if (filter.requesterId !== undefined) {
          where.push('requester_id = @requesterId');
          params.requesterId = filter.requesterId;
        }
        if (filter.updatedSince !== undefined) {
          where.push('updated_at >= @updatedSince');
          params.updatedSince = Math.floor(filter.updatedSince);
        }
        params.limit = filter.limit === undefined ? -1 : Math.floor(filter.limit);
        const sql = `SELECT id, customer_id, state, version, json FROM requests
          ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY created_at DESC, id DESC LIMIT @limit`;
        return (this.stmt(sql).all(params) as RequestRow[]).map((row) => this.parseRequest(row));
      });
    });
  }

  transition(
    id: string,
    condition: { from: readonly ChangeState[]; expectVersion?: number },
    to: ChangeState,
    patch: TransitionPatch,
    audit: AuditEntry,
  ): Promise<ChangeRequest | undefined> {
    return settle(() => {
      return this.run(
        'transition',
        () => {
          const parsed = parseTransition(condition, to, patch, audit);
          if (!parsed) return undefined;
          const { target, entry, changes, keys } = parsed;
          const params: Record<string, unknown> = {
            id,
            to: target,
            now: JSON.stringify(this.clock.now()),
            from: JSON.stringify(condition.from),
            expectVersion: condition.expectVersion ?? null,
          };
          for (const k of keys) params[k] = JSON.stringify(changes[k]);
          // The compare-and-set itself: one UPDATE guarded by state (and version), so however many callers race,
          // exactly one sees a changed row. json_set keeps the JSON document and the indexed columns in step.
          const sql = `UPDATE requests SET
            state = @to, version = version + 1, updated_at = CAST(@now AS INTEGER),
            json = json_set(json, '$.state', @to, '$.version', version + 1, '$.updatedAt', json(@now)${keys
              .map((k) => `, '$.${k}', json(@${k})`)
              .join('')})
          WHERE id = @id AND state IN (SELECT value FROM json_each(@from))
            AND (@expectVersion IS NULL OR version = @expectVersion)
          RETURNING id, customer_id, state, version, json`;
          return this.db
            .transaction(() => {
              const row = this.stmt(sql).get(params) as RequestRow | undefined;
              if (!row) return undefined;
              // Parsing inside the transaction means an update that would leave an unreadable row is rolled back.
              const updated = this.parseRequest(row);
              if (changes.approvals !== undefined) this.replaceApprovals(id, updated.approvals);
              this.insertAudit(entry);
              return updated;
            })
            .immediate();
        },
        id,
      );
    });
  }

  /** A repeated approver wins over a request that is no longer pending: "you already approved" says more. */
  addApproval(id: string, approval: Approval, audit: AuditEntry | ((updated: ChangeRequest) => AuditEntry)): Promise<AddApprovalResult> {
    return settle(() => {
      return this.run(
        'addApproval',
        () => {
          return this.db
            .transaction((): AddApprovalResult => {
              const row = this.stmt('SELECT id, customer_id, state, version, json FROM requests WHERE id = ?').get(id) as
                RequestRow | undefined;
              if (!row) throw requestNotFound(id);
              const current = this.parseRequest(row);
              const seen = this.stmt('SELECT 1 FROM approvals WHERE request_id = ? AND approver_id = ?').get(id, approval.by.aadObjectId);
              if (seen) return 'duplicate';
              const decision = decideApproval(current, approval, audit, this.clock.now());
              if (typeof decision === 'string') return decision;
              const { next, entry } = decision;
              // The unique constraint is the last word if the pre-check above ever drifts from the table.
              this.stmt('INSERT INTO approvals (request_id, approver_id, at) VALUES (?, ?, ?)').run(
                id,
                approval.by.aadObjectId,
                Math.floor(approval.at),
              );
              const changed = this.stmt(
                `UPDATE requests SET version = @version, updated_at = @updatedAt, json = @json
               WHERE id = @id AND state = 'pending' AND version = @expectVersion`,
              ).run({
                id,
                version: next.version,
                updatedAt: Math.floor(next.updatedAt),
                json: JSON.stringify(next),
                expectVersion: current.version,
              });
              if (changed.changes !== 1) throw new Error(`change request ${id} moved inside its own transaction`);
              this.insertAudit(entry);
              return next;
            })
            .immediate();
        },
        id,
      );
    });
  }

  saveOperation(id: string, operation: ChangeRequest['operation'], expectState: ChangeState, expectVersion?: number): Promise<boolean> {
    return settle(() => {
      return this.run(
        'saveOperation',
        () => {
          const setOperation = operation === undefined ? `json_remove(#, '$.operation')` : `json_set(#, '$.operation', json(@operation))`;
          const json = setOperation.replace('#', `json_set(json, '$.version', version + 1, '$.updatedAt', json(@now))`);
          const sql = `UPDATE requests SET version = version + 1, updated_at = CAST(@now AS INTEGER), json = ${json}
          WHERE id = @id AND state = @state AND (@expectVersion IS NULL OR version = @expectVersion)
          RETURNING id, customer_id, state, version, json`;
          return this.db
            .transaction(() => {
              const row = this.stmt(sql).get({
                id,
                state: expectState,
                expectVersion: expectVersion ?? null,
                now: JSON.stringify(this.clock.now()),
                ...(operation === undefined ? {} : { operation: JSON.stringify(operation) }),
              }) as RequestRow | undefined;
              if (!row) return false;
              this.parseRequest(row);
              return true;
            })
            .immediate();
        },
        id,
      );
    });
  }

  /** The most recent `limit` entries that match, returned oldest first (the order they were appended in). */
  audit(filter: { customerIds: readonly string[]; requestId?: string; limit: number }): Promise<AuditEntry[]> {
    return settle(() => {
      return this.run('audit', () => {
        if (matchesNothing(filter)) return [];
        const sql = `SELECT id, request_id, json FROM audit
          WHERE customer_id IN (SELECT value FROM json_each(@customerIds))
          ${filter.requestId === undefined ? '' : 'AND request_id = @requestId'}
          ORDER BY id DESC LIMIT @limit`;
        const rows = this.stmt(sql).all({
          customerIds: JSON.stringify(filter.customerIds),
          limit: Math.floor(filter.limit),
          ...(filter.requestId === undefined ? {} : { requestId: filter.requestId }),
        }) as { id: number; request_id: string; json: string }[];
        return rows
          .reverse()
          .map((row) => parseStoredAudit(row.json, `audit entry ${row.id} of change request ${row.request_id}`, this.logger));
      });
    });
  }

  /** Idempotent: recording the same post again only updates its audience. */
  addCardPost(post: CardPost): Promise<void> {
    return settle(() => {
      this.run('addCardPost', () => {
        const exists = this.stmt('SELECT 1 FROM requests WHERE id = ?').get(post.requestId);
        if (!exists) throw cardPostWithoutRequest(post.requestId);
        this.stmt(
          `INSERT INTO card_posts (request_id, conversation_key, activity_id, audience) VALUES (?, ?, ?, ?)
           ON CONFLICT (request_id, conversation_key, activity_id) DO UPDATE SET audience = excluded.audience`,
        ).run(post.requestId, post.conversationKey, post.activityId, post.audience);
      });
    });
  }

  cardPosts(requestId: string): Promise<CardPost[]> {
    return settle(() => {
      return this.run('cardPosts', () => {
        const rows = this.stmt(
          'SELECT request_id, conversation_key, activity_id, audience FROM card_posts WHERE request_id = ? ORDER BY seq',
        ).all(requestId) as { request_id: string; conversation_key: string; activity_id: string; audience: string }[];
        return rows.map((r) => ({
          requestId: r.request_id,
          conversationKey: r.conversation_key,
          activityId: r.activity_id,
          audience: r.audience,
        }));
      });
    });
  }

  removeCardPost(post: Pick<CardPost, 'requestId' | 'conversationKey' | 'activityId'>): Promise<void> {
    return settle(() => {
      this.run('removeCardPost', () => {
        this.stmt('DELETE FROM card_posts WHERE request_id = ? AND conversation_key = ? AND activity_id = ?').run(
          post.requestId,
          post.conversationKey,
          post.activityId,
        );
      });
    });
  }

  saveReference(key: string, reference: unknown): Promise<void> {
    return settle(() => {
      this.run('saveReference', () => {
        const json = referenceJson(key, reference);
        this.stmt(
          `INSERT INTO conversation_refs (key, json, updated_at) VALUES (?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at`,
        ).run(key, json, Math.floor(this.clock.now()));
      });
    });
  }

  getReference(key: string): Promise<unknown> {
    return settle(() => {
      return this.run('getReference', () => {
        const row = this.stmt('SELECT json FROM conversation_refs WHERE key = ?').get(key) as { json: string } | undefined;
        if (!row) return undefined;
        return parseStoredReference(row.json, key, this.logger);
      });
    });
  }

  linkConversation(conversationId: string, customerId: string): Promise<void> {
    return settle(() => {
      this.run('linkConversation', () => {
        const link = parseLink(conversationId, customerId);
        this.stmt(
          `INSERT INTO conversation_links (conversation_id, customer_id, linked_at) VALUES (?, ?, ?)
           ON CONFLICT (conversation_id, customer_id) DO NOTHING`,
        ).run(link.conversationId, link.customerId, Math.floor(this.clock.now()));
      });
    });
  }

  unlinkConversation(conversationId: string, customerId: string): Promise<boolean> {
    return settle(() => {
      return this.run('unlinkConversation', () => {
        const link = parseLink(conversationId, customerId);
        const removed = this.stmt('DELETE FROM conversation_links WHERE conversation_id = ? AND customer_id = ?').run(
          link.conversationId,
          link.customerId,
        );
        return removed.changes > 0;
      });
    });
  }

  linkedCustomers(conversationId: string): Promise<string[]> {
    return settle(() => {
      return this.run('linkedCustomers', () => {
        const rows = this.stmt('SELECT customer_id FROM conversation_links WHERE conversation_id = ? ORDER BY customer_id').all(
          conversationId,
        ) as { customer_id: unknown }[];
        return rows.map((r) => parseLinkedCustomer(r.customer_id, conversationId, this.logger));
      });
    });
  }

  close(): Promise<void> {
    return settle(() => {
      if (!this.db.open) return;
      this.statements.clear();
      this.db.close();
      this.logger.info({ file: this.file }, 'change store closed');
    });
  }

  /** The request that holds `target` at `now`, if any: an index lookup, then holdsLock on the few rows it finds. */
  private lockHolder(target: string, now: number): ChangeRequest | undefined {
    const rows = this.stmt(
      `SELECT id, customer_id, state, version, json FROM requests
       WHERE target_key = @target AND state IN (SELECT value FROM json_each(@states)) ORDER BY created_at, id`,
    ).all({ target, states: JSON.stringify(LOCKING_STATES) }) as RequestRow[];
    return rows.map((row) => this.parseRequest(row)).find((r) => holdsLock(r, now));
  }

  private run<T>(operation: string, fn: () => T, requestId?: string): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof TargetBusy) throw e;
      throw storeError(e, operation, this.file, this.logger, requestId);
    }
  }

  private stmt(sql: string): Database.Statement {
    return this.statements.prepare(sql);
  }

  private replaceApprovals(id: string, approvals: readonly Approval[]): void {
    this.stmt('DELETE FROM approvals WHERE request_id = ?').run(id);
    const insert = this.stmt('INSERT INTO approvals (request_id, approver_id, at) VALUES (?, ?, ?)');
    for (const a of approvals) insert.run(id, a.by.aadObjectId, Math.floor(a.at));
  }

  /** An audit entry on its own (an override, a rollback asked for); append-only like every other. */
  appendAudit(entry: AuditEntry): Promise<void> {
    return settle(() => {
      this.run(
        'appendAudit',
        () => {
          this.insertAudit(AuditEntry.parse(entry));
        },
        entry.requestId,
      );
    });
  }

  private insertAudit(entry: AuditEntry): void {
    this.stmt('INSERT INTO audit (request_id, customer_id, at, action, json) VALUES (?, ?, ?, ?, ?)').run(
      entry.requestId,
      entry.customerId,
      Math.floor(entry.at),
      entry.action,
      JSON.stringify(entry),
    );
  }

  /** Rows are an untrusted boundary: a hand-edited or half-migrated row fails loudly, naming the request. */
  private parseRequest(row: RequestRow): ChangeRequest {
    const value = safeJson(row.json);
    if (value === INVALID_JSON) throw unreadableRequest(this.logger, row.id, 'its JSON is not valid');
    const parsed = ChangeRequest.safeParse(value);
    if (!parsed.success) throw unreadableRequest(this.logger, row.id, parsed.error);
    const r = parsed.data;
    if (r.id !== row.id || r.state !== row.state || r.version !== row.version || r.customerId !== row.customer_id) {
      throw unreadableRequest(this.logger, row.id, 'its indexed columns disagree with its JSON');
    }
    return r;
  }
}
