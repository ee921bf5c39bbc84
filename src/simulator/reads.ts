import { isCollectionPath, isResourcePath, parseArmPath } from './arm-path';
import { presentResource, virtualMachineInstanceView, VM_INSTANCE_VIEW } from './compute-reads';
import { effectiveRoutesRead } from './effective-routes';
import { locationOf } from './resource-location';
import { belongsToCollection } from './fleet';
import { operationUrl } from './lro-operations';
import { metricsResponse } from './metrics-response';
import { notFound } from './not-found';
import type { Json } from './resource-store';
import { apiVersionOf, armError, ok, type SimContext, type SimResponse } from './sim-http';
import { retryAfterHeader, type SimState } from './sim-state';
import { DEFAULT_PAGE_SIZE } from './simulator-settings';

const OPERATION = /^\/subscriptions\/([^/]+)\/providers\/microsoft\.network\/locations\/([^/]+)\/(operations|operationresults)\/([^/]+)$/i;
const METRICS = /^(.*)\/providers\/microsoft\.insights\/metrics$/i;
const CIRCUIT_STATS = /^(.*\/expressroutecircuits\/[^/]+)\/stats$/i;
const PEERING_STATS = /^((.*\/expressroutecircuits\/[^/]+)\/peerings\/[^/]+)\/stats$/i;
const DEVICE_READ = /^((.*\/expressroutecircuits\/[^/]+)\/peerings\/[^/]+)\/(routetables|routetablessummary|arptables)\/[^/]+$/i;
/** A NIC's effective routes: like the device reads, Azure asks the hosts (the NIC's VM), which takes seconds. */
const EFFECTIVE_ROUTES = /^(.*\/networkinterfaces\/[^/]+)\/effectiveroutetable$/i;

const ZERO_STATS = { primarybytesIn: 0, primarybytesOut: 0, secondarybytesIn: 0, secondarybytesOut: 0 };

export function handleGet(state: SimState, ctx: SimContext): SimResponse {
  const op = OPERATION.exec(ctx.path);
  if (op) return pollOperation(state, ctx, op[2] ?? '', (op[3] ?? '').toLowerCase(), op[4] ?? '');

  const metrics = METRICS.exec(ctx.path);
  if (metrics) return metricsResponse(state, ctx, metrics[1] ?? '');

  const stored = state.store.body(ctx.path);
  if (stored) return ok(stored);

  const peeringStats = PEERING_STATS.exec(ctx.path);
  if (peeringStats) {
    return state.store.has(peeringStats[1] ?? '') ? ok(ZERO_STATS) : notFound(state, peeringStats[1] ?? ctx.path);
  }
  const circuitStats = CIRCUIT_STATS.exec(ctx.path);
  if (circuitStats) {
    return state.store.has(circuitStats[1] ?? '') ? ok(ZERO_STATS) : notFound(state, circuitStats[1] ?? ctx.path);
  }

  const instanceView = VM_INSTANCE_VIEW.exec(ctx.path);
  if (instanceView)
    return ok200OrNotFound(state, instanceView[1] ?? ctx.path, virtualMachineInstanceView(state.store, instanceView[1] ?? ''));

  const p = parseArmPath(ctx.path);
  if (isResourcePath(p)) {
    const body = state.store.get(ctx.path);
    return ok200OrNotFound(state, ctx.path, body && presentResource(body, ctx.query));
  }
  if (isCollectionPath(p)) return list(state, ctx);
  return notFound(state, ctx.path);
}

function ok200OrNotFound(state: SimState, path: string, body: Json | undefined): SimResponse {
  return body ? ok(body) : notFound(state, path);
}

function list(state: SimState, ctx: SimContext): SimResponse {
  const p = parseArmPath(ctx.path);
  if (p.subscriptionId && p.resourceGroup && !state.store.knowsResourceGroup(p.subscriptionId, p.resourceGroup)) {
    return notFound(state, ctx.path);
  }
  let items: Json[];
  if (p.segments.length === 1) {
    // A subscription-wide list spans resource groups; a resource-group list is just its collection.
    items = p.resourceGroup ? state.store.listCollection(ctx.path) : state.store.listWhere((id) => belongsToCollection(id, ctx.path));
  } else {
    const parent = ctx.path.split('/').slice(0, -1).join('/');
    items = state.store.listCollection(ctx.path);
    // A fixture may hold children without their parent; only an empty list under a missing parent is a 404.
    if (items.length === 0 && !state.store.has(parent)) return notFound(state, parent);
  }
  return ok(
    page(
      state,
      ctx,
      items.map((item) => presentResource(item, ctx.query)),
    ),
  );
}

/** ARM paging: `value` plus an absolute `nextLink` carrying a skip token while more remain. */
function page(state: SimState, ctx: SimContext, items: Json[]): Json {
  const size = state.settings.pageSize ?? DEFAULT_PAGE_SIZE;
  const skip = Math.max(0, Number.parseInt(ctx.query.$skiptoken ?? '0', 10) || 0);
  const value = items.slice(skip, skip + size);
  if (skip + size >= items.length) return { value };
  const next = new URLSearchParams({ 'api-version': apiVersionOf(ctx), $skiptoken: String(skip + size) });
  return { value, nextLink: `${ctx.baseUrl}${ctx.path}?${next.toString()}` };
}

function pollOperation(state: SimState, ctx: SimContext, location: string, kind: string, id: string): SimResponse {
  const op = state.ops.get(id);
  if (!op) return armError(404, 'OperationNotFound', `The operation '${id}' could not be found.`);
  const inProgress = op.status === 'InProgress';
  if (kind === 'operations') {
    const body: Json = { name: op.id, status: op.status, startTime: new Date(op.startedAt).toISOString() };
    if (!inProgress) body.endTime = new Date(op.doneAt).toISOString();
    if (op.status === 'Failed' && op.failure) body.error = { code: op.failure.code, message: op.failure.message };
    return ok(body, 200, inProgress ? retryAfterHeader(state) : undefined);
  }
  if (inProgress) {
    return ok(undefined, 202, {
      Location: operationUrl(ctx.baseUrl, 'operationResults', op, location, apiVersionOf(ctx)),
      ...retryAfterHeader(state),
    });
  }
  if (op.status === 'Failed' && op.failure) return armError(400, op.failure.code, op.failure.message);
  return op.result ? ok(op.result) : ok(undefined, 204);
}

/** POST-style reads (route tables, summaries, ARP, other POST actions): 202 + Location, then the result. */
export function handlePost(state: SimState, ctx: SimContext): SimResponse {
  let result = state.store.body(ctx.path);
  const device = DEVICE_READ.exec(ctx.path);
  if (!result && device) {
    const [, peeringId = '', circuitId = ''] = device;
    if (!state.store.has(circuitId)) return notFound(state, circuitId);
    if (!state.store.has(peeringId)) return notFound(state, peeringId);
    // What ARM answers for a path with nothing learned: an empty table, not an error.
    result = { value: [] };
  }
  const effective = result ? undefined : EFFECTIVE_ROUTES.exec(ctx.path);
  let derive: (() => Json) | undefined;
  if (effective) {
    const nicId = effective[1] ?? '';
    if (!state.store.has(nicId)) return notFound(state, nicId);
    const read = effectiveRoutesRead(state.store, nicId);
    if ('error' in read) return read.error;
    derive = read.read;
  }
  if (!result && !derive) return notFound(state, ctx.path);
  const p = parseArmPath(ctx.path);
  // Device reads ask the Microsoft edge routers (or the hosts), which takes ARM seconds; other POST actions are quicker.
  const duration = (device || effective ? state.settings.deviceReadMs : undefined) ?? state.settings.lroDurationMs ?? 0;
  const op = state.ops.start({
    subscriptionId: p.subscriptionId ?? '00000000-0000-0000-0000-000000000000',
    startedAt: ctx.now,
    doneAt: ctx.now + duration,
    result,
    // A derived read reflects the state when it completes, so a route changed meanwhile shows.
    ...(derive ? { onComplete: () => (op.result = derive()) } : {}),
  });
  const location = locationOf(state, ctx.path);
  return ok(undefined, 202, {
    Location: operationUrl(ctx.baseUrl, 'operationResults', op, location, apiVersionOf(ctx)),
    ...retryAfterHeader(state),
  });
}
