/**
 * Every failure a user can see carries a code. One presenter (src/cards/error-card.ts and the bot's reply
 * helper) turns any CodedError into a sentence that says what happened, why, and what to do next.
 */
export enum ErrorCode {
  BadInput = 'bad_input',
  UnknownCommand = 'unknown_command',
  UnknownPerson = 'unknown_person',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  Ambiguous = 'ambiguous',
  ArmForbidden = 'arm_forbidden',
  ArmNotFound = 'arm_not_found',
  ArmThrottled = 'arm_throttled',
  ArmUnavailable = 'arm_unavailable',
  ArmRejected = 'arm_rejected',
  /** A source answered but had nothing for this part (e.g. no recent Azure Monitor data point). */
  NoData = 'no_data',
  Config = 'config',
  Internal = 'internal',
}

export interface CodedErrorOptions {
  /** What the user can do about it. Shown under the message. */
  hint?: string;
  /** Extra safe-to-show facts, e.g. "did you mean" candidates. Never secrets. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class CodedError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: CodedErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CodedError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
  }
}

export function isCodedError(e: unknown): e is CodedError {
  return e instanceof CodedError;
}

/** Anything thrown becomes a CodedError; unknown failures become Internal without leaking their text. */
export function asCodedError(e: unknown): CodedError {
  if (isCodedError(e)) return e;
  return new CodedError(ErrorCode.Internal, 'Something went wrong on our side while answering.', {
    hint: 'Try again in a minute. If it keeps happening, tell the bot owners and quote the time of the request.',
    cause: e,
  });
}
