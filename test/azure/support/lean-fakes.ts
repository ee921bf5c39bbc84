import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { createHttpHeaders, type HttpClient, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';

/** A credential that hands out one token valid for an hour, and remembers the scopes it was asked for. */
export class FakeCredential implements TokenCredential {
  readonly asked: string[][] = [];
  constructor(private readonly token: string) {}

  getToken(scopes: string | string[]): Promise<AccessToken> {
    this.asked.push([scopes].flat());
    return Promise.resolve({ token: this.token, expiresOnTimestamp: Date.now() + 3_600_000 });
  }
}

/** A request as the transport got it; `body` is the JSON body parsed. */
export interface Sent<B = unknown> {
  method: string;
  url: URL;
  headers: Record<string, string>;
  /** The body exactly as sent. */
  text: string;
  body: B;
  /** Whether the request's abort signal had fired when it reached the transport. */
  aborted: boolean;
}

export interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/** The transport of the lean clients, faked: records every request and answers what it is told. */
export class FakeHttpClient<B = unknown> implements HttpClient {
  readonly sent: Sent<B>[] = [];
  constructor(private readonly answer: (sent: Sent<B>, index: number) => Answer) {}

  sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
    const text = typeof request.body === 'string' ? request.body : '';
    const sent: Sent<B> = {
      method: request.method,
      url: new URL(request.url),
      headers: request.headers.toJSON(),
      text,
      body: (text === '' ? undefined : JSON.parse(text)) as B,
      aborted: request.abortSignal?.aborted ?? false,
    };
    this.sent.push(sent);
    // As the real transport (lean-http-client.ts) does: an aborted request is refused, not sent.
    if (sent.aborted) return Promise.reject(Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' }));
    const a = this.answer(sent, this.sent.length - 1);
    return Promise.resolve({
      request,
      status: a.status,
      headers: createHttpHeaders(a.headers ?? { 'content-type': 'application/json; charset=utf-8' }),
      bodyAsText: a.body,
    });
  }
}
