import type {
  ExpressRouteCircuitAuthorization,
  ExpressRouteCircuitPeering,
  NetworkManagementClient,
  Route,
  RouteFilter,
  RouteFilterRule,
} from '@azure/arm-network';
import type { FullOperationResponse } from '@azure/core-client';
import { CodedError, ErrorCode } from '../errors';
import type { ArmResourceId } from '../network/arm-id';

/** What the writer needs of any arm-network LRO poller (they differ only in their result type). */
export interface ArmPoller {
  toString(): string;
  onProgress(callback: (state: { status: string }) => void): () => void;
  pollUntilDone(options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

export interface BeginOptions {
  updateIntervalInMs?: number;
  abortSignal?: AbortSignal;
  resumeFrom?: string;
  onResponse?: (raw: FullOperationResponse) => void;
}

function unsupported(id: ArmResourceId, method: string): CodedError {
  const what = [id.type, ...id.children.map((c) => c.type)].join('/');
  return new CodedError(ErrorCode.Internal, `The bot cannot send ${method} to ${what} ${id.name}.`, {
    hint: 'Tell the bot owners; this change is not wired to Azure.',
  });
}

/**
 * Starts (or resumes, with `resumeFrom`) the write of a resource related to a change's target, through the
 * matching arm-network operation group. `model` is the ARM model the body builder made.
 */
export function beginRelated(
  client: NetworkManagementClient,
  id: ArmResourceId,
  method: 'PUT' | 'PATCH' | 'DELETE',
  model: unknown,
  options: BeginOptions,
): Promise<ArmPoller> {
  const type = [id.type, ...id.children.map((c) => c.type)].join('/').toLowerCase();
  const child = id.children[0]?.name ?? '';
  const rg = id.resourceGroup;
  const put = method === 'PUT';
  if (!put && method !== 'DELETE') throw unsupported(id, method);
  switch (type) {
    case 'expressroutecircuits/peerings':
      return put
        ? client.expressRouteCircuitPeerings.beginCreateOrUpdate(rg, id.name, child, model as ExpressRouteCircuitPeering, options)
        : client.expressRouteCircuitPeerings.beginDelete(rg, id.name, child, options);
    case 'expressroutecircuits/authorizations':
      return put
        ? client.expressRouteCircuitAuthorizations.beginCreateOrUpdate(
            rg,
            id.name,
            child,
            model as ExpressRouteCircuitAuthorization,
            options,
          )
        : client.expressRouteCircuitAuthorizations.beginDelete(rg, id.name, child, options);
    case 'routefilters':
      if (!put) throw unsupported(id, method);
      return client.routeFilters.beginCreateOrUpdate(rg, id.name, model as RouteFilter, options);
    case 'routefilters/routefilterrules':
      if (!put) throw unsupported(id, method);
      return client.routeFilterRules.beginCreateOrUpdate(rg, id.name, child, model as RouteFilterRule, options);
    case 'routetables/routes':
      return put
        ? client.routes.beginCreateOrUpdate(rg, id.name, child, model as Route, options)
        : client.routes.beginDelete(rg, id.name, child, options);
    default:
      throw unsupported(id, method);
  }
}
