import assert from 'node:assert/strict';
import { Harness } from '../support/harness';
import { answerTo, textOf } from '../support/cards';
import { ENGINEER, ONCALL, SUBSCRIPTIONS } from '../support/demo-world';

/**
 * The simulator throttles and fails like ARM does; the user sees correct answers while a retry would
 * succeed, names of what could not be read when something stays forbidden, and a plain "Azure didn't answer"
 * when ARM is down. Never a raw SDK error or stack.
 */
describe('bot: ARM throttling and faults', function () {
  this.timeout(45_000);
  let h: Harness;
  before(async () => {
    h = await Harness.start();
  });
  after(async () => h?.stop());
  afterEach(() => {
    h.app.simulator!.settings.faults = [];
    delete h.app.simulator!.settings.throttle;
  });

  const since = (from: number) => h.app.simulator!.requests.slice(from);

  function assertNoInternals(text: string): void {
    assert.doesNotMatch(text, /\bat [\w.<>]+ \(|node_modules|RestError|TooManyRequests|statusCode|InternalServerError|\bundefined\b/);
  }

  it('a small read bucket (5, refilled 5/s) throttles hard, yet every answer is complete and correct', async () => {
    await h.app.sweeper.sweep();
    const expected = textOf(await answerTo(h, ONCALL, 'status --fresh'));
    h.app.simulator!.settings.throttle = { reads: { capacity: 5, refillPerSecond: 5 }, writes: { capacity: 2, refillPerSecond: 2 } };
    const from = h.app.simulator!.requests.length;
    // A live drill-down asks the routers of every link at once: device reads are POSTs, which ARM counts as writes.
    const live = textOf(await answerTo(h, ENGINEER, 'status fabrikam-dal-er1 --fresh'));
    assert.match(live, /Live from the routers/);
    assert.match(live, /9000 \/ 10000/);

    const status = textOf(await answerTo(h, ONCALL, 'status --fresh'));
    assert.match(status, /🔴 1 red · 🟠 5 amber · 🟢 6 green/);
    // The same verdicts, reasons and names as unthrottled; only the freshness line, and the minute a metric point
    // is quoted at (the two answers may straddle a minute), may differ.
    const body = (t: string) =>
      t
        .split('\n')
        .filter((l) => !/^(Data|Prefix counts|BGP, ARP and throughput):/.test(l))
        .map((l) => l.replace(/ at \d{2}:\d{2} UTC/g, ' at hh:mm UTC'));
    assert.deepEqual(body(status), body(expected));
    const routes = textOf(await answerTo(h, ENGINEER, 'routes fabrikam-dal-er1 10.64.0.0/16 --fresh'));
    assert.match(routes, /Rows 1–50 of 256 overlapping 10\.64\.0\.0\/16/);

    const throttled = since(from).filter((r) => r.status === 429);
    assert.ok(throttled.length > 0, 'the simulator answered 429s');
    for (const text of [status, routes, live]) {
      assert.doesNotMatch(text, /throttl|429|Could not read|too many/i);
      assertNoInternals(text);
    }
  });

  it('a 500 fault that clears after two tries is retried, and the answer is normal', async () => {
    h.app.simulator!.addFaults([{ match: 'GET /subscriptions/', status: 500, count: 2, retryAfterSeconds: 0 }]);
    const from = h.app.simulator!.requests.length;
    const text = textOf(await answerTo(h, ENGINEER, 'circuit contoso-ams-er1 --fresh'));
    assert.match(text, /Circuit contoso-ams-er1/);
    assert.match(text, /🟢 Green/);
    assert.equal(since(from).filter((r) => r.status === 500).length, 2);
  });

  it('a subscription that stays forbidden (403) is named on the card; the rest is still answered', async () => {
    h.app.simulator!.addFaults([
      {
        match: `/subscriptions/${SUBSCRIPTIONS.contoso1}/`,
        status: 403,
        code: 'AuthorizationFailed',
        message: "The client 'x' does not have authorization to perform action 'Microsoft.Network/expressRouteCircuits/read'.",
        count: -1,
      },
    ]);
    const status = textOf(await answerTo(h, ONCALL, 'status --fresh'));
    // Resource Graph still lists the circuits; Azure Monitor refuses their metrics: unknown, never green.
    assert.match(status, /⚪ 2 unknown/);
    assert.match(status, /⚪ \*\*contoso-par-er4\*\* · Contoso Ltd/);
    assert.match(status, /no access to subscription/);
    assert.match(status, /contoso-fra-er3/, 'circuits of the readable subscriptions are still checked');
    assertNoInternals(status);

    const circuit = textOf(await answerTo(h, ENGINEER, 'circuit contoso-par-er4 --fresh'));
    assert.match(circuit, new RegExp(`no access to subscription ${SUBSCRIPTIONS.contoso1}`));
    assert.match(circuit, /Could not confirm live: .*no access/);
    assertNoInternals(circuit);
  });

  it('ARM down for good (500 on every call) gives a clear "Azure didn\'t answer", no stack trace, no SDK text', async () => {
    h.app.simulator!.addFaults([{ match: '/', status: 500, count: -1, retryAfterSeconds: 0 }]);
    const circuit = textOf(await answerTo(h, ENGINEER, 'circuit contoso-ams-er1 --fresh'));
    assert.match(circuit, /Azure didn't answer/);
    assert.match(circuit, /Try again in a few minutes/);
    assert.match(circuit, /Code: arm_unavailable/);
    assertNoInternals(circuit);

    const status = textOf(await answerTo(h, ONCALL, 'status --fresh'));
    assert.match(status, /Could not read 4 subscription\(s\)/);
    assert.match(status, /Azure did not answer/);
    assert.doesNotMatch(status, /🟢/, 'nothing unread is shown as healthy');
    assertNoInternals(status);
    assert.equal(await h.healthz(), 200);
  });

  it('a router read that keeps failing is reported plainly, the circuit itself still known', async () => {
    h.app.simulator!.addFaults([{ match: 'POST /subscriptions/', status: 503, count: -1, retryAfterSeconds: 0 }]);
    const routes = textOf(await answerTo(h, ENGINEER, 'routes contoso-ams-er1 --fresh'));
    assert.match(routes, /Azure didn't answer/);
    assertNoInternals(routes);
    // BGP reads each link separately: the card still comes, saying which reads failed.
    const bgp = textOf(await answerTo(h, ENGINEER, 'bgp contoso-ams-er1 --fresh'));
    assert.match(bgp, /BGP of contoso-ams-er1/);
    assertNoInternals(bgp);
  });
});
