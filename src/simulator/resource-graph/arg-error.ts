import { randomUUID } from 'node:crypto';
import type { SimResponse } from '../sim-http';
import type { KqlError } from './kql-error';

type Detail = { code: string; message: string } & Record<string, unknown>;

/** Resource Graph's error envelope: a generic message with a correlation id, the reasons in `details`. */
export function argError(status: number, code: string, details: Detail[], headers?: Record<string, string>): SimResponse {
  const message = `Please provide below info when asking for support: timestamp = ${new Date().toISOString()}, correlationId = ${randomUUID()}.`;
  return { status, body: { error: { code, message, details } }, ...(headers ? { headers } : {}) };
}

export function invalidQuery(query: string, e: KqlError): SimResponse {
  const before = query.slice(0, e.position);
  const line = before.split('\n').length;
  const characterPositionInLine = e.position - (before.lastIndexOf('\n') + 1);
  return argError(400, 'BadRequest', [
    {
      code: 'InvalidQuery',
      message:
        'Query is invalid. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying.',
    },
    { code: e.detailCode, message: e.message, line, characterPositionInLine, token: e.token },
  ]);
}

export function badRequest(message: string): SimResponse {
  return argError(400, 'BadRequest', [{ code: 'InvalidRequestContent', message }]);
}

export function rateLimited(headers: Record<string, string>): SimResponse {
  return argError(
    429,
    'RateLimiting',
    [
      {
        code: 'RateLimiting',
        message:
          'Client application has been throttled and should not attempt to repeat the request until an amount of time has elapsed. Please see https://aka.ms/resourcegraph-throttling for help.',
      },
    ],
    headers,
  );
}
