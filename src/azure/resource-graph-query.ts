import type { TokenCredential } from '@azure/core-auth';
import { createHttpHeaders, createPipelineRequest, RestError, type PipelineRequest } from '@azure/core-rest-pipeline';
import { isRecord, LeanJsonClient, shapeError, type LeanClientOptions } from './lean-pipeline';

/** Microsoft.ResourceGraph/resources (REST spec: resourcegraph/resource-manager, stable 2021-03-01). */
export const RESOURCE_GRAPH_API_VERSION = '2021-03-01';
const WHAT = 'Resource Graph answered';

/**
 * The code of the error for an answer Resource Graph cut short: `resultTruncated` with no `$skipToken` to read the
 * rest ("Paging results" in the Resource Graph docs: a query with limit/take/sample, or whose output columns are
 * all dynamic or null, cannot be paged). Sending again gets the same answer, so it is not retried.
 */
export const RESULT_TRUNCATED = 'ResultTruncated';

export interface ResourceGraphPage {
  /** The rows (resultFormat objectArray). */
  data: unknown[];
  /** Set when more rows follow: send it back as `options.$skipToken`. */
  skipToken?: string;
}

/**
 * One Resource Graph query page for one tenant: the lean sender (request id, user agent, scheduler, bearer token) over the watcher's
 * transport, the QueryRequest and QueryResponse of the REST spec written and read here. Replaces
 * @azure/arm-resourcegraph 4.x, whose ms-rest-js stack cost every watch cycle's inventory read more than the
 * query's own rows did.
 */
export class ResourceGraphQueryClient extends LeanJsonClient {
  constructor(endpoint: string, credential: TokenCredential, options: LeanClientOptions) {
    super(endpoint, credential, options, WHAT);
  }

  async resources(
    subscriptions: readonly string[],
    query: string,
    page: { top: number; skipToken?: string; abortSignal?: AbortSignal; background?: boolean },
  ): Promise<ResourceGraphPage> {
    const request = createPipelineRequest({
      url: `${this.endpoint}/providers/Microsoft.ResourceGraph/resources?api-version=${RESOURCE_GRAPH_API_VERSION}`,
      method: 'POST',
      headers: createHttpHeaders({ accept: 'application/json', 'content-type': 'application/json' }),
      body: JSON.stringify({
        subscriptions,
        query,
        options: { resultFormat: 'objectArray', $top: page.top, ...(page.skipToken ? { $skipToken: page.skipToken } : {}) },
      }),
      ...(page.abortSignal ? { abortSignal: page.abortSignal } : {}),
    });
    const body = await this.send(request, page.background);
    if (!isRecord(body)) throw shapeError(WHAT, 'body: expected an object', request);
    const { data, $skipToken, resultTruncated } = body as { data?: unknown; $skipToken?: unknown; resultTruncated?: unknown };
    if (!Array.isArray(data)) throw shapeError(WHAT, 'data: expected an array of rows (resultFormat objectArray)', request);
    if ($skipToken !== undefined && $skipToken !== null && typeof $skipToken !== 'string') {
      throw shapeError(WHAT, '$skipToken: expected a string', request);
    }
    // The spec's enum is "true" / "false"; a boolean is read as one. Anything else could hide rows missing.
    if (resultTruncated !== undefined && resultTruncated !== null && !['true', 'false', true, false].includes(resultTruncated as string)) {
      throw shapeError(WHAT, 'resultTruncated: expected "true" or "false"', request);
    }
    const skipToken = typeof $skipToken === 'string' && $skipToken !== '' ? $skipToken : undefined;
    // Rows left out would look like resources that are gone: a watched circuit's alerts would resolve by themselves.
    if (skipToken === undefined && (resultTruncated === 'true' || resultTruncated === true))
      throw truncatedError(body, data.length, request);
    return { data, ...(skipToken !== undefined ? { skipToken } : {}) };
  }
}

function truncatedError(body: Record<string, unknown>, rows: number, request: PipelineRequest): RestError {
  const total = typeof body.totalRecords === 'number' ? ` of ${body.totalRecords}` : '';
  return new RestError(
    `${WHAT} with ${rows}${total} rows and no $skipToken to read the rest (resultTruncated); ` +
      'an answer with rows missing is not used, as what it leaves out would look deleted.',
    { code: RESULT_TRUNCATED, statusCode: 200, request },
  );
}
