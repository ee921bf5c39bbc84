import express, { type Request, type Response, type NextFunction } from 'express';
import type { Server } from 'node:http';
import type { Logger } from '../log';
import { AZURE_ALERTS_PATH, azureAlertsGate, azureAlertsOff, answerAzureAlert, type AzureAlertsEndpoint } from './azure-alerts-route';

/** What the server needs from the bot: botbuilder's request processing, kept behind one function. */
export type ProcessActivity = (req: Request, res: Response) => Promise<void>;

export interface CreateServerOptions {
  processActivity: ProcessActivity;
  /** Readiness: the store and directory are loaded. */
  isReady: () => boolean;
  /**
   * Liveness beyond the process answering, for `/healthz` (which answers anyone, so nothing in it may name a
   * customer): `healthy: false` answers 503, so a platform health check takes the instance out and restarts it.
   */
  liveness?: () => { healthy: boolean; details: Record<string, unknown> };
  logger: Logger;
  /** Bot Framework activities and Azure Monitor alerts (256 KB at most) are small; anything bigger is refused before parsing. */
  maxBodyBytes?: number;
  /** POST /api/azure-alerts; unset (AZURE_ALERTS_TOKEN not set), it answers 404. */
  azureAlerts?: AzureAlertsEndpoint;
}

export interface BotServer {
  app: express.Express;
  /** Stop taking turns, wait for in-flight ones, close the socket. */
  close(): Promise<void>;
  listen(port: number, host?: string): Promise<{ server: Server; port: number }>;
}

export function createServer(options: CreateServerOptions): BotServer {
  const { logger } = options;
  const app = express();
  app.disable('x-powered-by');
  let draining = false;
  let inFlight = 0;
  let drained: (() => void) | undefined;
  let server: Server | undefined;

  app.get('/healthz', (_req, res) => {
    const live = options.liveness?.() ?? { healthy: true, details: {} };
    res.status(live.healthy ? 200 : 503).json({ ...live.details, status: live.healthy ? 'ok' : 'unhealthy' });
  });
  app.get('/readyz', (_req, res) => {
    const ready = !draining && options.isReady();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : draining ? 'draining' : 'starting' });
  });

  const refuseWhileDraining = (_req: Request, res: Response, next: NextFunction) => {
    if (draining) {
      // Azure Bot Service and Azure Monitor retry a 503, so a request refused while draining reaches another instance.
      res.status(503).set('Retry-After', '1').json({ error: 'shutting down' });
      return;
    }
    next();
  };
  const json = express.json({ limit: options.maxBodyBytes ?? 256 * 1024 });
  /** In-flight work that shutdown waits for. */
  const tracked =
    (failure: string, work: (req: Request, res: Response) => Promise<void>) =>
    async (req: Request, res: Response): Promise<void> => {
      inFlight++;
      try {
        await work(req, res);
      } catch (e) {
        logger.error({ err: e }, failure);
        if (!res.headersSent) res.status(500).json({ error: 'internal error' });
      } finally {
        inFlight--;
        if (draining && inFlight === 0) drained?.();
      }
    };

  app.post(
    '/api/messages',
    refuseWhileDraining,
    json,
    tracked('turn failed outside the bot', (req, res) => options.processActivity(req, res)),
  );

  const alerts = options.azureAlerts;
  if (alerts) {
    app.post(
      AZURE_ALERTS_PATH,
      refuseWhileDraining,
      // Who is asking is settled before the body is read.
      azureAlertsGate(alerts, logger),
      json,
      tracked('azure alert failed', (req, res) => answerAzureAlert(alerts, logger, req, res)),
    );
  } else app.post(AZURE_ALERTS_PATH, azureAlertsOff);

  // Malformed JSON and oversized bodies end here: a clear 400/413, never a crash or a stack trace.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = typeof err === 'object' && err !== null && 'status' in err ? Number(err.status) : 500;
    const message = status === 413 ? 'request body too large' : status === 400 ? 'request body is not valid JSON' : 'internal error';
    if (status >= 500) logger.error({ err }, 'request failed');
    // The path and the reason only: never the body.
    else logger.warn({ path: req.path, status }, `request refused: ${message}`);
    if (!res.headersSent) res.status(status).json({ error: message });
  });

  return {
    app,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        const s = app.listen(port, host ?? '127.0.0.1');
        s.once('error', reject);
        s.once('listening', () => {
          server = s;
          const address = s.address();
          resolve({ server: s, port: typeof address === 'object' && address ? address.port : port });
        });
      }),
    close: async () => {
      draining = true;
      if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
      if (server) {
        const s = server;
        const closed = new Promise<void>((resolve) => s.close(() => resolve()));
        s.closeIdleConnections();
        await closed;
      }
    },
  };
}
