import type { Alert } from '../alerts/alert';
import type { AlertEvent, AlertWorkflow } from '../alerts/alert-workflow';
import { shownFacts } from '../alerts/alert-lifecycle';
import { alertCard, alertSummary, type AlertCardView } from '../cards/alert-card';
import { watchNoticeText } from '../cards/watch-notice';
import type { ChangeStore } from '../changes/ports';
import type { Clock } from '../clock';
import type { Access } from '../directory/access';
import type { Logger } from '../log';
import { mapConcurrent } from '../network/map-concurrent';
import type { BackgroundTasks } from './background-tasks';
import type { ProactiveSender } from './change-delivery';
import { chatUserOf, forSending, isPersonalChat, mayShowCustomer } from './conversation-references';
import { referenceKey } from './request-views';
import type { WatchNotice } from './alert-watcher';
import { textReply, type Reply } from './reply';

export interface AlertDeliveryOptions {
  sender: ProactiveSender;
  alerts: AlertWorkflow;
  access: Access;
  /** Conversation references and links, shared with change delivery. */
  store: Pick<ChangeStore, 'getReference' | 'saveReference' | 'linkedCustomers'>;
  background: BackgroundTasks;
  clock: Clock;
  logger: Logger;
}

/** `alerts here`: the channel of `reference` gets the customer's alert cards from now on. */
export async function saveAlertsChannel(store: Pick<ChangeStore, 'saveReference'>, customerId: string, reference: unknown): Promise<void> {
  await store.saveReference(referenceKey.alerts(customerId), forSending(reference as Record<string, unknown>, true));
}

/** Where a customer's alert cards go. */
interface Target {
  key: string;
  reference: unknown;
}

/** One updater per card at a time, always rendering the newest state from the store. */
interface Updating {
  again: boolean;
}

/**
 * Gets alert cards where people work and keeps them current: one card per group of alerts that fired together,
 * in the customer's alerts channel (`alerts here`), or else in the 1:1 chats of its on-call people. Every change
 * of an alert updates each post of its card in place; only an escalation posts again.
 */
export class AlertDelivery {
  private readonly updating = new Map<string, Updating>();
  private running = 0;

  constructor(private readonly options: AlertDeliveryOptions) {}

  /** Alert workflow listener. */
  onEvent(event: AlertEvent): void {
    if (event.type === 'postable') this.run('post-alerts', () => this.post(event.customerId, event.alerts));
    else if (event.type === 'changed') this.update(event.alert.customerId, event.alert.groupId);
    else this.run('escalate-alert', () => this.escalate(event.customerId, event.groupId, event.alerts));
  }

  /**
   * Watcher listener: a customer whose inventory can no longer be read (or can again) is said where its alert
   * cards go, since its alerts hold and nothing new is raised for it meanwhile. Resolves, once its posts are done,
   * whether it reached anyone or had nowhere to go (false when every post failed, or finding where failed).
   */
  onWatchNotice(notice: WatchNotice): Promise<boolean> {
    const posting = this.postNotice(notice);
    // Tracked (and a failure logged) as every delivery is; the watcher hears false for it.
    this.run('watch-notice', () => posting.then(() => undefined));
    return posting.catch(() => false);
  }

  /** Nothing being posted nor updated now (tests wait for this before asserting that nothing was posted). */
  get idle(): boolean {
    return this.running === 0;
  }

  private run(name: string, work: () => Promise<void>): void {
    this.running++;
    this.options.background.run(name, () => work().finally(() => this.running--));
  }

  /**
   * Where the customer's cards go now: its alerts channel while it is linked to the customer; without one (or once
   * it is unlinked), the 1:1 chat of each of its on-call people who has talked to the bot.
   */
  async targets(customerId: string): Promise<Target[]> {
    const { store, alerts } = this.options;
    const channelKey = referenceKey.alerts(customerId);
    const channel = await store.getReference(channelKey);
    if (channel !== undefined && (await mayShowCustomer(store, channel, customerId))) return [{ key: channelKey, reference: channel }];
    const people = alerts.oncallPeople(customerId);
    const chats = await Promise.all(
      people.map(async (p) => {
        const key = referenceKey.user(p.aadObjectId);
        const reference = await store.getReference(key);
        return reference !== undefined && isPersonalChat(reference) ? [{ key, reference }] : [];
      }),
    );
    return chats.flat();
  }

  /** Claims the alerts (so no other instance posts them too), then posts one card for them all. */
  private async post(customerId: string, postable: readonly Alert[]): Promise<void> {
    const { alerts, logger } = this.options;
    const targets = await this.targets(customerId);
    if (targets.length === 0) {
      logger.debug({ customerId, alerts: postable.length }, 'alerts recorded: no alerts channel nor on-call 1:1 chat to post them to yet');
      return;
    }
    const { groupId, alerts: claimed } = await alerts.claim(postable);
    if (claimed.length === 0) return;
    const reply = this.render(customerId, claimed);
    await this.sendEach(targets, reply, 'could not post an alert card', { customerId, groupId }, this.recordPost(customerId, groupId));
    logger.info({ customerId, groupId, alerts: claimed.map((a) => a.id), targets: targets.length }, 'alert card posted');
    // Something shown may have changed between claiming and recording where the card went: a change event then
    // found no post to update.
    const shown = new Map(claimed.map((a) => [a.id, shownFacts(a)]));
    const now = await alerts.group(customerId, groupId);
    if (now.some((a) => shown.get(a.id) !== shownFacts(a))) this.update(customerId, groupId);
  }

  private async postNotice(notice: WatchNotice): Promise<boolean> {
    const { logger } = this.options;
    const customerId = notice.customer.id;
    const targets = await this.targets(customerId);
    if (targets.length === 0) {
      logger.debug({ customerId, notice: notice.type }, 'watch notice not said: no alerts channel nor on-call 1:1 chat yet');
      return true;
    }
    const reply = textReply(watchNoticeText({ ...notice, customerName: notice.customer.name }));
    const sent = await this.sendEach(targets, reply, 'could not say that the watcher lost or regained sight of a customer', { customerId });
    if (sent === 0) {
      logger.warn({ customerId, notice: notice.type, targets: targets.length }, 'watch notice reached no one');
      return false;
    }
    logger.info({ customerId, notice: notice.type, targets: targets.length, sent }, 'watch notice posted');
    return true;
  }

  /** Records where a card of the group went, so that its changes update it there. */
  private recordPost(customerId: string, groupId: string): (target: Target, activityId: string) => Promise<void> {
    const { alerts, clock } = this.options;
    return (target, activityId) => alerts.recordPost({ groupId, customerId, conversationKey: target.key, activityId, at: clock.now() });
  }

  /**
   * Sends `reply` to each target (four at a time), then `sent` with the new activity's id; a failure is logged with
   * `failure` and `context` and the others go on. Returns how many were sent (given an id).
   */
  private async sendEach(
    targets: readonly Target[],
    reply: Reply,
    failure: string,
    context: Record<string, unknown>,
    sent?: (target: Target, activityId: string) => Promise<void>,
  ): Promise<number> {
    const { sender, logger } = this.options;
    let count = 0;
    await mapConcurrent(targets, 4, async (target) => {
      try {
        // No id: the connector refused it (the adapter logs why).
        const activityId = await sender.send(target.reference, reply);
        if (!activityId) return;
        count++;
        if (sent) await sent(target, activityId);
      } catch (err) {
        logger.warn({ err: err instanceof Error ? err.message : String(err), ...context, target: target.key }, failure);
      }
    });
    return count;
  }

  /** A card with unacknowledged critical alerts: posted again (once), mentioning the customer's on-call people. */
  private async escalate(customerId: string, groupId: string, escalated: readonly Alert[]): Promise<void> {
    const { alerts, logger } = this.options;
    const group = await alerts.group(customerId, groupId);
    const mentions = alerts.oncallPeople(customerId).map((p) => ({ aadObjectId: p.aadObjectId, name: p.name }));
    const times = Math.max(...escalated.map((a) => a.escalations ?? 1));
    const reply = this.render(customerId, group.length > 0 ? group : escalated, {
      mentions,
      afterMs: alerts.escalateAfterMs(customerId),
      times,
      last: times >= alerts.policy.maxEscalations,
    });
    const targets = await this.targets(customerId);
    await this.sendEach(targets, reply, 'could not post an escalation', { customerId, groupId }, this.recordPost(customerId, groupId));
    logger.info({ groupId, alerts: escalated.map((a) => a.id), escalations: times, mentions: mentions.length }, 'alert card escalated');
  }

  /** Updates every post of the card in place; a burst of changes costs one update per post at the end. */
  private update(customerId: string, groupId: string | undefined): void {
    if (!groupId) return;
    const key = `${customerId}|${groupId}`;
    const running = this.updating.get(key);
    if (running) {
      running.again = true;
      return;
    }
    const slot: Updating = { again: true };
    this.updating.set(key, slot);
    this.run('update-alert-card', async () => {
      try {
        while (slot.again) {
          slot.again = false;
          await this.updateNow(customerId, groupId);
        }
      } finally {
        this.updating.delete(key);
      }
    });
  }

  private async updateNow(customerId: string, groupId: string): Promise<void> {
    const { alerts, sender, store, logger } = this.options;
    const [group, posts] = await Promise.all([alerts.group(customerId, groupId), alerts.posts(customerId, groupId)]);
    if (group.length === 0 || posts.length === 0) return;
    const reply = this.render(customerId, group);
    await mapConcurrent(posts, 4, async (post) => {
      try {
        const reference = await store.getReference(post.conversationKey);
        // A channel unlinked from the customer meanwhile stops getting its cards' news; so does the 1:1 chat of
        // someone who may no longer see the customer.
        if (reference === undefined || !(await mayShowCustomer(store, reference, customerId))) return;
        if (isPersonalChat(reference) && !this.options.access.can(this.options.access.person(chatUserOf(reference)), 'view', customerId))
          return;
        await sender.update(reference, post.activityId, reply);
      } catch (err) {
        logger.warn(
          { err: err instanceof Error ? err.message : String(err), groupId, activityId: post.activityId },
          'could not update an alert card',
        );
      }
    });
    logger.debug({ customerId, groupId, posts: posts.length }, 'alert card updated');
  }

  private render(customerId: string, group: readonly Alert[], escalation?: AlertCardView['escalation']): Reply {
    const { access, alerts, clock } = this.options;
    const view: AlertCardView = {
      customer: { id: customerId, name: access.customer(customerId)?.name ?? customerId },
      alerts: group,
      now: clock.now(),
      flapWindowMs: alerts.policy.flapWindowMs,
      ...(escalation ? { escalation } : {}),
    };
    return { kind: 'card', card: alertCard(view), summary: alertSummary(view) };
  }
}
