import type { TokenCredential } from '@azure/core-auth';
import { createHttpHeaders, createPipelineRequest } from '@azure/core-rest-pipeline';
import { isRecord, LeanJsonClient, shapeError, type LeanClientOptions } from './lean-pipeline';

/** Microsoft.ResourceGraph/resources (REST spec: resourcegraph/resource-manager, stable 2021-03-01). */
export const RESOURCE_GRAPH_API_VERSION = '2021-03-01';
const WHAT = 'Resource Graph answered';

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
    const { data, $skipToken } = body as { data?: unknown; $skipToken?: unknown };
    if (!Array.isArray(data)) throw shapeError(WHAT, 'data: expected an array of rows (resultFormat objectArray)', request);
    if ($skipToken !== undefined && $skipToken !== null && typeof $skipToken !== 'string') {
      throw shapeError(WHAT, '$skipToken: expected a string', request);
    }
    return { data, ...(typeof $skipToken === 'string' && $skipToken !== '' ? { skipToken: $skipToken } : {}) };
  }
}
