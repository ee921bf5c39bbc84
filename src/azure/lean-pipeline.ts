import type { TokenCredential } from '@azure/core-auth';
import {
  bearerTokenAuthenticationPolicy,
  createEmptyPipeline,
  RestError,
  setClientRequestIdPolicy,
  userAgentPolicy,
  type HttpClient,
  type Pipeline,
  type PipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';
import type { ArmScheduler } from './scheduler';

/** The code of a RestError for a 200 answer that is not the documented JSON. */
export const INVALID_RESPONSE = 'InvalidResponse';

/** A JSON object (not null, not an array): what the lean clients check answers with. */
export const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Identifies the bot in Azure's logs, next to the x-ms-client-request-id of each call, for support cases. */
const USER_AGENT_PREFIX = 'expressroute-ops-bot';

/**
 * The pipeline of the watcher's own clients (metrics-batch.ts, resource-graph-query.ts): a client request id and
 * the bot's user agent, then the ARM scheduler's budgets, retries and counts around each attempt, which gets the
 * tenant's bearer token for `scope`.
 */
export function leanPipeline(options: { credential: TokenCredential } & Omit<LeanClientOptions, 'httpClient'>): Pipeline {
  const pipeline = createEmptyPipeline();
  pipeline.addPolicy(setClientRequestIdPolicy());
  pipeline.addPolicy(userAgentPolicy({ userAgentPrefix: USER_AGENT_PREFIX }));
  pipeline.addPolicy(options.scheduler.policy({ tenantId: options.tenantId }), { phase: 'Retry' });
  pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential: options.credential, scopes: options.scope }), { phase: 'Sign' });
  return pipeline;
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

/** What the watcher's own clients share: the endpoint, the lean pipeline and the transport; JSON in, JSON out. */
export abstract class LeanJsonClient {
  protected readonly endpoint: string;
  private readonly pipeline: Pipeline;
  private readonly httpClient: HttpClient;

  /** `what` names the call in messages, e.g. "Azure Monitor answered metrics:getBatch". */
  protected constructor(
    endpoint: string,
    credential: TokenCredential,
    options: LeanClientOptions,
    protected readonly what: string,
  ) {
    this.endpoint = endpoint.replace(/\/+$/, '');
    this.pipeline = leanPipeline({ credential, ...options });
    this.httpClient = options.httpClient;
  }

  /** The 200 answer, parsed (see sendForJson). */
  protected send(request: PipelineRequest): Promise<unknown> {
    return sendForJson(this.pipeline, this.httpClient, request, this.what);
  }
}

/**
 * Sends `request` and gives its 200 answer parsed. Any other status is a RestError with the service's own code
 * and message (ARM's `{ error: { code, message } }`, or a bare `{ code, message }`); an answer that is not JSON is
 * a RestError coded InvalidResponse. `what` names the call in messages ("Azure Monitor answered metrics:getBatch").
 */
export async function sendForJson(pipeline: Pipeline, httpClient: HttpClient, request: PipelineRequest, what: string): Promise<unknown> {
  const response = await pipeline.sendRequest(httpClient, request);
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
