import type { Json } from '../resource-store';
import { armError, ok, type SimContext, type SimResponse } from '../sim-http';
import type { SimState } from '../sim-state';
import { badRequest, invalidQuery } from './arg-error';
import { RESOURCE_COLUMNS, resourceRows } from './arg-rows';
import { KqlError } from './kql-error';
import { parseKql } from './kql-parser';
import { runKql, type Table } from './kql-run';
import { toPage, type PageRequest } from './arg-paging';

export const RESOURCE_GRAPH_PATH = /^\/providers\/microsoft\.resourcegraph\/resources$/i;

/** api-versions of Microsoft.ResourceGraph/resources; @azure/arm-resourcegraph 4.2.1 sends 2021-03-01. */
const API_VERSIONS = new Set(['2019-04-01', '2020-04-01-preview', '2021-03-01', '2021-06-01-preview', '2022-10-01', '2024-04-01']);

/** POST /providers/Microsoft.ResourceGraph/resources: a KQL query over the fleet's resources, paged. */
export function handleResourceGraph(state: SimState, ctx: SimContext): SimResponse {
  const apiVersion = ctx.query['api-version'];
  if (!apiVersion) {
    return armError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
  }
  if (!API_VERSIONS.has(apiVersion)) {
    return armError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${apiVersion}' is invalid. The supported versions are '${[...API_VERSIONS].join(',')}'.`,
    );
  }
  const request = readRequest(ctx.body);
  if (typeof request === 'string') return badRequest(request);
  let result: Table;
  let pageable: boolean;
  try {
    const query = parseKql(request.query);
    // "Paging results" (Resource Graph docs): a query with a limit/take operator cannot be paged; its answer is
    // one page, resultTruncated when rows were left out, and never has a $skipToken.
    pageable = !query.stages.some((stage) => stage.kind === 'take');
    const scope = new Set((request.subscriptions ?? state.store.subscriptions()).map((s) => s.toLowerCase()));
    result = runKql(query, { Resources: { columns: [...RESOURCE_COLUMNS], rows: resourceRows(state.store, scope) } });
  } catch (e) {
    if (e instanceof KqlError) return invalidQuery(request.query, e);
    throw e;
  }
  const page = toPage(result.rows.length, request.page);
  if (typeof page === 'string') return badRequest(page);
  const rows = result.rows.slice(page.offset, page.offset + page.size);
  const body: Json = {
    totalRecords: result.rows.length,
    count: rows.length,
    resultTruncated: page.nextToken && !pageable ? 'true' : 'false',
    ...(page.nextToken && pageable ? { $skipToken: page.nextToken } : {}),
    data: request.resultFormat === 'table' ? asTable(result.columns, rows) : rows,
    facets: [],
  };
  return ok(body);
}

interface QueryRequest {
  query: string;
  subscriptions?: string[];
  resultFormat: 'objectArray' | 'table';
  page: PageRequest;
}

function readRequest(body: unknown): QueryRequest | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'The request body must be a JSON object with a "query".';
  const b = body as Record<string, unknown>;
  if (typeof b.query !== 'string' || b.query.trim() === '') return 'The request must have a non-empty string "query".';
  if (b.subscriptions !== undefined && !(Array.isArray(b.subscriptions) && b.subscriptions.every((s) => typeof s === 'string'))) {
    return '"subscriptions" must be an array of subscription ids.';
  }
  const options = (b.options ?? {}) as Record<string, unknown>;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return '"options" must be an object.';
  const format = options.resultFormat ?? 'objectArray';
  if (format !== 'objectArray' && format !== 'table')
    return `"options.resultFormat" must be "objectArray" or "table", got ${JSON.stringify(format)}.`;
  return {
    query: b.query,
    ...(Array.isArray(b.subscriptions) ? { subscriptions: b.subscriptions } : {}),
    resultFormat: format,
    page: { top: options.$top, skip: options.$skip, skipToken: options.$skipToken },
  };
}

function asTable(columns: string[], rows: Json[]): Json {
  return {
    columns: columns.map((name) => ({ name, type: columnType(rows.map((r) => r[name])) })),
    rows: rows.map((r) => columns.map((c) => r[c] ?? null)),
  };
}

function columnType(values: unknown[]): string {
  const v = values.find((x) => x !== null && x !== undefined);
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return 'object';
}
