import assert from 'node:assert/strict';
import { textOf, validCard } from '../support/cards';
import { until } from '../support/until';
import {
  ALERT_PEOPLE,
  CIRCUITS,
  alertDirectory,
  channel,
  postsIn,
  sayIn,
  summaryPath,
  summaryWith,
  watching,
  type Watching,
} from './support/alert-world';

const CONTOSO_CHANNEL = channel('contoso-verification');

/** Both sessions of AMS's private peering go Idle right after the first write to that peering. */
const BGP_DOWN_AFTER_WRITE = (['primary', 'secondary'] as const).map((path) => ({
  afterWriteTo: 'contoso-ams-er1/peerings/AzurePrivatePeering',
  afterMs: 0,
  path: summaryPath(CIRCUITS.contosoAms, path),
  merge: summaryWith(summaryPath(CIRCUITS.contosoAms, path), 'Idle'),
}));

describe('a change whose post-change check fails pages on-call (issue 13)', function () {
  this.timeout(60_000);
  let w: Watching;
  before(async () => {
    w = await watching(BGP_DOWN_AFTER_WRITE, {
      directory: alertDirectory(),
      env: { VERIFY_WINDOW_SECONDS: '2', VERIFY_LOOK_SECONDS: '0.1' },
    });
    assert.match(textOf(await sayIn(w.h, ALERT_PEOPLE.admin, CONTOSO_CHANNEL, 'alerts here contoso')), /alert cards/);
  });
  after(async () => w?.h.stop());

  it('should post a change-failed alert to the customer’s alerts channel naming the verification and the way back', async () => {
    const before = postsIn(w.h, CONTOSO_CHANNEL.id).length;
    const asked = textOf(await w.h.say(ALERT_PEOPLE.engineer, 'peering contoso/contoso-ams-er1 private asn 65150'));
    const id = /CR-[0-9A-Z]+/.exec(asked)?.[0] ?? assert.fail(asked);
    await w.h.say(ALERT_PEOPLE.approver, `approve ${id}`);
    const failed = await until(`${id}'s verification`, async () => {
      const r = await w.h.app.store.get(id);
      return r?.verification?.status === 'failed' && r;
    });
    assert.equal(failed.state, 'succeeded');
    const card = await until('the alert card', () => postsIn(w.h, CONTOSO_CHANNEL.id)[before]);
    const text = textOf(validCard(card));
    assert.match(text, new RegExp(`${id} \\(private-peering, requested by Dana\\) succeeded at ARM, verification failed: .*BGP`));
    assert.match(text, new RegExp(`rollback ${id}`));
    const [alert] = await w.on(CIRCUITS.contosoAms, 'change-failed');
    assert.equal(alert?.state, 'firing');
  });
});
