import { isRestError } from '@azure/core-rest-pipeline';
import { CodedError, ErrorCode, isCodedError } from '../errors';
import { REFUSED_ANSWER_CODES } from './lean-http-client';
import { INVALID_RESPONSE } from './lean-pipeline';
import { RESULT_TRUNCATED } from './resource-graph-query';

/** What the caller was doing, so the message can name it. */
export interface ArmErrorContext {
  subscriptionId?: string;
  /** A human name for the thing read or written, e.g. "circuit contoso-ams-er1". */
  resource?: string;
}

const SIGN_IN_ERRORS = new Set(['AuthenticationError', 'AggregateAuthenticationError', 'CredentialUnavailableError']);

const CONNECTION_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'REQUEST_SEND_ERROR',
]);

/**
 * Turns whatever the ARM SDK threw into a CodedError a user can act on. The RestError itself is not kept as
 * the cause: it holds the request (with its Authorization header) and the response.
 */
export function toCodedError(e: unknown, context: ArmErrorContext = {}): CodedError {
  if (isCodedError(e)) return e;
  const what = context.resource ?? 'the Azure resource';
  const sub = context.subscriptionId ? ` ${context.subscriptionId}` : '';

  if (!isRestError(e)) {
    if (e instanceof Error && e.name === 'AbortError') {
      return new CodedError(ErrorCode.ArmUnavailable, `The request to Azure for ${what} was cancelled.`, {
        hint: 'Ask again.',
      });
    }
    // @azure/identity's: the bot could not get a token for the customer's tenant (consent revoked, secret expired…).
    if (e instanceof Error && SIGN_IN_ERRORS.has(e.name)) {
      return new CodedError(
        ErrorCode.ArmForbidden,
        `The bot could not sign in to the customer's tenant to read ${what}: ${plainArmMessage(e.message)}`,
        {
          hint:
            "Check the bot's app registration in that tenant (admin consent given, secret or certificate not expired), " +
            'then ask again.',
          details: { errorName: e.name },
        },
      );
    }
    return new CodedError(ErrorCode.Internal, `Reading ${what} from Azure failed unexpectedly.`, {
      hint: 'Try again in a minute. If it keeps happening, tell the bot owners and quote the time of the request.',
      details: { errorName: e instanceof Error ? e.name : typeof e },
    });
  }

  const status = e.statusCode;
  const armCode = e.code;
  const correlationId = e.response?.headers.get('x-ms-correlation-request-id');
  const details: Record<string, unknown> = {
    ...(status !== undefined ? { status } : {}),
    ...(armCode ? { armCode } : {}),
    ...(correlationId ? { correlationId } : {}),
  };
  const armMessage = plainArmMessage(e.message);

  if (armCode === RESULT_TRUNCATED) {
    return new CodedError(ErrorCode.ArmUnavailable, `Azure Resource Graph answered for ${what} with rows missing: ${armMessage}`, {
      hint: 'Asking again gets the same answer: the query cannot be paged. Tell the bot owners: the log has the details.',
      details,
    });
  }
  if ((armCode !== undefined && REFUSED_ANSWER_CODES.has(armCode)) || armCode === INVALID_RESPONSE) {
    return new CodedError(ErrorCode.ArmUnavailable, `Azure answered for ${what} with something the bot cannot read: ${armMessage}`, {
      hint: 'Try again in a few minutes. If it keeps happening, tell the bot owners: the log has the details.',
      details,
    });
  }
  if (status === 404 || armCode === 'ResourceNotFound' || armCode === 'NotFound' || armCode === 'ResourceGroupNotFound') {
    return new CodedError(ErrorCode.ArmNotFound, `Azure could not find ${what}${sub ? ` in subscription${sub}` : ''}.`, {
      hint: ['Check the name or id; it may have been deleted or moved. ', { say: 'circuits' }, ' lists what exists.'],
      details,
    });
  }
  if (
    status === 401 ||
    status === 403 ||
    armCode === 'AuthorizationFailed' ||
    armCode === 'InvalidAuthenticationToken' ||
    armCode === 'LinkedAuthorizationFailed'
  ) {
    return new CodedError(
      ErrorCode.ArmForbidden,
      `The bot's identity has no access to subscription${sub || ' (unknown)'}, so it could not read ${what}.`,
      {
        hint:
          "Grant the bot's app registration the Reader role (Network Contributor for changes) on that subscription " +
          'in the customer tenant, then ask again.',
        details,
      },
    );
  }
  if (status === 429) {
    return new CodedError(ErrorCode.ArmThrottled, `Azure is throttling requests for subscription${sub} right now.`, {
      hint: 'Nothing is wrong with the circuit. Ask again in a minute.',
      details,
    });
  }
  if (status === undefined || status >= 500 || status === 408 || (armCode !== undefined && CONNECTION_CODES.has(armCode))) {
    return new CodedError(ErrorCode.ArmUnavailable, `Azure did not answer for ${what}; it may be having a problem.`, {
      hint: 'Try again in a few minutes. Check https://azure.status.microsoft if it persists.',
      details,
    });
  }
  return new CodedError(
    ErrorCode.ArmRejected,
    `Azure refused the request for ${what}${armCode ? ` (${armCode})` : ''}${armMessage ? `: ${armMessage}` : '.'}`,
    { hint: 'Read what Azure said above, correct the request, and try again.', details },
  );
}

/** ARM messages are plain sentences, but can be long; keep them to one readable line. */
function plainArmMessage(message: string): string {
  const oneLine = message.replace(/\s+/g, ' ').trim();
  return oneLine.length > 400 ? `${oneLine.slice(0, 397)}...` : oneLine;
}
