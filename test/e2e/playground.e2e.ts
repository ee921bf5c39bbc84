import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { DEMO_PEOPLE } from '../../src/demo/customers';
import { DemoBot } from './demo-bot';
import { ARTIFACTS, PlaygroundChat, launchChromium } from './playground-chat';

/**
 * The bot in a Teams-like client nobody on the team wrote: the Microsoft 365 Agents Playground, in headless
 * Chromium, as the demo engineer of .m365agentsplayground.yml. The bot is the real composition root in demo
 * mode (embedded ARM simulator, demo directory). The approval flow, with a second Playground as the approver,
 * is in approval.e2e.ts.
 */

const CIRCUIT = 'fabrikam-dal-er1';

describe('Agents Playground in Chromium (demo mode)', function () {
  let bot: DemoBot;
  let browser: Browser;
  let chat: PlaygroundChat;

  before(async function () {
    this.timeout(120_000);
    mkdirSync(ARTIFACTS, { recursive: true });
    // No alert cards in the chat: the watcher would post the demo fleet's alerts there once the engineer has talked
    // to the bot, between a question and the card the test waits for.
    bot = await DemoBot.start({ WATCH_INTERVAL_SECONDS: '0' });
    const playground = await bot.playgroundAs('engineer');
    browser = await launchChromium();
    chat = await PlaygroundChat.open(browser, playground.url);
    await chat.page.getByText(DEMO_PEOPLE.engineer.name).first().waitFor({ timeout: 30_000 });
  });

  after(async () => {
    await browser?.close();
    await bot?.stop();
  });

  it('help: should list the commands with their summaries', async () => {
    const card = await chat.ask('help', 'The BGP route table learnt from the edge routers');
    await chat.waitForText(card, 'Health, worst first');
    await chat.waitForText(card, 'e.g. routes contoso/er1');
    await chat.screenshot('01-help');
  });

  it('status: should show the fleet worst first, with circuit names and verdicts', async () => {
    const card = await chat.ask('status', 'Status, worst first');
    await chat.waitForText(card, /🔴 \d+ red · 🟠 \d+ amber · 🟢 \d+ green/);
    await chat.waitForText(card, 'contoso-fra-er3');
    await chat.waitForText(card, 'Not in service yet (NotProvisioned)');
    await chat.waitForText(card, 'northwind-wdc-er3');
    await chat.waitForText(card, 'Both BGP sessions of private peering are down');
    await chat.waitForText(card, /past the 80% warning line/);
    const text = await card.innerText();
    assert.ok(text.indexOf('contoso-fra-er3') < text.indexOf('contoso-lon-er2'), 'red before amber');
    await card.scrollIntoViewIfNeeded();
    await chat.screenshot('02-status');
  });

  it('routes: should show the route table of a circuit and page through it with Next and Previous', async () => {
    const card = await chat.ask(`routes ${CIRCUIT}`, `Routes of ${CIRCUIT}`);
    await chat.waitForText(card, /Rows 1–50 of \d+ · page 1 of \d+/);
    await chat.waitForText(card, '10.64.0.0/24');
    await chat.waitForText(card, 'Fabrikam Inc');
    await card.scrollIntoViewIfNeeded();
    await chat.screenshot('03-routes-page-1');

    // Teams (and the Playground) show the card a button returns in place of the clicked one.
    const cardsBefore = await chat.cards.count();
    await card.getByRole('button', { name: /Next/ }).click();
    await chat.waitForText(card, /Rows 51–100 of \d+ · page 2 of \d+/);
    await chat.waitForText(card, '10.64.50.0/24');
    assert.equal(await chat.cards.count(), cardsBefore, 'the page replaced the card rather than adding one');
    await card.scrollIntoViewIfNeeded();
    await chat.screenshot('04-routes-page-2');

    await card.getByRole('button', { name: /Previous/ }).click();
    await chat.waitForText(card, /Rows 1–50 of \d+ · page 1 of/);
    await chat.waitForText(card, '10.64.0.0/24');
    await chat.screenshot('05-routes-back-to-page-1');
  });

  it('errors: should answer a typo with "did you mean", whose button runs the corrected command', async () => {
    const typo = `${CIRCUIT.slice(0, -1)}9`;
    const card = await chat.ask(`routes ${typo}`, `I can't find a circuit '${typo}'`);
    await chat.waitForText(card, 'Did you mean');
    await card.scrollIntoViewIfNeeded();
    await chat.screenshot('06-not-found');
    await card.getByRole('button', { name: `fabrikam/${CIRCUIT}` }).click();
    await chat.waitForText(card, `Routes of ${CIRCUIT}`);
    await chat.waitForText(card, /Rows 1–50 of \d+ · page 1 of/);
    await chat.screenshot('07-did-you-mean-clicked');
  });

  it("security: should show Contoso's posture, each gap with its evidence and fix", async () => {
    const card = await chat.ask('security contoso', 'Security posture of Contoso Ltd');
    await chat.waitForText(card, 'NSG on every subnet');
    await chat.waitForText(card, 'No NSG on snet-shared');
    await chat.waitForText(card, 'Fix:');
    await card
      .getByText('Security posture of Contoso Ltd')
      .first()
      .evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await chat.screenshot('08-security');
  });

  it('effective routes: should say which route wins for a destination, and why', async () => {
    const card = await chat.ask('effective-routes vm-contoso-app01 10.20.1.5', 'Effective routes of VM vm-contoso-app01');
    await chat.waitForText(card, 'Traffic to 10.20.1.5');
    await chat.waitForText(card, 'Wins:');
    await card
      .getByText('Traffic to 10.20.1.5')
      .first()
      .evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await chat.screenshot('09-effective-routes');
  });
});
