/**
 * How long a silence lasts, as people type it: `30m`, `2h`, `1d`, `1h30m`, `90 min`, `2 hours`. One number and
 * unit per part, largest unit first; nothing else is guessed at.
 */

export const MIN_SILENCE_MS = 60_000;
export const MAX_SILENCE_MS = 30 * 24 * 3_600_000;

const UNIT_MS: Record<'d' | 'h' | 'm', number> = { d: 86_400_000, h: 3_600_000, m: 60_000 };
const PART = /(\d{1,5})\s*(days?|d|hours?|hrs?|h|minutes?|mins?|m)/giy;

/** Milliseconds, or undefined when the text is not a duration this reads. */
export function parseSilenceDuration(text: string): number | undefined {
  const s = text.trim().toLowerCase();
  if (s === '') return undefined;
  PART.lastIndex = 0;
  let total = 0;
  let lastUnit = Infinity;
  let end = 0;
  for (let m = PART.exec(s); m; m = PART.exec(s)) {
    const unit = UNIT_MS[(m[2] ?? 'm')[0] as 'd' | 'h' | 'm'];
    if (unit >= lastUnit) return undefined;
    lastUnit = unit;
    total += Number(m[1]) * unit;
    end = PART.lastIndex;
    while (s[PART.lastIndex] === ' ') PART.lastIndex++;
  }
  return end === s.length ? total : undefined;
}

/** Why the text is not a usable silence duration, or undefined when it is one. */
export function silenceDurationProblem(text: string): string | undefined {
  const ms = parseSilenceDuration(text);
  if (ms === undefined) return `'${text.slice(0, 20)}' isn't a duration; write it like 30m, 2h, 1d or 1h30m`;
  if (ms < MIN_SILENCE_MS || ms > MAX_SILENCE_MS) return 'a silence lasts from 1 minute to 30 days';
  return undefined;
}
