import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { AzureAlertOutcome } from '../azure-monitor/azure-monitor-intake';
import type { Logger } from '../log';

/** Where Azure Monitor action groups post their alerts (common alert schema). */
export const AZURE_ALERTS_PATH = '/api/azure-alerts';

/** What the server needs for POST /api/azure-alerts: the shared secret, and what to do with an alert. */
export interface AzureAlertsEndpoint {
  /** AZURE_ALERTS_TOKEN. Never logged, and compared in constant time. */
  token: string;
  receive(body: unknown): Promise<AzureAlertOutcome>;
}

/**
 * The tokens a request presents. A plain action-group webhook cannot set headers: its only place for a secret is
 * the URL, either as `?token=` or as the password of `https://user:<token>@host/…`, which arrives as Basic
 * authentication. `Authorization: Bearer <token>` is for everything else (curl, a Logic App, another tool).
 */
function presentedTokens(req: Request): string[] {
  const out: string[] = [];
  const query = (req.query as Record<string, unknown>).token;
  if (typeof query === 'string') out.push(query);
  const [scheme = '', credentials = ''] = (req.get('authorization') ?? '').trim().split(/\s+/, 2);
  if (scheme.toLowerCase() === 'bearer') out.push(credentials);
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const [user, password] = colon < 0 ? [decoded, ''] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
    out.push(password || user);
  }
  return out.filter((t) => t.length > 0);
}

/** Equal secrets, in time that does not depend on where they differ (nor on the presented one's length). */
function sameSecret(presented: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/**
 * While AZURE_ALERTS_TOKEN is unset: 404, which Azure Monitor does not retry, so a bot without the setting is not
 * hammered by an action group pointed at it.
 */
export const azureAlertsOff: RequestHandler = (_req, res) => {
  res.status(404).json({ error: 'Azure Monitor alerts are turned off on this bot: set AZURE_ALERTS_TOKEN to accept them.' });
};

/** Before the body is read: 401 without the right token. Neither the token nor the query string is ever logged. */
export function azureAlertsGate(endpoint: AzureAlertsEndpoint, logger: Logger): RequestHandler {
  return (req, res, next) => {
    const tokens = presentedTokens(req);
    // Every presented token is compared, so the time taken says nothing about which one was close.
    if (tokens.map((t) => sameSecret(t, endpoint.token)).includes(true)) {
      next();
      return;
    }
    logger.warn({ presented: tokens.length > 0 ? 'wrong token' : 'no token', ip: req.ip }, 'azure alert refused: not authenticated');
    res
      .status(401)
      .set('WWW-Authenticate', 'Bearer realm="azure-alerts"')
      .json({ error: 'Not authenticated: add ?token=<AZURE_ALERTS_TOKEN> to the webhook URL, or send Authorization: Bearer <token>.' });
  };
}

/**
 * The body (already parsed as JSON) handed to the intake, and its outcome as HTTP: 400 naming what is wrong,
 * 200 `{ ignored }` for a well-formed alert the bot does not act on, 200 `{ accepted }` otherwise. A failure
 * while recording is a 503, which Azure Monitor retries.
 */
export async function answerAzureAlert(endpoint: AzureAlertsEndpoint, logger: Logger, req: Request, res: Response): Promise<void> {
  if (typeof req.body !== 'object' || req.body === null) {
    logger.warn({ contentType: req.get('content-type') ?? 'none' }, 'azure alert refused: no JSON body');
    res.status(400).json({ error: 'The body must be a JSON object sent with Content-Type: application/json.' });
    return;
  }
  let outcome: AzureAlertOutcome;
  try {
    outcome = await endpoint.receive(req.body);
  } catch (err) {
    logger.error({ err }, 'azure alert could not be recorded');
    res.status(503).set('Retry-After', '10').json({ error: 'The alert could not be recorded now; Azure Monitor sends it again.' });
    return;
  }
  if (outcome.kind === 'malformed') {
    res.status(400).json({ error: `Not an Azure Monitor alert in the common alert schema: ${outcome.problem}.` });
  } else if (outcome.kind === 'ignored') {
    res.status(200).json({ ignored: outcome.reason });
  } else {
    const { alerts, silences, endedSilences, unchanged } = outcome;
    res.status(200).json({ accepted: { alerts, silences, endedSilences, unchanged } });
  }
}
