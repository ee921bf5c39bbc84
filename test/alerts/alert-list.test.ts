import assert from 'node:assert/strict';
import { LIST_LIMIT } from '../../src/alerts/alert-workflow';
import { textOf, validCard } from '../support/cards';
import { Harness } from '../support/harness';
import { makeAlert } from '../store/alert-store-contract';
import { ALERT_PEOPLE, MIN, alertDirectory } from './support/alert-world';

const RESOLVED = 130;

/** `alerts all` over a long history: the newest ones, and how many more there are, never the whole store. */
describe('alerts: listing a long history', function () {
  this.timeout(60_000);
  let h: Harness;

  before(async () => {
    h = await Harness.start({ directory: alertDirectory(), logLevel: 'warn' });
    const now = Date.now();
    assert.ok(await h.app.alertStore.createAlert(makeAlert({ firedAt: now - MIN, createdAt: now - MIN, updatedAt: now - MIN })));
    for (let i = 0; i < RESOLVED; i++) {
      const at = now - (i + 2) * MIN;
      const resolved = makeAlert({ state: 'resolved', createdAt: at - MIN, firedAt: at - MIN, resolvedAt: at, updatedAt: at });
      assert.ok(await h.app.alertStore.createAlert(resolved));
    }
    // Pending, never fired: not shown, and not counted either.
    await h.app.alertStore.createAlert(
      makeAlert({ condition: 'utilisation-high', key: 'k-pending', state: 'pending', firedAt: undefined, updatedAt: now }),
    );
  });
  after(async () => h?.stop());

  const shownIds = (text: string) => new Set(text.match(/AL-[0-9A-Z]+/g) ?? []).size;

  it('should show the newest alerts and say how many more there are', async () => {
    const text = textOf(validCard(await h.say(ALERT_PEOPLE.oncall, 'alerts contoso all')));
    const shown = shownIds(text);
    const more = Number(/… and (\d+) more not shown/.exec(text)?.[1] ?? 0);
    assert.ok(shown > 0 && shown <= LIST_LIMIT, `${shown} shown`);
    assert.equal(shown + more, RESOLVED + 1, text.slice(-400));
    assert.match(text, /… and \d+ more not shown\. Resolved alerts are kept for 30 days\. `alerts contoso` lists the open ones\./);
  });

  it('should list the open ones alone without a note', async () => {
    const text = textOf(validCard(await h.say(ALERT_PEOPLE.oncall, 'alerts contoso')));
    assert.equal(shownIds(text), 1);
    assert.doesNotMatch(text, /more not shown/);
  });
});
