import { DateTime } from 'luxon';
import { type ChangeWindow, isInWindow, nextWindowStart, startLabel, type WindowOccurrence } from '../directory/change-windows';
import { type ActiveFreeze, activeFreeze, type Freeze } from '../directory/freezes';
import type { Schedule } from './change-request';

/**
 * When a customer's approved change may run (issue 13; DESIGN Contract 2): inside one of its change windows
 * (when it has any), and never during a freeze. Requests may be made and approved at any time; only execution
 * waits. All the time-zone work is in change-windows.ts (Luxon's IANA zones, DST included).
 */

export interface Calendar {
  changeWindows?: readonly ChangeWindow[];
  freezes?: readonly Freeze[];
}

/** Freezes back to back (or a freeze ending outside every window, then another) never loop more than this. */
const MAX_STEPS = 50;

/** The zone a customer's times are told in: its first change window's, UTC without windows. */
export function customerTimeZone(calendar: Calendar | undefined): string {
  return calendar?.changeWindows?.[0]?.timeZone ?? 'UTC';
}

/** "Sat 3 Jan 18:00 Europe/Amsterdam": an instant in the customer's zone (customerTimeZone). */
export function instantLabel(calendar: Calendar, instant: number): string {
  const zone = customerTimeZone(calendar);
  return `${DateTime.fromMillis(instant, { zone }).toFormat('ccc d LLL HH:mm')} ${zone}`;
}

/** The freeze in force at `now`, with its end in words. */
export function freezeNow(calendar: Calendar, now: number): (ActiveFreeze & { endLabel: string }) | undefined {
  const active = activeFreeze(calendar.freezes ?? [], now);
  return active ? { ...active, endLabel: instantLabel(calendar, active.to) } : undefined;
}

/**
 * Undefined when a change may run at `now`; otherwise when it may, and why it waits. A freeze wins over a window:
 * the change runs at the first window opening after every freeze in the way has ended.
 */
export function whenMayRun(calendar: Calendar, now: number): Schedule | undefined {
  const windows = calendar.changeWindows ?? [];
  const freezes = calendar.freezes ?? [];
  let at = now;
  let opening: WindowOccurrence | undefined;
  let frozen: ActiveFreeze | undefined;
  for (let step = 0; step < MAX_STEPS; step++) {
    const freeze = activeFreeze(freezes, at);
    if (freeze) {
      frozen ??= freeze;
      at = freeze.to;
      opening = undefined;
      continue;
    }
    if (windows.length === 0 || isInWindow(windows, at)) break;
    const next = nextWindowStart(windows, at);
    // Every valid window opens within a week; none found means no window can ever open: hold it at the latest.
    if (!next) break;
    at = next.start;
    opening = next;
  }
  if (at === now) return undefined;
  return {
    runAt: at,
    label: opening && opening.start === at ? startLabel(opening) : instantLabel(calendar, at),
    because: frozen ? 'freeze' : 'window',
    ...(frozen ? { freeze: frozen.freeze.reason } : {}),
  };
}

/**
 * What still holds a change an admin overrode at `overrideAt`: no change windows (an emergency doesn't wait for
 * one), and no freeze that was in force when the override was made (every one of them); a freeze that begins later still
 * holds it.
 */
export function afterOverride(calendar: Calendar, overrideAt: number): Calendar {
  const inForce = (f: Freeze) => Date.parse(f.from) <= overrideAt && overrideAt < Date.parse(f.to);
  return { changeWindows: [], freezes: (calendar.freezes ?? []).filter((f) => !inForce(f)) };
}

/** "2 d 3 h", "3 h 5 min", "4 min": how long until `at`, for a card that says when a change runs. */
export function untilLabel(now: number, at: number): string {
  const minutes = Math.max(0, Math.ceil((at - now) / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  return `${m} min`;
}
