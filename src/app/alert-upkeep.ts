import type { AlertWorkflow } from '../alerts/alert-workflow';
import type { Clock } from '../clock';
import type { Access } from '../directory/access';
import type { Logger } from '../log';

export interface AlertUpkeepOptions {
  alerts: AlertWorkflow;
  access: Access;
  clock: Clock;
  logger: Logger;
  /** The pause between passes. */
  intervalMs: number;
  /**
   * Escalation and suppression too (silences that ran out), not only pruning: for when the watcher is off
   * (WATCH_INTERVAL_SECONDS=0), whose cycle does them otherwise, and alerts still arrive from Azure Monitor and the
   * change workflow.
   */
  escalate: boolean;
  /** How often the store is pruned of what is older than the retention; default hourly. */
  pruneEveryMs?: number;
}

/** What one pass did, for the log and tests. */
export interface UpkeepPass {
  written: number;
  pruned?: { alerts: number; silences: number };
}

/**
 * The light periodic pass over the alert store: prunes it now and then and, while no watcher runs, escalates
 * unacknowledged critical alerts and posts what a silence that ran out held back. It reads the store only, never
 * the fleet.
 */
export class AlertUpkeep {
  private readonly abort = new AbortController();
  private running: Promise<void> = Promise.resolve();
  private lastPrune: number | undefined;
  private done = 0;

  constructor(private readonly options: AlertUpkeepOptions) {}

  /** Passes finished so far (tests wait for the next one instead of sleeping). */
  get passes(): number {
    return this.done;
  }

  /** Passes until `stop`, the first one interval after the start; a failed pass is logged and the next runs on time. */
  start(): void {
    const { clock, logger, intervalMs } = this.options;
    this.running = (async () => {
      while (!this.abort.signal.aborted) {
        await clock.sleep(intervalMs, this.abort.signal).catch(() => undefined);
        if (this.abort.signal.aborted) break;
        await this.runPass().catch((err: unknown) => logger.warn({ err }, 'alert upkeep failed'));
      }
    })();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  async runPass(): Promise<UpkeepPass> {
    const { alerts, access, clock, logger } = this.options;
    const pass: UpkeepPass = { written: 0 };
    if (this.options.escalate) {
      pass.written = (await alerts.upkeep(access.allCustomers().map((c) => c.id))).written;
    }
    const now = clock.now();
    if (this.lastPrune === undefined || now - this.lastPrune >= (this.options.pruneEveryMs ?? 3_600_000)) {
      this.lastPrune = now;
      pass.pruned = await alerts.prune();
    }
    if (pass.written > 0 || pass.pruned) logger.debug({ ...pass }, 'alert upkeep done');
    this.done++;
    return pass;
  }
}
