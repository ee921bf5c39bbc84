import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

/**
 * The Agents Playground's chat, driven as a user would: type in the message box, press Send, read the cards.
 * Every wait has a deadline; nothing sleeps.
 */

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'e2e');

/** The flags TOOLCHAIN.md lists for headless Chromium on CI machines. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const DEADLINE_MS = 30_000;

/** Message cards, not the inner cards an Action.ShowCard renders inside them. */
const CARD = '.ac-adaptiveCard:not(.ac-adaptiveCard .ac-adaptiveCard)';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install it with "apt-get install -y chromium" or set CHROMIUM_PATH`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export class PlaygroundChat {
  private constructor(readonly page: Page) {}

  static async open(browser: Browser, url: string): Promise<PlaygroundChat> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(url);
    const chat = new PlaygroundChat(page);
    await chat.messageBox.waitFor({ state: 'visible', timeout: DEADLINE_MS });
    return chat;
  }

  /** Two elements are contenteditable (the log panel too); the message box is the textbox. */
  get messageBox(): Locator {
    return this.page.locator('[contenteditable="true"][role="textbox"]');
  }

  get sendButton(): Locator {
    return this.page.getByRole('button', { name: 'Send Message' });
  }

  /** A channel's "start a new post" button (a chat has Send instead). */
  get postButton(): Locator {
    return this.page.getByRole('button', { name: 'Post', exact: true });
  }

  get cards(): Locator {
    return this.page.locator(CARD);
  }

  /**
   * Sends a message and returns the reply: the first card after the ones already on the page, once it shows
   * `expected`. The locator is positional, so it keeps pointing at that message when a click updates it in place.
   */
  async ask(text: string, expected: string | RegExp): Promise<Locator> {
    const before = await this.cards.count();
    await this.send(text);
    await this.page.waitForFunction(`document.querySelectorAll(${JSON.stringify(CARD)}).length > ${before}`, undefined, {
      timeout: DEADLINE_MS,
    });
    const reply = this.cards.nth(before);
    await this.waitForText(reply, expected);
    return reply;
  }

  /** Types a message and sends it, without waiting for a reply (for chats the bot also posts into on its own). */
  async send(text: string): Promise<void> {
    await this.messageBox.click();
    await this.page.keyboard.type(text);
    await this.sendButton.click();
  }

  /** The newest card showing `expected`, after waiting for it to appear. */
  async cardShowing(expected: string | RegExp, timeoutMs = DEADLINE_MS): Promise<Locator> {
    const card = this.cards.filter({ hasText: expected }).last();
    await card.waitFor({ state: 'visible', timeout: timeoutMs });
    return card;
  }

  /** Switches to the 1:1 chat with the bot in the left rail and waits for its message box. */
  async openPersonalChat(): Promise<void> {
    await this.page.getByLabel('Personal Chat', { exact: true }).first().click();
    await this.sendButton.waitFor({ state: 'visible', timeout: DEADLINE_MS });
  }

  /** Switches to a team channel in the left rail and waits for its new-post composer. */
  async openChannel(team: string, channel: string): Promise<void> {
    await this.page.getByLabel(`${team} - ${channel}`, { exact: true }).first().click();
    await this.postButton.waitFor({ state: 'visible', timeout: DEADLINE_MS });
  }

  /**
   * Starts a channel post that @mentions `botName` (as in Teams, a bot in a channel only hears posts that
   * mention it) and waits until the bot's reply in that post's thread shows `expected`.
   */
  async postMentioning(botName: string, text: string, expected: string | RegExp): Promise<Locator> {
    // The new-post editor comes first; each thread below it has its own reply box.
    await this.messageBox.first().click();
    await this.page.keyboard.type(`@${botName.slice(0, 4)}`);
    await this.page.getByRole('listbox', { name: 'Typeahead menu' }).getByRole('menuitem', { name: botName }).click();
    await this.page.keyboard.type(` ${text}`);
    await this.postButton.click();
    const reply = this.page.getByText(expected).last();
    await reply.waitFor({ state: 'visible', timeout: DEADLINE_MS });
    return reply;
  }

  /** The titles of the buttons `card` shows now (a ShowCard's hidden inner buttons are not among them). */
  async buttonsOf(card: Locator): Promise<string[]> {
    return (await card.getByRole('button').allInnerTexts()).map((t) => t.trim());
  }

  /** Waits until `card` shows `expected` (for cards the bot or a click updates in place). */
  async waitForText(card: Locator, expected: string | RegExp, timeoutMs = DEADLINE_MS): Promise<void> {
    await card.getByText(expected).first().waitFor({ state: 'visible', timeout: timeoutMs });
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }
}

/** The change request id a card shows (CR-…). */
export async function requestIdOf(card: Locator): Promise<string> {
  const id = /CR-[0-9A-Z]+/.exec(await card.innerText())?.[0];
  assert.ok(id, 'the request card shows its id');
  return id;
}
