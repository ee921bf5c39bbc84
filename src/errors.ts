import { type Hint, type HintPart, hintParts, hintText } from './command-names';

/**
 * Every failure a user can see carries a code. One presenter (src/cards/outcome-words.ts, used by the error,
 * refusal and request cards) turns a code into words; the code's owner only says what happened.
 */
export enum ErrorCode {
  BadInput = 'bad_input',
  UnknownCommand = 'unknown_command',
  UnknownPerson = 'unknown_person',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  Ambiguous = 'ambiguous',
  /** A change the rules refuse as asked (a decrease, a busy circuit…); the hint says what to do instead. */
  Refused = 'refused',
  /** The request is not in a state that allows this (not pending, already approved, changed meanwhile…). */
  Conflict = 'conflict',
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

/**
 * Failures that say the bot's access or setup is wrong: they do not mend by themselves, and their hint says what
 * to grant or set. The watcher tells an alerts channel of these at once (others only once they last).
 */
export const SETUP_ERRORS: ReadonlySet<ErrorCode> = new Set([ErrorCode.ArmForbidden, ErrorCode.ArmNotFound, ErrorCode.Config]);

/**
 * How an approved change ended, as the executor records it (ChangeRequest.outcome.code). The values are
 * stored, so they never change: rows written before this enum hold Timeout, ReadFailed, ChangedElsewhere,
 * Stale and Internal with these spellings. ARM's own codes are data next to the code (`outcome.failure`),
 * never members here.
 */
export enum OutcomeCode {
  /** Succeeded: Azure's operation finished and reported success. */
  Applied = 'Applied',
  /** Succeeded: a read found the change in place (a resumed or reconciled execution). */
  FoundApplied = 'FoundApplied',
  /** Failed: ARM refused the write; nothing was changed. `failure` holds ARM's code and message. */
  ArmRejected = 'ArmRejected',
  /** Failed: ARM accepted the write, then its operation failed. `failure` holds ARM's code and message. */
  OperationFailed = 'OperationFailed',
  /** Failed: transient failures until the attempt limit. `failure` is the last one, `attempts` the count. */
  GaveUp = 'GaveUp',
  /** Failed: the execution deadline passed. `failure` is the last failure seen, if any. */
  Timeout = 'Timeout',
  /** The bot could not read the target from Azure (as a failed attempt; final in older rows). */
  ReadFailed = 'ReadFailed',
  /** Failed: after a failed attempt the target changed, but not as asked. `failure` is that attempt's. */
  NotApplied = 'NotApplied',
  /** Failed: the target changed in Azure, not as asked, and nothing of ours failed. */
  ChangedElsewhere = 'ChangedElsewhere',
  /** Failed: the bot itself failed while running the change. */
  Internal = 'Internal',
  /** Stale: the target or the body to send differs from what was approved (`staleBecause`); nothing was sent. */
  Stale = 'Stale',
}

export interface CodedErrorOptions {
  /** What the user can do about it, shown under the message. Name commands with references (command-names.ts). */
  hint?: Hint;
  /** Extra safe-to-show facts, e.g. "did you mean" candidates. Never secrets. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class CodedError extends Error {
  readonly code: ErrorCode;
  /** The hint as plain text (logs, stderr, plain-text replies). */
  readonly hint: string | undefined;
  /** The hint as written, with its command references; what cards render. */
  readonly hintParts: readonly HintPart[] | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: CodedErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CodedError';
    this.code = code;
    this.hint = options.hint === undefined ? undefined : hintText(options.hint);
    this.hintParts = options.hint === undefined ? undefined : hintParts(options.hint);
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
