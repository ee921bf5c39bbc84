import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { systemClock, type Clock } from '../clock';
import { silentLogger, type Logger } from '../log';
import { normalizePath, parseArmPath } from './arm-path';
import { generateCertificate, type CertificatePair } from './certificate';
import { Admission, serviceOf } from './admission';
import { takeFault } from './fault-injector';
import type { Fleet } from './fleet';
import { LroOperations } from './lro-operations';
import { handleMetricsBatch, METRICS_BATCH_PATH } from './metrics/metrics-batch';
import { handleGet, handlePost } from './reads';
import { handleResourceGraph } from './resource-graph/resource-graph';
import { ResourceStore, clone } from './resource-store';
import { armError, type SimContext, type SimResponse } from './sim-http';
import type { SimState } from './sim-state';
import type { Fault, SimulatorSettings } from './simulator-settings';
import { Timeline } from './timeline';
import { handleWrite } from './writes';

export interface SimRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** HTTP status answered; 0 while in flight or when the connection was reset. */
  status: number;
  at: number;
  subscriptionId?: string;
  hasBearer: boolean;
  /**
   * Who asked: the bearer token, which is what Resource Graph's and metrics' quotas are per. Only the
   * simulator's own fake tokens ever reach it; tests use it to see which customer tenant a query ran as.
   */
  principal?: string;
}

export interface RunningSimulator {
  /** e.g. https://127.0.0.1:PORT; pass as the SDK client's `endpoint`. */
  url: string;
  /** The self-signed certificate to trust (`tlsOptions: { ca }`). */
  caPem: string;
  /** Every request in arrival order (bounded to the last 100,000). */
  requests: SimRequest[];
  /** When it started, on its clock: `timeline` entries' `afterMs` count from here. */
  startedAt: number;
  /** Live settings: change a field, or replace the object, and the next request sees it. */
  settings: SimulatorSettings;
  addFaults(faults: SimulatorSettings['faults']): void;
  /** The current body stored at an ARM path (a parent composed with its children), or undefined. */
  resource(path: string): unknown;
  close(): Promise<void>;
}

export interface StartSimulatorOptions {
  fleet: Fleet;
  port?: number;
  host?: string;
  settings?: SimulatorSettings;
  clock?: Clock;
  logger?: Logger;
  tls?: CertificatePair;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const MAX_LOGGED_REQUESTS = 100_000;

/** A local HTTPS ARM that serves a fleet fixture well enough that the real Azure SDK clients cannot tell. */
export async function startSimulator(options: StartSimulatorOptions): Promise<RunningSimulator> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  // Settings given to startSimulator win over the fleet's own "$simulator" (e.g. deviceReadMs: 0 in tests).
  const settings: SimulatorSettings = clone({ ...(options.fleet.$simulator ?? {}), ...(options.settings ?? {}) });
  const store = new ResourceStore(options.fleet);
  const startedAt = clock.now();
  const state: SimState = {
    store,
    ops: new LroOperations(),
    settings,
    timeline: new Timeline(store, () => state.settings, startedAt),
  };
  const admission = new Admission(() => state.settings);
  const requests: SimRequest[] = [];
  const tls = options.tls ?? (await generateCertificate());
  const host = options.host ?? '127.0.0.1';
  let baseUrl = '';
  // Cuts latency waits short on close(), so that a closed simulator holds no timers. Every request in flight
  // waits on it (one listener each, removed when its wait ends): hundreds at once is load, not a leak.
  const closing = new AbortController();
  setMaxListeners(0, closing.signal);

  // noDelay: without it Nagle's algorithm and delayed ACKs add ~40 ms to every small request/response pair.
  const server = https.createServer({ cert: tls.certPem, key: tls.keyPem, noDelay: true }, (req, res) => {
    void serve(req, res).catch((e: unknown) => logger.error({ err: e }, 'simulator failed to answer'));
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Collapse leading slashes first: a resourceUri with its own '/' gives '//subscriptions/…', which URL
    // would otherwise read as a host name.
    const url = new URL((req.url ?? '/').replace(/^\/+/, '/'), 'https://simulator.invalid');
    const path = normalizePath(url.pathname);
    const method = (req.method ?? 'GET').toUpperCase();
    const query = Object.fromEntries(url.searchParams.entries());
    const subscriptionId = parseArmPath(path).subscriptionId;
    const auth = req.headers.authorization ?? '';
    const entry: SimRequest = {
      method,
      path,
      query,
      status: 0,
      at: clock.now(),
      hasBearer: /^Bearer \S+/i.test(auth),
      ...(/^Bearer \S+/i.test(auth) ? { principal: auth.replace(/^Bearer\s+/i, '') } : {}),
      ...(subscriptionId ? { subscriptionId } : {}),
    };
    requests.push(entry);
    // A demo can run for days; keep the log bounded (tests look at far fewer entries than this).
    if (requests.length > MAX_LOGGED_REQUESTS) requests.splice(0, requests.length - MAX_LOGGED_REQUESTS);
    let answer: SimResponse;
    try {
      const body = await readBody(req);
      if (state.settings.latencyMs) await clock.sleep(state.settings.latencyMs, closing.signal);
      if (!entry.hasBearer) {
        answer = armError(
          401,
          'AuthenticationFailed',
          "Authentication failed. The 'Authorization' header is missing or is not a Bearer token.",
        );
      } else {
        // ARM's front door throttles first; injected faults stand for the resource provider behind it.
        const now = clock.now();
        settle(now);
        const principal = auth.replace(/^Bearer\s+/i, '');
        const verdict = admission.admit(serviceOf(method, path), method, path, principal, now);
        const fault = verdict.rejected ? undefined : takeFault(state.settings.faults, method, path, query);
        if (fault?.resetConnection) {
          logger.debug({ method, path }, 'fault: resetting connection');
          req.socket.destroy();
          return;
        }
        if (verdict.rejected) answer = verdict.rejected;
        else if (fault) answer = faultAnswer(fault);
        else answer = route(method, path, query, body, now, principal);
        answer = { ...answer, headers: { ...verdict.headers, ...answer.headers } };
      }
    } catch (e) {
      if (closing.signal.aborted) return;
      if (e instanceof BodyTooLarge) {
        answer = armError(413, 'RequestEntityTooLarge', `The request body is larger than ${MAX_BODY_BYTES} bytes.`);
      } else {
        logger.error({ err: e, method, path }, 'simulator internal error');
        answer = armError(500, 'InternalServerError', 'An internal error occurred in the ARM simulator.');
      }
    }
    entry.status = answer.status;
    send(res, answer);
  }

  /** LROs finish and timeline changes land lazily, whenever someone looks. */
  function settle(now: number): void {
    state.ops.settle(now);
    state.timeline.apply(now);
  }

  function route(
    method: string,
    path: string,
    query: Record<string, string>,
    rawBody: string,
    now: number,
    principal: string,
  ): SimResponse {
    let body: unknown;
    if (rawBody.trim() !== '') {
      try {
        body = JSON.parse(rawBody);
      } catch {
        return armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
      }
    }
    const ctx: SimContext = { method, path, query, body, baseUrl, now, principal };
    const service = serviceOf(method, path);
    if (service === 'resourceGraph') return handleResourceGraph(state, ctx);
    if (service === 'metricsBatch') return handleMetricsBatch(state, ctx, METRICS_BATCH_PATH.exec(path)?.[1] ?? '');
    switch (method) {
      case 'GET':
        return handleGet(state, ctx);
      case 'POST':
        return handlePost(state, ctx);
      case 'PUT':
      case 'PATCH':
      case 'DELETE':
        return handleWrite(state, ctx);
      default:
        return armError(405, 'MethodNotAllowed', `The HTTP method '${method}' is not supported.`);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info({ url: baseUrl }, 'ARM simulator listening');

  return {
    url: baseUrl,
    caPem: tls.certPem,
    requests,
    startedAt,
    // Live: tests may change fields or replace the whole object mid-run.
    get settings() {
      return state.settings;
    },
    set settings(next: SimulatorSettings) {
      state.settings = next;
    },
    addFaults(faults) {
      if (!faults?.length) return;
      state.settings.faults = [...(state.settings.faults ?? []), ...faults.map((f) => ({ ...f }))];
    },
    resource(path) {
      settle(clock.now());
      return state.store.get(path) ?? state.store.body(path);
    },
    close: () =>
      new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, answer: SimResponse): void {
  const headers: Record<string, string> = {
    'x-ms-correlation-request-id': randomUUID(),
    'x-ms-request-id': randomUUID(),
    ...answer.headers,
  };
  let payload = '';
  if (answer.body !== undefined && answer.status !== 204) {
    payload = JSON.stringify(answer.body);
    headers['Content-Type'] = 'application/json; charset=utf-8';
  }
  headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(answer.status, headers);
  res.end(payload);
}

function faultAnswer(fault: Fault): SimResponse {
  const headers = fault.retryAfterSeconds !== undefined ? { 'Retry-After': String(fault.retryAfterSeconds) } : undefined;
  return armError(fault.status, fault.code ?? defaultCode(fault.status), fault.message ?? 'Injected fault.', headers);
}

function defaultCode(status: number): string {
  if (status === 429) return 'TooManyRequests';
  if (status === 404) return 'ResourceNotFound';
  if (status === 409) return 'Conflict';
  if (status === 503) return 'ServiceUnavailable';
  if (status >= 500) return 'InternalServerError';
  return 'BadRequest';
}
