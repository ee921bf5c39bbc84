import { strict as assert } from 'node:assert';
import { DEMO_CUSTOMERS } from '../../src/demo/customers';
import { buildDemoFleet, parseFleet, startSimulator, type RunningSimulator } from '../../src/simulator';
import { ManualClock, rawRequest, type RawResponse } from './raw-request';
import { resourceGraphClient } from './sdk-clients';

const ARG = '/providers/Microsoft.ResourceGraph/resources?api-version=2021-03-01';
const [CONTOSO0 = '', CONTOSO1 = ''] = DEMO_CUSTOMERS.contoso.subscriptions;
const [NORTHWIND0 = ''] = DEMO_CUSTOMERS.northwind.subscriptions;
const COLUMNS = [
  'id',
  'name',
  'type',
  'tenantId',
  'kind',
  'location',
  'resourceGroup',
  'subscriptionId',
  'managedBy',
  'sku',
  'plan',
  'properties',
  'tags',
  'identity',
  'zones',
  'extendedLocation',
  'etag',
];

type Row = Record<string, unknown>;

function query(sim: RunningSimulator, body: unknown, token?: string): Promise<RawResponse> {
  return rawRequest(sim, 'POST', ARG, { body, ...(token ? { token } : {}) });
}

function rows(r: RawResponse): Row[] {
  return (r.body?.data ?? []) as Row[];
}

describe('simulator: Azure Resource Graph', () => {
  let sim: RunningSimulator;
  before(async () => {
    const fleet = buildDemoFleet() as Record<string, unknown>;
    // A resource group in mixed case, to see ARG lower-case it.
    const id = `/subscriptions/${CONTOSO1}/resourceGroups/RG-Mixed-Case/providers/Microsoft.Network/connections/cn-ams`;
    fleet[id] = {
      id,
      name: 'cn-ams',
      type: 'Microsoft.Network/connections',
      location: 'westeurope',
      properties: {
        connectionType: 'ExpressRoute',
        peer: {
          id: `/subscriptions/${CONTOSO0}/resourceGroups/rg-contoso-network/providers/Microsoft.Network/expressRouteCircuits/contoso-ams-er1`,
        },
      },
    };
    fleet.$simulator = { resourceGraph: false };
    sim = await startSimulator({ fleet: parseFleet(fleet) });
  });
  after(() => sim.close());

  it("should answer the real ResourceGraphClient with ARG's columns, type and resource group lower-cased, peerings inline", async () => {
    const client = resourceGraphClient(sim);
    const r = await client.resources({
      query: "Resources | where type =~ 'Microsoft.Network/expressRouteCircuits' and name == 'contoso-ams-er1'",
    });
    assert.equal(r.totalRecords, 1);
    assert.equal(r.count, 1);
    assert.equal(r.resultTruncated, 'false');
    const [row] = r.data as Row[];
    assert.deepEqual(Object.keys(row ?? {}), COLUMNS);
    assert.equal(row?.type, 'microsoft.network/expressroutecircuits');
    assert.equal(row?.subscriptionId, CONTOSO0);
    assert.equal(row?.tenantId, '');
    const peerings = ((row?.properties as Row).peerings as Row[]).map((p) => p.name);
    assert.deepEqual(peerings, ['AzurePrivatePeering', 'MicrosoftPeering']);
    const children = await client.resources({ query: "Resources | where type contains 'peerings' or id contains '/peerings/' | count" });
    assert.deepEqual(children.data, [{ Count: 0 }], 'child resources are not rows of their own');
    const cn = await client.resources({
      query:
        "Resources | where type == 'microsoft.network/connections' and name == 'cn-ams' | project resourceGroup, circuit = tolower(properties.peer.id)",
    });
    assert.deepEqual(cn.data, [
      {
        resourceGroup: 'rg-mixed-case',
        circuit: `/subscriptions/${CONTOSO0}/resourcegroups/rg-contoso-network/providers/microsoft.network/expressroutecircuits/contoso-ams-er1`,
      },
    ]);
  });

  it('should scope rows to the subscriptions asked for, or to every subscription when none are named', async () => {
    const subsOf = (r: RawResponse) => [...new Set(rows(r).map((x) => x.subscriptionId))].sort();
    const one = await query(sim, { subscriptions: [NORTHWIND0.toUpperCase()], query: 'Resources | project subscriptionId' });
    assert.deepEqual(subsOf(one), [NORTHWIND0]);
    const all = await query(sim, { query: "Resources | where type =~ 'microsoft.network/expressroutecircuits' | project subscriptionId" });
    assert.equal(subsOf(all).length, 4);
    assert.equal(all.body?.totalRecords, 12);
  });

  it('should answer in table format when asked', async () => {
    const r = await query(sim, {
      query:
        "Resources | where name == 'er-shared' | project name, subscriptionId, bw = properties.serviceProviderProperties.bandwidthInMbps | order by subscriptionId asc",
      options: { resultFormat: 'table' },
    });
    const data = r.body?.data as { columns: Array<{ name: string; type: string }>; rows: unknown[][] };
    assert.deepEqual(data.columns, [
      { name: 'name', type: 'string' },
      { name: 'subscriptionId', type: 'string' },
      { name: 'bw', type: 'integer' },
    ]);
    assert.deepEqual(
      data.rows.map((x) => x[0]),
      ['er-shared', 'er-shared'],
    );
  });

  it("should refuse a bad query with 400 and ARG's error shape (InvalidQuery and where it failed)", async () => {
    const r = await query(sim, { query: "Resources\n| where name == 'x' and" });
    assert.equal(r.status, 400);
    const error = r.body?.error as { code: string; message: string; details: Array<Record<string, unknown>> };
    assert.equal(error.code, 'BadRequest');
    assert.match(error.message, /correlationId/);
    assert.equal(error.details[0]?.code, 'InvalidQuery');
    assert.equal(error.details[1]?.code, 'ParserFailure');
    assert.deepEqual([error.details[1]?.line, error.details[1]?.characterPositionInLine], [2, 23]);
    const column = await query(sim, { query: "Resources | where Name == 'x'" });
    assert.equal((column.body?.error as { details: Array<{ code: string }> }).details[1]?.code, 'FailedToResolveScalarExpression');
    await assert.rejects(
      resourceGraphClient(sim).resources({ query: 'Resources | frobnicate' }),
      (e: { statusCode?: number; code?: string }) => {
        assert.equal(e.statusCode, 400);
        assert.equal(e.code, 'BadRequest');
        return true;
      },
    );
  });

  it('should answer malformed requests with 400, never a crash', async () => {
    const bodies: unknown[] = [
      {},
      { query: '' },
      { query: 42 },
      [1],
      { query: 'Resources', subscriptions: 'x' },
      { query: 'Resources', options: { $top: 5000 } },
      { query: 'Resources', options: { $skipToken: 'not-a-token' } },
      { query: 'Resources', options: { resultFormat: 'csv' } },
    ];
    for (const body of bodies) {
      const r = await query(sim, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal((r.body?.error as { code?: string }).code, 'BadRequest', JSON.stringify(body));
    }
    const broken = await rawRequest(sim, 'POST', ARG, { rawBody: '{"query": ' });
    assert.equal(broken.status, 400);
    assert.equal(broken.body?.error?.code, 'InvalidRequestContent');
    const noVersion = await rawRequest(sim, 'POST', '/providers/Microsoft.ResourceGraph/resources?api-version=1999-01-01', {
      body: { query: 'Resources' },
    });
    assert.equal(noVersion.body?.error?.code, 'InvalidApiVersionParameter');
  });
});

/** `count` small route tables over five subscriptions: enough rows for several pages. */
function manyResources(count: number): ReturnType<typeof parseFleet> {
  const fleet: Record<string, unknown> = {};
  for (let i = 1; i <= count; i++) {
    const id = `/subscriptions/00000000-0000-4000-8000-00000000000${i % 5}/resourceGroups/rg-${i % 5}/providers/Microsoft.Network/routeTables/rt-${String(i).padStart(4, '0')}`;
    fleet[id] = {
      id,
      name: id.split('/').at(-1),
      type: 'Microsoft.Network/routeTables',
      location: 'westeurope',
      properties: { routes: [] },
    };
  }
  return parseFleet(fleet);
}

describe('simulator: Resource Graph paging', () => {
  it('should page 1,000 rows at a time with an opaque $skipToken, $top capping the page and $skip moving it', async () => {
    const sim = await startSimulator({ fleet: manyResources(2500), settings: { resourceGraph: false } });
    try {
      const client = resourceGraphClient(sim);
      const seen: string[] = [];
      const counts: number[] = [];
      let skipToken: string | undefined;
      do {
        const page = await client.resources({ query: 'Resources | project id', options: { ...(skipToken ? { skipToken } : {}) } });
        assert.equal(page.totalRecords, 2500);
        counts.push(page.count);
        seen.push(...(page.data as Array<{ id: string }>).map((r) => r.id));
        skipToken = page.skipToken;
        assert.ok(!skipToken || !/^\d+$/.test(skipToken), 'the token is not a bare offset');
      } while (skipToken);
      assert.deepEqual(counts, [1000, 1000, 500]);
      assert.equal(new Set(seen).size, 2500);
      const top = await query(sim, { query: 'Resources | project name | order by name asc', options: { $top: 3, $skip: 10 } });
      assert.deepEqual(
        rows(top).map((r) => r.name),
        ['rt-0011', 'rt-0012', 'rt-0013'],
      );
      const next = await query(sim, {
        query: 'Resources | project name | order by name asc',
        options: { $top: 3, $skipToken: top.body?.$skipToken },
      });
      assert.deepEqual(
        rows(next).map((r) => r.name),
        ['rt-0014', 'rt-0015', 'rt-0016'],
      );
    } finally {
      await sim.close();
    }
  });
});

describe('simulator: Resource Graph answers it cannot page', () => {
  it('should answer a query with take or limit in one page, resultTruncated when rows were left out, and never with a $skipToken', async () => {
    const sim = await startSimulator({ fleet: manyResources(2500), settings: { resourceGraph: false } });
    try {
      for (const operator of ['take', 'limit']) {
        const over = await query(sim, { query: `Resources | project id | order by id asc | ${operator} 1500` });
        assert.equal(over.status, 200);
        assert.deepEqual(
          [over.body?.totalRecords, over.body?.count, over.body?.resultTruncated, '$skipToken' in (over.body ?? {})],
          [1500, 1000, 'true', false],
          operator,
        );
        const small = await query(sim, { query: `Resources | project id | order by id asc | ${operator} 3`, options: { $top: 2 } });
        assert.deepEqual([small.body?.count, small.body?.resultTruncated, '$skipToken' in (small.body ?? {})], [2, 'true', false]);
        const within = await query(sim, { query: `Resources | project id | ${operator} 800` });
        assert.deepEqual([within.body?.count, within.body?.resultTruncated, '$skipToken' in (within.body ?? {})], [800, 'false', false]);
      }
      const paged = await query(sim, { query: 'Resources | project id' });
      assert.deepEqual([paged.body?.count, paged.body?.resultTruncated, typeof paged.body?.$skipToken], [1000, 'false', 'string']);
    } finally {
      await sim.close();
    }
  });
});

describe('simulator: Resource Graph quota per principal', () => {
  it('should allow 15 queries per 5 seconds per token, report the quota on every answer, then answer 429 RateLimiting', async () => {
    const clock = new ManualClock();
    const sim = await startSimulator({ fleet: buildDemoFleet(), clock });
    try {
      const remaining: unknown[] = [];
      for (let i = 0; i < 15; i++) {
        const r = await query(sim, { query: 'Resources | count' }, 'alice');
        assert.equal(r.status, 200);
        remaining.push(r.headers['x-ms-user-quota-remaining']);
        if (i === 0) assert.equal(r.headers['x-ms-user-quota-resets-after'], '00:00:05');
        clock.advance(100);
      }
      assert.deepEqual(remaining, ['14', '13', '12', '11', '10', '9', '8', '7', '6', '5', '4', '3', '2', '1', '0']);
      const throttled = await query(sim, { query: 'Resources | count' }, 'alice');
      assert.equal(throttled.status, 429);
      const error = throttled.body?.error as { code: string; details: Array<{ code: string }> };
      assert.equal(error.code, 'RateLimiting');
      assert.equal(error.details[0]?.code, 'RateLimiting');
      assert.equal(throttled.headers['x-ms-user-quota-remaining'], '0');
      assert.equal(throttled.headers['x-ms-user-quota-resets-after'], '00:00:04');
      assert.equal(throttled.headers['retry-after'], '4');
      // Another principal has its own quota, and a bad query still counts.
      const bob = await query(sim, { query: 'Resources | nonsense' }, 'bob');
      assert.deepEqual([bob.status, bob.headers['x-ms-user-quota-remaining']], [400, '14']);
      clock.advance(3500);
      const again = await query(sim, { query: 'Resources | count' }, 'alice');
      assert.deepEqual(
        [again.status, again.headers['x-ms-user-quota-remaining'], again.headers['x-ms-user-quota-resets-after']],
        [200, '14', '00:00:05'],
      );
    } finally {
      await sim.close();
    }
  });

  it('should take its quota from $simulator.resourceGraph, and have none with resourceGraph: false', async () => {
    const clock = new ManualClock();
    const sim = await startSimulator({
      fleet: buildDemoFleet(),
      clock,
      settings: { resourceGraph: { quota: { queries: 2, windowMs: 60_000 } } },
    });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await query(sim, { query: 'Resources | count' })).status);
      assert.deepEqual(statuses, [200, 200, 429]);
      const last = await query(sim, { query: 'Resources | count' });
      assert.equal(last.headers['x-ms-user-quota-resets-after'], '00:01:00');
      sim.settings.resourceGraph = false;
      const free = await query(sim, { query: 'Resources | count' });
      assert.equal(free.status, 200);
      assert.equal(free.headers['x-ms-user-quota-remaining'], undefined);
    } finally {
      await sim.close();
    }
  });
});
