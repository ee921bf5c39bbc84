import { strict as assert } from 'node:assert';
import { KqlError } from '../../src/simulator/resource-graph/kql-error';
import { parseKql } from '../../src/simulator/resource-graph/kql-parser';
import { runKql } from '../../src/simulator/resource-graph/kql-run';

const ROWS = [
  {
    id: '/s/1/c/er-a',
    name: 'er-a',
    type: 'microsoft.network/expressroutecircuits',
    location: 'westeurope',
    properties: { bw: 1000, peer: { id: '/S/1/C/ER-A' } },
    tags: { env: 'prod' },
  },
  {
    id: '/s/1/c/er-b',
    name: 'er-b',
    type: 'microsoft.network/expressroutecircuits',
    location: 'uksouth',
    properties: { bw: 200 },
    tags: null,
  },
  {
    id: '/s/1/n/cn-1',
    name: 'cn-1',
    type: 'microsoft.network/connections',
    location: 'westeurope',
    properties: { peer: { id: '/s/1/c/er-a' } },
    tags: { env: 'dev' },
  },
];
const TABLE = { Resources: { columns: ['id', 'name', 'type', 'location', 'properties', 'tags'], rows: ROWS } };

function names(query: string): unknown[] {
  return runKql(parseKql(query), TABLE).rows.map((r) => r.name);
}

function fails(query: string, detail: RegExp, code?: string): void {
  assert.throws(
    () => runKql(parseKql(query), TABLE),
    (e: unknown) => {
      assert.ok(e instanceof KqlError, `expected a KqlError, got ${String(e)}`);
      assert.match(e.message, detail);
      if (code) assert.equal(e.detailCode, code);
      return true;
    },
  );
}

describe('simulator: the KQL subset of Resource Graph', () => {
  it('should filter with ==, =~, !=, !~ and combine with and, or and parentheses', () => {
    assert.deepEqual(names("Resources | where type == 'microsoft.network/connections'"), ['cn-1']);
    assert.deepEqual(names("resources | where type == 'Microsoft.Network/connections'"), [], '== is case-sensitive');
    assert.deepEqual(names("Resources | where type =~ 'Microsoft.Network/Connections'"), ['cn-1']);
    assert.deepEqual(names("Resources | where name != 'er-a' and location !~ 'UKSOUTH'"), ['cn-1']);
    assert.deepEqual(names("Resources | where (name == 'er-a' or name == 'er-b') and location == 'uksouth'"), ['er-b']);
  });

  it('should support in, in~, !in, has, contains, startswith and their negations', () => {
    assert.deepEqual(names("Resources | where name in ('er-a', 'cn-1')"), ['er-a', 'cn-1']);
    assert.deepEqual(names("Resources | where name in~ ('ER-A')"), ['er-a']);
    assert.deepEqual(names("Resources | where name !in ('er-a', 'cn-1')"), ['er-b']);
    assert.deepEqual(names("Resources | where type has 'connections'"), ['cn-1'], 'has matches whole terms');
    assert.deepEqual(names("Resources | where type has 'connect'"), []);
    assert.deepEqual(names("Resources | where type contains 'CONNECT'"), ['cn-1']);
    assert.deepEqual(names("Resources | where name startswith 'ER-'"), ['er-a', 'er-b']);
    assert.deepEqual(names("Resources | where name !startswith 'er-'"), ['cn-1']);
    assert.deepEqual(names("Resources | where type !has 'connections'"), ['er-a', 'er-b']);
  });

  it('should read dotted and bracketed paths into properties, with tolower() and numbers', () => {
    assert.deepEqual(names("Resources | where tolower(properties.peer.id) == '/s/1/c/er-a'"), ['er-a', 'cn-1']);
    assert.deepEqual(names("Resources | where properties['bw'] >= 500"), ['er-a']);
    assert.deepEqual(names("Resources | where tags.env == 'prod'"), ['er-a']);
    assert.deepEqual(names('Resources | where isnull(properties.bw) or properties.bw < 500'), ['er-b', 'cn-1']);
    assert.deepEqual(names("Resources | where ['type'] has 'expressroutecircuits'"), ['er-a', 'er-b']);
  });

  it('should project columns and aliases, extend, order (descending by default), take and count', () => {
    const projected = runKql(
      parseKql('Resources | project name, bw = properties.bw, properties.peer.id, tolower(location) | take 1'),
      TABLE,
    );
    assert.deepEqual(projected.columns, ['name', 'bw', 'properties_peer_id', 'Column1']);
    assert.deepEqual(projected.rows, [{ name: 'er-a', bw: 1000, properties_peer_id: '/S/1/C/ER-A', Column1: 'westeurope' }]);
    assert.deepEqual(names('Resources | order by name'), ['er-b', 'er-a', 'cn-1']);
    assert.deepEqual(names('Resources | order by location asc, name desc'), ['er-b', 'er-a', 'cn-1']);
    assert.deepEqual(names('Resources | sort by properties.bw asc | limit 2'), ['cn-1', 'er-b'], 'nulls first when ascending');
    const extended = runKql(parseKql("Resources | extend loc = toupper(location) | where loc == 'UKSOUTH' | project name, loc"), TABLE);
    assert.deepEqual(extended.rows, [{ name: 'er-b', loc: 'UKSOUTH' }]);
    assert.deepEqual(runKql(parseKql("Resources | where location == 'westeurope' | count"), TABLE).rows, [{ Count: 2 }]);
    assert.deepEqual(names("where location == 'uksouth'"), ['er-b'], 'a query may start with an operator');
  });

  it('should refuse what ARG refuses: syntax errors, unknown columns (case-sensitive), functions and tables', () => {
    fails('Resources | where', /ends where an expression was expected/, 'ParserFailure');
    fails("Resources | where name == 'x", /Unterminated string/);
    fails("Resources | where Type == 'x'", /Failed to resolve scalar expression named 'Type'/, 'FailedToResolveScalarExpression');
    fails('Resources | project name | where location == 1', /'location'/);
    fails('Resources | where frobnicate(name)', /Unknown function/, 'UnknownFunction');
    fails('Resources | summarize count() by type', /'summarize' is not supported by the simulator/, 'UnsupportedOperator');
    fails('ResourceContainers | take 1', /Table 'ResourceContainers'/, 'InvalidTable');
    fails('Resources | take ten', /row count/);
    fails('Resources where', /Expected '\|'/);
  });
});
