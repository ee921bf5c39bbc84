import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isRestError } from '@azure/core-rest-pipeline';
import fc from 'fast-check';
import { metricsScopeOf, PUBLIC_CLOUD } from '../../src/azure/clouds';
import { latest, linkSignals, rateLimitDrops, throughput, type SeriesMetric } from '../../src/azure/metric-signals';
import {
  answerProblem,
  METRICS_BATCH_API_VERSION,
  MetricsBatchClient,
  type MetricsBatchQuery,
  type MetricsBatchResult,
} from '../../src/azure/metrics-batch';
import { LEAN_USER_AGENT } from '../../src/azure/lean-pipeline';
import { ArmScheduler } from '../../src/azure/scheduler';
import { silentLogger } from '../../src/log';
import { buildScaleFleet } from '../../src/simulator';
import { ManualClock } from './support/manual-clock';
import { FakeCredential, FakeHttpClient, type Answer, type Sent } from './support/lean-fakes';
import { fleetCircuits, startArmKit } from './support/arm-test-kit';

const PUBLIC_METRICS_SCOPE = metricsScopeOf(PUBLIC_CLOUD);

/*
 * MetricsBatchClient against Microsoft's own example of metrics:getBatch (test/fixtures/metrics-batch, unchanged from
 * azure-rest-api-specs), against answers that break the documented shape, and end to end through the simulator.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Example {
  parameters: {
    baseUrl: string;
    subscriptionId: string;
    starttime: string;
    endtime: string;
    interval: string;
    metricnamespace: string;
    metricnames: string;
    aggregation: string;
    top: number;
    filter: string;
    'api-version': string;
    batchRequest: { resourceids: string[] };
  };
  responses: {
    '200': { body: { values: { resourceid?: string; value: Record<string, Json>[] }[] } };
    default: { body: { error: { code: string; message: string } } };
  };
}

const EXAMPLE_TEXT = readFileSync(path.join(__dirname, '..', 'fixtures', 'metrics-batch', 'MetricBatchExample.json'), 'utf8');
const EXAMPLE = JSON.parse(EXAMPLE_TEXT) as Example;
const PARAMS = EXAMPLE.parameters;
const [STORAGE1 = '', STORAGE2 = ''] = PARAMS.batchRequest.resourceids;
const OK_TEXT = JSON.stringify(EXAMPLE.responses['200'].body);

/** A fresh, mutable copy of the example's 200 body. */
const okBody = () => JSON.parse(OK_TEXT) as Example['responses']['200']['body'];

/**
 * The example with ExpressRoute's names in place of the storage ones (BgpAvailability split by PeeringType and Peer),
 * so that the signal readers find something to read in it.
 */
const EXPRESSROUTE_TEXT = OK_TEXT.replaceAll('Ingress', 'BgpAvailability')
  .replaceAll('Egress', 'BitsInPerSecond')
  .replaceAll('"apiname"', '"PeeringType"')
  .replaceAll('"authentication"', '"Peer"')
  .replaceAll('"GetBlobServiceProperties"', '"AzurePrivatePeering"')
  .replaceAll('"GetBlob"', '"MicrosoftPeering"')
  .replaceAll('"SAS"', '"Primary-IPv4"')
  .replaceAll('"AccountKey"', '"Secondary-IPv4"');

/** The example's query, as MetricsBatchClient takes it. */
const EXAMPLE_QUERY: MetricsBatchQuery = {
  namespace: PARAMS.metricnamespace,
  metricNames: PARAMS.metricnames.split(','),
  startTime: new Date(PARAMS.starttime),
  endTime: new Date(PARAMS.endtime),
  interval: PARAMS.interval,
  aggregation: PARAMS.aggregation,
  top: PARAMS.top,
  filter: PARAMS.filter,
};

const TOKEN = 'fake-metrics-token-8d31';

/** What the property tests' client answers (200, this text). */
const answerText = { value: '' };

/** A client over a fake transport; the scheduler never retries (4xx are not retried anyway) and never waits. */
function fakeClient(answer: Answer | ((sent: Sent) => Answer), endpoint = PARAMS.baseUrl) {
  const http = new FakeHttpClient(typeof answer === 'function' ? answer : () => answer);
  const credential = new FakeCredential(TOKEN);
  const scheduler = new ArmScheduler({
    clock: new ManualClock(),
    logger: silentLogger,
    limits: { maxAttempts: 1, metrics: { capacity: 1_000_000, refillPerSecond: 1_000_000 } },
  });
  const client = new MetricsBatchClient(endpoint, credential, {
    scope: PUBLIC_METRICS_SCOPE,
    scheduler,
    tenantId: 'tenant-mb',
    httpClient: http,
  });
  return { client, http, credential };
}

const ok = (body: unknown): Answer => ({ status: 200, body: typeof body === 'string' ? body : JSON.stringify(body) });

/** The example's query against the given 200 body (or any answer). */
async function queryWith(answer: Answer): Promise<MetricsBatchResult> {
  return fakeClient(answer).client.query(PARAMS.subscriptionId, PARAMS.batchRequest.resourceids, EXAMPLE_QUERY);
}

const names = (metrics: readonly SeriesMetric[] | undefined) => (metrics ?? []).map((m) => m.name.value);

/** Expects a RestError; returns it for further checks. */
async function restError(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (e) {
    assert.ok(isRestError(e), `a RestError, not ${String(e)}`);
    return e;
  }
  assert.fail('expected the query to fail');
}

describe('metrics:getBatch client (MetricsBatchClient)', function () {
  describe("reading Microsoft's example answer", () => {
    it('keys both storage accounts by lower-case id, each with Ingress and Egress, every point kept, no errors', async () => {
      const result = await queryWith(ok(OK_TEXT));

      assert.deepEqual([...result.byResource.keys()], [STORAGE1.toLowerCase(), STORAGE2.toLowerCase()]);
      assert.notEqual(STORAGE1, STORAGE1.toLowerCase(), 'the example ids have capitals, so lower-casing is tested');
      assert.deepEqual(result.errors, []);
      for (const id of [STORAGE1, STORAGE2]) {
        assert.deepEqual(names(result.byResource.get(id.toLowerCase())), ['Ingress', 'Egress'], id);
      }

      const ingress1 = result.byResource.get(STORAGE1.toLowerCase())?.[0];
      const first = ingress1?.timeseries?.[0];
      assert.equal(ingress1?.id, `${STORAGE1}/providers/Microsoft.Insights/metrics/Ingress`);
      assert.deepEqual(
        first?.metadatavalues?.map((m) => [m.name?.value, m.value]),
        [
          ['apiname', 'GetBlob'],
          ['authentication', 'SAS'],
        ],
      );
      assert.equal(first?.data?.length, 12);
      assert.equal(first?.data?.[1]?.average, 438.0735294117647);
      assert.equal(first?.data?.[1]?.timeStamp, '2023-02-01T20:15:00Z');
      assert.equal(first?.data?.[11]?.maximum, 583);
      // Points without a value are kept as they came (the service's way of saying "no data in this grain").
      const sparse = ingress1?.timeseries?.[1]?.data ?? [];
      assert.equal(sparse.length, 12);
      assert.deepEqual(
        sparse.filter((p) => p.average !== undefined).map((p) => [p.timeStamp, p.average]),
        [['2023-02-01T22:00:00Z', 342]],
      );
      const sparseSeries = ingress1?.timeseries?.[1];
      assert.ok(sparseSeries);
      assert.deepEqual(
        latest(sparseSeries, (p) => p.average),
        { value: 342, at: Date.parse('2023-02-01T22:00:00Z') },
      );

      // Nothing is dropped or altered: each resource's metrics are the example's, as the service sent them.
      const body = okBody();
      assert.deepEqual(result.byResource.get(STORAGE1.toLowerCase()), body.values[0]?.value);
      assert.deepEqual(result.byResource.get(STORAGE2.toLowerCase()), body.values[1]?.value);
    });

    it('finds no problem in the example answer', () => {
      assert.equal(answerProblem(okBody()), undefined);
    });
  });

  describe('the request', () => {
    it("POSTs to /subscriptions/{id}/metrics:getBatch with the REST spec's query parameters, the ids and the bearer token", async () => {
      const { client, http, credential } = fakeClient(ok(OK_TEXT));
      await client.query(PARAMS.subscriptionId, PARAMS.batchRequest.resourceids, EXAMPLE_QUERY);

      assert.equal(http.sent.length, 1);
      const sent = http.sent[0]!;
      assert.equal(sent.method, 'POST');
      assert.equal(sent.url.origin, PARAMS.baseUrl);
      assert.equal(sent.url.pathname, `/subscriptions/${PARAMS.subscriptionId}/metrics:getBatch`);
      // The names metricBatch.json gives its parameters (lower case, api-version); the values the example sends.
      assert.deepEqual(Object.fromEntries(sent.url.searchParams), {
        'api-version': '2024-02-01',
        starttime: '2023-02-01T20:00:00.123Z',
        endtime: '2023-02-01T23:00:00.345Z',
        interval: 'PT15M',
        metricnamespace: 'Microsoft.Storage/storageAccounts',
        metricnames: 'Ingress,Egress',
        aggregation: 'average,minimum,maximum',
        top: '10',
        filter: "ApiName eq 'GetBlob' or ApiName eq 'GetBlobServiceProperties' and Authentication eq '*'",
      });
      assert.equal(METRICS_BATCH_API_VERSION, PARAMS['api-version']);
      assert.equal([...sent.url.searchParams.keys()].length, 9, 'each parameter once');
      assert.deepEqual(sent.body, PARAMS.batchRequest);
      assert.deepEqual(sent.body, { resourceids: [STORAGE1, STORAGE2] });
      assert.equal(sent.headers.authorization, `Bearer ${TOKEN}`);
      assert.equal(sent.headers['content-type'], 'application/json');
      assert.equal(sent.headers.accept, 'application/json');
      assert.match(sent.headers['x-ms-client-request-id'] ?? '', /^[0-9a-f-]{36}$/, 'a client request id, for support cases');
      assert.equal(sent.headers['user-agent'], LEAN_USER_AGENT);
      assert.deepEqual(credential.asked, [[PUBLIC_METRICS_SCOPE]]);
    });

    it('sends no filter nor top when the query has none, and no double slash after an endpoint ending in /', async () => {
      const { client, http } = fakeClient(ok({ values: [] }), 'https://westeurope.metrics.monitor.azure.com/');
      const result = await client.query('sub-1', ['/subscriptions/sub-1/x'], {
        namespace: 'Microsoft.Network/expressRouteCircuits',
        metricNames: ['BgpAvailability'],
        startTime: EXAMPLE_QUERY.startTime,
        endTime: EXAMPLE_QUERY.endTime,
        interval: 'PT1M',
        aggregation: 'Average',
      });

      assert.equal(result.byResource.size, 0);
      const url = http.sent[0]!.url;
      assert.equal(url.href.split('?')[0], 'https://westeurope.metrics.monitor.azure.com/subscriptions/sub-1/metrics:getBatch');
      assert.equal(url.searchParams.has('filter'), false);
      assert.equal(url.searchParams.has('top'), false);
      assert.equal(url.searchParams.get('metricnames'), 'BgpAvailability');
      assert.deepEqual(http.sent[0]!.body, { resourceids: ['/subscriptions/sub-1/x'] });
    });

    it('uses one token for several queries and asks for the scope it was given', async () => {
      const { client, http, credential } = fakeClient(ok(OK_TEXT));
      await client.query(PARAMS.subscriptionId, [STORAGE1], EXAMPLE_QUERY);
      await client.query(PARAMS.subscriptionId, [STORAGE2], EXAMPLE_QUERY);
      assert.equal(http.sent.length, 2);
      assert.ok(http.sent.every((s) => s.headers.authorization === `Bearer ${TOKEN}`));
      assert.deepEqual(credential.asked, [[PUBLIC_METRICS_SCOPE]]);
    });
  });

  describe('metric errors and odd entries', () => {
    it('puts a metric whose errorCode is not Success into errors, and keeps the resource’s other metrics', async () => {
      const body = okBody();
      const egress1 = body.values[0]!.value[1]!;
      Object.assign(egress1, { errorCode: 'ResourceNotFound', errorMessage: 'The resource was not found.', timeseries: [] });
      // An error without a message: the error has no message property.
      Object.assign(body.values[1]!.value[0]!, { errorCode: 'InternalError' });

      const result = await queryWith(ok(body));

      assert.deepEqual(result.errors, [
        { resourceId: STORAGE1, metric: 'Egress', code: 'ResourceNotFound', message: 'The resource was not found.' },
        { resourceId: STORAGE2, metric: 'Ingress', code: 'InternalError' },
      ]);
      assert.deepEqual(names(result.byResource.get(STORAGE1.toLowerCase())), ['Ingress']);
      assert.deepEqual(names(result.byResource.get(STORAGE2.toLowerCase())), ['Egress']);
      assert.equal(result.byResource.get(STORAGE1.toLowerCase())?.[0]?.timeseries?.[0]?.data?.length, 12);
    });

    it('keeps the first entry of a resource the answer repeats (ids compared without case)', async () => {
      const body = okBody();
      const again = okBody().values[0]!;
      again.resourceid = STORAGE1.toUpperCase();
      again.value = [again.value[1]!];
      body.values.splice(1, 0, again);

      const result = await queryWith(ok(body));

      assert.equal(result.byResource.size, 2);
      assert.deepEqual(names(result.byResource.get(STORAGE1.toLowerCase())), ['Ingress', 'Egress']);
      assert.deepEqual(names(result.byResource.get(STORAGE2.toLowerCase())), ['Ingress', 'Egress']);
    });

    it('keys an entry without resourceid by the resource of its first metric id, and skips one without either', async () => {
      const body = okBody();
      delete body.values[1]!.resourceid;
      body.values.push({ value: [{ name: { value: 'Ingress' } }] }, { value: [] });

      const result = await queryWith(ok(body));

      assert.deepEqual([...result.byResource.keys()], [STORAGE1.toLowerCase(), STORAGE2.toLowerCase()]);
      assert.deepEqual(names(result.byResource.get(STORAGE2.toLowerCase())), ['Ingress', 'Egress']);
      assert.deepEqual(result.errors, []);
    });

    it('cuts the resource out of a metric id whose letters grow when lower-cased (İ), keyed as its lower-case id', async () => {
      const circuit = '/subscriptions/s/resourceGroups/RG-İ/providers/Microsoft.Network/expressRouteCircuits/c';
      const body = {
        values: [
          { value: [{ id: `${circuit}/providers/Microsoft.Insights/metrics/BgpAvailability`, name: { value: 'BgpAvailability' } }] },
        ],
      };

      const result = await queryWith(ok(body));

      assert.deepEqual([...result.byResource.keys()], [circuit.toLowerCase()]);
    });

    it('reports an error of an entry without resourceid under the resource of its metric id', async () => {
      const body = okBody();
      delete body.values[0]!.resourceid;
      Object.assign(body.values[0]!.value[0]!, { errorCode: 'ResourceNotFound', errorMessage: 'gone' });

      const result = await queryWith(ok(body));

      assert.deepEqual(result.errors, [{ resourceId: STORAGE1, metric: 'Ingress', code: 'ResourceNotFound', message: 'gone' }]);
      assert.deepEqual(names(result.byResource.get(STORAGE1.toLowerCase())), ['Egress']);
    });
  });

  describe('answers other than 200', () => {
    it("turns the example's 400 (ARM's { error: { code, message } }) into a RestError with its code and message", async () => {
      const { client, http } = fakeClient({ status: 400, body: JSON.stringify(EXAMPLE.responses.default.body) });
      const e = await restError(client.query(PARAMS.subscriptionId, [STORAGE1], EXAMPLE_QUERY));
      assert.equal(e.code, 'BadRequest');
      assert.equal(e.statusCode, 400);
      assert.equal(e.message, EXAMPLE.responses.default.body.error.message);
      assert.equal(e.response?.status, 400);
      assert.equal(http.sent.length, 1, 'a 4xx is not retried');
    });

    it('turns a 403 with a bare { code, message } into a RestError with that code and message', async () => {
      const message = "The client 'x' does not have authorization to perform action 'Microsoft.Insights/metrics/read'.";
      const e = await restError(queryWith({ status: 403, body: JSON.stringify({ code: 'AuthorizationFailed', message }) }));
      assert.equal(e.code, 'AuthorizationFailed');
      assert.equal(e.statusCode, 403);
      assert.equal(e.message, message);
    });

    it('turns a 404 whose body is not JSON into a RestError naming HTTP 404', async () => {
      const e = await restError(
        queryWith({ status: 404, body: '<html><body>Not Found</body></html>', headers: { 'content-type': 'text/html' } }),
      );
      assert.equal(e.statusCode, 404);
      assert.equal(e.code, undefined);
      assert.match(e.message, /HTTP 404/);
    });

    it('reads a 401 with an empty body as an error too', async () => {
      const e = await restError(queryWith({ status: 401, body: '' }));
      assert.equal(e.statusCode, 401);
      assert.match(e.message, /HTTP 401/);
    });
  });

  describe('absent values written as null', () => {
    it('reads a point whose average is null as a minute without data, and null fields as absent', async () => {
      const body = okBody() as unknown as { values: Record<string, unknown>[] };
      const series = (body.values[0]!.value as { timeseries: { data: Record<string, unknown>[]; metadatavalues: unknown }[] }[])[0]!
        .timeseries[0]!;
      series.data[11] = { timeStamp: '2023-02-01T22:45:00Z', average: null, maximum: null };
      body.values[1]!.resourceid = null;
      (body.values[1]!.value as Record<string, unknown>[])[0]!.errorCode = null;

      assert.equal(answerProblem(body), undefined);
      const result = await queryWith(ok(JSON.stringify(body)));
      const first = result.byResource.get(STORAGE1.toLowerCase())![0]!.timeseries![0]!;
      assert.deepEqual(
        latest(first, (p) => p.average),
        { value: 437, at: Date.parse('2023-02-01T22:30:00Z') },
        'the newest point with a value',
      );
      assert.deepEqual(names(result.byResource.get(STORAGE2.toLowerCase())), ['Ingress', 'Egress']);
      assert.deepEqual(result.errors, []);
    });

    it('reads an answer without values (optional in the REST spec) as no data for anyone', async () => {
      for (const body of [{}, { values: null }]) {
        assert.equal(answerProblem(body), undefined);
        const result = await queryWith(ok(JSON.stringify(body)));
        assert.equal(result.byResource.size, 0);
      }
    });

    it("sends the filter's spaces as %20, as the generated client does, never as +", async () => {
      const { client, http } = fakeClient(ok({ values: [] }));
      await client.query(PARAMS.subscriptionId, PARAMS.batchRequest.resourceids, {
        ...EXAMPLE_QUERY,
        filter: "PeeringType eq '*' and Peer eq '*'",
      });
      const raw = http.sent[0]!.url.href;
      assert.ok(raw.includes('filter=PeeringType%20eq%20%27*%27%20and%20Peer%20eq%20%27*%27'), raw);
      assert.ok(!raw.includes('+'), raw);
    });
  });

  describe('200 answers that are not the documented shape', () => {
    const cases: { name: string; body: () => unknown; path: string }[] = [
      { name: 'values that is not an array', body: () => ({ values: 'x' }), path: 'values: expected an array' },
      { name: 'null', body: () => null, path: 'body: expected an object' },
      {
        name: 'values[0].value not an array',
        body: () => {
          const b = okBody();
          (b.values[0] as { value: unknown }).value = {};
          return b;
        },
        path: 'values.0.value: expected an array',
      },
      {
        name: 'a metric without name.value',
        body: () => {
          const b = okBody();
          delete (b.values[1]!.value[1]!.name as Record<string, Json>).value;
          return b;
        },
        path: 'values.1.value.1.name.value: expected a string',
      },
      {
        name: 'a point whose timeStamp is a number',
        body: () => {
          const b = okBody();
          setAt(b, ['values', 0, 'value', 0, 'timeseries', 0, 'data', 3, 'timeStamp'], Date.parse('2023-02-01T20:45:00Z'));
          return b;
        },
        path: 'values.0.value.0.timeseries.0.data.3.timeStamp: expected a string',
      },
      {
        name: 'a point whose average is a string',
        body: () => {
          const b = okBody();
          setAt(b, ['values', 0, 'value', 1, 'timeseries', 1, 'data', 2, 'average'], '361');
          return b;
        },
        path: 'values.0.value.1.timeseries.1.data.2: average and maximum must be numbers',
      },
      {
        name: 'a metadatavalues name that is not an object',
        body: () => {
          const b = okBody();
          setAt(b, ['values', 1, 'value', 0, 'timeseries', 0, 'metadatavalues', 1, 'name'], 'authentication');
          return b;
        },
        path: 'values.1.value.0.timeseries.0.metadatavalues.1.name.value: expected a string',
      },
      {
        name: 'a point whose maximum is a string',
        body: () => {
          const b = okBody();
          setAt(b, ['values', 1, 'value', 0, 'timeseries', 0, 'data', 8, 'maximum'], '330');
          return b;
        },
        path: 'values.1.value.0.timeseries.0.data.8: average and maximum must be numbers',
      },
      {
        name: 'a metadatavalues name whose value is a number',
        body: () => {
          const b = okBody();
          setAt(b, ['values', 0, 'value', 1, 'timeseries', 0, 'metadatavalues', 0, 'name', 'value'], 5);
          return b;
        },
        path: 'values.0.value.1.timeseries.0.metadatavalues.0.name.value: expected a string',
      },
      {
        name: 'an errorCode that is not a string',
        body: () => {
          const b = okBody();
          setAt(b, ['values', 1, 'value', 1, 'errorCode'], 404);
          return b;
        },
        path: 'values.1.value.1.errorCode: expected a string',
      },
    ];

    for (const c of cases) {
      it(`refuses ${c.name} as InvalidResponse, naming the path`, async () => {
        const body = c.body();
        assert.equal(answerProblem(body), c.path);
        const e = await restError(queryWith(ok(JSON.stringify(body))));
        assert.equal(e.code, 'InvalidResponse');
        assert.equal(e.statusCode, 200);
        assert.ok(e.message.includes(`(${c.path})`), e.message);
      });
    }

    it('refuses a 200 whose body is not JSON as InvalidResponse', async () => {
      const e = await restError(queryWith(ok('{"values": [')));
      assert.equal(e.code, 'InvalidResponse');
      assert.equal(e.statusCode, 200);
      assert.match(e.message, /not JSON/);
    });
  });

  describe('the in-place check (property)', () => {
    it('never throws on arbitrary JSON, and query agrees with it', async () => {
      const { client } = fakeClient(() => ok(answerText.value));
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.jsonValue(),
            fc.record({ values: fc.array(fc.jsonValue(), { maxLength: 4 }) }),
            fc.record({ values: fc.array(fc.record({ resourceid: fc.jsonValue(), value: fc.array(fc.jsonValue(), { maxLength: 3 }) })) }),
          ),
          async (value) => {
            const text = JSON.stringify(value);
            const problem = answerProblem(JSON.parse(text));
            assert.ok(problem === undefined || typeof problem === 'string');
            await checkQueryAgrees(client, text, problem);
          },
        ),
        { numRuns: 200 },
      );
    });

    it('never throws on mutations of the example (as is, and renamed to ExpressRoute metrics); what it passes is read and fed to the signal readers without throwing', async () => {
      const { client } = fakeClient(() => ok(answerText.value));
      // The readers do read the renamed example: BGP availability per peering and link.
      const renamed = await checkQueryAgrees(client, EXPRESSROUTE_TEXT, undefined);
      assert.deepEqual(
        linkSignals(renamed?.byResource.get(STORAGE1.toLowerCase()) ?? []).map((l) => [l.kind, l.path, l.bgpAvailability?.value]),
        [
          ['microsoft', 'primary', 437.542750929368],
          ['private', 'secondary', 342],
        ],
      );
      const bases = [OK_TEXT, EXPRESSROUTE_TEXT];
      const paths = pathsOf(okBody());
      // Paths are drawn depth first (a depth, then a path of that depth), so that the few entries, metrics and series
      // are hit as often as the many points; null, the likeliest value to break a reader, is drawn often.
      const byDepth = [...new Set(paths.map((p) => p.length))].map((d) => paths.filter((p) => p.length === d));
      const replacement = fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.constant(null),
        fc.constantFrom<Json>(0, -1, 1.5, '', 'x', true, false, [], {}, [null], { value: 1 }, { value: 'v' }),
      );
      const mutation = fc.record({
        at: fc.constantFrom(...byDepth).chain((level) => fc.constantFrom(...level)),
        kind: fc.constantFrom('replace', 'replace', 'delete'),
        value: replacement,
      });
      let passed = 0;
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...bases), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (base, mutations) => {
          const body = JSON.parse(base) as Json;
          for (const m of mutations) {
            if (m.kind === 'delete') deleteAt(body, m.at);
            // A copy: the constants above are one shared instance each, which two mutations could nest in itself.
            else setAt(body, m.at, structuredClone(m.value));
          }
          const problem = answerProblem(body);
          assert.ok(problem === undefined || typeof problem === 'string');
          if (problem === undefined) passed += 1;
          const result = await checkQueryAgrees(client, JSON.stringify(body), problem);
          for (const metrics of result?.byResource.values() ?? []) {
            for (const m of metrics) {
              assert.equal(typeof m.name.value, 'string');
              for (const s of m.timeseries ?? []) latest(s, (p) => p.average ?? p.maximum);
            }
            linkSignals(metrics);
            throughput(metrics);
            rateLimitDrops(metrics);
          }
        }),
        { numRuns: 200 },
      );
      assert.ok(passed > 0, 'some mutations keep the documented shape (e.g. a changed description), so query ran on them');
    });
  });

  describe('end to end through the simulator', function () {
    this.timeout(60_000);

    it('reads BgpAvailability and ArpAvailability per peering and link, and reports an unknown circuit as ResourceNotFound', async () => {
      const scale = buildScaleFleet({ circuits: 15, subscriptions: 1, tenantId: 'tenant-mb' });
      const kit = await startArmKit({ fleet: scale.fleet });
      try {
        const tenant = scale.tenants[0]!;
        const subscriptionId = tenant.subscriptions[0]!;
        const circuits = [...fleetCircuits(kit.fleet).values()].filter(
          (c) => (c as unknown as { location: string }).location === 'westeurope',
        );
        assert.equal(circuits.length, 3);
        const ids = circuits.map((c) => c.id);
        const unknown = `/subscriptions/${subscriptionId}/resourceGroups/rg-er-1/providers/Microsoft.Network/expressRouteCircuits/er-not-there`;
        const end = Date.now();

        const result = await kit.access.pool
          .metricsBatch(tenant.tenantId, 'West Europe')
          .query(subscriptionId, [ids[0]!, unknown, ...ids.slice(1)], {
            namespace: 'Microsoft.Network/expressRouteCircuits',
            metricNames: ['BgpAvailability', 'ArpAvailability'],
            startTime: new Date(end - 10 * 60_000),
            endTime: new Date(end),
            interval: 'PT1M',
            aggregation: 'Average',
            filter: "PeeringType eq '*' and Peer eq '*'",
            top: 100,
          });

        assert.deepEqual(
          result.errors.map((e) => [e.resourceId, e.metric, e.code]),
          [
            [unknown, 'BgpAvailability', 'ResourceNotFound'],
            [unknown, 'ArpAvailability', 'ResourceNotFound'],
          ],
        );
        assert.ok(result.errors.every((e) => typeof e.message === 'string' && e.message.length > 0));
        assert.deepEqual(result.byResource.get(unknown.toLowerCase()), []);
        for (const id of ids) {
          const metrics = result.byResource.get(id.toLowerCase());
          assert.deepEqual(names(metrics).sort(), ['ArpAvailability', 'BgpAvailability'], id);
          for (const m of metrics ?? []) {
            assert.ok((m.timeseries ?? []).length > 0, `${id} ${m.name.value} has series`);
            for (const s of m.timeseries ?? []) {
              const dims = (s.metadatavalues ?? []).map((d) => d.name?.value.toLowerCase()).sort();
              assert.deepEqual(dims, ['peer', 'peeringtype'], `${id} ${m.name.value} split by PeeringType and Peer`);
              assert.ok(
                (s.data ?? []).some((p) => typeof p.average === 'number'),
                `${id} ${m.name.value} has values`,
              );
            }
          }
          const links = linkSignals(metrics ?? []);
          assert.ok(links.length > 0, `${id}: links read from the series`);
          assert.ok(
            links.every((l) => l.bgpAvailability !== undefined && l.arpAvailability !== undefined),
            id,
          );
        }

        const calls = kit.sim.requests.filter((r) => r.path.endsWith('metrics:getBatch'));
        assert.equal(calls.length, 1);
        assert.equal(calls[0]?.method, 'POST');
        assert.equal(calls[0]?.status, 200);
        assert.equal(calls[0]?.hasBearer, true);
        assert.equal(calls[0]?.query['api-version'], METRICS_BATCH_API_VERSION);
        assert.equal(calls[0]?.query.filter, "PeeringType eq '*' and Peer eq '*'");
      } finally {
        await kit.close();
      }
    });

    it('passes on the simulator’s 400 for a batch spanning two subscriptions as a RestError', async () => {
      const scale = buildScaleFleet({ circuits: 4, subscriptions: 2, tenantId: 'tenant-mb2' });
      const kit = await startArmKit({ fleet: scale.fleet });
      try {
        const tenant = scale.tenants[0]!;
        const [a, b] = [...fleetCircuits(kit.fleet).values()].map((c) => c.id);
        assert.notEqual(/subscriptions\/([^/]+)/.exec(a!)?.[1], /subscriptions\/([^/]+)/.exec(b!)?.[1]);
        const e = await restError(
          kit.access.pool.metricsBatch(tenant.tenantId, 'westeurope').query(tenant.subscriptions[0]!, [a!, b!], {
            namespace: 'Microsoft.Network/expressRouteCircuits',
            metricNames: ['BgpAvailability'],
            startTime: new Date(Date.now() - 600_000),
            endTime: new Date(),
            interval: 'PT1M',
            aggregation: 'Average',
          }),
        );
        assert.equal(e.statusCode, 400);
        assert.equal(e.code, 'BadRequest');
        assert.match(e.message, /subscription/);
      } finally {
        await kit.close();
      }
    });
  });
});

/** Query with `text` as the 200 body: it must fail with InvalidResponse naming the problem iff there is one. */
async function checkQueryAgrees(
  client: MetricsBatchClient,
  text: string,
  problem: string | undefined,
): Promise<MetricsBatchResult | undefined> {
  answerText.value = text;
  const run = client.query(PARAMS.subscriptionId, [STORAGE1, STORAGE2], EXAMPLE_QUERY);
  if (problem === undefined) return run;
  const e = await restError(run);
  assert.equal(e.code, 'InvalidResponse');
  assert.ok(e.message.includes(problem), e.message);
  return undefined;
}

type Key = string | number;

/** Every path to a value inside `json` (the root excluded). */
function pathsOf(json: Json, at: Key[] = [], out: Key[][] = []): Key[][] {
  if (Array.isArray(json)) {
    json.forEach((v, i) => {
      out.push([...at, i]);
      pathsOf(v, [...at, i], out);
    });
  } else if (json !== null && typeof json === 'object') {
    for (const [k, v] of Object.entries(json)) {
      out.push([...at, k]);
      pathsOf(v, [...at, k], out);
    }
  }
  return out;
}

/** The container holding the last key of `at`, when the path still leads somewhere (an earlier mutation may have cut it). */
function parentOf(root: unknown, at: readonly Key[]): Record<Key, unknown> | undefined {
  let node = root;
  for (const key of at.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<Key, unknown>)[key];
  }
  return node !== null && typeof node === 'object' ? (node as Record<Key, unknown>) : undefined;
}

function setAt(root: unknown, at: readonly Key[], value: unknown): void {
  const parent = parentOf(root, at);
  const key = at[at.length - 1];
  if (parent && key !== undefined) parent[key] = value;
}

function deleteAt(root: unknown, at: readonly Key[]): void {
  const parent = parentOf(root, at);
  const key = at[at.length - 1];
  if (!parent || key === undefined) return;
  if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1);
  else delete parent[key];
}
