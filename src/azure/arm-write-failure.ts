import { isRestError } from '@azure/core-rest-pipeline';
import type { WriteResult } from '../changes/ports';

type WriteFailure = Extract<WriteResult, { ok: false }>;

const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const TRANSIENT_CODES = new Set([
  'RetryableErrorDueToAnotherOperation',
  'AnotherOperationInProgress',
  'TooManyRequests',
  'InternalServerError',
  'ServiceUnavailable',
  'GatewayTimeout',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'REQUEST_SEND_ERROR',
]);

/** core-lro reports an operation that ended Failed as "The long-running operation has failed. CODE. MESSAGE". */
const LRO_FAILED = /^The long-running operation has failed\.\s*([^.\s]+)\.\s*([\s\S]*)$/;

function oneLine(message: string): string {
  const text = message.replace(/\s+/g, ' ').trim();
  return text.length > 400 ? `${text.slice(0, 397)}...` : text;
}

/**
 * Whatever an ARM write threw → a WriteResult failure. Only ARM's code and message are kept (never the
 * request or response: they carry the Authorization header and the body). `transient` says whether trying
 * again later may work: throttling, "another operation is running", server errors and dropped connections.
 */
export function toWriteFailure(e: unknown, correlationId?: string): WriteFailure {
  const withId = correlationId ? { correlationId } : {};
  if (isRestError(e)) {
    const status = e.statusCode;
    const code = e.code ?? (status !== undefined ? `Http${status}` : 'ConnectionFailed');
    const fromResponse = e.response?.headers.get('x-ms-correlation-request-id');
    const transient = e.response === undefined || (status !== undefined && TRANSIENT_STATUS.has(status)) || TRANSIENT_CODES.has(code);
    const message =
      e.response === undefined
        ? `The connection to Azure failed before an answer arrived (${code}).`
        : oneLine(e.message) || `Azure answered HTTP ${status ?? '?'}.`;
    return { ok: false, code, message, transient, ...(fromResponse ? { correlationId: fromResponse } : withId) };
  }
  if (e instanceof Error && e.name === 'AbortError') {
    return { ok: false, code: 'Cancelled', message: 'The bot stopped waiting for Azure.', transient: true, ...withId };
  }
  if (e instanceof Error) {
    const failed = LRO_FAILED.exec(e.message);
    if (failed) {
      const code = failed[1] ?? 'Failed';
      return {
        ok: false,
        code,
        message: oneLine(failed[2] ?? '') || 'The operation failed in Azure.',
        transient: TRANSIENT_CODES.has(code),
        ...withId,
      };
    }
    if (/long-running operation has failed/i.test(e.message)) {
      return { ok: false, code: 'Failed', message: 'The operation failed in Azure without saying why.', transient: false, ...withId };
    }
  }
  return { ok: false, code: 'Internal', message: 'The write failed unexpectedly inside the bot.', transient: false, ...withId };
}
