import Database from 'better-sqlite3';
import type { z } from 'zod';
import { systemClock } from '../clock';
import { settle } from '../settle';
import { silentLogger, type Logger } from '../log';
import { Alert, AlertPost, CardClaim, isOpen, onCard, Silence, type WatchGap } from '../alerts/alert';
import type { AlertClaim, AlertFilter, AlertStore, AlertWrite, PruneOutcome } from '../alerts/alert-store';
import type { Clock } from '../clock';
import { matchesNothing } from './matches-nothing';
import { openSqliteDatabase, StatementCache, type SqliteDatabaseOptions } from './sqlite-database';
import { storeError, unreadableRow } from './store-errors';
import { parseStoredJson } from './stored-json';

export interface SqliteAlertStoreOptions extends SqliteDatabaseOptions {
  clock?: Clock;
  logger?: Logger;
}

const ALERT_COLUMNS = 'id, json';

/**
 * The embedded AlertStore, in the same SQLite file as the change store (its own connection). The partial unique
 * index on open alerts' keys is what deduplicates, whichever process writes; a lease is one conditional upsert.
 */
export class SqliteAlertStore implements AlertStore {
  private readonly statements: StatementCache;
  /**
   * Alert id → the JSON text of it that this connection last wrote (after validating it) or read and validated.
   * A row read back with exactly that text needs no second validation; any other text (another process's write, a
   * row changed by hand) is validated as ever.
   */
  private readonly validated = new Map<string, string>();

  private constructor(
    private readonly db: Database.Database,
    readonly file: string,
    private readonly logger: Logger,
  ) {
    this.statements = new StatementCache(db);
  }

  static open(options: SqliteAlertStoreOptions): Promise<SqliteAlertStore> {
    return settle(() => {
      const logger = options.logger ?? silentLogger;
      const db = openSqliteDatabase(options, (options.clock ?? systemClock).now(), logger, 'alert store');
      return new SqliteAlertStore(db, options.file, logger);
    });
  }

  createAlert(alert: Alert): Promise<boolean> {
    return this.run('createAlert', () => this.insert(alert));
  }

  updateAlert(next: Alert, expectVersion: number): Promise<boolean> {
    return this.run('updateAlert', () => this.replace(next, expectVersion));
  }

  saveAlerts(writes: readonly AlertWrite[]): Promise<boolean[]> {
    return this.run('saveAlerts', () =>
      this.db
        .transaction(() =>
          writes.map((w) => (w.expectVersion === undefined ? this.insert(w.alert) : this.replace(w.alert, w.expectVersion))),
        )
        .immediate(),
    );
  }

  /**
   * Each alert is read at its version and written back on the card in the same transaction: what is written is a
   * row read through the schema (or known to this connection) with the checked claim set, so it is not validated
   * again, a cost that was most of claiming one customer's outage of 2,000 alerts.
   */
  claimAlerts(claims: readonly AlertClaim[], claim: CardClaim): Promise<(Alert | undefined)[]> {
    return this.run('claimAlerts', () => {
      const mark = CardClaim.parse(claim);
      if (claims.length === 0) return [];
      const read = this.stmt(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = ? AND customer_id = ? AND version = ?`);
      const write = this.stmt(
        'UPDATE alerts SET group_id = @groupId, updated_at = @updatedAt, version = @version, json = @json WHERE id = @id AND version = @expectVersion',
      );
      return this.db
        .transaction(() =>
          claims.map(({ id, customerId, expectVersion }) => {
            const row = read.get(id, customerId, expectVersion) as Row | undefined;
            const current = row && this.parseAlert(row);
            // The columns are what the statements check; a row whose JSON says otherwise was changed by hand.
            if (!current || current.version !== expectVersion || current.id !== id || current.customerId !== customerId) return undefined;
            const next = onCard(current, mark);
            const json = JSON.stringify(next);
            const written = write.run({
              id,
              groupId: mark.groupId,
              updatedAt: Math.floor(mark.claimedAt),
              version: next.version,
              json,
              expectVersion,
            });
            if (written.changes !== 1) return undefined;
            this.remember(id, json);
            return next;
          }),
        )
        .immediate();
    });
  }

  getAlert(id: string): Promise<Alert | undefined> {
    return this.run('getAlert', () => {
      const row = this.stmt(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = ?`).get(id) as Row | undefined;
      return row ? this.parseAlert(row) : undefined;
    });
  }

  listAlerts(filter: AlertFilter): Promise<Alert[]> {
    return this.run('listAlerts', () => {
      if (matchesNothing(filter)) return [];
      const rows = this.stmt(
        `SELECT ${ALERT_COLUMNS} FROM alerts WHERE ${ALERT_FILTER} ORDER BY updated_at DESC, id DESC LIMIT @limit`,
      ).all({
        ...filterParameters(filter),
        limit: filter.limit === undefined ? -1 : Math.floor(filter.limit),
      }) as Row[];
      return rows.map((r) => this.parseAlert(r));
    });
  }

  countAlerts(filter: AlertFilter): Promise<number> {
    return this.run('countAlerts', () => {
      if (matchesNothing(filter)) return 0;
      const row = this.stmt(`SELECT COUNT(*) AS n FROM alerts WHERE ${ALERT_FILTER}`).get(filterParameters(filter)) as { n: number };
      return row.n;
    });
  }

  alertsInGroup(customerId: string, groupId: string): Promise<Alert[]> {
    return this.run('alertsInGroup', () => {
      const rows = this.stmt(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE customer_id = ? AND group_id = ?`).all(
        customerId,
        groupId,
      ) as Row[];
      return rows.map((r) => this.parseAlert(r));
    });
  }

  addAlertPost(post: AlertPost): Promise<void> {
    return this.run('addAlertPost', () => {
      const p = AlertPost.parse(post);
      this.stmt(
        `INSERT INTO alert_posts (group_id, customer_id, conversation_key, activity_id, at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      ).run(p.groupId, p.customerId, p.conversationKey, p.activityId, Math.floor(p.at));
    });
  }

  alertPosts(customerId: string, groupId: string): Promise<AlertPost[]> {
    return this.run('alertPosts', () => {
      const rows = this.stmt(
        `SELECT group_id AS groupId, customer_id AS customerId, conversation_key AS conversationKey, activity_id AS activityId, at
         FROM alert_posts WHERE customer_id = ? AND group_id = ? ORDER BY at, activity_id`,
      ).all(customerId, groupId);
      return rows.map((r) => {
        const parsed = AlertPost.safeParse(r);
        if (!parsed.success) throw unreadableRow(this.logger, `a post of alert card ${groupId}`, parsed.error);
        return parsed.data;
      });
    });
  }

  createSilence(silence: Silence): Promise<void> {
    return this.run('createSilence', () => {
      const s = Silence.parse(silence);
      this.stmt('INSERT INTO silences (id, customer_id, ends_at, ended, json) VALUES (?, ?, ?, ?, ?)').run(
        s.id,
        s.customerId,
        Math.floor(s.endsAt),
        s.ended ? 1 : 0,
        JSON.stringify(s),
      );
    });
  }

  getSilence(id: string): Promise<Silence | undefined> {
    return this.run('getSilence', () => {
      const row = this.stmt('SELECT id, json FROM silences WHERE id = ?').get(id) as Row | undefined;
      return row ? this.parse(Silence, row, 'silence') : undefined;
    });
  }

  listSilences(filter: { customerIds: readonly string[]; endingAfter: number }): Promise<Silence[]> {
    return this.run('listSilences', () => {
      if (matchesNothing(filter)) return [];
      const rows = this.stmt(
        `SELECT id, json FROM silences
         WHERE customer_id IN (SELECT value FROM json_each(?)) AND ended = 0 AND ends_at > ?
         ORDER BY ends_at DESC, id DESC`,
      ).all(JSON.stringify(filter.customerIds), Math.floor(filter.endingAfter)) as Row[];
      return rows.map((r) => this.parse(Silence, r, 'silence'));
    });
  }

  endSilence(id: string, ended: NonNullable<Silence['ended']>): Promise<boolean> {
    return this.run('endSilence', () => {
      const changed = this.stmt(`UPDATE silences SET ended = 1, json = json_set(json, '$.ended', json(?)) WHERE id = ? AND ended = 0`).run(
        JSON.stringify(ended),
        id,
      );
      return changed.changes === 1;
    });
  }

  claimLeases(names: readonly string[], owner: string, now: number, ttlMs: number): Promise<string[]> {
    return this.run('claimLeases', () =>
      this.db
        .transaction(() => {
          const claim = this.stmt(
            `INSERT INTO leases (name, owner, until) VALUES (@name, @owner, @until)
             ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until
             WHERE leases.owner = excluded.owner OR leases.until <= @now`,
          );
          return names.filter((name) => claim.run({ name, owner, until: Math.floor(now + ttlMs), now: Math.floor(now) }).changes === 1);
        })
        .immediate(),
    );
  }

  releaseLeases(names: readonly string[], owner: string): Promise<void> {
    return this.run('releaseLeases', () => {
      const release = this.stmt('UPDATE leases SET until = 0 WHERE name = ? AND owner = ?');
      this.db.transaction(() => names.forEach((name) => release.run(name, owner))).immediate();
    });
  }

  listWatchGaps(customerIds: readonly string[]): Promise<WatchGap[]> {
    return this.run('listWatchGaps', () =>
      this.stmt(`SELECT ${GAP_COLUMNS} FROM watch_gaps WHERE customer_id IN (SELECT value FROM json_each(?)) ORDER BY customer_id`)
        .all(JSON.stringify(customerIds))
        .map((r) => toGap(r as GapRow)),
    );
  }

  openWatchGap(customerId: string, since: number): Promise<WatchGap> {
    return this.run('openWatchGap', () =>
      this.db
        .transaction(() => {
          this.stmt('INSERT INTO watch_gaps (customer_id, since, told) VALUES (?, ?, 0) ON CONFLICT (customer_id) DO NOTHING').run(
            customerId,
            Math.floor(since),
          );
          return toGap(this.stmt(`SELECT ${GAP_COLUMNS} FROM watch_gaps WHERE customer_id = ?`).get(customerId) as GapRow);
        })
        .immediate(),
    );
  }

  tellWatchGap(customerId: string, since: number, by: string): Promise<boolean> {
    return this.run('tellWatchGap', () => {
      const at = Math.floor(since);
      if (
        this.stmt('UPDATE watch_gaps SET told = 1, told_by = ? WHERE customer_id = ? AND since = ? AND told = 0').run(by, customerId, at)
          .changes === 1
      )
        return true;
      // Told by this very caller before: still its own, as the Table store answers a write retried after a lost answer.
      return (
        this.stmt('SELECT 1 FROM watch_gaps WHERE customer_id = ? AND since = ? AND told = 1 AND told_by = ?').get(customerId, at, by) !==
        undefined
      );
    });
  }

  untellWatchGap(customerId: string, since: number, by: string): Promise<void> {
    return this.run('untellWatchGap', () => {
      this.stmt("UPDATE watch_gaps SET told = 0, told_by = '' WHERE customer_id = ? AND since = ? AND told = 1 AND told_by = ?").run(
        customerId,
        Math.floor(since),
        by,
      );
    });
  }

  closeWatchGap(customerId: string, since: number): Promise<WatchGap | undefined> {
    return this.run('closeWatchGap', () => {
      const row = this.stmt(`DELETE FROM watch_gaps WHERE customer_id = ? AND since = ? RETURNING ${GAP_COLUMNS}`).get(
        customerId,
        Math.floor(since),
      ) as GapRow | undefined;
      return row && toGap(row);
    });
  }

  prune(before: number): Promise<PruneOutcome> {
    return this.run('prune', () =>
      this.db
        .transaction((): PruneOutcome => {
          const cutoff = Math.floor(before);
          const groups = this.stmt(
            `SELECT DISTINCT customer_id AS customerId, group_id AS groupId FROM alerts
             WHERE open = 0 AND resolved_at < ? AND group_id IS NOT NULL`,
          ).all(cutoff) as { customerId: string; groupId: string }[];
          const alerts = this.stmt('DELETE FROM alerts WHERE open = 0 AND resolved_at < ?').run(cutoff).changes;
          const posts = this.stmt(
            `DELETE FROM alert_posts WHERE customer_id = ? AND group_id = ?
               AND NOT EXISTS (SELECT 1 FROM alerts WHERE customer_id = ? AND group_id = ?)`,
          );
          for (const g of groups) posts.run(g.customerId, g.groupId, g.customerId, g.groupId);
          const silences = this.stmt('DELETE FROM silences WHERE ends_at < ?').run(cutoff).changes;
          return { alerts, silences };
        })
        .immediate(),
    );
  }

  close(): Promise<void> {
    return settle(() => {
      if (!this.db.open) return;
      this.statements.clear();
      this.db.close();
    });
  }

  private insert(alert: Alert): boolean {
    const a = Alert.parse(alert);
    const row = columns(a);
    try {
      this.stmt(
        `INSERT INTO alerts (id, key, customer_id, state, open, group_id, updated_at, resolved_at, version, json)
         VALUES (@id, @key, @customerId, @state, @open, @groupId, @updatedAt, @resolvedAt, @version, @json)`,
      ).run(row);
      this.remember(row.id, row.json);
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }

  private replace(next: Alert, expectVersion: number): boolean {
    const a = Alert.parse(next);
    if (a.version !== expectVersion + 1) throw new Error(`alert ${a.id}: version ${a.version} does not follow ${expectVersion}`);
    const row = columns(a);
    try {
      const changed = this.stmt(
        `UPDATE alerts SET key = @key, customer_id = @customerId, state = @state, open = @open, group_id = @groupId,
           updated_at = @updatedAt, resolved_at = @resolvedAt, version = @version, json = @json
         WHERE id = @id AND version = @expectVersion`,
      ).run({ ...row, expectVersion });
      if (changed.changes !== 1) return false;
      this.remember(row.id, row.json);
      return true;
    } catch (e) {
      // Reopened while another alert of its key is open: the other one stands.
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }

  private run<T>(operation: string, fn: () => T): Promise<T> {
    return settle(() => {
      try {
        return fn();
      } catch (e) {
        throw storeError(e, operation, this.file, this.logger);
      }
    });
  }

  private stmt(sql: string): Database.Statement {
    return this.statements.prepare(sql);
  }

  /**
   * An alert row: validated like every row, unless its text is exactly what this connection last validated for that
   * alert (wrote, or read before); then it is only JSON-parsed, a fresh object as ever.
   */
  private parseAlert(row: Row): Alert {
    if (this.validated.get(row.id) === row.json) return JSON.parse(row.json) as Alert;
    const alert = this.parse(Alert, row, 'alert');
    // Only when validation gave back just what the text says (nothing stripped): parsing it again gives the same.
    if (JSON.stringify(alert) === row.json) this.remember(row.id, row.json);
    return alert;
  }

  private remember(id: string, json: string): void {
    if (this.validated.size >= 20_000 && !this.validated.has(id)) this.validated.clear();
    this.validated.set(id, json);
  }

  /** Rows are an untrusted boundary: one that no longer parses fails loudly, naming it. */
  private parse<S extends z.ZodType>(schema: S, row: Row, what: string): z.infer<S> {
    return parseStoredJson(schema, row.json, `${what} ${row.id}`, this.logger);
  }
}

interface Row {
  id: string;
  json: string;
}

const GAP_COLUMNS = 'customer_id AS customerId, since, told';
/** The table is STRICT and `told` checked to be 0 or 1, so a row is a gap as it stands. */
type GapRow = { customerId: string; since: number; told: number };
const toGap = (r: GapRow): WatchGap => ({ customerId: r.customerId, since: r.since, told: r.told === 1 });

/** What listAlerts and countAlerts select, with filterParameters. */
const ALERT_FILTER = `customer_id IN (SELECT value FROM json_each(@customerIds))
  AND (open = 1 OR (@resolvedSince IS NOT NULL AND resolved_at >= @resolvedSince))
  AND (@firedOnly = 0 OR (state <> 'pending' AND json_extract(json, '$.firedAt') IS NOT NULL))`;

function filterParameters(filter: AlertFilter) {
  return {
    customerIds: JSON.stringify(filter.customerIds),
    resolvedSince: filter.resolvedSince ?? null,
    firedOnly: filter.firedOnly === true ? 1 : 0,
  };
}

function columns(a: Alert) {
  return {
    id: a.id,
    key: a.key,
    customerId: a.customerId,
    state: a.state,
    open: isOpen(a) ? 1 : 0,
    groupId: a.groupId ?? null,
    updatedAt: Math.floor(a.updatedAt),
    resolvedAt: a.resolvedAt === undefined ? null : Math.floor(a.resolvedAt),
    version: a.version,
    json: JSON.stringify(a),
  };
}

function isUniqueViolation(e: unknown): boolean {
  return e instanceof Database.SqliteError && (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY');
}
