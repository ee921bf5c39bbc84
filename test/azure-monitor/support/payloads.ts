import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Harness } from '../../support/harness';

/** AZURE_ALERTS_TOKEN of the suites: as `openssl rand -hex 32` makes one. */
export const TOKEN = 'f3c1e2d4b5a6978877665544332211000ffeeddccbbaa99887766554433221100';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'azure-monitor');

export type Json = Record<string, unknown>;

const read = (...parts: string[]): Json => JSON.parse(readFileSync(path.join(FIXTURES, ...parts), 'utf8')) as Json;

/** Microsoft's complete samples (test/fixtures/azure-monitor/official/*.json), by file name without `.json`. */
export const OFFICIAL_SAMPLES: string[] = readdirSync(path.join(FIXTURES, 'official'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''));

export const official = (name: string): Json => read('official', `${name}.json`);

/**
 * Each `alertContext`-only sample of the page with the monitoring service and signal type its section names (the
 * essentials around it are those of the page's first sample, a VM's).
 */
export const CONTEXT_SAMPLES: Record<string, { monitoringService: string; signalType: string }> = {
  'metric-static-threshold': { monitoringService: 'Platform', signalType: 'Metric' },
  'metric-dynamic-threshold': { monitoringService: 'Platform', signalType: 'Metric' },
  'metric-availability-test': { monitoringService: 'Platform', signalType: 'Metric' },
  'log-search-platform': { monitoringService: 'Platform', signalType: 'Log' },
  'log-search-application-insights': { monitoringService: 'Application Insights', signalType: 'Log' },
  'log-alerts-v2': { monitoringService: 'Log Alerts V2', signalType: 'Log' },
  'activity-log-administrative': { monitoringService: 'Activity Log - Administrative', signalType: 'Activity Log' },
  'activity-log-policy': { monitoringService: 'Activity Log - Policy', signalType: 'Activity Log' },
  'activity-log-autoscale': { monitoringService: 'Activity Log - Autoscale', signalType: 'Activity Log' },
  'activity-log-security': { monitoringService: 'Activity Log - Security', signalType: 'Activity Log' },
  'service-health': { monitoringService: 'ServiceHealth', signalType: 'Activity Log' },
  'resource-health': { monitoringService: 'Resource Health', signalType: 'Activity Log' },
  prometheus: { monitoringService: 'Prometheus', signalType: 'Metric' },
};

/** An `alertContext`-only sample as a complete alert (see CONTEXT_SAMPLES). */
export function contextSample(name: string): Json {
  const sample = official('sample-alert-payload') as { data: { essentials: Json; alertContext: unknown } };
  const where = CONTEXT_SAMPLES[name];
  if (!where) throw new Error(`no context sample ${name}`);
  sample.data.essentials = { ...sample.data.essentials, ...where, monitorCondition: 'Fired' };
  sample.data.alertContext = read('official', 'contexts', `${name}.json`).alertContext;
  return sample;
}

/** The samples adapted to the demo fleet (test/fixtures/azure-monitor/expressroute/). */
export const expressRoute = (name: string): Json => read('expressroute', `${name}.json`);

/** A deep copy with `edit` applied, for the variations a test needs. */
export function variant<T extends Json>(payload: T, edit: (copy: T) => void): T {
  const copy = structuredClone(payload);
  edit(copy);
  return copy;
}

/** The fields of an alert most variants change. */
export interface AlertShape extends Json {
  data: {
    essentials: Json & { alertTargetIDs: string[]; monitorCondition: string };
    alertContext: Json & { properties: Json; condition: { allOf: Json[] } };
  };
}

export const shape = (payload: Json): AlertShape => payload as AlertShape;

export type Credential = { query: string } | { bearer: string } | { basic: { user: string; password: string } } | 'none';

export interface Answer {
  status: number;
  body: Json;
  headers: Headers;
}

/** POSTs to /api/azure-alerts as an action group would (the token in the URL by default). */
export async function postAlert(
  h: Harness | string,
  body: unknown,
  credential: Credential = { query: TOKEN },
  raw = false,
): Promise<Answer> {
  const base = typeof h === 'string' ? h : h.app.url;
  const url = new URL('/api/azure-alerts', base);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (credential !== 'none') {
    if ('query' in credential) url.searchParams.set('token', credential.query);
    if ('bearer' in credential) headers.authorization = `Bearer ${credential.bearer}`;
    if ('basic' in credential)
      headers.authorization = `Basic ${Buffer.from(`${credential.basic.user}:${credential.basic.password}`).toString('base64')}`;
  }
  const res = await fetch(url, { method: 'POST', headers, body: raw ? (body as string) : JSON.stringify(body) });
  const text = await res.text();
  let parsed: Json = {};
  try {
    parsed = JSON.parse(text) as Json;
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed, headers: res.headers };
}
