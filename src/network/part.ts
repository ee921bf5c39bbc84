import { asCodedError, type ErrorCode } from '../errors';

/** Why one part of a report couldn't be read; the code is kept so the card can say what to do. */
export interface PartFailure {
  code: ErrorCode;
  message: string;
  hint?: string;
}

/** One sub-read of a report: a value, or why it failed. A failed part makes that part unknown, not green. */
export type Part<T> = { ok: true; value: T; fetchedAt: number } | { ok: false; error: PartFailure };

export function partFailure(e: unknown): PartFailure {
  const coded = asCodedError(e);
  const failure: PartFailure = { code: coded.code, message: coded.message };
  if (coded.hint !== undefined) failure.hint = coded.hint;
  return failure;
}
