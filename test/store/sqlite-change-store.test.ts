import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteChangeStore, LATEST_SCHEMA_VERSION, MIGRATIONS, migrate } from '../../src/store';
import { CodedError, ErrorCode } from '../../src/errors';
import { silentLogger } from '../../src/log';
import type { ChangeRequest } from '../../src/changes/change-request';
import { describeChangeStoreContract } from './change-store-contract';
import { makeAudit, makeChangeRequest, seedPendingRequests } from '../support/seed-requests';
import { TargetBusy } from '../../src/changes/target-lock';
import { nextMessage, raceCreatesInTwoProcesses, raceStoreChildren, startStoreChild } from './fork-store-child';
import { freshTarget, makeRequestOn } from './on-target';

const root = mkdtempSync(path.join(tmpdir(), 'erbot-store-'));
let n = 0;
const tempFile = () => path.join(root, `db-${++n}`, 'erbot.sqlite');

after(() => rmSync(root, { recursive: true, force: true }));

describeChangeStoreContract('SqliteChangeStore', () => SqliteChangeStore.open({ file: tempFile() }));

describe('SqliteChangeStore', function () {
  const open: { close(): unknown }[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
  });
  async function openStore(file: string): Promise<SqliteChangeStore> {
    const s = await SqliteChangeStore.open({ file });
    open.push(s);
    return s;
  }
  function raw(file: string): Database.Database {
    const db = new Database(file);
    open.push(db);
    return db;
  }
  async function createApproved(store: SqliteChangeStore): Promise<ChangeRequest> {
    const r = makeRequestOn(freshTarget());
    await store.create(r, makeAudit(r, 'requested'));
    const moved = await store.transition(r.id, { from: ['pending'] }, 'approved', {}, makeAudit(r, 'approved'));
    assert.ok(moved);
    return moved;
  }

  describe('schema and migrations', () => {
    it('should create the folder and the full schema in an empty location', async () => {
      const file = tempFile();
      assert.equal(existsSync(path.dirname(file)), false);
      await openStore(file);
      const db = raw(file);
      assert.equal(db.pragma('user_version', { simple: true }), LATEST_SCHEMA_VERSION);
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
        (t) => t.name,
      );
      for (const t of [
        'approvals',
        'audit',
        'card_posts',
        'conversation_refs',
        'requests',
        'schema_migrations',
        'alerts',
        'leases',
        'watch_gaps',
      ])
        assert.ok(tables.includes(t), t);
      // A watch gap is told or not: the table itself refuses anything else.
      assert.throws(() => db.prepare("INSERT INTO watch_gaps (customer_id, since, told) VALUES ('contoso', 1, 2)").run(), /CHECK/);
      assert.throws(
        () => db.prepare("INSERT INTO watch_gaps (customer_id, since, told) VALUES ('contoso', 'soon', 0)").run(),
        /cannot store TEXT value in INTEGER column/,
      );
      const applied = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[];
      assert.deepEqual(
        applied.map((m) => m.version),
        MIGRATIONS.map((m) => m.version),
      );
    });

    it('should run in WAL mode with foreign keys on', async () => {
      const file = tempFile();
      const store = await openStore(file);
      await seedPendingRequests(store, 1);
      assert.equal(raw(file).pragma('journal_mode', { simple: true }), 'wal');
      assert.ok(existsSync(`${file}-wal`));
      await assert.rejects(
        store.addCardPost({ requestId: 'CR-NOTHERE', conversationKey: 'k', activityId: 'a', audience: 'requester' }),
        (e: unknown) => e instanceof CodedError && e.code === ErrorCode.NotFound,
      );
    });

    it('should keep everything across a close and reopen, without migrating again', async () => {
      const file = tempFile();
      const first = await SqliteChangeStore.open({ file });
      const r = await createApproved(first);
      await first.addCardPost({ requestId: r.id, conversationKey: 'chat:1', activityId: 'act', audience: 'approver' });
      await first.saveReference('chat:1', { conversation: { id: 'c1' } });
      await first.close();

      const second = await openStore(file);
      assert.deepEqual(await second.get(r.id), r);
      assert.equal((await second.cardPosts(r.id)).length, 1);
      assert.deepEqual(await second.getReference('chat:1'), { conversation: { id: 'c1' } });
      assert.equal((await second.audit({ customerIds: [r.customerId], limit: 10 })).length, 2);
      const migrations = raw(file).prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number };
      assert.equal(migrations.n, MIGRATIONS.length);
    });

    it('should give the requests stored before the target lock their target key, so that they hold it', async () => {
      const file = tempFile();
      mkdirSync(path.dirname(file), { recursive: true });
      const db = new Database(file);
      migrate(db, { file, now: 0, logger: silentLogger, migrations: MIGRATIONS.filter((m) => m.version <= 3) });
      const old = makeRequestOn(freshTarget(), { state: 'approved' });
      const insert = db.prepare(
        `INSERT INTO requests (id, customer_id, state, requester_id, created_at, updated_at, expires_at, version, json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      insert.run(
        old.id,
        old.customerId,
        old.state,
        old.requester.aadObjectId,
        old.createdAt,
        old.updatedAt,
        old.expiresAt,
        1,
        JSON.stringify(old),
      );
      // An unreadable row stays unreadable; it must not stop the upgrade.
      insert.run('CR-BROKEN1', 'contoso', 'approved', 'x', 0, 0, 0, 1, '{"id": "trunc');
      db.close();

      const store = await openStore(file);
      assert.equal(raw(file).pragma('user_version', { simple: true }), LATEST_SCHEMA_VERSION);
      const second = makeRequestOn(old.plan.targetId.toUpperCase());
      await assert.rejects(
        store.create(second, makeAudit(second, 'requested')),
        (e: unknown) => e instanceof TargetBusy && e.holder.id === old.id && e.holder.state === 'approved',
      );
      const elsewhere = makeRequestOn(freshTarget());
      await store.create(elsewhere, makeAudit(elsewhere, 'requested'));
      const plan = raw(file)
        .prepare('EXPLAIN QUERY PLAN SELECT id FROM requests WHERE target_key = ? AND state IN (?, ?, ?)')
        .all('x', 'pending', 'approved', 'executing') as { detail: string }[];
      assert.ok(
        plan.some((p) => /USING INDEX requests_target/.test(p.detail)),
        `an index lookup: ${plan.map((p) => p.detail).join('; ')}`,
      );
    });

    it('should refuse a data file written by a newer version, saying so', async () => {
      const file = tempFile();
      await (await SqliteChangeStore.open({ file })).close();
      const db = new Database(file);
      db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
      db.close();
      await assert.rejects(SqliteChangeStore.open({ file }), (e: unknown) => {
        assert.ok(e instanceof CodedError);
        assert.equal(e.code, ErrorCode.Config);
        assert.match(e.message, /newer than this build/);
        assert.ok(e.message.includes(file));
        assert.match(e.hint ?? '', /newer version/);
        return true;
      });
    });

    it('should apply each migration atomically: a failing one leaves the previous version intact', () => {
      const db = new Database(':memory:');
      try {
        const broken = [
          ...MIGRATIONS,
          { version: LATEST_SCHEMA_VERSION + 1, name: 'broken', sql: 'CREATE TABLE half (x); SELECT * FROM no_such_table;' },
        ];
        assert.throws(() => migrate(db, { file: ':memory:', now: 0, logger: silentLogger, migrations: broken }));
        assert.equal(db.pragma('user_version', { simple: true }), LATEST_SCHEMA_VERSION);
        assert.deepEqual(
          db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'half'").get(),
          { n: 0 },
          'no half-applied table',
        );
        const fixed = [...MIGRATIONS, { version: LATEST_SCHEMA_VERSION + 1, name: 'fixed', sql: 'CREATE TABLE half (x);' }];
        assert.deepEqual(migrate(db, { file: ':memory:', now: 0, logger: silentLogger, migrations: fixed }), {
          from: LATEST_SCHEMA_VERSION,
          to: LATEST_SCHEMA_VERSION + 1,
        });
      } finally {
        db.close();
      }
    });

    it('should refuse a file that is not a database, with a clear message', async () => {
      const file = tempFile();
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, 'this is not sqlite, just text that is long enough to look like a header '.repeat(20));
      await assert.rejects(
        SqliteChangeStore.open({ file }),
        (e: unknown) => e instanceof CodedError && e.code === ErrorCode.Config && e.message.includes(file),
      );
    });
  });

  describe('append-only audit', () => {
    it('should make UPDATE and DELETE on audit rows fail in SQLite itself', async () => {
      const file = tempFile();
      const store = await openStore(file);
      const [r] = await seedPendingRequests(store, 1);
      assert.ok(r);
      const db = raw(file);
      assert.throws(() => db.prepare("UPDATE audit SET action = 'forged'").run(), /append-only/);
      assert.throws(() => db.prepare('DELETE FROM audit').run(), /append-only/);
      const trail = await store.audit({ customerIds: [r.customerId], limit: 10 });
      assert.deepEqual(
        trail.map((a) => a.action),
        ['requested'],
      );
    });
  });

  describe('corrupted rows', () => {
    async function corrupt(sql: string): Promise<{ store: SqliteChangeStore; bad: ChangeRequest; good: ChangeRequest }> {
      const file = tempFile();
      const store = await openStore(file);
      const [bad, good] = await seedPendingRequests(store, 2);
      assert.ok(bad && good);
      raw(file).prepare(sql).run(bad.id);
      return { store, bad, good };
    }
    const namesRequest = (id: string) => (e: unknown) => {
      assert.ok(e instanceof CodedError, String(e));
      assert.equal(e.code, ErrorCode.Internal);
      assert.ok(e.message.includes(id), e.message);
      assert.ok(e.hint);
      return true;
    };

    it('should report invalid JSON as an Internal error naming the request, and keep serving the others', async () => {
      const { store, bad, good } = await corrupt(`UPDATE requests SET json = '{"id": "trunc' WHERE id = ?`);
      await assert.rejects(store.get(bad.id), namesRequest(bad.id));
      await assert.rejects(store.list({}), namesRequest(bad.id));
      await assert.rejects(
        store.transition(bad.id, { from: ['pending'] }, 'cancelled', {}, makeAudit(bad, 'cancelled')),
        namesRequest(bad.id),
      );
      await assert.rejects(
        store.addApproval(bad.id, { by: { aadObjectId: 'x', name: 'X' }, at: 1 }, makeAudit(bad, 'approved')),
        namesRequest(bad.id),
      );
      assert.deepEqual(await store.get(good.id), good);
      assert.ok(await store.transition(good.id, { from: ['pending'] }, 'cancelled', {}, makeAudit(good, 'cancelled')));
    });

    it('should report a row that no longer fits the model', async () => {
      const { store, bad } = await corrupt(`UPDATE requests SET json = json_set(json, '$.required', 'two') WHERE id = ?`);
      await assert.rejects(store.get(bad.id), namesRequest(bad.id));
    });

    it('should report columns that disagree with the JSON', async () => {
      const { store, bad } = await corrupt(`UPDATE requests SET state = 'approved' WHERE id = ?`);
      await assert.rejects(store.get(bad.id), namesRequest(bad.id));
    });

    it('should roll back a transition that would leave an unreadable row', async () => {
      const { store, bad } = await corrupt(`UPDATE requests SET json = json_set(json, '$.required', -1) WHERE id = ?`);
      await assert.rejects(
        store.transition(bad.id, { from: ['pending'] }, 'cancelled', {}, makeAudit(bad, 'cancelled')),
        namesRequest(bad.id),
      );
      assert.equal(
        (await store.audit({ customerIds: [bad.customerId], requestId: bad.id, limit: 10 })).length,
        1,
        'no audit entry for the rolled-back transition',
      );
    });

    it('should report a corrupted audit entry by its request', async () => {
      const file = tempFile();
      const store = await openStore(file);
      const [r] = await seedPendingRequests(store, 1);
      assert.ok(r);
      const db = raw(file);
      // Triggers forbid editing the audit, so corruption here means someone bypassed them.
      db.exec('DROP TRIGGER audit_no_update');
      db.prepare("UPDATE audit SET json = '{}'").run();
      await assert.rejects(store.audit({ customerIds: [r.customerId], limit: 5 }), namesRequest(r.id));
    });

    it('should refuse to store an invalid request and write nothing', async () => {
      const store = await openStore(tempFile());
      const r = { ...makeChangeRequest(), id: 'not-an-id' };
      await assert.rejects(
        store.create(r, makeAudit(r, 'requested')),
        (e: unknown) => e instanceof CodedError && e.code === ErrorCode.Internal,
      );
      assert.deepEqual(await store.list({}), []);
    });

    it('should refuse a transition patch that breaks the model, and leave the request as it was', async () => {
      const store = await openStore(tempFile());
      const [r] = await seedPendingRequests(store, 1);
      assert.ok(r);
      const badPatch = { outcome: { message: 42 } } as unknown as { outcome: { message: string } };
      await assert.rejects(
        store.transition(r.id, { from: ['pending'] }, 'failed', badPatch, makeAudit(r, 'failed')),
        (e: unknown) => e instanceof CodedError,
      );
      assert.deepEqual(await store.get(r.id), r);
    });
  });

  describe('several instances and processes on one file', () => {
    it('should let a second instance see every committed write at once', async () => {
      const file = tempFile();
      const a = await openStore(file);
      const b = await openStore(file);
      const r = await createApproved(a);
      assert.deepEqual(await b.get(r.id), r);
      const moved = await b.transition(r.id, { from: ['approved'] }, 'executing', {}, makeAudit(r, 'executing'));
      assert.ok(moved);
      assert.deepEqual(await a.get(r.id), moved);
      assert.equal(
        await a.transition(r.id, { from: ['approved'], expectVersion: r.version }, 'executing', {}, makeAudit(r, 'executing')),
        undefined,
      );
    });

    it('should hold the compare-and-set across two instances racing', async () => {
      const file = tempFile();
      const stores = [await openStore(file), await openStore(file)];
      const r = await createApproved(stores[0]!);
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          stores[i % 2]!.transition(r.id, { from: ['approved'] }, 'executing', {}, makeAudit(r, 'executing')),
        ),
      );
      assert.equal(results.filter(Boolean).length, 1);
      assert.equal((await stores[1]!.get(r.id))?.version, r.version + 1);
    });

    it('should hold the compare-and-set across four processes racing on the same requests', async function () {
      this.timeout(60_000);
      const file = tempFile();
      const store = await openStore(file);
      const requests: ChangeRequest[] = [];
      for (let i = 0; i < 200; i++) requests.push(await createApproved(store));
      const targets = requests.map((r) => ({ id: r.id, customerId: r.customerId }));
      // Two children walk the list in the same order (head-on races for the same row), two start part-way round
      // (one process meets rows another already moved).
      const orders = [0, 0, 50, 100].map((k) => [...targets.slice(k), ...targets.slice(0, k)]);
      const reports = (await raceStoreChildren(
        orders.map((order) => ['race', file, JSON.stringify(order)]),
        'results',
      )) as { results: string[]; startedAt: number; endedAt: number }[];
      const wins = reports.flatMap((m) => m.results);
      assert.deepEqual([...wins].sort(), requests.map((r) => r.id).sort(), 'each request moved exactly once');
      const overlap = Math.min(...reports.map((m) => m.endedAt)) - Math.max(...reports.map((m) => m.startedAt));
      assert.ok(
        overlap > 0,
        `the four processes were running at the same time (wins per process: ${reports.map((m) => m.results.length).join(', ')})`,
      );
      for (const r of requests) {
        const executing = (await store.audit({ customerIds: [r.customerId], requestId: r.id, limit: 100 })).filter(
          (a) => a.action === 'executing',
        );
        assert.equal(executing.length, 1, r.id);
        assert.equal((await store.get(r.id))?.version, r.version + 1);
      }
    });

    it('should lose nothing a killed process had written before it answered', async function () {
      this.timeout(30_000);
      const file = tempFile();
      const r = makeChangeRequest();
      const child = startStoreChild(['write-and-wait', file, JSON.stringify(r)]);
      try {
        await nextMessage(child, 'written');
      } finally {
        child.kill('SIGKILL');
      }
      await new Promise((resolve) => child.once('exit', resolve));
      const store = await openStore(file);
      assert.deepEqual(await store.get(r.id), r);
      assert.ok(await store.getReference(`ref:${r.id}`));
    });

    it('should create exactly one of 20 requests on one target when two instances race', async () => {
      const file = tempFile();
      const stores = [await openStore(file), await openStore(file)];
      const target = freshTarget();
      const racers = Array.from({ length: 20 }, (_, i) => makeRequestOn(i % 3 ? target : target.toUpperCase()));
      const results = await Promise.allSettled(racers.map((r, i) => stores[i % 2]!.create(r, makeAudit(r, 'requested'))));
      const won = racers.filter((_, i) => results[i]?.status === 'fulfilled');
      assert.equal(won.length, 1);
      for (const x of results) if (x.status === 'rejected') assert.ok(x.reason instanceof TargetBusy && x.reason.holder.id === won[0]?.id);
      assert.deepEqual(
        (await stores[1]!.list({})).map((r) => r.id),
        [won[0]?.id],
      );
    });

    it('should create exactly one of 20 requests on one target when two processes race', async function () {
      this.timeout(60_000);
      const file = tempFile();
      const store = await openStore(file);
      const target = freshTarget();
      const racers = Array.from({ length: 20 }, (_, i) => makeRequestOn(i % 3 ? target : target.toUpperCase()));
      const reports = await raceCreatesInTwoProcesses({ sqlite: file }, racers);
      assert.deepEqual(
        reports.flatMap((r) => r.failed),
        [],
      );
      const created = reports.flatMap((r) => r.created);
      assert.equal(created.length, 1, `created per process: ${reports.map((r) => r.created.length).join(', ')}`);
      const busy = reports.flatMap((r) => r.busy);
      assert.equal(busy.length, 19);
      assert.ok(busy.every((b) => b.holder === created[0]));
      assert.deepEqual(
        (await store.list({})).map((r) => r.id),
        created,
      );
    });
  });

  it('should keep filters exact with 1,000 pending requests in the store', async function () {
    this.timeout(60_000);
    const store = await openStore(tempFile());
    const seeded = await seedPendingRequests(store, 1000);
    const contoso = seeded.filter((r) => r.customerId === 'contoso');
    const page = await store.list({ customerIds: ['contoso'], states: ['pending'], limit: 20 });
    assert.deepEqual(
      page.map((r) => r.id),
      contoso
        .slice(-20)
        .reverse()
        .map((r) => r.id),
    );
    assert.equal(
      (await store.list({ customerIds: ['contoso', 'fabrikam'], states: ['pending'] })).length,
      seeded.filter((r) => r.customerId !== 'northwind').length,
    );
    const [last] = seeded.slice(-1);
    assert.ok(last);
    const approved = await store.addApproval(last.id, { by: { aadObjectId: 'approver-1', name: 'A' }, at: 1 }, makeAudit(last, 'approved'));
    assert.ok(typeof approved === 'object');
    assert.ok(
      await store.transition(last.id, { from: ['pending'], expectVersion: approved.version }, 'approved', {}, makeAudit(last, 'approved')),
    );
    assert.equal((await store.list({ states: ['pending'] })).length, 999);
  });

  it('should answer a closed store with a CodedError, not a crash', async () => {
    const store = await SqliteChangeStore.open({ file: tempFile() });
    await store.close();
    await store.close();
    await assert.rejects(store.get('CR-AAAAAA'), (e: unknown) => e instanceof CodedError && /closed/.test(e.message));
  });
});
