import type { ChangeRequest } from '../changes/change-request';
import type { ChangeStore } from '../changes/ports';
import type { ChangeWorkflow } from '../changes/workflow';
import type { Clock } from '../clock';
import type { Access } from '../directory/access';
import type { Person } from '../directory/directory';
import type { AdaptiveCardJson } from '../cards/card-kit';
import {
  hasLiveRollback,
  MAX_REFRESH_USERS,
  requestCard,
  type RequestNotice,
  type RequestViewer,
  type RollbackRef,
  type SecretNote,
} from '../cards/request-card';
import { hintWords } from '../cards/hint-words';
import { customerTimeZone } from '../changes/change-calendar';

export interface RequestViewsOptions {
  workflow: ChangeWorkflow;
  access: Access;
  store: ChangeStore;
  clock: Clock;
}

export interface PersonalCardOptions {
  /** Read first: what this person must know about the request they just made (only on this reply's card). */
  notice?: RequestNotice;
}

export interface Progress {
  status: string;
  elapsedMs: number;
}

/** Conversation-reference keys in the store. */
export const referenceKey = {
  user: (aadObjectId: string) => `user:${aadObjectId.trim().toLowerCase()}`,
  channel: (customerId: string) => `channel:${customerId}`,
  conversation: (conversationId: string) => `conv:${conversationId}`,
  /** A customer's alerts channel (`alerts here`). */
  alerts: (customerId: string) => `alerts:${customerId}`,
};

/** States where someone still has a button to press (approve, reject, cancel, re-request); see also mayRollBack. */
const ACTIONABLE = new Set(['pending', 'stale', 'expired']);
/** How many rollbacks of one request a card reads (newest first); more than one is rare (each failed, or was cancelled). */
const MAX_ROLLBACKS = 10;

function same(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** A succeeded change with a way back: Rollback is offered (to who may request) until one is asked for. */
function reversible(request: ChangeRequest): boolean {
  return request.state === 'succeeded' && request.undo !== undefined && !('oneWay' in request.undo);
}

/**
 * Builds a request's cards: the one everyone sees (status only, with a `refresh` for the people who may act),
 * and each person's own view with the buttons their rights allow. Knows the Teams user ids the refresh needs.
 */
export class RequestViews {
  /** aadObjectId (lower case) → the Teams user id seen on their turns (29:…). */
  private readonly teamsIds = new Map<string, string>();

  constructor(private readonly options: RequestViewsOptions) {}

  rememberUser(aadObjectId: string, teamsUserId: string | undefined): void {
    if (aadObjectId && teamsUserId) this.teamsIds.set(aadObjectId.trim().toLowerCase(), teamsUserId);
  }

  /** The card everyone sees: status only. */
  async baseCard(request: ChangeRequest, progress?: Progress): Promise<AdaptiveCardJson> {
    return this.build(request, undefined, progress, undefined, await this.rollbacksOf(request));
  }

  /** The card a person sees, with the buttons they may use (the server checks every click again). */
  async personalCard(
    request: ChangeRequest,
    person: Person,
    progress?: Progress,
    options: PersonalCardOptions = {},
  ): Promise<AdaptiveCardJson> {
    const rollbacks = await this.rollbacksOf(request);
    return this.build(request, this.viewerOf(request, person, rollbacks), progress, options.notice, rollbacks);
  }

  viewerOf(request: ChangeRequest, person: Person, rollbacks: readonly RollbackRef[] = []): RequestViewer {
    const { access } = this.options;
    const pending = request.state === 'pending';
    const isRequester = same(request.requester.aadObjectId, person.aadObjectId);
    const mayApprove = access.can(person, 'approve', request.customerId) && !isRequester;
    const approvedAt = request.approvals.find((a) => same(a.by.aadObjectId, person.aadObjectId));
    // The server refuses it anyway; the card says why instead of offering a button that cannot work.
    const blocked = pending && mayApprove && !approvedAt ? this.options.workflow.approvalBlocked(person, request) : undefined;
    const viewer: RequestViewer = {
      isRequester,
      canApprove: pending && mayApprove && !approvedAt && !blocked,
      canReject: pending && mayApprove,
      canCancel: pending && isRequester && access.can(person, 'request', request.customerId),
      canRerequest: (request.state === 'stale' || request.state === 'expired') && access.can(person, 'request', request.customerId),
      canRollback: reversible(request) && !hasLiveRollback(rollbacks) && access.can(person, 'request', request.customerId),
    };
    if (pending && isRequester) viewer.note = 'You asked for this change, so someone else approves it. You can still cancel it.';
    else if (pending && approvedAt) viewer.note = 'You have approved this request; it waits for the other approvers.';
    else if (pending && !mayApprove) viewer.note = 'You can follow this request but not decide on it.';
    else if (blocked) viewer.note = blocked.message;
    return viewer;
  }

  /**
   * Requester first, then the approvers (pending), or the people who may ask for its rollback (a succeeded change with a
   * way back, none asked for yet), as Teams user ids; at most 60 (Teams' limit).
   */
  async refreshUserIds(request: ChangeRequest, rollbacks: readonly RollbackRef[] = []): Promise<string[]> {
    const rollback = reversible(request) && !hasLiveRollback(rollbacks);
    if (!ACTIONABLE.has(request.state) && !rollback) return [];
    const people = [request.requester.aadObjectId];
    if (request.state === 'pending') people.push(...this.options.workflow.approversFor(request).map((p) => p.aadObjectId));
    if (rollback) people.push(...this.rollbackers(request).map((p) => p.aadObjectId));
    const ids: string[] = [];
    for (const aad of people) {
      if (ids.length >= MAX_REFRESH_USERS) break;
      ids.push(await this.teamsIdOf(aad));
    }
    return [...new Set(ids)];
  }

  /** Who may ask for a request's rollback (the right to request on its customer), approvers first. */
  private rollbackers(request: ChangeRequest): Person[] {
    const { access } = this.options;
    const may = access.directory.people.filter((p) => access.can(p, 'request', request.customerId));
    return [
      ...may.filter((p) => access.can(p, 'approve', request.customerId)),
      ...may.filter((p) => !access.can(p, 'approve', request.customerId)),
    ];
  }

  /**
   * The rollbacks asked for a succeeded request, newest first, from its audit trail (the workflow records each one
   * there), with where each stands now. Unreadable: none, so the card never hides its way back for a failed read.
   */
  async rollbacksOf(request: ChangeRequest): Promise<RollbackRef[]> {
    if (request.state !== 'succeeded') return [];
    const { store, clock } = this.options;
    try {
      const entries = await store.audit({ customerIds: [request.customerId], requestId: request.id, limit: 200 });
      const ids = [...new Set(entries.filter((e) => e.action === 'rollback-requested').map((e) => e.after?.rollback ?? ''))]
        .filter((id) => id !== '')
        .reverse()
        .slice(0, MAX_ROLLBACKS);
      const rows = await Promise.all(ids.map((id) => store.get(id)));
      const now = clock.now();
      // A pending rollback past its TTL is as good as expired, whether or not anyone has expired it yet.
      return rows
        .filter((r): r is ChangeRequest => r !== undefined)
        .map((r) => ({ id: r.id, state: r.state === 'pending' && r.expiresAt <= now ? 'expired' : r.state }));
    } catch {
      return [];
    }
  }

  private async teamsIdOf(aadObjectId: string): Promise<string> {
    const key = aadObjectId.trim().toLowerCase();
    const known = this.teamsIds.get(key);
    if (known) return known;
    const reference = (await this.options.store.getReference(referenceKey.user(aadObjectId))) as { user?: { id?: unknown } } | undefined;
    const id = typeof reference?.user?.id === 'string' ? reference.user.id : undefined;
    if (id) {
      this.teamsIds.set(key, id);
      return id;
    }
    // Someone who never talked to the bot: Teams' user MRI form of their AAD object id.
    return `8:orgid:${aadObjectId}`;
  }

  private async build(
    request: ChangeRequest,
    viewer: RequestViewer | undefined,
    progress?: Progress,
    notice?: RequestNotice,
    rollbacks: readonly RollbackRef[] = [],
  ): Promise<AdaptiveCardJson> {
    const { access, workflow, clock } = this.options;
    const customer = access.customer(request.customerId);
    let kindTitle = request.kind;
    let hasSecret = false;
    try {
      const kind = workflow.kinds.get(request.kind);
      kindTitle = kind.title;
      hasSecret = kind.secretForRequester(request) !== undefined;
    } catch {
      // A kind no longer registered still shows by its name.
    }
    const rerequest = workflow.rerequest(request);
    // Times of day (a check's deadline, since when it failed) in the zone the customer's change windows use.
    const timeZone = customerTimeZone(customer);
    return requestCard({
      request,
      ...(notice ? { notice } : {}),
      customer: { name: customer?.name ?? request.customerId, tenantId: request.tenantId },
      kindTitle,
      approvers: request.state === 'pending' ? workflow.approversFor(request).map((p) => p.name) : [],
      ...(request.needsCustomerSide ? { customerSide: workflow.customerSideApproversFor(request).map((p) => p.name) } : {}),
      now: clock.now(),
      ...(progress && request.state === 'executing' ? { progress } : {}),
      ...(viewer ? { viewer } : {}),
      ...(hasSecret ? { secret: await this.secretNote(request, viewer) } : {}),
      refreshUserIds: await this.refreshUserIds(request, rollbacks),
      ...(rerequest ? { rerequest } : {}),
      ...(timeZone ? { timeZone } : {}),
      ...(rollbacks.length > 0 ? { rollbacks } : {}),
    });
  }

  /**
   * Where the key a succeeded request produced goes: only to its requester, in a 1:1 chat. The requester's own
   * view says whether it was sent there or how to get it; everyone else only learns that it went privately.
   */
  private async secretNote(request: ChangeRequest, viewer: RequestViewer | undefined): Promise<SecretNote> {
    if (!viewer?.isRequester) return { text: `The key went only to ${request.requester.name}, privately.`, showKey: false };
    const chat = await this.options.store.getReference(referenceKey.user(request.requester.aadObjectId));
    return chat
      ? {
          text: 'The key was sent to your 1:1 chat with the bot (never to a channel). Show key, in that chat, reads it again from Azure.',
          showKey: true,
        }
      : {
          text: hintWords([
            'The key is shown only in a 1:1 chat with the bot, and you have none yet: open a 1:1 chat with the bot and click Show key there, or type ',
            { say: 'key', args: [request.id] },
            '.',
          ]),
          showKey: true,
        };
  }
}
