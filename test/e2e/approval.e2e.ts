import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Browser, Locator } from 'playwright-core';
import { DEMO_PEOPLE } from '../../src/demo/customers';
import { PLAYGROUND_BOT_NAME } from '../../scripts/generate-playground-config';
import { DemoBot } from './demo-bot';
import { ARTIFACTS, PlaygroundChat, launchChromium, requestIdOf } from './playground-chat';

/**
 * A bandwidth upgrade from request to "Succeeded" in two Agents Playgrounds, one per person: the engineer requests it
 * in their 1:1 chat, and the approver approves it on the card the bot posts into the approver's own 1:1 chat.
 * The Playground has no user-specific views (refresh), so each person acts on the card delivered to them, and
 * the server checks every click and command regardless. The approver is also the demo admin and first makes the
 * Playground's Approvals channel Contoso's approvals channel, where the request shows up as well. Contoso is
 * Connect-Through, so the CSP lead's approval is enough (Fabrikam, Connect-To, would also need Erin's).
 */

/** Contoso's Amsterdam circuit: 1 Gbps Standard/Metered from a provider, so 2 Gbps is an allowed in-place raise. */
const CIRCUIT = 'contoso-ams-er1';
// After ARM succeeds the post-change check runs; the card ends "Succeeded, verified: …".
const DONE = /^✅ Succeeded(, verified: .*)?$/;
const TEAM = 'CSP Network';
const CHANNEL = 'Approvals';

describe('Agents Playground in Chromium: a bandwidth upgrade approved by another person (demo mode)', function () {
  let bot: DemoBot;
  let browser: Browser;
  let engineer: PlaygroundChat;
  let approver: PlaygroundChat;
  let requestId: string;
  let engineerCard: Locator;

  before(async function () {
    this.timeout(120_000);
    mkdirSync(ARTIFACTS, { recursive: true });
    // The simulator finishes the write at once; a short poll interval keeps the wait for "Succeeded" short.
    // No alert cards in the chats (the watcher would post the demo fleet's alerts there): this suite counts request
    // cards.
    bot = await DemoBot.start({ ARM_POLL_INTERVAL_MS: '250', WATCH_INTERVAL_SECONDS: '0' });
    const [asEngineer, asApprover] = await Promise.all([bot.playgroundAs('engineer'), bot.playgroundAs('approver')]);
    browser = await launchChromium();
    [engineer, approver] = await Promise.all([PlaygroundChat.open(browser, asEngineer.url), PlaygroundChat.open(browser, asApprover.url)]);
    await engineer.page.getByText(DEMO_PEOPLE.engineer.name).first().waitFor({ timeout: 30_000 });
    await approver.page.getByText(DEMO_PEOPLE.approver.name).first().waitFor({ timeout: 30_000 });
  });

  after(async () => {
    await browser?.close();
    await bot?.stop();
  });

  it('approver: says something first, so that the bot knows their 1:1 chat', async () => {
    // The bot can only post into chats it has seen; the approver's also runs through their Playground's connector.
    const card = await approver.ask('customers', 'Customers you can see');
    await approver.waitForText(card, 'Contoso Ltd');
    await approver.screenshot('10-approver-says-hello');
  });

  it('approver (admin): `approvals here contoso` in the Approvals channel should make it the approvals channel', async () => {
    await approver.openChannel(TEAM, CHANNEL);
    await approver.postMentioning(
      PLAYGROUND_BOT_NAME,
      'approvals here contoso',
      "This channel now gets Contoso Ltd's change requests for approval",
    );
    await approver.screenshot('11-approver-registers-approvals-channel');
    await approver.openPersonalChat();
  });

  it('engineer: `upgrade` should answer with the pending request card, with Cancel but no Approve', async () => {
    engineerCard = await engineer.ask(`upgrade ${CIRCUIT} 2 Gbps`, /Waiting for approval \(0\/1\)/);
    await engineer.waitForText(engineerCard, `Bandwidth upgrade: ${CIRCUIT}`);
    await engineer.waitForText(engineerCard, '1 Gbps → 2 Gbps');
    await engineer.waitForText(engineerCard, DEMO_PEOPLE.approver.name);
    await engineer.waitForText(engineerCard, 'You asked for this change, so someone else approves it');
    requestId = await requestIdOf(engineerCard);
    assert.deepEqual(await engineer.buttonsOf(engineerCard), ['Cancel request'], 'the requester may only cancel');
    await engineerCard.scrollIntoViewIfNeeded();
    await engineer.screenshot('12-engineer-requests-upgrade');
  });

  it('engineer: `approve <id>` on their own request should be refused, and the request stays pending', async () => {
    const refusal = await engineer.ask(`approve ${requestId}`, "You can't do that");
    await engineer.waitForText(refusal, `You don't have the right to approve changes for Contoso Ltd`);
    await refusal.scrollIntoViewIfNeeded();
    await engineer.screenshot('13-engineer-approve-refused');
    await engineer.waitForText(engineerCard, /Waiting for approval \(0\/1\)/);
  });

  it('approver: should find the card in their own chat, click Approve, and see it end in Succeeded with the new bandwidth', async () => {
    const card = await approver.cardShowing(requestId);
    await approver.waitForText(card, /Waiting for approval \(0\/1\)/);
    assert.deepEqual(await approver.buttonsOf(card), ['Approve', 'Reject…']);
    await card.scrollIntoViewIfNeeded();
    await approver.screenshot('14-approver-receives-request');

    const cardsBefore = await approver.cards.count();
    await card.getByRole('button', { name: 'Approve' }).click();
    // Approved → executing → succeeded: the bot edits the same message at every step.
    await approver.waitForText(card, DONE);
    await approver.waitForText(card, 'Read back from Azure');
    const text = await card.innerText();
    assert.match(text, /Bandwidth\s+2 Gbps/, 'read back from Azure after the write');
    assert.match(text, /Approved by\s+Avery \(CSP lead\)/);
    assert.match(text, /ARM correlation/);
    assert.deepEqual(await approver.buttonsOf(card), [], 'nothing left to click');
    assert.equal(await approver.cards.count(), cardsBefore, 'the card was updated in place, not posted again');
    const stored = await bot.app.store.get(requestId);
    assert.equal(stored?.state, 'succeeded', 'the card says Succeeded because the request succeeded');
    await card.scrollIntoViewIfNeeded();
    await approver.screenshot('15-approver-sees-done');
  });

  it('approver: the Approvals channel should show the same request, done, with no buttons', async () => {
    // A shared post gets the status-only card; in Teams each approver's refresh view adds their buttons there.
    await approver.openChannel(TEAM, CHANNEL);
    const card = await approver.cardShowing(requestId);
    await approver.waitForText(card, DONE);
    assert.match(await card.innerText(), /Bandwidth\s+2 Gbps/);
    assert.deepEqual(await approver.buttonsOf(card), []);
    await card.scrollIntoViewIfNeeded();
    await approver.screenshot('16-approvals-channel-shows-done');
  });

  it("engineer: the requester's card should have followed to Succeeded", async () => {
    await engineer.waitForText(engineerCard, DONE);
    await engineer.waitForText(engineerCard, 'Read back from Azure');
    assert.match(await engineerCard.innerText(), /Bandwidth\s+2 Gbps/);
    assert.deepEqual(await engineer.buttonsOf(engineerCard), [], 'Cancel is gone');
    await engineerCard.scrollIntoViewIfNeeded();
    await engineer.screenshot('17-engineer-card-done');
  });

  it('engineer: `circuit` should show the new bandwidth', async () => {
    const card = await engineer.ask(`circuit ${CIRCUIT}`, `Circuit ${CIRCUIT}`);
    await engineer.waitForText(card, 'Contoso Ltd');
    const text = await card.innerText();
    assert.match(text, /Bandwidth\s+2 Gbps/);
    assert.doesNotMatch(text, /Bandwidth\s+1 Gbps/);
    await card.scrollIntoViewIfNeeded();
    await engineer.screenshot('18-circuit-shows-2-gbps');
  });
});
