import {
  ActivityTypes,
  CardFactory,
  MessageFactory,
  TurnContext,
  type Activity,
  type ConversationReference,
  type InvokeResponse,
} from 'botbuilder';
// Deep imports: the package index also loads the AI stack (openai, gpt-tokenizer, planners, models), which is
// never used here and cost the process ~140 ms and ~18 MB at start-up.
import { Application } from '@microsoft/teams-ai/lib/Application';
import { TeamsAdapter } from '@microsoft/teams-ai/lib/TeamsAdapter';
import type { TurnState } from '@microsoft/teams-ai/lib/TurnState';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Request, Response } from 'express';
import type { BotAuthConfig } from '../config';
import type { Logger } from '../log';
import type { Clock } from '../clock';
import type { Reply } from '../app/reply';
import type { BackgroundTasks } from '../app/background-tasks';
import type { Conversation, Who, Understood } from '../app/conversation';
import type { ProactiveSender, TurnHooks } from '../app/change-delivery';
import { channelText } from './channel-text';

export interface CreateBotOptions {
  auth?: BotAuthConfig;
  conversation: Conversation;
  background: BackgroundTasks;
  logger: Logger;
  clock: Clock;
  /** A reply slower than this is preceded by a "reading…" card that is later updated in place. */
  progressAfterMs: number;
  /** A reply slower than this is preceded by a typing indicator (default 300 ms). */
  typingAfterMs?: number;
  /** Told about every turn and every delivered reply (change-request cards are tracked through it). */
  hooks?: TurnHooks;
}

export interface Bot {
  processActivity(req: Request, res: Response): Promise<void>;
  /** Be told about every turn and every delivered reply (delivery tracks change-request cards so). */
  subscribe(hooks: TurnHooks): () => void;
  /** Messages and card edits outside a turn. */
  proactive: ProactiveSender;
}

const ACTION_INVOKE = 'adaptiveCard/action';
/** Activity.type is a plain string; these let it be compared with the ActivityTypes it may hold. */
const MESSAGE_ACTIVITY: string = ActivityTypes.Message;
const INVOKE_ACTIVITY: string = ActivityTypes.Invoke;

/**
 * TeamsAdapter whose HTTP handling is ours: botbuilder's own `process` prints refused requests to the console
 * (not our JSON log) and sends internal error text back to the caller. The turn itself runs unchanged.
 */
class BotAdapter extends TeamsAdapter {
  runTurn(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

/** botbuilder's AuthenticationError, without importing botframework-connector (not a direct dependency). */
function isAuthenticationFailure(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { statusCode?: unknown }).statusCode === 401;
}

const Ref = z.looseObject({ id: z.string().min(1).max(1000) });

/**
 * The least an activity needs for a turn to be answered at all. botbuilder and teams-ai assume these and fail
 * deep inside (a 500, or a reply posted nowhere) when a body lacks them, so they are checked at the door.
 */
export const IncomingActivity = z.looseObject({
  type: z.string().min(1).max(100),
  channelId: z.string().min(1).max(100),
  serviceUrl: z.string().min(1).max(2000),
  from: Ref,
  conversation: Ref,
  recipient: Ref,
});
export type IncomingActivity = z.infer<typeof IncomingActivity>;

function activityProblem(body: unknown): string | undefined {
  const parsed = IncomingActivity.safeParse(body);
  if (parsed.success) return undefined;
  const where = parsed.error.issues[0]?.path.join('.');
  return where
    ? `not a Bot Framework activity: '${where}' is missing or invalid`
    : 'not a Bot Framework activity: the body is not a JSON object';
}

/**
 * The only place that knows botbuilder and teams-ai: it turns activities into calls on the Conversation and
 * Replies back into activities, including the "reading from the routers…" card that is updated in place.
 */
export function createBot(createOptions: CreateBotOptions): Bot {
  const options = { typingAfterMs: 300, ...createOptions };
  const { conversation, background, logger, clock } = options;
  const hooks = new Set<TurnHooks>(options.hooks ? [options.hooks] : []);
  const adapter = new BotAdapter(
    options.auth
      ? {
          MicrosoftAppId: options.auth.appId,
          MicrosoftAppPassword: options.auth.appPassword ?? '',
          MicrosoftAppType: options.auth.appType,
          MicrosoftAppTenantId: options.auth.tenantId ?? '',
        }
      : {},
  );
  adapter.onTurnError = async (context, error) => {
    logger.error({ err: error, activityId: context.activity.id }, 'unhandled turn error');
    if (context.activity.type === MESSAGE_ACTIVITY) {
      await context.sendActivity('Something went wrong on our side while answering. Try again in a minute.').catch(() => undefined);
    }
  };
  const botAppId = options.auth?.appId ?? '';
  const app = new Application<TurnState>({ adapter, botAppId, startTypingTimer: false, removeRecipientMention: true });

  const whoOf = (context: TurnContext): Who => ({
    aadObjectId: context.activity.from?.aadObjectId ?? '',
    name: context.activity.from?.name ?? '',
    conversationType: context.activity.conversation?.conversationType ?? 'personal',
    ...(context.activity.from?.id ? { teamsUserId: context.activity.from.id } : {}),
    reference: TurnContext.getConversationReference(context.activity),
  });

  /** Saving a conversation reference must never cost the user their answer. */
  async function noteTurn(who: Who, log: Logger): Promise<void> {
    try {
      for (const h of hooks) await h.onTurn(who);
    } catch (err) {
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not record the turn');
    }
  }

  function delivered(reply: Reply, reference: Partial<ConversationReference>, activityId: string | undefined): void {
    if (activityId && reply.kind === 'card' && reply.track) for (const h of hooks) h.onDelivered(reply, reference, activityId);
  }

  const turnLogger = (context: TurnContext): Logger =>
    logger.child({ turn: context.activity.id ?? randomUUID(), type: context.activity.type });

  /**
   * Runs the answer. Past `typingAfterMs` the user sees typing; past progressAfterMs the reply is the progress
   * card and `slow` resolves to the answer that will replace it. A quick answer costs no extra round trip.
   */
  async function raceProgress(
    understood: Understood,
    log: Logger,
    onTyping?: () => Promise<unknown>,
  ): Promise<{ reply: Reply; slow?: Promise<Reply> }> {
    const work = conversation.answer(understood, log);
    const finished = work.then(
      () => 'done' as const,
      () => 'done' as const,
    );
    const timer = new AbortController();
    const after = (ms: number) =>
      clock.sleep(ms, timer.signal).then(
        () => 'late' as const,
        () => 'cancelled' as const,
      );
    try {
      if (onTyping && options.typingAfterMs < options.progressAfterMs) {
        if ((await Promise.race([finished, after(options.typingAfterMs)])) === 'done') return { reply: await work };
        await onTyping().catch((err: unknown) => log.warn({ err }, 'typing indicator failed'));
      }
      if ((await Promise.race([finished, after(options.progressAfterMs - (onTyping ? options.typingAfterMs : 0))])) === 'done') {
        return { reply: await work };
      }
      return { reply: conversation.progress(understood), slow: work };
    } finally {
      timer.abort();
    }
  }

  /** The newest data time written into each message: an update never replaces a card with older data. */
  const shownAsOf = new Map<string, number>();
  function noteShown(activityId: string | undefined, reply: Reply): void {
    if (!activityId || reply.kind !== 'card' || reply.asOf === undefined) return;
    shownAsOf.delete(activityId);
    shownAsOf.set(activityId, Math.max(reply.asOf, shownAsOf.get(activityId) ?? 0));
    if (shownAsOf.size > 5_000) shownAsOf.delete(shownAsOf.keys().next().value as string);
  }

  /** Update an already-posted message outside the turn that posted it, then with any newer answer after it. */
  function updateLater(reference: Partial<ConversationReference>, activityId: string, next: Promise<Reply>, log: Logger): void {
    background.run('update-card', async () => {
      const reply = await next;
      const asOf = reply.kind === 'card' ? reply.asOf : undefined;
      const shown = shownAsOf.get(activityId);
      if (asOf !== undefined && shown !== undefined && asOf < shown) {
        log.info({ activityId }, 'kept the card: the update carried older data');
      } else {
        await adapter.continueConversationAsync(botAppId, reference, async (ctx) => {
          await ctx.updateActivity({ ...toActivity(reply), id: activityId });
        });
        noteShown(activityId, reply);
        delivered(reply, reference, activityId);
        log.info({ activityId }, 'updated card in place');
      }
      followUp(reply, reference, activityId, log);
    });
  }

  /** A first answer that announced a newer one (`then`) gets it in place when it arrives. */
  function followUp(reply: Reply, reference: Partial<ConversationReference>, activityId: string | undefined, log: Logger): void {
    if (activityId && reply.kind === 'card' && reply.then) updateLater(reference, activityId, reply.then, log);
  }

  app.activity(ActivityTypes.Message, async (context) => {
    const log = turnLogger(context);
    const who = whoOf(context);
    await noteTurn(who, log);
    const understood = conversation.understand(who, { text: channelText(context.activity.text ?? '') }, log);
    if ('kind' in understood) {
      await context.sendActivity(toActivity(understood));
      return;
    }
    const { reply, slow } = await raceProgress(understood, log, () => context.sendActivity({ type: ActivityTypes.Typing }));
    const sent = await context.sendActivity(toActivity(reply));
    const reference = TurnContext.getConversationReference(context.activity);
    if (slow && sent?.id) updateLater(reference, sent.id, slow, log);
    else {
      noteShown(sent?.id, reply);
      delivered(reply, reference, sent?.id);
      followUp(reply, reference, sent?.id, log);
    }
  });

  app.addRoute(
    (context) => Promise.resolve(context.activity.type === INVOKE_ACTIVITY && context.activity.name === ACTION_INVOKE),
    async (context) => {
      const log = turnLogger(context);
      const value = context.activity.value as { action?: { type?: string; verb?: string; data?: unknown } } | undefined;
      const who = whoOf(context);
      await noteTurn(who, log);
      const understood = conversation.understand(who, { verb: value?.action?.verb ?? '', data: value?.action?.data }, log);
      let reply: Reply;
      if ('kind' in understood) reply = understood;
      else {
        const raced = await raceProgress(understood, log);
        reply = raced.reply;
        const cardMessageId = context.activity.replyToId;
        const reference = TurnContext.getConversationReference(context.activity);
        if (raced.slow && cardMessageId) updateLater(reference, cardMessageId, raced.slow, log);
        else {
          noteShown(cardMessageId, reply);
          delivered(reply, reference, cardMessageId);
          followUp(reply, reference, cardMessageId, log);
        }
      }
      // Sent by hand so that teams-ai never turns a card with `refresh` into a replace-for-everyone.
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: { status: 200, body: toInvokeBody(reply) },
      });
    },
    true,
  );

  // Anything else (conversation updates, unknown invokes) is acknowledged and ignored.
  app.addRoute(
    (context) => Promise.resolve(context.activity.type === INVOKE_ACTIVITY),
    async (context) => {
      await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 501 } });
    },
    true,
  );

  const proactive: ProactiveSender = {
    send: async (reference, reply) => {
      let id: string | undefined;
      await adapter.continueConversationAsync(botAppId, reference as Partial<ConversationReference>, async (ctx) => {
        // botbuilder makes it a reply to the made-up continuation activity; a new post is what is meant.
        ctx.onSendActivities(async (_ctx, activities, next) => {
          for (const a of activities) delete a.replyToId;
          return next();
        });
        id = (await ctx.sendActivity(toActivity(reply)))?.id;
      });
      return id;
    },
    update: async (reference, activityId, reply) => {
      await adapter.continueConversationAsync(botAppId, reference as Partial<ConversationReference>, async (ctx) => {
        await ctx.updateActivity({ ...toActivity(reply), id: activityId });
      });
    },
  };

  return {
    proactive,
    subscribe: (h) => {
      hooks.add(h);
      return () => hooks.delete(h);
    },
    processActivity: async (req, res) => {
      const problem = activityProblem(req.body);
      if (problem) {
        logger.info({ problem }, 'refused a malformed activity');
        res.status(400).json({ error: problem });
        return;
      }
      const authorization = req.headers.authorization ?? '';
      let answered: InvokeResponse | undefined;
      try {
        answered = await adapter.runTurn(authorization, req.body as Activity, (context) => app.run(context).then(() => undefined));
      } catch (e) {
        if (isAuthenticationFailure(e)) {
          // The reason only: never the header, which may carry a token.
          logger.warn({ reason: (e as Error).message, activityId: (req.body as Activity).id }, 'refused an unauthenticated request');
          res.status(401).json({ error: 'unauthorized' });
        } else {
          logger.error({ err: e, activityId: (req.body as Activity).id }, 'turn failed');
          res.status(500).json({ error: 'internal error' });
        }
        return;
      }
      res.status(answered?.status ?? 200);
      if (answered?.body !== undefined) res.send(answered.body);
      else res.end();
    },
  };
}

export function toActivity(reply: Reply): Partial<Activity> {
  if (reply.kind === 'text') return MessageFactory.text(reply.text);
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(reply.card));
  activity.summary = reply.summary;
  return activity;
}

function toInvokeBody(reply: Reply): Record<string, unknown> {
  if (reply.kind === 'text') {
    return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: reply.text };
  }
  return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: reply.card };
}
