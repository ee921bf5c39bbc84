import { z } from 'zod';

/**
 * What a person may do for a customer. `admin` implies every other right; `oncall` implies `view`. `oncall` acknowledges and silences the
 * customer's alerts, and is who an unacknowledged critical alert mentions.
 */
export const Right = z.enum(['view', 'request', 'approve', 'oncall', 'admin']);
export type Right = z.infer<typeof Right>;

export const RIGHTS: readonly Right[] = Right.options;

export function isRight(value: unknown): value is Right {
  return typeof value === 'string' && (RIGHTS as readonly string[]).includes(value);
}

/**
 * Expands `admin` (every right) and `oncall` (which implies `view`: whoever acknowledges and silences a
 * customer's alerts sees its alerts, silences and circuits), so that callers can ask `has('view')` without
 * knowing the implications.
 */
export function expandRights(rights: Iterable<Right>): Set<Right> {
  const set = new Set(rights);
  if (set.has('admin')) return new Set(RIGHTS);
  if (set.has('oncall')) set.add('view');
  return set;
}
