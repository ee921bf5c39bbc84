import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import { until } from './until';
import { startLocalHttp, type LocalHttpServer } from './local-http';

/** The activity JSON a call carries; everything beyond these fields is left untyped. */
export interface ConnectorActivity {
  type?: string;
  text?: string;
  attachments?: { contentType?: string; content?: unknown }[];
  [key: string]: unknown;
}

/** One call the bot made to the Bot Framework connector. */
export interface ConnectorCall {
  method: 'POST' | 'PUT';
  /** 'reply' (POST …/activities/{replyToId}), 'send' (POST …/activities), 'update' (PUT …/activities/{id}), 'create' (POST /v3/conversations). */
  op: 'reply' | 'send' | 'update' | 'create';
  conversationId: string;
  /** The activity id this call targets: the replyToId for replies, the updated id for updates. */
  targetId?: string;
  /** The id the connector assigned (replies and sends). */
  id: string;
  activity: ConnectorActivity;
  at: number;
  /** performance.now() when the call arrived, for latency measurements in the same process. */
  hrAt: number;
}

/**
 * A local stand-in for the Bot Framework connector service: it accepts what a bot sends back (replies, card
 * updates, new conversations) and records it for the test to assert on.
 *
 * `POST /v3/conversations` behaves as Teams' does for a 1:1 chat: `isGroup: false`, exactly one member and a
 * tenant id, answered 201 with `{ id }`; the same member always gets the same `a:…` conversation (the existing
 * 1:1 chat), to which the bot then posts activities. Teams creates no group chats this way (400), and refuses
 * with 403 when the app isn't installed for the member (`refuseChatsWith`).
 */
export class FakeConnector {
  readonly calls: ConnectorCall[] = [];
  private server: LocalHttpServer | undefined;
  /** Member id → the 1:1 conversation Teams keeps with them. */
  private readonly chats = new Map<string, string>();
  private readonly refused = new Set<string>();
  private readonly failing = new Set<string>();
  url = '';

  /** From now on, opening a 1:1 chat with this member (their `29:…` id) fails as when the app isn't installed for them. */
  refuseChatsWith(memberId: string): void {
    this.refused.add(memberId);
  }

  /** Until `fail(…, false)`, new posts into this conversation are answered 500 (and not recorded). */
  failSendsTo(conversationId: string, fail = true): void {
    if (fail) this.failing.add(conversationId);
    else this.failing.delete(conversationId);
  }

  /** The 1:1 conversation the bot opened with this member, if it did. */
  chatWith(memberId: string): string | undefined {
    return this.chats.get(memberId);
  }

  /** What the bot posted (not replies to a message) into a conversation, in order. */
  postsTo(conversationId: string): ConnectorCall[] {
    return this.calls.filter((c) => c.conversationId === conversationId && c.op === 'send');
  }

  async start(): Promise<void> {
    this.server = await startLocalHttp((req, res) => this.handle(req, res));
    this.url = this.server.url;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }

  clear(): void {
    this.calls.length = 0;
  }

  /** Polls the recorded calls until one satisfies the predicate, or fails after the deadline. */
  waitFor(predicate: (c: ConnectorCall) => boolean, timeoutMs = 10_000, what = 'connector call'): Promise<ConnectorCall> {
    return until(
      what,
      () => {
        const found = this.calls.find(predicate);
        if (found) return found;
        const seen = this.calls.map((c) => `${c.op} ${c.targetId ?? ''} ${summarise(c.activity)}`).join('\n  ');
        throw new Error(`saw:\n  ${seen || '(nothing)'}`);
      },
      { timeoutMs },
    );
  }

  /** ConversationParameters → the 1:1 chat's id, or the refusal Teams gives. */
  private createConversation(body: ConnectorActivity): { id: string } | Refusal {
    const members = Array.isArray(body.members) ? (body.members as unknown[]) : [];
    const memberId = (members[0] as { id?: unknown } | undefined)?.id;
    const tenant = body.tenantId ?? (body.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
    if (body.isGroup !== false || members.length !== 1 || typeof memberId !== 'string' || typeof tenant !== 'string') {
      return { status: 400, error: { code: 'BadSyntax', message: 'Incorrect conversation creation parameters' } };
    }
    if (this.refused.has(memberId)) {
      return { status: 403, error: { code: 'Forbidden', message: 'The bot is not installed for this user.' } };
    }
    const id = this.chats.get(memberId) ?? `a:1on1-${randomUUID()}`;
    this.chats.set(memberId, id);
    return { id };
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      const body = parseBody(chunks);
      if (!body) {
        res.writeHead(400).end();
        return;
      }
      const id = randomUUID();
      // /v3/conversations[/{conversationId}/activities[/{activityId}]]
      if (parts[0] !== 'v3' || parts[1] !== 'conversations') {
        res.writeHead(404).end();
        return;
      }
      let call: ConnectorCall | undefined;
      if (parts.length === 2 && req.method === 'POST') {
        const created = this.createConversation(body);
        if ('status' in created) {
          res.writeHead(created.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: created.error }));
          return;
        }
        call = {
          method: 'POST',
          op: 'create',
          conversationId: created.id,
          id: created.id,
          activity: body,
          at: Date.now(),
          hrAt: performance.now(),
        };
        this.calls.push(call);
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: created.id }));
        return;
      }
      const conversationId = parts[2] ?? '';
      const targetId = parts[4];
      if (req.method === 'POST' && parts[3] === 'activities' && !targetId && this.failing.has(conversationId)) {
        res
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { code: 'ServiceError', message: 'failing' } }));
        return;
      }
      if (req.method === 'POST' && parts[3] === 'activities') {
        call = {
          method: 'POST',
          op: targetId ? 'reply' : 'send',
          conversationId,
          id,
          activity: body,
          at: Date.now(),
          hrAt: performance.now(),
        };
        if (targetId) call.targetId = targetId;
      } else if (req.method === 'PUT' && parts[3] === 'activities' && targetId) {
        call = {
          method: 'PUT',
          op: 'update',
          conversationId,
          targetId,
          id: targetId,
          activity: body,
          at: Date.now(),
          hrAt: performance.now(),
        };
      }
      if (!call) {
        res.writeHead(404).end();
        return;
      }
      this.calls.push(call);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: call.id }));
    });
  }
}

/** A refusal as the connector words it: `{ error: { code, message } }`. */
type Refusal = { status: number; error: { code: string; message: string } };

/** The request's JSON object ({} when there is no body), or undefined when the body is not a JSON object. */
function parseBody(chunks: Buffer[]): ConnectorActivity | undefined {
  if (!chunks.length) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
  return isRecord(parsed) ? parsed : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function summarise(activity: ConnectorActivity): string {
  if (activity.text) return String(activity.text).slice(0, 80);
  const card = activity.attachments?.[0]?.content;
  return card ? `[card] ${JSON.stringify(card).slice(0, 120)}` : `[${activity.type}]`;
}
