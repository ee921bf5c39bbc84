import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { CodedError, ErrorCode } from '../errors';
import type { Clock } from '../clock';
import { settle } from '../settle';
import type { Logger } from '../log';
import { AuditEntry, ChangeRequest, type ChangeState, type Approval } from '../changes/change-request';
import type { AddApprovalResult, CardPost, ChangeFilter, ChangeStore } from '../changes/ports';
import { TargetBusy } from '../changes/target-lock';
import { decideApproval } from './decide-approval';
import { matchesNothing } from './matches-nothing';
import { openTableClients, type OpenTables, type TableChangeStoreOptions } from './open-table-clients';
import { parseTransition, type TransitionPatch } from './parse-transition';
import { cardPostWithoutRequest, duplicateRequestId, requestNotFound, storeClosed, unreadableRequest, unreadableRow } from './store-errors';
import { parseLink, parseLinkedCustomer, parseStoredAudit, parseStoredReference, referenceJson } from './stored-json';
import { tableCompareAndSet, type WriteRace } from './table-compare-and-set';
import {
  approvalEntity,
  auditEntity,
  checkSize,
  partitionOf,
  requestEntity,
  requestFromEntity,
  type RequestEntity,
  timeStamp,
} from './table-entities';
import { isStatus, tableFailure, tableStoreError } from './table-errors';
import { DEFAULT_TARGET_LOCK_GRACE_MS, TableTargetLocks } from './table-target-lock';
import {
  APPROVAL_PREFIX,
  AUDIT_PREFIX,
  CARD_PREFIX,
  REFERENCE_PARTITION,
  REQUEST_ROW,
  approvalRowKey,
  base64url,
  cardRowKey,
  createStamper,
  encodeKey,
  fitsKey,
  linkPartition,
  rowKeyRange,
} from './table-keys';

export type { TableChangeStoreOptions };

/** Table Storage evaluates at most 15 comparisons in one $filter; past that, filtering happens here instead. */
const MAX_FILTER_COMPARISONS = 15;
/** An entity-group transaction holds at most 100 actions; leave room for the request row and its audit row. */
const MAX_APPROVALS_PER_TRANSACTION = 90;

interface Current {
  request: ChangeRequest;
  etag: string;
}

/**
 * The scale-out ChangeStore: Azure Table Storage (or Cosmos DB for Table), shared by every bot instance.
 *
 * One partition per request holds its request row, approval rows, audit rows and card-post rows, so each write
 * is one entity-group transaction: the request row is replaced under its etag (If-Match) together with the
 * audit row. Two instances racing on one request both read the same etag; the service lets exactly one
 * transaction commit and answers the other with 412, which re-reads and decides again. That is the
 * compare-and-set behind "a hundred clicks give one ARM write", across instances.
 */
export class TableChangeStore implements ChangeStore {
  /** Where the store lives, for messages and logs: account URL and tables, never a key. */
  readonly where: string;
  private readonly changes: TableClient;
  private readonly refs: TableClient;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly race: WriteRace;
  private readonly stamp: () => string;
  private readonly locks: TableTargetLocks;
  private closed = false;

  private constructor(tables: OpenTables, lockGraceInMs: number) {
    this.changes = tables.changes;
    this.refs = tables.refs;
    this.where = tables.where;
    this.clock = tables.clock;
    this.logger = tables.logger;
    this.race = { maxAttempts: tables.maxAttempts, clock: tables.clock, logger: tables.logger };
    this.stamp = createStamper(tables.clock);
    this.locks = new TableTargetLocks({
      changes: tables.changes,
      clock: tables.clock,
      logger: tables.logger,
      graceInMs: lockGraceInMs,
      read: async (id) => (await this.read(id))?.request,
    });
  }

  /**
   * Connects, creates the tables if they are missing, and fails fast with a readable message if it cannot. The
   * first open after locks existed takes them for the requests that hold one.
   */
  static async open(options: TableChangeStoreOptions): Promise<TableChangeStore> {
    const tables = await openTableClients(options);
    const store = new TableChangeStore(tables, options.targetLockGraceInMs ?? DEFAULT_TARGET_LOCK_GRACE_MS);
    try {
      await store.locks.backfill();
    } catch (e) {
      throw tableStoreError(e, 'open', tables.where, tables.logger);
    }
    return store;
  }

  async create(request: ChangeRequest, audit: AuditEntry): Promise<void> {
    await this.run('create', request.id, async () => {
      const r = ChangeRequest.parse(request);
      const entry = AuditEntry.parse(audit);
      if (r.approvals.length > MAX_APPROVALS_PER_TRANSACTION) {
        throw new CodedError(ErrorCode.BadInput, `Change request ${r.id} has more approvals than the store can write at once.`, {
          hint: `Keep approvals per request under ${MAX_APPROVALS_PER_TRANSACTION}.`,
        });
      }
      const pk = partitionOf(r.id);
      // Built (and their sizes checked) before the lock is taken, so a request too large to store never takes it.
      const actions: TransactionAction[] = [
        ['create', requestEntity(r)],
        ['create', TableTargetLocks.claimEntity(r)],
        ...r.approvals.map((a): TransactionAction => ['create', approvalEntity(pk, a)]),
        ['create', auditEntity(pk, entry, this.stamp)],
      ];
      const result = await tableCompareAndSet<'created' | 'duplicate'>(
        this.race,
        { operation: 'create', requestId: r.id },
        async () => {
          const take = await this.locks.plan(r);
          return {
            write: async () => {
              await take.write?.();
              await this.changes.submitTransaction(actions);
              return 'created';
            },
          };
        },
        // A 409 on the request's own write is a duplicate id when its row is there; otherwise the claim row was
        // taken by a creator that gave up waiting for this one, and the next round finds the target taken.
        async () => ((await this.exists(pk, REQUEST_ROW)) ? { settled: 'duplicate' } : undefined),
      );
      if (result === 'duplicate') throw duplicateRequestId(r.id);
    });
  }

  async get(id: string): Promise<ChangeRequest | undefined> {
    return this.run('get', id, async () => (await this.read(id))?.request);
  }

  /** Newest first. An empty `customerIds` or `states` matches nothing; an absent one matches everything. */
  async list(filter: ChangeFilter): Promise<ChangeRequest[]> {
    return this.run('list', undefined, async () => {
      if (matchesNothing(filter)) return [];
      const clauses = [odata`RowKey eq ${REQUEST_ROW}`];
      let budget = MAX_FILTER_COMPARISONS - 1;
      if (filter.updatedSince !== undefined) {
        clauses.push(odata`updatedStamp ge ${timeStamp(filter.updatedSince)}`);
        budget -= 1;
      }
      if (filter.requesterId !== undefined) {
        clauses.push(odata`requesterId eq ${filter.requesterId}`);
        budget -= 1;
      }
      for (const [column, values] of [
        ['customerId', filter.customerIds],
        ['state', filter.states],
      ] as const) {
        if (values && values.length <= budget) {
          clauses.push(anyOf(column, values));
          budget -= values.length;
        }
      }
      const customers = filter.customerIds ? new Set(filter.customerIds) : undefined;
      const states = filter.states ? new Set<string>(filter.states) : undefined;
      const found: ChangeRequest[] = [];
      const rows = this.changes.listEntities<RequestEntity>({
        queryOptions: { filter: clauses.join(' and '), select: ['PartitionKey', 'RowKey', 'json', 'customerId', 'state'] },
      });
      for await (const row of rows) {
        const pk = row.partitionKey ?? '';
        const r = requestFromEntity(row, pk, pk, this.logger);
        // The server-side filter is an optimisation; this check is what keeps customers apart.
        if (customers && !customers.has(r.customerId)) continue;
        if (states && !states.has(r.state)) continue;
        if (filter.requesterId !== undefined && r.requester.aadObjectId !== filter.requesterId) continue;
        if (filter.updatedSince !== undefined && r.updatedAt < filter.updatedSince) continue;
        found.push(r);
      }
      found.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
      return filter.limit === undefined ? found : found.slice(0, Math.floor(filter.limit));
    });
  }

  async transition(
    id: string,
    condition: { from: readonly ChangeState[]; expectVersion?: number },
    to: ChangeState,
    patch: TransitionPatch,
    audit: AuditEntry,
  ): Promise<ChangeRequest | undefined> {
    return this.run('transition', id, async () => {
      const parsed = parseTransition(condition, to, patch, audit);
      if (!parsed) return undefined;
      const { target, entry, changes } = parsed;
      return this.compareAndSet(id, async (current) => {
        if (!condition.from.includes(current.request.state)) return undefined;
        if (condition.expectVersion !== undefined && current.request.version !== condition.expectVersion) return undefined;
        const next = ChangeRequest.parse({
          ...current.request,
          ...changes,
          state: target,
          version: current.request.version + 1,
          updatedAt: this.clock.now(),
        });
        const pk = partitionOf(id);
        const actions: TransactionAction[] = [['update', requestEntity(next), 'Replace', { etag: current.etag }]];
        if (changes.approvals !== undefined) actions.push(...(await this.approvalSync(pk, next.approvals)));
        actions.push(['create', auditEntity(pk, entry, this.stamp)]);
        return { next, actions };
      });
    });
  }

  /** A repeated approver wins over a request that is no longer pending: "you already approved" says more. */
  async addApproval(
    id: string,
    approval: Approval,
    audit: AuditEntry | ((updated: ChangeRequest) => AuditEntry),
  ): Promise<AddApprovalResult> {
    return this.run('addApproval', id, async () => {
      const pk = partitionOf(id);
      const approverId = approval.by.aadObjectId;
      return tableCompareAndSet<AddApprovalResult>(
        this.race,
        { operation: 'addApproval', requestId: id },
        async () => {
          const current = await this.read(id);
          if (!current) throw requestNotFound(id);
          const decision = decideApproval(current.request, approval, audit, this.clock.now());
          if (typeof decision === 'string') return { settled: decision };
          const { next, entry } = decision;
          return {
            write: async () => {
              // The approval row's insert is the last word on duplicates: it fails with 409 if the row exists, even
              // if the request row were ever out of step with it.
              await this.changes.submitTransaction([
                ['create', approvalEntity(pk, approval)],
                ['update', requestEntity(next), 'Replace', { etag: current.etag }],
                ['create', auditEntity(pk, entry, this.stamp)],
              ]);
              return next;
            },
          };
        },
        async (e) =>
          tableFailure(e)?.failedIndex === 0 && (await this.exists(pk, approvalRowKey(approverId))) ? { settled: 'duplicate' } : undefined,
      );
    });
  }

  async saveOperation(
    id: string,
    operation: ChangeRequest['operation'],
    expectState: ChangeState,
    expectVersion?: number,
  ): Promise<boolean> {
    return this.run('saveOperation', id, async () => {
      const result = await this.compareAndSet(id, (current) =>
        settle(() => {
          if (current.request.state !== expectState) return undefined;
          if (expectVersion !== undefined && current.request.version !== expectVersion) return undefined;
          const { operation: _previous, ...rest } = current.request;
          const next = ChangeRequest.parse({
            ...rest,
            ...(operation === undefined ? {} : { operation }),
            version: current.request.version + 1,
            updatedAt: this.clock.now(),
          });
          const actions: TransactionAction[] = [['update', requestEntity(next), 'Replace', { etag: current.etag }]];
          return { next, actions };
        }),
      );
      return result !== undefined;
    });
  }

  /** An audit entry on its own (an override, a rollback asked for), in its request's partition. */
  async appendAudit(entry: AuditEntry): Promise<void> {
    await this.run('appendAudit', entry.requestId, async () => {
      const parsed = AuditEntry.parse(entry);
      await this.changes.createEntity(auditEntity(partitionOf(parsed.requestId), parsed, this.stamp));
    });
  }

  /** The most recent `limit` entries that match, returned oldest first (the order they were appended in). */
  async audit(filter: { customerIds: readonly string[]; requestId?: string; limit: number }): Promise<AuditEntry[]> {
    return this.run('audit', filter.requestId, async () => {
      if (matchesNothing(filter)) return [];
      const range = rowKeyRange(AUDIT_PREFIX);
      const clauses = [odata`RowKey ge ${range.from}`, odata`RowKey lt ${range.to}`];
      if (filter.requestId !== undefined) {
        const pk = encodeKey(filter.requestId);
        if (!fitsKey(pk)) return [];
        clauses.unshift(odata`PartitionKey eq ${pk}`);
      }
      if (filter.customerIds.length <= MAX_FILTER_COMPARISONS - clauses.length) clauses.push(anyOf('customerId', filter.customerIds));
      const customers = new Set(filter.customerIds);
      const rows: { rowKey: string; entry: AuditEntry }[] = [];
      const entities = this.changes.listEntities<{ json: string }>({
        queryOptions: { filter: clauses.join(' and '), select: ['PartitionKey', 'RowKey', 'json'] },
      });
      for await (const row of entities) {
        const entry = parseStoredAudit(row.json, `audit entry ${row.rowKey} of change request ${row.partitionKey}`, this.logger);
        if (!customers.has(entry.customerId)) continue;
        if (filter.requestId !== undefined && entry.requestId !== filter.requestId) continue;
        rows.push({ rowKey: row.rowKey ?? '', entry });
      }
      // Audit RowKeys start with a zero-padded time, so sorting them across partitions is append order.
      rows.sort((a, b) => (a.rowKey < b.rowKey ? -1 : a.rowKey > b.rowKey ? 1 : 0));
      return rows.slice(-Math.floor(filter.limit)).map((r) => r.entry);
    });
  }

  /** Idempotent: recording the same post again only updates its audience. */
  async addCardPost(post: CardPost): Promise<void> {
    await this.run('addCardPost', post.requestId, async () => {
      const pk = partitionOf(post.requestId);
      if (!(await this.exists(pk, REQUEST_ROW))) throw cardPostWithoutRequest(post.requestId);
      const rowKey = cardRowKey(post.conversationKey, post.activityId);
      const entity = {
        partitionKey: pk,
        rowKey,
        conversationKey: post.conversationKey,
        activityId: post.activityId,
        audience: post.audience,
      };
      checkSize(`the card post for ${post.requestId}`, JSON.stringify(entity));
      try {
        await this.changes.createEntity({ ...entity, seq: this.stamp() });
      } catch (e) {
        if (!isStatus(e, 409)) throw e;
        // Merge keeps the first `seq`, so a re-recorded post keeps its place in the order.
        await this.changes.updateEntity({ partitionKey: pk, rowKey, audience: post.audience }, 'Merge');
      }
    });
  }

  async cardPosts(requestId: string): Promise<CardPost[]> {
    return this.run('cardPosts', requestId, async () => {
      const pk = encodeKey(requestId);
      if (!fitsKey(pk)) return [];
      const range = rowKeyRange(CARD_PREFIX);
      const rows = this.changes.listEntities<{ conversationKey: string; activityId: string; audience: string; seq: string }>({
        queryOptions: { filter: odata`PartitionKey eq ${pk} and RowKey ge ${range.from} and RowKey lt ${range.to}` },
      });
      const posts: { seq: string; post: CardPost }[] = [];
      for await (const row of rows) {
        if (typeof row.conversationKey !== 'string' || typeof row.activityId !== 'string' || typeof row.audience !== 'string') {
          throw unreadableRow(this.logger, `card post ${row.rowKey} of change request ${requestId}`, 'a field is missing', { requestId });
        }
        posts.push({
          seq: typeof row.seq === 'string' ? row.seq : '',
          post: { requestId, conversationKey: row.conversationKey, activityId: row.activityId, audience: row.audience },
        });
      }
      posts.sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
      return posts.map((p) => p.post);
    });
  }

  async removeCardPost(post: Pick<CardPost, 'requestId' | 'conversationKey' | 'activityId'>): Promise<void> {
    await this.run('removeCardPost', post.requestId, async () => {
      const pk = encodeKey(post.requestId);
      if (!fitsKey(pk)) return;
      try {
        await this.changes.deleteEntity(pk, cardRowKey(post.conversationKey, post.activityId));
      } catch (e) {
        if (!(isStatus(e, 404) && tableFailure(e)?.code !== 'TableNotFound')) throw e;
      }
    });
  }

  async saveReference(key: string, reference: unknown): Promise<void> {
    await this.run('saveReference', undefined, async () => {
      const json = referenceJson(key, reference);
      const rowKey = base64url(key);
      if (!fitsKey(rowKey)) {
        throw new CodedError(ErrorCode.BadInput, `The conversation reference key "${key.slice(0, 40)}…" is too long to store.`, {
          hint: 'Keep conversation keys under 700 characters.',
        });
      }
      checkSize(`the conversation reference ${key}`, json);
      await this.refs.upsertEntity({ partitionKey: REFERENCE_PARTITION, rowKey, key, json, updatedAt: this.clock.now() }, 'Replace');
    });
  }

  async getReference(key: string): Promise<unknown> {
    return this.run('getReference', undefined, async () => {
      const rowKey = base64url(key);
      if (!fitsKey(rowKey)) return undefined;
      const row = await this.getEntity<{ json: string }>(this.refs, REFERENCE_PARTITION, rowKey);
      if (!row) return undefined;
      return parseStoredReference(row.json, key, this.logger);
    });
  }

  async linkConversation(conversationId: string, customerId: string): Promise<void> {
    await this.run('linkConversation', undefined, async () => {
      const link = parseLink(conversationId, customerId);
      const entity = { partitionKey: linkPartition(link.conversationId), rowKey: encodeKey(link.customerId), customerId: link.customerId };
      if (!fitsKey(entity.partitionKey)) throw linkTooLong(conversationId);
      try {
        await this.refs.createEntity({ ...entity, linkedAt: this.clock.now() });
      } catch (e) {
        // Already linked: the first link (and its time) stands.
        if (!isStatus(e, 409)) throw e;
      }
    });
  }

  async unlinkConversation(conversationId: string, customerId: string): Promise<boolean> {
    return this.run('unlinkConversation', undefined, async () => {
      const link = parseLink(conversationId, customerId);
      const pk = linkPartition(link.conversationId);
      if (!fitsKey(pk)) return false;
      try {
        await this.refs.deleteEntity(pk, encodeKey(link.customerId));
        return true;
      } catch (e) {
        if (isStatus(e, 404) && tableFailure(e)?.code !== 'TableNotFound') return false;
        throw e;
      }
    });
  }

  async linkedCustomers(conversationId: string): Promise<string[]> {
    return this.run('linkedCustomers', undefined, async () => {
      const pk = linkPartition(conversationId);
      if (!fitsKey(pk)) return [];
      const rows = this.refs.listEntities<{ customerId: unknown }>({
        queryOptions: { filter: odata`PartitionKey eq ${pk}`, select: ['customerId'] },
      });
      const customers: string[] = [];
      for await (const row of rows) customers.push(parseLinkedCustomer(row.customerId, conversationId, this.logger));
      return customers.sort();
    });
  }

  /** Nothing to release (HTTP connections are pooled by the SDK); later calls are refused. */
  close(): Promise<void> {
    return settle(() => {
      if (this.closed) return;
      this.closed = true;
      this.logger.info({ where: this.where }, 'change store closed');
    });
  }

  /**
   * A compare-and-set on the request row: `decide` returns undefined when the condition no longer holds, which
   * ends it with undefined; a lost race reads and decides again.
   */
  private compareAndSet(
    id: string,
    decide: (current: Current) => Promise<{ next: ChangeRequest; actions: TransactionAction[] } | undefined>,
  ): Promise<ChangeRequest | undefined> {
    return tableCompareAndSet<ChangeRequest | undefined>(this.race, { operation: 'transition', requestId: id }, async () => {
      const current = await this.read(id);
      if (!current) return { settled: undefined };
      const plan = await decide(current);
      if (!plan) return { settled: undefined };
      return {
        write: async () => {
          if (plan.actions.length === 1 && plan.actions[0]?.[0] === 'update') {
            await this.changes.updateEntity(requestEntity(plan.next), 'Replace', { etag: current.etag });
          } else {
            await this.changes.submitTransaction(plan.actions);
          }
          return plan.next;
        },
      };
    });
  }

  /** Upserts the rows of `approvals` and deletes the others, so the rows mirror the request's approvals. */
  private async approvalSync(pk: string, approvals: readonly Approval[]): Promise<TransactionAction[]> {
    if (approvals.length > MAX_APPROVALS_PER_TRANSACTION) {
      throw new CodedError(ErrorCode.BadInput, `Too many approvals to store at once (${approvals.length}).`, {
        hint: `Keep approvals per request under ${MAX_APPROVALS_PER_TRANSACTION}.`,
      });
    }
    const range = rowKeyRange(APPROVAL_PREFIX);
    const wanted = new Map(approvals.map((a) => [approvalRowKey(a.by.aadObjectId), a]));
    const actions: TransactionAction[] = [];
    const rows = this.changes.listEntities({
      queryOptions: { filter: odata`PartitionKey eq ${pk} and RowKey ge ${range.from} and RowKey lt ${range.to}`, select: ['RowKey'] },
    });
    // Read outside the transaction, yet safe: the request row's etag is in the same transaction, and every
    // approval change also changes the request row, so a concurrent change makes this transaction fail.
    for await (const row of rows) {
      if (row.rowKey !== undefined && !wanted.has(row.rowKey)) actions.push(['delete', { partitionKey: pk, rowKey: row.rowKey }]);
    }
    for (const a of wanted.values()) actions.push(['upsert', approvalEntity(pk, a), 'Replace']);
    return actions;
  }

  private async read(id: string): Promise<Current | undefined> {
    const pk = encodeKey(id);
    if (!fitsKey(pk)) return undefined;
    const row = await this.getEntity<RequestEntity>(this.changes, pk, REQUEST_ROW);
    if (!row) return undefined;
    if (typeof row.etag !== 'string') throw unreadableRequest(this.logger, id, 'the service returned it without an etag');
    return { request: requestFromEntity(row, pk, id, this.logger), etag: row.etag };
  }

  private async exists(pk: string, rowKey: string): Promise<boolean> {
    return (await this.getEntity(this.changes, pk, rowKey, ['RowKey'])) !== undefined;
  }

  private async getEntity<T extends object>(client: TableClient, pk: string, rowKey: string, select?: string[]) {
    try {
      return await client.getEntity<T>(pk, rowKey, select ? { queryOptions: { select } } : undefined);
    } catch (e) {
      if (isStatus(e, 404) && tableFailure(e)?.code !== 'TableNotFound') return undefined;
      throw e;
    }
  }

  private async run<T>(operation: string, requestId: string | undefined, fn: () => Promise<T>): Promise<T> {
    if (this.closed) throw storeClosed();
    try {
      return await fn();
    } catch (e) {
      if (e instanceof TargetBusy) throw e;
      throw tableStoreError(e, operation, this.where, this.logger, requestId);
    }
  }
}

function linkTooLong(conversationId: string): CodedError {
  return new CodedError(ErrorCode.BadInput, `The conversation id "${conversationId.slice(0, 40)}…" is too long to store a link for.`, {
    hint: 'Keep conversation ids under 700 characters.',
  });
}

function anyOf(column: 'customerId' | 'state', values: readonly string[]): string {
  // odata`` quotes and escapes each value, so ids with quotes cannot break out of the filter.
  return `(${values.map((v) => (column === 'customerId' ? odata`customerId eq ${v}` : odata`state eq ${v}`)).join(' or ')})`;
}
