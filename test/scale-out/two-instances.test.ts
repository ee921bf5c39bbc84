import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startSimulator, buildDemoFleet, type RunningSimulator } from '../../src/simulator';
import { startAzurite, type Azurite } from '../support/azurite';
import { Harness } from '../support/harness';
import { textOf, validCard } from '../support/cards';
import { requestIdOf } from '../support/change-cards';
import { AMS, PEOPLE, approver, changeDirectory } from '../support/change-world';
import { CIRCUIT_IDS } from '../support/demo-world';
import { until } from '../support/until';

/**
 * Scale-out: two bot instances behind one Bot Service share their state in Azure Table Storage (a real Azurite)
 * and talk to one ARM. Approve clicks land on either instance; exactly one ARM write may follow.
 */
describe('scale-out: two instances sharing Azure Table Storage', function () {
  this.timeout(60_000);
  let azurite: Azurite;
  let sim: RunningSimulator;
  let a: Harness;
  let b: Harness;
  const APPROVERS = 40;

  before(async () => {
    azurite = await startAzurite();
    sim = await startSimulator({ fleet: buildDemoFleet(), settings: { lroDurationMs: 200, deviceReadMs: 0 } });
    const shared = {
      directory: changeDirectory({ required: 1, approvers: APPROVERS }),
      externalSimulator: { url: sim.url, caPem: sim.caPem },
      env: {
        TABLE_STORAGE_CONNECTION_STRING: azurite.connectionString,
        TABLE_STORAGE_PREFIX: `scale${randomUUID().replace(/-/g, '').slice(0, 8)}`,
      },
      changes: { progressUpdateMs: 50, executorLimits: { retryDelayMs: 10 } },
    };
    a = await Harness.start(shared);
    b = await Harness.start(shared);
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    await sim?.close();
    await azurite?.stop();
  });

  const puts = () => sim.requests.filter((r) => r.method === 'PUT' && r.path.toLowerCase() === CIRCUIT_IDS.contosoAms.toLowerCase()).length;

  it('should see on one instance the request made on the other', async () => {
    const card = validCard(await a.say(PEOPLE.engineer, `upgrade ${AMS} 2 Gbps`));
    const id = requestIdOf(card);
    const seen = validCard(await b.say(approver(0), `request ${id}`));
    assert.match(textOf(seen), new RegExp(id));
    assert.match(textOf(seen), /1 Gbps → 2 Gbps/);
    validCard(await b.say(PEOPLE.engineer, `cancel ${id}`));
  });

  it('should turn Approve clicks racing on both instances into exactly one ARM PUT', async () => {
    const card = validCard(await a.say(PEOPLE.engineer, `upgrade ${AMS} 2 Gbps`));
    const id = requestIdOf(card);
    const before = puts();
    const clicks = Array.from({ length: APPROVERS }, (_, i) =>
      (i % 2 === 0 ? a : b).click(approver(i), 'intent', { intent: { kind: 'approve', id } }),
    );
    const answers = await Promise.all(clicks);
    for (const answer of answers) validCard(answer);
    const state = await until(
      'the change to end',
      async () => {
        const s = (await a.app.store.get(id))?.state;
        return s === 'succeeded' || s === 'failed' ? s : undefined;
      },
      { timeoutMs: 20_000 },
    );
    assert.equal(state, 'succeeded');
    assert.equal(puts() - before, 1, 'one ARM write for one approved change, whichever instance took the clicks');
    const audit = await b.app.store.audit({ customerIds: ['contoso'], requestId: id, limit: 200 });
    assert.equal(audit.filter((e) => e.to === 'executing').length, 1);
    const approvals = audit.filter((e) => e.action === 'approved');
    assert.equal(approvals.length, 1, 'one decisive approval recorded');
    assert.equal(approvals[0]?.after?.approvals, '1/1', 'the count recorded is the count stored');
    const final = await a.app.store.get(id);
    assert.equal(final?.approvals.length, 1, 'no approval was added after the count was reached');
  });
});
