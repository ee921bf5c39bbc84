import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { start } from '../../src/index';
import { createLogger } from '../../src/log';
import { startPlayground } from '../../src/server/playground';
import { PlaygroundChat, launchChromium } from '../../test/e2e/playground-chat';

it('explore', async function () {
  this.timeout(120000);
  const t0 = Date.now();
  const lap = (s: string) => console.log(`${Date.now() - t0}ms ${s}`);
  const logger = createLogger({ level: 'silent' });
  const app = await start(loadConfig({ PORT: '0', PLAYGROUND: '0', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'x-')), LOG_LEVEL: 'silent', ARM_POLL_INTERVAL_MS: '250' }), { logger });
  lap('app');
  const [eng, appr] = await Promise.all([
    startPlayground({ botUrl: `${app.url}/api/messages`, port: 0, logger, logFile: '/tmp/h13/eng.log' }),
    startPlayground({ botUrl: `${app.url}/api/messages`, port: 0, logger, logFile: '/tmp/h13/appr.log', configFile: '/work/main/.m365agentsplayground.approver.yml' }),
  ]);
  lap('playgrounds');
  const browser = await launchChromium();
  const [e, a] = await Promise.all([PlaygroundChat.open(browser, eng!.url), PlaygroundChat.open(browser, appr!.url)]);
  lap('pages');
  await a.ask('customers', 'Customers you can see');
  lap('approver said hi');
  const card = await e.ask('upgrade fabrikam-sea-er3 2 Gbps', 'Waiting for approval');
  lap('requested');
  console.log(await card.innerText());
  const id = /CR-[0-9A-Z]+/.exec(await card.innerText())![0];
  await e.messageBox.click();
  await e.page.keyboard.type(`approve ${id}`);
  await e.page.getByRole('button', { name: 'Send Message' }).click();
  await a.cardShowing(id);
  lap('approver card');
  await e.page.waitForTimeout(1500);
  writeFileSync('/tmp/h13/eng.html', await e.page.content());
  await e.page.screenshot({ path: '/tmp/h13/eng.png', fullPage: true });
  const ac = await a.cardShowing(id);
  console.log('APPROVER CARD', await ac.innerText());
  await ac.getByRole('button', { name: 'Approve' }).click();
  await a.waitForText(ac, /Done/);
  lap('done');
  console.log('APPROVER CARD', await ac.innerText());
  await e.page.waitForTimeout(1500);
  console.log('ENG CARD', await card.innerText());
  writeFileSync('/tmp/h13/appr.html', await a.page.content());
  await a.page.screenshot({ path: '/tmp/h13/appr.png', fullPage: true });
  await browser.close(); await eng!.stop(); await appr!.stop(); await app.stop();
});
