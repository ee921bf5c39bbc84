import assert from 'node:assert/strict';
import { requestCard, type RequestCardView } from '../../src/cards/request-card';
import { auditCard, requestsCard } from '../../src/cards/requests-card';
import type { ChangeRequest } from '../../src/changes/change-request';
import { textOf } from '../support/harness';
import { buttonsOf } from '../support/cards';
import { makeAudit, makeChangeRequest } from '../support/seed-requests';
import { assertValidCard } from './card-check';

/** Thursday 8 January 2026, 19:00 UTC (20:00 in Amsterdam). */
const NOW = Date.UTC(2026, 0, 8, 19, 0);
const ADA = { aadObjectId: 'ada', name: 'Ada' };
const REVERSIBLE = { kind: 'private-peering', input: { vlanId: 100 } };

function view(request: Partial<ChangeRequest>, overrides: Partial<RequestCardView> = {}): RequestCardView {
  return {
    request: makeChangeRequest(request),
    customer: { name: 'Contoso Ltd', tenantId: 't' },
    kindTitle: 'Private peering',
    approvers: ['Ada Approver'],
    now: NOW,
    viewer: { canApprove: false, canReject: false, canCancel: false, canRerequest: false, canRollback: true },
    ...overrides,
  };
}

function card(v: RequestCardView): { text: string; buttons: string[] } {
  const c = requestCard(v);
  assertValidCard(c);
  return { text: textOf(c), buttons: buttonsOf(c).map((b) => b.title) };
}

const succeeded = (verification?: ChangeRequest['verification'], more: Partial<ChangeRequest> = {}): Partial<ChangeRequest> => ({
  state: 'succeeded',
  approvals: [{ by: ADA, at: NOW }],
  undo: REVERSIBLE,
  ...(verification ? { verification } : {}),
  ...more,
});

describe('request card: windows, freezes, overrides, verification and rollback (issue 13)', () => {
  describe('an approved change that waits', () => {
    it('should say when it runs, relative to the time the card is built for', () => {
      const runAt = Date.UTC(2026, 0, 10, 21, 0);
      const waiting = { state: 'approved' as const, schedule: { runAt, label: 'Sat 22:00 Europe/Amsterdam', because: 'window' as const } };
      const { text } = card(view(waiting));
      assert.match(text, /🕒 Approved, runs at Sat 22:00 Europe\/Amsterdam \(in 2 d 2 h\)/);
      assert.match(
        text,
        /Contoso Ltd takes changes only inside its change windows, so it waits for the next one: Sat 22:00 Europe\/Amsterdam\./,
      );
      assert.match(card(view(waiting, { now: runAt - 65 * 60_000 })).text, /\(in 1 h 5 min\)/);
      assert.match(card(view(waiting, { now: runAt + 1 })).text, /runs at Sat 22:00 Europe\/Amsterdam \(starting now\)/);
    });

    it('should name the freeze that holds it', () => {
      const schedule = {
        runAt: NOW + 3 * 86_400_000,
        label: 'Sun 11 Jan 18:00 UTC',
        because: 'freeze' as const,
        freeze: 'year-end trading freeze',
      };
      const { text } = card(view({ state: 'approved', schedule }));
      assert.match(text, /Approved, runs at Sun 11 Jan 18:00 UTC \(in 3 d\)/);
      assert.match(
        text,
        /A change freeze holds it \(year-end trading freeze\): it runs at Sun 11 Jan 18:00 UTC, once the freeze has ended\./,
      );
    });

    it('should say an approved change without a wait is on its way', () => {
      assert.match(card(view({ state: 'approved' })).text, /Approved: starting in Azure\n[^]*the bot is sending the change to Azure/);
    });
  });

  describe('an emergency override', () => {
    it('should show who overrode which freeze, why, and the approval it costs', () => {
      const override = { by: ADA, reason: 'the provider link is saturated', at: NOW, freeze: 'year-end trading freeze' };
      const { text } = card(view({ override, required: 2 }));
      assert.match(text, /Waiting for approval \(0\/2\)/);
      assert.match(text, /⚠ Emergency override of the freeze 'year-end trading freeze' by Ada: the provider link is saturated/);
      assert.match(text, /An override needs one approval more than usual: 2 in all\./);
    });

    it('should say when it overrides only the change windows', () => {
      const { text } = card(view({ override: { by: ADA, reason: 'outage', at: NOW }, required: 2 }));
      assert.match(text, /⚠ Emergency override of the change windows by Ada: outage/);
    });
  });

  describe('the check after a change', () => {
    const started = { startedAt: NOW, deadline: Date.UTC(2026, 0, 8, 19, 10), looks: 1 };

    it('should say it is verifying, until when, in the customer’s first window zone', () => {
      const v = succeeded({ status: 'verifying', ...started });
      assert.match(card(view(v)).text, /🔎 Succeeded, verifying \(until 19:10 UTC\)/);
      assert.match(card(view(v, { timeZone: 'Europe/Amsterdam' })).text, /🔎 Succeeded, verifying \(until 20:10 Europe\/Amsterdam\)/);
    });

    it('should give the evidence when verified', () => {
      const { text } = card(
        view(succeeded({ status: 'verified', ...started, evidence: 'both BGP sessions are established', endedAt: NOW })),
      );
      assert.match(text, /✅ Succeeded, verified: both BGP sessions are established/);
    });

    it('should say what failed and since when, and the way back', () => {
      const failed = succeeded({
        status: 'failed',
        ...started,
        why: 'both BGP sessions of private peering are down',
        since: Date.UTC(2026, 0, 8, 19, 12),
        endedAt: NOW + 600_000,
      });
      const { text, buttons } = card(view(failed, { timeZone: 'Europe/Amsterdam' }));
      assert.match(
        text,
        /⛔ Succeeded at ARM, verification failed: both BGP sessions of private peering are down since 20:12 Europe\/Amsterdam/,
      );
      assert.match(text, /The way back: `rollback CR-[0-9A-Z]+` \(or the Rollback button\) asks for the change that puts it back/);
      assert.deepEqual(buttons, ['Rollback']);
    });

    it('should say when the bot could not check', () => {
      const { text } = card(view(succeeded({ status: 'skipped', ...started, why: 'the bot has nothing to check this change with' })));
      assert.match(text, /✅ Succeeded \(not verified: the bot has nothing to check this change with\)/);
    });

    it('should keep "Succeeded" for a change whose kind has no check', () => {
      assert.match(card(view(succeeded())).text, /✅ Succeeded\n/);
    });
  });

  describe('rollback', () => {
    it('should offer Rollback only to a viewer who may ask for it, carrying only the intent', () => {
      const v = view(succeeded());
      const [button] = buttonsOf(requestCard(v));
      assert.deepEqual(button?.data, { intent: { kind: 'rollback', id: v.request.id } });
      assert.deepEqual(
        card(view(succeeded(), { viewer: { canApprove: false, canReject: false, canCancel: false, canRerequest: false } })).buttons,
        [],
      );
      assert.deepEqual(card(view(succeeded(), { viewer: undefined })).buttons, [], 'the card everyone sees has no buttons');
      assert.match(card(view(succeeded(), { viewer: undefined })).text, /Reversible: `rollback CR-/);
    });

    it('should show the precondition of a way back that has one', () => {
      const undo = { kind: 'sku', input: { tier: 'Standard' }, precondition: 'back to Standard only within the Standard limits' };
      const { text, buttons } = card(view(succeeded(undefined, { undo })));
      assert.match(text, /Rollback only if: back to Standard only within the Standard limits \(checked when it is asked for\)\./);
      assert.deepEqual(buttons, ['Rollback']);
    });

    it('should say why a one-way change has no rollback, and offer none', () => {
      const { text, buttons } = card(view(succeeded(undefined, { undo: { oneWay: 'a bandwidth increase cannot be undone in place.' } })));
      assert.match(text, /No rollback: a bandwidth increase cannot be undone in place\./);
      assert.deepEqual(buttons, []);
    });

    it('should link a rollback to the change it undoes, and back', () => {
      assert.match(card(view({ rollbackOf: 'CR-7F3K2QX' })).text, /↩ Rollback of CR-7F3K2QX: it puts back what that change changed\./);
      const live = card(view(succeeded(), { rollbacks: [{ id: 'CR-RB00001', state: 'pending' }] }));
      assert.match(live.text, /↩ Rollback asked for: CR-RB00001\. `request CR-RB00001` shows where it stands\./);
      assert.deepEqual(live.buttons, [], 'no second rollback while one is under way');
      assert.match(
        card(view(succeeded(), { rollbacks: [{ id: 'CR-RB00001', state: 'succeeded' }] })).text,
        /↩ Rolled back by CR-RB00001\./,
      );
      const ended = card(view(succeeded(), { rollbacks: [{ id: 'CR-RB00001', state: 'rejected' }] }));
      assert.match(ended.text, /Rollback CR-RB00001 ended rejected\./);
      assert.deepEqual(ended.buttons, ['Rollback'], 'a rejected rollback may be asked for again');
    });
  });

  describe('lists', () => {
    it('should word the new audit actions', () => {
      const r = makeChangeRequest();
      const entries = [
        makeAudit(r, 'waiting', {
          from: 'approved',
          to: 'approved',
          outcome: 'runs at Sat 22:00 Europe/Amsterdam (the next change window)',
        }),
        makeAudit(r, 'verified', { from: 'succeeded', to: 'succeeded', outcome: 'verified: both sessions up' }),
        makeAudit(r, 'verification-failed', { from: 'succeeded', to: 'succeeded', outcome: 'verification failed: BGP down' }),
        makeAudit(r, 'verification-skipped', { from: 'succeeded', to: 'succeeded', outcome: 'not verified: nothing to check' }),
        makeAudit(r, 'emergency-override', { outcome: 'overrides the freeze (year-end): outage' }),
        makeAudit(r, 'rollback-requested', { after: { rollback: 'CR-RB00001' }, outcome: 'CR-RB00001 rolls back it' }),
        makeAudit(r, 'approved', { from: 'pending', to: 'pending' }),
      ];
      const c = auditCard({ heading: 'Audit trail', entries, customerNames: { contoso: 'Contoso Ltd' } });
      assertValidCard(c);
      const text = textOf(c);
      for (const words of [
        'waits to run\nruns at Sat 22:00 Europe/Amsterdam',
        'verified\nverified: both sessions up',
        'verification failed\nverification failed: BGP down',
        'not verified\nnot verified: nothing to check',
        'emergency override\noverrides the freeze (year-end): outage',
        'rollback requested\nrollback: CR-RB00001; CR-RB00001 rolls back it',
        'approved (pending)',
      ]) {
        assert.ok(text.includes(words), `${words} in:\n${text}`);
      }
    });

    it('should mark waiting and unverified changes in the requests list', () => {
      const failed = makeChangeRequest(succeeded({ status: 'failed', startedAt: NOW, deadline: NOW, looks: 3, why: 'down' }));
      const waits = makeChangeRequest({
        state: 'approved',
        schedule: { runAt: NOW, label: 'Sat 22:00 UTC', because: 'freeze', freeze: 'x' },
      });
      const text = textOf(requestsCard({ heading: 'All', requests: [failed, waits], customerNames: {}, hint: 'x' }));
      assert.match(text, /succeeded, verification failed/);
      assert.match(text, /approved, waits \(freeze\)/);
    });
  });
});
