import assert from 'node:assert/strict';
import { DEMO_CUSTOMERS } from '../../src/demo/customers';
import { textOf } from '../support/cards';
import { Harness } from '../support/harness';
import { OffsetClock } from '../support/offset-clock';
import { until } from '../support/until';
import { ALERT_PEOPLE, MIN, resourceGraphForbidden, alertDirectory, channel, isWatchNotice, postsIn, sayIn } from './support/alert-world';

const CHANNEL = channel('contoso-watch-notices');

/**
 * A customer whose inventory the watcher cannot read is not watched: its alerts hold and nothing new is raised.
 * Its alerts channel is told once when that begins and once when it ends, with ARM's reason.
 */
describe('alerts: a customer the watcher cannot read is said in its alerts channel', function () {
  this.timeout(60_000);
  let h: Harness;
  const clock = new OffsetClock();

  before(async () => {
    // The demo fleet's own critical alert on Contoso would be escalated as the clock moves: not within these tests.
    h = await Harness.start({ clock, logLevel: 'warn', directory: alertDirectory({ escalateAfterMinutes: 24 * 60 }) });
    assert.match(textOf(await sayIn(h, ALERT_PEOPLE.admin, CHANNEL, 'alerts here contoso')), /alert cards/);
  });
  after(async () => h?.stop());
  afterEach(() => {
    h.app.simulator!.settings.faults = [];
  });

  /** The watch notices in the channel (its alert cards aside). */
  const notices = () =>
    postsIn(h, CHANNEL.id)
      .map((p) => textOf(p))
      .filter(isWatchNotice);
  async function cycle(): Promise<void> {
    await h.app.watcher.runCycle();
    await until('alert delivery idle', () => h.app.alertDelivery.idle);
  }

  it('should say once that Contoso is not watched, with the reason, and once that it is again', async () => {
    await cycle();
    const before = notices().length;

    // Resource Graph refuses every tenant's query, as ARM does once the bot's access is taken away.
    h.app.simulator!.settings.faults = [resourceGraphForbidden()];
    const from = clock.now();
    await cycle();
    const to = clock.now();
    const lost = notices().slice(before);
    assert.equal(lost.length, 1, lost.join('\n---\n'));
    assert.match(lost[0]!, /Not watching Contoso Ltd since/);
    // ARM's refusal, in the words `status` uses for it, and what to do.
    assert.match(lost[0]!, /no access to subscription/);
    assert.match(lost[0]!, /Reader role/);
    assert.match(lost[0]!, /its alerts hold as they were and nothing new is raised/);
    // The channel is Contoso's: the other customers, unreadable too, are not named in it.
    for (const other of [DEMO_CUSTOMERS.fabrikam, DEMO_CUSTOMERS.northwind]) assert.doesNotMatch(lost[0]!, new RegExp(other.name));

    clock.advance(5 * MIN);
    await cycle();
    assert.equal(notices().length, before + 1, 'said once, not at every cycle');

    h.app.simulator!.settings.faults = [];
    clock.advance(5 * MIN);
    await cycle();
    const back = notices().slice(before + 1);
    assert.equal(back.length, 1, back.join('\n---\n'));
    assert.match(back[0]!, /Watching Contoso Ltd again/);
    assert.match(back[0]!, /not watched for 10 min/);
    // Since the cycle that found it (a minute may have turned during that cycle).
    const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
    assert.ok(back[0]!.includes(hhmm(from)) || back[0]!.includes(hhmm(to)), back[0]);

    await cycle();
    assert.equal(notices().length, before + 2, 'and that once too');
  });

  it('should say the loss again at the next cycle when every post of it failed, and then once', async () => {
    await cycle();
    const before = notices().length;
    h.app.simulator!.settings.faults = [resourceGraphForbidden()];
    h.connector.failSendsTo(CHANNEL.id);
    try {
      await cycle();
    } finally {
      h.connector.failSendsTo(CHANNEL.id, false);
    }
    assert.equal(notices().length, before, 'its post failed');
    assert.ok(h.logLines.some((l) => l.includes('its tell taken back')));
    // Only Contoso's: the others, unreadable too, had nowhere to be said or were said, and stay told.
    assert.deepEqual(
      (await h.app.alertStore.listWatchGaps(['contoso', 'fabrikam', 'northwind'])).map((g) => [g.customerId, g.told]),
      [
        ['contoso', false],
        ['fabrikam', true],
        ['northwind', true],
      ],
      'the tell taken back',
    );

    clock.advance(MIN);
    await cycle();
    const said = notices().slice(before);
    assert.equal(said.length, 1, said.join('\n---\n'));
    assert.match(said[0]!, /Not watching Contoso Ltd since/);
    clock.advance(MIN);
    await cycle();
    assert.equal(notices().length, before + 1, 'said once');
  });

  it('should say the loss at the next cycle when the store’s answer to its tell was lost, though the tell landed', async () => {
    await cycle();
    const before = notices().length;
    const store = h.app.alertStore;
    const tell = store.tellWatchGap.bind(store);
    let lost = 0;
    store.tellWatchGap = async (...args) => {
      const told = await tell(...args);
      if (args[0] === 'contoso' && lost++ === 0) throw new Error('socket hang up');
      return told;
    };
    h.app.simulator!.settings.faults = [resourceGraphForbidden()];
    try {
      await cycle();
      assert.equal(lost, 1);
      assert.equal(notices().length, before, 'not said: the answer was lost');
      assert.deepEqual(
        (await store.listWatchGaps(['contoso'])).map((g) => g.told),
        [true],
        'the tell landed',
      );
      clock.advance(MIN);
      await cycle();
    } finally {
      store.tellWatchGap = tell;
    }
    const said = notices().slice(before);
    assert.equal(said.length, 1, said.join('\n---\n'));
    assert.match(said[0]!, /Not watching Contoso Ltd since/);
  });

  it('should say nothing of an outage of Azure shorter than 5 minutes, and say a longer one once it has lasted that long', async () => {
    await cycle();
    const before = notices().length;
    const unavailable = () => {
      h.app.simulator!.settings.faults = [
        {
          match: 'POST /providers/Microsoft.ResourceGraph/resources',
          status: 503,
          code: 'ServiceUnavailable',
          count: -1,
          retryAfterSeconds: 0,
        },
      ];
    };
    // A blip: unreadable for 4 minutes (the bot's retries given up each cycle), then readable.
    unavailable();
    for (let minute = 0; minute < 4; minute++) {
      await cycle();
      clock.advance(MIN);
    }
    h.app.simulator!.settings.faults = [];
    await cycle();
    assert.equal(notices().length, before, notices().slice(before).join('\n---\n'));

    // Longer: said at the first cycle 5 minutes after it began, then its end.
    unavailable();
    for (let minute = 0; minute < 5; minute++) {
      await cycle();
      assert.equal(notices().length, before, `minute ${minute}`);
      clock.advance(MIN);
    }
    await cycle();
    const said = notices().slice(before);
    assert.equal(said.length, 1, said.join('\n---\n'));
    assert.match(said[0]!, /Not watching Contoso Ltd since .*\. Azure didn't answer: /);
    // An outage's hint is for someone asking again; the notice leaves it out.
    assert.doesNotMatch(said[0]!, /ask again/i);
    h.app.simulator!.settings.faults = [];
    await cycle();
    assert.match(
      notices()
        .slice(before + 1)
        .join('\n'),
      /Watching Contoso Ltd again: its inventory can be read\. It was not watched for 5 min/,
    );
  });
});

describe('alerts: two watch cycles of one instance at once', function () {
  this.timeout(60_000);

  it('should say the loss once, and its end once', async () => {
    const clock = new OffsetClock();
    const h = await Harness.start({ clock, logLevel: 'warn', directory: alertDirectory({ escalateAfterMinutes: 24 * 60 }) });
    try {
      assert.match(textOf(await sayIn(h, ALERT_PEOPLE.admin, CHANNEL, 'alerts here contoso')), /alert cards/);
      const notices = () =>
        postsIn(h, CHANNEL.id)
          .map((p) => textOf(p))
          .filter(isWatchNotice);
      // A cycle run by hand while the loop's own runs, say: both find Contoso unreadable, then readable.
      const two = async () => {
        await Promise.all([h.app.watcher.runCycle(), h.app.watcher.runCycle()]);
        await until('alert delivery idle', () => h.app.alertDelivery.idle);
      };
      h.app.simulator!.settings.faults = [resourceGraphForbidden()];
      try {
        await two();
      } finally {
        h.app.simulator!.settings.faults = [];
      }
      clock.advance(MIN);
      await two();
      const said = notices();
      assert.equal(said.length, 2, said.join('\n---\n'));
      assert.match(said[0]!, /Not watching Contoso Ltd since/);
      assert.match(said[1]!, /Watching Contoso Ltd again/);
    } finally {
      await h.stop();
    }
  });
});

describe('alerts: a watch cycle that outlasts its leases', function () {
  this.timeout(60_000);

  it('should leave what it found of unreadable customers to the instance watching them now, and say nothing', async () => {
    // A lease of 1 ms: every cycle outlasts it, as one held up for minutes by a throttled ARM would a real one.
    const h = await Harness.start({ logLevel: 'warn', directory: alertDirectory(), alerts: { leaseMs: 1 } });
    try {
      assert.match(textOf(await sayIn(h, ALERT_PEOPLE.admin, CHANNEL, 'alerts here contoso')), /alert cards/);
      h.app.simulator!.settings.faults = [resourceGraphForbidden()];
      assert.equal((await h.app.watcher.runCycle()).unread, 3);
      await until('alert delivery idle', () => h.app.alertDelivery.idle);
      assert.ok(h.logLines.some((l) => l.includes('outlasted its leases')));
      const said = postsIn(h, CHANNEL.id)
        .map((p) => textOf(p))
        .filter((t) => /Not watching/.test(t));
      assert.deepEqual(said, []);
      assert.deepEqual(await h.app.alertStore.listWatchGaps(['contoso', 'fabrikam', 'northwind']), [], 'nothing recorded');
    } finally {
      await h.stop();
    }
  });
});
