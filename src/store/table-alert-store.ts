import { createHash } from 'node:crypto';
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import { settle } from '../settle';
import type { Logger } from '../log';
import { Alert, AlertPost, CardClaim, isOpen, onCard, Silence, WatchGap } from '../alerts/alert';
import type { AlertClaim, AlertFilter, AlertStore, AlertWrite, PruneOutcome } from '../alerts/alert-store';
import { matchesNothing } from './matches-nothing';
import { openTableClients, type TableChangeStoreOptions } from './open-table-clients';
import { storeClosed } from './store-errors';
import { parseStoredJson } from './stored-json';
import { checkSize } from './table-entities';
import { isStatus, isWriteConflict, tableFailure, tableStoreError } from './table-errors';
import { encodeKey, rowKeyRange } from './table-keys';

/**
 * Row layout: everything of one customer in one partition (`c|<customer>`): alert rows, one "open key" row per
 * open alert (its RowKey is the hashed dedup key, so a second open alert of the key cannot be created: 409), card
 * posts and silences. An alert and its open-key row change in one entity-group transaction under the alert's
 * etag. Ids typed by people are looked up through the `ids` partition; leases live in the `leases` partition, and the
 * watcher's gaps in the `gaps` partition.
 */
const ALERT_PREFIX = 'alert|';
const OPEN_PREFIX = 'open|';
const POST_PREFIX = 'post|';
const SILENCE_PREFIX = 'silence|';
const IDS_PARTITION = 'ids';
const LEASE_PARTITION = 'leases';
/** The watcher's gaps, one row per customer (RowKey its encoded id): a handful, read whole. */
const GAP_PARTITION = 'gaps';

/** A gap row marked closed: no gap to anyone (its closer removes it next). */
const isClosed = (row: { closedBy?: unknown }): boolean => typeof row.closedBy === 'string' && row.closedBy !== '';
const customerPartition = (customerId: string) => `c|${encodeKey(customerId)}`;
/** Times as zero-padded text: a string comparison in a $filter is exact whatever numeric type the service stored. */
const stamp = (ms: number) => String(Math.max(0, Math.floor(ms))).padStart(15, '0');
const hash = (value: string) => createHash('sha256').update(value).digest('hex');
const openRowKey = (key: string) => OPEN_PREFIX + hash(key);

interface JsonRow {
  json?: unknown;
  etag?: string;
  rowKey?: string;
}

interface GapRow {
  customerId?: unknown;
  since?: unknown;
  told?: unknown;
  /** The instance that told it (its watcher's id): how a retried write knows it was its own. */
  toldBy?: unknown;
  /** Set by the instance closing it, just before the row is removed: a row with it is no gap. */
  closedBy?: unknown;
}

export type TableAlertStoreOptions = TableChangeStoreOptions;

export class TableAlertStore implements AlertStore {
  private closed = false;

  private constructor(
    private readonly table: TableClient,
    readonly where: string,
    private readonly logger: Logger,
  ) {}

  static async open(options: TableAlertStoreOptions): Promise<TableAlertStore> {
    const tables = await openTableClients(options);
    return new TableAlertStore(tables.alerts, tables.where, tables.logger);
  }

  /**
   * The id row first, then the alert and its open-key row in one transaction: an alert row is never without the id
   * row that `getAlert` finds it by, and a create retried after a failure heals (the id row is already there). An
   * id row whose alert was not written (the create lost the key, or failed) is removed again; only a crash between
   * the two writes leaves one, which finds nothing.
   */
  async createAlert(alert: Alert): Promise<boolean> {
    return this.run('createAlert', async () => {
      const a = Alert.parse(alert);
      const pk = customerPartition(a.customerId);
      const actions: TransactionAction[] = [['create', this.alertEntity(a)]];
      if (isOpen(a)) actions.push(['create', { partitionKey: pk, rowKey: openRowKey(a.key), alertId: a.id }]);
      await this.index(a.id, a.customerId);
      try {
        await this.table.submitTransaction(actions);
        return true;
      } catch (e) {
        await this.unindexIfAbsent(a.id, pk);
        if (isWriteConflict(e)) return false;
        throw e;
      }
    });
  }

  async updateAlert(next: Alert, expectVersion: number): Promise<boolean> {
    return this.run('updateAlert', async () => {
      const a = Alert.parse(next);
      if (a.version !== expectVersion + 1) throw new Error(`alert ${a.id}: version ${a.version} does not follow ${expectVersion}`);
      const pk = customerPartition(a.customerId);
      const row = await this.getRow(pk, ALERT_PREFIX + a.id);
      if (!row?.etag) return false;
      const current = this.parse(Alert, row, `alert ${a.id}`);
      if (current.version !== expectVersion) return false;
      const actions: TransactionAction[] = [['update', this.alertEntity(a), 'Replace', { etag: row.etag }]];
      if (isOpen(current) && !isOpen(a)) actions.push(['delete', { partitionKey: pk, rowKey: openRowKey(current.key) }]);
      if (!isOpen(current) && isOpen(a)) actions.push(['create', { partitionKey: pk, rowKey: openRowKey(a.key), alertId: a.id }]);
      try {
        await this.table.submitTransaction(actions);
        return true;
      } catch (e) {
        if (isWriteConflict(e) || isStatus(e, 404)) return false;
        throw e;
      }
    });
  }

  /** No transaction spans a customer's alerts and their open-key rows here: each write is its own. */
  async saveAlerts(writes: readonly AlertWrite[]): Promise<boolean[]> {
    return eachOnItsOwn(
      writes.map((w) => (w.expectVersion === undefined ? this.createAlert(w.alert) : this.updateAlert(w.alert, w.expectVersion))),
    );
  }

  /** Each alert read and replaced under its etag, on its own (its open-key row does not change). */
  async claimAlerts(claims: readonly AlertClaim[], claim: CardClaim): Promise<(Alert | undefined)[]> {
    return this.run('claimAlerts', async () => {
      const mark = CardClaim.parse(claim);
      return eachOnItsOwn(claims.map((c) => this.claimOne(c, mark)));
    });
  }

  private async claimOne({ id, customerId, expectVersion }: AlertClaim, mark: CardClaim): Promise<Alert | undefined> {
    const row = await this.getRow(customerPartition(customerId), ALERT_PREFIX + id);
    if (!row?.etag) return undefined;
    const current = this.parse(Alert, row, `alert ${id}`);
    if (current.version !== expectVersion || current.id !== id || current.customerId !== customerId) return undefined;
    const next = onCard(current, mark);
    try {
      await this.table.updateEntity(this.alertEntity(next), 'Replace', { etag: row.etag });
      return next;
    } catch (e) {
      if (isWriteConflict(e) || isStatus(e, 404)) return undefined;
      throw e;
    }
  }

  async getAlert(id: string): Promise<Alert | undefined> {
    return this.run('getAlert', async () => {
      const customerId = await this.customerOf(id);
      if (customerId === undefined) return undefined;
      const row = await this.getRow(customerPartition(customerId), ALERT_PREFIX + id);
      return row ? this.parse(Alert, row, `alert ${id}`) : undefined;
    });
  }

  async listAlerts(filter: AlertFilter): Promise<Alert[]> {
    return this.run('listAlerts', async () => {
      const found = await this.matching(filter);
      return filter.limit === undefined ? found : found.slice(0, Math.floor(filter.limit));
    });
  }

  async countAlerts(filter: AlertFilter): Promise<number> {
    return this.run('countAlerts', async () => (await this.matching(filter)).length);
  }

  /** The alerts a filter selects, newest first; each customer's partition is one query. */
  private async matching(filter: AlertFilter): Promise<Alert[]> {
    if (matchesNothing(filter)) return [];
    const since = filter.resolvedSince;
    const lists = await Promise.all(
      filter.customerIds.map((c) => {
        const which = since === undefined ? odata`open eq true` : odata`(open eq true or resolvedAt ge ${stamp(since)})`;
        return this.query(Alert, customerPartition(c), ALERT_PREFIX, which, 'alert');
      }),
    );
    const found = filter.firedOnly === true ? lists.flat().filter((a) => a.state !== 'pending' && a.firedAt !== undefined) : lists.flat();
    return found.sort((a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? 1 : -1));
  }

  async alertsInGroup(customerId: string, groupId: string): Promise<Alert[]> {
    return this.run('alertsInGroup', () =>
      this.query(Alert, customerPartition(customerId), ALERT_PREFIX, odata`groupId eq ${groupId}`, 'alert'),
    );
  }

  async addAlertPost(post: AlertPost): Promise<void> {
    await this.run('addAlertPost', async () => {
      const p = AlertPost.parse(post);
      const entity = {
        partitionKey: customerPartition(p.customerId),
        rowKey: `${POST_PREFIX}${encodeKey(p.groupId)}|${hash(JSON.stringify([p.conversationKey, p.activityId]))}`,
        at: p.at,
        json: JSON.stringify(p),
      };
      checkSize(`a post of alert card ${p.groupId}`, entity.json);
      try {
        await this.table.createEntity(entity);
      } catch (e) {
        if (!isStatus(e, 409)) throw e;
      }
    });
  }

  async alertPosts(customerId: string, groupId: string): Promise<AlertPost[]> {
    return this.run('alertPosts', async () => {
      const posts = await this.query(
        AlertPost,
        customerPartition(customerId),
        `${POST_PREFIX}${encodeKey(groupId)}|`,
        undefined,
        'alert post',
      );
      return posts.sort((a, b) => a.at - b.at || a.activityId.localeCompare(b.activityId));
    });
  }

  async createSilence(silence: Silence): Promise<void> {
    await this.run('createSilence', async () => {
      const s = Silence.parse(silence);
      const entity = this.silenceEntity(s);
      await this.index(s.id, s.customerId);
      try {
        await this.table.createEntity(entity);
      } catch (e) {
        await this.unindexIfAbsent(s.id, entity.partitionKey, SILENCE_PREFIX);
        throw e;
      }
    });
  }

  async getSilence(id: string): Promise<Silence | undefined> {
    return this.run('getSilence', async () => {
      const customerId = await this.customerOf(id);
      if (customerId === undefined) return undefined;
      const row = await this.getRow(customerPartition(customerId), SILENCE_PREFIX + id);
      return row ? this.parse(Silence, row, `silence ${id}`) : undefined;
    });
  }

  async listSilences(filter: { customerIds: readonly string[]; endingAfter: number }): Promise<Silence[]> {
    return this.run('listSilences', async () => {
      if (matchesNothing(filter)) return [];
      const lists = await Promise.all(
        filter.customerIds.map((c) =>
          this.query(
            Silence,
            customerPartition(c),
            SILENCE_PREFIX,
            odata`ended eq false and endsAt gt ${stamp(filter.endingAfter)}`,
            'silence',
          ),
        ),
      );
      return lists.flat().sort((a, b) => b.endsAt - a.endsAt || (a.id < b.id ? 1 : -1));
    });
  }

  async endSilence(id: string, ended: NonNullable<Silence['ended']>): Promise<boolean> {
    return this.run('endSilence', async () => {
      const customerId = await this.customerOf(id);
      if (customerId === undefined) return false;
      const row = await this.getRow(customerPartition(customerId), SILENCE_PREFIX + id);
      if (!row?.etag) return false;
      const silence = this.parse(Silence, row, `silence ${id}`);
      if (silence.ended) return false;
      try {
        await this.table.updateEntity(this.silenceEntity({ ...silence, ended }), 'Replace', { etag: row.etag });
        return true;
      } catch (e) {
        if (isWriteConflict(e)) return false;
        throw e;
      }
    });
  }

  async claimLeases(names: readonly string[], owner: string, now: number, ttlMs: number): Promise<string[]> {
    return this.run('claimLeases', async () => {
      const held = await Promise.all(names.map((name) => this.claimLease(name, owner, now, ttlMs)));
      return names.filter((_, i) => held[i]);
    });
  }

  async releaseLeases(names: readonly string[], owner: string): Promise<void> {
    await this.run('releaseLeases', async () => {
      await Promise.all(
        names.map(async (name) => {
          const row = await this.getRow<{ owner?: unknown }>(LEASE_PARTITION, encodeKey(name));
          if (!row?.etag || row.owner !== owner) return;
          await this.table
            .updateEntity({ partitionKey: LEASE_PARTITION, rowKey: encodeKey(name), owner, until: 0 }, 'Replace', { etag: row.etag })
            .catch((e: unknown) => {
              if (!isWriteConflict(e)) throw e;
            });
        }),
      );
    });
  }

  async listWatchGaps(customerIds: readonly string[]): Promise<WatchGap[]> {
    return this.run('listWatchGaps', async () => {
      const wanted = new Set(customerIds.map(encodeKey));
      const gaps: WatchGap[] = [];
      const rows = this.table.listEntities<GapRow>({ queryOptions: { filter: odata`PartitionKey eq ${GAP_PARTITION}` } });
      for await (const row of rows) {
        if (!wanted.has(row.rowKey ?? '')) continue;
        const gap = this.parseGap(row);
        if (gap) gaps.push(gap);
      }
      return gaps.sort((x, y) => (x.customerId < y.customerId ? -1 : x.customerId > y.customerId ? 1 : 0));
    });
  }

  async openWatchGap(customerId: string, since: number): Promise<WatchGap> {
    return this.run('openWatchGap', async () => {
      const gap = WatchGap.parse({ customerId, since: Math.floor(since), told: false });
      const entity = { partitionKey: GAP_PARTITION, rowKey: encodeKey(customerId), ...gap, toldBy: '' };
      for (let attempt = 1; ; attempt++) {
        const row = await this.getRow<GapRow>(GAP_PARTITION, entity.rowKey);
        const open = row && this.parseGap(row);
        // Open already: that one stands.
        if (open) return open;
        try {
          // None, or one that cannot be read (logged): a new one, under the etag of what was read.
          if (row?.etag) await this.table.updateEntity(entity, 'Replace', { etag: row.etag });
          else await this.table.createEntity(entity);
          return gap;
        } catch (e) {
          // Another instance opened (or closed) it meanwhile: read again.
          if (!(isWriteConflict(e) || isStatus(e, 404)) || attempt >= 3) throw e;
        }
      }
    });
  }

  async tellWatchGap(customerId: string, since: number, by: string): Promise<boolean> {
    return this.run('tellWatchGap', async () => {
      const rowKey = encodeKey(customerId);
      const at = Math.floor(since);
      // Told by this caller: a write of its own that landed though its answer was lost (the SDK's retry then got
      // 412, or the caller saw an error and tried again).
      const toldByMe = (r: GapRow | undefined) => r !== undefined && !isClosed(r) && r.told === true && r.toldBy === by && r.since === at;
      const row = await this.getRow<GapRow>(GAP_PARTITION, rowKey);
      if (toldByMe(row)) return true;
      const gap = row && this.parseGap(row);
      if (!row?.etag || !gap || gap.since !== at || gap.told) return false;
      try {
        await this.table.updateEntity({ partitionKey: GAP_PARTITION, rowKey, ...gap, told: true, toldBy: by }, 'Replace', {
          etag: row.etag,
        });
        return true;
      } catch (e) {
        if (!(isWriteConflict(e) || isStatus(e, 404))) throw e;
        return toldByMe(await this.getRow<GapRow>(GAP_PARTITION, rowKey));
      }
    });
  }

  async untellWatchGap(customerId: string, since: number, by: string): Promise<void> {
    return this.run('untellWatchGap', async () => {
      const rowKey = encodeKey(customerId);
      const row = await this.getRow<GapRow>(GAP_PARTITION, rowKey);
      const gap = row && this.parseGap(row);
      if (!row?.etag || !gap || gap.since !== Math.floor(since) || !gap.told || row.toldBy !== by) return;
      await this.table
        .updateEntity({ partitionKey: GAP_PARTITION, rowKey, ...gap, told: false, toldBy: '' }, 'Replace', { etag: row.etag })
        .catch((e: unknown) => {
          // Changed meanwhile: closed, or this very write landed though its answer was lost (the SDK's retry got 412).
          // Either way no tell of `by` is left to take back.
          if (!(isWriteConflict(e) || isStatus(e, 404))) throw e;
        });
    });
  }

  async closeWatchGap(customerId: string, since: number, by: string): Promise<WatchGap | undefined> {
    return this.run('closeWatchGap', async () => {
      const rowKey = encodeKey(customerId);
      const at = Math.floor(since);
      const row = await this.getRow<GapRow>(GAP_PARTITION, rowKey);
      const gap = row && this.parseGap(row, { closedToo: true });
      if (!row?.etag || !gap || gap.since !== at) return undefined;
      // Marked closed by this caller first, then removed under the mark's etag: a write of its own that landed
      // though its answer was lost is found by its mark, and a newer gap written meanwhile is never removed.
      let etag: string | undefined = row.etag;
      if (isClosed(row)) {
        if (row.closedBy !== by) return undefined;
      } else {
        try {
          const marked = { partitionKey: GAP_PARTITION, rowKey, ...gap, toldBy: row.toldBy ?? '', closedBy: by };
          etag = (await this.table.updateEntity(marked, 'Replace', { etag: row.etag })).etag;
        } catch (e) {
          if (!(isWriteConflict(e) || isStatus(e, 404))) throw e;
          const now = await this.getRow<GapRow>(GAP_PARTITION, rowKey);
          if (!(now?.etag && now.closedBy === by && now.since === at)) return undefined;
          etag = now.etag;
        }
      }
      if (etag) {
        await this.table.deleteEntity(GAP_PARTITION, rowKey, { etag }).catch((e: unknown) => {
          // Gone, or replaced by a newer gap: either way not this one's to remove. A closed row left behind counts as none.
          if (!(isWriteConflict(e) || isStatus(e, 404)))
            this.logger.warn({ err: e, customerId }, 'a closed watch gap could not be removed; it counts as closed');
        });
      }
      return gap;
    });
  }

  /**
   * One query across every customer's partition per kind of row (an occasional sweep), then each row deleted under
   * its etag, with its id row; a card's posts go once none of its alerts is left.
   */
  async prune(before: number): Promise<PruneOutcome> {
    return this.run('prune', async () => {
      const outcome: PruneOutcome = { alerts: 0, silences: 0 };
      const groups = new Map<string, { pk: string; groupId: string }>();
      const old = (prefix: string, where: string) => {
        const range = rowKeyRange(prefix);
        const filter = `${odata`RowKey ge ${range.from} and RowKey lt ${range.to}`} and ${where}`;
        return this.table.listEntities<{ groupId?: unknown }>({ queryOptions: { filter, select: ['PartitionKey', 'RowKey', 'groupId'] } });
      };
      for await (const row of old(ALERT_PREFIX, odata`open eq false and resolvedAt lt ${stamp(before)}`)) {
        if (!(await this.deleteWithId(row, ALERT_PREFIX))) continue;
        outcome.alerts++;
        const pk = row.partitionKey ?? '';
        if (typeof row.groupId === 'string' && row.groupId !== '') groups.set(`${pk}|${row.groupId}`, { pk, groupId: row.groupId });
      }
      for (const { pk, groupId } of groups.values()) {
        const left = await this.query(Alert, pk, ALERT_PREFIX, odata`groupId eq ${groupId}`, 'alert');
        if (left.length > 0) continue;
        const range = rowKeyRange(`${POST_PREFIX}${encodeKey(groupId)}|`);
        const filter = odata`PartitionKey eq ${pk} and RowKey ge ${range.from} and RowKey lt ${range.to}`;
        for await (const post of this.table.listEntities({ queryOptions: { filter, select: ['PartitionKey', 'RowKey'] } })) {
          await this.table.deleteEntity(pk, post.rowKey ?? '').catch((e: unknown) => {
            if (!isStatus(e, 404)) throw e;
          });
        }
      }
      for await (const row of old(SILENCE_PREFIX, odata`endsAt lt ${stamp(before)}`)) {
        if (await this.deleteWithId(row, SILENCE_PREFIX)) outcome.silences++;
      }
      return outcome;
    });
  }

  close(): Promise<void> {
    return settle(() => {
      this.closed = true;
    });
  }

  /** Deletes an alert or silence row under its etag, then its id row; false when it changed or went meanwhile. */
  private async deleteWithId(row: { partitionKey?: string; rowKey?: string; etag?: string }, prefix: string): Promise<boolean> {
    const { partitionKey, rowKey, etag } = row;
    if (partitionKey === undefined || rowKey === undefined) return false;
    try {
      await this.table.deleteEntity(partitionKey, rowKey, { etag: etag ?? '*' });
    } catch (e) {
      if (isWriteConflict(e) || isStatus(e, 404)) return false;
      throw e;
    }
    await this.table.deleteEntity(IDS_PARTITION, encodeKey(rowKey.slice(prefix.length))).catch((e: unknown) => {
      if (!isStatus(e, 404)) throw e;
    });
    return true;
  }

  /** One lease: created if missing, taken over if expired, renewed if ours; each under its etag. */
  private async claimLease(name: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    const entity = { partitionKey: LEASE_PARTITION, rowKey: encodeKey(name), owner, until: now + ttlMs };
    const row = await this.getRow<{ owner?: unknown; until?: unknown }>(LEASE_PARTITION, entity.rowKey);
    try {
      if (!row) await this.table.createEntity(entity);
      else if (row.owner === owner || (typeof row.until === 'number' && row.until <= now)) {
        await this.table.updateEntity(entity, 'Replace', { etag: row.etag ?? '*' });
      } else return false;
      return true;
    } catch (e) {
      if (isWriteConflict(e)) return false;
      throw e;
    }
  }

  private alertEntity(a: Alert) {
    const json = JSON.stringify(a);
    checkSize(`alert ${a.id}`, json);
    return {
      partitionKey: customerPartition(a.customerId),
      rowKey: ALERT_PREFIX + a.id,
      open: isOpen(a),
      state: a.state,
      groupId: a.groupId ?? '',
      resolvedAt: stamp(a.resolvedAt ?? 0),
      version: a.version,
      json,
    };
  }

  private silenceEntity(s: Silence) {
    const json = JSON.stringify(s);
    checkSize(`silence ${s.id}`, json);
    return {
      partitionKey: customerPartition(s.customerId),
      rowKey: SILENCE_PREFIX + s.id,
      endsAt: stamp(s.endsAt),
      ended: s.ended !== undefined,
      json,
    };
  }

  /** Records whose an id is, so `ack <id>` and `unsilence <id>` find its partition. */
  private async index(id: string, customerId: string): Promise<void> {
    try {
      await this.table.createEntity({ partitionKey: IDS_PARTITION, rowKey: encodeKey(id), customerId });
    } catch (e) {
      if (!isStatus(e, 409)) throw e;
      if ((await this.customerOf(id)) !== customerId) throw new Error(`id ${id} is already used by another customer`);
    }
  }

  /**
   * Removes the id row of an alert (or silence) whose create did not happen, unless its row is there after all (the
   * same create, retried after a timeout that hid its success). Best effort: a failure here leaves a row that
   * finds nothing, and the create's own outcome stands.
   */
  private async unindexIfAbsent(id: string, pk: string, prefix = ALERT_PREFIX): Promise<void> {
    try {
      if (await this.getRow(pk, prefix + id)) return;
      await this.table.deleteEntity(IDS_PARTITION, encodeKey(id));
    } catch (e) {
      this.logger.debug(
        { err: e instanceof Error ? e.message : String(e), id },
        'could not remove the id row of a create that did not happen',
      );
    }
  }

  private async customerOf(id: string): Promise<string | undefined> {
    const row = await this.getRow<{ customerId?: unknown }>(IDS_PARTITION, encodeKey(id));
    return typeof row?.customerId === 'string' ? row.customerId : undefined;
  }

  private async query<S extends z.ZodType>(
    schema: S,
    pk: string,
    prefix: string,
    where: string | undefined,
    what: string,
  ): Promise<z.infer<S>[]> {
    const range = rowKeyRange(prefix);
    const filter = [odata`PartitionKey eq ${pk} and RowKey ge ${range.from} and RowKey lt ${range.to}`, ...(where ? [where] : [])].join(
      ' and ',
    );
    const out: z.infer<S>[] = [];
    for await (const row of this.table.listEntities<JsonRow>({ queryOptions: { filter, select: ['RowKey', 'json'] } })) {
      out.push(this.parse(schema, row, `${what} ${row.rowKey ?? ''}`));
    }
    return out;
  }

  private async getRow<T extends object = JsonRow>(pk: string, rowKey: string): Promise<(T & JsonRow) | undefined> {
    try {
      return await this.table.getEntity<T & JsonRow>(pk, rowKey);
    } catch (e) {
      if (isStatus(e, 404) && tableFailure(e)?.code !== 'TableNotFound') return undefined;
      throw e;
    }
  }

  /**
   * A gap row is its columns (no JSON), read through the schema all the same. One marked closed is no gap; one that
   * does not parse (edited by hand, say) is logged and treated as none. Either is replaced by the next gap opened.
   */
  private parseGap(row: GapRow & { rowKey?: string }, options: { closedToo?: boolean } = {}): WatchGap | undefined {
    if (isClosed(row) && options.closedToo !== true) return undefined;
    const parsed = WatchGap.safeParse({ customerId: row.customerId, since: row.since, told: row.told });
    if (parsed.success && encodeKey(parsed.data.customerId) === row.rowKey) return parsed.data;
    this.logger.error(
      {
        what: `watch gap ${row.rowKey ?? '?'}`,
        reason: parsed.success ? 'its customer is not its row key' : z.prettifyError(parsed.error),
      },
      'unreadable watch gap in the alert store: ignored, and replaced when that customer next cannot be read',
    );
    return undefined;
  }

  private parse<S extends z.ZodType>(schema: S, row: JsonRow, what: string): z.infer<S> {
    return parseStoredJson(schema, row.json, what, this.logger);
  }

  private async run<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    if (this.closed) throw storeClosed();
    try {
      return await fn();
    } catch (e) {
      throw tableStoreError(e, operation, this.where, this.logger);
    }
  }
}

/**
 * Compare-and-sets that each win or lose on their own: all are waited for, so one that throws does not hide what
 * the others won (and wrote), and then the first failure is thrown.
 */
async function eachOnItsOwn<T>(writes: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(writes);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<T>).value);
}
