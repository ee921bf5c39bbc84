import assert from 'node:assert/strict';
import { isRestError } from '@azure/core-rest-pipeline';
import fc from 'fast-check';
import { queryResourceGraph } from '../../src/azure/arg-query';
import type { ClientPool } from '../../src/azure/client-pool';
import {
  RESOURCE_GRAPH_API_VERSION,
  RESULT_TRUNCATED,
  ResourceGraphQueryClient,
  type ResourceGraphPage,
} from '../../src/azure/resource-graph-query';
import { toCodedError } from '../../src/azure/arm-errors';
import { ErrorCode } from '../../src/errors';
import { ArmScheduler, type ArmLimits } from '../../src/azure/scheduler';
import { silentLogger } from '../../src/log';
import { ManualClock } from './support/manual-clock';
import { FakeCredential, FakeHttpClient, type Answer, type Sent as SentRequest } from './support/lean-fakes';
import { fleetCircuits, startArmKit } from './support/arm-test-kit';
import { SCOPE, SUB } from './support/test-fleet';

/*
 * ResourceGraphQueryClient (POST /providers/Microsoft.ResourceGraph/resources, api-version 2021-03-01) over a fake
 * transport: the QueryRequest it writes, the QueryResponse it reads (the REST spec's own example), the errors it
 * passes on, answers that break the documented shape; then queryResourceGraph's paging, and the simulator end to end.
 */

const ENDPOINT = 'https://management.azure.com';
const SCOPE_ARG = `${ENDPOINT}/.default`;
const TENANT = 'tenant-rg';
const TOKEN = 'fake-arg-token-41c7';
const SUBSCRIPTION = 'cfbbd179-59d2-4052-aa06-9270a38aa9d6';
const QUERY = "Resources | where type =~ 'Microsoft.Compute/virtualMachines' | project id, name, location, resourceGroup | limit 5";
const SKIP_TOKEN =
  'ew0KICAiJGlkIjogIjEiLA0KICAiTWF4Um93cyI6IDMsDQogICJSb3dzVG9Ta2lwIjogMywNCiAgIkt1c3RvQ2x1c3RlclVybCI6ICJodHRwczovL2FyZy1ldXMtc2l4LXNmLmFyZy5jb3JlLndpbmRvd3MubmV0Ig0KfQ==';

/**
 * The 200 body of the REST spec's example "Facet Query" (examples/ResourcesFacetQuery.json, 2021-03-01; the
 * osType column and the last facets left out), with a `$skipToken` as QueryResponse defines it.
 */
const EXAMPLE_TEXT = JSON.stringify({
  totalRecords: 5,
  count: 3,
  resultTruncated: 'false',
  $skipToken: SKIP_TOKEN,
  data: [
    {
      id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/B-TEST-RG/providers/Microsoft.Compute/virtualMachines/myTestVm`,
      name: 'myTestVm',
      location: 'eastus',
      resourceGroup: 'B-TEST-RG',
    },
    {
      id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/c-rg/providers/Microsoft.Compute/virtualMachines/myTestAccountVm`,
      name: 'myTestAccountVm',
      location: 'westcentralus',
      resourceGroup: 'c-rg',
    },
    {
      id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/I-RG/providers/Microsoft.Compute/virtualMachines/yetanothertest`,
      name: 'yetanothertest',
      location: 'eastus',
      resourceGroup: 'I-RG',
    },
  ],
  facets: [
    {
      expression: 'location',
      resultType: 'FacetResult',
      totalRecords: 3,
      count: 3,
      data: [
        { location: 'eastus', count: 3 },
        { location: 'southcentralus', count: 1 },
        { location: 'westcentralus', count: 1 },
      ],
    },
    {
      expression: 'nonExistingColumn',
      resultType: 'FacetError',
      errors: [
        { code: 'NoValidColumns', message: 'No valid columns in facet expression.' },
        { code: 'InvalidColumnNames', message: 'Invalid column names: [nonExistingColumn].' },
      ],
    },
  ],
});

/** A fresh, mutable copy of the example's 200 body. */
const example = () => JSON.parse(EXAMPLE_TEXT) as Record<string, unknown> & { data: Record<string, unknown>[] };

type Sent = SentRequest<QueryBody>;

interface QueryBody {
  subscriptions: string[];
  query: string;
  options: { resultFormat: string; $top: number; $skipToken?: string };
}

/**
 * A client over a fake transport; by default the scheduler never retries (4xx are not retried anyway), and its
 * ManualClock never waits.
 */
function fakeClient(
  answer: Answer | ((sent: Sent, index: number) => Answer),
  options: { endpoint?: string; limits?: Partial<ArmLimits> } = {},
) {
  const http = new FakeHttpClient<QueryBody>(typeof answer === 'function' ? answer : () => answer);
  const credential = new FakeCredential(TOKEN);
  const scheduler = new ArmScheduler({
    clock: new ManualClock(),
    logger: silentLogger,
    random: () => 0.5,
    limits: { maxAttempts: 1, resourceGraph: { capacity: 1_000_000, refillPerSecond: 1_000_000 }, ...options.limits },
  });
  const client = new ResourceGraphQueryClient(options.endpoint ?? ENDPOINT, credential, {
    scope: SCOPE_ARG,
    scheduler,
    tenantId: TENANT,
    httpClient: http,
  });
  return { client, http, credential, scheduler };
}

const ok = (body: unknown): Answer => ({ status: 200, body: typeof body === 'string' ? body : JSON.stringify(body) });

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

/** One page of the example query against the given answer. */
function pageWith(answer: Answer): Promise<ResourceGraphPage> {
  return fakeClient(answer).client.resources([SUBSCRIPTION], QUERY, { top: 5 });
}

describe('Resource Graph client (ResourceGraphQueryClient)', function () {
  describe('the request', () => {
    it('POSTs the QueryRequest (objectArray, $top, no $skipToken) to /providers/Microsoft.ResourceGraph/resources with the bearer token', async () => {
      const { client, http, credential } = fakeClient(ok(EXAMPLE_TEXT));
      await client.resources([SUBSCRIPTION, 'other-sub'], QUERY, { top: 5 });

      assert.equal(http.sent.length, 1);
      const sent = http.sent[0]!;
      assert.equal(sent.method, 'POST');
      assert.equal(sent.url.origin, ENDPOINT);
      assert.equal(sent.url.pathname, '/providers/Microsoft.ResourceGraph/resources');
      assert.deepEqual(Object.fromEntries(sent.url.searchParams), { 'api-version': '2021-03-01' });
      assert.equal([...sent.url.searchParams.keys()].length, 1, 'api-version once, nothing else');
      assert.equal(RESOURCE_GRAPH_API_VERSION, '2021-03-01');
      assert.deepEqual(sent.body, {
        subscriptions: [SUBSCRIPTION, 'other-sub'],
        query: QUERY,
        options: { resultFormat: 'objectArray', $top: 5 },
      });
      assert.equal('$skipToken' in sent.body.options, false, 'no $skipToken key at all on a first page');
      assert.equal(sent.headers.authorization, `Bearer ${TOKEN}`);
      assert.equal(sent.headers['content-type'], 'application/json');
      assert.equal(sent.headers.accept, 'application/json');
      assert.deepEqual(credential.asked, [[SCOPE_ARG]]);
    });

    it('sends $skipToken when given, and no double slash after an endpoint ending in /', async () => {
      for (const endpoint of [`${ENDPOINT}/`, `${ENDPOINT}//`]) {
        const { client, http } = fakeClient(ok({ data: [] }), { endpoint });
        await client.resources([SUBSCRIPTION], 'Resources | count', { top: 1000, skipToken: SKIP_TOKEN });

        const sent = http.sent[0]!;
        assert.equal(sent.url.href.split('?')[0], `${ENDPOINT}/providers/Microsoft.ResourceGraph/resources`, endpoint);
        assert.deepEqual(sent.body, {
          subscriptions: [SUBSCRIPTION],
          query: 'Resources | count',
          options: { resultFormat: 'objectArray', $top: 1000, $skipToken: SKIP_TOKEN },
        });
      }
    });

    it('sends no $skipToken for an empty one', async () => {
      const { client, http } = fakeClient(ok({ data: [] }));
      await client.resources([SUBSCRIPTION], QUERY, { top: 10, skipToken: '' });
      assert.deepEqual(http.sent[0]!.body.options, { resultFormat: 'objectArray', $top: 10 });
    });

    it('uses one token for several queries, and the scheduler counts them against Resource Graph’s quota', async () => {
      const { client, http, credential, scheduler } = fakeClient(ok(EXAMPLE_TEXT));
      await client.resources([SUBSCRIPTION], QUERY, { top: 5 });
      await client.resources([SUBSCRIPTION], QUERY, { top: 5, skipToken: SKIP_TOKEN });
      assert.equal(http.sent.length, 2);
      assert.ok(http.sent.every((s) => s.headers.authorization === `Bearer ${TOKEN}`));
      assert.deepEqual(credential.asked, [[SCOPE_ARG]]);
      assert.equal(scheduler.stats().byKind.resourceGraph, 2);
      assert.equal(scheduler.stats().requests, 2);
    });

    it('hands the caller’s abort signal down; a request cancelled before it goes takes no quota and is not sent', async () => {
      const { client, http, scheduler } = fakeClient(ok(EXAMPLE_TEXT));
      const controller = new AbortController();
      await client.resources([SUBSCRIPTION], QUERY, { top: 5, abortSignal: controller.signal });
      assert.deepEqual(
        http.sent.map((s) => s.aborted),
        [false],
      );
      controller.abort();
      await assert.rejects(client.resources([SUBSCRIPTION], QUERY, { top: 5, abortSignal: controller.signal }), { name: 'AbortError' });
      assert.equal(http.sent.length, 1);
      assert.equal(scheduler.stats().requests, 1);
    });
  });

  describe('reading the answer', () => {
    it('gives the example’s rows as sent and its $skipToken, and nothing else (counts and facets are not rows)', async () => {
      const page = await pageWith(ok(EXAMPLE_TEXT));
      assert.deepEqual(Object.keys(page).sort(), ['data', 'skipToken']);
      assert.deepEqual(page.data, example().data);
      assert.equal(page.data.length, 3);
      assert.equal(page.skipToken, SKIP_TOKEN);
    });

    for (const [name, change] of [
      ['no $skipToken', (b: Record<string, unknown>) => delete b.$skipToken],
      ['an empty $skipToken', (b: Record<string, unknown>) => (b.$skipToken = '')],
      ['a null $skipToken', (b: Record<string, unknown>) => (b.$skipToken = null)],
    ] as const) {
      it(`reads ${name} as the last page (no skipToken)`, async () => {
        const body = example();
        change(body);
        const page = await pageWith(ok(body));
        assert.equal('skipToken' in page, false, JSON.stringify(page));
        assert.deepEqual(page.data, example().data);
      });
    }

    it('reads an empty page', async () => {
      const page = await pageWith(ok({ totalRecords: 0, count: 0, resultTruncated: 'false', data: [], facets: [] }));
      assert.deepEqual(page, { data: [] });
    });
  });

  describe('errors', () => {
    it('passes on a 400 with ARM’s { error: { code, message } } as a RestError with that code, status and message', async () => {
      const message = 'Please provide below info when asking for support: timestamp = 2021-03-01T00:00:00Z, correlationId = 1234.';
      const body = { error: { code: 'BadRequest', message, details: [{ code: 'InvalidQuery', message: 'Query is invalid.' }] } };
      const e = await restError(pageWith({ status: 400, body: JSON.stringify(body) }));
      assert.equal(e.code, 'BadRequest');
      assert.equal(e.statusCode, 400);
      assert.equal(e.message, message);
      assert.equal(e.response?.status, 400);
    });

    it('passes on a 403 with a bare { code, message }', async () => {
      const message = "The client 'x' does not have authorization to perform action 'Microsoft.ResourceGraph/resources/read'.";
      const e = await restError(pageWith({ status: 403, body: JSON.stringify({ code: 'AuthorizationFailed', message }) }));
      assert.equal(e.code, 'AuthorizationFailed');
      assert.equal(e.statusCode, 403);
      assert.equal(e.message, message);
    });

    it('reports a 500 that is not JSON as HTTP 500, once attempts are used up', async () => {
      const { client, http } = fakeClient({
        status: 500,
        body: '<html>Internal Server Error</html>',
        headers: { 'content-type': 'text/html' },
      });
      const e = await restError(client.resources([SUBSCRIPTION], QUERY, { top: 5 }));
      assert.equal(e.statusCode, 500);
      assert.equal(e.code, undefined);
      assert.match(e.message, /HTTP 500/);
      assert.equal(http.sent.length, 1, 'maxAttempts 1: no retry');
    });

    it('retries a 503 through the scheduler when attempts allow, and reads the page that follows', async () => {
      const { client, http, scheduler } = fakeClient((_, i) => (i === 0 ? { status: 503, body: '' } : ok(EXAMPLE_TEXT)), {
        limits: { maxAttempts: 3 },
      });
      const page = await client.resources([SUBSCRIPTION], QUERY, { top: 5 });
      assert.equal(page.data.length, 3);
      assert.equal(http.sent.length, 2);
      assert.ok(http.sent.every((s) => s.headers.authorization === `Bearer ${TOKEN}` && s.text === http.sent[0]!.text));
      assert.equal(scheduler.stats().retries, 1);
    });
  });

  describe('200 answers that are not the documented shape', () => {
    const cases: { name: string; body: string; problem: RegExp }[] = [
      { name: 'a body that is not JSON', body: '{"data": [', problem: /not JSON/ },
      { name: 'an empty body', body: '', problem: /not JSON/ },
      { name: 'an array', body: JSON.stringify(example().data), problem: /\(body: expected an object\)/ },
      { name: 'null', body: 'null', problem: /\(body: expected an object\)/ },
      { name: 'a string', body: '"data"', problem: /\(body: expected an object\)/ },
      {
        name: 'data missing',
        body: JSON.stringify({ totalRecords: 0, count: 0, resultTruncated: 'false' }),
        problem: /\(data: expected an array of rows/,
      },
      {
        name: 'data in table format ({ columns, rows })',
        body: JSON.stringify({
          totalRecords: 1,
          count: 1,
          resultTruncated: 'false',
          data: { columns: [{ name: 'name', type: 'string' }], rows: [['myTestVm']] },
        }),
        problem: /\(data: expected an array of rows/,
      },
      {
        name: 'a $skipToken that is a number',
        body: JSON.stringify({ ...example(), $skipToken: 42 }),
        problem: /\(\$skipToken: expected a string\)/,
      },
      {
        name: 'a resultTruncated that is neither "true" nor "false"',
        body: JSON.stringify({ ...example(), resultTruncated: 'True', $skipToken: undefined }),
        problem: /\(resultTruncated: expected "true" or "false"\)/,
      },
      {
        name: 'a $skipToken that is an object',
        body: JSON.stringify({ ...example(), $skipToken: {} }),
        problem: /\(\$skipToken: expected a string\)/,
      },
    ];

    for (const c of cases) {
      it(`refuses ${c.name} as InvalidResponse, naming the problem`, async () => {
        const e = await restError(pageWith(ok(c.body)));
        assert.equal(e.code, 'InvalidResponse');
        assert.equal(e.statusCode, 200);
        assert.match(e.message, /^Resource Graph answered/);
        assert.match(e.message, c.problem);
      });
    }
  });

  describe('answers cut short (resultTruncated, no $skipToken)', () => {
    it('refuses them as ResultTruncated, naming the rows it has and the total, and is not retried', async () => {
      for (const resultTruncated of ['true', true] as const) {
        const { client, http } = fakeClient(ok({ ...example(), resultTruncated, $skipToken: undefined }), { limits: { maxAttempts: 3 } });
        const e = await restError(client.resources([SUBSCRIPTION], QUERY, { top: 5 }));
        assert.equal(e.code, RESULT_TRUNCATED);
        assert.equal(e.statusCode, 200);
        assert.match(e.message, /^Resource Graph answered with 3 of 5 rows and no \$skipToken to read the rest \(resultTruncated\)/);
        assert.equal(http.sent.length, 1, 'the same query gets the same answer: not sent again');
        const coded = toCodedError(e, { resource: 'the circuits of tenant-rg' });
        assert.equal(coded.code, ErrorCode.ArmUnavailable);
        assert.match(coded.message, /^Azure Resource Graph answered for the circuits of tenant-rg with rows missing: /);
        assert.match(JSON.stringify(coded.hint), /Asking again gets the same answer/);
      }
    });

    it('takes a page that says resultTruncated "false", or "true" with a $skipToken to follow', async () => {
      assert.equal((await pageWith(ok({ ...example(), resultTruncated: 'false', $skipToken: undefined }))).data.length, 3);
      const page = await pageWith(ok({ ...example(), resultTruncated: 'true' }));
      assert.equal(page.skipToken, SKIP_TOKEN);
    });
  });

  describe('any JSON answer (property)', () => {
    it('gives { data: array, skipToken?: non-empty string } or an InvalidResponse RestError, as the shape says', async () => {
      const answer = { text: '' };
      const { client } = fakeClient(() => ok(answer.text));
      const bodies = fc.oneof(
        fc.jsonValue(),
        fc.record({ data: fc.jsonValue() }, { requiredKeys: [] }),
        fc.record(
          {
            data: fc.array(fc.jsonValue(), { maxLength: 4 }),
            $skipToken: fc.oneof(fc.string(), fc.constant(null), fc.jsonValue()),
            resultTruncated: fc.oneof(fc.constantFrom('true', 'false', true, false, null), fc.jsonValue()),
          },
          { requiredKeys: ['data'] },
        ),
      );
      let pages = 0;
      let refused = 0;
      await fc.assert(
        fc.asyncProperty(bodies, async (value) => {
          answer.text = JSON.stringify(value);
          const body = JSON.parse(answer.text) as unknown;
          const record = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
          const token = record?.$skipToken;
          const truncatedFlag = record?.resultTruncated;
          const documented =
            record !== undefined &&
            Array.isArray(record.data) &&
            (token === undefined || token === null || typeof token === 'string') &&
            [undefined, null, 'true', 'false', true, false].includes(truncatedFlag as string);
          const cutShort =
            (record?.resultTruncated === 'true' || record?.resultTruncated === true) && !(typeof token === 'string' && token !== '');
          let page: ResourceGraphPage;
          try {
            page = await client.resources([SUBSCRIPTION], QUERY, { top: 5 });
          } catch (e) {
            assert.ok(isRestError(e), `a RestError, not ${String(e)}`);
            if (documented)
              assert.equal([e.code, cutShort].join(), `${RESULT_TRUNCATED},true`, `refused a documented answer: ${answer.text}`);
            else assert.equal(e.code, 'InvalidResponse', e.message);
            refused += 1;
            return;
          }
          assert.ok(documented && !cutShort, `accepted ${answer.text}`);
          assert.ok(Array.isArray(page.data));
          assert.deepEqual(page.data, record?.data);
          assert.ok(
            Object.keys(page).every((k) => k === 'data' || k === 'skipToken'),
            Object.keys(page).join(),
          );
          if (typeof token === 'string' && token !== '') assert.equal(page.skipToken, token);
          else assert.equal('skipToken' in page, false);
          pages += 1;
        }),
        { numRuns: 200 },
      );
      assert.ok(pages > 0 && refused > 0, `both outcomes drawn (${pages} pages, ${refused} refused)`);
    });
  });

  describe('paging (queryResourceGraph)', () => {
    /** A pool that hands out the one client, and remembers the tenants asked for. */
    function poolOf(client: ResourceGraphQueryClient) {
      const tenants: string[] = [];
      const pool = {
        resourceGraphClient: (tenantId: string) => {
          tenants.push(tenantId);
          return client;
        },
      } as unknown as ClientPool;
      return { pool, tenants };
    }

    it('follows $skipToken: two pages, rows in order, the token sent back with the same subscriptions and query', async () => {
      const { client, http } = fakeClient((sent) =>
        sent.body.options.$skipToken === undefined
          ? ok({ totalRecords: 3, count: 2, $skipToken: 'abc', data: [{ id: 'a' }, { id: 'b' }] })
          : ok({ totalRecords: 3, count: 1, data: [{ id: 'c' }] }),
      );
      const { pool, tenants } = poolOf(client);

      const rows = await queryResourceGraph(pool, TENANT, [SUBSCRIPTION], QUERY);

      assert.deepEqual(rows, [{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
      assert.deepEqual(tenants, [TENANT]);
      assert.deepEqual(
        http.sent.map((s) => s.body),
        [
          { subscriptions: [SUBSCRIPTION], query: QUERY, options: { resultFormat: 'objectArray', $top: 1000 } },
          { subscriptions: [SUBSCRIPTION], query: QUERY, options: { resultFormat: 'objectArray', $top: 1000, $skipToken: 'abc' } },
        ],
      );
    });

    it('asks about at most 1,000 subscriptions per query, each slice paged on its own', async () => {
      const subscriptions = Array.from({ length: 1001 }, (_, i) => `sub-${String(i).padStart(4, '0')}`);
      const { client, http } = fakeClient((sent) => {
        const first = sent.body.subscriptions[0];
        return sent.body.options.$skipToken === undefined
          ? ok({ data: [{ slice: first, page: 1 }], $skipToken: `next-${first}` })
          : ok({ data: [{ slice: first, page: 2 }], $skipToken: '' });
      });

      const rows = await queryResourceGraph(poolOf(client).pool, TENANT, subscriptions, QUERY);

      assert.deepEqual(rows, [
        { slice: 'sub-0000', page: 1 },
        { slice: 'sub-0000', page: 2 },
        { slice: 'sub-1000', page: 1 },
        { slice: 'sub-1000', page: 2 },
      ]);
      assert.deepEqual(
        http.sent.map((s) => [s.body.subscriptions.length, s.body.options.$skipToken]),
        [
          [1000, undefined],
          [1000, 'next-sub-0000'],
          [1, undefined],
          [1, 'next-sub-1000'],
        ],
      );
      assert.deepEqual(http.sent[0]!.body.subscriptions, subscriptions.slice(0, 1000));
      assert.deepEqual(http.sent[2]!.body.subscriptions, ['sub-1000']);
    });

    it('fails as a whole when a page comes back cut short: none of the rows read so far are handed on', async () => {
      const { client } = fakeClient((_, i) =>
        i === 0
          ? ok({ data: [{ id: 'a' }], $skipToken: 'abc' })
          : ok({ totalRecords: 3, count: 1, resultTruncated: 'true', data: [{ id: 'b' }] }),
      );
      const e = await restError(queryResourceGraph(poolOf(client).pool, TENANT, [SUBSCRIPTION], QUERY));
      assert.equal(e.code, RESULT_TRUNCATED);
    });

    it('fails as a whole when a later page fails', async () => {
      const { client, http } = fakeClient((_, i) =>
        i === 0
          ? ok({ data: [{ id: 'a' }], $skipToken: 'abc' })
          : { status: 400, body: JSON.stringify({ error: { code: 'BadRequest', message: 'The skip token is invalid.' } }) },
      );
      const e = await restError(queryResourceGraph(poolOf(client).pool, TENANT, [SUBSCRIPTION], QUERY));
      assert.equal(e.code, 'BadRequest');
      assert.equal(e.message, 'The skip token is invalid.');
      assert.equal(http.sent.length, 2);
    });
  });

  describe('end to end through the simulator', function () {
    this.timeout(60_000);

    it('lists the subscription’s circuits, and passes on the simulator’s 400 for an invalid query', async () => {
      const kit = await startArmKit();
      try {
        const client = kit.access.pool.resourceGraphClient(SCOPE.tenantId);
        const page = await client.resources(
          [SUB],
          "Resources | where type =~ 'microsoft.network/expressroutecircuits' | project id, name | order by id asc",
          { top: 1000 },
        );

        const expected = [...fleetCircuits(kit.fleet).values()]
          .filter((c) => c.id.toLowerCase().startsWith(`/subscriptions/${SUB}/`))
          .map((c) => ({ id: c.id, name: c.name }))
          .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        assert.equal(expected.length, 5, 'er-provider, er-direct and three small ones');
        assert.deepEqual(page, { data: expected });

        const take = "Resources | where type =~ 'microsoft.network/expressroutecircuits' | project id | order by id asc | take 4";
        assert.deepEqual(
          (await client.resources([SUB], take, { top: 1000 })).data,
          expected.slice(0, 4).map((c) => ({ id: c.id })),
          'a take within the page: all of it, nothing cut',
        );
        const truncated = await restError(client.resources([SUB], take, { top: 2 }));
        assert.equal(truncated.code, RESULT_TRUNCATED, 'take 4 in pages of 2: Resource Graph cannot page it, and says so');
        assert.match(truncated.message, /with 2 of 4 rows/);

        const e = await restError(client.resources([SUB], 'Resources | frobnicate', { top: 1000 }));
        assert.equal(e.statusCode, 400);
        assert.equal(e.code, 'BadRequest');
        assert.match(e.message, /correlationId = /);

        const calls = kit.sim.requests.filter((r) => /\/providers\/Microsoft\.ResourceGraph\/resources$/i.test(r.path));
        assert.deepEqual(
          calls.map((c) => [c.method, c.status, c.hasBearer, c.query['api-version']]),
          [
            ['POST', 200, true, RESOURCE_GRAPH_API_VERSION],
            ['POST', 200, true, RESOURCE_GRAPH_API_VERSION],
            ['POST', 200, true, RESOURCE_GRAPH_API_VERSION],
            ['POST', 400, true, RESOURCE_GRAPH_API_VERSION],
          ],
        );
      } finally {
        await kit.close();
      }
    });
  });
});
