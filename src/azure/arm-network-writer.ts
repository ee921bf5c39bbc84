import type { ExpressRouteCircuit, NetworkManagementClient } from '@azure/arm-network';
import type { FullOperationResponse } from '@azure/core-client';
import type { ArmBodyBuilder, BuiltWrite } from '../changes/arm-body-builder';
import type { DomainPatch } from '../changes/change-kind';
import type { NetworkWriter, WriteHooks, WriteResult } from '../changes/ports';
import { CodedError, ErrorCode } from '../errors';
import type { Logger } from '../log';
import type { Circuit, SubscriptionScope } from '../network/types';
import { type ArmResourceId, parseCircuitId } from './arm-id';
import { toCodedError } from './arm-errors';
import { redactSecrets } from './arm-write-redact';
import { toWriteFailure } from './arm-write-failure';
import type { ClientPool } from './client-pool';
import { toCircuit } from './map-arm-models';

export interface ArmNetworkWriterOptions {
  pool: ClientPool;
  logger: Logger;
  /** How often to poll a write's operation; ARM's Retry-After wins. */
  updateIntervalInMs?: number;
  /** Called after every write that ARM accepted, e.g. to drop cached reads of the subscription. */
  onWritten?: (scope: SubscriptionScope) => void;
}

type WriteSpec = { targetId: string; method: 'PUT' | 'PATCH' | 'DELETE'; body: unknown };
type Poller = Awaited<ReturnType<NetworkManagementClient['expressRouteCircuits']['beginCreateOrUpdate']>>;

/**
 * NetworkWriter and ArmBodyBuilder over the real ARM SDK, sharing the reader's clients (and so its
 * scheduler and credentials). ExpressRoute operations take no If-Match, so the workflow compares etags
 * itself just before calling `execute`.
 */
export class ArmNetworkWriter implements NetworkWriter, ArmBodyBuilder {
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
    const id = this.circuitInScope(scope, targetId);
    try {
      const circuit = await this.pool.networkClient(scope).expressRouteCircuits.get(id.resourceGroup, id.name);
      return { etag: circuit.etag ?? '', body: circuit };
    } catch (e) {
      throw toCodedError(e, { subscriptionId: scope.subscriptionId, resource: `circuit ${id.name}` });
    }
  }

  buildBody(patch: DomainPatch, rawBody: unknown): BuiltWrite {
    if (patch.resource !== 'expressRouteCircuit') {
      throw new CodedError(ErrorCode.Internal, `The bot cannot build an ARM request for ${String(patch.resource)} yet.`, {
        hint: 'Tell the bot owners; this change kind is not wired to Azure.',
      });
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
    return toCircuit(asCircuitModel(rawBody));
  }

  async execute(scope: SubscriptionScope, write: WriteSpec, hooks: WriteHooks): Promise<WriteResult> {
    const id = this.circuitInScope(scope, write.targetId);
    let correlationId: string | undefined;
    let accepted = false;
    let poller: Poller;
    try {
      poller = await this.pool.networkClient(scope).expressRouteCircuits.beginCreateOrUpdate(
        id.resourceGroup,
        id.name,
        this.putBody(write),
        {
          updateIntervalInMs: this.updateIntervalInMs,
          ...(hooks.abortSignal ? { abortSignal: hooks.abortSignal } : {}),
          onResponse: (raw: FullOperationResponse) => {
            // The first response is the PUT's; the SDK polls once more before it hands back the poller.
            if (correlationId === undefined) accepted = raw.status >= 200 && raw.status < 300;
            correlationId ??= raw.headers.get('x-ms-correlation-request-id');
          },
        },
      );
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
    await hooks.onSubmitted(poller.toString(), correlationId);
    return this.follow(scope, id, poller, hooks, correlationId);
  }

  async resume(scope: SubscriptionScope, write: WriteSpec, pollerState: string, hooks: WriteHooks): Promise<WriteResult> {
    const id = this.circuitInScope(scope, write.targetId);
    let poller: Poller;
    try {
      // With resumeFrom the SDK restores the operation and polls it; it sends no PUT (checked in tests).
      poller = await this.pool.networkClient(scope).expressRouteCircuits.beginCreateOrUpdate(id.resourceGroup, id.name, this.putBody(write), {
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
      this.logger.info({ circuit: id.name, correlationId, provisioningState: result.provisioningState }, 'arm write finished');
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

  private putBody(write: WriteSpec): ExpressRouteCircuit {
    if (write.method !== 'PUT') {
      throw new CodedError(ErrorCode.Internal, `The bot cannot send ${write.method} to a circuit.`, {
        hint: 'Tell the bot owners; circuit changes are sent as PUT.',
      });
    }
    return asCircuitModel(write.body);
  }

  private circuitInScope(scope: SubscriptionScope, targetId: string): ArmResourceId {
    const id = parseCircuitId(targetId);
    if (id.subscriptionId.toLowerCase() !== scope.subscriptionId.toLowerCase()) {
      throw new CodedError(ErrorCode.BadInput, `Circuit ${id.name} is not in subscription ${scope.subscriptionId}.`, {
        hint: "Name the circuit through the customer that owns it, e.g. 'customer/circuit'.",
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
  return body as ExpressRouteCircuit;
}
