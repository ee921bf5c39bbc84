import { CodedError, ErrorCode } from '../../errors';
import type { Logger } from '../../log';
import type { Clock } from '../../clock';
import type { Access } from '../../directory/access';
import type { Customer, Person } from '../../directory/directory';
import { resolveCircuit, resolveCustomer } from '../../directory/resolve-circuit';
import type { FleetReader, NetworkReader, Peering, PeeringKind, ReadOptions } from '../../network/types';
import type { PostureReader } from '../../network/posture-facts';
import type { EffectiveRoutesReader } from '../../network/effective-routes';
import type { Intent, PeeringChoice } from '../../intents/intent';
import type { DataHeader } from '../../cards/header';
import type { Who } from '../who';
import type { ChangeWorkflow } from '../../changes/workflow';
import type { AlertWorkflow } from '../../alerts/alert-workflow';
import type { RequesterSecretReader } from '../../changes/change-kind';
import type { RequestViews } from '../request-views';
import type { Reply } from '../reply';
import type { PrefixCounts } from '../prefix-counts';
import type { Room } from '../room-scope';
import type { ConversationLinks } from '../../changes/ports';
import { customersForName, visibleInventory, type OwnedCircuit } from './visible-circuits';

/** What the change-request answers need; absent when the bot runs without a change store. */
export interface ChangeContext {
  workflow: ChangeWorkflow;
  views: RequestViews;
  /** Makes the conversation behind `reference` the customer's approvals channel. */
  registerApprovalsChannel(customerId: string, reference: unknown): Promise<void>;
  /** Work that outlives the turn (a change's execution); shutdown waits for it. */
  runInBackground(name: string, work: Promise<unknown>): void;
  /** Reads a secret a change produced for its requester (an authorization key), fresh from Azure. */
  secrets?: RequesterSecretReader;
}

/** What the alert answers need; absent when the bot runs without its alert store. */
export interface AlertContext {
  workflow: AlertWorkflow;
  /** Makes the conversation behind `reference` the customer's alerts channel. */
  registerAlertsChannel(customerId: string, reference: unknown): Promise<void>;
}

export interface AnswerContext {
  access: Access;
  changes?: ChangeContext;
  alerts?: AlertContext;
  /** Where `link here` keeps which customers a shared conversation may show; absent without a store. */
  links?: ConversationLinks;
  /** In a channel or group chat: which conversation, and the customers linked to it. Absent in a 1:1 chat. */
  room?: Room;
  reader: NetworkReader;
  /** Resource Graph and Azure Monitor: the batched reads behind fleet answers and name lookup. */
  fleet: FleetReader;
  /** The networks behind a customer's circuits, for `security`. */
  posture: PostureReader;
  /** NICs and VMs by name, and their effective routes, for `effective-routes`. */
  effectiveRoutes: EffectiveRoutesReader;
  /** Received-prefix counts left by router reads, for the fleet view. */
  prefixCounts: PrefixCounts;
  clock: Clock;
  /** The asker; in a shared conversation, with their rights on the customers linked to it only (room-scope.ts). */
  person: Person;
  who: Who;
  log: Logger;
  demo: boolean;
}

export type Answer<I extends Intent> = (intent: I, context: AnswerContext) => Promise<Reply>;

export function readOptions(intent: { fresh?: boolean | undefined }): ReadOptions {
  return intent.fresh ? { fresh: true } : {};
}

export function header(
  context: AnswerContext,
  customers: readonly Customer[],
  stamps: readonly { fetchedAt: number; fromCache: boolean }[],
  refresh: Intent,
  sources?: readonly string[],
): DataHeader {
  const now = context.clock.now();
  const unique = [...new Map(customers.map((c) => [c.id, c])).values()];
  return {
    customers: unique.map((c) => ({ name: c.name, tenantId: c.tenantId })),
    fetchedAt: stamps.length > 0 ? Math.min(...stamps.map((s) => s.fetchedAt)) : now,
    fromCache: stamps.some((s) => s.fromCache),
    now,
    refresh,
    ...(sources && sources.length > 0 ? { sources } : {}),
  };
}

/**
 * One circuit the person may view, by name, `customer/name` or ARM id; "did you mean" only from visible ones.
 * Names are looked up in the inventory index (Resource Graph, cached per tenant), not by listing every
 * subscription; a qualified name reads only its own customer's tenant.
 */
export async function findCircuit(context: AnswerContext, query: string, fresh?: boolean): Promise<OwnedCircuit> {
  const customers = customersForName(query, context.access.customersWith(context.person, 'view'));
  const visible = await visibleInventory(context, context.person, { customers, fresh: fresh ?? false });
  try {
    return resolveCircuit(query, visible.circuits);
  } catch (e) {
    // A subscription we could not list may hold the circuit: say so rather than "not found".
    if (e instanceof CodedError && e.code === ErrorCode.NotFound && visible.failures.length > 0) {
      const first = visible.failures[0]!;
      throw new CodedError(first.error.code, `${e.message} Some subscriptions could not be read: ${first.error.message}`, {
        ...(first.error.hint ? { hint: first.error.hint } : {}),
        details: e.details ?? {},
      });
    }
    throw e;
  }
}

/** The customers an optional `[customer]` argument names, among those the person may view. */
export function customersFor(context: AnswerContext, query: string | undefined): Customer[] {
  const visible = context.access.customersWith(context.person, 'view');
  if (query === undefined) {
    if (visible.length === 0) {
      throw new CodedError(ErrorCode.Forbidden, "You don't have view rights on any customer yet.", {
        hint: 'Ask a bot admin to grant you `view` on the customers you look after.',
      });
    }
    return visible;
  }
  return [resolveCustomer(query, visible)];
}

const KIND_OF: Record<PeeringChoice, PeeringKind> = { private: 'private', microsoft: 'microsoft' };

/** The circuit's peering of the asked kind, or (none asked) private, else Microsoft. */
export function choosePeering(owned: OwnedCircuit, choice: PeeringChoice | undefined): Peering {
  const peerings = owned.circuit.peerings.filter((p) => p.kind !== 'public');
  const wanted = choice ? peerings.find((p) => p.kind === KIND_OF[choice]) : (peerings.find((p) => p.kind === 'private') ?? peerings[0]);
  if (wanted) return wanted;
  const has = peerings.map((p) => p.kind).join(' and ');
  throw new CodedError(
    ErrorCode.BadInput,
    choice
      ? `${owned.circuit.name} has no ${choice === 'private' ? 'private' : 'Microsoft'} peering.`
      : `${owned.circuit.name} has no peerings yet, so there is nothing to read from the routers.`,
    {
      hint: has ? `It has ${has} peering; ask for that one.` : 'Peerings can be added once the provider has provisioned the circuit.',
    },
  );
}
