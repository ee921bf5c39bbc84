import assert from 'node:assert/strict';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import tls from 'node:tls';
import zlib from 'node:zlib';
import { Agent, buildConnector, type Dispatcher } from 'undici';
import { createHttpHeaders, createPipelineRequest, isRestError, type PipelineRequest } from '@azure/core-rest-pipeline';
import { toCodedError } from '../../src/azure/arm-errors';
import { leanConnections, LeanHttpClient } from '../../src/azure/lean-http-client';
import { sendForJson } from '../../src/azure/lean-pipeline';
import { ArmScheduler } from '../../src/azure/scheduler';
import { systemClock } from '../../src/clock';
import { silentLogger } from '../../src/log';
import { generateCertificate } from '../../src/simulator/certificate';
import { HEALTH_WINDOW_MS } from '../../src/network/health-check';
import { buildDemoFleet } from '../../src/simulator';
import { DEMO_CUSTOMERS } from '../../src/demo/customers';
import { until } from '../support/until';
import { startArmKit, type ArmKit } from './support/arm-test-kit';
import { ManualClock } from './support/manual-clock';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A local HTTPS server with a certificate of its own, trusted by exactly this test's agent. */
async function localHttps(handler: Handler) {
  const cert = await generateCertificate();
  const server = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const secureContext = tls.createSecureContext({ ca: cert.certPem });
  const agent = leanConnections({ secureContext });
  return {
    url: `https://127.0.0.1:${port}`,
    agent,
    secureContext,
    onConnection: (count: () => void) => server.on('secureConnection', count),
    close: async () => {
      await agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const request = (url: string, init: Partial<Parameters<typeof createPipelineRequest>[0]> = {}): PipelineRequest =>
  createPipelineRequest({ url, method: 'POST', headers: createHttpHeaders({ 'content-type': 'application/json' }), ...init });

describe('LeanHttpClient: the watcher transport', function () {
  this.timeout(30_000);
  let server: Awaited<ReturnType<typeof localHttps>> | undefined;
  let kit: ArmKit | undefined;
  afterEach(async () => {
    await server?.close();
    await kit?.close();
    server = undefined;
    kit = undefined;
  });

  it('sends method, headers and body as given, and gives status, headers and the whole answer as text', async () => {
    let seen: { method?: string; url?: string; headers?: IncomingMessage['headers']; body?: string } = {};
    server = await localHttps((req, res, body) => {
      seen = { method: req.method!, url: req.url!, headers: req.headers, body };
      res.setHeader('x-ms-correlation-request-id', 'corr-1');
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.writeHead(201, { 'content-type': 'application/json' });
      // Written in pieces, multi-byte characters split across them: the text must come back whole.
      const text = JSON.stringify({ name: 'Zürich–Genève', n: 'x'.repeat(70_000) });
      const bytes = Buffer.from(text, 'utf8');
      const cut = bytes.indexOf(Buffer.from('ü')) + 1;
      res.write(bytes.subarray(0, cut));
      res.end(bytes.subarray(cut));
    });
    const client = new LeanHttpClient(server.agent);
    const body = JSON.stringify({ resourceids: ['/subscriptions/x/resourceGroups/rg-Zürich/a', '/subscriptions/x/b'] });
    const response = await client.sendRequest(request(`${server.url}/subscriptions/s/metrics:getBatch?api-version=2024-02-01`, { body }));
    assert.equal(seen.method, 'POST');
    assert.equal(seen.url, '/subscriptions/s/metrics:getBatch?api-version=2024-02-01');
    assert.equal(seen.headers?.['content-type'], 'application/json');
    assert.equal(seen.headers?.['content-length'], String(Buffer.byteLength(body)), 'bytes, not characters');
    assert.notEqual(Buffer.byteLength(body), body.length);
    assert.equal(seen.headers?.['accept-encoding'], undefined, 'never asks for a compressed answer');
    assert.equal(seen.body, body);
    assert.equal(response.status, 201);
    assert.equal(response.headers.get('x-ms-correlation-request-id'), 'corr-1');
    assert.equal(response.headers.get('set-cookie'), 'a=1, b=2');
    const parsed = JSON.parse(response.bodyAsText ?? '') as { name: string; n: string };
    assert.equal(parsed.name, 'Zürich–Genève');
    assert.equal(parsed.n.length, 70_000);
  });

  it('keeps its connections: calls one after another reuse them rather than open one each', async () => {
    let connections = 0;
    server = await localHttps((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"values":[]}');
    });
    const client = new LeanHttpClient(server.agent);
    server.onConnection(() => (connections += 1));
    for (let i = 0; i < 5; i++)
      assert.equal((await client.sendRequest(request(`${server.url}/subscriptions/s/metrics:getBatch`))).status, 200);
    // Calls one after another alternate over two (leanConnections says why); without keep-alive it would be five.
    assert.ok(connections <= 2, `${connections} connections for five calls`);
  });

  it('gives a 200 JSON answer parsed, without its text; a 200 that is not JSON and an error answer come as text', async () => {
    server = await localHttps((req, res) => {
      if (req.url === '/json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ values: [{ resourceid: '/subscriptions/s/a', value: [] }], n: 1.5 }));
      } else if (req.url === '/html') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>gateway</html>');
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'ResourceNotFound', message: 'gone' } }));
      }
    });
    const client = new LeanHttpClient(server.agent);
    const json = await client.sendRequest(request(`${server.url}/json`));
    assert.deepEqual(json.parsedBody, { values: [{ resourceid: '/subscriptions/s/a', value: [] }], n: 1.5 });
    assert.equal(json.bodyAsText, undefined, 'the text is not kept once parsed');
    const html = await client.sendRequest(request(`${server.url}/html`));
    assert.equal('parsedBody' in html, false);
    assert.equal(html.bodyAsText, '<html>gateway</html>');
    const missing = await client.sendRequest(request(`${server.url}/missing`));
    assert.equal(missing.status, 404);
    assert.equal('parsedBody' in missing, false);
    assert.match(missing.bodyAsText ?? '', /ResourceNotFound/);

    // What the lean clients make of them (sendForJson): the value, an InvalidResponse, the service's own error.
    const send = (path: string) => sendForJson((r) => client.sendRequest(r), request(`${server!.url}${path}`), 'The test service answered');
    assert.deepEqual(await send('/json'), json.parsedBody);
    await assert.rejects(send('/html'), (e: unknown) => isRestError(e) && e.code === 'InvalidResponse' && /not JSON/.test(e.message));
    await assert.rejects(send('/missing'), (e: unknown) => isRestError(e) && e.code === 'ResourceNotFound' && e.statusCode === 404);
  });

  it('refuses an answer it did not ask to be compressed, and one over its size limit', async () => {
    server = await localHttps((req, res) => {
      if (req.url === '/gzip') {
        res.writeHead(200, { 'content-encoding': 'gzip' });
        res.end(zlib.gzipSync('{}'));
      } else {
        res.writeHead(200);
        res.end('y'.repeat(4_096));
      }
    });
    const client = new LeanHttpClient(server.agent, 1_024);
    await assert.rejects(client.sendRequest(request(`${server.url}/gzip`)), (e: unknown) => isRestError(e) && e.code === 'EBADENCODING');
    await assert.rejects(client.sendRequest(request(`${server.url}/big`)), (e: unknown) => isRestError(e) && e.code === 'EANSWERTOOLARGE');
  });

  it('reports a connection cut mid-answer as ECONNRESET with no response (what the scheduler retries), kept alive or not', async () => {
    server = await localHttps((req, res) => {
      // Kept alive with a length, closing with a length, and chunked: undici names each cut differently.
      if (req.url === '/close') res.writeHead(200, { 'content-length': '1000', connection: 'close' });
      else if (req.url === '/chunked') res.writeHead(200, { 'content-type': 'application/json' });
      else res.writeHead(200, { 'content-length': '1000' });
      res.write('{"values":[');
      setImmediate(() => res.socket?.destroy());
    });
    const client = new LeanHttpClient(server.agent);
    for (const path of ['/kept', '/close', '/chunked']) {
      await assert.rejects(
        client.sendRequest(request(`${server.url}${path}`)),
        (e: unknown) => isRestError(e) && e.code === 'ECONNRESET' && e.response === undefined,
        path,
      );
    }
  });

  it('refuses a server whose certificate it was not given (verification stays on)', async () => {
    server = await localHttps((_req, res) => res.end('{}'));
    const agent = leanConnections();
    try {
      const client = new LeanHttpClient(agent);
      await assert.rejects(client.sendRequest(request(`${server.url}/`)), (e: unknown) => isRestError(e) && e.response === undefined);
    } finally {
      await agent.destroy();
    }
  });

  it('ends at once on an abort (before sending, or while waiting), as an AbortError; its own timeout as ETIMEDOUT', async () => {
    const waiting: ServerResponse[] = [];
    server = await localHttps((_req, res) => waiting.push(res));
    const client = new LeanHttpClient(server.agent);
    const early = new AbortController();
    early.abort();
    await assert.rejects(client.sendRequest(request(`${server.url}/`, { abortSignal: early.signal })), { name: 'AbortError' });

    const late = new AbortController();
    const pending = client.sendRequest(request(`${server.url}/`, { abortSignal: late.signal }));
    await until('the request reaches the server', () => waiting.length === 1);
    late.abort();
    await assert.rejects(pending, { name: 'AbortError' });

    const timed = client.sendRequest(request(`${server.url}/`, { timeout: 50 }));
    await assert.rejects(timed, (e: unknown) => isRestError(e) && e.code === 'ETIMEDOUT');
  });

  it('sends nothing for a call cancelled before it reached a connection', async () => {
    let requests = 0;
    server = await localHttps((_req, res) => {
      requests += 1;
      res.end('{}');
    });
    const client = new LeanHttpClient(server.agent);
    const cancelled = new AbortController();
    const pending = client.sendRequest(request(`${server.url}/first`, { abortSignal: cancelled.signal }));
    cancelled.abort();
    await assert.rejects(pending, { name: 'AbortError' });
    // The next call goes through once the cancelled one has left the queue: only it reaches the server.
    assert.equal((await client.sendRequest(request(`${server.url}/second`))).status, 200);
    assert.equal(requests, 1);
  });

  it('once its connections are closed (the bot stopping), reports a call as cancelled, not as Azure down', async () => {
    server = await localHttps((_req, res) => res.end('{}'));
    const client = new LeanHttpClient(server.agent);
    await server.agent.close();
    await assert.rejects(client.sendRequest(request(`${server.url}/`)), { name: 'AbortError' });
  });

  it('under the scheduler: a call on closed connections is cancelled once, not retried as a timeout', async () => {
    server = await localHttps((_req, res) => res.end('{}'));
    const client = new LeanHttpClient(server.agent);
    await server.agent.close();
    const scheduler = new ArmScheduler({ clock: systemClock, logger: silentLogger, limits: { baseDelayMs: 1, maxDelayMs: 2 } });
    const failure = await scheduler
      .send(request(`${server.url}/subscriptions/s/metrics:getBatch`), (r) => client.sendRequest(r), { tenantId: 't' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(failure instanceof Error && failure.name === 'AbortError', `cancelled: ${String(failure)}`);
    assert.equal(scheduler.stats().requests, 1, 'asked once');
    assert.equal(scheduler.stats().connectionErrors, 0, 'not counted as Azure failing');
  });

  it('stopping: takes no new calls (cancelled) and says when the calls in flight have ended', async () => {
    const waiting: ServerResponse[] = [];
    server = await localHttps((_req, res) => waiting.push(res));
    const client = new LeanHttpClient(server.agent);
    const inFlight = client.sendRequest(request(`${server.url}/`));
    await until('the call reaches the server', () => waiting.length === 1);
    let idle = false;
    const stopped = client.stop().then(() => (idle = true));
    await assert.rejects(client.sendRequest(request(`${server.url}/`)), { name: 'AbortError' });
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.equal(idle, false, 'a call is still in flight');
    waiting[0]!.end('{}');
    assert.equal((await inFlight).status, 200, 'the call in flight finishes');
    await stopped;
    assert.equal(waiting.length, 1, 'the refused call was not sent');
  });

  it('never opens more connections to a host than it is allowed, and every call is answered', async () => {
    let connections = 0;
    server = await localHttps((_req, res) => setTimeout(() => res.end('{}'), 20));
    server.onConnection(() => (connections += 1));
    const capped = leanConnections({ secureContext: server.secureContext, maxPerHost: 2 });
    try {
      const client = new LeanHttpClient(capped);
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => client.sendRequest(request(`${server!.url}/${i}`))));
      assert.deepEqual(
        answers.map((a) => a.status),
        Array.from({ length: 12 }, () => 200),
      );
      assert.ok(connections >= 1 && connections <= 2, `${connections} connections for a cap of 2`);
    } finally {
      await capped.destroy();
    }
  });

  it('reports an answer that stops coming part-way as a timeout (Azure slow), not as a cut connection', async () => {
    server = await localHttps((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"value": [');
    });
    // undici's own wait between pieces of the body, short here (its default is 5 minutes).
    const slow = new Agent({ bodyTimeout: 100, connect: buildConnector({ secureContext: server.secureContext }) });
    try {
      const failure = await new LeanHttpClient(slow).sendRequest(request(`${server.url}/`)).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(isRestError(failure) && failure.code === 'ETIMEDOUT', `a timeout: ${String(failure)}`);
      assert.equal(failure.response, undefined, 'no response: the scheduler retries it');
    } finally {
      await slow.destroy();
    }
  });

  it('rejects, rather than leaves waiting, a call whose answer cannot be built', async () => {
    // undici's side stubbed: an answer whose headers throw when read, reported on a later turn as undici does.
    const stub = {
      dispatch(_options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) {
        const controller = { abort: () => undefined, aborted: false } as unknown as Dispatcher.DispatchController;
        const headers = {
          get broken(): string {
            throw new Error('unreadable header');
          },
        };
        setImmediate(() => {
          handler.onRequestStart?.(controller, {});
          handler.onResponseStart?.(controller, 200, headers, 'OK');
          handler.onResponseEnd?.(controller, {});
        });
        return true;
      },
    } as unknown as Dispatcher;
    await assert.rejects(new LeanHttpClient(stub).sendRequest(request('https://127.0.0.1/')), /unreadable header/);
  });

  it('speaks https only: an http URL is refused as a bug, not sent', async () => {
    server = await localHttps((_req, res) => res.end('{}'));
    const client = new LeanHttpClient(server.agent);
    await assert.rejects(client.sendRequest(request(server.url.replace('https:', 'http:'))), TypeError);
  });

  it('refuses a body that is not text rather than sending something else', async () => {
    server = await localHttps((_req, res) => res.end('{}'));
    const client = new LeanHttpClient(server.agent);
    const req = request(`${server.url}/`);
    req.body = Buffer.from('{}');
    await assert.rejects(client.sendRequest(req), (e: unknown) => isRestError(e) && e.code === 'EUNSUPPORTEDBODY');
  });

  it('under the scheduler: an answer it refuses is asked for once, never retried, and reported as unreadable, not as Azure down', async () => {
    let hits = 0;
    server = await localHttps((_req, res) => {
      hits += 1;
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(zlib.gzipSync('{}'));
    });
    const scheduler = new ArmScheduler({ clock: new ManualClock(), logger: silentLogger });
    const client = new LeanHttpClient(server.agent);
    const failure = await scheduler
      .send(request(`${server.url}/subscriptions/s/metrics:getBatch`), (r) => client.sendRequest(r), { tenantId: 't' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(isRestError(failure) && failure.code === 'EBADENCODING');
    assert.equal(hits, 1);
    assert.equal(scheduler.stats().connectionErrors, 0);
    const coded = toCodedError(failure, { resource: 'Azure Monitor metrics' });
    assert.match(coded.message, /cannot read/);
  });

  it('under the scheduler: a reset getBatch is retried and a throttled one waits, and the fleet is read in the end', async () => {
    kit = await startArmKit({ fleet: buildDemoFleet(), access: { clock: new ManualClock() } });
    kit.sim.addFaults([
      { match: '/^POST .*metrics:getBatch$/i', status: 500, resetConnection: true, count: 1 },
      { match: '/^POST .*metrics:getBatch$/i', status: 429, retryAfterSeconds: 1, count: 1 },
    ]);
    const tenantId = DEMO_CUSTOMERS.contoso.tenantId;
    const inventory = await kit.access.fleet.inventory(tenantId, DEMO_CUSTOMERS.contoso.subscriptions);
    const read = await kit.access.fleet.signals(tenantId, inventory.value.circuits, HEALTH_WINDOW_MS, { fresh: true });
    assert.equal(read.value.failures.size, 0);
    assert.equal(read.value.byCircuit.size, inventory.value.circuits.length);
    const stats = kit.access.stats();
    assert.equal(stats.connectionErrors, 1, 'the reset connection was retried');
    assert.equal(stats.throttled429, 1, 'the 429 was waited out');
  });
});
