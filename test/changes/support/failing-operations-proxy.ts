import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { CertificatePair } from '../../../src/simulator/certificate';

/**
 * An HTTPS hop in front of the simulator that can make the next long-running operations end `Failed`, the way
 * ARM reports a write that was accepted and then failed, or hold a PUT until the client has timed out. The simulator itself only ever succeeds, and this is
 * behaviour the workflow must handle that it cannot produce. Everything else passes through.
 */
export interface FailingOperationsProxy {
  url: string;
  /** The next `count` operation polls answer { status: Failed, error }. */
  failNext(count: number, error: { code: string; message: string }): void;
  /** Holds the next PUT this long before passing it on: the client times out, ARM still applies it. */
  delayNextPut(ms: number): void;
  close(): Promise<void>;
}

export async function startFailingOperationsProxy(
  target: { url: string; caPem: string },
  tls: CertificatePair,
): Promise<FailingOperationsProxy> {
  let remaining = 0;
  let putDelayMs = 0;
  let error = { code: 'Failed', message: 'failed' };
  let base = '';
  const server = https.createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    const onEnd = async () => {
      if (req.method === 'PUT' && putDelayMs > 0) {
        const wait = putDelayMs;
        putDelayMs = 0;
        await new Promise((r) => setTimeout(r, wait));
      }
      if (req.method === 'GET' && /\/operations\//i.test(req.url ?? '') && remaining > 0) {
        remaining -= 1;
        const body = JSON.stringify({ status: 'Failed', error });
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-ms-correlation-request-id': 'proxy-poll',
        });
        res.end(body);
        return;
      }
      const headers = { ...req.headers };
      delete headers.host;
      const upstream = https.request(new URL(req.url ?? '/', target.url), { method: req.method, headers, ca: target.caPem }, (up) => {
        const parts: Buffer[] = [];
        up.on('data', (c: Buffer) => parts.push(c));
        up.on('end', () => {
          // Keep the client on this hop: ARM's operation URLs are absolute.
          const text = Buffer.concat(parts).toString('utf8').split(target.url).join(base);
          const out: Record<string, string | string[]> = {};
          for (const [k, v] of Object.entries(up.headers))
            if (v !== undefined) out[k] = Array.isArray(v) ? v : String(v).split(target.url).join(base);
          out['content-length'] = String(Buffer.byteLength(text));
          res.writeHead(up.statusCode ?? 502, out);
          res.end(text);
        });
      });
      upstream.on('error', () => res.destroy());
      // A client that gave up has closed its socket; the write still goes on to ARM.
      res.on('error', () => undefined);
      upstream.end(Buffer.concat(chunks));
    };
    req.on('end', () => void onEnd());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    delayNextPut(ms) {
      putDelayMs = ms;
    },
    failNext(count, e) {
      remaining = count;
      error = e;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
