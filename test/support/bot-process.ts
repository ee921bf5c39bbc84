/**
 * Runs the bot as a process of its own (the real composition root) against an ARM simulator that lives
 * elsewhere, so a test can SIGKILL the bot while an ARM operation is in flight and start it again, with ARM
 * (and its operation) surviving the crash as real ARM would.
 *
 *   node --require tsx/cjs test/support/bot-process.ts
 *   env: SIMULATOR_URL, SIMULATOR_CA_FILE, plus the bot's own (PORT, DATA_DIR, DIRECTORY_FILE, …)
 * Prints `READY <port>` once it listens.
 */
import { readFileSync } from 'node:fs';
import { start } from '../../src/index';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';

async function main(): Promise<void> {
  const url = process.env.SIMULATOR_URL;
  const caFile = process.env.SIMULATOR_CA_FILE;
  if (!url || !caFile) throw new Error('SIMULATOR_URL and SIMULATOR_CA_FILE are required');
  const app = await start(loadConfig({ ...process.env, PLAYGROUND: '0' }), {
    logger: createLogger({ level: process.env.LOG_LEVEL ?? 'warn' }),
    externalSimulator: { url, caPem: readFileSync(caFile, 'utf8') },
  });
  process.stdout.write(`READY ${app.port}\n`);
  process.once('SIGTERM', () => void app.stop().then(() => process.exit(0)));
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
