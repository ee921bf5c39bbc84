import { AuditEntry, ChangeRequest, type Approval, type ChangeState } from '../../../src/changes/change-request';
import type { CardPost, ChangeFilter, ChangeStore } from '../../../src/changes/ports';

/**
 * An in-memory ChangeStore: a real implementation of the port (not a mock) with the same compare-and-set
 * semantics a database gives. Every method does its check-and-write without awaiting in between, which on
 * one event loop is exactly as atomic as a transaction. Rows are copied in and out and parsed on the way out,
 * like rows read back from a database.
 */
export class MemoryChangeStore implements ChangeStore {
  private readonly rows = new Map<string, ChangeRequest>();
  private readonly trail: AuditEntry[] = [];
  private readonly posts: CardPost[] = [];
  private readonly references = new Map<string, unknown>();
  /** Number of successful writes per kind, for tests that count them. */
  readonly writes = { transition: 0, addApproval: 0, saveOperation: 0 };

  async create(request: ChangeRequest, audit: AuditEntry): Promise<void> {
    await Promise.resolve();
    if (this.rows.has(request.id)) throw new Error(`duplicate change request id ${request.id}`);
    this.rows.set(request.id, ChangeRequest.parse(structuredClone(request)));
    this.trail.push(AuditEntry.parse(structuredClone(audit)));
  }

  async get(id: string): Promise<ChangeRequest | undefined> {
    await Promise.resolve();
    const row = this.rows.get(id);
    return row ? ChangeRequest.parse(structuredClone(row)) : undefined;
  }

  async list(filter: ChangeFilter): Promise<ChangeRequest[]> {
    await Promise.resolve();
    const out = [...this.rows.values()]
      .filter((r) => !filter.customerIds || filter.customerIds.includes(r.customerId))
      .filter((r) => !filter.states || filter.states.includes(r.state))
      .filter((r) => !filter.requesterId || r.requester.aadObjectId.toLowerCase() === filter.requesterId.toLowerCase())
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
    return out.slice(0, filter.limit ?? out.length).map((r) => ChangeRequest.parse(structuredClone(r)));
  }

  async transition(
    id: string,
    condition: { from: readonly ChangeState[]; expectVersion?: number },
    to: ChangeState,
    patch: Partial<Pick<ChangeRequest, 'approvals' | 'operation' | 'outcome' | 'rejection'>>,
    audit: AuditEntry,
  ): Promise<ChangeRequest | undefined> {
    await Promise.resolve();
    const row = this.rows.get(id);
    if (!row || !condition.from.includes(row.state)) return undefined;
    if (condition.expectVersion !== undefined && row.version !== condition.expectVersion) return undefined;
    const next = ChangeRequest.parse({ ...structuredClone(row), ...structuredClone(patch), state: to, version: row.version + 1, updatedAt: audit.at });
    this.rows.set(id, next);
    this.trail.push(AuditEntry.parse(structuredClone(audit)));
    this.writes.transition += 1;
    return ChangeRequest.parse(structuredClone(next));
  }

  async addApproval(id: string, approval: Approval, audit: AuditEntry | ((updated: ChangeRequest) => AuditEntry)): Promise<ChangeRequest | 'duplicate' | 'not-pending'> {
    await Promise.resolve();
    const row = this.rows.get(id);
    if (!row) return 'not-pending';
    const who = approval.by.aadObjectId.toLowerCase();
    if (row.approvals.some((a) => a.by.aadObjectId.toLowerCase() === who)) return 'duplicate';
    if (row.state !== 'pending' || row.approvals.length >= row.required) return 'not-pending';
    const at = approval.at;
    const next = ChangeRequest.parse({
      ...structuredClone(row),
      approvals: [...row.approvals, structuredClone(approval)],
      version: row.version + 1,
      updatedAt: at,
    });
    const entry = typeof audit === 'function' ? audit(next) : audit;
    this.rows.set(id, next);
    this.trail.push(AuditEntry.parse(structuredClone(entry)));
    this.writes.addApproval += 1;
    return ChangeRequest.parse(structuredClone(next));
  }

  async saveOperation(id: string, operation: ChangeRequest['operation'], expectState: ChangeState, expectVersion?: number): Promise<boolean> {
    await Promise.resolve();
    const row = this.rows.get(id);
    if (!row || row.state !== expectState) return false;
    if (expectVersion !== undefined && row.version !== expectVersion) return false;
    const next = { ...structuredClone(row), version: row.version + 1 };
    if (operation) next.operation = structuredClone(operation);
    else delete next.operation;
    this.rows.set(id, ChangeRequest.parse(next));
    this.writes.saveOperation += 1;
    return true;
  }

  async audit(filter: { customerIds: readonly string[]; requestId?: string; limit: number }): Promise<AuditEntry[]> {
    await Promise.resolve();
    return this.trail
      .filter((e) => filter.customerIds.includes(e.customerId) && (!filter.requestId || e.requestId === filter.requestId))
      .slice(-filter.limit)
      .reverse()
      .map((e) => AuditEntry.parse(structuredClone(e)));
  }

  async addCardPost(post: CardPost): Promise<void> {
    await Promise.resolve();
    this.posts.push({ ...post });
  }

  async cardPosts(requestId: string): Promise<CardPost[]> {
    await Promise.resolve();
    return this.posts.filter((p) => p.requestId === requestId).map((p) => ({ ...p }));
  }

  async saveReference(key: string, reference: unknown): Promise<void> {
    await Promise.resolve();
    this.references.set(key, structuredClone(reference));
  }

  async getReference(key: string): Promise<unknown | undefined> {
    await Promise.resolve();
    const r = this.references.get(key);
    return r === undefined ? undefined : structuredClone(r);
  }

  async close(): Promise<void> {}

  /** Test helper: overwrite a row as a crashed process would have left it. */
  async forceRow(request: ChangeRequest): Promise<void> {
    this.rows.set(request.id, ChangeRequest.parse(structuredClone(request)));
  }
}
