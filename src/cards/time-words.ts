import { DateTime } from 'luxon';

/** Times and durations as cards show them. Pure: the caller passes the time. */

/** "2025-01-06 09:00 UTC": one zone for everyone on a channel card. */
export function utcTime(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** "45 s", "3 min 20 s", "2 h 5 min", "3 d 4 h". */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ''}`;
  return `${Math.floor(s / 86_400)} d${Math.floor((s % 86_400) / 3600) ? ` ${Math.floor((s % 86_400) / 3600)} h` : ''}`;
}

/**
 * "03:12 UTC", "22:00 Europe/Amsterdam": a time of day in the customer's zone (its first change window's), for
 * moments a reader compares with their watch (a check's deadline, since when something is down).
 */
export function clockTime(ms: number, timeZone = 'UTC'): string {
  if (!Number.isFinite(ms)) return '—';
  const at = DateTime.fromMillis(ms, { zone: timeZone });
  // An unknown zone (a directory edited by hand after it was checked) falls back to UTC rather than to "Invalid".
  return at.isValid ? `${at.toFormat('HH:mm')} ${timeZone}` : `${DateTime.fromMillis(ms, { zone: 'UTC' }).toFormat('HH:mm')} UTC`;
}
