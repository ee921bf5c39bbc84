import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from './project-root';
import { loadConfig, unauthenticatedExposure, type Config } from './config';
import { createLogger, type Logger } from './log';
import { applyTiering, nodeFlagsWarning } from './node-flags';
import { systemClock, type Clock } from './clock';
import { asCodedError, ErrorCode } from './errors';
import { createServer } from './teams/create-server';
import { createBot } from './teams/create-bot';
import { Conversation } from './app/conversation';
import { BackgroundTasks } from './app/background-tasks';
import { createArmAccess } from './azure/create-arm-access';
import type { ArmLimits, ArmSchedulerStats } from './azure/scheduler';
import {
  startSimulator,
  loadFleetFile,
  buildDemoFleet,
  demoIncidentTimes,
  type RunningSimulator,
  type SimulatorSettings,
} from './simulator';
import { loadDirectoryFile } from './directory/directory';
import { buildDemoDirectory } from './demo/demo-directory';
import { Access } from './directory/access';
import { startPlayground, type RunningPlayground } from './demo/playground';
import { openChangeStore } from './store/open-change-store';
import { tableStoreCredential } from './store/table-store-credential';
import { ArmNetworkWriter } from './azure/arm-network-writer';
import { ChangeWorkflow } from './changes/workflow';
import type { ExecutorLimits } from './changes/executor';
import type { ChangeStore } from './changes/ports';
import { ChangeDelivery } from './app/change-delivery';
import { RequestViews } from './app/request-views';
import { PrefixCounts } from './app/prefix-counts';
import { PrefixSweeper } from './app/prefix-sweeper';
import { openAlertStore } from './store/open-change-store';
import type { AlertStore } from './alerts/alert-store';
import { AlertWorkflow } from './alerts/alert-workflow';
import type { AlertPolicy } from './alerts/alert-lifecycle';
import { AlertWatcher } from './app/alert-watcher';
import { AlertUpkeep } from './app/alert-upkeep';
import { AlertDelivery, saveAlertsChannel } from './app/alert-delivery';
import { changeAlertSignal, executingChanges } from './app/change-alerts';
import { AzureMonitorIntake } from './azure-monitor/azure-monitor-intake';
import { visibleInventory } from './app/answers/visible-circuits';

/**
 * The composition root: the only place that reads the environment and builds infrastructure. Tests and the
 * benchmark call `start` with a Config to get the same wiring a real process gets.
 */

export interface StartOptions {
  logger?: Logger;
  clock?: Clock;
  /** Overrides ARM's documented limits in the scheduler (the benchmark measures the bot without them). */
  armLimits?: Partial<ArmLimits>;
  /** Demo mode: simulator settings over the fleet's own `$simulator` (tests shorten the router reads). */
  simulatorSettings?: SimulatorSettings;
  /** Demo mode against a simulator already running elsewhere (the benchmark runs it in its own process). */
  externalSimulator?: { url: string; caPem: string };
  /** Change requests: executor retry limits, and how often cards and expiry are refreshed. */
  changes?: ChangeOptions;
  alerts?: AlertOptions;
  /**
   * Demo mode, built-in fleet: a BGP session drops a minute after start and comes back (`npm start` sets it), or
   * as DEMO_INCIDENT_AFTER_SECONDS and DEMO_INCIDENT_LASTS_SECONDS time it.
   */
  demoIncident?: boolean;
}

export interface AlertOptions {
  /** How long a customer stays this instance's to watch without renewal (default 3 × WATCH_INTERVAL_SECONDS, ≥ 30 s). */
  leaseMs?: number;
  /** Names this instance in the watcher leases. */
  instanceId?: string;
  policy?: Partial<AlertPolicy>;
  /** The alert upkeep's pause: escalation and ended silences while the watcher is off, and pruning (default 60 s). */
  upkeepMs?: number;
  /** How often the watcher's loop checks on itself, so a stalled cycle is logged with no one asking /healthz (default 60 s). */
  stallCheckMs?: number;
}

export interface ChangeOptions {
  executorLimits?: Partial<ExecutorLimits>;
  /** How often pending requests past their TTL are expired (their cards lose the buttons). Default 60 s. */
  expirySweepMs?: number;
  /** Progress updates of an executing request's cards at most this often. Default 3 s. */
  progressUpdateMs?: number;
}

export interface RunningApp {
  port: number;
  url: string;
  config: Config;
  simulator?: RunningSimulator;
  playground?: RunningPlayground;
  /** ARM calls made, retried and throttled so far, and requests by kind (for the benchmark and operators). */
  armStats(): ArmSchedulerStats;
  /** The prefix counts the fleet view uses, and the background reads that keep them (started unless off). */
  prefixCounts: PrefixCounts;
  sweeper: PrefixSweeper;
  /** The change store (SQLite at <DATA_DIR>/erbot.sqlite, or Azure Table Storage), for tests and the benchmark to inspect. */
  store: ChangeStore;
  workflow: ChangeWorkflow;
  /** Alerts: the workflow (acknowledge, silence, intake), its store, and the watcher (`runCycle` for tests). */
  alerts: AlertWorkflow;
  alertStore: AlertStore;
  watcher: AlertWatcher;
  alertUpkeep: AlertUpkeep;
  /** Alert cards' delivery (`idle` for tests). */
  alertDelivery: AlertDelivery;
  stop(): Promise<void>;
}

export async function start(config: Config, options: StartOptions = {}): Promise<RunningApp> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const clock = options.clock ?? systemClock;
  let ready = false;

  let simulator: RunningSimulator | undefined;
  let armEndpoint = config.armEndpoint;
  let caPem: string | undefined;
  if (config.mode === 'demo' && options.externalSimulator) {
    armEndpoint = options.externalSimulator.url;
    caPem = options.externalSimulator.caPem;
  } else if (config.mode === 'demo') {
    const incident = options.demoIncident === true ? (config.demoIncident ?? true) : false;
    const fleet = config.fleetFile ? loadFleetFile(config.fleetFile) : buildDemoFleet({ incident });
    simulator = await startSimulator({
      fleet,
      clock,
      logger: logger.child({ component: 'simulator' }),
      ...(options.simulatorSettings ? { settings: options.simulatorSettings } : {}),
    });
    armEndpoint = simulator.url;
    caPem = simulator.caPem;
  }
  const directory = config.directoryFile ? loadDirectoryFile(config.directoryFile) : buildDemoDirectory();
  const access = new Access(directory);

  const arm = createArmAccess({
    credentials: config.credentials,
    clock,
    logger: logger.child({ component: 'arm' }),
    cacheTtlMs: config.cacheTtlMs,
    fleetCacheTtlMs: config.inventoryTtlMs,
    lroPollIntervalMs: config.devicePollIntervalMs,
    ...(options.armLimits ? { limits: options.armLimits } : {}),
    ...(armEndpoint ? { endpoint: armEndpoint } : {}),
    ...(caPem ? { caPem } : {}),
    // The simulator answers Azure Monitor's regional metrics endpoints itself.
    ...(config.mode === 'demo' && armEndpoint ? { metricsEndpoint: () => armEndpoint } : {}),
  });

  const store = await openChangeStore(config.store, {
    clock,
    logger: logger.child({ component: 'store' }),
    credential: tableStoreCredential(config.store, config.credentials, config.botAuth?.tenantId),
  });
  const alertStore = await openAlertStore(config.store, {
    clock,
    logger: logger.child({ component: 'alert-store' }),
    credential: tableStoreCredential(config.store, config.credentials, config.botAuth?.tenantId),
  });
  const alerts = new AlertWorkflow({
    store: alertStore,
    access,
    clock,
    logger: logger.child({ component: 'alerts' }),
    ...(options.alerts?.policy ? { policy: options.alerts.policy } : {}),
  });
  const writer = new ArmNetworkWriter({
    pool: arm.pool,
    logger: logger.child({ component: 'arm-writer' }),
    updateIntervalInMs: config.lroPollIntervalMs,
    onWritten: (scope) => arm.invalidate(scope),
  });
  const background = new BackgroundTasks(logger);
  const workflow = new ChangeWorkflow({
    store,
    reader: arm.reader,
    // Premium → Standard needs the circuit's VNet links, found across the customer's subscriptions.
    links: arm.links,
    // ExpressRoute Direct: VLANs are unique, and bandwidths must fit, across every circuit on the port pair.
    ports: arm.ports,
    writer,
    builder: writer,
    access,
    clock,
    logger: logger.child({ component: 'changes' }),
    // After ARM succeeds, each kind's "healthy after" is checked for up to VERIFY_WINDOW_SECONDS.
    effectiveRoutes: arm.effectiveRoutes,
    executorLimits: { verifyWindowMs: config.verifyWindowMs, verifyIntervalMs: config.verifyLookMs, ...options.changes?.executorLimits },
  });
  const views = new RequestViews({ workflow, access, store, clock });
  // `approvals here <customer>` is heard by whoever posts to approvals channels (delivery, below).
  const approvalsChannelListeners = new Set<(customerId: string, reference: unknown) => Promise<void>>();
  const changes = {
    workflow,
    views,
    registerApprovalsChannel: async (customerId: string, reference: unknown) => {
      for (const listener of approvalsChannelListeners) await listener(customerId, reference);
    },
    runInBackground: (name: string, work: Promise<unknown>) => background.run(name, () => work.then(() => undefined)),
    secrets: writer,
  };
  const prefixCounts = new PrefixCounts();
  const conversation = new Conversation({
    access,
    changes,
    alerts: { workflow: alerts, registerAlertsChannel: (customerId, reference) => saveAlertsChannel(store, customerId, reference) },
    reader: arm.reader,
    fleet: arm.fleet,
    posture: arm.posture,
    effectiveRoutes: arm.effectiveRoutes,
    prefixCounts,
    links: store,
    clock,
    demo: config.mode === 'demo',
  });
  const sweeper = new PrefixSweeper({
    access,
    fleet: arm.fleet,
    reader: arm.reader,
    counts: prefixCounts,
    clock,
    logger: logger.child({ component: 'prefix-sweep' }),
    intervalMs: config.prefixSweepMs || 15 * 60_000,
    writeTokens: (subscriptionId) => arm.writeTokens(subscriptionId),
  });
  const bot = createBot({
    conversation,
    background,
    logger,
    clock,
    progressAfterMs: config.progressAfterMs,
    ...(config.botAuth ? { auth: config.botAuth } : {}),
  });
  const delivery = new ChangeDelivery({
    sender: bot.proactive,
    store,
    workflow,
    views,
    access,
    background,
    clock,
    logger: logger.child({ component: 'delivery' }),
    progressUpdateMs: options.changes?.progressUpdateMs ?? 3_000,
    secrets: writer,
  });
  // Delivery keeps every card current: it hears each workflow event and each turn by subscription.
  workflow.events.subscribe((event) => delivery.onEvent(event));
  bot.subscribe(delivery);
  approvalsChannelListeners.add((customerId, reference) => delivery.registerApprovalsChannel(customerId, reference));
  const alertDelivery = new AlertDelivery({
    sender: bot.proactive,
    alerts,
    access,
    store,
    background,
    clock,
    logger: logger.child({ component: 'alert-delivery' }),
  });
  alerts.events.subscribe((event) => alertDelivery.onEvent(event));
  // A failed change (or one whose post-change check failed) is an alert on its circuit; a later success resolves it.
  workflow.events.subscribe((event) => {
    const signal = changeAlertSignal(event);
    if (signal) background.run('change-alert', () => alerts.ingest(signal).then(() => undefined));
  });
  const watcher = new AlertWatcher({
    access,
    fleet: arm.fleet,
    prefixCounts,
    alerts,
    store: alertStore,
    maintenance: () => executingChanges(store),
    clock,
    logger: logger.child({ component: 'watcher' }),
    intervalMs: config.watchIntervalMs || 60_000,
    ...(options.alerts?.leaseMs !== undefined ? { leaseMs: options.alerts.leaseMs } : {}),
    ...(options.alerts?.instanceId !== undefined ? { instanceId: options.alerts.instanceId } : {}),
    ...(options.alerts?.stallCheckMs !== undefined ? { stallCheckMs: options.alerts.stallCheckMs } : {}),
    notify: (notice) => alertDelivery.onWatchNotice(notice),
  });

  // Before the first turn: an approvals channel registered by an older version must already show its cards' data.
  await delivery.linkApprovalsChannels().catch((err: unknown) => logger.warn({ err }, 'could not link the approvals channels'));
  // Changes that were running when the bot last stopped (or crashed) carry on: resumed, never resubmitted.
  background.run('resume-executing', async () => {
    const resumed = await workflow.resumeExecuting();
    if (resumed.length > 0) logger.info({ count: resumed.length }, 'resumed change requests finished');
  });
  const sweep = setInterval(() => {
    background.run('expire-requests', async () => {
      const expired = await workflow.expireDue();
      if (expired.length > 0) logger.info({ count: expired.length }, 'expired pending change requests');
    });
  }, options.changes?.expirySweepMs ?? 60_000);
  sweep.unref();
  // Changes another instance was driving when it died (its lease ran out), or left between steps, are taken up.
  const recovery = setInterval(
    () => {
      background.run('recover-changes', async () => {
        await workflow.resumeExecuting();
      });
    },
    Math.max(250, Math.floor(workflow.executor.settleMs / 2)),
  );
  recovery.unref();
  if (config.prefixSweepMs > 0) sweeper.start();
  if (config.watchIntervalMs > 0) watcher.start();
  // Prunes the alert store; without a watcher (alerts still come from Azure Monitor and failed changes), also escalates and ends silences.
  const alertUpkeep = new AlertUpkeep({
    alerts,
    access,
    clock,
    logger: logger.child({ component: 'alert-upkeep' }),
    intervalMs: options.alerts?.upkeepMs ?? 60_000,
    escalate: config.watchIntervalMs <= 0,
  });
  alertUpkeep.start();

  // Azure Monitor in (POST /api/azure-alerts): metric, Service Health and Resource Health alerts become the same alerts.
  const azureMonitor = new AzureMonitorIntake({
    intake: alerts,
    access,
    inventory: (customers) => visibleInventory({ access, fleet: arm.fleet }, undefined, { customers }),
    clock,
    logger: logger.child({ component: 'azure-monitor' }),
  });
  const server = createServer({
    processActivity: (req, res) => bot.processActivity(req, res),
    isReady: () => ready,
    // A watch cycle stuck for long (watcherHealth) raises nothing for anyone: the instance is not healthy.
    liveness: () => {
      const health = watcher.health();
      return { healthy: health.state !== 'stalled', details: { watcher: health } };
    },
    logger,
    ...(config.azureAlertsToken ? { azureAlerts: { token: config.azureAlertsToken, receive: (body) => azureMonitor.receive(body) } } : {}),
  });
  const { port } = await server.listen(config.port, config.host);
  ready = true;
  const url = `http://${config.host ?? '127.0.0.1'}:${port}`;
  logger.info({ port, mode: config.mode, auth: Boolean(config.botAuth) }, 'bot listening');
  const exposure = unauthenticatedExposure(config);
  if (exposure) logger.warn({ host: config.host, auth: false, risk: 'unauthenticated-public-listener' }, `SECURITY: ${exposure}`);

  let playground: RunningPlayground | undefined;
  if (config.playground) {
    playground = await startPlayground({ botUrl: `${url}/api/messages`, port: config.playgroundPort, logger });
  }

  return {
    port,
    url,
    config,
    ...(simulator ? { simulator } : {}),
    ...(playground ? { playground } : {}),
    armStats: () => arm.stats(),
    prefixCounts,
    sweeper,
    store,
    workflow,
    alerts,
    alertStore,
    watcher,
    alertUpkeep,
    alertDelivery,
    stop: async () => {
      ready = false;
      clearInterval(sweep);
      clearInterval(recovery);
      await server.close();
      // Running changes stay `executing` with their saved poller state; the next start resumes them.
      workflow.executor.stop();
      await sweeper.stop();
      // Its leases are given back: another instance watches these customers from its next cycle.
      await watcher.stop();
      await alertUpkeep.stop();
      await background.drain();
      await store.close();
      await alertStore.close();
      await playground?.stop();
      await arm.close();
      await simulator?.close();
    },
  };
}

async function main(): Promise<void> {
  let app: RunningApp | undefined;
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'info' });
  const flagsWarning = nodeFlagsWarning(process.execArgv);
  if (flagsWarning) logger.warn(flagsWarning);
  logger.info(applyTiering());
  try {
    const config = loadConfig(process.env);
    app = await start(config, { logger, demoIncident: true });
    if (config.mode === 'demo') printDemoBanner(app);
  } catch (e) {
    const err = asCodedError(e);
    process.stderr.write(`\n${err.message}\n${err.hint ? `${err.hint}\n` : ''}`);
    if (err.code === ErrorCode.Internal) logger.error({ err: e }, 'start-up failed');
    process.exit(1);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight turns');
    await app?.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

function printDemoBanner(app: RunningApp): void {
  const version = (JSON.parse(readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  const lines = [
    '',
    `  ExpressRoute Ops Bot ${version} — DEMO MODE (embedded ARM simulator, demo customers, no real Azure)`,
    `  Bot endpoint:  ${app.url}/api/messages`,
    `  ARM simulator: ${app.simulator?.url ?? '-'}`,
    app.playground
      ? `  Open the Agents Playground: ${app.playground.url}`
      : '  Agents Playground not started (PLAYGROUND=0 or not installed).',
    app.config.watchIntervalMs > 0 && !app.config.fleetFile
      ? `  On-call demo: contoso-ams-er1 loses a BGP session ${incidentWhen(app.config)} after start. Say anything to the bot first: the alert comes to your chat.`
      : '',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

/** When the demo incident begins, in words: "a minute" as shipped. */
function incidentWhen(config: Config): string {
  const seconds = demoIncidentTimes(config.demoIncident).dropAfterMs / 1000;
  return seconds === 60 ? 'a minute' : `${seconds} s`;
}

if (require.main === module) void main();
