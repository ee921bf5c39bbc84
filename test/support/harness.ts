import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { start, type RunningApp, type StartOptions } from '../../src/index';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { FakeConnector, type ConnectorCall } from './fake-connector';

export interface HarnessOptions {
  /** A fleet fixture object; written to a temp file and passed as FLEET_FILE. Default: the built-in demo fleet. */
  fleet?: unknown;
  /** A directory object; written to a temp file and passed as DIRECTORY_FILE. Default: the demo directory. */
  directory?: unknown;
  env?: Record<string, string>;
  /** Log level of the captured log; the benchmark turns it down. */
  logLevel?: string;
  armLimits?: StartOptions['armLimits'];
  externalSimulator?: StartOptions['externalSimulator'];
  /** The bot's clock (and the embedded simulator's), e.g. an OffsetClock to jump past a TTL. */
  clock?: StartOptions['clock'];
  changes?: StartOptions['changes'];
  /** Over the fleet's `$simulator`; router reads are instant unless a test asks (`deviceReadMs`). */
  simulator?: StartOptions['simulatorSettings'];
  /** Watcher leases and the alert policy. */
  alerts?: StartOptions['alerts'];
  /** The built-in demo fleet with its on-call incident (a BGP session drops a minute after start). */
  demoIncident?: boolean;
}

/** The Teams tenant every test activity comes from (Teams puts it in `channelData.tenant.id`). */
export const TEAMS_TENANT = '00000000-0000-4000-8000-0000000000ae';

export interface User {
  aadObjectId: string;
  name?: string;
}

/**
 * The bot as a process would run it (the real composition root, real HTTP on /api/messages, the real simulator
 * over HTTPS) plus a fake Bot Framework connector that records what the bot sends back.
 */
export class Harness {
  readonly connector = new FakeConnector();
  app!: RunningApp;
  /** Every log line the bot wrote, for assertions (e.g. no secrets). */
  readonly logLines: string[] = [];
  private readonly dir = mkdtempSync(path.join(tmpdir(), 'erbot-test-'));

  static async start(options: HarnessOptions = {}): Promise<Harness> {
    const h = new Harness();
    await h.connector.start();
    const env: Record<string, string> = {
      PORT: '0',
      PLAYGROUND: '0',
      DATA_DIR: path.join(h.dir, 'data'),
      ARM_POLL_INTERVAL_MS: '5',
      DEVICE_POLL_INTERVAL_MS: '5',
      PREFIX_SWEEP_MINUTES: '0',
      // Tests that watch for alerts say so (or run cycles themselves: app.watcher.runCycle()).
      WATCH_INTERVAL_SECONDS: '0',
      // Post-change checks read routers and Resource Graph in the background; tests about them turn them on.
      VERIFY_WINDOW_SECONDS: '0',
      LOG_LEVEL: 'debug',
      ...options.env,
    };
    if (options.fleet) env.FLEET_FILE = h.writeJson('fleet.json', options.fleet);
    if (options.directory) env.DIRECTORY_FILE = h.writeJson('directory.json', options.directory);
    const sink = new Writable({
      write: (chunk: Buffer, _enc, done) => {
        h.logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    h.app = await start(loadConfig(env), {
      logger: createLogger({ level: options.logLevel ?? 'debug', destination: sink }),
      ...(options.armLimits ? { armLimits: options.armLimits } : {}),
      ...(options.externalSimulator ? { externalSimulator: options.externalSimulator } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.changes ? { changes: options.changes } : {}),
      ...(options.alerts ? { alerts: options.alerts } : {}),
      ...(options.demoIncident ? { demoIncident: true } : {}),
      simulatorSettings: { deviceReadMs: 0, ...options.simulator },
    });
    return h;
  }

  writeJson(name: string, value: unknown): string {
    const file = path.join(this.dir, name);
    writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
    return file;
  }

  async stop(): Promise<void> {
    await this.app?.stop();
    await this.connector.stop();
  }

  /** An activity as Teams would send it from this user (override any field with `extra`). */
  activityFor(user: User, extra: Record<string, unknown>): Record<string, unknown> {
    return {
      id: randomUUID(),
      timestamp: new Date().toISOString(),
      serviceUrl: this.connector.url,
      channelId: 'msteams',
      from: { id: `29:${user.aadObjectId}`, name: user.name ?? user.aadObjectId, aadObjectId: user.aadObjectId },
      conversation: { id: `a:personal-${user.aadObjectId}`, conversationType: 'personal' },
      recipient: { id: '28:bot', name: 'ExpressRoute Ops' },
      locale: 'en-US',
      channelData: { tenant: { id: TEAMS_TENANT } },
      ...extra,
    };
  }

  /** GET /healthz's HTTP status: the process is up and serving. */
  async healthz(): Promise<number> {
    const res = await fetch(`${this.app.url}/healthz`);
    await res.text();
    return res.status;
  }

  /** Waits for the bot's (non-typing) reply to an activity already posted. */
  replyTo(activityId: string, timeoutMs = 15_000): Promise<ConnectorCall> {
    return this.connector.waitFor(
      (c) => c.targetId === activityId && c.op === 'reply' && c.activity.type !== 'typing',
      timeoutMs,
      `a reply to activity ${activityId}`,
    );
  }

  /** POSTs an activity to /api/messages and returns the HTTP status and body. */
  async post(activity: Record<string, unknown>, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${this.app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(activity),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body };
  }

  /** Sends a chat message and waits for the bot's (non-typing) reply to it. */
  async say(user: User, text: string, timeoutMs = 15_000): Promise<ConnectorCall> {
    const activity = this.activityFor(user, { type: 'message', text });
    const res = await this.post(activity);
    if (res.status >= 300) throw new Error(`POST /api/messages answered ${res.status}`);
    return this.connector.waitFor(
      (c) => c.targetId === activity.id && c.op === 'reply' && c.activity.type !== 'typing',
      timeoutMs,
      `a reply to "${text.slice(0, 80)}"`,
    );
  }

  /** Clicks an Action.Execute button: returns the invoke response body (the card or message shown in place). */
  async click(user: User, verb: string, data: unknown, cardMessageId: string = randomUUID()): Promise<unknown> {
    const activity = this.activityFor(user, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      replyToId: cardMessageId,
      value: { action: { type: 'Action.Execute', verb, data } },
    });
    const res = await this.post(activity);
    if (res.status !== 200) throw new Error(`invoke answered HTTP ${res.status}`);
    return res.body;
  }
}

/** The card of a recorded reply (or undefined for text replies). */
export function cardOf(call: ConnectorCall): unknown {
  return call.activity.attachments?.[0]?.content;
}

/** Properties whose string values a user can read on a card (TextBlock, TextRun, facts, titles, labels). */
const READABLE_KEYS = new Set(['text', 'title', 'value', 'label', 'placeholder', 'altText', 'summary']);

/**
 * All visible text of a card, a recorded reply or an invoke response body, for "the user can read X"
 * assertions. Layout properties (sizes, colours) and button data are left out.
 */
export function textOf(target: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown, key: string | undefined): void => {
    if (typeof v === 'string') {
      if (key === undefined || READABLE_KEYS.has(key)) out.push(v);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v))
        if (k !== 'data' && k !== 'verb' && k !== 'id' && k !== 'msteams') walk(x, typeof x === 'string' ? k : undefined);
    }
  };
  walk(contentOf(target), undefined);
  return out.join('\n');
}

/** The card (or text) a reply, an update or an invoke response body carries. */
export function contentOf(target: unknown): unknown {
  // Callers pass objects; a non-object throws at `in` as it always did.
  const t = target as object;
  if ('activity' in t && 'op' in t) {
    const call = t as ConnectorCall;
    return cardOf(call) ?? call.activity.text;
  }
  // invoke response body: { statusCode, type, value }
  if ('statusCode' in t && 'value' in t) return t.value;
  return target;
}
