/** What a simulator handler sees and answers; the server turns it into HTTP. */
export interface SimContext {
  method: string;
  /** Normalised ARM path (no query). */
  path: string;
  query: Record<string, string>;
  body: unknown;
  /** The simulator's base URL, for Location headers and nextLinks. */
  baseUrl: string;
  now: number;
  /** Who is asking: the bearer token, which stands for the principal in per-user quotas. */
  principal: string;
}

export interface SimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function ok(body: unknown, status = 200, headers?: Record<string, string>): SimResponse {
  return headers ? { status, body, headers } : { status, body };
}

/** ARM's error envelope. */
export function armError(status: number, code: string, message: string, headers?: Record<string, string>): SimResponse {
  return { status, body: { error: { code, message } }, ...(headers ? { headers } : {}) };
}

export function apiVersionOf(ctx: SimContext): string {
  return ctx.query['api-version'] ?? '2024-05-01';
}
