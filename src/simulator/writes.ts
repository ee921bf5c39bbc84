import { armKey, isResourcePath, lastSegment, parentId, parseArmPath, resourceType, topLevelId } from './arm-path';
import { newEtag } from './etag';
import { operationUrl } from './lro-operations';
import { notFound } from './not-found';
import { keepReadOnlyFacts } from './read-only-facts';
import { resourceDefaults } from './resource-defaults';
import { locationOf } from './resource-location';
import { clone, type Json } from './resource-store';
import { apiVersionOf, armError, ok, type SimContext, type SimResponse } from './sim-http';
import { retryAfterHeader, type SimState } from './sim-state';
import { afterWrite } from './write-effects';
import { takeOperationFailure } from './fault-injector';
import type { WriteAttempt } from './write-rule';
import { checkWriteRules } from './write-rules';

/** ARM's writes (PUT, PATCH, DELETE): rule checks, long-running operations, provisioning states and etags. */

const BUSY_STATES = new Set(['updating', 'creating', 'deleting']);

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function provisioningState(body: Json | undefined): string | undefined {
  const p = isObject(body?.properties) ? body.properties : undefined;
  return typeof p?.provisioningState === 'string' ? p.provisioningState : undefined;
}

/** PUT / PATCH / DELETE through ARM's long-running-operation protocol, with ARM's rules enforced first. */
export function handleWrite(state: SimState, ctx: SimContext): SimResponse {
  const p = parseArmPath(ctx.path);
  if (!isResourcePath(p) || !p.subscriptionId) {
    return armError(400, 'InvalidRequestUri', `'${ctx.method} ${ctx.path}' does not name a resource.`);
  }
  if (p.resourceGroup && !state.store.knowsResourceGroup(p.subscriptionId, p.resourceGroup)) {
    return notFound(state, ctx.path);
  }
  const id = ctx.path;
  const existing = state.store.get(id);
  const parent = parentId(p);
  const parentBody = parent ? state.store.get(parent) : undefined;
  if (parent && !parentBody) {
    return armError(
      404,
      'ParentResourceNotFound',
      `Can not perform requested operation on nested resource. Parent resource '${lastSegment(parent)}' not found.`,
    );
  }
  const busy = busyReason(state, id, existing);
  if (busy) return armError(429, 'RetryableErrorDueToAnotherOperation', busy);

  if (ctx.method === 'DELETE') return remove(state, ctx, id, existing, parentBody);
  if (!isObject(ctx.body)) {
    return armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
  }
  if (ctx.method === 'PATCH') return patch(state, ctx, id, existing, parentBody, ctx.body);
  return put(state, ctx, id, existing, parentBody, ctx.body);
}

/** ARM (Network RP) refuses a write while another one runs on the same top-level resource. */
function busyReason(state: SimState, id: string, existing: Json | undefined): string | undefined {
  const top = topLevelId(parseArmPath(id)) ?? id;
  const running = state.ops.running(armKey(top));
  const topState = provisioningState(state.store.get(top));
  const ownState = provisioningState(existing);
  if (!running && !BUSY_STATES.has((topState ?? '').toLowerCase()) && !BUSY_STATES.has((ownState ?? '').toLowerCase())) {
    return undefined;
  }
  const what = running ? `Operation ${running.id}` : `The resource is in provisioning state '${topState ?? ownState}' and`;
  return `${what} is still in progress on '${lastSegment(top)}'. Retry after the running operation completes.`;
}

function attempt(
  state: SimState,
  method: WriteAttempt['method'],
  id: string,
  existing?: Json,
  parentBody?: Json,
  proposed?: Json,
): WriteAttempt {
  const p = parseArmPath(id);
  return {
    method,
    id,
    type: resourceType(p),
    name: lastSegment(id),
    store: state.store,
    ...(existing ? { existing } : {}),
    ...(proposed ? { proposed } : {}),
    ...(parentBody ? { parent: parentBody } : {}),
  };
}

function put(
  state: SimState,
  ctx: SimContext,
  id: string,
  existing: Json | undefined,
  parentBody: Json | undefined,
  request: Json,
): SimResponse {
  const p = parseArmPath(id);
  const name = lastSegment(id);
  const requestProps = isObject(request.properties) ? request.properties : {};
  const base = existing ?? resourceDefaults(resourceType(p), id, name);
  const baseProps = isObject(base.properties) ? base.properties : {};
  // PUT replaces what the caller may write; read-only facts (service key, provider state, …) stay ARM's.
  const proposed: Json = {
    ...base,
    ...request,
    id: existing?.id ?? id,
    name,
    properties: { ...baseProps, ...requestProps },
  };
  if (p.segments.length === 2) proposed.type = `${p.namespace}/${p.segments[0]}`;
  else proposed.type ??= base.type;
  fixSku(proposed);
  keepReadOnlyFacts(resourceType(p), existing, proposed);
  const rejection = checkWriteRules(attempt(state, 'PUT', id, existing, parentBody, proposed));
  if (rejection) return armError(rejection.status, rejection.code, rejection.message);
  return startWrite(state, ctx, id, proposed, existing ? 200 : 201, existing);
}

function patch(
  state: SimState,
  ctx: SimContext,
  id: string,
  existing: Json | undefined,
  parentBody: Json | undefined,
  request: Json,
): SimResponse {
  if (!existing) return notFound(state, id);
  const proposed: Json = { ...existing, ...request, id: existing.id, name: existing.name };
  if (isObject(request.properties) && isObject(existing.properties)) {
    proposed.properties = { ...existing.properties, ...request.properties };
  }
  fixSku(proposed);
  const rejection = checkWriteRules(attempt(state, 'PATCH', id, existing, parentBody, proposed));
  if (rejection) return armError(rejection.status, rejection.code, rejection.message);
  // Tag updates (the SDK's updateTags) complete synchronously in ARM.
  state.store.put(id, proposed);
  touchEtags(state, id);
  state.timeline.noteWrite(ctx.path, ctx.now);
  return ok(state.store.get(id));
}

function remove(state: SimState, ctx: SimContext, id: string, existing: Json | undefined, parentBody: Json | undefined): SimResponse {
  if (!existing) return ok(undefined, 204);
  const rejection = checkWriteRules(attempt(state, 'DELETE', id, existing, parentBody));
  if (rejection) return armError(rejection.status, rejection.code, rejection.message);
  state.store.patchOwn(id, (own) => setProvisioningState(own, 'Deleting'));
  const op = beginOperation(
    state,
    ctx,
    id,
    () => {
      state.store.remove(id);
      const parent = parentId(parseArmPath(id));
      if (parent) state.store.patchOwn(parent, (own) => (own.etag = newEtag()));
    },
    () => state.store.patchOwn(id, (own) => setProvisioningState(own, 'Failed')),
  );
  const location = locationOf(state, id);
  return ok(undefined, 202, {
    'Azure-AsyncOperation': operationUrl(ctx.baseUrl, 'operations', op, location, apiVersionOf(ctx)),
    Location: operationUrl(ctx.baseUrl, 'operationResults', op, location, apiVersionOf(ctx)),
    ...retryAfterHeader(state),
  });
}

function startWrite(state: SimState, ctx: SimContext, id: string, proposed: Json, status: number, existing?: Json): SimResponse {
  setProvisioningState(proposed, 'Updating');
  state.store.put(id, proposed);
  touchEtags(state, id);
  const op = beginOperation(
    state,
    ctx,
    id,
    () => {
      state.store.patchOwn(id, (own) => setProvisioningState(own, 'Succeeded'));
      afterWrite(state, id);
    },
    // A failed write leaves the old resource marked Failed, or no resource when it was a create.
    () => {
      if (!existing) return state.store.remove(id);
      state.store.put(id, existing);
      state.store.patchOwn(id, (own) => setProvisioningState(own, 'Failed'));
      touchEtags(state, id);
    },
  );
  return ok(state.store.get(id), status, {
    'Azure-AsyncOperation': operationUrl(ctx.baseUrl, 'operations', op, locationOf(state, id), apiVersionOf(ctx)),
    ...retryAfterHeader(state),
  });
}

function beginOperation(state: SimState, ctx: SimContext, id: string, onComplete: () => void, onFail: () => void) {
  const p = parseArmPath(id);
  const failure = takeOperationFailure(state.settings.operationFailures, ctx.method, ctx.path);
  const doneAt = ctx.now + (state.settings.lroDurationMs ?? 0);
  return state.ops.start({
    subscriptionId: p.subscriptionId ?? '',
    lockKey: lockKeyOf(id),
    startedAt: ctx.now,
    doneAt,
    result: undefined,
    onComplete: () => {
      onComplete();
      state.timeline.noteWrite(ctx.path, doneAt);
    },
    onFail,
    ...(failure ? { failure: { code: failure.code, message: failure.message } } : {}),
  });
}

function lockKeyOf(id: string): string {
  return armKey(topLevelId(parseArmPath(id)) ?? id);
}

/** Every write gives the resource (and its parent, whose body includes it) a new etag, as ARM does. */
function touchEtags(state: SimState, id: string): void {
  state.store.patchOwn(id, (own) => (own.etag = newEtag()));
  const parent = parentId(parseArmPath(id));
  if (parent) state.store.patchOwn(parent, (own) => (own.etag = newEtag()));
}

function setProvisioningState(body: Json, value: string): void {
  const props = isObject(body.properties) ? body.properties : (body.properties = {});
  props.provisioningState = value;
}

/** ARM derives sku.name from tier and family. */
function fixSku(body: Json): void {
  if (!isObject(body.sku)) return;
  const sku = clone(body.sku);
  if (typeof sku.tier === 'string' && typeof sku.family === 'string') sku.name = `${sku.tier}_${sku.family}`;
  body.sku = sku;
}
