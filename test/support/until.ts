import { inspect } from 'node:util';

export interface UntilOptions {
  /** How long to keep trying before failing; default 10 s. */
  timeoutMs?: number;
  /** The pause between checks; default 10 ms. */
  intervalMs?: number;
}

/** What a check returns while the condition does not hold yet. */
type NotYet = undefined | false;

/**
 * Polls `check` until it returns something other than `undefined` or `false`, and returns that. A check that
 * throws counts as not yet. After the deadline it fails with `what` and the last value or error it saw, so a
 * test waits for a condition instead of sleeping for a guess.
 */
export async function until<T>(
  what: string,
  check: () => T | NotYet | Promise<T | NotYet>,
  options: UntilOptions = {},
): Promise<Exclude<T, NotYet>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 10;
  const deadline = Date.now() + timeoutMs;
  let last: { value: unknown } | { error: unknown };
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as Exclude<T, NotYet>;
      last = { value };
    } catch (error) {
      last = { error };
    }
    if (Date.now() >= deadline) {
      const seen = !('error' in last)
        ? `value ${inspect(last.value)}`
        : last.error instanceof Error
          ? `error ${last.error.message}`
          : `error ${inspect(last.error)}`;
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; last saw ${seen}`,
        'error' in last ? { cause: last.error } : undefined,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
