import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { startSimulator, buildDemoFleet, type RunningSimulator } from '../../src/simulator';
import { SqliteChangeStore } from '../../src/store';
import { FakeConnector, type ConnectorCall } from '../support/fake-connector';
import { textOf, type User } from '../support/harness';
import { validCard } from '../support/cards';
import { requestIdOf } from '../support/change-cards';
import { AMS, PEOPLE, approver, changeDirectory } from '../support/change-world';
import { CIRCUIT_IDS } from '../support/demo-world';
import { until } from '../support/until';
import { startBotChild as startBot, type BotChild } from '../support/spawn-bot';

/**
 * The bot is killed (SIGKILL, no goodbye) while ARM is still working on an approved change, then started again
 * on the same data folder. ARM (the simulator, in this process) outlives it, as real ARM would. The restarted
 * bot must resume polling the saved operation, finish it, and update the cards, without a second PUT.
 */

describe('crash safety: SIGKILL while ARM is working on an approved change', function () {
  this.timeout(90_000);
  let sim: RunningSimulator;
  let connector: FakeConnector;
  const bots: BotChild[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'erbot-crash-'));
  const caFile = path.join(dir, 'ca.pem');
  const directoryFile = path.join(dir, 'directory.json');

  before(async () => {
    // Long enough that the kill lands while ARM still says InProgress.
    sim = await startSimulator({ fleet: buildDemoFleet(), settings: { lroDurationMs: 4000, deviceReadMs: 0 } });
    writeFileSync(caFile, sim.caPem);
    writeFileSync(directoryFile, JSON.stringify(changeDirectory({ required: 1 })));
    connector = new FakeConnector();
    await connector.start();
  });
  after(async () => {
    for (const b of bots) if (b.child.exitCode === null) b.child.kill('SIGKILL');
    await Promise.all(bots.map((b) => b.exited));
    await connector?.stop();
    await sim?.close();
  });

  const env = () => ({
    SIM_URL: sim.url,
    SIM_CA_FILE: caFile,
    DATA_DIR: path.join(dir, 'data'),
    DIRECTORY_FILE: directoryFile,
    PORT: '0',
    PLAYGROUND: '0',
    ARM_POLL_INTERVAL_MS: '50',
    PROGRESS_UPDATE_MS: '50',
    EXECUTOR_RETRY_DELAY_MS: '50',
    // A killed bot's lease must run out quickly for the restarted one to take its change over.
    EXECUTOR_LEASE_MS: '1500',
    LOG_LEVEL: 'warn',
  });

  async function say(botUrl: string, user: User, text: string): Promise<ConnectorCall> {
    const id = randomUUID();
    const res = await fetch(`${botUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id,
        text,
        serviceUrl: connector.url,
        channelId: 'msteams',
        from: { id: `29:${user.aadObjectId}`, name: user.name ?? user.aadObjectId, aadObjectId: user.aadObjectId },
        conversation: { id: `a:personal-${user.aadObjectId}`, conversationType: 'personal' },
        recipient: { id: '28:bot', name: 'ExpressRoute Ops' },
      }),
    });
    assert.ok(res.status < 300, `POST answered ${res.status}`);
    return connector.waitFor((c) => c.targetId === id && c.op === 'reply' && c.activity.type !== 'typing', 20_000, `reply to ${text}`);
  }

  const putsToCircuit = () =>
    sim.requests.filter((r) => r.method === 'PUT' && r.path.toLowerCase() === CIRCUIT_IDS.contosoAms.toLowerCase()).length;

  it('should resume the saved operation after a restart, finish it, update the card, and never PUT twice', async () => {
    const first = await startBot(env());
    bots.push(first);
    const requested = await say(first.url, PEOPLE.engineer, `upgrade ${AMS} 2 Gbps`);
    const id = requestIdOf(validCard(requested));
    await say(first.url, approver(0), `approve ${id}`);

    // Wait until ARM accepted the PUT and the bot saved the operation's poller state, then kill it.
    const store = await SqliteChangeStore.open({ file: path.join(dir, 'data', 'erbot.sqlite') });
    try {
      await until(
        'the PUT and the saved poller state',
        async () => {
          const r = await store.get(id);
          return putsToCircuit() === 1 && r?.state === 'executing' && r.operation?.pollerState ? true : undefined;
        },
        { timeoutMs: 20_000 },
      );
      first.child.kill('SIGKILL');
      await first.exited;
      const circuit = sim.resource(CIRCUIT_IDS.contosoAms) as { properties: { provisioningState: string } };
      assert.equal(circuit.properties.provisioningState, 'Updating', 'the kill landed while ARM was still working');
      assert.equal((await store.get(id))?.state, 'executing');

      const second = await startBot(env());
      bots.push(second);
      const done = await until(
        'the request to succeed after the restart',
        async () => {
          const r = await store.get(id);
          return r?.state === 'succeeded' || r?.state === 'failed' ? r : undefined;
        },
        { timeoutMs: 30_000 },
      );
      assert.equal(done.state, 'succeeded', `ended ${done.state}: ${done.outcome?.message ?? ''}\n${second.log()}`);
      assert.equal(putsToCircuit(), 1, 'exactly one PUT across both bot processes');

      // The requester's card, posted by the first process, is brought to its end by the second.
      const updated = await until(
        'the requester card updated to Succeeded',
        () => connector.calls.find((c) => c.op === 'update' && c.targetId === requested.id && /Succeeded/.test(textOf(c))),
        { timeoutMs: 20_000 },
      );
      validCard(updated);
      assert.match(textOf(updated), /2 Gbps/);

      const audit = await store.audit({ customerIds: ['contoso'], requestId: id, limit: 50 });
      const states = audit.map((a) => a.to);
      assert.equal(states.filter((s) => s === 'executing').length, 1, 'executed once: the restart resumed, it did not re-run');
      assert.equal(states[states.length - 1], 'succeeded');
      assert.ok(states.indexOf('approved') < states.indexOf('executing'));
    } finally {
      await store.close();
    }
  });
});
