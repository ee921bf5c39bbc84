import assert from 'node:assert/strict';
import type { ChangeStore } from '../../src/changes/ports';
import { TERMINAL_STATES, type ChangeRequest, type ChangeState } from '../../src/changes/change-request';
import { LOCKING_STATES, TargetBusy } from '../../src/changes/target-lock';
import { DEMO_CUSTOMERS, DEMO_PEOPLE } from '../../src/demo/customers';
import { CodedError, ErrorCode } from '../../src/errors';
import { makeAudit, makeChangeRequest, seedPendingRequests } from '../support/seed-requests';
import { freshTarget, makeRequestOn } from './on-target';

/**
 * What every ChangeStore adapter must do, whatever it is built on. Run it from the adapter's own test file:
 * `describeChangeStoreContract('SqliteChangeStore', () => SqliteChangeStore.open({ file: tempFile() }))`.
 * `makeStore` must return a fresh, empty store each time; the suite closes it.
 */
export function describeChangeStoreContract(name: string, makeStore: () => Promise<ChangeStore>): void {
  describe(`ChangeStore contract: ${name}`, function () {
    let store: ChangeStore;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    async function created(overrides: Partial<ChangeRequest> = {}): Promise<ChangeRequest> {
      const r = makeChangeRequest(overrides);
      await store.create(r, makeAudit(r, 'requested', { to: r.state }));
      return r;
    }

    async function approved(): Promise<ChangeRequest> {
      const r = await created();
      const moved = await store.transition(
        r.id,
        { from: ['pending'] },
        'approved',
        {},
        makeAudit(r, 'approved', { from: 'pending', to: 'approved' }),
      );
      assert.ok(moved);
      return moved;
    }

    describe('create, get and list', () => {
      it('should return exactly what was created', async () => {
        const r = await created({ input: { bandwidthMbps: 5000, note: 'nested ok' } });
        assert.deepEqual(await store.get(r.id), r);
      });

      it('should return undefined for an unknown id', async () => {
        assert.equal(await store.get('CR-NOPE00'), undefined);
      });

      it('should refuse to create the same id twice and keep the first', async () => {
        const r = await created();
        const twin = { ...makeChangeRequest(), id: r.id, circuitName: 'other' };
        await assert.rejects(store.create(twin, makeAudit(twin, 'requested')), (e: unknown) => e instanceof CodedError);
        assert.equal((await store.get(r.id))?.circuitName, r.circuitName);
      });

      it('should filter by customer, state and requester, newest first, up to the limit', async () => {
        const seeded = await seedPendingRequests(store, 9);
        const contoso = seeded.filter((r) => r.customerId === DEMO_CUSTOMERS.contoso.id);
        const other = await created({
          customerId: DEMO_CUSTOMERS.fabrikam.id,
          requester: DEMO_PEOPLE.oncall,
          createdAt: Date.UTC(2030, 0, 1),
        });
        const first = seeded[0];
        assert.ok(first);
        await store.transition(first.id, { from: ['pending'] }, 'cancelled', {}, makeAudit(first, 'cancelled'));

        const all = await store.list({});
        assert.equal(all.length, 10);
        assert.equal(all[0]?.id, other.id, 'newest first');
        assert.deepEqual(
          all.map((r) => r.createdAt),
          [...all.map((r) => r.createdAt)].sort((a, b) => b - a),
        );

        const contosoIds = (await store.list({ customerIds: [DEMO_CUSTOMERS.contoso.id] })).map((r) => r.id).sort();
        assert.deepEqual(contosoIds, contoso.map((r) => r.id).sort());

        const pendingContoso = await store.list({ customerIds: [DEMO_CUSTOMERS.contoso.id], states: ['pending'] });
        assert.equal(pendingContoso.length, contoso.length - 1);
        assert.ok(pendingContoso.every((r) => r.state === 'pending' && r.customerId === DEMO_CUSTOMERS.contoso.id));

        assert.deepEqual(
          (await store.list({ states: ['cancelled'] })).map((r) => r.id),
          [first.id],
        );
        assert.deepEqual(
          (await store.list({ requesterId: DEMO_PEOPLE.oncall.aadObjectId })).map((r) => r.id),
          [other.id],
        );
        assert.equal((await store.list({ limit: 3 })).length, 3);
        assert.deepEqual(await store.list({ customerIds: [] }), [], 'no visible customers means nothing');
        assert.deepEqual(await store.list({ customerIds: ['unknown-customer'] }), []);
      });

      it('should filter by when a request was last written (updatedSince)', async () => {
        const seeded = await seedPendingRequests(store, 3);
        const touched = seeded[1];
        assert.ok(touched);
        const since = Math.max(...seeded.map((r) => r.updatedAt)) + 1;
        // A transition writes the store clock's now, later than the seeded requests' times.
        const moved = await store.transition(touched.id, { from: ['pending'] }, 'cancelled', {}, makeAudit(touched, 'cancelled'));
        assert.ok(moved && moved.updatedAt >= since);
        assert.deepEqual(
          (await store.list({ updatedSince: since })).map((r) => r.id),
          [touched.id],
        );
        assert.equal((await store.list({ updatedSince: since, states: ['pending'] })).length, 0);
        assert.equal((await store.list({ updatedSince: 0 })).length, 3);
      });
    });

    describe('transition (compare-and-set)', () => {
      it('should move the request, bump its version, apply the patch and audit it', async () => {
        const r = await approved();
        const outcome = { code: 'Ok', message: 'Bandwidth is now 2 Gbps', after: { Bandwidth: '2 Gbps' } };
        const moved = await store.transition(
          r.id,
          { from: ['approved'], expectVersion: r.version },
          'executing',
          { operation: { pollerState: '{"a":1}', correlationId: 'corr-1', attempts: 1 }, outcome },
          makeAudit(r, 'executing', { from: 'approved', to: 'executing', correlationId: 'corr-1' }),
        );
        assert.ok(moved);
        assert.equal(moved.state, 'executing');
        assert.equal(moved.version, r.version + 1);
        assert.deepEqual(moved.operation, { pollerState: '{"a":1}', correlationId: 'corr-1', attempts: 1 });
        assert.deepEqual(moved.outcome, outcome);
        assert.ok(moved.updatedAt >= r.updatedAt);
        assert.deepEqual(await store.get(r.id), moved);
        const trail = await store.audit({ customerIds: [r.customerId], requestId: r.id, limit: 10 });
        assert.deepEqual(
          trail.map((a) => a.action),
          ['requested', 'approved', 'executing'],
        );
        assert.equal(trail[2]?.correlationId, 'corr-1');
      });

      it('should leave fields the patch does not name untouched', async () => {
        const r = await approved();
        const executing = await store.transition(
          r.id,
          { from: ['approved'] },
          'executing',
          { operation: { pollerState: 'p', attempts: 1 } },
          makeAudit(r, 'executing'),
        );
        assert.ok(executing);
        const done = await store.transition(
          r.id,
          { from: ['executing'] },
          'succeeded',
          { outcome: { message: 'done' } },
          makeAudit(r, 'succeeded'),
        );
        assert.deepEqual(done?.operation, { pollerState: 'p', attempts: 1 });
        assert.deepEqual(done?.plan, r.plan);
      });

      it('should return undefined and change nothing when the request is in another state', async () => {
        const r = await created();
        const result = await store.transition(r.id, { from: ['approved'] }, 'executing', {}, makeAudit(r, 'executing'));
        assert.equal(result, undefined);
        assert.deepEqual(await store.get(r.id), r);
        assert.equal(
          (await store.audit({ customerIds: [r.customerId], requestId: r.id, limit: 10 })).length,
          1,
          'no audit for a failed CAS',
        );
      });

      it('should return undefined when the version moved on', async () => {
        const r = await created();
        const result = await store.transition(
          r.id,
          { from: ['pending'], expectVersion: r.version + 1 },
          'approved',
          {},
          makeAudit(r, 'approved'),
        );
        assert.equal(result, undefined);
        assert.equal((await store.get(r.id))?.state, 'pending');
        assert.ok(await store.transition(r.id, { from: ['pending'], expectVersion: r.version }, 'approved', {}, makeAudit(r, 'approved')));
      });

      it('should return undefined for an unknown request', async () => {
        const r = makeChangeRequest();
        assert.equal(await store.transition(r.id, { from: ['pending'] }, 'cancelled', {}, makeAudit(r, 'cancelled')), undefined);
      });

      it('should let exactly one of 100 concurrent approved → executing transitions win', async () => {
        const r = await approved();
        const results = await Promise.all(
          Array.from({ length: 100 }, (_, i) =>
            store.transition(
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
        const after = await store.get(r.id);
        assert.equal(after?.state, 'executing');
        assert.equal(after?.version, r.version + 1);
        assert.deepEqual(after?.operation, winners[0]?.operation);
        const executing = (await store.audit({ customerIds: [r.customerId], requestId: r.id, limit: 500 })).filter(
          (a) => a.action === 'executing',
        );
        assert.equal(executing.length, 1);
      });
    });

    describe('addApproval', () => {
      const approval = (by = DEMO_PEOPLE.approver, at = 1) => ({ by, at });

      it('should add distinct approvers in order, each with its audit entry', async () => {
        const r = await created({ required: 2 });
        const one = await store.addApproval(r.id, approval(DEMO_PEOPLE.approver, 10), makeAudit(r, 'approved'));
        assert.ok(typeof one === 'object');
        assert.equal(one.version, r.version + 1);
        const two = await store.addApproval(r.id, approval(DEMO_PEOPLE.oncall, 20), makeAudit(r, 'approved'));
        assert.ok(typeof two === 'object');
        assert.deepEqual(
          two.approvals.map((a) => a.by.aadObjectId),
          [DEMO_PEOPLE.approver.aadObjectId, DEMO_PEOPLE.oncall.aadObjectId],
        );
        assert.equal(two.state, 'pending', 'the store never decides that enough approvals arrived');
        assert.deepEqual(await store.get(r.id), two);
        assert.equal((await store.audit({ customerIds: [r.customerId], requestId: r.id, limit: 10 })).length, 3);
      });

      it('should answer duplicate for the same approver, even when clicks race', async () => {
        const r = await created({ required: 2 });
        const results = await Promise.all(Array.from({ length: 20 }, () => store.addApproval(r.id, approval(), makeAudit(r, 'approved'))));
        assert.equal(results.filter((x) => typeof x === 'object').length, 1);
        assert.equal(results.filter((x) => x === 'duplicate').length, 19);
        assert.equal((await store.get(r.id))?.approvals.length, 1);
        assert.equal((await store.audit({ customerIds: [r.customerId], requestId: r.id, limit: 50 })).length, 2);
      });

      it('should answer not-pending once the request has moved on, and change nothing', async () => {
        const r = await approved();
        assert.equal(await store.addApproval(r.id, approval(DEMO_PEOPLE.oncall), makeAudit(r, 'approved')), 'not-pending');
        assert.deepEqual(await store.get(r.id), r);
      });

      it('should answer not-pending once the approvals reach the count, though the request is still pending', async () => {
        const r = await created({ required: 1 });
        const one = await store.addApproval(r.id, approval(DEMO_PEOPLE.approver), makeAudit(r, 'approved'));
        assert.ok(typeof one === 'object');
        assert.equal(await store.addApproval(r.id, approval(DEMO_PEOPLE.oncall), makeAudit(r, 'approved')), 'not-pending');
        assert.deepEqual(await store.get(r.id), one, 'nothing changed');
        assert.equal((await store.audit({ customerIds: [r.customerId], requestId: r.id, limit: 10 })).length, 2);
      });

      it('should accept exactly `required` approvals when many different approvers race', async () => {
        const r = await created({ required: 2 });
        const people = Array.from({ length: 12 }, (_, i) => ({ aadObjectId: `racer-${i}`, name: `Racer ${i}` }));
        const results = await Promise.all(people.map((p) => store.addApproval(r.id, approval(p), makeAudit(r, 'approved'))));
        assert.equal(results.filter((x) => typeof x === 'object').length, 2);
        assert.equal(results.filter((x) => x === 'not-pending').length, 10);
        assert.equal((await store.get(r.id))?.approvals.length, 2);
        assert.equal((await store.audit({ customerIds: [r.customerId], requestId: r.id, limit: 50 })).length, 3);
      });

      it('should keep the last place of a Connect-To request for the customer side, even when CSP approvals race', async () => {
        const r = await created({ required: 2, needsCustomerSide: true });
        const people = Array.from({ length: 12 }, (_, i) => ({ aadObjectId: `csp-${i}`, name: `CSP ${i}` }));
        const results = await Promise.all(
          people.map((p) => store.addApproval(r.id, { ...approval(p), side: 'csp' as const }, makeAudit(r, 'approved'))),
        );
        assert.equal(results.filter((x) => typeof x === 'object').length, 1);
        assert.equal(results.filter((x) => x === 'needs-customer-side').length, 11);
        const erin = { aadObjectId: 'erin', name: 'Erin' };
        const last = await store.addApproval(r.id, { ...approval(erin), side: 'customer' }, makeAudit(r, 'approved'));
        assert.ok(typeof last === 'object');
        assert.deepEqual(
          last.approvals.map((a) => a.side),
          ['csp', 'customer'],
          'the side is stored with the approval',
        );
        assert.deepEqual(await store.get(r.id), last);
        assert.equal((await store.audit({ customerIds: [r.customerId], requestId: r.id, limit: 50 })).length, 3);
      });

      it('should build the audit entry from the request it stored when given a function', async () => {
        const r = await created({ required: 3 });
        assert.ok(typeof (await store.addApproval(r.id, approval(DEMO_PEOPLE.approver), makeAudit(r, 'approved'))) === 'object');
        const count = (u: ChangeRequest) => makeAudit(r, 'approved', { after: { approvals: `${u.approvals.length}/${u.required}` } });
        const two = await store.addApproval(r.id, approval(DEMO_PEOPLE.oncall), count);
        assert.ok(typeof two === 'object');
        const trail = await store.audit({ customerIds: [r.customerId], requestId: r.id, limit: 10 });
        assert.equal(trail[trail.length - 1]?.after?.approvals, '2/3');
      });

      it('should refuse an unknown request with NotFound', async () => {
        const r = makeChangeRequest();
        await assert.rejects(
          store.addApproval(r.id, approval(), makeAudit(r, 'approved')),
          (e: unknown) => e instanceof CodedError && e.code === ErrorCode.NotFound,
        );
      });
    });

    describe('saveOperation', () => {
      it('should save the poller state only while the request is in the expected state', async () => {
        const r = await approved();
        const executing = await store.transition(r.id, { from: ['approved'] }, 'executing', {}, makeAudit(r, 'executing'));
        assert.ok(executing);
        const op = {
          pollerState: '{"resumeFrom":"https://example/op/1"}',
          correlationId: 'c-9',
          submittedAt: 123,
          status: 'InProgress',
          attempts: 1,
        };
        assert.equal(await store.saveOperation(r.id, op, 'executing'), true);
        const saved = await store.get(r.id);
        assert.deepEqual(saved?.operation, op);
        assert.equal(saved?.state, 'executing');
        assert.ok((saved?.version ?? 0) > executing.version, 'every write bumps the version');
        assert.equal(await store.saveOperation(r.id, { ...op, status: 'Succeeded' }, 'approved'), false);
        assert.equal((await store.get(r.id))?.operation?.status, 'InProgress');
        assert.equal(await store.saveOperation('CR-UNKNOWN', op, 'executing'), false);
      });

      it('should compare-and-set on the version when given one, bumping it by exactly one (execution leases)', async () => {
        const r = await approved();
        const executing = await store.transition(
          r.id,
          { from: ['approved'] },
          'executing',
          { operation: { attempts: 0, owner: 'a', leaseUntil: 100 } },
          makeAudit(r, 'executing'),
        );
        assert.ok(executing);
        // Two instances claim the same expired lease: one wins.
        const claims = await Promise.all(
          ['b', 'c', 'd', 'e'].map((owner) =>
            store.saveOperation(r.id, { attempts: 0, owner, leaseUntil: 500 }, 'executing', executing.version),
          ),
        );
        assert.equal(claims.filter(Boolean).length, 1);
        const claimed = await store.get(r.id);
        assert.equal(claimed?.version, executing.version + 1);
        assert.equal(claimed?.operation?.leaseUntil, 500);
        assert.ok(['b', 'c', 'd', 'e'].includes(claimed?.operation?.owner ?? ''));
        // The loser's next write, at the version it knew, fails and changes nothing.
        assert.equal(await store.saveOperation(r.id, { attempts: 1, owner: 'x', leaseUntil: 900 }, 'executing', executing.version), false);
        assert.deepEqual(await store.get(r.id), claimed);
        // The winner chains on the version it wrote.
        assert.equal(
          await store.saveOperation(
            r.id,
            { attempts: 1, owner: claimed?.operation?.owner, leaseUntil: 900 },
            'executing',
            executing.version + 1,
          ),
          true,
        );
        assert.equal((await store.get(r.id))?.version, executing.version + 2);
      });
    });

    describe('audit', () => {
      it('should keep entries in append order and return the most recent up to the limit', async () => {
        const r = await created();
        for (const action of ['a1', 'a2', 'a3', 'a4']) await appendViaTransition(r, action);
        const all = await store.audit({ customerIds: [r.customerId], limit: 100 });
        assert.deepEqual(
          all.map((a) => a.action),
          ['requested', 'a1', 'a2', 'a3', 'a4'],
        );
        const last2 = await store.audit({ customerIds: [r.customerId], limit: 2 });
        assert.deepEqual(
          last2.map((a) => a.action),
          ['a3', 'a4'],
        );
      });

      it('should filter by customer and request', async () => {
        const a = await created();
        const b = await created({ customerId: DEMO_CUSTOMERS.fabrikam.id });
        const c = await created();
        assert.deepEqual(
          (await store.audit({ customerIds: [DEMO_CUSTOMERS.fabrikam.id], limit: 10 })).map((e) => e.requestId),
          [b.id],
        );
        assert.deepEqual(
          (await store.audit({ customerIds: [DEMO_CUSTOMERS.contoso.id], limit: 10 })).map((e) => e.requestId),
          [a.id, c.id],
        );
        assert.deepEqual(
          (await store.audit({ customerIds: [DEMO_CUSTOMERS.contoso.id, DEMO_CUSTOMERS.fabrikam.id], requestId: c.id, limit: 10 })).map(
            (e) => e.requestId,
          ),
          [c.id],
        );
        assert.deepEqual(await store.audit({ customerIds: [], limit: 10 }), []);
      });

      it('should offer no way to change or remove an entry', () => {
        const methods = new Set<string>();
        for (let p: object | null = store; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
          for (const n of Object.getOwnPropertyNames(p)) methods.add(n);
        }
        assert.deepEqual(
          [...methods].filter((n) => /audit/i.test(n) && /update|delete|remove|edit|clear|truncate/i.test(n)),
          [],
        );
      });

      it('should keep every field of an entry', async () => {
        const r = await created();
        const entry = makeAudit(r, 'failed', {
          from: 'executing',
          to: 'failed',
          before: { Bandwidth: '1 Gbps' },
          after: { Bandwidth: '1 Gbps' },
          correlationId: 'corr-x',
          outcome: 'ARM said Conflict',
        });
        await store.transition(r.id, { from: ['pending'] }, 'failed', {}, entry);
        const trail = await store.audit({ customerIds: [r.customerId], requestId: r.id, limit: 10 });
        assert.deepEqual(trail.at(-1), entry);
      });

      async function appendViaTransition(r: ChangeRequest, action: string): Promise<void> {
        // A pending → pending transition is a legal way to append an audit entry with no state change.
        assert.ok(await store.transition(r.id, { from: ['pending'] }, 'pending', {}, makeAudit(r, action)));
      }
    });

    describe('one change per target', () => {
      /** Creates a live pending request on `target` and moves it to `state`, as the workflow would. */
      async function holding(target: string, state: ChangeState, overrides: Partial<ChangeRequest> = {}): Promise<ChangeRequest> {
        const r = makeRequestOn(target, overrides);
        await store.create(r, makeAudit(r, 'requested', { to: 'pending' }));
        if (state === 'pending') return r;
        const moved = await store.transition(r.id, { from: ['pending'] }, state, {}, makeAudit(r, state, { from: 'pending', to: state }));
        assert.ok(moved);
        return moved;
      }

      const busyWith = (holder: ChangeRequest, state: ChangeState) => (e: unknown) => {
        assert.ok(e instanceof TargetBusy, `expected TargetBusy, got ${String(e)}`);
        assert.deepEqual(e.holder, { id: holder.id, state, circuitName: holder.circuitName });
        assert.match(e.message, new RegExp(`${holder.id} is ${state} on ${holder.circuitName}`));
        return true;
      };

      for (const state of LOCKING_STATES) {
        it(`should refuse a second request on a target whose request is ${state}, whatever the case of its id, naming the first`, async () => {
          const target = freshTarget();
          const first = await holding(target, state, { circuitName: 'nw-lon-er3' });
          for (const sameTarget of [target, target.toUpperCase(), ` ${target.toLowerCase()} `]) {
            const second = makeRequestOn(sameTarget);
            await assert.rejects(store.create(second, makeAudit(second, 'requested')), busyWith(first, state));
            assert.equal(await store.get(second.id), undefined, 'the refused request is not stored');
            assert.deepEqual(await store.audit({ customerIds: [second.customerId], requestId: second.id, limit: 5 }), []);
          }
          assert.equal((await store.get(first.id))?.state, state, 'the holder is untouched');
        });
      }

      for (const state of TERMINAL_STATES) {
        it(`should free the target once its request is ${state}`, async () => {
          const target = freshTarget();
          const first = await holding(target, 'approved');
          const blocked = makeRequestOn(target);
          await assert.rejects(store.create(blocked, makeAudit(blocked, 'requested')), busyWith(first, 'approved'));
          assert.ok(await store.transition(first.id, { from: ['approved'] }, state, {}, makeAudit(first, state)));
          const next = makeRequestOn(target.toUpperCase());
          await store.create(next, makeAudit(next, 'requested'));
          assert.deepEqual(await store.get(next.id), next);
          const third = makeRequestOn(target);
          await assert.rejects(store.create(third, makeAudit(third, 'requested')), busyWith(next, 'pending'), 'and the new one holds it');
        });
      }

      it('should free the target once a pending request is past its expiresAt, though nobody has expired it', async () => {
        const target = freshTarget();
        const now = Date.now();
        const lapsed = await holding(target, 'pending', { createdAt: now - 2 * 60 * 60_000, expiresAt: now - 1 });
        const next = makeRequestOn(target);
        await store.create(next, makeAudit(next, 'requested'));
        assert.equal((await store.get(lapsed.id))?.state, 'pending', 'the lapsed request is left for the expiry sweep');
        assert.deepEqual(await store.get(next.id), next);
      });

      it('should leave other targets alone', async () => {
        const held = freshTarget();
        const first = await holding(held, 'executing');
        const elsewhere = [makeRequestOn(freshTarget()), makeRequestOn(`${held}/peerings/AzurePrivatePeering`)];
        for (const r of elsewhere) await store.create(r, makeAudit(r, 'requested'));
        for (const r of elsewhere) assert.deepEqual(await store.get(r.id), r);
        const again = makeRequestOn(held);
        await assert.rejects(store.create(again, makeAudit(again, 'requested')), busyWith(first, 'executing'));
      });

      it('should create exactly one of 20 concurrent requests on one target, refusing the others with the winner', async () => {
        const target = freshTarget();
        const racers = Array.from({ length: 20 }, (_, i) => makeRequestOn(i % 2 ? target.toUpperCase() : target));
        const results = await Promise.allSettled(racers.map((r) => store.create(r, makeAudit(r, 'requested', { to: 'pending' }))));
        const won = racers.filter((_, i) => results[i]?.status === 'fulfilled');
        assert.equal(won.length, 1, `exactly one created: ${results.map((x) => x.status).join(', ')}`);
        const winner = won[0];
        assert.ok(winner);
        for (const x of results) {
          if (x.status === 'rejected') busyWith(winner, 'pending')(x.reason);
        }
        const stored = (await store.list({})).filter((r) => r.plan.targetId.toLowerCase() === target.toLowerCase());
        assert.deepEqual(
          stored.map((r) => r.id),
          [winner.id],
        );
        const requested = await store.audit({ customerIds: [winner.customerId], limit: 100 });
        assert.deepEqual(
          requested.map((e) => e.requestId),
          [winner.id],
          'one audit entry, the winner’s',
        );
      });

      it('should leave a target free after refusing a duplicate id that names a request on another target', async () => {
        const first = await holding(freshTarget(), 'approved');
        const target = freshTarget();
        const twin = makeRequestOn(target, { id: first.id });
        await assert.rejects(store.create(twin, makeAudit(twin, 'requested')), (e: unknown) => e instanceof CodedError);
        const next = makeRequestOn(target);
        await store.create(next, makeAudit(next, 'requested'));
        assert.deepEqual(await store.get(next.id), next);
      });
    });

    describe('undo, rollbacks, overrides, schedules and verification', () => {
      const admin = DEMO_PEOPLE.approver;

      it('should keep undo, rollbackOf and override through create, get, list, approvals and operations', async () => {
        const original = await created({ undo: { oneWay: 'Bandwidth cannot be lowered on a provider circuit.' } });
        const r = makeRequestOn(freshTarget(), {
          kind: 'peering',
          undo: { kind: 'peering', input: { vlanId: 100, enabled: true, peering: 'AzurePrivatePeering' }, precondition: 'BGP up' },
          rollbackOf: original.id,
          override: { by: admin, reason: 'P1 outage: restore routes', at: 1_700_000_000_000, freeze: 'Year-end freeze' },
          required: 2,
        });
        await store.create(r, makeAudit(r, 'requested'));
        assert.deepEqual(await store.get(r.id), r);
        assert.deepEqual(await store.get(original.id), original);
        assert.deepEqual(
          (await store.list({})).find((x) => x.id === r.id),
          r,
        );
        const approvedOnce = await store.addApproval(r.id, { by: admin, at: 5 }, makeAudit(r, 'approved'));
        assert.ok(typeof approvedOnce === 'object');
        assert.deepEqual(
          { undo: approvedOnce.undo, rollbackOf: approvedOnce.rollbackOf, override: approvedOnce.override },
          { undo: r.undo, rollbackOf: r.rollbackOf, override: r.override },
        );
        const moved = await store.transition(r.id, { from: ['pending'] }, 'approved', {}, makeAudit(r, 'approved'));
        assert.ok(moved);
        assert.equal(await store.saveOperation(r.id, { attempts: 1 }, 'approved'), true);
        const after = await store.get(r.id);
        assert.deepEqual(
          { undo: after?.undo, rollbackOf: after?.rollbackOf, override: after?.override },
          { undo: r.undo, rollbackOf: r.rollbackOf, override: r.override },
        );
      });

      it('should write schedule and verification through transition, keep them when a later patch names neither, and list them', async () => {
        const r = await approved();
        const schedule = {
          runAt: Date.UTC(2025, 0, 11, 21),
          label: 'Sat 22:00 Europe/Amsterdam',
          because: 'freeze' as const,
          freeze: 'Year-end',
        };
        const waiting = await store.transition(r.id, { from: ['approved'] }, 'approved', { schedule }, makeAudit(r, 'waiting-for-window'));
        assert.deepEqual(waiting?.schedule, schedule);
        assert.deepEqual(await store.get(r.id), waiting);
        const executing = await store.transition(
          r.id,
          { from: ['approved'] },
          'executing',
          { operation: { attempts: 1 } },
          makeAudit(r, 'executing'),
        );
        assert.deepEqual(executing?.schedule, schedule, 'a patch that does not name schedule keeps it');
        const verifying = {
          status: 'verifying' as const,
          startedAt: 1000,
          deadline: 601_000,
          baseline: { receivedPrefixes: 120, bgp: 'Connected' },
          why: 'secondary BGP session is down',
          since: 1500,
          looks: 2,
        };
        const succeeded = await store.transition(
          r.id,
          { from: ['executing'] },
          'succeeded',
          { outcome: { code: 'Succeeded' }, verification: verifying },
          makeAudit(r, 'succeeded'),
        );
        assert.deepEqual(succeeded?.verification, verifying);
        const verified = {
          ...verifying,
          status: 'verified' as const,
          evidence: 'both sessions Connected, 118 prefixes',
          looks: 3,
          endedAt: 2000,
        };
        const done = await store.transition(
          r.id,
          { from: ['succeeded'] },
          'succeeded',
          { verification: verified },
          makeAudit(r, 'verified'),
        );
        assert.deepEqual(done?.verification, verified);
        assert.deepEqual(done?.schedule, schedule);
        assert.deepEqual(done?.operation, { attempts: 1 });
        assert.deepEqual(await store.get(r.id), done);
        assert.deepEqual(await store.list({ states: ['succeeded'] }), [done]);
      });

      it('should append an audit entry on its own, after those before it', async () => {
        const r = await created();
        const override = makeAudit(r, 'freeze-overridden', { after: { reason: 'P1 outage' } });
        await store.appendAudit(override);
        const trail = await store.audit({ customerIds: [r.customerId], requestId: r.id, limit: 10 });
        assert.deepEqual(
          trail.map((e) => e.action),
          ['requested', 'freeze-overridden'],
        );
        assert.deepEqual(trail[1], override);
        assert.deepEqual(await store.get(r.id), r, 'the request is unchanged');
      });
    });

    describe('card posts and conversation references', () => {
      it('should list card posts in the order they were added, once each', async () => {
        const r = await created();
        const post = (activityId: string, audience: string) => ({
          requestId: r.id,
          conversationKey: `conv:${audience}`,
          activityId,
          audience,
        });
        await store.addCardPost(post('act-1', 'requester'));
        await store.addCardPost(post('act-2', 'channel'));
        await store.addCardPost(post('act-1', 'requester'));
        assert.deepEqual(await store.cardPosts(r.id), [post('act-1', 'requester'), post('act-2', 'channel')]);
        assert.deepEqual(await store.cardPosts('CR-OTHER1'), []);
        await store.removeCardPost(post('act-1', 'requester'));
        await store.removeCardPost(post('act-1', 'requester'));
        assert.deepEqual(await store.cardPosts(r.id), [post('act-2', 'channel')], 'removed once, and removing again is no error');
      });

      it('should link conversations to customers, once each, and unlink them', async () => {
        const channel = '19:a/b#c?d%e@thread.tacv2';
        const chat = '19:group@thread.v2';
        assert.deepEqual(await store.linkedCustomers(channel), []);
        await store.linkConversation(channel, 'fabrikam');
        await store.linkConversation(channel, 'contoso');
        await store.linkConversation(channel, 'contoso');
        await store.linkConversation(chat, 'northwind');
        assert.deepEqual(await store.linkedCustomers(channel), ['contoso', 'fabrikam'], 'sorted, once each');
        assert.deepEqual(await store.linkedCustomers(chat), ['northwind'], 'each conversation its own');
        assert.deepEqual(await store.linkedCustomers('19:a/b#c?d%e@thread.tacv'), [], 'no prefix match');
        assert.equal(await store.unlinkConversation(channel, 'contoso'), true);
        assert.equal(await store.unlinkConversation(channel, 'contoso'), false, 'already gone');
        assert.equal(await store.unlinkConversation('19:never@thread.v2', 'contoso'), false);
        assert.deepEqual(await store.linkedCustomers(channel), ['fabrikam']);
      });

      it('should refuse an empty conversation or customer id, and store nothing', async () => {
        await assert.rejects(store.linkConversation('', 'contoso'), (e: unknown) => e instanceof CodedError);
        await assert.rejects(store.linkConversation('19:x@thread.v2', ''), (e: unknown) => e instanceof CodedError);
        assert.deepEqual(await store.linkedCustomers('19:x@thread.v2'), []);
      });

      it('should save, overwrite and read back conversation references as JSON', async () => {
        const ref = { conversation: { id: '19:abc@thread.tacv2' }, serviceUrl: 'https://smba.example/', user: { id: 'u1' }, n: 1.5 };
        assert.equal(await store.getReference('channel:contoso'), undefined);
        await store.saveReference('channel:contoso', ref);
        assert.deepEqual(await store.getReference('channel:contoso'), ref);
        await store.saveReference('channel:contoso', { ...ref, serviceUrl: 'https://smba2.example/' });
        assert.deepEqual(await store.getReference('channel:contoso'), { ...ref, serviceUrl: 'https://smba2.example/' });
      });
    });
  });
}
