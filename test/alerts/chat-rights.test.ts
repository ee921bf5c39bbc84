import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TOKEN, expressRoute, postAlert } from '../azure-monitor/support/payloads';
import { textOf, validCard } from '../support/cards';
import { Harness } from '../support/harness';
import { until } from '../support/until';
import { ALERT_PEOPLE, alertDirectory, updatesOf } from './support/alert-world';

const chatOf = (user: { aadObjectId: string }) => `a:personal-${user.aadObjectId}`;

/**
 * An alert card in someone's 1:1 chat is kept current only while that person may still see the customer. The bot
 * posts Contoso's card to its two on-call people's chats, then restarts on the same store with a directory in
 * which Omar is no longer on Contoso: when the alert resolves, Ada's card says so in place, and Omar's card is left
 * as it was (it would otherwise show him Contoso's news).
 */
describe('alerts: 1:1 cards and the rights of the person in the chat', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'erbot-chat-rights-'));
  const env = { AZURE_ALERTS_TOKEN: TOKEN, DATA_DIR: path.join(dir, 'data') };
  let before: Harness | undefined;
  let after: Harness | undefined;

  afterEach(async () => {
    await after?.stop();
    // The first bot's app is stopped in the test; its connector is where the saved references point.
    await before?.connector.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should stop updating the card in the chat of someone who may no longer view the customer', async () => {
    before = await Harness.start({ directory: alertDirectory(), env, logLevel: 'warn' });
    const first = before;
    await first.say(ALERT_PEOPLE.admin, 'help');
    await first.say(ALERT_PEOPLE.oncall, 'help');
    const fired = await postAlert(first, expressRoute('metric-bgp-fired'));
    assert.equal(fired.status, 200, JSON.stringify(fired.body));
    const [adaCard, omarCard] = await until('the card in both on-call chats', () => {
      const ada = first.connector.postsTo(chatOf(ALERT_PEOPLE.admin)).find((p) => /contoso-ams-er1/.test(textOf(p)));
      const omar = first.connector.postsTo(chatOf(ALERT_PEOPLE.oncall)).find((p) => /contoso-ams-er1/.test(textOf(p)));
      return ada && omar && ([ada, omar] as const);
    });
    await until('delivery idle', () => first.app.alertDelivery.idle);
    await first.app.stop();

    const directory = alertDirectory() as { people: { aadObjectId: string; access: unknown }[] };
    const omar = directory.people.find((p) => p.aadObjectId === ALERT_PEOPLE.oncall.aadObjectId)!;
    omar.access = { northwind: ['view'] };
    after = await Harness.start({ directory, env, logLevel: 'warn' });
    const resolved = await postAlert(after, expressRoute('metric-bgp-resolved'));
    assert.equal(resolved.status, 200, JSON.stringify(resolved.body));

    const update = await until('Ada’s card resolved in place', () =>
      updatesOf(first, adaCard.id).find((u) => /Resolved at/.test(textOf(u))),
    );
    validCard(update);
    await until('delivery idle', () => after!.app.alertDelivery.idle);
    assert.deepEqual(updatesOf(first, omarCard.id), [], 'Omar may no longer see Contoso: his card is left as it was');
    assert.equal(first.connector.postsTo(chatOf(ALERT_PEOPLE.oncall)).length, 1, 'nor is anything new posted to him');
  });
});
