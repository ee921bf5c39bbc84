import { readFileSync } from 'node:fs';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { start } from '../../src/index';

/**
 * The bot as its own process against a simulator that outlives it, for crash tests (SIGKILL mid-operation,
 * then start again on the same DATA_DIR) and the benchmark. Run it with
 *   SIM_URL=https://127.0.0.1:PORT SIM_CA_FILE=/path/ca.pem DATA_DIR=… DIRECTORY_FILE=… PORT=0 PLAYGROUND=0 \
 *     node --import tsx test/support/bot-child.ts
 * It prints one JSON line `{"ready":true,"port":N,"url":"http://127.0.0.1:N"}` once /api/messages is served.
 * Optional: EXECUTOR_RETRY_DELAY_MS, EXECUTOR_LEASE_MS, PROGRESS_UPDATE_MS, and for the alert watcher WATCHER_LEASE_MS (how
 * long a customer stays this instance's without renewal) and WATCHER_INSTANCE_ID (its name in the lease rows).
 * SIGTERM stops it gracefully (executing changes stay resumable, watcher leases are given back); SIGKILL is the crash.
 */
async function main(): Promise<void> {
  const url = process.env.SIM_URL;
  const caFile = process.env.SIM_CA_FILE;
  if (!url || !caFile) throw new Error('SIM_URL and SIM_CA_FILE are required');
  const config = loadConfig(process.env);
  const retry = Number(process.env.EXECUTOR_RETRY_DELAY_MS ?? '');
  const lease = Number(process.env.EXECUTOR_LEASE_MS ?? '');
  const progress = Number(process.env.PROGRESS_UPDATE_MS ?? '');
  const watcherLease = Number(process.env.WATCHER_LEASE_MS ?? '');
  const watcherId = process.env.WATCHER_INSTANCE_ID;
  const app = await start(config, {
    logger: createLogger({ level: config.logLevel, destination: process.stderr }),
    externalSimulator: { url, caPem: readFileSync(caFile, 'utf8') },
    changes: {
      executorLimits: {
        ...(Number.isFinite(retry) && retry > 0 ? { retryDelayMs: retry } : {}),
        ...(Number.isFinite(lease) && lease > 0 ? { leaseMs: lease } : {}),
      },
      ...(Number.isFinite(progress) && progress > 0 ? { progressUpdateMs: progress } : {}),
    },
    alerts: {
      ...(Number.isFinite(watcherLease) && watcherLease > 0 ? { leaseMs: watcherLease } : {}),
      ...(watcherId ? { instanceId: watcherId } : {}),
    },
  });
  process.stdout.write(`${JSON.stringify({ ready: true, port: app.port, url: app.url })}\n`);
  process.on('SIGTERM', () => {
    void app.stop().then(() => process.exit(0));
  });
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
