import {
  ActivityTypes,
  CardFactory,
  MessageFactory,
  TurnContext,
  type Activity,
  type ConversationReference,
} from 'botbuilder';
import { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { BotAuthConfig } from '../config';
import type { Logger } from '../log';
import type { Clock } from '../clock';
import type { Reply } from './reply';
import type { BackgroundTasks } from './background-tasks';
import type { Conversation, Who, Understood } from './conversation';

export interface CreateBotOptions {
  auth?: BotAuthConfig;
  conversation: Conversation;
  background: BackgroundTasks;
  logger: Logger;
  clock: Clock;
  /** A reply slower than this is preceded by a "reading…" card that is later updated in place. */
  progressAfterMs: number;
}

export interface Bot {
  processActivity(req: Request, res: Response): Promise<void>;
}

const ACTION_INVOKE = 'adaptiveCard/action';

/**
 * The only place that knows botbuilder and teams-ai: it turns activities into calls on the Conversation and
 * Replies back into activities, including the "reading from the routers…" card that is updated in place.
 */
export function createBot(options: CreateBotOptions): Bot {
  const { conversation, background, logger, clock } = options;
  const adapter = new TeamsAdapter(
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
    if (context.activity.type === ActivityTypes.Message) {
      await context.sendActivity('Something went wrong on our side while answering. Try again in a minute.').catch(() => undefined);
    }
  };
  const botAppId = options.auth?.appId ?? '';
  const app = new Application<TurnState>({ adapter, botAppId, startTypingTimer: false, removeRecipientMention: true });

  const whoOf = (context: TurnContext): Who => ({
    aadObjectId: context.activity.from?.aadObjectId ?? '',
    name: context.activity.from?.name ?? '',
    conversationType: context.activity.conversation?.conversationType ?? 'personal',
  });

  const turnLogger = (context: TurnContext): Logger =>
    logger.child({ turn: context.activity.id ?? randomUUID(), type: context.activity.type });

  /** Runs the answer; if it takes longer than progressAfterMs, `onSlow` gets the progress reply first. */
  async function raceProgress(understood: Understood, log: Logger): Promise<{ reply: Reply; slow?: Promise<Reply> }> {
    const work = conversation.answer(understood, log);
    const timer = new AbortController();
    const late = clock.sleep(options.progressAfterMs, timer.signal).then(
      () => 'late' as const,
      () => 'cancelled' as const,
    );
    const first = await Promise.race([work.then(() => 'done' as const, () => 'done' as const), late]);
    timer.abort();
    if (first === 'done') return { reply: await work };
    return { reply: conversation.progress(understood), slow: work };
  }

  /** Update an already-posted message outside the turn that posted it. */
  function updateLater(reference: Partial<ConversationReference>, activityId: string, slow: Promise<Reply>, log: Logger): void {
    background.run('update-card', async () => {
      const reply = await slow;
      await adapter.continueConversationAsync(botAppId, reference, async (ctx) => {
        await ctx.updateActivity({ ...toActivity(reply), id: activityId });
      });
      log.info({ activityId }, 'updated card in place');
    });
  }

  app.activity(ActivityTypes.Message, async (context) => {
    const log = turnLogger(context);
    const understood = conversation.understand(whoOf(context), { text: context.activity.text ?? '' }, log);
    if ('kind' in understood) {
      await context.sendActivity(toActivity(understood));
      return;
    }
    await context.sendActivity({ type: ActivityTypes.Typing });
    const { reply, slow } = await raceProgress(understood, log);
    const sent = await context.sendActivity(toActivity(reply));
    if (slow && sent?.id) updateLater(TurnContext.getConversationReference(context.activity), sent.id, slow, log);
  });

  app.addRoute(
    async (context) => context.activity.type === ActivityTypes.Invoke && context.activity.name === ACTION_INVOKE,
    async (context) => {
      const log = turnLogger(context);
      const value = context.activity.value as { action?: { type?: string; verb?: string; data?: unknown } } | undefined;
      const understood = conversation.understand(
        whoOf(context),
        { verb: value?.action?.verb ?? '', data: value?.action?.data },
        log,
      );
      let reply: Reply;
      if ('kind' in understood) reply = understood;
      else {
        const raced = await raceProgress(understood, log);
        reply = raced.reply;
        const cardMessageId = context.activity.replyToId;
        if (raced.slow && cardMessageId) {
          updateLater(TurnContext.getConversationReference(context.activity), cardMessageId, raced.slow, log);
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
    async (context) => context.activity.type === ActivityTypes.Invoke,
    async (context) => {
      await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 501 } });
    },
    true,
  );

  return {
    processActivity: (req, res) => adapter.process(req, res, (context) => app.run(context).then(() => undefined)),
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
