import assert from 'node:assert/strict';
import { TableClient } from '@azure/data-tables';
import { MAX_TABLE_PREFIX_LENGTH, TableChangeStore } from '../../src/store';
import { CodedError, ErrorCode } from '../../src/errors';
import { DEMO_CUSTOMERS, DEMO_PEOPLE } from '../../src/demo/customers';
import type { ChangeRequest } from '../../src/changes/change-request';
import { describeChangeStoreContract } from './change-store-contract';
import { makeAudit, makeChangeRequest } from '../support/seed-requests';
import { startAzurite, type Azurite } from '../support/azurite';
import { OffsetClock } from '../support/offset-clock';
import { TargetBusy, targetKey } from '../../src/changes/target-lock';
import { requestEntity } from '../../src/store/table-entities';
import { LOCK_ROW, lockPartition } from '../../src/store/table-keys';
import { TableTargetLocks } from '../../src/store/table-target-lock';
import { raceCreatesInTwoProcesses } from './fork-store-child';
import { freshTarget, makeRequestOn } from './on-target';

describe('TableChangeStore', function () {
  this.timeout(20_000);
  let azurite: Azurite;
  let n = 0;
  const freshPrefix = () => `t${process.pid}x${++n}`;
  const open: TableChangeStore[] = [];

  before(async () => {
    azurite = await startAzurite();
  });
  after(async () => {
    await azurite?.stop();
  });
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
  });

  function openStore(tablePrefix: string): Promise<TableChangeStore> {
    return TableChangeStore.open({ connectionString: azurite.connectionString, tablePrefix, allowInsecureConnection: true }).then((s) => {
      open.push(s);
      return s;
    });
  }

  /** Two "bot instances": separate stores (separate clients, stampers and connections) on the same tables. */
  async function twoInstances(): Promise<[TableChangeStore, TableChangeStore]> {
    const prefix = freshPrefix();
    const a = await openStore(prefix);
    const b = await openStore(prefix);
    return [a, b];
  }

  async function createApproved(store: TableChangeStore, overrides: Partial<ChangeRequest> = {}): Promise<ChangeRequest> {
    const r = makeRequestOn(freshTarget(), overrides);
    await store.create(r, makeAudit(r, 'requested'));
    const moved = await store.transition(r.id, { from: ['pending'] }, 'approved', {}, makeAudit(r, 'approved'));
    assert.ok(moved);
    return moved;
  }

  function rawTable(prefix: string): TableClient {
    return TableClient.fromConnectionString(azurite.connectionString, `${prefix}Changes`, { allowInsecureConnection: true });
  }

  describeChangeStoreContract('TableChangeStore (Azurite)', () =>
    TableChangeStore.open({ connectionString: azurite.connectionString, tablePrefix: freshPrefix(), allowInsecureConnection: true }),
  );

  describe('across instances', () => {
    it('should let exactly one of 100 approved → executing transitions win when two instances race', async () => {
      const [a, b] = await twoInstances();
      const r = await createApproved(a);
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          (i % 2 ? a : b).transition(
            r.id,
            { from: ['approved'] },
            'executing',
            { operation: { attempts: i } },
            makeAudit(r, 'executing', { outcome: `racer ${i}` }),
          ),
        ),
      );
      const winners = results.filter((x) => x !== undefined);
      assert.equal(winners.length, 1);
      for (const store of [a, b]) {
        const seen = await store.get(r.id);
        assert.equal(seen?.state, 'executing');
        assert.equal(seen?.version, r.version + 1);
        assert.deepEqual(seen?.operation, winners[0]?.operation);
      }
      const trail = await b.audit({ customerIds: [r.customerId], requestId: r.id, limit: 500 });
      assert.deepEqual(
        trail.map((e) => e.action),
        ['requested', 'approved', 'executing'],
      );
      assert.equal(trail[2]?.outcome, winners[0] && `racer ${winners[0].operation?.attempts}`, 'the audit entry is the winner’s');
    });

    it('should record one approval per approver when two instances race duplicate clicks', async () => {
      const [a, b] = await twoInstances();
      const r = makeChangeRequest({ required: 2 });
      await a.create(r, makeAudit(r, 'requested'));
      const clicks = Array.from({ length: 30 }, (_, i) => {
        const by = i % 3 === 0 ? DEMO_PEOPLE.oncall : DEMO_PEOPLE.approver;
        return (i % 2 ? a : b).addApproval(r.id, { by, at: i }, makeAudit(r, 'approved', { actor: by }));
      });
      const results = await Promise.all(clicks);
      const accepted = results.filter((x) => typeof x === 'object');
      assert.equal(accepted.length, 2, 'one per distinct approver');
      assert.equal(results.filter((x) => x === 'duplicate').length, 28);
      const after = await b.get(r.id);
      assert.deepEqual(
        after?.approvals.map((x) => x.by.aadObjectId).sort(),
        [DEMO_PEOPLE.approver.aadObjectId, DEMO_PEOPLE.oncall.aadObjectId].sort(),
      );
      assert.equal(after?.version, r.version + 2, 'neither approval overwrote the other');
      const trail = await a.audit({ customerIds: [r.customerId], requestId: r.id, limit: 100 });
      assert.equal(trail.filter((e) => e.action === 'approved').length, 2);
    });

    it('should not lose an audit entry or a version when instances append concurrently', async () => {
      const [a, b] = await twoInstances();
      const r = makeChangeRequest();
      await a.create(r, makeAudit(r, 'requested'));
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          (i % 2 ? a : b).transition(r.id, { from: ['pending'] }, 'pending', {}, makeAudit(r, `note-${i}`)),
        ),
      );
      assert.ok(
        results.every((x) => x !== undefined),
        'a same-state transition always succeeds after re-reading',
      );
      assert.equal((await a.get(r.id))?.version, r.version + 12);
      const trail = await b.audit({ customerIds: [r.customerId], requestId: r.id, limit: 100 });
      assert.equal(trail.length, 13);
      assert.equal(trail[0]?.action, 'requested');
    });

    it('should refuse a stale version from an instance that read before another moved the request', async () => {
      const [a, b] = await twoInstances();
      const r = await createApproved(a);
      const seenByB = await b.get(r.id);
      assert.ok(seenByB);
      assert.ok(await a.transition(r.id, { from: ['approved'] }, 'executing', {}, makeAudit(r, 'executing')));
      assert.equal(
        await b.transition(r.id, { from: ['approved', 'executing'], expectVersion: seenByB.version }, 'failed', {}, makeAudit(r, 'failed')),
        undefined,
      );
      assert.equal(await b.saveOperation(r.id, { attempts: 1 }, 'approved'), false);
      assert.equal(await b.saveOperation(r.id, { attempts: 1, status: 'InProgress' }, 'executing'), true);
      assert.equal((await a.get(r.id))?.operation?.status, 'InProgress');
    });
  });

  describe('one change per target across instances and processes', () => {
    const busyWith = (holder: Pick<ChangeRequest, 'id' | 'circuitName'>, state: string) => (e: unknown) => {
      assert.ok(e instanceof TargetBusy, String(e));
      assert.deepEqual(e.holder, { id: holder.id, state, circuitName: holder.circuitName });
      return true;
    };

    /** A lock row as a creator leaves it when it crashes, or stalls, between taking the lock and writing its request. */
    async function orphanLock(prefix: string, ghost: ChangeRequest, takenAt: number): Promise<void> {
      await rawTable(prefix).createEntity({
        partitionKey: lockPartition(targetKey(ghost.plan.targetId)),
        rowKey: LOCK_ROW,
        holderId: ghost.id,
        circuitName: ghost.circuitName,
        targetId: ghost.plan.targetId,
        takenAt,
      });
    }

    it('should create exactly one of 20 requests on one target when two instances race', async () => {
      const [a, b] = await twoInstances();
      const target = freshTarget();
      const racers = Array.from({ length: 20 }, (_, i) => makeRequestOn(i % 3 ? target : target.toUpperCase()));
      const results = await Promise.allSettled(racers.map((r, i) => (i % 2 ? a : b).create(r, makeAudit(r, 'requested'))));
      const won = racers.filter((_, i) => results[i]?.status === 'fulfilled');
      assert.equal(won.length, 1, results.map((x) => (x.status === 'rejected' ? String(x.reason) : 'created')).join('; '));
      const winner = won[0];
      assert.ok(winner);
      for (const x of results) if (x.status === 'rejected') busyWith(winner, 'pending')(x.reason);
      for (const store of [a, b]) {
        assert.deepEqual(
          (await store.list({})).map((r) => r.id),
          [winner.id],
        );
      }
    });

    it('should create exactly one of 20 requests on one target when two processes race on one Azurite', async function () {
      this.timeout(60_000);
      const prefix = freshPrefix();
      const store = await openStore(prefix);
      const target = freshTarget();
      const racers = Array.from({ length: 20 }, (_, i) => makeRequestOn(i % 3 ? target : target.toUpperCase()));
      const reports = await raceCreatesInTwoProcesses(
        { table: { connectionString: azurite.connectionString, tablePrefix: prefix } },
        racers,
      );
      assert.deepEqual(
        reports.flatMap((r) => r.failed),
        [],
      );
      const created = reports.flatMap((r) => r.created);
      assert.equal(created.length, 1, `created per process: ${reports.map((r) => r.created.length).join(', ')}`);
      const busy = reports.flatMap((r) => r.busy);
      assert.equal(busy.length, 19);
      assert.ok(
        busy.every((x) => x.holder === created[0]),
        'every refusal names the one created',
      );
      const overlap = Math.min(...reports.map((r) => r.endedAt)) - Math.max(...reports.map((r) => r.startedAt));
      assert.ok(overlap > 0, 'the two processes were creating at the same time');
      assert.deepEqual(
        (await store.list({})).map((r) => r.id),
        created,
      );
    });

    it('should count a lock whose request never appeared as taken for the grace period, then fence that request out', async () => {
      const clock = new OffsetClock();
      const prefix = freshPrefix();
      const store = await TableChangeStore.open({
        connectionString: azurite.connectionString,
        tablePrefix: prefix,
        allowInsecureConnection: true,
        clock,
        targetLockGraceInMs: 30_000,
      });
      open.push(store);
      const target = freshTarget();
      const ghost = makeRequestOn(target, { circuitName: 'nw-lon-er3' });
      await orphanLock(prefix, ghost, clock.now());

      const early = makeRequestOn(target);
      await assert.rejects(store.create(early, makeAudit(early, 'requested')), busyWith(ghost, 'pending'));
      clock.advance(29_000);
      await assert.rejects(store.create(early, makeAudit(early, 'requested')), busyWith(ghost, 'pending'));
      assert.equal(await store.get(early.id), undefined);

      clock.advance(2_000);
      await store.create(early, makeAudit(early, 'requested'));
      assert.deepEqual(await store.get(early.id), early);
      // The creator that only stalled writes its request at last: the claim row is taken, so the write fails…
      await assert.rejects(
        rawTable(prefix).submitTransaction([
          ['create', requestEntity(ghost)],
          ['create', TableTargetLocks.claimEntity(ghost)],
        ]),
        (e: unknown) => (e as { statusCode?: number }).statusCode === 409,
      );
      assert.equal(await store.get(ghost.id), undefined);
      // …and through the store, it finds the target taken.
      await assert.rejects(store.create(ghost, makeAudit(ghost, 'requested')), busyWith(early, 'pending'));
    });

    it('should tell a creator fenced out by a taker that crashed before taking the lock to create again', async () => {
      const prefix = freshPrefix();
      const store = await openStore(prefix);
      const ghost = makeRequestOn(freshTarget());
      await orphanLock(prefix, ghost, 0);
      await rawTable(prefix).createEntity({ partitionKey: ghost.id, rowKey: 'claim', fencedOutBy: 'CR-CRASHED' });
      await assert.rejects(store.create(ghost, makeAudit(ghost, 'requested')), (e: unknown) => {
        assert.ok(e instanceof CodedError, String(e));
        assert.match(e.message, new RegExp(`${ghost.id} took too long to be stored, and its target was given to another request`));
        assert.match(e.hint ?? '', /Create the request again/);
        return true;
      });
      const next = makeRequestOn(ghost.plan.targetId);
      await store.create(next, makeAudit(next, 'requested'));
      assert.deepEqual(await store.get(next.id), next, 'the target is free for a fresh id');
    });

    it('should take the locks of requests stored before locks existed when it first opens', async () => {
      const prefix = freshPrefix();
      await openStore(prefix);
      const raw = rawTable(prefix);
      await raw.deleteEntity('lock|', 'backfilled');
      const legacy = [makeRequestOn(freshTarget(), { state: 'executing' }), makeRequestOn(freshTarget(), { state: 'succeeded' })];
      for (const r of legacy) await raw.createEntity(requestEntity(r));

      const store = await openStore(prefix);
      const [active, done] = legacy as [ChangeRequest, ChangeRequest];
      const blocked = makeRequestOn(active.plan.targetId.toUpperCase());
      await assert.rejects(store.create(blocked, makeAudit(blocked, 'requested')), busyWith(active, 'executing'));
      const free = makeRequestOn(done.plan.targetId);
      await store.create(free, makeAudit(free, 'requested'));
      assert.deepEqual(await store.get(free.id), free);
    });

    it('should refuse an unreadable lock row by its target instead of guessing', async () => {
      const prefix = freshPrefix();
      const store = await openStore(prefix);
      const r = makeRequestOn(freshTarget());
      await rawTable(prefix).createEntity({ partitionKey: lockPartition(targetKey(r.plan.targetId)), rowKey: LOCK_ROW, holderId: 42 });
      await assert.rejects(store.create(r, makeAudit(r, 'requested')), (e: unknown) => {
        assert.ok(e instanceof CodedError, String(e));
        assert.match(e.message, /target lock/);
        assert.equal(e.details?.corrupted, true);
        return true;
      });
      assert.equal(await store.get(r.id), undefined);
    });
  });

  describe('atomicity and rows', () => {
    it('should add no audit entry and no approval rows when creating a duplicate id fails', async () => {
      const store = await openStore(freshPrefix());
      const r = makeChangeRequest();
      await store.create(r, makeAudit(r, 'requested'));
      const twin = { ...r, approvals: [{ by: DEMO_PEOPLE.approver, at: 5 }] };
      await assert.rejects(
        store.create(twin, makeAudit(twin, 'requested-again')),
        (e: unknown) => e instanceof CodedError && e.details?.duplicateId === true,
      );
      assert.deepEqual(
        (await store.audit({ customerIds: [r.customerId], limit: 10 })).map((e) => e.action),
        ['requested'],
      );
      // The first approval must still be accepted: no orphaned approval row was left behind.
      assert.equal(typeof (await store.addApproval(r.id, { by: DEMO_PEOPLE.approver, at: 6 }, makeAudit(r, 'approved'))), 'object');
    });

    it('should keep approval rows in step when a transition replaces the approvals', async () => {
      const store = await openStore(freshPrefix());
      const r = makeChangeRequest({ required: 2 });
      await store.create(r, makeAudit(r, 'requested'));
      assert.equal(typeof (await store.addApproval(r.id, { by: DEMO_PEOPLE.approver, at: 1 }, makeAudit(r, 'approved'))), 'object');
      const cleared = await store.transition(r.id, { from: ['pending'] }, 'pending', { approvals: [] }, makeAudit(r, 'approvals-reset'));
      assert.deepEqual(cleared?.approvals, []);
      // With the row gone, the same approver may approve again; a row left behind would make it 'duplicate'.
      const again = await store.addApproval(r.id, { by: DEMO_PEOPLE.approver, at: 2 }, makeAudit(r, 'approved'));
      assert.equal(typeof again, 'object');
      assert.equal(await store.addApproval(r.id, { by: DEMO_PEOPLE.approver, at: 3 }, makeAudit(r, 'approved')), 'duplicate');
    });

    it('should put all of a request in one partition', async () => {
      const prefix = freshPrefix();
      const store = await openStore(prefix);
      const r = makeChangeRequest();
      await store.create(r, makeAudit(r, 'requested'));
      await store.addApproval(r.id, { by: DEMO_PEOPLE.approver, at: 1 }, makeAudit(r, 'approved'));
      await store.addCardPost({ requestId: r.id, conversationKey: 'conv:1', activityId: 'act-1', audience: 'channel' });
      const keys: string[] = [];
      const others: string[] = [];
      for await (const e of rawTable(prefix).listEntities()) {
        if (e.partitionKey === r.id) keys.push((e.rowKey ?? '').split('|')[0] ?? '');
        else others.push(`${e.partitionKey?.replace(/^lock\|[0-9a-f]{64}$/, 'lock|<target hash>')} ${e.rowKey}`);
      }
      assert.deepEqual(keys.sort(), ['approval', 'audit', 'audit', 'card', 'claim', 'request']);
      assert.deepEqual(
        others.sort(),
        ['lock| backfilled', 'lock|<target hash> lock'],
        "besides it, only its target's lock and the backfill marker",
      );
    });
  });

  describe('limits, keys and corrupt rows', () => {
    it('should refuse a request larger than 64 KB with a clear message, and store nothing', async () => {
      const store = await openStore(freshPrefix());
      const r = makeChangeRequest({ input: { note: 'x'.repeat(40_000) } });
      await assert.rejects(store.create(r, makeAudit(r, 'requested')), (e: unknown) => {
        assert.ok(e instanceof CodedError);
        assert.equal(e.code, ErrorCode.BadInput);
        assert.match(e.message, new RegExp(`${r.id}.*too large.*64 KB`));
        assert.ok(e.hint);
        return true;
      });
      assert.equal(await store.get(r.id), undefined);
      assert.deepEqual(await store.audit({ customerIds: [r.customerId], limit: 10 }), []);
    });

    it('should refuse a transition that would grow the request past 64 KB and leave it unchanged', async () => {
      const store = await openStore(freshPrefix());
      const r = await createApproved(store);
      const huge = { code: 'Big', message: 'y'.repeat(40_000) };
      await assert.rejects(
        store.transition(r.id, { from: ['approved'] }, 'failed', { outcome: huge }, makeAudit(r, 'failed')),
        (e: unknown) => e instanceof CodedError && e.code === ErrorCode.BadInput,
      );
      assert.deepEqual(await store.get(r.id), r);
    });

    it('should handle keys with characters Table Storage forbids', async () => {
      const store = await openStore(freshPrefix());
      const key = 'channel:contoso/ops#general?x=1\\y%20';
      const ref = { conversation: { id: '19:a/b#c?d@thread.tacv2' } };
      await store.saveReference(key, ref);
      assert.deepEqual(await store.getReference(key), ref);
      assert.equal(await store.getReference('channel:contoso/ops#general?x=1\\y%21'), undefined);
      assert.equal(await store.get('CR-../../x?#'), undefined);
      assert.equal(await store.get("CR-O'BRIEN"), undefined);
      assert.deepEqual(await store.cardPosts('a/b#c'), []);
      assert.deepEqual(await store.audit({ customerIds: ["o'brien"], requestId: "CR-1'or'1", limit: 5 }), []);
      const r = makeChangeRequest();
      await store.create(r, makeAudit(r, 'requested'));
      const post = { requestId: r.id, conversationKey: 'conv/with#odd?chars', activityId: '1:abc/def', audience: 'approver' };
      await store.addCardPost(post);
      assert.deepEqual(await store.cardPosts(r.id), [post]);
      const approver = { aadObjectId: 'user/with#odd?id', name: 'Odd' };
      assert.equal(typeof (await store.addApproval(r.id, { by: approver, at: 1 }, makeAudit(r, 'approved'))), 'object');
      assert.equal(await store.addApproval(r.id, { by: approver, at: 2 }, makeAudit(r, 'approved')), 'duplicate');
    });

    it('should filter correctly when there are more customers than one query may compare', async () => {
      const store = await openStore(freshPrefix());
      const contoso = makeChangeRequest();
      const fabrikam = makeChangeRequest({ customerId: DEMO_CUSTOMERS.fabrikam.id });
      for (const r of [contoso, fabrikam]) await store.create(r, makeAudit(r, 'requested'));
      const many = [...Array.from({ length: 30 }, (_, i) => `customer-${i}`), DEMO_CUSTOMERS.fabrikam.id];
      assert.deepEqual(
        (await store.list({ customerIds: many })).map((r) => r.id),
        [fabrikam.id],
      );
      assert.deepEqual(
        (await store.list({ customerIds: many, states: ['pending', 'approved', 'executing', 'failed', 'rejected'] })).map((r) => r.id),
        [fabrikam.id],
      );
      assert.deepEqual(
        (await store.audit({ customerIds: many, limit: 10 })).map((e) => e.requestId),
        [fabrikam.id],
      );
    });

    it('should report a corrupt request row by its id instead of crashing', async () => {
      const prefix = freshPrefix();
      const store = await openStore(prefix);
      const r = makeChangeRequest();
      await store.create(r, makeAudit(r, 'requested'));
      const raw = rawTable(prefix);
      const check = async (json: string, extra: Record<string, unknown> = {}) => {
        await raw.updateEntity({ partitionKey: r.id, rowKey: 'request', json, ...extra }, 'Merge');
        for (const attempt of [
          store.get(r.id),
          store.list({}),
          store.transition(r.id, { from: ['pending'] }, 'cancelled', {}, makeAudit(r, 'cancelled')),
        ]) {
          await assert.rejects(attempt, (e: unknown) => {
            assert.ok(e instanceof CodedError, String(e));
            assert.match(e.message, new RegExp(r.id));
            assert.equal(e.details?.corrupted, true);
            assert.ok(e.hint);
            return true;
          });
        }
      };
      await check('{not json');
      await check(JSON.stringify({ ...r, state: 'exploded' }));
      // A document that says another customer than the column that queries filter on.
      await check(JSON.stringify({ ...r, customerId: DEMO_CUSTOMERS.fabrikam.id }));
    });

    it('should refuse an unusable table prefix and unusable connection settings with Config errors', async () => {
      await assert.rejects(
        TableChangeStore.open({ connectionString: azurite.connectionString, tablePrefix: 'bad-prefix!', allowInsecureConnection: true }),
        (e: unknown) => e instanceof CodedError && e.code === ErrorCode.Config && /letters and digits/.test(e.hint ?? ''),
      );
      await assert.rejects(TableChangeStore.open({ connectionString: 'AccountKey=c2VjcmV0;nonsense' }), (e: unknown) => {
        assert.ok(e instanceof CodedError);
        assert.equal(e.code, ErrorCode.Config);
        assert.doesNotMatch(JSON.stringify({ m: e.message, d: e.details }), /c2VjcmV0/, 'the key never appears in the error');
        return true;
      });
    });

    it('should open tables at the longest prefix the rule allows (63-character names), and refuse one character more as a Config error', async () => {
      const longest = `t${process.pid}x${++n}`.padEnd(MAX_TABLE_PREFIX_LENGTH, '0');
      const store = await openStore(longest);
      const r = makeChangeRequest();
      await store.create(r, makeAudit(r, 'requested'));
      assert.deepEqual(await store.get(r.id), r);
      assert.match(store.where, new RegExp(`tables ${longest}Changes, ${longest}Refs`));
      await assert.rejects(openStore(`${longest}0`), (e: unknown) => {
        assert.ok(e instanceof CodedError);
        assert.equal(e.code, ErrorCode.Config);
        assert.match(e.hint ?? '', new RegExp(`at most ${MAX_TABLE_PREFIX_LENGTH} characters`));
        return true;
      });
    });

    it('should refuse a plain-HTTP endpoint unless allowInsecureConnection says it is an emulator', async () => {
      await assert.rejects(
        TableChangeStore.open({ connectionString: azurite.connectionString, tablePrefix: freshPrefix() }),
        (e: unknown) => {
          assert.ok(e instanceof CodedError);
          assert.equal(e.code, ErrorCode.Config);
          assert.match(e.message, /plain HTTP/);
          assert.doesNotMatch(`${e.message} ${e.hint}`, /AccountKey/);
          return true;
        },
      );
    });

    it('should refuse every call after close', async () => {
      const store = await TableChangeStore.open({
        connectionString: azurite.connectionString,
        tablePrefix: freshPrefix(),
        allowInsecureConnection: true,
      });
      await store.close();
      await assert.rejects(store.get('CR-AAAAA'), (e: unknown) => e instanceof CodedError && /closed/.test(e.message));
    });
  });
});
