import { SqliteError } from 'better-sqlite3';
import { z } from 'zod';
import { CodedError, ErrorCode } from '../errors';
import type { Logger } from '../log';

const RESTORE_HINT =
  'The data file may have been edited by hand or written by an incompatible version of the bot. Restore it from a backup, or ask the bot owners to inspect that row.';

/** A stored change request that no longer parses: reported by id, never a crash of the process. */
export function unreadableRequest(logger: Logger, requestId: string, reason: z.ZodError | string): CodedError {
  return unreadableRow(logger, `change request ${requestId}`, reason, { requestId });
}

export function unreadableRow(
  logger: Logger,
  what: string,
  reason: z.ZodError | string,
  details: Record<string, unknown> = {},
): CodedError {
  const why = typeof reason === 'string' ? reason : z.prettifyError(reason);
  logger.error({ ...details, what, reason: why }, 'unreadable row in the change store');
  return new CodedError(ErrorCode.Internal, `Stored ${what} could not be read: ${why}`, {
    hint: RESTORE_HINT,
    details: { ...details, corrupted: true },
  });
}

/** The refusals every store words the same way. */
export function requestNotFound(requestId: string): CodedError {
  return new CodedError(ErrorCode.NotFound, `There is no change request ${requestId}.`, {
    hint: ['Check the id with ', { say: 'requests', args: ['all'] }, '.'],
    details: { requestId },
  });
}

export function cardPostWithoutRequest(requestId: string): CodedError {
  return new CodedError(ErrorCode.NotFound, `There is no change request ${requestId} to attach a card to.`, { details: { requestId } });
}

export function duplicateRequestId(requestId: string): CodedError {
  return new CodedError(ErrorCode.Internal, `Change request ${requestId} already exists.`, {
    hint: 'Create the request again: it gets a fresh id.',
    details: { requestId, duplicateId: true },
  });
}

/** A creator so slow that another took its target over (table-target-lock.ts): that id can no longer be stored. */
export function fencedOut(requestId: string): CodedError {
  return new CodedError(
    ErrorCode.Internal,
    `Change request ${requestId} took too long to be stored, and its target was given to another request.`,
    {
      hint: 'Create the request again: it gets a fresh id.',
      details: { requestId },
    },
  );
}

export function storeClosed(cause?: unknown): CodedError {
  return new CodedError(ErrorCode.Internal, 'The change store is closed.', {
    hint: 'The bot is shutting down; try again once it is back.',
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Turns whatever a store operation threw into a CodedError that says what to do. */
export function storeError(e: unknown, operation: string, file: string, logger: Logger, requestId?: string): CodedError {
  if (e instanceof CodedError) return e;
  if (e instanceof z.ZodError) {
    // Inputs come from our own workflow, so an invalid one is a bug: refuse to store it rather than write a row
    // that could not be read back.
    return new CodedError(
      ErrorCode.Internal,
      `Refused to store an invalid value in ${operation}${requestId ? ` for ${requestId}` : ''}: ${z.prettifyError(e)}`,
      {
        hint: 'This is a bug in the bot; tell the bot owners and quote the time.',
        cause: e,
      },
    );
  }
  if (e instanceof SqliteError) {
    if (requestId && /malformed JSON/i.test(e.message)) return unreadableRequest(logger, requestId, 'its JSON is not valid');
    if (e.code === 'SQLITE_BUSY' || e.code.startsWith('SQLITE_BUSY_')) {
      return new CodedError(ErrorCode.Internal, 'The change store is busy with another writer.', {
        hint: 'Try again in a moment. If it persists, check that no other program holds the data file open.',
        cause: e,
      });
    }
    logger.error({ err: e, operation, file }, 'change store operation failed');
    return new CodedError(ErrorCode.Internal, `The change store failed during ${operation}.`, {
      hint: 'Try again in a minute. If it keeps happening, tell the bot owners and quote the time.',
      details: { sqliteCode: e.code },
      cause: e,
    });
  }
  if (e instanceof TypeError && /not open/i.test(e.message)) return storeClosed(e);
  logger.error({ err: e, operation, file }, 'change store operation failed');
  return new CodedError(ErrorCode.Internal, `The change store failed during ${operation}.`, {
    hint: 'Try again in a minute. If it keeps happening, tell the bot owners and quote the time.',
    cause: e,
  });
}
