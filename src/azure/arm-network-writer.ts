import type { ExpressRouteCircuit, RouteFilter as ArmRouteFilter, RouteTable } from '@azure/arm-network';
import type { FullOperationResponse } from '@azure/core-client';
import { type ArmBodyBuilder, type BuiltWrite, isRelatedWrite } from '../changes/arm-body-builder';
import type { ChangeSubject, ChangeTargetType, DomainPatch, RequesterSecretReader, SecretRef } from '../changes/change-kind';
import type { NetworkWriter, WriteHooks, WriteResult } from '../changes/ports';
import { CodedError, ErrorCode } from '../errors';
import type { Logger } from '../log';
import type { Circuit, SubscriptionScope } from '../network/types';
import { type ArmResourceId, parseArmId } from '../network/arm-id';
import { toCodedError } from './arm-errors';
import { redactPollerState, redactSecrets } from './arm-write-redact';
import { withAuthorizationConnections } from './arm-network-reader';
import { relatedBody } from './arm-write-bodies';
import { toWriteFailure } from './arm-write-failure';
import { type ArmPoller, beginRelated } from './arm-write-related';
import type { ClientPool } from './client-pool';
import { toCircuit, toRouteFilter, toUdrTable } from './map-arm-models';

export interface ArmNetworkWriterOptions {
  pool: ClientPool;
  logger: Logger;
  /** How often to poll a write's operation; ARM's Retry-After wins. */
  updateIntervalInMs?: number;
  /** Called after every write that ARM accepted, e.g. to drop cached reads of the subscription. */
  onWritten?: (scope: SubscriptionScope) => void;
}

type WriteSpec = { targetId: string; method: 'PUT' | 'PATCH' | 'DELETE'; body: unknown };
type Poller = ArmPoller;

/** Resource types a change may bind to, by ARM type name. */
const TARGET_TYPES: Record<string, ChangeTargetType> = {
  expressroutecircuits: 'expressRouteCircuit',
  routetables: 'routeTable',
  routefilters: 'routeFilter',
};

/**
 * NetworkWriter and ArmBodyBuilder over the real ARM SDK, sharing the reader's clients (and so its
 * scheduler and credentials). ExpressRoute operations take no If-Match, so the workflow compares etags
 * itself just before calling `execute`.
 */
export class ArmNetworkWriter implements NetworkWriter, ArmBodyBuilder, RequesterSecretReader {
  private readonly pool: ClientPool;
  private readonly logger: Logger;
  private readonly updateIntervalInMs: number;
  private readonly onWritten: ((scope: SubscriptionScope) => void) | undefined;

  constructor(options: ArmNetworkWriterOptions) {
    this.pool = options.pool;
    this.logger = options.logger;
    this.updateIntervalInMs = options.updateIntervalInMs ?? 2_000;
    this.onWritten = options.onWritten;
  }

  async readForWrite(scope: SubscriptionScope, targetId: string): Promise<{ etag: string; body: unknown }> {
    const id = this.inScope(scope, targetId, true);
    const client = this.pool.networkClient(scope);
    try {
      const body =
        TARGET_TYPES[id.type.toLowerCase()] === 'routeTable'
          ? await client.routeTables.get(id.resourceGroup, id.name)
          : TARGET_TYPES[id.type.toLowerCase()] === 'routeFilter'
            ? await client.routeFilters.get(id.resourceGroup, id.name)
            : await client.expressRouteCircuits.get(id.resourceGroup, id.name);
      return { etag: body.etag ?? '', body };
    } catch (e) {
      throw toCodedError(e, { subscriptionId: scope.subscriptionId, resource: `${id.type} ${id.name}` });
    }
  }

  buildBody(patch: DomainPatch, rawBody: unknown): BuiltWrite {
    if (patch.resource !== 'expressRouteCircuit') {
      const related = relatedBody(patch, rawBody);
      return { method: related.method, body: related.body, stored: redactSecrets(related.body) };
    }
    const body = structuredClone(asCircuitModel(rawBody));
    // ARM computes these; keeping them out makes the stored body (and its hash) only what we ask for.
    const mutable = body as Record<string, unknown>;
    delete mutable.etag;
    delete mutable.provisioningState;
    if (patch.bandwidthMbps !== undefined) {
      if (body.expressRoutePort?.id) body.bandwidthInGbps = patch.bandwidthMbps / 1000;
      else body.serviceProviderProperties = { ...body.serviceProviderProperties, bandwidthInMbps: patch.bandwidthMbps };
    }
    if (patch.sku) body.sku = { name: `${patch.sku.tier}_${patch.sku.family}`, tier: patch.sku.tier, family: patch.sku.family };
    return { method: 'PUT', body, stored: redactSecrets(body) };
  }

  circuitOf(rawBody: unknown): Circuit {
    const model = asCircuitModel(rawBody);
    return withAuthorizationConnections(toCircuit(model), model);
  }

  subjectOf(target: ChangeTargetType, rawBody: unknown): ChangeSubject {
    if (target === 'expressRouteCircuit') return this.circuitOf(rawBody);
    if (target === 'routeTable') {
      const model = asCircuitModel(rawBody) as RouteTable;
      const t = toUdrTable(model);
      return { kind: 'routeTable', ...t, ...(model.etag ? { etag: model.etag } : {}), provisioningState: model.provisioningState ?? '' };
    }
    const model = asCircuitModel(rawBody) as ArmRouteFilter;
    const f = toRouteFilter(model);
    return { kind: 'routeFilter', ...f, ...(model.etag ? { etag: model.etag } : {}), provisioningState: model.provisioningState ?? '' };
  }

  /** An authorization key, fresh from ARM, for delivery to its requester only. Never cached or logged. */
  async readSecret(scope: SubscriptionScope, ref: SecretRef): Promise<string> {
    const id = this.inScope(scope, ref.resourceId, false);
    const child = id.children[0];
    if (
      ref.kind !== 'authorizationKey' ||
      id.type.toLowerCase() !== 'expressroutecircuits' ||
      id.children.length !== 1 ||
      child?.type.toLowerCase() !== 'authorizations'
    ) {
      throw new CodedError(ErrorCode.BadInput, 'That is not a circuit authorization.', {
        hint: 'Only authorization keys are delivered this way.',
      });
    }
    try {
      const auth = await this.pool.networkClient(scope).expressRouteCircuitAuthorizations.get(id.resourceGroup, id.name, child.name);
      if (ref.etag !== undefined && auth.etag !== ref.etag) {
        throw new CodedError(
          ErrorCode.Forbidden,
          `Authorization ${child.name} is not the one the request created: it was changed, or revoked and created again under the same name, since.`,
          {
            hint: "Its key is not this request's to give; nothing was shown. Ask for a new authorization if you still need one.",
          },
        );
      }
      if (!auth.authorizationKey) {
        throw new CodedError(ErrorCode.ArmUnavailable, `Azure returned no key for authorization ${child.name} yet.`, {
          hint: 'Ask again in a minute.',
        });
      }
      return auth.authorizationKey;
    } catch (e) {
      if (e instanceof CodedError) throw e;
      throw toCodedError(e, { subscriptionId: scope.subscriptionId, resource: `authorization ${child.name}` });
    }
  }

  async execute(scope: SubscriptionScope, write: WriteSpec, hooks: WriteHooks): Promise<WriteResult> {
    const id = this.writtenId(scope, write);
    let correlationId: string | undefined;
    let accepted = false;
    let poller: Poller;
    try {
      poller = await this.begin(scope, write, {
        updateIntervalInMs: this.updateIntervalInMs,
        ...(hooks.abortSignal ? { abortSignal: hooks.abortSignal } : {}),
        onResponse: (raw: FullOperationResponse) => {
          // The first response is the PUT's; the SDK polls once more before it hands back the poller.
          if (correlationId === undefined) accepted = raw.status >= 200 && raw.status < 300;
          correlationId ??= raw.headers.get('x-ms-correlation-request-id');
        },
      });
    } catch (e) {
      const failure = { ...toWriteFailure(e, correlationId), ...(accepted ? { submitted: true } : {}) };
      this.logger.warn(
        { circuit: id.name, code: failure.code, transient: failure.transient, accepted, correlationId: failure.correlationId },
        accepted ? 'arm write accepted but its first poll failed' : 'arm write not accepted',
      );
      if (accepted) this.onWritten?.(scope);
      return failure;
    }
    this.logger.info({ circuit: id.name, correlationId }, 'arm write submitted');
    this.onWritten?.(scope);
    // Saved before any further polling: a crash from here on resumes this operation instead of submitting again.
    await hooks.onSubmitted(redactPollerState(poller.toString()), correlationId);
    return this.follow(scope, id, poller, hooks, correlationId);
  }

  async resume(scope: SubscriptionScope, write: WriteSpec, pollerState: string, hooks: WriteHooks): Promise<WriteResult> {
    const id = this.writtenId(scope, write);
    let poller: Poller;
    try {
      // With resumeFrom the SDK restores the operation and polls it; it sends no PUT (checked in tests).
      poller = await this.begin(scope, write, {
        resumeFrom: pollerState,
        updateIntervalInMs: this.updateIntervalInMs,
        ...(hooks.abortSignal ? { abortSignal: hooks.abortSignal } : {}),
      });
    } catch (e) {
      const failure = toWriteFailure(e);
      this.logger.warn({ circuit: id.name, code: failure.code, transient: failure.transient }, 'arm write could not be resumed');
      return failure;
    }
    this.logger.info({ circuit: id.name }, 'arm write resumed');
    return this.follow(scope, id, poller, hooks, undefined);
  }

  private async follow(
    scope: SubscriptionScope,
    id: ArmResourceId,
    poller: Poller,
    hooks: WriteHooks,
    correlationId: string | undefined,
  ): Promise<WriteResult> {
    const unsubscribe = poller.onProgress((state) => hooks.onProgress?.(state.status));
    try {
      const result = await poller.pollUntilDone(hooks.abortSignal ? { abortSignal: hooks.abortSignal } : undefined);
      this.onWritten?.(scope);
      this.logger.info(
        { circuit: id.name, correlationId, provisioningState: (result as { provisioningState?: string } | undefined)?.provisioningState },
        'arm write finished',
      );
      return { ok: true, body: result, ...(correlationId ? { correlationId } : {}) };
    } catch (e) {
      this.onWritten?.(scope);
      const failure = toWriteFailure(e, correlationId);
      this.logger.warn({ circuit: id.name, code: failure.code, transient: failure.transient, correlationId }, 'arm write failed');
      return failure;
    } finally {
      unsubscribe();
    }
  }

  /** Starts (or, with resumeFrom, resumes) the write: the circuit itself, or the related resource it names. */
  private begin(scope: SubscriptionScope, write: WriteSpec, options: Parameters<typeof beginRelated>[4]): Promise<Poller> {
    const client = this.pool.networkClient(scope);
    if (isRelatedWrite(write.body)) {
      const id = this.inScope(scope, write.body.$write.resourceId, false);
      return beginRelated(client, id, write.method, write.body.model, options);
    }
    const id = this.inScope(scope, write.targetId, true);
    if (write.method !== 'PUT' || id.type.toLowerCase() !== 'expressroutecircuits') {
      throw new CodedError(ErrorCode.Internal, `The bot cannot send ${write.method} to ${id.type} ${id.name}.`, {
        hint: 'Tell the bot owners; circuit changes are sent as PUT.',
      });
    }
    return client.expressRouteCircuits.beginCreateOrUpdate(id.resourceGroup, id.name, asCircuitModel(write.body), options);
  }

  /** The resource the write goes to, for logs: the related resource when there is one. */
  private writtenId(scope: SubscriptionScope, write: WriteSpec): ArmResourceId {
    return this.inScope(scope, isRelatedWrite(write.body) ? write.body.$write.resourceId : write.targetId, !isRelatedWrite(write.body));
  }

  private inScope(scope: SubscriptionScope, resourceId: string, topLevel: boolean): ArmResourceId {
    const id = parseArmId(resourceId);
    const known = TARGET_TYPES[id.type.toLowerCase()] !== undefined && id.provider.toLowerCase() === 'microsoft.network';
    if (!known || (topLevel && id.children.length > 0)) {
      throw new CodedError(ErrorCode.BadInput, `The bot cannot change ${id.type} ${id.name}.`, {
        hint: 'Changes apply to ExpressRoute circuits, route tables and route filters.',
      });
    }
    if (id.subscriptionId.toLowerCase() !== scope.subscriptionId.toLowerCase()) {
      throw new CodedError(ErrorCode.BadInput, `${id.name} is not in subscription ${scope.subscriptionId}.`, {
        hint: "Name it through the customer that owns it, e.g. 'customer/circuit'.",
      });
    }
    return id;
  }
}

function asCircuitModel(body: unknown): ExpressRouteCircuit {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new CodedError(ErrorCode.Internal, 'The circuit body to write is not an object.', {
      hint: 'Tell the bot owners; the stored change request looks damaged.',
    });
  }
  return body;
}
