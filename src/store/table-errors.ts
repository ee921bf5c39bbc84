import { isRestError } from '@azure/core-rest-pipeline';
import { CodedError, ErrorCode } from '../errors';
import type { Logger } from '../log';
import { storeError } from './store-errors';

/** What matters of an SDK failure. */
export interface TableFailure {
  statusCode: number | undefined;
  /** e.g. UpdateConditionNotSatisfied, EntityAlreadyExists, ResourceNotFound, ECONNREFUSED. */
  code: string | undefined;
  /** For a failed transaction, which of its actions failed (the service prefixes the message with "<index>:"). */
  failedIndex: number | undefined;
}

export function tableFailure(e: unknown): TableFailure | undefined {
  if (!isRestError(e)) return undefined;
  const err = e as Error & { statusCode?: unknown; code?: unknown; details?: unknown };
  const details = typeof err.details === 'object' && err.details !== null ? (err.details as Record<string, unknown>) : {};
  // Transactions report the service's code in `code`; single operations put it in details.errorCode.
  const code = typeof err.code === 'string' ? err.code : typeof details.errorCode === 'string' ? details.errorCode : undefined;
  const index = /^(\d+):/.exec(err.message)?.[1];
  return {
    statusCode: typeof err.statusCode === 'number' ? err.statusCode : undefined,
    code,
    failedIndex: index === undefined ? undefined : Number(index),
  };
}

export function isStatus(e: unknown, ...statuses: number[]): boolean {
  const f = tableFailure(e);
  return f?.statusCode !== undefined && statuses.includes(f.statusCode);
}

/** Someone else wrote first: a stale etag (412) or an entity that already exists (409). Re-read and decide again. */
export function isWriteConflict(e: unknown): boolean {
  return isStatus(e, 409, 412);
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'REQUEST_SEND_ERROR',
]);

/** Turns whatever a Table Storage operation threw into a CodedError that says what to do. */
export function tableStoreError(e: unknown, operation: string, where: string, logger: Logger, requestId?: string): CodedError {
  const f = tableFailure(e);
  if (!f) return storeError(e, operation, where, logger, requestId);
  // Only the facts: a RestError also carries the request, whose headers hold the signature.
  logger.error({ operation, where, requestId, statusCode: f.statusCode, code: f.code }, 'table change store operation failed');
  const details = { statusCode: f.statusCode, storageCode: f.code, ...(requestId ? { requestId } : {}) };
  if (f.statusCode === undefined && (f.code === undefined || NETWORK_CODES.has(f.code))) {
    return new CodedError(ErrorCode.Internal, `The change store (Azure Table Storage at ${where}) cannot be reached.`, {
      hint: 'Check the storage endpoint or connection string and the network path to it, then try again.',
      details,
      cause: e,
    });
  }
  if (f.statusCode === 401 || f.statusCode === 403) {
    return new CodedError(ErrorCode.Internal, `The change store (Azure Table Storage at ${where}) refused the bot's credentials.`, {
      hint: "Check the account key or SAS in the connection string, or give the bot's identity the Storage Table Data Contributor role.",
      details,
      cause: e,
    });
  }
  if (f.statusCode === 404 && f.code === 'TableNotFound') {
    return new CodedError(ErrorCode.Internal, `A change store table at ${where} is missing.`, {
      hint: 'Restart the bot: it creates its tables when it starts. Check that nobody deletes them.',
      details,
      cause: e,
    });
  }
  if (f.statusCode === 429 || f.statusCode === 500 || f.statusCode === 503) {
    return new CodedError(ErrorCode.Internal, 'The change store (Azure Table Storage) is busy.', {
      hint: 'Try again in a minute.',
      details,
      cause: e,
    });
  }
  return new CodedError(ErrorCode.Internal, `The change store (Azure Table Storage) failed during ${operation}.`, {
    hint: 'Try again in a minute. If it keeps happening, tell the bot owners and quote the time.',
    details,
    cause: e,
  });
}
