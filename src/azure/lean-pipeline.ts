import type { TokenCredential } from '@azure/core-auth';
import {
  bearerTokenAuthenticationPolicy,
  RestError,
  type HttpClient,
  type PipelineRequest,
  type PipelineResponse,
  type SendRequest,
} from '@azure/core-rest-pipeline';
import type { LeanResponse } from './lean-http-client';
import type { ArmScheduler } from './scheduler';

/** The code of a RestError for a 200 answer that is not the documented JSON. */
export const INVALID_RESPONSE = 'InvalidResponse';

/** A JSON object (not null, not an array): what the lean clients check answers with. */
export const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Identifies the bot in Azure's logs, next to the x-ms-client-request-id of each call, for support cases. */
export const LEAN_USER_AGENT = `expressroute-ops-bot Node/${process.versions.node} OS/${process.platform}`;

/**
 * How the watcher's own clients (metrics-batch.ts, resource-graph-query.ts) send: a client request id and the
 * bot's user agent, then the ARM scheduler's budgets, retries and counts around each attempt, which gets the
 * tenant's bearer token for `scope` (core-rest-pipeline's bearer policy: its token cache and refresh) and goes
 * out on the transport. The steps are put together once per client, not per call as a Pipeline does; the watcher
 * makes ~460 of these calls a cycle.
 */
export type LeanSend = (request: PipelineRequest, background?: boolean) => Promise<PipelineResponse>;

export function leanSender(options: { credential: TokenCredential } & LeanClientOptions): LeanSend {
  const transport = options.httpClient;
  const bearer = bearerTokenAuthenticationPolicy({ credential: options.credential, scopes: options.scope });
  const signed: SendRequest = (request) => bearer.sendRequest(request, (r) => transport.sendRequest(r));
  const { scheduler, tenantId } = options;
  return (request, background = false) => {
    if (!request.headers.has('x-ms-client-request-id')) request.headers.set('x-ms-client-request-id', request.requestId);
    request.headers.set('user-agent', LEAN_USER_AGENT);
    return scheduler.send(request, signed, { tenantId, background });
  };
}

export interface LeanClientOptions {
  /** The token scope (audience + /.default). */
  scope: string;
  scheduler: ArmScheduler;
  /** The customer tenant the calls are made in: its principal's budgets, its token. */
  tenantId: string;
  /** The transport (lean-http-client.ts in the bot; a fake in unit tests). */
  httpClient: HttpClient;
}

/** What the watcher's own clients share: the endpoint, the lean sender and the transport; JSON in, JSON out. */
export abstract class LeanJsonClient {
  protected readonly endpoint: string;
  private readonly sender: LeanSend;

  /** `what` names the call in messages, e.g. "Azure Monitor answered metrics:getBatch". */
  protected constructor(
    endpoint: string,
    credential: TokenCredential,
    options: LeanClientOptions,
    protected readonly what: string,
  ) {
    this.endpoint = endpoint.replace(/\/+$/, '');
    this.sender = leanSender({ credential, ...options });
  }

  /** The 200 answer, parsed (see sendForJson); `background`: nobody is waiting for it (ReadOptions.background). */
  protected send(request: PipelineRequest, background = false): Promise<unknown> {
    return sendForJson((r) => this.sender(r, background), request, this.what);
  }
}

/**
 * Sends `request` and gives its 200 answer parsed. Any other status is a RestError with the service's own code
 * and message (ARM's `{ error: { code, message } }`, or a bare `{ code, message }`); an answer that is not JSON is
 * a RestError coded InvalidResponse. `what` names the call in messages ("Azure Monitor answered metrics:getBatch").
 */
export async function sendForJson(send: SendRequest, request: PipelineRequest, what: string): Promise<unknown> {
  const response: LeanResponse = await send(request);
  // The lean transport gives a 200 JSON answer already parsed; another transport gives text.
  if (response.status === 200 && 'parsedBody' in response) return response.parsedBody;
  const text = response.bodyAsText ?? '';
  if (response.status !== 200) throw serviceError(what, response.status, text, request, response);
  try {
    return JSON.parse(text);
  } catch {
    throw new RestError(`${what} with something that is not JSON.`, { code: INVALID_RESPONSE, statusCode: 200, request, response });
  }
}

/** A 200 answer that departs from the documented shape: `problem` says where. */
export function shapeError(what: string, problem: string, request: PipelineRequest): RestError {
  return new RestError(`${what} with an answer that is not the documented shape (${problem}).`, {
    code: INVALID_RESPONSE,
    statusCode: 200,
    request,
  });
}

function serviceError(what: string, status: number, text: string, request: PipelineRequest, response: PipelineResponse): RestError {
  let code: string | undefined;
  let message: string | undefined;
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown }; code?: unknown; message?: unknown };
    const e = body.error ?? body;
    if (typeof e.code === 'string') code = e.code;
    if (typeof e.message === 'string') message = e.message;
  } catch {
    // Not JSON: the status says enough.
  }
  return new RestError(message ?? `${what} with HTTP ${status}.`, { ...(code ? { code } : {}), statusCode: status, request, response });
}
