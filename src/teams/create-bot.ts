import {
  ActivityTypes,
  CallerIdConstants,
  CardFactory,
  MessageFactory,
  TurnContext,
  type Activity,
  type ConversationParameters,
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
import { describeInputProblems } from '../input-problems';
import type { Reply } from '../app/reply';
import type { BackgroundTasks } from '../app/background-tasks';
import type { Conversation, PersonalChat, Who, Understood } from '../app/conversation';
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

/** Activity.type is a plain string; these let it be compared with the ActivityTypes it may hold. */
const MESSAGE_ACTIVITY: string = ActivityTypes.Message;
const INVOKE_ACTIVITY: string = ActivityTypes.Invoke;

/** A request the Bot Framework authentication refused; `reason` is safe to log (no token in it). */
class AuthRefused extends Error {
  constructor(
    readonly reason: string,
    readonly keysUnavailable: boolean,
  ) {
    super(reason);
  }
}

/**
 * TeamsAdapter whose HTTP handling is ours: botbuilder's own `process` prints refused requests to the console
 * (not our JSON log) and sends internal error text back to the caller. Authentication runs first, on its own:
 * whatever it throws (a forged or expired token, signing keys that cannot be fetched) is a refusal, never a
 * turn error. The turn itself runs unchanged.
 */
class BotAdapter extends TeamsAdapter {
  async runTurn(
    authHeader: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    let authenticated: Awaited<ReturnType<typeof this.botFrameworkAuthentication.authenticateRequest>>;
    try {
      authenticated = await this.botFrameworkAuthentication.authenticateRequest(activity, authHeader);
    } catch (e) {
      throw refusal(e, authHeader);
    }
    return this.processActivity(authenticated, activity, logic);
  }
}

/** Why authentication failed, in words that never carry the token (nor anything shaped like one). */
function refusal(e: unknown, authHeader: string): AuthRefused {
  const maybeName = typeof e === 'object' && e !== null ? (e as { name?: unknown }).name : undefined;
  const name = typeof maybeName === 'string' ? maybeName : '';
  const raw = e instanceof Error ? e.message : String(e);
  // botbuilder's OpenIdMetadata: "Failed to load openID config: 404" / "Failed to load Keys: 500"; node-fetch: FetchError.
  const keysUnavailable = name === 'FetchError' || /^Failed to load (openID config|Keys)\b/.test(raw);
  let reason = keysUnavailable
    ? `the Bot Framework signing keys could not be fetched (${raw})`
    : name === 'TokenExpiredError'
      ? 'the token has expired'
      : raw;
  const token = authHeader.replace(/^\s*\S+\s+/, '').trim();
  if (token.length >= 8) reason = reason.split(token).join('[token]');
  reason = reason.replace(/[\w-]{8,}\.[\w-]{8,}\.[\w-]*/g, '[token]').slice(0, 300);
  return new AuthRefused(reason || 'not authenticated', keysUnavailable);
}

/** Microsoft's public-cloud Bot Framework endpoints (botframework-connector's AuthenticationConstants). */
const PUBLIC_CLOUD = {
  ValidateAuthority: true,
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  CallerId: CallerIdConstants.PublicAzureChannel,
};

/** An optional text field: JSON null reads as absent, as botbuilder reads it. */
const optionalText = (max: number) => z.string().max(max).nullish();

/** An account's address: what a reply is sent to. */
const Address = { id: z.string().min(1).max(1000) };

/** An account's identity: who is asking. Wrong here, the turn can still say so. */
const Identity = {
  name: optionalText(1000),
  aadObjectId: optionalText(200),
  role: optionalText(100),
};

/**
 * Where and how to answer: every field of the activity that botbuilder needs to send a reply or save a
 * conversation reference. Without these the turn cannot answer.
 */
const Envelope = z.looseObject({
  type: z.string().min(1).max(100),
  id: optionalText(1000),
  channelId: z.string().min(1).max(100),
  serviceUrl: z.string().min(1).max(2000),
  locale: optionalText(100),
  from: z.looseObject(Address),
  recipient: z.looseObject(Address),
  conversation: z.looseObject({
    ...Address,
    ...Identity,
    conversationType: optionalText(100),
    tenantId: optionalText(200),
    isGroup: z.boolean().nullish(),
  }),
});

const ACTION_INVOKE = 'adaptiveCard/action';

/** What an Action.Execute click carries. */
const CardActionValue = z.looseObject({
  action: z.looseObject({
    type: optionalText(100),
    // Any text: an unknown or overlong verb is the use case's to refuse, with a card.
    verb: z.string().nullish(),
    data: z.unknown().optional(),
  }),
});

/**
 * Every field of an activity that the bot (or botbuilder and teams-ai on its behalf) reads. botbuilder and
 * teams-ai assume their types and fail deep inside a turn (a 500, a reply posted nowhere, state half-written)
 * when a body breaks them, so they are checked at the door.
 */
export const IncomingActivity = Envelope.extend({
  // Who is asking: the bot reads these to find the person, so a wrong type is answered, never guessed at.
  from: z.looseObject({ ...Address, ...Identity }),
  recipient: z.looseObject({ ...Address, ...Identity }),
  text: z.string().nullish(),
  replyToId: optionalText(1000),
  name: optionalText(200),
  // teams-ai reads each entity's type, and a mention's `mentioned.id` and `text`, to remove the bot's mention.
  entities: z.array(z.looseObject({ type: z.string().max(200) })).optional(),
  value: z.unknown().optional(),
}).superRefine((activity, ctx) => {
  let mentionsBot = false;
  (activity.entities ?? []).forEach((entity, i) => {
    if (entity.type.toLowerCase() !== 'mention') return;
    const mention = z.looseObject({ mentioned: z.looseObject({ id: z.string() }), text: z.string() }).safeParse(entity);
    if (!mention.success) {
      for (const issue of mention.error.issues) ctx.addIssue({ ...issue, path: ['entities', i, ...issue.path] });
      return;
    }
    if (mention.data.mentioned.id === activity.recipient.id) mentionsBot = true;
  });
  if (activity.type === MESSAGE_ACTIVITY && mentionsBot && typeof activity.text !== 'string') {
    ctx.addIssue({ code: 'custom', path: ['text'], message: 'is missing, though the message mentions the bot' });
  }
  if (activity.type === INVOKE_ACTIVITY && activity.name === ACTION_INVOKE) {
    const value = CardActionValue.safeParse(activity.value);
    if (!value.success) for (const issue of value.error.issues) ctx.addIssue({ ...issue, path: ['value', ...issue.path] });
  }
});
export type IncomingActivity = z.infer<typeof IncomingActivity>;

/**
 * What is wrong with an activity (undefined when nothing is), and whether the turn can still answer: it can
 * when the envelope is sound (the reply has somewhere to go) and it is a message or an invoke (someone waits).
 */
function activityProblem(body: unknown): { problem: string; answerable: boolean } | undefined {
  const parsed = IncomingActivity.safeParse(body);
  if (parsed.success) return undefined;
  const envelope = Envelope.safeParse(body);
  const answerable = envelope.success && (envelope.data.type === MESSAGE_ACTIVITY || envelope.data.type === INVOKE_ACTIVITY);
  return { problem: describeInputProblems(body, parsed.error.issues), answerable };
}

/**
 * A malformed activity's copy that a reply can be built from: botbuilder addresses the reply to `from` and
 * refuses to send it when an identity field there has the wrong type, so such fields are left out.
 */
function answerableCopy(body: unknown): unknown {
  const copy = { ...(body as Record<string, unknown>) };
  for (const side of ['from', 'recipient'] as const) {
    const account = { ...(copy[side] as Record<string, unknown>) };
    for (const [key, schema] of Object.entries(Identity)) if (!schema.safeParse(account[key]).success) delete account[key];
    copy[side] = account;
  }
  return copy;
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
          ...(options.auth.openIdMetadataUrl ? { ...PUBLIC_CLOUD, ToBotFromChannelOpenIdMetadataUrl: options.auth.openIdMetadataUrl } : {}),
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

  /** The turn's conversation reference, its conversationType the audience the bot judged (see audienceOf). */
  const referenceOf = (activity: Activity): Partial<ConversationReference> => {
    const reference = TurnContext.getConversationReference(activity);
    if (reference.conversation) {
      reference.conversation = { ...reference.conversation, conversationType: audienceOf(activity.conversation) };
    }
    return reference;
  };

  const whoOf = (context: TurnContext): Who => ({
    aadObjectId: context.activity.from?.aadObjectId ?? '',
    name: context.activity.from?.name ?? '',
    conversationType: audienceOf(context.activity.conversation),
    conversationId: context.activity.conversation?.id ?? '',
    ...(context.activity.from?.id ? { teamsUserId: context.activity.from.id } : {}),
    reference: referenceOf(context.activity),
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
    context: TurnContext,
    understood: Understood,
    log: Logger,
    onTyping?: () => Promise<unknown>,
  ): Promise<{ reply: Reply; slow?: Promise<Reply> }> {
    const work = conversation.answer(understood, log, personalChatOf(context, log));
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

  /**
   * The asker's 1:1 chat with the bot, for an answer a shared conversation may not show. Bot Framework's
   * createConversation with the asker as the only member: Teams answers with the existing 1:1 chat if there is
   * one, and refuses (403) when the app isn't installed for them, which is a `false`, never a turn error.
   */
  function personalChatOf(context: TurnContext, log: Logger): PersonalChat {
    return {
      send: async (reply) => {
        const activity = context.activity;
        const user = activity.from;
        const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
        const tenantId =
          activity.conversation?.tenantId ?? (typeof channelData?.tenant?.id === 'string' ? channelData.tenant.id : undefined);
        const audience = context.turnState.get<string | undefined>(adapter.OAuthScopeKey) ?? PUBLIC_CLOUD.ToChannelFromBotOAuthScope;
        let sent: { reference: Partial<ConversationReference>; id: string | undefined } | undefined;
        try {
          await adapter.createConversationAsync(
            botAppId,
            activity.channelId,
            activity.serviceUrl,
            audience,
            {
              isGroup: false,
              bot: activity.recipient,
              members: [{ id: user.id, name: user.name }],
              ...(tenantId ? { tenantId } : {}),
              channelData: tenantId ? { tenant: { id: tenantId } } : undefined,
            } satisfies ConversationParameters,
            async (ctx) => {
              const reference = TurnContext.getConversationReference(ctx.activity);
              // Said explicitly: change delivery keeps a card posted here as this person's own view.
              reference.conversation = { ...reference.conversation!, conversationType: 'personal', isGroup: false };
              reference.user = { id: user.id, name: user.name, ...(user.aadObjectId ? { aadObjectId: user.aadObjectId } : {}) };
              sent = { reference, id: await postNew(ctx, reply) };
            },
          );
        } catch (err) {
          log.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not open or post to the 1:1 chat');
          return false;
        }
        if (!sent) return false;
        noteShown(sent.id, reply);
        delivered(reply, sent.reference, sent.id);
        followUp(reply, sent.reference, sent.id, log);
        return true;
      },
    };
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
    const { reply, slow } = await raceProgress(context, understood, log, () => context.sendActivity({ type: ActivityTypes.Typing }));
    const sent = await context.sendActivity(toActivity(reply));
    const reference = referenceOf(context.activity);
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
      // Checked at the door (CardActionValue); null-safe all the same.
      const value = context.activity.value as { action?: { verb?: string | null; data?: unknown }; trigger?: unknown } | undefined;
      const who = whoOf(context);
      await noteTurn(who, log);
      const input = { verb: value?.action?.verb ?? '', data: value?.action?.data, automatic: value?.trigger === 'automatic' };
      const understood = conversation.understand(who, input, log);
      let reply: Reply;
      if ('kind' in understood) reply = understood;
      else {
        const raced = await raceProgress(context, understood, log);
        reply = raced.reply;
        const cardMessageId = context.activity.replyToId;
        const reference = referenceOf(context.activity);
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
        id = await postNew(ctx, reply);
      });
      return id;
    },
    update: async (reference, activityId, reply) => {
      await adapter.continueConversationAsync(botAppId, reference as Partial<ConversationReference>, async (ctx) => {
        await ctx.updateActivity({ ...toActivity(reply), id: activityId });
      });
    },
  };

  /**
   * An authenticated message or invoke whose envelope is sound but whose content is not (a wrong-typed `text`,
   * `entities` or card `value`): answered with the problem, and nothing else happens (no reference saved,
   * nothing understood). A message gets a reply in its conversation; a card action gets Universal Actions'
   * error response, which Teams shows on the card; any other invoke a 400.
   */
  async function answerMalformed(context: TurnContext, problem: string): Promise<void> {
    logger.info({ turn: context.activity.id, type: context.activity.type, problem }, 'answered a malformed activity');
    if (context.activity.type === MESSAGE_ACTIVITY) {
      await context.sendActivity(MessageFactory.text(`I couldn't read that message: ${problem}. Nothing was done.`));
    } else if (context.activity.name === ACTION_INVOKE) {
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: {
          status: 200,
          body: {
            statusCode: 400,
            type: 'application/vnd.microsoft.error',
            value: { code: 'BadRequest', message: `I couldn't read that button's data: ${problem}. Nothing was done.` },
          },
        },
      });
    } else {
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: { status: 400, body: { error: `not a valid Bot Framework activity: ${problem}` } },
      });
    }
  }

  return {
    proactive,
    subscribe: (h) => {
      hooks.add(h);
      return () => hooks.delete(h);
    },
    processActivity: async (req, res) => {
      const found = activityProblem(req.body);
      if (found && !found.answerable) {
        // Nowhere to answer: the sender (Bot Service, a client) is told which field is wrong.
        logger.info({ problem: found.problem }, 'refused a malformed activity');
        res.status(400).json({ error: `not a valid Bot Framework activity: ${found.problem}` });
        return;
      }
      const activity = (found ? answerableCopy(req.body) : req.body) as Activity;
      const activityId = typeof activity.id === 'string' ? activity.id : undefined;
      const authorization = req.headers.authorization ?? '';
      let answered: InvokeResponse | undefined;
      try {
        answered = await adapter.runTurn(authorization, activity, (context) =>
          found ? answerMalformed(context, found.problem) : app.run(context).then(() => undefined),
        );
      } catch (e) {
        if (e instanceof AuthRefused) {
          // The reason only: never the header, which carries the token.
          // Keys that cannot be fetched are our outage, not the caller's fault: on-call must see it as an error.
          const log = e.keysUnavailable ? logger.error.bind(logger) : logger.warn.bind(logger);
          log({ reason: e.reason, keysUnavailable: e.keysUnavailable, activityId }, 'refused an unauthenticated request');
          res.status(401).json({ error: 'unauthorized' });
        } else {
          logger.error({ err: e, activityId }, 'turn failed');
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

/**
 * Who may read what the bot posts in a conversation. Only a conversation that says it is a 1:1 chat is one;
 * a missing or unknown `conversationType` (or a "1:1" that says it is a group) is treated as shared, never as
 * private: no key is shown there and it is not remembered as the person's 1:1 chat.
 */
export function audienceOf(conversation: unknown): 'personal' | 'groupChat' | 'channel' {
  const c = (typeof conversation === 'object' && conversation !== null ? conversation : {}) as {
    conversationType?: unknown;
    isGroup?: unknown;
  };
  if (c.conversationType === 'channel') return 'channel';
  if (c.conversationType === 'personal' && c.isGroup !== true) return 'personal';
  return 'groupChat';
}

/** Posts a new message outside a turn: botbuilder would make it a reply to the made-up activity it runs with. */
async function postNew(context: TurnContext, reply: Reply): Promise<string | undefined> {
  context.onSendActivities(async (_ctx, activities, next) => {
    for (const a of activities) delete a.replyToId;
    return next();
  });
  return (await context.sendActivity(toActivity(reply)))?.id;
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
