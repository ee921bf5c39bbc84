import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Browser, Locator } from 'playwright-core';
import { DEMO_PEOPLE } from '../../src/demo/customers';
import { DemoBot } from './demo-bot';
import { ARTIFACTS, DEADLINE_MS, PlaygroundChat, launchChromium } from './playground-chat';

/**
 * The on-call demo in the Agents Playground, in headless Chromium: Dana (on call for every customer in the demo
 * directory) has talked to the bot, contoso-ams-er1's primary BGP session on private peering drops (the demo
 * fleet's timeline), the alert card arrives in her 1:1 chat, she acknowledges it from the card, and the same card
 * says it resolved once the session is back. `npm start` drops the session after a minute; here the documented
 * DEMO_INCIDENT_AFTER_SECONDS and DEMO_INCIDENT_LASTS_SECONDS make it seconds, and the watcher runs every 2 s.
 */

const CIRCUIT = 'contoso-ams-er1';
const TITLE = 'BGP down on one link (high availability lost)';
const WATCH_S = 2;
/** Long enough after the simulator starts for the Playground, Chromium and Dana's first message. */
const DROP_S = 20;
/** Long enough for the card to arrive and be acknowledged before the session comes back. */
const LASTS_S = 20;
/** How long past an expected moment a card may take: a watch cycle, a card post, the Playground's rendering. */
const SLACK_MS = WATCH_S * 1000 + DEADLINE_MS;

describe('Agents Playground in Chromium: an alert arrives, is acknowledged from the card, and resolves (demo mode)', function () {
  let bot: DemoBot;
  let browser: Browser;
  let chat: PlaygroundChat;
  let card: Locator;
  let startedAt: number;

  before(async function () {
    this.timeout(120_000);
    mkdirSync(ARTIFACTS, { recursive: true });
    // No router-read sweep: this suite shows no prefix counts, and a prefix alert must not join the incident's card.
    bot = await DemoBot.start(
      {
        WATCH_INTERVAL_SECONDS: String(WATCH_S),
        DEMO_INCIDENT_AFTER_SECONDS: String(DROP_S),
        DEMO_INCIDENT_LASTS_SECONDS: String(LASTS_S),
        PREFIX_SWEEP_MINUTES: '0',
      },
      { demoIncident: true, sweep: false },
    );
    startedAt = bot.app.simulator?.startedAt ?? Date.now();
    const playground = await bot.playgroundAs('engineer');
    browser = await launchChromium();
    chat = await PlaygroundChat.open(browser, playground.url);
    await chat.page.getByText(DEMO_PEOPLE.engineer.name).first().waitFor({ timeout: 30_000 });
  });

  after(async () => {
    await browser?.close();
    await bot?.stop();
  });

  /** Milliseconds from now until `seconds` after the simulator started (0 once past). */
  const untilSecond = (seconds: number) => Math.max(0, startedAt + seconds * 1000 - Date.now());

  it('Dana: says something before the session drops, so that the bot knows her 1:1 chat', async () => {
    // The bot also posts the demo fleet's standing alerts here once it knows the chat: no positional reply.
    await chat.send('customers');
    await chat.cardShowing('Customers you can see');
    assert.ok(untilSecond(DROP_S) > 0, `Dana spoke after the drop (${DROP_S} s): raise DEMO_INCIDENT_AFTER_SECONDS here`);
    assert.equal(await chat.cards.filter({ hasText: CIRCUIT }).count(), 0, `nothing on ${CIRCUIT} before the drop`);
  });

  it(`should bring the alert card into her chat within a watch cycle of the drop, with Acknowledge`, async function () {
    this.timeout(untilSecond(DROP_S) + 2 * SLACK_MS);
    card = await chat.cardShowing(CIRCUIT, untilSecond(DROP_S) + SLACK_MS);
    await chat.waitForText(card, TITLE);
    await chat.waitForText(card, 'Firing');
    const text = await card.innerText();
    assert.match(text, /Contoso Ltd/);
    assert.match(text, /AzurePrivatePeering/);
    assert.match(text, /primary/);
    assert.deepEqual(await chat.buttonsOf(card), ['Acknowledge', 'Silence 1h', 'Open circuit']);
    await card.scrollIntoViewIfNeeded();
    await chat.screenshot('10-alert');
  });

  it('Dana: clicking Acknowledge should update the card in place to acknowledged by her', async () => {
    const cardsBefore = await chat.cards.count();
    await card.getByRole('button', { name: 'Acknowledge' }).click();
    await chat.waitForText(card, `Acknowledged by ${DEMO_PEOPLE.engineer.name}`);
    assert.deepEqual(await chat.buttonsOf(card), ['Silence 1h', 'Open circuit'], 'nothing left to acknowledge');
    assert.equal(await chat.cards.count(), cardsBefore, 'the card was updated in place, not posted again');
    const [alert] = await alertsOnCircuit();
    assert.equal(alert?.state, 'acknowledged', 'the card says acknowledged because the alert is');
    assert.equal(alert?.acknowledged?.by.aadObjectId, DEMO_PEOPLE.engineer.aadObjectId);
    await card.scrollIntoViewIfNeeded();
    await chat.screenshot('11-alert-acknowledged');
  });

  it('should say on the same card that it resolved, two watch cycles after the session is back', async function () {
    this.timeout(untilSecond(DROP_S + LASTS_S) + 2 * SLACK_MS);
    const cardsBefore = await chat.cards.count();
    await chat.waitForText(card, /Resolved at/, untilSecond(DROP_S + LASTS_S) + SLACK_MS);
    assert.match(await card.innerText(), new RegExp(TITLE.replace(/[()]/g, '\\$&')));
    assert.deepEqual(await chat.buttonsOf(card), ['Open circuit']);
    assert.equal(await chat.cards.count(), cardsBefore, 'resolved in place, not posted again');
    const alerts = await alertsOnCircuit();
    assert.equal(alerts.length, 1, `one alert on ${CIRCUIT}, acknowledged, then resolved`);
    assert.equal(alerts[0]?.state, 'resolved');
    assert.equal(alerts[0]?.acknowledged?.by.aadObjectId, DEMO_PEOPLE.engineer.aadObjectId, 'who acknowledged it is kept');
    await card.scrollIntoViewIfNeeded();
    await chat.screenshot('12-alert-resolved');
  });

  async function alertsOnCircuit() {
    const alerts = await bot.app.alertStore.listAlerts({ customerIds: ['contoso'], resolvedSince: 0 });
    return alerts.filter((a) => a.circuitName === CIRCUIT);
  }
});
