import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import type { AlertStore } from '../../src/alerts/alert-store';
import { systemClock } from '../../src/clock';
import { silentLogger } from '../../src/log';
import { buildDemoFleet, startSimulator, type RunningSimulator, type TimelineEntry } from '../../src/simulator';
import { openAlertStore } from '../../src/store/open-change-store';
import { encodeKey } from '../../src/store/table-keys';
import { tableNames } from '../../src/store/table-names';
import { watchLease } from '../../src/app/alert-watcher';
import { startAzurite, type Azurite } from '../support/azurite';
import { FakeConnector, type ConnectorCall } from '../support/fake-connector';
import { TEAMS_TENANT, textOf, type User } from '../support/harness';
import { startBotChild, type BotChild } from '../support/spawn-bot';
import { until } from '../support/until';
import { ALERT_PEOPLE, CIRCUITS, alertDirectory, at, channel, original, summaryPath, summaryWith } from '../alerts/support/alert-world';

const WATCH_S = 1;
/** How long a customer stays an instance's without renewal (WATCHER_LEASE_MS). */
const LEASE_MS = 3_000;
const ROOM = channel('contoso-alerts-two-processes');
const AMS = 'contoso-ams-er1';
const PAR = 'contoso-par-er4';
const AMS_PRIMARY = summaryPath(CIRCUITS.contosoAms, 'primary');
const PAR_PRIMARY = summaryPath(CIRCUITS.contosoPar, 'primary');

/** AlertDelivery's log line for a card it posted (pino JSON: the message comes last). */
const POSTED_FOR_CONTOSO = /"customerId":"contoso"[^\n]*"msg":"alert card posted"/;

interface LeaseRow {
  owner: string;
  until: number;
}

/**
 * Scale-out with real processes: two bots (test/support/bot-child.ts) on one Azurite and one ARM simulator, the
 * watcher running every second in each. Exactly one of them watches Contoso (the lease row in the store says
 * which); a dropped BGP session is posted once; that instance is then killed with SIGKILL (no goodbye: its
 * lease is left to run out), and the other one takes Contoso over within a lease period, resolves the first
 * card in place and posts the next alert, once. The connector counts every post of both processes.
 */
describe('scale-out: two bot processes on one Azurite, the watching one killed', function () {
  this.timeout(90_000);
  let azurite: Azurite;
  let sim: RunningSimulator;
  let connector: FakeConnector;
  let store: AlertStore;
  let leases: TableClient;
  const bots = new Map<string, BotChild>();
  const dir = mkdtempSync(path.join(tmpdir(), 'erbot-watchers-'));
  const prefix = `kill${randomUUID().replace(/-/g, '').slice(0, 8)}`;

  before(async function () {
    this.timeout(90_000);
    azurite = await startAzurite();
    sim = await startSimulator({ fleet: buildDemoFleet(), settings: { lroDurationMs: 0, deviceReadMs: 0 } });
    connector = new FakeConnector();
    await connector.start();
    const caFile = path.join(dir, 'ca.pem');
    const directoryFile = path.join(dir, 'directory.json');
    writeFileSync(caFile, sim.caPem);
    writeFileSync(directoryFile, JSON.stringify(alertDirectory()));
    const env = (id: string) => ({
      SIM_URL: sim.url,
      SIM_CA_FILE: caFile,
      DIRECTORY_FILE: directoryFile,
      DATA_DIR: path.join(dir, id),
      PORT: '0',
      PLAYGROUND: '0',
      TABLE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      TABLE_STORAGE_PREFIX: prefix,
      WATCH_INTERVAL_SECONDS: String(WATCH_S),
      WATCHER_LEASE_MS: String(LEASE_MS),
      WATCHER_INSTANCE_ID: id,
      // No router reads in the background: the cards here come from the watcher alone.
      PREFIX_SWEEP_MINUTES: '0',
      // Info: each process logs the cards it posts.
      LOG_LEVEL: 'info',
    });
    const started = await Promise.all(['instance-a', 'instance-b'].map(async (id) => [id, await startBotChild(env(id))] as const));
    for (const [id, bot] of started) bots.set(id, bot);
    store = await openAlertStore(
      { kind: 'table', connectionString: azurite.connectionString, tablePrefix: prefix, allowInsecureConnection: true },
      { clock: systemClock, logger: silentLogger },
    );
    leases = TableClient.fromConnectionString(azurite.connectionString, tableNames(prefix).alerts, { allowInsecureConnection: true });
  });

  after(async () => {
    for (const b of bots.values()) if (b.child.exitCode === null && b.child.signalCode === null) b.child.kill('SIGKILL');
    await Promise.all([...bots.values()].map((b) => b.exited));
    await store?.close();
    await connector?.stop();
    await sim?.close();
    await azurite?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Contoso's watcher lease as stored: who holds it, until when. */
  async function contosoLease(): Promise<LeaseRow | undefined> {
    try {
      const row = await leases.getEntity<{ owner?: unknown; until?: unknown }>('leases', encodeKey(watchLease('contoso')));
      return typeof row.owner === 'string' && typeof row.until === 'number' ? { owner: row.owner, until: row.until } : undefined;
    } catch {
      return undefined;
    }
  }

  /** Says something in a conversation through one process's /api/messages and waits for its reply at the connector. */
  async function sayIn(bot: BotChild, user: User, conversation: { id: string; conversationType: string }, text: string) {
    const id = randomUUID();
    const res = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id,
        text,
        serviceUrl: connector.url,
        channelId: 'msteams',
        from: { id: `29:${user.aadObjectId}`, name: user.name ?? user.aadObjectId, aadObjectId: user.aadObjectId },
        conversation,
        recipient: { id: '28:bot', name: 'ExpressRoute Ops' },
        channelData: { tenant: { id: TEAMS_TENANT } },
      }),
    });
    assert.ok(res.status < 300, `POST answered ${res.status}`);
    return connector.waitFor((c) => c.targetId === id && c.op === 'reply' && c.activity.type !== 'typing', 20_000, `reply to ${text}`);
  }

  /** A timeline event due now: the simulator applies it at the next request that looks. */
  function happensNow(path: string, merge: Record<string, unknown>): void {
    const entry: TimelineEntry = at(Date.now() - sim.startedAt, path, merge);
    sim.settings.timeline = [...(sim.settings.timeline ?? []), entry];
  }

  /** Every card posted into Contoso's channel about `circuit`, by either process. */
  const postsAbout = (circuit: string): ConnectorCall[] =>
    connector.postsTo(ROOM.id).filter((c) => JSON.stringify(c.activity).includes(circuit));

  /** Waits until the lease holder has renewed `times` more times: its watcher has run that many more cycles. */
  async function holderCycles(times: number, timeoutMs = 15_000): Promise<void> {
    const from = (await contosoLease())?.until ?? 0;
    await until(
      `${times} more cycles of Contoso's watcher`,
      async () => ((await contosoLease())?.until ?? 0) >= from + times * WATCH_S * 1000 - 200,
      { timeoutMs },
    );
  }

  let holder: string;
  let amsCard: ConnectorCall;

  it('should have one process watch Contoso and post a dropped session once', async () => {
    const admin = [...bots.values()][0]!;
    assert.match(textOf(await sayIn(admin, ALERT_PEOPLE.admin, ROOM, 'alerts here contoso')), /alert cards/);
    const lease = await until('Contoso watched by one of the processes', contosoLease);
    assert.ok(bots.has(lease.owner), `held by ${lease.owner}`);
    holder = lease.owner;

    happensNow(AMS_PRIMARY, summaryWith(AMS_PRIMARY, 'Idle'));
    amsCard = await until('the card on the dropped session', () => postsAbout(AMS)[0], { timeoutMs: 15_000 });
    assert.match(textOf(amsCard), /BGP down on one link/);
    // Both processes keep cycling; only the lease holder may have posted, and only once.
    await holderCycles(3);
    assert.equal(postsAbout(AMS).length, 1, 'one post while both processes run');
    assert.equal((await contosoLease())?.owner, holder, 'the same process kept Contoso');
    assert.match(bots.get(holder)!.log(), POSTED_FOR_CONTOSO, 'posted by the process holding the lease');
    const other = [...bots.entries()].find(([id]) => id !== holder)![1];
    assert.doesNotMatch(other.log(), POSTED_FOR_CONTOSO, 'the other process posted nothing for Contoso');
  });

  it('should let the other process take over within a lease period of a SIGKILL, and post nothing twice', async () => {
    const dead = bots.get(holder)!;
    const [survivorId, survivor] = [...bots.entries()].find(([id]) => id !== holder)!;
    const lastLease = await contosoLease();
    dead.child.kill('SIGKILL');
    await dead.exited;
    const killedAt = Date.now();
    // The session comes back, and another circuit of Contoso's loses one.
    happensNow(AMS_PRIMARY, original(AMS_PRIMARY));
    happensNow(PAR_PRIMARY, summaryWith(PAR_PRIMARY, 'Idle'));

    const taken = await until(
      'the survivor to hold Contoso',
      async () => {
        const lease = await contosoLease();
        return lease?.owner === survivorId ? lease : undefined;
      },
      { timeoutMs: LEASE_MS + 10_000 },
    );
    const takeoverMs = Date.now() - killedAt;
    // The lease ran out at most LEASE_MS after the kill; the survivor claims it at its next cycle.
    assert.ok(takeoverMs <= LEASE_MS + 2 * WATCH_S * 1000 + 1_000, `taken over ${takeoverMs} ms after the kill`);
    assert.ok(taken.until > (lastLease?.until ?? 0));

    const resolved = await until(
      'the first card resolved in place',
      () => connector.calls.find((c) => c.op === 'update' && c.targetId === amsCard.id && /Resolved at/.test(textOf(c))),
      { timeoutMs: 15_000 },
    );
    assert.match(textOf(resolved), new RegExp(AMS));
    const parCard = await until('the card on the next dropped session', () => postsAbout(PAR)[0], { timeoutMs: 15_000 });
    assert.match(textOf(parCard), /BGP down on one link/);
    assert.match(survivor.log(), POSTED_FOR_CONTOSO, 'posted by the survivor');

    await holderCycles(3);
    assert.equal(postsAbout(AMS).length, 1, `${AMS}: posted once, resolved in place`);
    assert.equal(postsAbout(PAR).length, 1, `${PAR}: posted once, by the survivor`);
    const sent = connector.calls.filter((c) => c.op === 'send');
    assert.equal(new Set(sent.map((c) => c.id)).size, sent.length);
    const alerts = (await store.listAlerts({ customerIds: ['contoso'], resolvedSince: 0 })).filter(
      (a) => a.circuitName === AMS || a.circuitName === PAR,
    );
    assert.deepEqual(alerts.map((a) => `${a.circuitName} ${a.state}`).sort(), [`${AMS} resolved`, `${PAR} firing`]);
    for (const a of alerts) {
      assert.ok(a.groupId, `${a.circuitName} is on a card`);
      assert.equal((await store.alertPosts('contoso', a.groupId)).length, 1, `${a.circuitName}: one post recorded`);
    }
  });
});
