import type { ChangeEvent } from '../changes/change-events';
import { type ChangeRequest, TERMINAL_STATES } from '../changes/change-request';
import { type Hint, hintParts } from '../command-names';
import { hintWords } from '../cards/hint-words';
import { clockTime } from '../cards/time-words';
import type { CardPost, ChangeStore } from '../changes/ports';
import type { ChangeWorkflow } from '../changes/workflow';
import type { Clock } from '../clock';
import type { Access } from '../directory/access';
import type { Logger } from '../log';
import { mapConcurrent } from '../network/map-concurrent';
import type { BackgroundTasks } from './background-tasks';
import { roomIdOf, type Who } from './who';
import { textReply, type Reply } from './reply';
import type { RequesterSecretReader } from '../changes/change-kind';
import { secretCard } from '../cards/secret-card';
import { referenceKey, type Progress, type RequestViews } from './request-views';
import { unlinkedCard } from './room-notes';
import { conversationIdOf, forSending, isPersonalChat, mayShowCustomer, nounOf } from './conversation-references';
import { customerTimeZone } from '../changes/change-calendar';

/** Sends and edits messages outside a turn (botbuilder's continueConversation lives in create-bot). */
export interface ProactiveSender {
  send(reference: unknown, reply: Reply): Promise<string | undefined>;
  update(reference: unknown, activityId: string, reply: Reply): Promise<void>;
}

/** What create-bot tells delivery about turns and the replies it sent. */
export interface TurnHooks {
  onTurn(who: Who): Promise<void>;
  /** A reply was delivered as activity `activityId` in the conversation of `reference`. */
  onDelivered(reply: Reply, reference: unknown, activityId: string): void;
}

export interface ChangeDeliveryOptions {
  /** Sends and edits cards outside a turn (the Teams adapter's). */
  sender: ProactiveSender;
  store: ChangeStore;
  workflow: ChangeWorkflow;
  views: RequestViews;
  access: Access;
  background: BackgroundTasks;
  clock: Clock;
  logger: Logger;
  /** Progress (ARM status while executing) updates a request's cards at most this often. Transitions never wait. */
  progressUpdateMs: number;
  /** Reads a secret a succeeded change produced (an authorization key) for its requester's 1:1 chat. */
  secrets?: RequesterSecretReader;
}

/** Audience of a post: a person's own chat gets their personal view, anything shared gets the status-only card. */
const SHARED = 'shared';
const personal = (aadObjectId: string) => `user:${aadObjectId.trim().toLowerCase()}`;

/** How many requests' last shown version is remembered; the oldest is forgotten first. */
const SHOWN_LIMIT = 2_000;

interface Slot {
  latest?: { request: ChangeRequest; progress?: Progress };
  running: boolean;
  lastAt: number;
  timer?: NodeJS.Timeout;
}

/** Marks, among the references, that approvals channels registered before links existed have been linked. */
const APPROVALS_CHANNELS_LINKED = 'done:approvals-channels-linked';

/**
 * Gets request cards where people work and keeps them current (DESIGN Contract 4, "cards stay current"):
 * the requester's reply, the customer's approvals channel, and each approver's 1:1 chat if they have talked
 * to the bot. Every post is recorded in the store, and every workflow event edits each post in place.
 */
export class ChangeDelivery implements TurnHooks {
  private readonly slots = new Map<string, Slot>();
  /**
   * The highest version of each request sent to (or queued for) its cards. It outlives the slot: an event
   * that arrives late, after the slot of a newer state was sent and removed, must not bring the card back.
   */
  private readonly shown = new Map<string, number>();
  /** Reference key → JSON last saved, so a chatty user costs no store write per turn. */
  private readonly saved = new Map<string, string>();
  private readonly references = new Map<string, unknown>();

  constructor(private readonly options: ChangeDeliveryOptions) {}

  private get sender(): ProactiveSender {
    return this.options.sender;
  }

  async onTurn(who: Who): Promise<void> {
    if (!who.aadObjectId || !who.reference) return;
    this.options.views.rememberUser(who.aadObjectId, who.teamsUserId);
    if (who.conversationType !== 'personal' || !this.options.access.person(who.aadObjectId)) return;
    await this.saveReference(referenceKey.user(who.aadObjectId), forSending(who.reference, false));
  }

  async registerApprovalsChannel(customerId: string, reference: unknown): Promise<void> {
    await this.saveReference(referenceKey.channel(customerId), forSending(reference as Record<string, unknown>, true));
  }

  /**
   * Approvals channels registered before `approvals here` linked them are linked once, so that they keep their
   * approval cards and can still show them when clicked. Once only: a later `unlink here` there stands.
   */
  async linkApprovalsChannels(): Promise<void> {
    const { store, access, clock, logger } = this.options;
    if (await store.getReference(APPROVALS_CHANNELS_LINKED)) return;
    let linked = 0;
    for (const customer of access.allCustomers()) {
      const channelId = conversationIdOf(await this.reference(referenceKey.channel(customer.id)));
      if (channelId === undefined) continue;
      await store.linkConversation(roomIdOf(channelId), customer.id);
      linked++;
    }
    await store.saveReference(APPROVALS_CHANNELS_LINKED, { at: clock.now() });
    if (linked > 0) logger.info({ linked }, 'linked the approvals channels registered before links existed');
  }

  onDelivered(reply: Reply, reference: unknown, activityId: string): void {
    if (reply.kind !== 'card' || !reply.track) return;
    const track = reply.track;
    this.options.background.run('track-request-card', async () => {
      const ref = reference as Record<string, unknown>;
      const conversation = ref.conversation as { id?: unknown; conversationType?: unknown } | undefined;
      const user = ref.user as { aadObjectId?: unknown } | undefined;
      const conversationId = typeof conversation?.id === 'string' ? conversation.id : '';
      const key = referenceKey.conversation(conversationId);
      await this.saveReference(key, forSending(ref, false));
      const audience =
        conversation?.conversationType === 'personal' && typeof user?.aadObjectId === 'string' ? personal(user.aadObjectId) : SHARED;
      await this.options.store.addCardPost({ requestId: track.requestId, conversationKey: key, activityId, audience });
      if (track.announce) await this.announce(track.requestId, conversationId);
      // Something happened between building the card and recording where it went: bring it up to date.
      const now = await this.options.store.get(track.requestId);
      if (now && now.version !== track.version) this.schedule(now, undefined, true, true);
      if (now?.rollbackOf) await this.rollbackDelivered(now.rollbackOf, conversationId, activityId);
    });
  }

  /**
   * A rollback's card is out: the card of the change it undoes now links to it. Clicked on that change's card, the
   * rollback's card took its place (as Teams does with a button's answer): that message is the rollback's now, and the
   * original's updates must no longer overwrite it.
   */
  private async rollbackDelivered(originalId: string, conversationId: string, activityId: string): Promise<void> {
    const { store } = this.options;
    for (const post of await store.cardPosts(originalId)) {
      if (post.activityId !== activityId) continue;
      // The same message, whatever key its post was recorded under (an approver's 1:1 chat, or the conversation).
      if (conversationIdOf(await this.reference(post.conversationKey)) === conversationId) await store.removeCardPost(post);
    }
    await this.refreshOriginal(originalId);
  }

  /** The card of the change a rollback undoes, shown again with where its rollback stands. */
  private async refreshOriginal(originalId: string): Promise<void> {
    const original = await this.options.store.get(originalId);
    if (original) this.schedule(original, undefined, true, true);
  }

  /** Workflow listener: transitions update every post at once; progress at most every progressUpdateMs. */
  onEvent(event: ChangeEvent): void {
    if (event.type === 'progress') this.schedule(event.request, { status: event.status, elapsedMs: event.elapsedMs }, false);
    else this.schedule(event.request, undefined, true);
    if (event.type === 'transition' && event.to === 'succeeded') {
      const request = event.request;
      this.options.background.run('deliver-requester-secret', () => this.deliverSecret(request));
    }
    if (event.type === 'verification' && event.request.verification?.status === 'failed') {
      const request = event.request;
      this.options.background.run('tell-verification-failed', () => this.tellVerificationFailed(request));
    }
    // Where a rollback ended shows on the card of the change it undoes; its start does once its own card is out
    // (rollbackDelivered), so that a Rollback click's answer is never raced by the original's update.
    const original = event.request.rollbackOf;
    if (original && event.type === 'transition' && TERMINAL_STATES.includes(event.to)) {
      this.options.background.run('refresh-rolled-back-card', () => this.refreshOriginal(original));
    }
  }

  /**
   * A change that succeeded at ARM but failed its check afterwards: its requester and the people who approved it hear
   * at once, in their 1:1 chats, with the way back. Only those who may still see the customer, and only where the
   * bot has a 1:1 chat with them (the customer's alerts channel hears through the on-call path: change-alerts.ts).
   */
  private async tellVerificationFailed(request: ChangeRequest): Promise<void> {
    const { access, logger } = this.options;
    const people = new Map<string, string>();
    for (const actor of [request.requester, ...request.approvals.map((a) => a.by)])
      people.set(actor.aadObjectId.trim().toLowerCase(), actor.aadObjectId);
    const message = textReply(this.verificationFailedWords(request));
    let told = 0;
    for (const aadObjectId of people.values()) {
      const person = access.person(aadObjectId);
      if (!person || !access.can(person, 'view', request.customerId)) continue;
      const chat = await this.reference(referenceKey.user(aadObjectId));
      if (!chat) continue;
      try {
        await this.sender.send(chat, message);
        told++;
      } catch (err) {
        logger.warn(
          { requestId: request.id, err: err instanceof Error ? err.message : String(err) },
          'could not tell a person that a change failed its verification',
        );
      }
    }
    logger.info({ requestId: request.id, told }, 'verification failure sent to the requester and approvers');
  }

  /** "⛔ CR-7K2 (Private peering of nw-lon-er3, Contoso Ltd) succeeded at ARM, but its check failed: … `rollback CR-7K2` …" */
  private verificationFailedWords(request: ChangeRequest): string {
    const { access, workflow } = this.options;
    const customer = access.customer(request.customerId);
    let title = request.kind;
    try {
      title = workflow.kinds.get(request.kind).title;
    } catch {
      // A kind no longer registered still shows by its name.
    }
    const v = request.verification;
    const since = v?.since ?? v?.endedAt;
    const zone = customerTimeZone(customer);
    const undo = request.undo;
    const back: Hint =
      undo === undefined
        ? [{ say: 'request', args: [request.id] }, ' shows what it changed.']
        : 'oneWay' in undo
          ? `It can't be rolled back: ${undo.oneWay}`
          : [
              { say: 'rollback', args: [request.id] },
              ' is the way back: it asks for the change that puts it back (approved like any change).',
            ];
    return hintWords([
      `⛔ ${request.id} (${title} of ${request.circuitName}, ${customer?.name ?? request.customerId}) succeeded at ARM, but its verification failed: `,
      `${v?.why ?? 'not healthy'}${since !== undefined ? ` since ${clockTime(since, zone)}` : ''}. `,
      ...hintParts(back),
    ]);
  }

  /**
   * A succeeded change that produced a secret (an authorization key): read it from Azure now and send it to
   * the requester's 1:1 chat, and nowhere else. Without a 1:1 chat yet, their card tells them to open one and
   * use Show key there. The value is never logged, stored or put on a shared card.
   */
  private async deliverSecret(request: ChangeRequest): Promise<void> {
    const { workflow, secrets, logger } = this.options;
    const sender = this.sender;
    if (!sender || !secrets) return;
    let produced = false;
    try {
      produced = workflow.kinds.get(request.kind).secretForRequester(request) !== undefined;
    } catch {
      return;
    }
    if (!produced) return;
    const chat = await this.reference(referenceKey.user(request.requester.aadObjectId));
    if (!chat) {
      logger.info({ requestId: request.id }, 'requester has no 1:1 chat yet; their card offers Show key there');
      return;
    }
    try {
      const revealed = await workflow.deliverableSecret(request, secrets);
      if (!revealed) return;
      await sender.send(chat, { kind: 'card', card: secretCard(revealed), summary: `The key of ${request.id}` });
      logger.info({ requestId: request.id }, 'secret sent to the requester’s 1:1 chat');
    } catch (err) {
      // Only the error's class: an SDK error may quote the body it failed to send.
      logger.warn(
        { requestId: request.id, error: err instanceof Error ? err.name : 'unknown' },
        'could not send the secret to the requester; Show key in their 1:1 chat reads it again',
      );
    }
  }

  /** Posts a new request to the approvals channel and to each approver's 1:1 chat. */
  private async announce(requestId: string, exceptConversationId: string): Promise<void> {
    const { store, workflow, logger } = this.options;
    const request = await store.get(requestId);
    const sender = this.sender;
    if (!request || !sender) return;
    const targets: { key: string; audience: string }[] = [];
    const channelKey = referenceKey.channel(request.customerId);
    const channelId = conversationIdOf(await this.reference(channelKey));
    if (channelId !== undefined && !exceptConversationId.startsWith(channelId)) targets.push({ key: channelKey, audience: SHARED });
    for (const approver of workflow.approversFor(request)) {
      const key = referenceKey.user(approver.aadObjectId);
      if (await this.reference(key)) targets.push({ key, audience: personal(approver.aadObjectId) });
    }
    let posts = 0;
    await mapConcurrent(targets, 8, async (target) => {
      try {
        const reference = await this.reference(target.key);
        const reply = await this.render(request, target.audience);
        // Right before posting: an `unlink here` in the channel stops its approval cards too.
        if (!(await this.mayShow(reference, request.customerId))) return;
        const activityId = await sender.send(reference, reply);
        posts++;
        if (activityId) await store.addCardPost({ requestId, conversationKey: target.key, activityId, audience: target.audience });
      } catch (err) {
        logger.warn(
          { err: err instanceof Error ? err.message : String(err), requestId, target: target.key },
          'could not post a request card',
        );
      }
    });
    logger.info({ requestId, posts }, 'request announced');
    const now = await store.get(requestId);
    if (now && now.version !== request.version) this.schedule(now, undefined, true, true);
  }

  /**
   * `refresh` re-sends a version already shown, for posts recorded after it went out (progress at the shown
   * version is news too: a new ARM status). Anything older than what was shown is dropped.
   */
  private schedule(request: ChangeRequest, progress: Progress | undefined, urgent: boolean, refresh = false): void {
    const shown = this.shown.get(request.id);
    if (shown !== undefined && (request.version < shown || (request.version === shown && !progress && !refresh))) return;
    this.shown.delete(request.id);
    this.shown.set(request.id, request.version);
    if (this.shown.size > SHOWN_LIMIT) {
      const oldest = this.shown.keys().next();
      if (!oldest.done) this.shown.delete(oldest.value);
    }
    let slot = this.slots.get(request.id);
    if (!slot) {
      slot = { running: false, lastAt: 0 };
      this.slots.set(request.id, slot);
    }
    // Never let a late progress snapshot overwrite a newer state.
    if (slot.latest && slot.latest.request.version > request.version) return;
    slot.latest = { request, ...(progress ? { progress } : {}) };
    if (urgent) {
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = undefined;
      this.kick(request.id, slot);
      return;
    }
    if (slot.running || slot.timer) return;
    const wait = slot.lastAt + this.options.progressUpdateMs - this.options.clock.now();
    if (wait <= 0) this.kick(request.id, slot);
    else {
      const s = slot;
      slot.timer = setTimeout(() => {
        s.timer = undefined;
        this.kick(request.id, s);
      }, wait);
      slot.timer.unref();
    }
  }

  /** One updater per request, always sending the newest state, so cards never go back in time. */
  private kick(requestId: string, slot: Slot): void {
    if (slot.running) return;
    slot.running = true;
    this.options.background.run('update-request-cards', async () => {
      try {
        while (slot.latest) {
          const { request, progress } = slot.latest;
          slot.latest = undefined;
          await this.updateAll(request, progress);
          slot.lastAt = this.options.clock.now();
        }
      } finally {
        slot.running = false;
        if (!slot.latest && !slot.timer) this.slots.delete(requestId);
      }
    });
  }

  private async updateAll(request: ChangeRequest, progress: Progress | undefined): Promise<void> {
    const sender = this.sender;
    if (!sender) return;
    const { store, logger } = this.options;
    const posts = await store.cardPosts(request.id);
    await mapConcurrent(posts, 8, async (post: CardPost) => {
      try {
        const reference = await this.reference(post.conversationKey);
        if (!reference) return;
        const reply = await this.render(request, post.audience, progress);
        // Checked at each update, right before it: a conversation unlinked from the customer gets one last card
        // saying so, and no more updates.
        if (!(await this.mayShow(reference, request.customerId))) {
          await sender.update(reference, post.activityId, unlinkedCard(nounOf(reference)));
          await store.removeCardPost(post);
          logger.info({ requestId: request.id, activityId: post.activityId }, 'request card stopped: its conversation was unlinked');
          return;
        }
        await sender.update(reference, post.activityId, reply);
      } catch (err) {
        logger.warn(
          { err: err instanceof Error ? err.message : String(err), requestId: request.id, activityId: post.activityId },
          'could not update a request card',
        );
      }
    });
    logger.debug({ requestId: request.id, state: request.state, posts: posts.length }, 'request cards updated');
  }

  /** Whether a conversation may show the customer's request cards: a 1:1 chat always, a shared one while linked to it. */
  private mayShow(reference: unknown, customerId: string): Promise<boolean> {
    return mayShowCustomer(this.options.store, reference, customerId);
  }

  private async render(request: ChangeRequest, audience: string, progress?: Progress): Promise<Reply> {
    const { views, access } = this.options;
    const person = audience.startsWith('user:') ? access.person(audience.slice('user:'.length)) : undefined;
    const card = person ? await views.personalCard(request, person, progress) : await views.baseCard(request, progress);
    return { kind: 'card', card, summary: `${request.id} (${request.circuitName}): ${request.state}` };
  }

  private async saveReference(key: string, reference: unknown): Promise<void> {
    const json = JSON.stringify(reference);
    if (this.saved.get(key) === json) return;
    await this.options.store.saveReference(key, reference);
    this.saved.set(key, json);
    this.references.set(key, reference);
  }

  private async reference(key: string): Promise<unknown> {
    if (this.references.has(key)) return this.references.get(key);
    let found = await this.options.store.getReference(key);
    // A person's 1:1 chat is trusted only if it says so: a record saved by an older version from a conversation
    // without a type may be a shared one, and a key or a personal card must never go there.
    if (found !== undefined && key.startsWith(referenceKey.user('')) && !isPersonalChat(found)) found = undefined;
    if (found !== undefined) this.references.set(key, found);
    return found;
  }
}
