import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { start, type RunningApp } from '../../src/index';
import { createLogger } from '../../src/log';
import { startPlayground, type RunningPlayground } from '../../src/server/playground';
import { DEMO_PEOPLE } from '../../src/demo/customers';
import { PLAYGROUND_CONFIG_FILES } from '../../scripts/generate-playground-config';
import { ARTIFACTS, PlaygroundChat, launchChromium } from './playground-chat';

/**
 * The bot in a Teams-like client nobody on the team wrote: the Microsoft 365 Agents Playground, in headless
 * Chromium, as the demo engineer of .m365agentsplayground.yml. The bot is the real composition root in demo
 * mode (embedded ARM simulator, demo directory).
 *
 * TODO(issue 3): request an upgrade as the engineer, approve it in a second Playground started with
 * .m365agentsplayground.approver.yml, see "succeeded" and the new bandwidth on `circuit <name>`, and see the
 * refusal when the requester approves their own request.
 */

const CIRCUIT = 'fabrikam-dal-er1';

describe('Agents Playground in Chromium (demo mode)', function () {
  let app: RunningApp;
  let playground: RunningPlayground | undefined;
  let browser: Browser;
  let chat: PlaygroundChat;

  before(async function () {
    this.timeout(120_000);
    mkdirSync(ARTIFACTS, { recursive: true });
    const dataDir = mkdtempSync(path.join(tmpdir(), 'erbot-e2e-'));
    const logger = createLogger({ level: 'silent' });
    app = await start(loadConfig({ PORT: '0', PLAYGROUND: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), { logger });
    playground = await startPlayground({
      botUrl: `${app.url}/api/messages`,
      port: 0,
      logger,
      logFile: path.join(ARTIFACTS, 'playground-engineer.log'),
    });
    assert.ok(playground, 'the Agents Playground is installed (npm ci)');
    browser = await launchChromium();
    chat = await PlaygroundChat.open(browser, playground.url);
    await chat.page.getByText(DEMO_PEOPLE.engineer.name).first().waitFor({ timeout: 30_000 });
  });

  after(async () => {
    await browser?.close();
    await playground?.stop();
    await app?.stop();
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
    await chat.waitForText(card, 'Not usable: the provider state is NotProvisioned');
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

  it('approver: a second Playground with .m365agentsplayground.approver.yml should talk to the bot as the approver', async () => {
    const second = await startPlayground({
      botUrl: `${app.url}/api/messages`,
      port: 0,
      logger: createLogger({ level: 'silent' }),
      configFile: path.join(__dirname, '..', '..', PLAYGROUND_CONFIG_FILES.approver),
      logFile: path.join(ARTIFACTS, 'playground-approver.log'),
    });
    assert.ok(second);
    try {
      const approver = await PlaygroundChat.open(browser, second.url);
      await approver.page.getByText(DEMO_PEOPLE.approver.name).first().waitFor({ timeout: 30_000 });
      // The approver is known to the directory (a stranger would get "I don't know you yet").
      const card = await approver.ask('customers', 'Customers you can see');
      await approver.waitForText(card, 'Fabrikam Inc');
      await approver.screenshot('08-approver-customers');
      await approver.page.close();
    } finally {
      await second.stop();
    }
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
});
