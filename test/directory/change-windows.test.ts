import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import {
  ChangeWindow,
  WEEKDAYS,
  isInWindow,
  nextWindowStart,
  startLabel,
  windowAt,
  windowLabel,
  type WindowOccurrence,
} from '../../src/directory/change-windows';
import { Freeze, activeFreeze } from '../../src/directory/freezes';

const AMS = 'Europe/Amsterdam';
const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const window = (days: string[], start: string, end: string, timeZone = AMS): ChangeWindow =>
  ChangeWindow.parse({ days, start, end, timeZone });
const span = (o: WindowOccurrence | undefined) => o && [new Date(o.start).toISOString(), new Date(o.end).toISOString()];

describe('change windows', () => {
  describe('when the clocks go forward (Europe/Amsterdam, Sunday 30 March 2025, 02:00 CET → 03:00 CEST)', () => {
    const skipped = window(['Sun'], '02:00', '03:00');

    it('should leave a 02:00–03:00 window empty that night: the clock never reads 02:xx', () => {
      for (const iso of ['2025-03-30T00:59:59Z', '2025-03-30T01:00:00Z', '2025-03-30T01:30:00Z', '2025-03-30T00:00:00Z']) {
        assert.equal(isInWindow([skipped], at(iso)), false, iso);
      }
    });

    it('should open it the Sunday before and after at 02:00 local (01:00Z in winter, 00:00Z in summer)', () => {
      assert.deepEqual(span(windowAt([skipped], at('2025-03-23T01:30:00Z'))), ['2025-03-23T01:00:00.000Z', '2025-03-23T02:00:00.000Z']);
      const next = nextWindowStart([skipped], at('2025-03-29T12:00:00Z'));
      assert.deepEqual(span(next), ['2025-04-06T00:00:00.000Z', '2025-04-06T01:00:00.000Z'], 'the empty night is skipped');
    });

    it('should give a window around the gap only the hour the clock shows: 01:30–03:30 is 01:30 CET to 03:30 CEST', () => {
      const around = window(['Sun'], '01:30', '03:30');
      const open = windowAt([around], at('2025-03-30T01:15:00Z'));
      assert.deepEqual(span(open), ['2025-03-30T00:30:00.000Z', '2025-03-30T01:30:00.000Z']);
      assert.equal(isInWindow([around], at('2025-03-30T01:30:00Z')), false, '03:30 CEST');
    });

    it('should end a window whose end is skipped when the clock jumps past it, not an hour later', () => {
      const intoGap = window(['Sun'], '01:00', '02:30');
      assert.deepEqual(span(windowAt([intoGap], at('2025-03-30T00:10:00Z'))), ['2025-03-30T00:00:00.000Z', '2025-03-30T01:00:00.000Z']);
      assert.equal(isInWindow([intoGap], at('2025-03-30T01:15:00Z')), false, '03:15 CEST is after 02:30');
    });
  });

  describe('when the clocks go back (Europe/Amsterdam, Sunday 26 October 2025, 03:00 CEST → 02:00 CET)', () => {
    const repeated = window(['Sun'], '02:00', '03:00');

    it('should keep a 02:00–03:00 window open both times the clock reads 02:xx: two hours', () => {
      const open = windowAt([repeated], at('2025-10-26T00:30:00Z'));
      assert.deepEqual(span(open), ['2025-10-26T00:00:00.000Z', '2025-10-26T02:00:00.000Z']);
      assert.equal(isInWindow([repeated], at('2025-10-26T00:00:00Z')), true, '02:00 CEST, the first 02:00');
      assert.equal(isInWindow([repeated], at('2025-10-26T01:30:00Z')), true, '02:30 CET, the second 02:30');
      assert.equal(isInWindow([repeated], at('2025-10-25T23:59:59Z')), false, '01:59:59 CEST');
      assert.equal(isInWindow([repeated], at('2025-10-26T02:00:00Z')), false, '03:00 CET');
    });

    it('should make a window across midnight that night an hour longer: Sat 22:00 CEST to Sun 04:00 CET', () => {
      const night = window(['Sat'], '22:00', '04:00');
      assert.deepEqual(span(windowAt([night], at('2025-10-26T02:30:00Z'))), ['2025-10-25T20:00:00.000Z', '2025-10-26T03:00:00.000Z']);
    });
  });

  describe('across midnight', () => {
    const weekend = window(['Sat', 'Sun'], '22:00', '04:00');

    it('should run a window whose end is before its start into the next day, from the day it starts', () => {
      // Saturday 14 June 2025, CEST (UTC+2).
      assert.equal(isInWindow([weekend], at('2025-06-14T19:59:59Z')), false, 'Sat 21:59:59');
      assert.deepEqual(windowAt([weekend], at('2025-06-14T20:00:00Z'))?.day, 'Sat', 'Sat 22:00');
      const early = windowAt([weekend], at('2025-06-15T00:30:00Z'));
      assert.equal(early?.day, 'Sat', 'Sun 02:30 belongs to the window that opened on Saturday');
      assert.deepEqual(span(early), ['2025-06-14T20:00:00.000Z', '2025-06-15T02:00:00.000Z']);
      assert.equal(isInWindow([weekend], at('2025-06-15T02:00:00Z')), false, 'Sun 04:00');
      assert.equal(windowAt([weekend], at('2025-06-15T23:00:00Z'))?.day, 'Sun', 'Mon 01:00, from Sunday');
      assert.equal(isInWindow([weekend], at('2025-06-16T20:30:00Z')), false, 'Mon 22:30: Monday is not a start day');
    });

    it('should not open early on a morning whose previous evening is not one of its days', () => {
      const sunday = window(['Sun'], '22:00', '04:00');
      assert.equal(isInWindow([sunday], at('2025-06-15T00:30:00Z')), false, 'Sun 02:30: Saturday did not open it');
      assert.equal(isInWindow([sunday], at('2025-06-16T00:30:00Z')), true, 'Mon 02:30');
    });

    it('should read 24:00 as the end of the day, and 00:00–24:00 as the whole day', () => {
      const allDay = window(['Wed'], '00:00', '24:00', 'UTC');
      assert.deepEqual(span(windowAt([allDay], at('2025-06-11T23:59:59Z'))), ['2025-06-11T00:00:00.000Z', '2025-06-12T00:00:00.000Z']);
      assert.equal(isInWindow([allDay], at('2025-06-12T00:00:00Z')), false);
    });
  });

  describe('in a zone with a non-hour offset (Asia/Kolkata, UTC+05:30)', () => {
    const office = window(['Mon'], '09:00', '17:30', 'Asia/Kolkata');

    it('should open and close on the half hour in UTC', () => {
      assert.equal(isInWindow([office], at('2025-06-16T03:29:59.999Z')), false, '08:59:59.999 IST');
      assert.deepEqual(span(windowAt([office], at('2025-06-16T03:30:00Z'))), ['2025-06-16T03:30:00.000Z', '2025-06-16T12:00:00.000Z']);
      assert.equal(isInWindow([office], at('2025-06-16T12:00:00Z')), false, '17:30 IST');
    });

    it('should take the day from the zone, not from UTC: Monday 02:00 IST is still Sunday in UTC', () => {
      const early = window(['Mon'], '01:00', '03:00', 'Asia/Kolkata');
      assert.equal(windowAt([early], at('2025-06-15T20:30:00Z'))?.day, 'Mon');
    });
  });

  describe('nextWindowStart', () => {
    const weekend = window(['Sat', 'Sun'], '22:00', '04:00');

    it('should find Saturday 22:00 Amsterdam from a Thursday evening, for "runs at Sat 22:00 Europe/Amsterdam (in 2 d 1 h)"', () => {
      const now = at('2025-06-12T19:00:00Z'); // Thu 21:00 CEST
      const next = nextWindowStart([weekend], now);
      assert.equal(next?.start, at('2025-06-14T20:00:00Z'));
      assert.equal(next.start - now, 2 * 24 * H + H);
      assert.equal(startLabel(next), 'Sat 22:00 Europe/Amsterdam');
      assert.equal(windowLabel(next.window, next.day), 'Sat 22:00–04:00 Europe/Amsterdam');
      assert.equal(windowLabel(next.window), 'Sat, Sun 22:00–04:00 Europe/Amsterdam');
    });

    it('should give the next opening, not the open one, from inside a window', () => {
      const next = nextWindowStart([weekend], at('2025-06-14T21:00:00Z'));
      assert.equal(next?.day, 'Sun');
      assert.equal(next.start, at('2025-06-15T20:00:00Z'));
    });

    it('should pick the earliest of several windows in different zones', () => {
      const kolkata = window(['Fri'], '23:30', '01:00', 'Asia/Kolkata');
      const next = nextWindowStart([weekend, kolkata], at('2025-06-12T19:00:00Z'));
      assert.equal(next?.window.timeZone, 'Asia/Kolkata');
      assert.equal(next.start, at('2025-06-13T18:00:00Z'));
    });

    it('should open across the spring-forward night at the local time: Sat 22:00 CET, then Sun 22:00 CEST', () => {
      const sat = nextWindowStart([weekend], at('2025-03-29T12:00:00Z'));
      assert.deepEqual(span(sat), ['2025-03-29T21:00:00.000Z', '2025-03-30T02:00:00.000Z'], 'five hours: 02:xx is skipped');
      assert.deepEqual(span(nextWindowStart([weekend], sat!.start)), ['2025-03-30T20:00:00.000Z', '2025-03-31T02:00:00.000Z']);
    });

    it('should have nothing to give without windows', () => {
      assert.equal(nextWindowStart([], Date.now()), undefined);
      assert.equal(windowAt([], Date.now()), undefined);
    });
  });

  it('should agree with the zone’s wall clock (Luxon) away from DST changes, for any window and instant', () => {
    const zones = ['Europe/Amsterdam', 'Asia/Kolkata', 'America/New_York', 'Australia/Adelaide', 'UTC'];
    const clock = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => h * 60 + m);
    const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    fc.assert(
      fc.property(
        fc.subarray([...WEEKDAYS], { minLength: 1 }),
        clock,
        clock,
        fc.constantFrom(...zones),
        fc.integer({ min: at('2024-01-01T00:00:00Z'), max: at('2027-01-01T00:00:00Z') }),
        (days, start, end, timeZone, instant) => {
          fc.pre(start !== end);
          const zone = IANAZone.create(timeZone);
          fc.pre(zone.offset(instant - 30 * H) === zone.offset(instant + 30 * H));
          const w = window(days, hhmm(start), hhmm(end), timeZone);
          const local = DateTime.fromMillis(instant, { zone: timeZone });
          const minute = local.hour * 60 + local.minute;
          const today = WEEKDAYS[local.weekday - 1]!;
          const yesterday = WEEKDAYS[(local.weekday + 5) % 7]!;
          const expected =
            start < end
              ? days.includes(today) && start <= minute && minute < end
              : (days.includes(today) && minute >= start) || (days.includes(yesterday) && minute < end);
          assert.equal(isInWindow([w], instant), expected, `${local.toISO()} in ${windowLabel(w)}`);
          const next = nextWindowStart([w], instant);
          // A week, or two when the clocks going forward skip the only opening.
          assert.ok(next && next.start > instant && next.start - instant <= 14 * 24 * H, 'opens again within two weeks');
          if (zone.offset(next.start - 2 * H) === zone.offset(next.start + 2 * H)) {
            assert.equal(DateTime.fromMillis(next.start, { zone: timeZone }).toFormat('HH:mm'), hhmm(start), 'opens at its start');
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('freezes', () => {
  const freeze = (from: string, to: string, reason = 'year-end freeze'): Freeze => Freeze.parse({ from, to, reason });

  it('should be in force from `from` up to, not including, `to`, whatever offsets they carry', () => {
    const yearEnd = freeze('2025-12-20T18:00+01:00', '2026-01-05T08:00:00Z');
    assert.equal(activeFreeze([yearEnd], at('2025-12-20T16:59:59.999Z')), undefined);
    assert.equal(activeFreeze([yearEnd], at('2025-12-20T17:00:00Z'))?.freeze, yearEnd);
    assert.deepEqual(activeFreeze([yearEnd], at('2026-01-01T00:00:00Z')), {
      freeze: yearEnd,
      from: at('2025-12-20T17:00:00Z'),
      to: at('2026-01-05T08:00:00Z'),
    });
    assert.equal(activeFreeze([yearEnd], at('2026-01-05T08:00:00Z')), undefined);
  });

  it('should name the overlapping freeze that ends last', () => {
    const short = freeze('2025-12-01T00:00:00Z', '2025-12-10T00:00:00Z', 'audit');
    const long = freeze('2025-12-05T00:00:00Z', '2026-01-05T00:00:00Z', 'year end');
    assert.equal(activeFreeze([short, long], at('2025-12-06T00:00:00Z'))?.freeze.reason, 'year end');
    assert.equal(activeFreeze([short, long], at('2025-12-02T00:00:00Z'))?.freeze.reason, 'audit');
    assert.equal(activeFreeze([], at('2025-12-02T00:00:00Z')), undefined);
  });
});
