import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { Clock } from '../../src/clock';
import type { RunningSimulator } from '../../src/simulator';

/** The parts of an ARM body the tests look at. */
export interface ArmBody {
  error?: { code?: string; message?: string };
  value?: unknown[];
  nextLink?: string;
  [key: string]: unknown;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: ArmBody | undefined;
}

/** One HTTPS request to the simulator without the SDK, to look at status codes and headers as sent. */
export function rawRequest(
  sim: RunningSimulator,
  method: string,
  path: string,
  options: { bearer?: boolean; body?: unknown; token?: string; rawBody?: string } = {},
): Promise<RawResponse> {
  const url = new URL(path.startsWith('https://') ? path : `${sim.url}${path}`);
  if (!url.searchParams.has('api-version')) url.searchParams.set('api-version', '2024-05-01');
  const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method,
        ca: sim.caPem,
        headers: {
          ...(options.bearer === false ? {} : { authorization: `Bearer ${options.token ?? 'sim'}` }),
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? (JSON.parse(text) as ArmBody) : undefined });
        });
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/** A clock the test moves by hand; sleeping advances it at once. */
export class ManualClock implements Clock {
  constructor(private t = Date.UTC(2026, 0, 5, 3, 0, 0)) {}
  now(): number {
    return this.t;
  }
  sleep(ms: number): Promise<void> {
    this.t += ms;
    return Promise.resolve();
  }
  advance(ms: number): void {
    this.t += ms;
  }
}
