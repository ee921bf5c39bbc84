import { z } from 'zod';
import type { Clock } from '../clock';
import type { Access } from '../directory/access';
import type { Customer, Person } from '../directory/directory';
import { CodedError, ErrorCode } from '../errors';
import type { CommandRef } from '../command-names';
import type { Logger } from '../log';
import { networkResourceId } from '../network/arm-id';
import type { EffectiveRoutesReader } from '../network/effective-routes';
import type { NetworkReader, SubscriptionScope } from '../network/types';
import { approvalComplete, approvalCount, approvalRoom } from './approval-rule';
import { type ArmBodyBuilder, subjectOf } from './arm-body-builder';
import type {
  ChangeSubject,
  ChangeTargetType,
  CircuitLinksReader,
  KindContext,
  PortCircuitsReader,
  Refusal,
  RequesterSecretReader,
  SecretRef,
  Undo,
  VerifyContext,
} from './change-kind';
import { afterOverride, freezeNow, whenMayRun } from './change-calendar';
import { auditEntry, type ChangeEvent, ChangeEvents, type ChangeListener, SYSTEM_ACTOR } from './change-events';
import { type ChangeKinds, defaultChangeKinds, type Rerequest } from './change-kinds';

export type { Rerequest } from './change-kinds';
import { type Actor, type AuditEntry, ChangeRequest, type ChangeState, type Override } from './change-request';
import { ChangeExecutor, type ExecutorLimits, type Gate } from './executor';
import { holdsLock, TargetBusy } from './target-lock';
import { type IdGenerator, randomRequestId } from './id-generator';
import { planChange } from './plan-change';
import type { ChangeStore, NetworkWriter } from './ports';

/** A secret read for its requester: what it is and the value, to be shown in their 1:1 chat only. */
export interface RevealedSecret {
  request: ChangeRequest;
  label: string;
  secret: string;
}

export interface ChangeWorkflowOptions {
  store: ChangeStore;
  reader: NetworkReader;
  writer: NetworkWriter;
  builder: ArmBodyBuilder;
  access: Access;
  clock: Clock;
  logger: Logger;
  kinds?: ChangeKinds;
  idGenerator?: IdGenerator;
  links?: CircuitLinksReader;
  ports?: PortCircuitsReader;
  executorLimits?: Partial<ExecutorLimits>;
  /** For post-change checks of UDR changes: the effective routes of NICs in the affected subnets. */
  effectiveRoutes?: EffectiveRoutesReader;
  /** Every transition and execution progress, for card updates. */
  onEvent?: ChangeListener;
}

export interface ApproveResult {
  request: ChangeRequest;
  /** True for the approval that completed the count and started execution. */
  decisive: boolean;
  /** The running execution when this approval started it; resolves to the final request, never rejects. */
  execution?: Promise<ChangeRequest>;
}

/** How a request is asked for beyond its kind and input. */
export interface RequestOptions {
  /**
   * An admin's emergency override of a freeze (or of the change windows), with the reason: typed, never a button.
   * It is shown on the card and in the audit, and the request needs one approval more than usual.
   */
  emergency?: string;
  /** The succeeded request this one undoes (see ChangeWorkflow.rollback). */
  rollbackOf?: string;
}

export interface ListFilter {
  states?: readonly ChangeState[];
  /** Only requests this person asked for. */
  mine?: boolean;
  customerId?: string;
  limit?: number;
}

const RequestId = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^CR-[0-9A-Z]{5,12}$/);
const Reason = z.string().trim().min(1).max(500);
/** The ARM resource type (Microsoft.Network) of each kind of change target. */
const TARGET_TYPE: Record<ChangeTargetType, string> = {
  expressRouteCircuit: 'expressRouteCircuits',
  routeTable: 'routeTables',
  routeFilter: 'routeFilters',
};
const MAX_LIST = 200;

function actorOf(person: Person): Actor {
  return { aadObjectId: person.aadObjectId, name: person.name };
}

function samePerson(a: Actor, person: Person): boolean {
  return a.aadObjectId.toLowerCase() === person.aadObjectId.toLowerCase();
}

function notFound(id: string): CodedError {
  // Same words whether it doesn't exist or the person may not see it: a refusal must not confirm it exists.
  return new CodedError(ErrorCode.NotFound, `I can't find a change request ${id.slice(0, 20)} that you can see.`, {
    hint: ['Check the id; ', { say: 'requests' }, ' lists the ones you can see.'],
  });
}

function notPending(request: ChangeRequest, verb: string): CodedError {
  return new CodedError(ErrorCode.Conflict, `${request.id} is ${request.state}, so it can't be ${verb} any more.`, {
    hint:
      request.state === 'expired' || request.state === 'stale'
        ? 'Ask for the change again to get a fresh request.'
        : [{ say: 'request', args: [request.id] }, ' shows where it stands.'],
    details: { state: request.state },
  });
}

/**
 * The approval state machine (DESIGN Contract 4). Every check is made here, on the server, from the person
 * the bot resolved from the activity; card buttons are never trusted. Every transition is a store
 * compare-and-set with its audit entry.
 */
export class ChangeWorkflow {
  readonly kinds: ChangeKinds;
  /** Every transition and progress report of every request; delivery subscribes to keep cards current. */
  readonly events: ChangeEvents;
  readonly executor: ChangeExecutor;
  private readonly idGenerator: IdGenerator;

  constructor(private readonly options: ChangeWorkflowOptions) {
    this.events = new ChangeEvents((e) =>
      options.logger.warn({ err: e instanceof Error ? e.message : String(e) }, 'change listener failed'),
    );
    if (options.onEvent) this.events.subscribe(options.onEvent);
    this.kinds = options.kinds ?? defaultChangeKinds();
    this.idGenerator = options.idGenerator ?? randomRequestId;
    this.executor = new ChangeExecutor({
      store: options.store,
      writer: options.writer,
      builder: options.builder,
      kinds: this.kinds,
      clock: options.clock,
      logger: options.logger,
      ...(options.executorLimits ? { limits: options.executorLimits } : {}),
      onEvent: (event) => this.events.emit(event),
      recheck: (request) => this.rulesNow(request),
      gate: (request, now) => this.gate(request, now),
      verifyContext: (request) => this.verifyContext(request),
    });
  }

  /**
   * Validates, checks the kind's rules against the live circuit, plans the exact ARM body and stores it
   * pending. `circuitId` is the id of the kind's target: a circuit, or a route table for UDR changes.
   */
  async request(
    person: Person,
    customerId: string,
    circuitId: string,
    kindName: string,
    rawInput: unknown,
    options: RequestOptions = {},
  ): Promise<ChangeRequest> {
    const { access, clock, store } = this.options;
    if (typeof customerId !== 'string' || typeof circuitId !== 'string') {
      throw new CodedError(ErrorCode.BadInput, 'A change request needs a customer and a circuit.', {
        hint: ['Name the circuit, e.g. ', { say: 'upgrade', args: ['contoso/er1', '2', 'Gbps'] }, '.'],
      });
    }
    access.requireRight(person, 'request', customerId);
    const customer = access.customer(customerId);
    if (!customer) throw notFound(customerId);
    const kind = this.kinds.get(kindName);
    const input = kind.parseInput(rawInput, { customerId: customer.id, circuitId: circuitId.trim(), requesterId: person.aadObjectId });
    const sub = networkResourceId(circuitId.trim(), TARGET_TYPE[kind.target])?.subscriptionId;
    if (!sub || !customer.subscriptions.some((s) => s.toLowerCase() === sub.toLowerCase())) {
      const what: Record<ChangeTargetType, [string, CommandRef]> = {
        expressRouteCircuit: ['circuit', { say: 'circuits', args: [customer.id] }],
        routeTable: ['route table', { say: 'udr', args: [customer.id] }],
        routeFilter: ['route filter', { say: 'filters', args: [customer.id] }],
      };
      const [noun, list] = what[kind.target];
      throw new CodedError(ErrorCode.NotFound, `${customer.name} has no ${noun} ${circuitId.slice(0, 200)}.`, {
        hint: [list, ' lists them.'],
      });
    }
    const needsCustomerSide = customer.model === 'connect-to' && kind.scope === 'circuit';
    if (needsCustomerSide) this.requireCustomerSide(customer, person);
    // A freeze refuses requests (not only their execution), unless an admin overrides it for an emergency.
    const override = this.overrideFor(person, customer, options.emergency);
    if (!override) this.refuseIfFrozen(customer);
    const scope: SubscriptionScope = { tenantId: customer.tenantId, subscriptionId: sub };
    const circuit = await this.loadTarget(scope, kind.target, circuitId.trim());
    const facts = await kind.gather(this.kindContext(customer, scope), circuit, input);
    const refusal = kind.check(circuit, input, facts);
    if (refusal) {
      throw new CodedError(ErrorCode.Refused, refusal.reason, { hint: refusal.alternative, details: { kind: kind.name } });
    }
    const plan = await planChange(this.options, scope, circuit, kind, input, facts);
    const now = clock.now();
    const required = this.approvalsNeeded(customer, person, { needsCustomerSide, rollback: options.rollbackOf !== undefined, override });
    const request = ChangeRequest.parse({
      id: this.idGenerator(),
      customerId: customer.id,
      tenantId: customer.tenantId,
      subscriptionId: sub,
      circuitId: circuit.id,
      circuitName: circuit.name,
      kind: kind.name,
      input,
      plan,
      requester: actorOf(person),
      approvals: [],
      required,
      ...(needsCustomerSide ? { needsCustomerSide } : {}),
      undo: undoOf(kind, circuit, input),
      ...(options.rollbackOf ? { rollbackOf: options.rollbackOf } : {}),
      ...(override ? { override } : {}),
      state: 'pending',
      createdAt: now,
      expiresAt: now + customer.approval.ttlMinutes * 60_000,
      updatedAt: now,
      version: 1,
    } satisfies ChangeRequest);
    const before = Object.fromEntries(Object.entries(plan.diff).map(([k, [b]]) => [k, b]));
    const after = Object.fromEntries(Object.entries(plan.diff).map(([k, [, a]]) => [k, a]));
    try {
      await store.create(
        request,
        auditEntry(request, now, request.requester, 'requested', {
          to: 'pending',
          before,
          after,
          outcome: `${kind.title} of ${circuit.name}${options.rollbackOf ? `, rolling back ${options.rollbackOf}` : ''}`,
        }),
      );
    } catch (e) {
      if (e instanceof TargetBusy) throw targetBusy(e);
      throw e;
    }
    this.options.logger.info(
      { requestId: request.id, customerId: customer.id, kind: kind.name, circuit: circuit.name, rollbackOf: options.rollbackOf },
      'change requested',
    );
    if (override) {
      await store.appendAudit(
        auditEntry(request, now, override.by, 'emergency-override', {
          outcome: `${override.freeze ? `overrides the freeze (${override.freeze})` : 'overrides the change windows'}: ${override.reason}`,
          after: { approvals: `${required} needed (one more than usual)` },
        }),
      );
    }
    this.emit({ type: 'transition', request, to: 'pending' });
    if (required === 0) return this.approveAtOnce(request);
    return request;
  }

  /**
   * `rollback <id>`: a new request that undoes a succeeded change, from what the target was before it (recorded
   * when it was asked for). It is planned on the target as it is now, bound to its current etag, and goes
   * through the same rules and approvals as any request (`approval.rollbackRequired`). One-way changes are
   * refused with the reason; a way back with preconditions (Premium → Standard) is checked by the kind now.
   */
  async rollback(person: Person, id: unknown, options: Pick<RequestOptions, 'emergency'> = {}): Promise<ChangeRequest> {
    const original = await this.visible(person, id);
    this.options.access.requireRight(person, 'request', original.customerId, 'that request');
    if (original.state !== 'succeeded') {
      throw new CodedError(ErrorCode.Conflict, `${original.id} is ${original.state}; only a change that succeeded can be rolled back.`, {
        hint: [{ say: 'request', args: [original.id] }, ' shows where it stands.'],
        details: { state: original.state },
      });
    }
    const undo = original.undo;
    if (!undo) {
      throw new CodedError(
        ErrorCode.Refused,
        `${original.id} was made before the bot recorded how to undo changes, so it can't roll it back.`,
        {
          hint: ['Ask for the change that puts it back, e.g. through ', { say: 'change', args: [original.circuitName] }, '.'],
        },
      );
    }
    if ('oneWay' in undo) {
      throw new CodedError(ErrorCode.Refused, `${original.id} can't be rolled back: ${undo.oneWay}`, {
        hint: [{ say: 'request', args: [original.id] }, ' shows what it changed.'],
        details: { kind: original.kind },
      });
    }
    const earlier = await this.rollbacksOf(original);
    const live = earlier.find((r) => r.state === 'succeeded' || holdsLock(r, this.options.clock.now()));
    if (live) {
      throw new CodedError(ErrorCode.Conflict, `${live.id} already rolls back ${original.id} (${live.state}).`, {
        hint: [{ say: 'request', args: [live.id] }, ' shows where it stands.'],
        details: { rollback: live.id },
      });
    }
    const made = await this.request(person, original.customerId, original.plan.targetId, undo.kind, undo.input, {
      ...options,
      rollbackOf: original.id,
    });
    await this.options.store.appendAudit(
      auditEntry(original, this.options.clock.now(), actorOf(person), 'rollback-requested', {
        after: { rollback: made.id },
        outcome: `${made.id} rolls back ${original.id}`,
      }),
    );
    // A check still looking at the original would judge the rollback's work as the original's: it ends here.
    await this.executor.verifier.supersede(original.id, `rolled back by ${made.id} before the check ended`);
    return made;
  }

  /** The rollbacks asked for a request: from its audit trail, and the requests written since it last changed. */
  private async rollbacksOf(original: ChangeRequest): Promise<ChangeRequest[]> {
    const entries = await this.options.store.audit({ customerIds: [original.customerId], requestId: original.id, limit: MAX_LIST });
    const ids = entries.filter((e) => e.action === 'rollback-requested' && e.after?.rollback).map((e) => e.after?.rollback ?? '');
    const rows = await Promise.all([...new Set(ids)].reverse().map((rid) => this.options.store.get(rid)));
    // The audit link is written just after the rollback is stored; a crash in between leaves only `rollbackOf`.
    const recent = await this.options.store.list({ customerIds: [original.customerId], updatedSince: original.createdAt });
    const found = new Map<string, ChangeRequest>();
    for (const r of [...rows, ...recent]) if (r?.rollbackOf === original.id) found.set(r.id, r);
    return [...found.values()];
  }

  /** How many approvals a new request needs: the customer's count (for rollbacks, rollbackRequired), +1 for an override. */
  private approvalsNeeded(
    customer: Customer,
    person: Person,
    how: { needsCustomerSide: boolean; rollback: boolean; override: Override | undefined },
  ): number {
    const policy = customer.approval;
    const base = how.rollback ? (policy.rollbackRequired ?? policy.required) : policy.required;
    // Never none for someone who may not approve, nor when the customer's side must consent.
    const floor = how.needsCustomerSide || !this.options.access.can(person, 'approve', customer.id) ? 1 : 0;
    return Math.max(base, floor) + (how.override ? 1 : 0);
  }

  /** A request that needs no approval (an approver's rollback with rollbackRequired 0) is approved and run at once. */
  private async approveAtOnce(request: ChangeRequest): Promise<ChangeRequest> {
    const now = this.options.clock.now();
    const approved = await this.options.store.transition(
      request.id,
      { from: ['pending'], expectVersion: request.version },
      'approved',
      {},
      auditEntry(request, now, SYSTEM_ACTOR, 'approval-complete', {
        from: 'pending',
        to: 'approved',
        outcome: 'no approval needed: a rollback asked for by an approver (approval.rollbackRequired is 0)',
      }),
    );
    if (!approved) return (await this.options.store.get(request.id)) ?? request;
    this.emit({ type: 'transition', request: approved, from: 'pending', to: 'approved' });
    void this.executor
      .execute(approved.id)
      .catch((e: unknown) =>
        this.options.logger.error(
          { requestId: approved.id, err: e instanceof Error ? e.message : String(e) },
          'could not run the rollback',
        ),
      );
    return approved;
  }

  /** An admin's typed emergency override, checked: the admin right on the customer, a reason, something to override. */
  private overrideFor(person: Person, customer: Customer, emergency: string | undefined): Override | undefined {
    if (emergency === undefined) return undefined;
    this.options.access.requireRight(person, 'admin', customer.id, 'an emergency override');
    const reason = Reason.safeParse(emergency);
    if (!reason.success) {
      throw new CodedError(
        ErrorCode.BadInput,
        'An emergency override needs a reason (up to 500 characters); it is shown on the card and in the audit.',
        {
          hint: ['Type ', { say: 'emergency', args: ['<change command>', 'because', '<reason>'] }, '.'],
        },
      );
    }
    const now = this.options.clock.now();
    const freeze = freezeNow(customer, now);
    // With change windows there is always something to override: the window open now may close before approval.
    if (!freeze && (customer.changeWindows ?? []).length === 0) {
      throw new CodedError(ErrorCode.BadInput, `${customer.name} has no freeze and no change windows, so there is nothing to override.`, {
        hint: 'Ask for the change without "emergency": it runs once approved.',
      });
    }
    return { by: actorOf(person), reason: reason.data, at: now, ...(freeze ? { freeze: freeze.freeze.reason } : {}) };
  }

  /** During a freeze no change is requested: the refusal names the freeze and its end. */
  private refuseIfFrozen(customer: Customer): void {
    const freeze = freezeNow(customer, this.options.clock.now());
    if (!freeze) return;
    throw new CodedError(
      ErrorCode.Refused,
      `${customer.name} is in a change freeze until ${freeze.endLabel} (${freeze.freeze.reason}): no change is requested or run until then.`,
      {
        hint: [
          'Ask again after the freeze. For an emergency, an admin of the customer can override it: ',
          { say: 'emergency', args: ['<change command>', 'because', '<reason>'] },
          ' (it needs one approval more than usual).',
        ],
        details: { customerId: customer.id, freezeEnds: new Date(freeze.to).toISOString() },
      },
    );
  }

  /** Whether an approved change may run now: its customer's change windows and freezes, unless overridden. */
  private gate(request: ChangeRequest, now: number): Gate {
    const customer = this.options.access.customer(request.customerId);
    // An unknown customer: let the executor's own checks (rulesNow) refuse it.
    if (!customer) return { run: true };
    // An override lifts the windows and the freeze it named, not a freeze that began after it.
    const schedule = whenMayRun(request.override ? afterOverride(customer, request.override.at) : customer, now);
    return schedule ? { run: false, schedule } : { run: true };
  }

  /** What a post-change check of `request` may read: its target, the device side, effective routes. */
  private verifyContext(request: ChangeRequest): VerifyContext | undefined {
    const customer = this.options.access.customer(request.customerId);
    if (!customer) return undefined;
    let target: ChangeTargetType;
    try {
      target = this.kinds.get(request.kind).target;
    } catch {
      return undefined;
    }
    const scope: SubscriptionScope = { tenantId: customer.tenantId, subscriptionId: request.subscriptionId };
    return {
      scope,
      subscriptions: customer.subscriptions,
      reader: this.options.reader,
      target: () => this.loadTarget(scope, target, request.plan.targetId),
      ...(this.options.effectiveRoutes ? { effectiveRoutes: this.options.effectiveRoutes } : {}),
    };
  }

  async approve(person: Person, id: unknown): Promise<ApproveResult> {
    const { access, clock, store } = this.options;
    const request = await this.visible(person, id);
    access.requireRight(person, 'approve', request.customerId, 'that request');
    if (samePerson(request.requester, person)) {
      throw new CodedError(ErrorCode.Forbidden, 'You asked for this change, so someone else must approve it.', {
        hint: `Approvers: ${
          this.approversFor(request)
            .map((p) => p.name)
            .join(', ') || 'nobody yet; ask a bot admin'
        }.`,
      });
    }
    if (request.approvals.some((a) => samePerson(a.by, person))) throw duplicate(request);
    if (request.state !== 'pending') throw notPending(request, 'approved');
    const side = access.sideOf(person, request.customerId);
    const room = approvalRoom(request, side);
    if (room === 'full') throw countReached(request);
    if (room === 'customer-side-only') throw this.customerSideFirst(request);
    const now = clock.now();
    const added = await store.addApproval(request.id, { by: actorOf(person), at: now, side }, (updated) =>
      auditEntry(request, now, actorOf(person), 'approved', {
        from: 'pending',
        to: 'pending',
        after: { approvals: approvalCount(updated) },
      }),
    );
    if (added === 'duplicate') throw duplicate(request);
    if (added === 'needs-customer-side') throw this.customerSideFirst((await store.get(request.id)) ?? request);
    if (added === 'not-pending') {
      const now = (await store.get(request.id)) ?? request;
      throw now.state === 'pending' ? countReached(now) : notPending(now, 'approved');
    }
    if (!approvalComplete(added)) {
      this.emit({ type: 'transition', request: added, from: 'pending', to: 'pending' });
      return { request: added, decisive: false };
    }
    const approved = await store.transition(
      request.id,
      { from: ['pending'], expectVersion: added.version },
      'approved',
      {},
      auditEntry(request, now, actorOf(person), 'approval-complete', {
        from: 'pending',
        to: 'approved',
        after: { approvals: approvalCount(added) },
      }),
    );
    if (!approved) return { request: (await store.get(request.id)) ?? added, decisive: false };
    this.emit({ type: 'transition', request: approved, from: 'pending', to: 'approved' });
    return { request: approved, decisive: true, execution: this.executor.execute(approved.id) };
  }

  async reject(person: Person, id: unknown, reason: unknown): Promise<ChangeRequest> {
    const { access, clock } = this.options;
    const request = await this.visible(person, id);
    access.requireRight(person, 'approve', request.customerId, 'that request');
    if (samePerson(request.requester, person)) {
      throw new CodedError(ErrorCode.Forbidden, 'You asked for this change; to withdraw it, cancel it instead.', {
        hint: ['Type ', { say: 'cancel', args: [request.id] }, '.'],
      });
    }
    const why = Reason.safeParse(reason);
    if (!why.success) {
      throw new CodedError(ErrorCode.BadInput, 'A rejection needs a reason (up to 500 characters).', {
        hint: ['Type ', { say: 'reject', args: [request.id, '<reason>'] }, '.'],
      });
    }
    if (request.state !== 'pending') throw notPending(request, 'rejected');
    const now = clock.now();
    return this.move(
      request,
      'rejected',
      { rejection: { by: actorOf(person), reason: why.data, at: now } },
      actorOf(person),
      'rejected',
      why.data,
    );
  }

  async cancel(person: Person, id: unknown): Promise<ChangeRequest> {
    const request = await this.visible(person, id);
    if (!samePerson(request.requester, person)) {
      throw new CodedError(ErrorCode.Forbidden, `Only ${request.requester.name}, who asked for it, can cancel ${request.id}.`, {
        hint: 'Approvers can reject it with a reason instead.',
      });
    }
    this.options.access.requireRight(person, 'request', request.customerId, 'that request');
    if (request.state !== 'pending') throw notPending(request, 'cancelled');
    return this.move(request, 'cancelled', {}, actorOf(person), 'cancelled');
  }

  /**
   * `key <id>`: the secret the person's own succeeded request produced (an authorization key), read from Azure
   * at this moment, for their 1:1 chat only. Never in a channel or a group chat, never to anyone else, never
   * kept. Only while the person still may request changes for the customer, and only if the resource is still
   * the one the request created (not revoked and re-created under its name).
   */
  async revealKey(
    person: Person,
    id: unknown,
    where: { privateChat: boolean },
    secrets: RequesterSecretReader | undefined,
  ): Promise<RevealedSecret> {
    if (!where.privateChat) {
      const shown = typeof id === 'string' ? id.toUpperCase().slice(0, 20) : '<id>';
      throw new CodedError(
        ErrorCode.Forbidden,
        'Keys are only ever shown in a 1:1 chat with the bot, never in a channel or a group chat.',
        {
          hint: ['Open a 1:1 chat with the bot and type ', { say: 'key', args: [shown] }, ' there. Nothing was shown here.'],
        },
      );
    }
    const request = await this.get(person, id);
    const ref = this.secretFor(person, request);
    if (!secrets)
      throw new CodedError(ErrorCode.Config, 'This bot cannot read keys from Azure.', {
        hint: 'The bot was started without its ARM writer; ask its operator.',
      });
    return this.readSecret(request, ref, secrets);
  }

  /**
   * A succeeded request's secret sent on its own to the requester's 1:1 chat: the same rules as `revealKey`,
   * checked now (the requester may have lost their rights since asking). Undefined when there is nothing the
   * requester may be sent; never throws for that.
   */
  async deliverableSecret(request: ChangeRequest, secrets: RequesterSecretReader): Promise<RevealedSecret | undefined> {
    const requester = this.options.access.person(request.requester.aadObjectId);
    if (!requester) return undefined;
    let ref: SecretRef;
    try {
      ref = this.secretFor(requester, request);
    } catch (e) {
      this.options.logger.info(
        { requestId: request.id, code: e instanceof CodedError ? e.code : 'error' },
        'no secret sent to the requester',
      );
      return undefined;
    }
    return this.readSecret(request, ref, secrets);
  }

  /** Who may have a request's secret, and which one: its requester, still allowed, the resource it created. */
  private secretFor(person: Person, request: ChangeRequest): SecretRef {
    if (request.requester.aadObjectId.toLowerCase() !== person.aadObjectId.toLowerCase()) {
      throw new CodedError(ErrorCode.Forbidden, `Only ${request.requester.name}, who asked for ${request.id}, can get its key.`, {
        hint: 'Ask them to pass it to the customer over a secure channel.',
      });
    }
    // Having asked once is not enough: someone whose rights were taken away gets no more keys.
    this.options.access.requireRight(person, 'request', request.customerId, 'that request');
    let ref: SecretRef | undefined;
    try {
      ref = this.kinds.get(request.kind).secretForRequester(request);
    } catch {
      ref = undefined;
    }
    if (!ref) {
      throw new CodedError(
        ErrorCode.BadInput,
        `${request.id} has no key to show: only a succeeded authorization create has one (this one is a ${request.kind} request, ${request.state}).`,
        { hint: [{ say: 'request', args: [request.id] }, ' shows where it stands.'] },
      );
    }
    if (ref.etag === undefined) {
      // Without the version recorded at success the bot cannot tell this authorization from a re-created one.
      throw new CodedError(
        ErrorCode.Forbidden,
        `The bot cannot confirm that ${ref.label.replace(/^the /, '')} is still the one ${request.id} created, so it will not show it.`,
        { hint: 'Ask for a new authorization if you still need a key. Nothing was shown.' },
      );
    }
    return ref;
  }

  /** Read fresh from Azure each time: never stored, cached or logged. */
  private async readSecret(request: ChangeRequest, ref: SecretRef, secrets: RequesterSecretReader): Promise<RevealedSecret> {
    const secret = await secrets.readSecret({ tenantId: request.tenantId, subscriptionId: request.subscriptionId }, ref);
    return { request, label: ref.label, secret };
  }

  /** One request, if the person may see it; a pending one past its TTL is expired on the way. */
  async get(person: Person, id: unknown): Promise<ChangeRequest> {
    return this.visible(person, id);
  }

  async list(person: Person, filter: ListFilter = {}): Promise<ChangeRequest[]> {
    const visible = this.options.access.visibleCustomers(person).map((c) => c.id);
    const customerIds = filter.customerId ? visible.filter((c) => c === filter.customerId) : visible;
    if (customerIds.length === 0) return [];
    const rows = await this.options.store.list({
      customerIds,
      ...(filter.states ? { states: filter.states } : {}),
      ...(filter.mine ? { requesterId: person.aadObjectId } : {}),
      limit: Math.min(Math.max(1, filter.limit ?? 50), MAX_LIST),
    });
    const fresh = await Promise.all(rows.map((r) => this.expireIfDue(r)));
    return filter.states ? fresh.filter((r) => filter.states?.includes(r.state)) : fresh;
  }

  /** The audit trail of the customers the person can see. Read-only: there is no way to edit it. */
  async audit(person: Person, filter: { customerId?: string; requestId?: string; limit?: number } = {}): Promise<AuditEntry[]> {
    const visible = this.options.access.visibleCustomers(person).map((c) => c.id);
    const customerIds = filter.customerId ? visible.filter((c) => c === filter.customerId) : visible;
    if (customerIds.length === 0) return [];
    return this.options.store.audit({
      customerIds,
      ...(filter.requestId ? { requestId: filter.requestId } : {}),
      limit: Math.min(Math.max(1, filter.limit ?? 20), MAX_LIST),
    });
  }

  /** Expires every pending request past its TTL; run it on a timer so buttons disappear without a click. */
  async expireDue(): Promise<ChangeRequest[]> {
    const pending = await this.options.store.list({ states: ['pending'] });
    const now = this.options.clock.now();
    const expired: ChangeRequest[] = [];
    for (const r of pending) {
      if (r.expiresAt > now) continue;
      const after = await this.expireIfDue(r);
      if (after.state === 'expired') expired.push(after);
    }
    return expired;
  }

  /**
   * What asking again for a finished request means: the same kind and input as flat card data, planned
   * afresh. A request that carried a typed secret (an MD5 key) is asked again through the form instead, so the
   * secret is typed again: its vault reference never goes into card data, where anyone in the conversation could
   * read it. Undefined when the input cannot be given again as flat data.
   */
  rerequest(request: ChangeRequest): Rerequest | undefined {
    return this.kinds.rerequest(request);
  }

  /** People who may approve the request: `approve` on its customer, and not the requester. */
  approversFor(request: Pick<ChangeRequest, 'customerId' | 'requester'>): Person[] {
    const { access } = this.options;
    return access.directory.people.filter((p) => access.can(p, 'approve', request.customerId) && !samePerson(request.requester, p));
  }

  /** The customer's own approvers, of whom a Connect-To circuit change needs one: not the requester. */
  customerSideApproversFor(request: Pick<ChangeRequest, 'customerId' | 'requester'>): Person[] {
    return this.options.access.customerSideApprovers(request.customerId).filter((p) => !samePerson(request.requester, p));
  }

  /** Why the person's approval is not taken now, or undefined when it would be (the store decides again, atomically). */
  approvalBlocked(person: Person, request: ChangeRequest): CodedError | undefined {
    return approvalRoom(request, this.options.access.sideOf(person, request.customerId)) === 'customer-side-only'
      ? this.customerSideFirst(request)
      : undefined;
  }

  /** A Connect-To circuit change must be approvable by its customer's side: refused when nobody there may. */
  private requireCustomerSide(customer: Customer, requester: Person): void {
    if (this.customerSideApproversFor({ customerId: customer.id, requester: actorOf(requester) }).length > 0) return;
    throw new CodedError(
      ErrorCode.Refused,
      `${customer.name} uses the Connect-To model, so a change to the circuit needs one approval from ${customer.name}'s side, and the directory names nobody there who may approve${this.options.access.sideOf(requester, customer.id) === 'customer' ? ' besides you' : ''}.`,
      {
        hint: `Ask a bot admin to add a person with "side": "customer" and 'approve' on ${customer.id} to the directory file, then ask again.`,
        details: { customerId: customer.id, model: customer.model },
      },
    );
  }

  /** A CSP-side approval refused because the place left is the customer's side's; nothing is recorded. */
  private customerSideFirst(request: ChangeRequest): CodedError {
    const name = this.options.access.customer(request.customerId)?.name ?? request.customerId;
    const who = orList(this.customerSideApproversFor(request).map((p) => p.name));
    return new CodedError(
      ErrorCode.Forbidden,
      `${name}'s Connect-To model needs one approval from ${name}'s side: ${who || 'nobody in the directory yet'}.`,
      {
        hint: who
          ? `Your approval was not recorded. Ask ${who} to approve ${request.id}: in Connect-To the customer configures its own routers, so circuit changes need its consent.`
          : `Your approval was not recorded. Ask a bot admin to add a person with "side": "customer" and 'approve' on ${request.customerId} to the directory file.`,
        details: { requestId: request.id },
      },
    );
  }

  /**
   * On start and on a timer, so that nothing stays half-way: a pending request that already has every approval it
   * needs (the approving process died before the approved write) is moved to approved and run; approved
   * and executing ones are taken up by the executor (see ChangeExecutor.resumeExecuting). Only requests left
   * untouched for a lease period are moved here, so an instance in the middle of the same steps is not raced.
   */
  async resumeExecuting(): Promise<ChangeRequest[]> {
    const { store, clock } = this.options;
    const now = clock.now();
    const started: Promise<ChangeRequest>[] = [];
    for (const r of await store.list({ states: ['pending'] })) {
      if (!approvalComplete(r) || now - r.updatedAt < this.executor.settleMs) continue;
      // Past its TTL it no longer holds its target (another request may have taken it): it expires, never runs.
      if (clock.now() >= r.expiresAt) {
        await this.expireIfDue(r);
        continue;
      }
      const moved = await store.transition(
        r.id,
        { from: ['pending'], expectVersion: r.version },
        'approved',
        {},
        auditEntry(r, now, SYSTEM_ACTOR, 'approval-complete', {
          from: 'pending',
          to: 'approved',
          after: { approvals: approvalCount(r) },
        }),
      );
      if (!moved) continue;
      this.options.logger.info({ requestId: r.id }, 'moved a fully approved request on');
      this.emit({ type: 'transition', request: moved, from: 'pending', to: 'approved' });
      started.push(this.executor.execute(moved.id));
    }
    const [fresh, resumed] = await Promise.all([Promise.all(started), this.executor.resumeExecuting()]);
    return [...fresh, ...resumed];
  }

  /** What a kind may read before deciding, for this customer's target in `scope`. */
  private kindContext(customer: Customer, scope: SubscriptionScope): KindContext {
    return {
      customer: { id: customer.id, name: customer.name, security: customer.security ?? {} },
      scope,
      subscriptions: customer.subscriptions,
      reader: this.options.reader,
      ...(this.options.links ? { links: this.options.links } : {}),
      ...(this.options.ports ? { ports: this.options.ports } : {}),
    };
  }

  /**
   * The kind's rules once more, just before the approved write: what lies outside the target (the VNets linked
   * to it, the other circuits on a port pair) may have changed since the request without moving its etag.
   */
  private async rulesNow(request: ChangeRequest): Promise<Refusal | undefined> {
    const customer = this.options.access.customer(request.customerId);
    if (!customer) return { reason: `Customer ${request.customerId} is no longer in the directory.`, alternative: 'Ask a bot admin.' };
    const kind = this.kinds.get(request.kind);
    const scope: SubscriptionScope = { tenantId: customer.tenantId, subscriptionId: request.subscriptionId };
    // Read as at request time (a circuit with its port), not the bare ARM body the write is bound to.
    const subject = await this.loadTarget(scope, kind.target, request.plan.targetId);
    const facts = await kind.gather(this.kindContext(customer, scope), subject, request.input);
    return kind.check(subject, request.input, facts);
  }

  /** The live target: circuits through the reader (with its lookups), other targets as the writer reads them. */
  private async loadTarget(scope: SubscriptionScope, target: ChangeTargetType, id: string): Promise<ChangeSubject> {
    if (target === 'expressRouteCircuit') return (await this.options.reader.getCircuit(scope, id, { fresh: true })).value;
    const read = await this.options.writer.readForWrite(scope, id);
    return subjectOf(this.options.builder, target, read.body);
  }

  private async visible(person: Person, rawId: unknown): Promise<ChangeRequest> {
    const parsed = RequestId.safeParse(rawId);
    if (!parsed.success) {
      throw new CodedError(ErrorCode.BadInput, 'That is not a change request id.', {
        hint: ['Ids look like CR-7F3K2QX; ', { say: 'requests' }, ' lists them.'],
      });
    }
    const request = await this.options.store.get(parsed.data);
    if (!request || this.options.access.rights(person, request.customerId).size === 0) throw notFound(parsed.data);
    return this.expireIfDue(request);
  }

  private async expireIfDue(request: ChangeRequest): Promise<ChangeRequest> {
    const now = this.options.clock.now();
    if (request.state !== 'pending' || now < request.expiresAt) return request;
    const moved = await this.options.store.transition(
      request.id,
      { from: ['pending'] },
      'expired',
      {},
      auditEntry(request, now, SYSTEM_ACTOR, 'expired', {
        from: 'pending',
        to: 'expired',
        outcome: `no decision within the TTL (${request.approvals.length}/${request.required} approvals)`,
      }),
    );
    if (!moved) return (await this.options.store.get(request.id)) ?? request;
    this.emit({ type: 'transition', request: moved, from: 'pending', to: 'expired' });
    return moved;
  }

  private async move(
    request: ChangeRequest,
    to: ChangeState,
    patch: Parameters<ChangeStore['transition']>[3],
    actor: Actor,
    action: string,
    outcome?: string,
  ): Promise<ChangeRequest> {
    const now = this.options.clock.now();
    const moved = await this.options.store.transition(
      request.id,
      { from: ['pending'] },
      to,
      patch,
      auditEntry(request, now, actor, action, { from: request.state, to, ...(outcome ? { outcome } : {}) }),
    );
    if (!moved) throw notPending((await this.options.store.get(request.id)) ?? request, action);
    this.emit({ type: 'transition', request: moved, from: request.state, to });
    return moved;
  }

  private emit(event: ChangeEvent): void {
    this.events.emit(event);
  }
}

/** How to undo a change, from the target before it; a kind that fails to say is one-way, and says so. */
function undoOf(kind: ReturnType<ChangeKinds['get']>, before: ChangeSubject, input: unknown): Undo {
  try {
    return kind.undo(before, input);
  } catch {
    return { oneWay: `the bot could not work out how to undo this ${kind.title.toLowerCase()}.` };
  }
}

/** "CR-7K2 is pending on nw-lon-er3; cancel it or wait." (approved or executing: "wait for it to finish") */
function targetBusy(e: TargetBusy): CodedError {
  const { id, state, circuitName } = e.holder;
  // Only a pending request can be cancelled; an approved or executing one is waited for.
  const way = state === 'pending' ? 'cancel it or wait' : 'wait for it to finish';
  return new CodedError(ErrorCode.Conflict, `${id} is ${state} on ${circuitName}; ${way}.`, {
    hint: ['One change at a time per resource. ', { say: 'request', args: [id] }, ' shows where it stands.'],
    details: { holder: id, state },
  });
}

/** "Erin", "Erin or Frank", "Erin, Frank or Gil". */
function orList(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

function countReached(request: ChangeRequest): CodedError {
  return new CodedError(
    ErrorCode.Conflict,
    `${request.id} already has the ${request.required} approval${request.required === 1 ? '' : 's'} it needs, so it can't be approved any more.`,
    {
      hint: [{ say: 'request', args: [request.id] }, ' shows where it stands.'],
      details: { state: request.state },
    },
  );
}

function duplicate(request: ChangeRequest): CodedError {
  return new CodedError(ErrorCode.Conflict, `You have already approved ${request.id}.`, {
    hint: [`It needs ${request.required} different approvers; `, { say: 'request', args: [request.id] }, ' shows who has approved.'],
  });
}
