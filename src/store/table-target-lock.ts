import { odata, type TableClient, type TableEntity } from '@azure/data-tables';
import { z } from 'zod';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { ChangeRequest } from '../changes/change-request';
import { LOCKING_STATES, TargetBusy, holdsLock, targetKey } from '../changes/target-lock';
import { fencedOut, unreadableRow } from './store-errors';
import { partitionOf, requestFromEntity, type RequestEntity } from './table-entities';
import { isStatus, tableFailure } from './table-errors';
import { CLAIM_ROW, LOCK_PARTITION_PREFIX, LOCK_ROW, REQUEST_ROW, lockPartition } from './table-keys';

/** How long a lock whose request never appeared counts as taken: its creator may still be writing it. */
export const DEFAULT_TARGET_LOCK_GRACE_MS = 30_000;

/** The lock row of one target: which request took it, and when (the taker's store clock). */
const LockRow = z.object({ holderId: z.string().min(1), circuitName: z.string(), takenAt: z.number() });
type LockRow = z.infer<typeof LockRow>;

/** Marks the changes table as holding a lock for every request that held one before locks existed. */
const BACKFILL_ROW = { partitionKey: LOCK_PARTITION_PREFIX, rowKey: 'backfilled' } as const;

export interface TableTargetLocksOptions {
  changes: TableClient;
  clock: Clock;
  logger: Logger;
  graceInMs: number;
  /** The stored request, or undefined when there is none. */
  read: (id: string) => Promise<ChangeRequest | undefined>;
}

/** What taking the lock needs written: nothing (it is already the request's), or a write that may lose a race. */
export type TakeLock = { write?: () => Promise<void> };

/**
 * One change per target (changes/target-lock.ts) on Table Storage, where a request and its target's lock live
 * in different partitions and so cannot commit in one transaction. The lock is a row of its own, naming the
 * request that took it; it is taken before the request is written, by insert (409: someone was first) or by
 * replacing it under its etag (412: someone was first), and a lost race reads and decides again.
 *
 * A lock is free once its request no longer holdsLock. A lock whose request does not exist belongs to a creator
 * that is still writing it or crashed first: within the grace period it counts as taken, so two racing creators
 * cannot both win; after it, the next creator writes the absent request's claim row (CLAIM_ROW) before taking the
 * lock over. The creator writes that same row in the transaction with its request row, so a creator that was only
 * slow finds its write refused and decides again, instead of storing a second request on the target.
 */
export class TableTargetLocks {
  constructor(private readonly options: TableTargetLocksOptions) {}

  /**
   * Reads `request`'s target lock and decides: throws TargetBusy naming the request that holds it, or says what
   * to write to take it. Run it again after the write, or the request's own write, loses a race.
   */
  async plan(request: ChangeRequest): Promise<TakeLock> {
    const { changes, clock } = this.options;
    const partitionKey = lockPartition(targetKey(request.plan.targetId));
    const mine: TableEntity<LockRow & { targetId: string }> = {
      partitionKey,
      rowKey: LOCK_ROW,
      holderId: request.id,
      circuitName: request.circuitName,
      targetId: request.plan.targetId,
      takenAt: clock.now(),
    };
    const found = await this.readLock(partitionKey);
    if (!found) return { write: async () => void (await changes.createEntity(mine)) };
    const { lock, etag } = found;
    const takeOver = async () => void (await changes.updateEntity(mine, 'Replace', { etag }));
    if (lock.holderId === request.id) {
      // Ours from an earlier attempt with this id; the request's own write says whether it is a duplicate.
      if (await this.fencedOut(lock.holderId)) throw fencedOut(request.id);
      return {};
    }
    const now = clock.now();
    const holder = await this.options.read(lock.holderId);
    if (holder) {
      // A holder on another target (a lock left by a duplicate id) holds nothing here.
      const holds = holdsLock(holder, now) && targetKey(holder.plan.targetId) === targetKey(request.plan.targetId);
      if (holds) throw new TargetBusy({ id: holder.id, state: holder.state, circuitName: holder.circuitName });
      return { write: takeOver };
    }
    if (now - lock.takenAt < this.options.graceInMs) {
      throw new TargetBusy({ id: lock.holderId, state: 'pending', circuitName: lock.circuitName });
    }
    return {
      write: async () => {
        await this.fenceOut(lock.holderId, request.id);
        await takeOver();
      },
    };
  }

  /**
   * Takes a lock for every request that holds one but was written before locks existed. Idempotent, and done
   * once per table: a marker row records that it ran.
   */
  async backfill(): Promise<void> {
    const { changes, clock, logger } = this.options;
    if (await this.exists(BACKFILL_ROW.partitionKey, BACKFILL_ROW.rowKey)) return;
    const now = clock.now();
    const states = LOCKING_STATES.map((s) => odata`state eq ${s}`).join(' or ');
    const rows = changes.listEntities<RequestEntity>({
      queryOptions: {
        filter: `${odata`RowKey eq ${REQUEST_ROW}`} and (${states})`,
        select: ['PartitionKey', 'json', 'customerId', 'state'],
      },
    });
    let taken = 0;
    for await (const row of rows) {
      const pk = row.partitionKey ?? '';
      let r: ChangeRequest;
      try {
        r = requestFromEntity(row, pk, pk, logger);
      } catch {
        continue; // reported by requestFromEntity; an unreadable request takes no lock
      }
      if (!holdsLock(r, now)) continue;
      try {
        await changes.createEntity({
          partitionKey: lockPartition(targetKey(r.plan.targetId)),
          rowKey: LOCK_ROW,
          holderId: r.id,
          circuitName: r.circuitName,
          targetId: r.plan.targetId,
          takenAt: now,
        });
        taken += 1;
      } catch (e) {
        if (!isStatus(e, 409)) throw e;
      }
    }
    await changes.upsertEntity({ ...BACKFILL_ROW, at: now }, 'Replace');
    logger.info({ locks: taken }, 'target locks backfilled for requests written before them');
  }

  /** The claim row a creator writes with its request row. */
  static claimEntity(request: ChangeRequest): TableEntity {
    return { partitionKey: partitionOf(request.id), rowKey: CLAIM_ROW, targetId: request.plan.targetId };
  }

  private async readLock(partitionKey: string): Promise<{ lock: LockRow; etag: string } | undefined> {
    const row = await this.options.changes.getEntity<Record<string, unknown>>(partitionKey, LOCK_ROW).catch((e: unknown) => {
      if (isStatus(e, 404) && !isTableMissing(e)) return undefined;
      throw e;
    });
    if (!row) return undefined;
    const parsed = LockRow.safeParse(row);
    if (!parsed.success || typeof row.etag !== 'string') {
      throw unreadableRow(this.options.logger, `target lock ${partitionKey}`, parsed.error ?? 'it has no etag');
    }
    return { lock: parsed.data, etag: row.etag };
  }

  /**
   * Makes sure the absent request `holderId` can never be written. A 409 because its request row is there after
   * all is a lost race; one because someone else fenced it out already is what was wanted.
   */
  private async fenceOut(holderId: string, by: string): Promise<void> {
    const pk = partitionOf(holderId);
    try {
      await this.options.changes.createEntity({ partitionKey: pk, rowKey: CLAIM_ROW, fencedOutBy: by });
    } catch (e) {
      if (!isStatus(e, 409) || (await this.exists(pk, REQUEST_ROW))) throw e;
    }
  }

  private async fencedOut(id: string): Promise<boolean> {
    const pk = partitionOf(id);
    return (await this.exists(pk, CLAIM_ROW)) && !(await this.exists(pk, REQUEST_ROW));
  }

  private async exists(pk: string, rowKey: string): Promise<boolean> {
    try {
      await this.options.changes.getEntity(pk, rowKey, { queryOptions: { select: ['RowKey'] } });
      return true;
    } catch (e) {
      if (isStatus(e, 404) && !isTableMissing(e)) return false;
      throw e;
    }
  }
}

function isTableMissing(e: unknown): boolean {
  return tableFailure(e)?.code === 'TableNotFound';
}
