import { createHttpHeaders, RestError, type HttpClient, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import type { IncomingHttpHeaders } from 'node:http';
import type { SecureContext } from 'node:tls';
import { Agent, buildConnector, type Dispatcher } from 'undici';

/**
 * What this transport refuses to read (a body it cannot send, an encoding it did not ask for, an answer over its
 * limit). Sending again would get the same, so the scheduler does not retry these, and they are not reported as
 * Azure being down.
 */
export const REFUSED_ANSWER_CODES: ReadonlySet<string> = new Set(['EUNSUPPORTEDBODY', 'EBADENCODING', 'EANSWERTOOLARGE']);

/** Larger answers are refused rather than held: a getBatch answer for 50 circuits is well under 1 MB. */
export const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

/**
 * How long an idle connection is kept when the server does not say (a `Keep-Alive: timeout=` hint is followed):
 * longer than the watcher's default interval (60 s), so a cycle finds the last one's connections open, and shorter
 * than the idle timeout of Azure's load balancers (4 minutes), so the bot closes them before they are cut.
 */
export const IDLE_CONNECTION_MS = 120_000;

/**
 * The connections of the watcher's transport: keep-alive, one pool per host (ARM, each region's metrics), never more
 * than `maxPerHost` to one host. The scheduler decides how many calls are in flight. undici hands a finished
 * connection to the next call only on the event loop's next turn, so a call sent at once goes to another one: calls
 * one after another alternate over two connections, and a burst opens up to about twice the calls in flight (38 for
 * the 32 of a watch cycle's getBatch calls, 2,000 circuits). One connector for every host, so TLS sessions are kept
 * for as long as the agent; `secureContext` carries the trusted CAs, parsed once rather than for every connection.
 */
export function leanConnections(options: { secureContext?: SecureContext; maxPerHost?: number } = {}): Agent {
  return new Agent({
    keepAliveTimeout: IDLE_CONNECTION_MS,
    keepAliveMaxTimeout: IDLE_CONNECTION_MS,
    ...(options.maxPerHost !== undefined ? { connections: options.maxPerHost } : {}),
    connect: buildConnector(options.secureContext ? { secureContext: options.secureContext } : {}),
  });
}

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
 * undici's failures → the socket codes the rest of the bot reads (arm-errors.ts, the scheduler's retries). A code
 * undici passed on from the socket or TLS (ECONNREFUSED, a certificate's) is kept as it is.
 */
const UNDICI_CODES: ReadonlyMap<string, string> = new Map([
  ['UND_ERR_SOCKET', 'ECONNRESET'],
  ['UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT'],
  ['UND_ERR_HEADERS_TIMEOUT', 'ETIMEDOUT'],
  ['UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT'],
]);
/**
 * undici's own timers (connecting, waiting for the headers, between pieces of the body): Azure too slow, not a cut
 * connection, whether or not the answer had begun.
 */
const TIMEOUT_CODES: ReadonlySet<string> = new Set([...UNDICI_CODES].filter(([, mapped]) => mapped === 'ETIMEDOUT').map(([code]) => code));
/** The agent was closed: the bot is stopping. Reported as a cancelled call (not retried). */
const CLOSED_CODES: ReadonlySet<string> = new Set(['UND_ERR_CLOSED', 'UND_ERR_DESTROYED']);
/** A call undici cannot send as asked (a bug here): passed on as it is, which the scheduler does not retry. */
const CALLER_CODES: ReadonlySet<string> = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED']);

/**
 * A core-rest-pipeline transport for the watcher's hot path (hundreds of metrics:getBatch calls a cycle): one
 * `dispatch` on undici's keep-alive Agent (`leanConnections`), the answer read whole. The SDK's default client
 * (node's http over streams) wraps every answer for tracing and decompression, and node's http itself builds an
 * IncomingMessage stream per answer: a cost per call the watcher pays ~460 times a cycle (figures:
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
  private inFlight = 0;
  private stopping = false;
  private readonly whenIdle: Array<() => void> = [];

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly maxAnswerBytes = MAX_ANSWER_BYTES,
  ) {}

  sendRequest(request: PipelineRequest): Promise<LeanResponse> {
    if (this.stopping) return Promise.reject(abortError('The connections are closing: the bot is stopping.'));
    this.inFlight += 1;
    const call = this.send(request);
    const ended = () => {
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const resolve of this.whenIdle.splice(0)) resolve();
    };
    call.then(ended, ended);
    return call;
  }

  /**
   * Takes no new calls (they end as cancelled) and resolves once the calls in flight have ended. What closes the
   * connections then is the agent's `destroy`: undici's `Agent.close` forgets its pools at once, so a `destroy`
   * after it reaches none of them and a hung call would be left hanging.
   */
  stop(): Promise<void> {
    this.stopping = true;
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.whenIdle.push(resolve));
  }

  private send(request: PipelineRequest): Promise<LeanResponse> {
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
      // Not an https URL is the caller's bug: a TypeError, which the scheduler does not retry.
      const url = new URL(request.url);
      if (url.protocol !== 'https:') {
        reject(new TypeError(`This transport speaks https only, not ${url.protocol} (${url.host}).`));
        return;
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of request.headers) headers[name] = value;

      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      // undici hands the means to stop the request over once it starts; a stop asked for earlier waits for it.
      let controller: Dispatcher.DispatchController | undefined;
      let stopWith: Error | undefined;
      const finish = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        // Whatever building the answer throws rejects the call rather than leaving it waiting for ever.
        try {
          outcome();
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      };
      const fail = (e: Error) => finish(() => reject(e));
      // Settle first, then stop the request: what undici reports about the stop finds the promise settled.
      const abandon = (e: Error) => {
        fail(e);
        stopWith = e;
        if (controller && !controller.aborted) controller.abort(e);
      };
      const onAbort = () => abandon(abortError());

      const chunks: Buffer[] = [];
      let size = 0;
      // 0 until the answer's status and headers have come.
      let status = 0;
      let answerHeaders: IncomingHttpHeaders = {};
      const maxAnswerBytes = this.maxAnswerBytes;
      const handler: Dispatcher.DispatchHandler = {
        onRequestStart(c) {
          controller = c;
          // Stopped before it started: undici ends the request, and with it the connection just given to it.
          if (stopWith) c.abort(stopWith);
        },
        onResponseStart(_c, statusCode, h) {
          const encoding = h['content-encoding'];
          if (encoding !== undefined && String(encoding).toLowerCase() !== 'identity') {
            abandon(
              new RestError(`The answer came ${String(encoding)}-encoded, which was not asked for.`, { code: 'EBADENCODING', request }),
            );
            return;
          }
          status = statusCode;
          answerHeaders = h;
        },
        onResponseData(_c, chunk) {
          if (settled) return;
          size += chunk.length;
          if (size > maxAnswerBytes) {
            abandon(new RestError(`The answer is over ${maxAnswerBytes} bytes; refused.`, { code: 'EANSWERTOOLARGE', request }));
            return;
          }
          chunks.push(chunk);
        },
        onResponseEnd() {
          finish(() => resolve(leanResponse(request, status, answerHeaders, Buffer.concat(chunks, size).toString('utf8'))));
        },
        onResponseError(_c, e) {
          if (settled) return;
          const given = (e as Error & { code?: unknown }).code;
          const code = typeof given === 'string' ? given : undefined;
          if (code !== undefined && CLOSED_CODES.has(code)) fail(abortError('The connections were closed: the bot is stopping.'));
          else if (code !== undefined && CALLER_CODES.has(code)) fail(e);
          else if (code !== undefined && TIMEOUT_CODES.has(code)) fail(new RestError(e.message, { code: 'ETIMEDOUT', request }));
          // Whatever undici names a connection that ends before the answer does (a reset, a short body, a broken
          // chunk), it is the one thing to the caller.
          else if (status !== 0)
            fail(new RestError('The connection closed before the whole answer came.', { code: 'ECONNRESET', request }));
          else
            fail(
              new RestError(e.message, {
                code: (code !== undefined ? UNDICI_CODES.get(code) : undefined) ?? code ?? RestError.REQUEST_SEND_ERROR,
                request,
              }),
            );
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (request.timeout > 0) {
        timer = setTimeout(
          () => abandon(new RestError(`No answer within ${request.timeout} ms.`, { code: 'ETIMEDOUT', request })),
          request.timeout,
        );
      }
      // undici reports what goes wrong, its own refusals included, through the handler.
      this.dispatcher.dispatch(
        { origin: url.origin, path: url.pathname + url.search, method: request.method, headers, body: request.body ?? null },
        handler,
      );
    });
  }
}

/** The answer as LeanResponse gives it: a 200 that is JSON parsed, anything else as its text. */
function leanResponse(request: PipelineRequest, status: number, headers: IncomingHttpHeaders, text: string): LeanResponse {
  const response: LeanResponse = { request, status, headers: createHttpHeaders(flatHeaders(headers)) };
  const parsed = status === 200 ? parseJson(text) : NOT_JSON;
  if (parsed === NOT_JSON) response.bodyAsText = text;
  else response.parsedBody = parsed;
  return response;
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
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
