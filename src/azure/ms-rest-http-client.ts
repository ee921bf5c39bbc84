import { HttpHeaders, type HttpClient, type HttpOperationResponse, type WebResourceLike } from '@azure/ms-rest-js';
import { createHttpHeaders, createPipelineRequest, type HttpClient as PipelineHttpClient } from '@azure/core-rest-pipeline';
import type { ArmScheduler, PolicyContext } from './scheduler';

/**
 * @azure/arm-resourcegraph 4.x (the last line that runs on Node 20) is built on ms-rest-js, not on
 * core-rest-pipeline. This HTTP client lets it go through the same scheduler, keep-alive agent and trusted
 * CA as every other Azure client (through the lean transport the watcher uses), so its requests are budgeted, retried and counted like theirs.
 */
export class SchedulerHttpClient implements HttpClient {
  constructor(
    private readonly scheduler: ArmScheduler,
    private readonly context: PolicyContext,
    /** The transport: the pool's lean client on its shared keep-alive agent (lean-http-client.ts). */
    private readonly http: PipelineHttpClient,
  ) {}

  async sendRequest(request: WebResourceLike): Promise<HttpOperationResponse> {
    const headers = createHttpHeaders();
    for (const h of request.headers.headersArray()) headers.set(h.name, h.value);
    const body: string | undefined =
      typeof request.body === 'string' ? request.body : request.body === undefined ? undefined : JSON.stringify(request.body);
    const pipelineRequest = createPipelineRequest({
      url: request.url,
      method: request.method,
      headers,
      ...(body !== undefined ? { body } : {}),
      ...(request.timeout ? { timeout: request.timeout } : {}),
      ...(request.abortSignal ? { abortSignal: request.abortSignal } : {}),
    });
    const response = await this.scheduler.send(pipelineRequest, (r) => this.http.sendRequest(r), this.context);
    return {
      request,
      status: response.status,
      headers: new HttpHeaders(response.headers.toJSON()),
      bodyAsText: response.bodyAsText ?? '',
    };
  }
}
