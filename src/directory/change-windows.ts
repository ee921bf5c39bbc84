import { IANAZone } from 'luxon';
import { z } from 'zod';
import { suggest } from './suggest';

/**
 * A customer's change windows (DESIGN Contract 2, `customers[].changeWindows`): wall-clock times in an IANA time
 * zone, on the days a window starts. Changes execute only inside one, and alerts inside one are planned work.
 *
 * Wall-clock semantics, through daylight saving time: a window starts at the first instant the zone's clock reads
 * its start, and ends at the first instant it reads its end. So on the night the clocks go forward an hour that does
 * not exist is skipped (02:00–03:00 in Europe/Amsterdam is empty that night; 01:30–03:30 lasts an hour), and on the
 * night they go back an hour that happens twice is inside it both times (02:00–03:00 lasts two hours). Luxon alone
 * does neither: it reads an ambiguous time with the later offset and pushes a skipped one forward by the gap, which
 * would start 02:00–03:00 an hour late on the night the clocks go back.
 */

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
export const Weekday = z.enum(WEEKDAYS, {
  error: (issue) => `unknown day ${JSON.stringify(issue.input)}: use ${WEEKDAYS.join(', ')}`,
});
export type Weekday = z.infer<typeof Weekday>;

/** A name the time-zone database knows (Europe/Amsterdam, Asia/Kolkata, UTC); never a bare offset, which has no DST. */
export function isTimeZone(name: string): boolean {
  return /^[A-Za-z]/.test(name) && IANAZone.isValidZone(name);
}

function timeZoneProblem(input: unknown): string {
  if (input === undefined) return 'is missing: give an IANA time zone, such as Europe/Amsterdam';
  if (typeof input !== 'string') return `must be an IANA time zone, such as Europe/Amsterdam, not ${JSON.stringify(input)}`;
  const near = suggest(input, Intl.supportedValuesOf('timeZone'), 1)[0];
  return `'${input.slice(0, 100)}' is not an IANA time zone${near ? `; did you mean ${near}?` : ', such as Europe/Amsterdam, Asia/Kolkata or UTC'}`;
}

export const TimeZoneName = z.string({ error: (issue) => timeZoneProblem(issue.input) }).refine(isTimeZone, {
  error: (issue) => timeZoneProblem(issue.input),
});

const CLOCK = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const clockProblem = (input: unknown, range: string) => `${JSON.stringify(input)} is not a time: use HH:MM, ${range}`;

export const ChangeWindow = z
  .looseObject({
    /** The days the window starts on, in its time zone. */
    days: z.array(Weekday).min(1, 'must name at least one day (Mon … Sun)'),
    start: z.string().regex(CLOCK, { error: (issue) => clockProblem(issue.input, '00:00 to 23:59') }),
    /** Before the start: the window crosses midnight and ends the next day. `24:00`: at the end of the day. */
    end: z.string().regex(/^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/, { error: (issue) => clockProblem(issue.input, '00:00 to 24:00') }),
    timeZone: TimeZoneName,
  })
  .superRefine((w, ctx) => {
    if (minutesOf(w.start) === minutesOf(w.end)) {
      ctx.addIssue({
        code: 'custom',
        path: ['end'],
        message: `the window ${w.start}–${w.end} is empty: give a different end, or 00:00–24:00 for a whole day`,
      });
    }
  });
export type ChangeWindow = z.infer<typeof ChangeWindow>;

/** One time a window is open: from `start` (inclusive) to `end` (exclusive), epoch milliseconds. */
export interface WindowOccurrence {
  window: ChangeWindow;
  /** The day it starts on, in the window's zone. */
  day: Weekday;
  start: number;
  end: number;
}

const MINUTES_PER_DAY = 24 * 60;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** How far ahead `nextWindowStart` looks: a weekly window whose only day is skipped by DST opens a week later. */
const LOOKAHEAD_DAYS = 16;

function minutesOf(clock: string): number {
  return Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
}

/** The zone's wall clock at `instant`, as milliseconds of a UTC date that reads the same. */
function wallClock(zone: IANAZone, instant: number): number {
  return instant + zone.offset(instant) * MINUTE_MS;
}

/**
 * The first instant at which the zone's clock reads `wall` or later: the earlier of the two when the clocks go
 * back, and the moment they jump when they go forward over it.
 */
function firstInstantReading(zone: IANAZone, wall: number): number {
  const offsets = new Set([wall - DAY_MS, wall, wall + DAY_MS].map((t) => zone.offset(t)));
  const candidates = [...offsets].map((offset) => wall - offset * MINUTE_MS);
  const exact = candidates.filter((t) => wallClock(zone, t) === wall);
  if (exact.length > 0) return Math.min(...exact);
  // Skipped by the clocks going forward: the jump lies between the two readings.
  let lo = Math.min(...candidates);
  let hi = Math.max(...candidates);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallClock(zone, mid) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** `window`'s occurrences starting on the zone's local days `fromDay` to `toDay` (offsets from `instant`'s day). */
function occurrences(window: ChangeWindow, instant: number, fromDay: number, toDay: number): WindowOccurrence[] {
  const zone = IANAZone.create(window.timeZone);
  const today = Math.floor(wallClock(zone, instant) / DAY_MS) * DAY_MS;
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  const out: WindowOccurrence[] = [];
  for (let d = fromDay; d <= toDay; d++) {
    const midnight = today + d * DAY_MS;
    const day = WEEKDAYS[(new Date(midnight).getUTCDay() + 6) % 7]!;
    if (!window.days.includes(day)) continue;
    const from = firstInstantReading(zone, midnight + start * MINUTE_MS);
    const to = firstInstantReading(zone, midnight + (end <= start ? end + MINUTES_PER_DAY : end) * MINUTE_MS);
    if (to > from) out.push({ window, day, start: from, end: to });
  }
  return out;
}

/** The window open at `instant` (the one that stays open longest, if several are), or undefined. */
export function windowAt(windows: readonly ChangeWindow[], instant: number): WindowOccurrence | undefined {
  let best: WindowOccurrence | undefined;
  for (const window of windows) {
    // An occurrence lasts at most a day and an hour, so it started today or yesterday.
    for (const o of occurrences(window, instant, -1, 0)) {
      if (o.start <= instant && instant < o.end && (!best || o.end > best.end)) best = o;
    }
  }
  return best;
}

export function isInWindow(windows: readonly ChangeWindow[], instant: number): boolean {
  return windowAt(windows, instant) !== undefined;
}

/** The first window opening strictly after `instant` (an open window's own start is not "next"), or undefined if none. */
export function nextWindowStart(windows: readonly ChangeWindow[], instant: number): WindowOccurrence | undefined {
  let best: WindowOccurrence | undefined;
  for (const window of windows) {
    for (const o of occurrences(window, instant, -1, LOOKAHEAD_DAYS)) {
      if (o.start > instant && (!best || o.start < best.start)) best = o;
    }
  }
  return best;
}

/** "Sat 22:00–04:00 Europe/Amsterdam" for one day; "Sat, Sun 22:00–04:00 Europe/Amsterdam" for the window. */
export function windowLabel(window: ChangeWindow, day?: Weekday): string {
  const days = day ?? WEEKDAYS.filter((d) => window.days.includes(d)).join(', ');
  return `${days} ${window.start}–${window.end} ${window.timeZone}`;
}

/** "Sat 22:00 Europe/Amsterdam": when an occurrence opens, in its own zone. */
export function startLabel(occurrence: WindowOccurrence): string {
  return `${occurrence.day} ${occurrence.window.start} ${occurrence.window.timeZone}`;
}
