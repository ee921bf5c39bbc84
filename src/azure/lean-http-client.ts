import { createHttpHeaders, RestError, type HttpClient, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import type { IncomingMessage } from 'node:http';
import https from 'node:https';

/**
 * What this transport refuses to read (a body it cannot send, an encoding it did not ask for, an answer over its
 * limit). Sending again would get the same, so the scheduler does not retry these, and they are not reported as
 * Azure being down.
 */
export const REFUSED_ANSWER_CODES: ReadonlySet<string> = new Set(['EUNSUPPORTEDBODY', 'EBADENCODING', 'EANSWERTOOLARGE']);

/** Larger answers are refused rather than held: a getBatch answer for 50 circuits is well under 1 MB. */
export const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

/**
 * What this transport answers: a PipelineResponse whose 200 answer, when it is JSON, comes parsed (`parsedBody`)
 * instead of as text. Any other status, or a 200 that is not JSON, comes as text, for the caller's message.
 */
export interface LeanResponse extends PipelineResponse {
  parsedBody?: unknown;
}

const NOT_JSON: unique symbol = Symbol('not JSON');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

/**
 * A core-rest-pipeline transport for the watcher's hot path (hundreds of metrics:getBatch calls a cycle): one
 * `https.request` on the shared keep-alive agent, the answer read whole. The SDK's default client streams and wraps
 * every answer for tracing and decompression, at a cost per call the watcher pays 620 times a cycle (figures:
 * src/azure/README.md). What this one does not do, it refuses clearly: non-string bodies, compressed answers (it
 * never asks for them), answers over `maxAnswerBytes`. It follows no redirects: ARM and the metrics data plane
 * answer these calls directly, and a 3xx comes back as the status it is.
 *
 * A 200 answer that is JSON is parsed here, as its last bytes arrive, and its text let go at once (LeanResponse).
 * Handed up the pipeline as text and parsed by the client a few steps later, most of a cycle's ~14 MB of answers,
 * text and parsed tree, outlived a young-generation collection and were promoted to the old one: 45 MB promoted
 * a cycle, against 31 MB parsed here (V8's --trace-gc-nvp, 2,000 circuits), and 90–107 ms less CPU a cycle, in
 * cycles run in alternating pairs.
 *
 * Failures take the shape the scheduler's retry rules read: a dropped connection is a `RestError` with the socket's
 * code and no response (retried); a cancelled request is an `AbortError` (not retried); a refusal carries one of
 * REFUSED_ANSWER_CODES (not retried).
 */
export class LeanHttpClient implements HttpClient {
  constructor(
    private readonly agent: https.Agent,
    private readonly maxAnswerBytes = MAX_ANSWER_BYTES,
  ) {}

  sendRequest(request: PipelineRequest): Promise<LeanResponse> {
    return new Promise<LeanResponse>((resolve, reject) => {
      const signal = request.abortSignal;
      if (signal?.aborted) {
        reject(abortError());
        return;
      }
      if (request.body !== undefined && request.body !== null && typeof request.body !== 'string') {
        reject(new RestError('This transport sends text bodies only.', { code: 'EUNSUPPORTEDBODY', request }));
        return;
      }
      const body = request.body ?? undefined;
      const headers: Record<string, string> = {};
      for (const [name, value] of request.headers) headers[name] = value;
      if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));

      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      // Settle first, then tear the request down: errors the teardown raises afterwards find the promise settled.
      const abandon = (e: Error) => {
        fail(e);
        req.destroy();
      };
      const onAbort = () => abandon(abortError());
      const finish = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        outcome();
      };
      const fail = (e: Error & { code?: string }) =>
        finish(() =>
          reject(
            e.name === 'AbortError' || e instanceof RestError
              ? e
              : new RestError(e.message, { code: e.code ?? RestError.REQUEST_SEND_ERROR, request }),
          ),
        );

      const req = https.request(request.url, { method: request.method, headers, agent: this.agent }, (res) => {
        res.on('error', fail);
        const encoding = res.headers['content-encoding'];
        if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
          abandon(new RestError(`The answer came ${encoding}-encoded, which was not asked for.`, { code: 'EBADENCODING', request }));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (settled) return;
          size += chunk.length;
          if (size > this.maxAnswerBytes) {
            abandon(new RestError(`The answer is over ${this.maxAnswerBytes} bytes; refused.`, { code: 'EANSWERTOOLARGE', request }));
            return;
          }
          chunks.push(chunk);
        });
        res.on('close', () => {
          if (!res.complete) fail(new RestError('The connection closed before the whole answer came.', { code: 'ECONNRESET', request }));
        });
        res.on('end', () => {
          finish(() => resolve(leanResponse(request, res, Buffer.concat(chunks, size).toString('utf8'))));
        });
      });
      req.on('error', fail);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (request.timeout > 0) {
        timer = setTimeout(
          () => abandon(new RestError(`No answer within ${request.timeout} ms.`, { code: 'ETIMEDOUT', request })),
          request.timeout,
        );
      }
      req.end(body);
    });
  }
}

/** The answer as LeanResponse gives it: a 200 that is JSON parsed, anything else as its text. */
function leanResponse(request: PipelineRequest, res: IncomingMessage, text: string): LeanResponse {
  const status = res.statusCode ?? 0;
  const response: LeanResponse = { request, status, headers: createHttpHeaders(flatHeaders(res.headers)) };
  const parsed = status === 200 ? parseJson(text) : NOT_JSON;
  if (parsed === NOT_JSON) response.bodyAsText = text;
  else response.parsedBody = parsed;
  return response;
}

function flatHeaders(headers: NodeJS.Dict<string | string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** A cancelled request, as core-rest-pipeline names it (the scheduler and toCodedError read the name). */
export function abortError(message = 'The request was cancelled.'): Error {
  const e = new Error(message);
  e.name = 'AbortError';
  return e;
}
