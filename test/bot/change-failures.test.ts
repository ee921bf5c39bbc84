import assert from 'node:assert/strict';
import { Harness } from '../support/harness';
import { buttonsOf, textOf, validCard } from '../support/cards';
import { PEOPLE, approver, changeDirectory } from '../support/change-world';
import { cardBecomes, cardSentTo, introduce, requestIdOf } from '../support/change-cards';
import { OffsetClock } from '../support/offset-clock';
import { CIRCUIT_IDS, SUBSCRIPTIONS } from '../support/demo-world';
import { buildDemoFleet, generateCertificate, startSimulator, type RunningSimulator } from '../../src/simulator';
import { startFailingOperationsProxy, type FailingOperationsProxy } from '../changes/support/failing-operations-proxy';

const NW = 'providers/Microsoft.Network/expressRouteCircuits';
const LON_ID = `/subscriptions/${SUBSCRIPTIONS.contoso0}/resourceGroups/rg-contoso-network/${NW}/contoso-lon-er2`;
const PAR_ID = `/subscriptions/${SUBSCRIPTIONS.contoso1}/resourceGroups/rg-contoso-dr/${NW}/contoso-par-er4`;

describe('bot: failed changes end cleanly and say so', function () {
  this.timeout(60_000);
  let sim: RunningSimulator;
  let proxy: FailingOperationsProxy;
  let h: Harness;
  before(async () => {
    const tls = await generateCertificate();
    sim = await startSimulator({ fleet: buildDemoFleet(), tls, settings: { deviceReadMs: 0 } });
    proxy = await startFailingOperationsProxy(sim, tls);
    h = await Harness.start({
      directory: changeDirectory(),
      externalSimulator: { url: proxy.url, caPem: sim.caPem },
      armLimits: { maxAttempts: 1 },
      changes: { progressUpdateMs: 50, executorLimits: { maxAttempts: 3, retryDelayMs: 10, followIntervalMs: 10 } },
    });
  });
  afterEach(() => {
    sim.settings.faults = [];
    proxy.failNext(0, { code: 'x', message: 'x' });
  });
  after(async () => {
    await h?.stop();
    await proxy?.close();
    await sim?.close();
  });

  const puts = (id: string) => sim.requests.filter((r) => r.method === 'PUT' && r.path.toLowerCase() === id.toLowerCase());

  async function requestAndApprove(circuit: string, bandwidth: string): Promise<{ id: string; replyId: string }> {
    const reply = await h.say(PEOPLE.engineer, `upgrade ${circuit} ${bandwidth}`);
    const id = requestIdOf(validCard(reply));
    validCard(await h.say(approver(0), `approve ${id}`));
    return { id, replyId: reply.id };
  }

  async function nothingExecuting(): Promise<void> {
    assert.deepEqual(
      (await h.app.store.list({ states: ['executing', 'approved'] })).map((r) => r.id),
      [],
    );
  }

  it('should end failed with ARM’s code and message in plain words when the operation ends Failed', async () => {
    proxy.failNext(100, { code: 'ServiceProviderCapacityExceeded', message: 'The provider cannot carry 2 Gbps at this location.' });
    const { id, replyId } = await requestAndApprove('contoso/contoso-ams-er1', '2 Gbps');
    const card = await cardBecomes(h, replyId, (t) => /Failed/.test(t));
    const text = textOf(card);
    assert.match(text, /In short: service provider capacity exceeded/);
    assert.match(text, /The provider cannot carry 2 Gbps/);
    assert.match(text, /The circuit now/);
    assert.equal(buttonsOf(card).length, 0);
    assert.equal((await h.app.store.get(id))?.state, 'failed');
    assert.equal(puts(CIRCUIT_IDS.contosoAms).length, 1, 'a failed operation is not sent again');
    await nothingExecuting();
  });

  it('should retry a 429 RetryableErrorDueToAnotherOperation and then succeed', async () => {
    sim.addFaults([
      { match: 'PUT', status: 429, code: 'RetryableErrorDueToAnotherOperation', message: 'Another operation is in progress.', count: 1 },
    ]);
    const { id, replyId } = await requestAndApprove('contoso/contoso-lon-er2', '2 Gbps');
    const card = await cardBecomes(h, replyId, (t) => /Succeeded/.test(t));
    assert.match(textOf(card), /Bandwidth\n2 Gbps/);
    assert.deepEqual(
      puts(LON_ID).map((r) => r.status),
      [429, 200],
    );
    assert.equal((await h.app.store.get(id))?.state, 'succeeded');
    await nothingExecuting();
  });

  it('should give up on a persistent 500 within its attempts, failed with a clear message and nothing changed', async () => {
    sim.addFaults([{ match: 'PUT', status: 500, code: 'InternalServerError', message: 'Network RP failed.', count: -1 }]);
    const { id, replyId } = await requestAndApprove('contoso/contoso-par-er4', '1 Gbps');
    const card = await cardBecomes(h, replyId, (t) => /Failed/.test(t));
    const text = textOf(card);
    assert.match(text, /In short: Azure's network service had an internal error/);
    assert.match(text, /gave up after 3 attempts\. Nothing was changed\./);
    assert.match(text, /Bandwidth\n500 Mbps/);
    assert.equal(puts(PAR_ID).length, 3);
    assert.equal((await h.app.store.get(id))?.state, 'failed');
    await nothingExecuting();
  });
});

describe('bot: pending requests expire', function () {
  this.timeout(60_000);
  const clock = new OffsetClock();
  let h: Harness;
  before(async () => {
    h = await Harness.start({ directory: changeDirectory({ ttlMinutes: 60 }), clock, changes: { expirySweepMs: 20 } });
    await introduce(h, approver(0));
  });
  after(async () => h?.stop());

  it('should expire past the TTL on the injected clock: buttons gone everywhere, a late click refused', async () => {
    const reply = await h.say(PEOPLE.engineer, 'upgrade contoso/contoso-ams-er1 2 Gbps');
    const id = requestIdOf(validCard(reply));
    const sent = await cardSentTo(h, approver(0), id);
    assert.ok(buttonsOf(validCard(sent)).some((b) => b.title === 'Approve'));
    clock.advance(59 * 60_000);
    validCard(await h.say(PEOPLE.engineer, 'requests'));
    assert.equal((await h.app.store.get(id))?.state, 'pending', 'not before its time');

    clock.advance(2 * 60_000);
    const requester = await cardBecomes(h, reply.id, (t) => /Expired/.test(t));
    assert.match(textOf(requester), /can no longer be approved/);
    assert.deepEqual(
      buttonsOf(requester).map((b) => b.title),
      ['Re-request'],
      'only asking again is left',
    );
    const theirs = await cardBecomes(h, sent.id, (t) => /Expired/.test(t));
    assert.deepEqual(buttonsOf(theirs), []);

    const late = validCard(await h.click(approver(0), 'intent', { intent: { kind: 'approve', id } }, sent.id));
    assert.match(textOf(late), /is expired, so it can't be approved/);
    const request = await h.app.store.get(id);
    assert.equal(request?.state, 'expired');
    assert.equal(request?.approvals.length, 0);
    assert.equal((h.app.simulator?.requests ?? []).filter((r) => r.method === 'PUT').length, 0);
    assert.match(textOf(validCard(await h.say(PEOPLE.engineer, 'audit contoso'))), /expired/);
  });
});
