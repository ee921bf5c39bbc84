import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { start, type RunningApp } from '../../src/index';
import { createLogger } from '../../src/log';
import { startPlayground, type RunningPlayground } from '../../src/demo/playground';
import { PLAYGROUND_CONFIG_FILES } from '../../scripts/generate-playground-config';
import { ARTIFACTS } from './playground-chat';

const projectRoot = path.resolve(__dirname, '..', '..');

export type PlaygroundUser = keyof typeof PLAYGROUND_CONFIG_FILES;

export interface DemoBotOptions {
  /** The on-call demo as `npm start` runs it (timed by DEMO_INCIDENT_AFTER_SECONDS and DEMO_INCIDENT_LASTS_SECONDS). */
  demoIncident?: boolean;
  /** `false`: no router-read sweep before the tests (about half a minute) when they do not show prefix counts. */
  sweep?: boolean;
}

/**
 * The real composition root in demo mode (embedded ARM simulator, demo directory) on a random port, with its own
 * data folder, so that each e2e file starts from the demo fleet as shipped and no file sees another's changes.
 */
export class DemoBot {
  private readonly playgrounds: RunningPlayground[] = [];

  private constructor(
    readonly app: RunningApp,
    private readonly dataDir: string,
  ) {}

  static async start(env: Record<string, string> = {}, options: DemoBotOptions = {}): Promise<DemoBot> {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'erbot-e2e-'));
    const config = loadConfig({ PORT: '0', PLAYGROUND: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env });
    const app = await start(config, {
      logger: createLogger({ level: 'silent' }),
      ...(options.demoIncident ? { demoIncident: true } : {}),
    });
    // Prefix counts have no metric: the demo's background router reads supply them. Wait for one sweep so the
    // fleet view is the one a person sees a minute after starting the demo.
    if (options.sweep !== false) await app.sweeper.sweep();
    return new DemoBot(app, dataDir);
  }

  /**
   * A Playground whose current user is `who`. The Playground changes its user only through its config file, so
   * each user needs an instance of their own; each instance also has its own connector (serviceUrl).
   */
  async playgroundAs(who: PlaygroundUser): Promise<RunningPlayground> {
    const playground = await startPlayground({
      botUrl: `${this.app.url}/api/messages`,
      port: 0,
      logger: createLogger({ level: 'silent' }),
      configFile: path.join(projectRoot, PLAYGROUND_CONFIG_FILES[who]),
      logFile: path.join(ARTIFACTS, `playground-${who}.log`),
    });
    assert.ok(playground, 'the Agents Playground is installed (npm ci)');
    this.playgrounds.push(playground);
    return playground;
  }

  async stop(): Promise<void> {
    await Promise.all(this.playgrounds.map((p) => p.stop()));
    await this.app.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
