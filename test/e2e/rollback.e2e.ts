import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { DEMO_CUSTOMERS, DEMO_PEOPLE } from '../../src/demo/customers';
import { buildDemoDirectory } from '../../src/demo/demo-directory';
import { buildDemoFleet } from '../../src/simulator';
import { DemoBot } from './demo-bot';
import { ARTIFACTS, PlaygroundChat, launchChromium, requestIdOf } from './playground-chat';

/**
 * A change that proves itself wrong, in two Agents Playgrounds (issue 13). Dana moves contoso-ams-er1's private
 * peering to VLAN 201; Avery approves it in his 1:1 chat; ARM succeeds, but the fleet's timeline (`afterWriteTo`,
 * DESIGN Contract 3) keeps both BGP sessions down after the write, so within VERIFY_WINDOW_SECONDS Avery's card says
 * "succeeded at ARM, verification failed" and offers Rollback. He clicks it: the card becomes the rollback's request,
 * which Dana (an approver too in this suite's directory) approves from her chat, and the VLAN is back to 100. The
 * sessions come back a little later in the timeline, so the rollback itself checks out.
 */

const CIRCUIT = 'contoso-ams-er1';
const CIRCUIT_ID = `/subscriptions/${DEMO_CUSTOMERS.contoso.subscriptions[0]}/resourceGroups/rg-contoso-network/providers/Microsoft.Network/expressRouteCircuits/${CIRCUIT}`;
const PRIVATE = `${CIRCUIT_ID}/peerings/AzurePrivatePeering`;
/** How long a post-change check may take here: long enough to see "verifying", short enough to wait for. */
const VERIFY_S = 6;
/** After the first write the sessions are down; they come back once the change's check has failed, before the rollback's ends. */
const RESTORE_MS = (VERIFY_S + 4) * 1000;
const FAILED = /Succeeded at ARM, verification failed: both BGP sessions of private peering are down/;

/** The demo fleet, with contoso-ams-er1's private sessions Idle from its first peering write until RESTORE_MS after it. */
function fleetThatBreaks(): Record<string, unknown> {
  const fleet = buildDemoFleet() as Record<string, unknown>;
  const settings = (fleet.$simulator ?? {}) as Record<string, unknown>;
  const timeline = (['primary', 'secondary'] as const).flatMap((side) => {
    const key = `${PRIVATE}/routeTablesSummary/${side}`;
    const rows = (fleet[key] as { value: Record<string, unknown>[] }).value;
    const write = { afterWriteTo: `${CIRCUIT}/peerings/AzurePrivatePeering`, path: key };
    return [
      { ...write, afterMs: 0, merge: { value: rows.map((r) => ({ ...r, upDown: '00:00:02', statePfxRcd: 'Idle' })) } },
      { ...write, afterMs: RESTORE_MS, merge: { value: rows } },
    ];
  });
  // Router reads in a few hundred ms, so that each look of the check is quick.
  fleet.$simulator = { ...settings, deviceReadMs: 200, timeline };
  return fleet;
}

/** The demo directory, with Dana also an approver, so that someone may approve the rollback Avery asks for. */
function directoryWithTwoApprovers(): unknown {
  const directory = buildDemoDirectory();
  return {
    ...directory,
    people: directory.people.map((p) =>
      p.aadObjectId === DEMO_PEOPLE.engineer.aadObjectId ? { ...p, access: { '*': ['view', 'request', 'approve', 'oncall'] } } : p,
    ),
  };
}

/**
 * The newest card showing `text`, pinned to its place in the chat: it keeps pointing at that message when the bot
 * updates it in place, even after other cards naming the request arrive (the on-call alert of the failed check).
 */
async function pinnedCard(chat: PlaygroundChat, text: string): Promise<Locator> {
  await chat.cardShowing(text);
  for (let i = (await chat.cards.count()) - 1; i >= 0; i--) {
    if ((await chat.cards.nth(i).innerText()).includes(text)) return chat.cards.nth(i);
  }
  throw new Error(`no card shows ${text}`);
}

describe('Agents Playground in Chromium: a change that fails its verification, rolled back from the card (demo mode)', function () {
  let files: string;
  let bot: DemoBot;
  let browser: Browser;
  let engineer: PlaygroundChat;
  let approver: PlaygroundChat;
  let changeId: string;
  let approverCard: Locator;
  let rollbackId: string;

  before(async function () {
    this.timeout(120_000);
    mkdirSync(ARTIFACTS, { recursive: true });
    files = mkdtempSync(path.join(tmpdir(), 'erbot-e2e-rollback-'));
    const fleetFile = path.join(files, 'fleet.json');
    const directoryFile = path.join(files, 'directory.json');
    writeFileSync(fleetFile, JSON.stringify(fleetThatBreaks()));
    writeFileSync(directoryFile, JSON.stringify(directoryWithTwoApprovers()));
    bot = await DemoBot.start(
      {
        FLEET_FILE: fleetFile,
        DIRECTORY_FILE: directoryFile,
        VERIFY_WINDOW_SECONDS: String(VERIFY_S),
        VERIFY_LOOK_SECONDS: '0.5',
        ARM_POLL_INTERVAL_MS: '250',
        // No alert cards in the chats: this suite reads request cards only.
        WATCH_INTERVAL_SECONDS: '0',
        PREFIX_SWEEP_MINUTES: '0',
      },
      { sweep: false },
    );
    const [asEngineer, asApprover] = await Promise.all([bot.playgroundAs('engineer'), bot.playgroundAs('approver')]);
    browser = await launchChromium();
    [engineer, approver] = await Promise.all([PlaygroundChat.open(browser, asEngineer.url), PlaygroundChat.open(browser, asApprover.url)]);
    await engineer.page.getByText(DEMO_PEOPLE.engineer.name).first().waitFor({ timeout: 30_000 });
    await approver.page.getByText(DEMO_PEOPLE.approver.name).first().waitFor({ timeout: 30_000 });
  });

  after(async () => {
    await browser?.close();
    await bot?.stop();
    if (files) rmSync(files, { recursive: true, force: true });
  });

  it('both: say something first, so that the bot knows their 1:1 chats', async () => {
    await approver.waitForText(await approver.ask('customers', 'Customers you can see'), 'Contoso Ltd');
    await engineer.waitForText(await engineer.ask('customers', 'Customers you can see'), 'Contoso Ltd');
  });

  it('engineer: `peering … private vlan 201` should answer with the pending request', async () => {
    const card = await engineer.ask(`peering ${CIRCUIT} private vlan 201`, /Waiting for approval \(0\/1\)/);
    await engineer.waitForText(card, `: ${CIRCUIT}`);
    await engineer.waitForText(card, '100 → 201');
    changeId = await requestIdOf(card);
  });

  it('approver: Approve should end in "succeeded at ARM, verification failed" with a Rollback button', async function () {
    this.timeout(90_000);
    approverCard = await pinnedCard(approver, changeId);
    await approverCard.getByRole('button', { name: 'Approve' }).click();
    await approver.waitForText(approverCard, /Succeeded, verifying \(until \d\d:\d\d UTC\)/);
    await approver.waitForText(approverCard, FAILED, (VERIFY_S + 30) * 1000);
    const text = await approverCard.innerText();
    assert.match(text, /since \d\d:\d\d UTC/);
    assert.match(text, new RegExp(`The way back: rollback ${changeId}|The way back: \`rollback ${changeId}\``));
    assert.deepEqual(await approver.buttonsOf(approverCard), ['Rollback']);
    const stored = await bot.app.store.get(changeId);
    assert.equal(stored?.state, 'succeeded');
    assert.equal(stored?.verification?.status, 'failed');
    await approverCard.scrollIntoViewIfNeeded();
    await approver.screenshot('20-verification-failed');
  });

  it('approver: should also be told in a message, with the way back', async () => {
    const told = approver.page.getByText(/succeeded at ARM, but its verification failed/).last();
    await told.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await told.innerText(), new RegExp(`${changeId}[^]*rollback ${changeId}`));
  });

  it('approver: Rollback should turn the card into the rollback request, naming the change it undoes', async () => {
    await approverCard.getByRole('button', { name: 'Rollback' }).click();
    await approver.waitForText(approverCard, `Rollback of ${changeId}`);
    await approver.waitForText(approverCard, /Waiting for approval \(0\/1\)/).catch(async (e: unknown) => {
      await approver.screenshot('21-rollback-requested-failed');
      throw new Error(`${String(e)}\nThe card shows:\n${await approverCard.innerText()}`);
    });
    await approver.waitForText(approverCard, '201 → 100');
    rollbackId = /(CR-[0-9A-Z]+) · updated/.exec(await approverCard.innerText())?.[1] ?? '';
    assert.ok(rollbackId && rollbackId !== changeId, 'the rollback is a request of its own');
    assert.equal((await bot.app.store.get(rollbackId))?.rollbackOf, changeId);
    await approverCard.scrollIntoViewIfNeeded();
    await approver.screenshot('21-rollback-requested');
  });

  it('engineer: should approve the rollback from her chat, and the VLAN is back', async function () {
    this.timeout(90_000);
    const card = await pinnedCard(engineer, `Rollback of ${changeId}`);
    await card.getByRole('button', { name: 'Approve' }).click();
    await engineer.waitForText(card, /Succeeded/);
    await engineer.waitForText(card, /Succeeded, verified/, (VERIFY_S + 30) * 1000);
    const circuit = bot.app.simulator?.resource(CIRCUIT_ID) as {
      properties: { peerings: { name: string; properties: { vlanId: number } }[] };
    };
    assert.equal(circuit.properties.peerings.find((p) => p.name === 'AzurePrivatePeering')?.properties.vlanId, 100);
    await card.scrollIntoViewIfNeeded();
    await engineer.screenshot('22-rollback-verified');
    // Her card of the change now says it was rolled back.
    const original = engineer.cards.filter({ hasText: `Rolled back by ${rollbackId}` }).first();
    await original.waitFor({ state: 'visible', timeout: 30_000 });
  });
});
