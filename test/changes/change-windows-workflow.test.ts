import assert from 'node:assert/strict';
import { CodedError, ErrorCode } from '../../src/errors';
import { afterOverride, whenMayRun } from '../../src/changes/change-calendar';
import { ManualClock } from '../azure/support/manual-clock';
import { AMS, LON, startChangeKit, type ChangeKit, type DirectoryChanges } from './support/change-kit';

/** Contoso changes run only Saturday night, Amsterdam time (DESIGN Contract 2's example). */
const WEEKEND_NIGHT = [{ days: ['Sat'], start: '22:00', end: '04:00', timeZone: 'Europe/Amsterdam' }];
const ADMIN = { aadObjectId: 'admin', name: 'Ada', access: { contoso: ['view', 'request', 'admin'] } };

function codedAs(code: ErrorCode, message?: RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof CodedError, `expected a CodedError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (message) assert.match(e.message, message);
    return true;
  };
}

describe('change windows and freezes (issue 13)', function () {
  this.timeout(60_000);
  let kit: ChangeKit;
  let clock: ManualClock;
  const start = async (at: number, customers: Record<string, unknown>, extra: DirectoryChanges = {}) => {
    clock = new ManualClock(at);
    const directory: DirectoryChanges = { customers: { contoso: customers }, people: [ADMIN], ...extra };
    kit = await startChangeKit({ clock, directory });
    return kit;
  };
  afterEach(() => kit.close());

  const approvedUpgrade = async () => {
    const r = await kit.workflow.request(kit.people.engineer, 'contoso', AMS, 'bandwidth', { bandwidth: '2 Gbps' });
    const approved = await kit.workflow.approve(kit.people.approvers[0]!, r.id);
    return (await approved.execution) ?? approved.request;
  };

  it('should hold an approved change until the window opens, say when on the request, and run it at the start', async () => {
    // Wednesday 26 March 2025, 12:00 UTC; the window opens Saturday 29 March 22:00 CET = 21:00 UTC.
    await start(Date.UTC(2025, 2, 26, 12), { changeWindows: WEEKEND_NIGHT });
    const held = await approvedUpgrade();
    assert.equal(held.state, 'approved');
    assert.equal(held.schedule?.runAt, Date.UTC(2025, 2, 29, 21));
    assert.equal(held.schedule?.label, 'Sat 22:00 Europe/Amsterdam');
    assert.equal(held.schedule?.because, 'window');
    assert.equal(kit.puts(), 0, 'nothing written outside the window');
    // The waiting change holds its circuit: one change at a time.
    await assert.rejects(
      kit.workflow.request(kit.people.engineer, 'contoso', AMS, 'bandwidth', { bandwidth: '5 Gbps' }),
      codedAs(ErrorCode.Conflict, new RegExp(`^${held.id} is approved on contoso-ams-er1; wait for it to finish\\.$`)),
    );
    const audit = await kit.workflow.audit(kit.people.engineer, { requestId: held.id });
    assert.ok(audit.some((e) => e.action === 'waiting' && /runs at Sat 22:00 Europe\/Amsterdam/.test(e.outcome ?? '')));

    // A sweep before the window changes nothing (and records no second wait).
    clock.advance(Date.UTC(2025, 2, 29, 20, 59) - clock.now());
    await kit.workflow.resumeExecuting();
    assert.equal((await kit.store.get(held.id))?.state, 'approved');
    assert.equal(kit.puts(), 0);
    assert.equal((await kit.workflow.audit(kit.people.engineer, { requestId: held.id })).filter((e) => e.action === 'waiting').length, 1);

    clock.advance(60_000);
    const [ran] = await kit.workflow.resumeExecuting();
    assert.equal(ran?.state, 'succeeded');
    assert.equal(kit.puts(), 1);
  });

  it('should open the window at the right instant after the clocks go forward (Europe/Amsterdam, 30 March 2025)', async () => {
    // Sunday 30 March, after the switch to CEST: next Saturday 22:00 is 20:00 UTC, not 21:00.
    await start(Date.UTC(2025, 2, 30, 12), { changeWindows: WEEKEND_NIGHT });
    const held = await approvedUpgrade();
    assert.equal(held.schedule?.runAt, Date.UTC(2025, 3, 5, 20));
    clock.advance(Date.UTC(2025, 3, 5, 20) - clock.now());
    const [ran] = await kit.workflow.resumeExecuting();
    assert.equal(ran?.state, 'succeeded');
  });

  it('should open the window at the right instant after the clocks go back (26 October 2025)', async () => {
    await start(Date.UTC(2025, 9, 26, 12), { changeWindows: WEEKEND_NIGHT });
    const held = await approvedUpgrade();
    assert.equal(held.schedule?.runAt, Date.UTC(2025, 10, 1, 21));
  });

  it('should run at once inside a window, including the part of it after midnight', async () => {
    // Sunday 30 March 2025, 01:30 UTC = 03:30 CEST: still inside Saturday's 22:00–04:00 window across the DST jump.
    await start(Date.UTC(2025, 2, 30, 1, 30), { changeWindows: WEEKEND_NIGHT });
    const done = await approvedUpgrade();
    assert.equal(done.state, 'succeeded');
    assert.equal(done.schedule, undefined);
  });

  it('should refuse requests during a freeze, naming it and its end, and write nothing', async () => {
    await start(Date.UTC(2025, 11, 22, 9), {
      freezes: [{ from: '2025-12-20T00:00:00+01:00', to: '2026-01-05T00:00:00+01:00', reason: 'year-end freeze' }],
    });
    await assert.rejects(
      kit.workflow.request(kit.people.engineer, 'contoso', AMS, 'bandwidth', { bandwidth: '2 Gbps' }),
      codedAs(ErrorCode.Refused, /change freeze until Sun 4 Jan 23:00 UTC \(year-end freeze\)/),
    );
    assert.equal((await kit.store.list({})).length, 0);
  });

  it('should hold an approved change through a freeze that began after approval, then wait for the next window', async () => {
    // Approved on Thursday 18 December; a freeze from Friday to Sunday 21 December covers Saturday's window.
    await start(Date.UTC(2025, 11, 18, 12), {
      changeWindows: WEEKEND_NIGHT,
      freezes: [{ from: '2025-12-19T00:00:00+01:00', to: '2025-12-22T00:00:00+01:00', reason: 'trading peak' }],
    });
    const held = await approvedUpgrade();
    assert.equal(held.state, 'approved');
    assert.equal(held.schedule?.because, 'freeze');
    assert.equal(held.schedule?.freeze, 'trading peak');
    // The freeze ends Monday 00:00 CET; the next window opens Saturday 27 December 22:00 CET.
    assert.equal(held.schedule?.runAt, Date.UTC(2025, 11, 27, 21));
    clock.advance(Date.UTC(2025, 11, 20, 21) - clock.now());
    await kit.workflow.resumeExecuting();
    assert.equal(kit.puts(), 0, 'the frozen window is skipped');
  });

  it('should let an admin override a freeze for an emergency: typed reason, on the request and audit, one approval more', async () => {
    await start(Date.UTC(2025, 11, 22, 9), {
      changeWindows: WEEKEND_NIGHT,
      freezes: [{ from: '2025-12-20T00:00:00+01:00', to: '2026-01-05T00:00:00+01:00', reason: 'year-end freeze' }],
    });
    const admin = kit.access.person('admin')!;
    await assert.rejects(
      kit.workflow.request(kit.people.engineer, 'contoso', AMS, 'bandwidth', { bandwidth: '2 Gbps' }, { emergency: 'carrier outage' }),
      codedAs(ErrorCode.Forbidden),
    );
    await assert.rejects(
      kit.workflow.request(admin, 'contoso', AMS, 'bandwidth', { bandwidth: '2 Gbps' }, { emergency: '   ' }),
      codedAs(ErrorCode.BadInput, /needs a reason/),
    );
    const r = await kit.workflow.request(
      admin,
      'contoso',
      AMS,
      'bandwidth',
      { bandwidth: '2 Gbps' },
      { emergency: 'INC-42 carrier outage' },
    );
    assert.equal(r.required, 2, 'one approval more than the customer’s 1');
    assert.equal(r.override?.reason, 'INC-42 carrier outage');
    assert.equal(r.override?.freeze, 'year-end freeze');
    assert.equal(r.override?.by.name, 'Ada');
    const audit = await kit.workflow.audit(admin, { requestId: r.id });
    assert.ok(audit.some((e) => e.action === 'emergency-override' && /year-end freeze.*INC-42 carrier outage/.test(e.outcome ?? '')));
    const first = await kit.workflow.approve(kit.people.approvers[0]!, r.id);
    assert.equal(first.decisive, false);
    const second = await kit.workflow.approve(kit.people.approvers[1]!, r.id);
    const done = await second.execution;
    assert.equal(done?.state, 'succeeded', 'an overridden change runs at once, freeze and window notwithstanding');
  });

  it('should hold an overridden change for a freeze that began after the override', async () => {
    await start(Date.UTC(2025, 11, 22, 9), {
      changeWindows: WEEKEND_NIGHT,
      freezes: [
        { from: '2025-12-20T00:00:00+01:00', to: '2026-01-05T00:00:00+01:00', reason: 'year-end freeze' },
        { from: '2026-01-10T00:00:00Z', to: '2026-01-12T06:00:00Z', reason: 'board meeting' },
      ],
      approval: { required: 1, ttlMinutes: 30 * 24 * 60 },
    });
    const admin = kit.access.person('admin')!;
    const r = await kit.workflow.request(admin, 'contoso', AMS, 'bandwidth', { bandwidth: '2 Gbps' }, { emergency: 'INC-43' });
    await kit.workflow.approve(kit.people.approvers[0]!, r.id);
    clock.advance(Date.UTC(2026, 0, 10, 12) - clock.now());
    const held = (await (await kit.workflow.approve(kit.people.approvers[1]!, r.id)).execution)!;
    assert.equal(held.state, 'approved');
    assert.equal(held.schedule?.because, 'freeze');
    assert.equal(held.schedule?.freeze, 'board meeting');
    assert.equal(held.schedule?.runAt, Date.UTC(2026, 0, 12, 6), 'at the end of the new freeze, no window awaited');
    assert.equal(kit.puts(), 0);
  });

  it('should send nothing once the window has closed while the first write was being retried, and wait for the next', async () => {
    // Sunday 30 March 2025, 01:59:30 UTC = 03:59:30 CEST: inside Saturday's window, 30 s before it closes at 04:00.
    await start(Date.UTC(2025, 2, 30, 1, 59, 30), { changeWindows: WEEKEND_NIGHT });
    await kit.close();
    kit = await startChangeKit({
      clock,
      directory: { customers: { contoso: { changeWindows: WEEKEND_NIGHT } }, people: [ADMIN] },
      executorLimits: { retryDelayMs: 60_000 },
    });
    const r = await kit.workflow.request(kit.people.engineer, 'contoso', AMS, 'bandwidth', { bandwidth: '2 Gbps' });
    // The read just before the write fails once; the retry comes a minute later, after 04:00 Amsterdam time.
    kit.sim.addFaults([{ match: 'GET /subscriptions', status: 404, code: 'ResourceNotFound', count: 1 }]);
    const done = (await (await kit.workflow.approve(kit.people.approvers[0]!, r.id)).execution)!;
    assert.equal(done.state, 'approved');
    assert.equal(done.schedule?.runAt, Date.UTC(2025, 3, 5, 20), 'the next Saturday, 22:00 CEST');
    assert.equal(kit.puts(), 0);
    const audit = await kit.workflow.audit(kit.people.engineer, { requestId: r.id });
    assert.ok(audit.some((e) => e.action === 'waiting' && e.from === 'executing' && /nothing was sent/.test(e.outcome ?? '')));
  });

  it('should lift every freeze in force at the override, overlapping ones included, but not a later one', () => {
    const calendar = {
      changeWindows: WEEKEND_NIGHT as never,
      freezes: [
        { from: '2026-01-01T00:00:00Z', to: '2026-01-10T00:00:00Z', reason: 'long' },
        { from: '2026-01-02T00:00:00Z', to: '2026-01-05T00:00:00Z', reason: 'short' },
        { from: '2026-01-20T00:00:00Z', to: '2026-01-21T00:00:00Z', reason: 'later' },
      ],
    };
    const overrideAt = Date.UTC(2026, 0, 3);
    assert.equal(whenMayRun(afterOverride(calendar, overrideAt), Date.UTC(2026, 0, 4)), undefined, 'runs at once');
    assert.equal(whenMayRun(afterOverride(calendar, overrideAt), Date.UTC(2026, 0, 20, 12))?.freeze, 'later');
  });

  it('should refuse an override when there is nothing to override', async () => {
    await start(Date.UTC(2025, 11, 22, 9), {});
    const admin = kit.access.person('admin')!;
    await assert.rejects(
      kit.workflow.request(admin, 'contoso', LON, 'bandwidth', { bandwidth: '2 Gbps' }, { emergency: 'because' }),
      codedAs(ErrorCode.BadInput, /nothing to override/),
    );
  });
});
