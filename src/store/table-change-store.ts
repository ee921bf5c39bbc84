import { TableClient, odata, type TableEntity, type TransactionAction } from '@azure/data-tables';
import type { NamedKeyCredential, SASCredential, TokenCredential } from '@azure/core-auth';
import { CodedError, ErrorCode } from '../errors';
import { systemClock, type Clock } from '../clock';
import { silentLogger, type Logger } from '../log';
import { AuditEntry, ChangeRequest, ChangeState, type Approval } from '../changes/change-request';
import type { CardPost, ChangeFilter, ChangeStore } from '../changes/ports';
import { unreadableRequest, unreadableRow } from './store-errors';
import { isStatus, isWriteConflict, tableFailure, tableStoreError } from './table-errors';
import {
  APPROVAL_PREFIX,
  AUDIT_PREFIX,
  CARD_PREFIX,
  MAX_STRING_BYTES,
  REFERENCE_PARTITION,
  REQUEST_ROW,
  approvalRowKey,
  base64url,
  cardRowKey,
  createStamper,
  encodeKey,
  fitsKey,
  rowKeyRange,
  utf16Bytes,
} from './table-keys';

interface CommonOptions {
  /** Prefix of the two table names (`<prefix>Changes`, `<prefix>Refs`): letters and digits. Default `erbot`. */
  tablePrefix?: string;
  clock?: Clock;
  logger?: Logger;
  /** Plain HTTP, for Azurite only. Production endpoints are HTTPS. */
  allowInsecureConnection?: boolean;
  /** How many times a compare-and-set re-reads and retries after losing a race. Default 25. */
  maxAttempts?: number;
}

export type TableChangeStoreOptions = CommonOptions &
  (
    | { connectionString: string; endpoint?: undefined; credential?: undefined }
    | {
        /** The table service URL, e.g. https://<account>.table.core.windows.net or a Cosmos DB Table endpoint. */
        endpoint: string;
        credential: TokenCredential | NamedKeyCredential | SASCredential;
        connectionString?: undefined;
      }
  );

type TransitionPatch = Partial<Pick<ChangeRequest, 'approvals' | 'operation' | 'outcome' | 'rejection'>>;
const PATCHABLE = ['approvals', 'operation', 'outcome', 'rejection'] as const;

/** Table Storage evaluates at most 15 comparisons in one $filter; past that, filtering happens here instead. */
const MAX_FILTER_COMPARISONS = 15;
/** An entity-group transaction holds at most 100 actions; leave room for the request row and its audit row. */
const MAX_APPROVALS_PER_TRANSACTION = 90;

type RequestEntity = {
  customerId: string;
  state: string;
  requesterId: string;
  version: number;
  createdAt: number;
  json: string;
};

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
  private readonly maxAttempts: number;
  private readonly stamp: () => string;
  private closed = false;

  private constructor(changes: TableClient, refs: TableClient, clock: Clock, logger: Logger, maxAttempts: number) {
    this.changes = changes;
    this.refs = refs;
    this.clock = clock;
    this.logger = logger;
    this.maxAttempts = maxAttempts;
    this.stamp = createStamper(clock);
    // Without the query: a SAS connection string puts its signature there.
    this.where = `${accountUrl(changes)} (tables ${changes.tableName}, ${refs.tableName})`;
  }

  /** Connects, creates the tables if they are missing, and fails fast with a readable message if it cannot. */
  static async open(options: TableChangeStoreOptions): Promise<TableChangeStore> {
    const clock = options.clock ?? systemClock;
    const logger = options.logger ?? silentLogger;
    const prefix = options.tablePrefix ?? 'erbot';
    if (!/^[A-Za-z][A-Za-z0-9]{0,53}$/.test(prefix)) {
      throw new CodedError(ErrorCode.Config, `The table prefix "${prefix}" is not usable as an Azure table name.`, {
        hint: 'Use letters and digits only, starting with a letter, at most 54 characters.',
      });
    }
    const maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 25));
    const clientOptions = { allowInsecureConnection: options.allowInsecureConnection ?? false };
    let changes: TableClient;
    let refs: TableClient;
    try {
      if (options.connectionString !== undefined) {
        changes = TableClient.fromConnectionString(options.connectionString, `${prefix}Changes`, clientOptions);
        refs = TableClient.fromConnectionString(options.connectionString, `${prefix}Refs`, clientOptions);
      } else {
        // The SDK's overloads are per credential type; all three are accepted at runtime.
        const credential = options.credential as NamedKeyCredential;
        changes = new TableClient(options.endpoint, `${prefix}Changes`, credential, clientOptions);
        refs = new TableClient(options.endpoint, `${prefix}Refs`, credential, clientOptions);
      }
    } catch (e) {
      // Never echo the connection string: it holds the account key.
      throw new CodedError(ErrorCode.Config, 'The Azure Table Storage connection settings are not usable.', {
        hint: 'Check the connection string (DefaultEndpointsProtocol, AccountName, AccountKey or SharedAccessSignature, TableEndpoint) or the endpoint URL.',
        details: { reason: e instanceof Error ? e.message.replace(/AccountKey=[^;]*/gi, 'AccountKey=[redacted]') : undefined },
      });
    }
    if (!clientOptions.allowInsecureConnection && /^http:/i.test(changes.url)) {
      throw new CodedError(ErrorCode.Config, `The Azure Table Storage endpoint ${accountUrl(changes)} uses plain HTTP.`, {
        hint: 'Use an https:// endpoint. Only a local Azurite emulator may use HTTP, with allowInsecureConnection set.',
      });
    }
    const store = new TableChangeStore(changes, refs, clock, logger, maxAttempts);
    if (/^http:/i.test(changes.url) && !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/i.test(changes.url)) {
      logger.warn({ where: store.where }, 'table change store uses plain HTTP to a non-loopback host; use HTTPS outside development');
    }
    try {
      await changes.createTable();
      await refs.createTable();
    } catch (e) {
      const cause = tableStoreError(e, 'open', store.where, logger);
      throw new CodedError(ErrorCode.Config, `Could not open the change store in Azure Table Storage: ${cause.message}`, {
        hint: cause.hint ?? 'Check the storage connection settings.',
        details: cause.details,
        cause: e,
      });
    }
    logger.info({ where: store.where }, 'change store open');
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
      const pk = this.partitionOf(r.id);
      const actions: TransactionAction[] = [
        ['create', this.requestEntity(r)],
        ...r.approvals.map((a): TransactionAction => ['create', this.approvalEntity(pk, a)]),
        ['create', this.auditEntity(pk, entry)],
      ];
      try {
        await this.changes.submitTransaction(actions);
      } catch (e) {
        if (isStatus(e, 409) && tableFailure(e)?.failedIndex === 0) {
          throw new CodedError(ErrorCode.Internal, `Change request ${r.id} already exists.`, {
            hint: 'Create the request again: it gets a fresh id.',
            details: { requestId: r.id, duplicateId: true },
          });
        }
        throw e;
      }
    });
  }

  async get(id: string): Promise<ChangeRequest | undefined> {
    return this.run('get', id, async () => (await this.read(id))?.request);
  }

  /** Newest first. An empty `customerIds` or `states` matches nothing; an absent one matches everything. */
  async list(filter: ChangeFilter): Promise<ChangeRequest[]> {
    return this.run('list', undefined, async () => {
      if (filter.customerIds?.length === 0 || filter.states?.length === 0) return [];
      if (filter.limit !== undefined && filter.limit <= 0) return [];
      const clauses = [odata`RowKey eq ${REQUEST_ROW}`];
      let budget = MAX_FILTER_COMPARISONS - 1;
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
      const rows = this.changes.listEntities<RequestEntity>({ queryOptions: { filter: clauses.join(' and '), select: ['PartitionKey', 'RowKey', 'json', 'customerId', 'state'] } });
      for await (const row of rows) {
        const pk = row.partitionKey ?? '';
        const r = this.parseRequest(row, pk, pk);
        // The server-side filter is an optimisation; this check is what keeps customers apart.
        if (customers && !customers.has(r.customerId)) continue;
        if (states && !states.has(r.state)) continue;
        if (filter.requesterId !== undefined && r.requester.aadObjectId !== filter.requesterId) continue;
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
      const target = ChangeState.parse(to);
      const entry = AuditEntry.parse(audit);
      if (condition.from.length === 0) return undefined;
      const changes: TransitionPatch = {};
      for (const k of PATCHABLE) if (patch[k] !== undefined) Object.assign(changes, { [k]: patch[k] });
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
        const pk = this.partitionOf(id);
        const actions: TransactionAction[] = [['update', this.requestEntity(next), 'Replace', { etag: current.etag }]];
        if (changes.approvals !== undefined) actions.push(...(await this.approvalSync(pk, next.approvals)));
        actions.push(['create', this.auditEntity(pk, entry)]);
        return { next, actions };
      });
    });
  }

  /** A repeated approver wins over a request that is no longer pending: "you already approved" says more. */
  async addApproval(id: string, approval: Approval, audit: AuditEntry | ((updated: ChangeRequest) => AuditEntry)): Promise<ChangeRequest | 'duplicate' | 'not-pending'> {
    return this.run('addApproval', id, async () => {
      const pk = this.partitionOf(id);
      const approverId = approval.by.aadObjectId;
      for (let attempt = 1; ; attempt++) {
        const current = await this.read(id);
        if (!current) {
          throw new CodedError(ErrorCode.NotFound, `There is no change request ${id}.`, {
            hint: 'Check the id with `requests all`.',
            details: { requestId: id },
          });
        }
        if (current.request.approvals.some((a) => a.by.aadObjectId === approverId)) return 'duplicate';
        // A reached count is as good as approved: more approvals would only be noise in the audit trail.
        if (current.request.state !== 'pending' || current.request.approvals.length >= current.request.required) return 'not-pending';
        const next = ChangeRequest.parse({
          ...current.request,
          approvals: [...current.request.approvals, approval],
          version: current.request.version + 1,
          updatedAt: this.clock.now(),
        });
        // Built from this attempt's read, so a retry after a conflict records the count it actually stored.
        const entry = AuditEntry.parse(typeof audit === 'function' ? audit(next) : audit);
        try {
          // The approval row's insert is the last word on duplicates: it fails with 409 if the row exists, even
          // if the request row were ever out of step with it.
          await this.changes.submitTransaction([
            ['create', this.approvalEntity(pk, approval)],
            ['update', this.requestEntity(next), 'Replace', { etag: current.etag }],
            ['create', this.auditEntity(pk, entry)],
          ]);
          return next;
        } catch (e) {
          if (!isWriteConflict(e)) throw e;
          if (tableFailure(e)?.failedIndex === 0 && (await this.exists(pk, approvalRowKey(approverId)))) return 'duplicate';
          await this.backOff(attempt, 'addApproval', id);
        }
      }
    });
  }

  async saveOperation(id: string, operation: ChangeRequest['operation'], expectState: ChangeState, expectVersion?: number): Promise<boolean> {
    return this.run('saveOperation', id, async () => {
      const result = await this.compareAndSet(id, async (current) => {
        if (current.request.state !== expectState) return undefined;
        if (expectVersion !== undefined && current.request.version !== expectVersion) return undefined;
        const { operation: _previous, ...rest } = current.request;
        const next = ChangeRequest.parse({
          ...rest,
          ...(operation === undefined ? {} : { operation }),
          version: current.request.version + 1,
          updatedAt: this.clock.now(),
        });
        const actions: TransactionAction[] = [['update', this.requestEntity(next), 'Replace', { etag: current.etag }]];
        return { next, actions };
      });
      return result !== undefined;
    });
  }

  /** The most recent `limit` entries that match, returned oldest first (the order they were appended in). */
  async audit(filter: { customerIds: readonly string[]; requestId?: string; limit: number }): Promise<AuditEntry[]> {
    return this.run('audit', filter.requestId, async () => {
      if (filter.customerIds.length === 0 || filter.limit <= 0) return [];
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
      const entities = this.changes.listEntities<{ json: string }>({ queryOptions: { filter: clauses.join(' and '), select: ['PartitionKey', 'RowKey', 'json'] } });
      for await (const row of entities) {
        const parsed = AuditEntry.safeParse(safeJson(row.json));
        if (!parsed.success) throw unreadableRow(this.logger, `audit entry ${row.rowKey} of change request ${row.partitionKey}`, parsed.error);
        if (!customers.has(parsed.data.customerId)) continue;
        if (filter.requestId !== undefined && parsed.data.requestId !== filter.requestId) continue;
        rows.push({ rowKey: row.rowKey ?? '', entry: parsed.data });
      }
      // Audit RowKeys start with a zero-padded time, so sorting them across partitions is append order.
      rows.sort((a, b) => (a.rowKey < b.rowKey ? -1 : a.rowKey > b.rowKey ? 1 : 0));
      return rows.slice(-Math.floor(filter.limit)).map((r) => r.entry);
    });
  }

  /** Idempotent: recording the same post again only updates its audience. */
  async addCardPost(post: CardPost): Promise<void> {
    await this.run('addCardPost', post.requestId, async () => {
      const pk = this.partitionOf(post.requestId);
      if (!(await this.exists(pk, REQUEST_ROW))) {
        throw new CodedError(ErrorCode.NotFound, `There is no change request ${post.requestId} to attach a card to.`, {
          details: { requestId: post.requestId },
        });
      }
      const rowKey = cardRowKey(post.conversationKey, post.activityId);
      const entity = { partitionKey: pk, rowKey, conversationKey: post.conversationKey, activityId: post.activityId, audience: post.audience };
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

  async saveReference(key: string, reference: unknown): Promise<void> {
    await this.run('saveReference', undefined, async () => {
      const json = reference === undefined ? undefined : JSON.stringify(reference);
      if (json === undefined) {
        throw new CodedError(ErrorCode.BadInput, `A conversation reference for ${key} must be JSON.`, {
          hint: 'Pass the reference from TurnContext.getConversationReference().',
        });
      }
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

  async getReference(key: string): Promise<unknown | undefined> {
    return this.run('getReference', undefined, async () => {
      const rowKey = base64url(key);
      if (!fitsKey(rowKey)) return undefined;
      const row = await this.getEntity<{ json: string }>(this.refs, REFERENCE_PARTITION, rowKey);
      if (!row) return undefined;
      const value = safeJson(row.json);
      if (value === INVALID_JSON) throw unreadableRow(this.logger, `conversation reference ${key}`, 'not valid JSON');
      return value;
    });
  }

  /** Nothing to release (HTTP connections are pooled by the SDK); later calls are refused. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.logger.info({ where: this.where }, 'change store closed');
  }

  /**
   * Read, decide, write under the etag; on a lost race re-read and decide again. `decide` returns undefined
   * when the condition no longer holds, which ends the loop with undefined.
   */
  private async compareAndSet(
    id: string,
    decide: (current: Current) => Promise<{ next: ChangeRequest; actions: TransactionAction[] } | undefined>,
  ): Promise<ChangeRequest | undefined> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.read(id);
      if (!current) return undefined;
      const plan = await decide(current);
      if (!plan) return undefined;
      try {
        if (plan.actions.length === 1 && plan.actions[0]?.[0] === 'update') {
          await this.changes.updateEntity(this.requestEntity(plan.next), 'Replace', { etag: current.etag });
        } else {
          await this.changes.submitTransaction(plan.actions);
        }
        return plan.next;
      } catch (e) {
        if (!isWriteConflict(e)) throw e;
        await this.backOff(attempt, 'transition', id);
      }
    }
  }

  /** Lost races are retried at once a few times, then with a short random pause so racers spread out. */
  private async backOff(attempt: number, operation: string, id: string): Promise<void> {
    if (attempt >= this.maxAttempts) {
      throw new CodedError(ErrorCode.Internal, `Change request ${id} is being changed by many people at once; ${operation} gave up.`, {
        hint: 'Try again in a moment.',
        details: { requestId: id, attempts: attempt },
      });
    }
    this.logger.debug({ requestId: id, operation, attempt }, 'lost a write race; re-reading');
    if (attempt > 2) await this.clock.sleep(Math.floor(Math.random() * Math.min(200, 10 * attempt)));
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
    const rows = this.changes.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${pk} and RowKey ge ${range.from} and RowKey lt ${range.to}`, select: ['RowKey'] } });
    // Read outside the transaction, yet safe: the request row's etag is in the same transaction, and every
    // approval change also changes the request row, so a concurrent change makes this transaction fail.
    for await (const row of rows) {
      if (row.rowKey !== undefined && !wanted.has(row.rowKey)) actions.push(['delete', { partitionKey: pk, rowKey: row.rowKey }]);
    }
    for (const a of wanted.values()) actions.push(['upsert', this.approvalEntity(pk, a), 'Replace']);
    return actions;
  }

  private async read(id: string): Promise<Current | undefined> {
    const pk = encodeKey(id);
    if (!fitsKey(pk)) return undefined;
    const row = await this.getEntity<RequestEntity>(this.changes, pk, REQUEST_ROW);
    if (!row) return undefined;
    if (typeof row.etag !== 'string') throw unreadableRequest(this.logger, id, 'the service returned it without an etag');
    return { request: this.parseRequest(row, pk, id), etag: row.etag };
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

  /** `pk` is the partition the row was read from; `id` names the request in messages. */
  private parseRequest(row: Partial<RequestEntity>, pk: string, id: string): ChangeRequest {
    const value = typeof row.json === 'string' ? safeJson(row.json) : INVALID_JSON;
    if (value === INVALID_JSON) throw unreadableRequest(this.logger, id, 'its JSON is missing or not valid');
    const parsed = ChangeRequest.safeParse(value);
    if (!parsed.success) throw unreadableRequest(this.logger, id, parsed.error);
    const r = parsed.data;
    // The columns are what queries filter on; if they disagree with the document, a query could show a request
    // to the wrong customer.
    if (encodeKey(r.id) !== pk) throw unreadableRequest(this.logger, id, `it holds request ${r.id}`);
    if (row.customerId !== undefined && row.customerId !== r.customerId) throw unreadableRequest(this.logger, id, 'its customer column disagrees with its document');
    if (row.state !== undefined && row.state !== r.state) throw unreadableRequest(this.logger, id, 'its state column disagrees with its document');
    return r;
  }

  private partitionOf(id: string): string {
    const pk = encodeKey(id);
    if (!fitsKey(pk)) {
      throw new CodedError(ErrorCode.BadInput, `The change request id ${id.slice(0, 40)}… is too long to store.`, { details: { requestId: id } });
    }
    return pk;
  }

  private requestEntity(r: ChangeRequest): TableEntity<RequestEntity> {
    const json = JSON.stringify(r);
    checkSize(`change request ${r.id}`, json, r.id);
    return {
      partitionKey: this.partitionOf(r.id),
      rowKey: REQUEST_ROW,
      customerId: r.customerId,
      state: r.state,
      requesterId: r.requester.aadObjectId,
      version: r.version,
      createdAt: r.createdAt,
      json,
    };
  }

  private approvalEntity(pk: string, a: Approval): TableEntity {
    return { partitionKey: pk, rowKey: approvalRowKey(a.by.aadObjectId), approverId: a.by.aadObjectId, at: a.at };
  }

  private auditEntity(pk: string, entry: AuditEntry): TableEntity {
    const json = JSON.stringify(entry);
    checkSize(`an audit entry of change request ${entry.requestId}`, json, entry.requestId);
    return {
      partitionKey: pk,
      rowKey: AUDIT_PREFIX + this.stamp(),
      requestId: entry.requestId,
      customerId: entry.customerId,
      action: entry.action,
      json,
    };
  }

  private async run<T>(operation: string, requestId: string | undefined, fn: () => Promise<T>): Promise<T> {
    if (this.closed) {
      throw new CodedError(ErrorCode.Internal, 'The change store is closed.', { hint: 'The bot is shutting down; try again once it is back.' });
    }
    try {
      return await fn();
    } catch (e) {
      throw tableStoreError(e, operation, this.where, this.logger, requestId);
    }
  }
}

/** Table Storage keeps a string property up to 64 KiB (UTF-16); a longer one would be refused or cut. */
function checkSize(what: string, json: string, requestId?: string): void {
  const bytes = utf16Bytes(json);
  if (bytes <= MAX_STRING_BYTES) return;
  throw new CodedError(ErrorCode.BadInput, `${what[0]?.toUpperCase() ?? ''}${what.slice(1)} is too large for Azure Table Storage (${Math.ceil(bytes / 1024)} KB; the limit is 64 KB).`, {
    hint: 'Split the change into smaller ones, or shorten its free-text fields.',
    details: { ...(requestId ? { requestId } : {}), bytes, limit: MAX_STRING_BYTES },
  });
}

function anyOf(column: 'customerId' | 'state', values: readonly string[]): string {
  // odata`` quotes and escapes each value, so ids with quotes cannot break out of the filter.
  return `(${values.map((v) => (column === 'customerId' ? odata`customerId eq ${v}` : odata`state eq ${v}`)).join(' or ')})`;
}

function accountUrl(client: TableClient): string {
  return client.url.split('?')[0] ?? '';
}

const INVALID_JSON = Symbol('invalid-json');
function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return INVALID_JSON;
  }
}
