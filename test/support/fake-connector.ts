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
 */
export class FakeConnector {
  readonly calls: ConnectorCall[] = [];
  private server: LocalHttpServer | undefined;
  url = '';

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
        const conversationId = `conv-${id}`;
        call = {
          method: 'POST',
          op: 'create',
          conversationId,
          id: conversationId,
          activity: body,
          at: Date.now(),
          hrAt: performance.now(),
        };
        this.calls.push(call);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: conversationId, activityId: id }));
        return;
      }
      const conversationId = parts[2] ?? '';
      const targetId = parts[4];
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
