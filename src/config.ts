import { z } from 'zod';
import { CodedError, ErrorCode } from './errors';
import { isLoopbackAddress } from './network/ip-prefix';
import { AZURE_CLOUDS, cloudOf } from './azure/clouds';
import type { CredentialConfig } from './azure/credentials';
import type { StoreConfig } from './store/open-change-store';
import { TABLE_PREFIX_PATTERN, TABLE_PREFIX_RULE } from './store/table-names';

export type { CredentialConfig };

/**
 * The operator's knobs (DESIGN.md Contract 5), read once by the composition root. Anything wrong fails start-up
 * with one readable message that names every bad variable.
 */

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: optionalText,
  FLEET_FILE: optionalText,
  DIRECTORY_FILE: optionalText,
  DATA_DIR: z.string().trim().min(1).default('./data'),
  PLAYGROUND: z.enum(['0', '1']).optional(),
  PLAYGROUND_PORT: z.coerce.number().int().min(1).max(65535).default(56150),
  BOT_ID: optionalText,
  BOT_PASSWORD: optionalText,
  BOT_TENANT_ID: optionalText,
  BOT_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
  BOT_OPENID_METADATA_URL: optionalText.pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).optional()),
  ARM_ENDPOINT: optionalText.pipe(z.url({ protocol: /^https$/, error: 'must be an https:// URL' }).optional()),
  AZURE_CREDENTIAL: z.enum(['default', 'secret', 'certificate']).optional(),
  AZURE_CLIENT_ID: optionalText,
  AZURE_CLIENT_SECRET: optionalText,
  AZURE_CLIENT_CERTIFICATE_PATH: optionalText,
  ARM_CACHE_TTL_SECONDS: z.coerce.number().min(0).max(3600).default(30),
  ARM_POLL_INTERVAL_MS: z.coerce.number().int().min(1).max(60_000).default(2000),
  PROGRESS_AFTER_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
  DEVICE_POLL_INTERVAL_MS: z.coerce.number().int().min(1).max(10_000).default(500),
  INVENTORY_TTL_SECONDS: z.coerce.number().min(0).max(3600).default(60),
  PREFIX_SWEEP_MINUTES: z.coerce.number().min(0).max(1440).default(15),
  WATCH_INTERVAL_SECONDS: z.coerce
    .number()
    .min(0)
    .max(3600)
    .refine((v) => v === 0 || v >= 1, 'must be 0 (off) or at least 1 second')
    .default(60),
  // How long a change's post-change check may take before it is judged failed (0: no checks), and how often it looks.
  VERIFY_WINDOW_SECONDS: z.coerce.number().int().min(0).max(86_400).default(600),
  VERIFY_LOOK_SECONDS: z.coerce.number().min(0.05).max(600).default(15),
  // Demo mode, built-in fleet only: when the on-call demo's BGP session drops, and how long it stays down.
  DEMO_INCIDENT_AFTER_SECONDS: optionalText.pipe(z.coerce.number<string>().min(0).max(86_400).optional()),
  DEMO_INCIDENT_LASTS_SECONDS: optionalText.pipe(z.coerce.number<string>().min(1).max(86_400).optional()),
  // A shared secret in the action group's webhook URL: long, and only characters a URL carries as they are.
  AZURE_ALERTS_TOKEN: optionalText.pipe(
    z
      .string()
      .min(16, 'must be at least 16 characters (generate one: openssl rand -hex 32)')
      .max(256, 'must be at most 256 characters')
      .regex(/^[A-Za-z0-9._~-]+$/, 'may hold only letters, digits and . _ ~ - (it goes into a URL as it is)')
      .optional(),
  ),
  TABLE_STORAGE_CONNECTION_STRING: optionalText,
  TABLE_STORAGE_ENDPOINT: optionalText.pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).optional()),
  TABLE_STORAGE_PREFIX: z.string().regex(TABLE_PREFIX_PATTERN, `must be ${TABLE_PREFIX_RULE}`).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface BotAuthConfig {
  appId: string;
  appPassword?: string;
  tenantId?: string;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  /**
   * Demo mode only: where the Bot Framework's token signing keys are read from, instead of Microsoft's OpenID
   * metadata (tests sign their own tokens). Production always trusts Microsoft's keys.
   */
  openIdMetadataUrl?: string;
}

export interface Config {
  mode: 'demo' | 'production';
  port: number;
  host?: string;
  fleetFile?: string;
  directoryFile?: string;
  dataDir: string;
  playground: boolean;
  playgroundPort: number;
  /** Unset means no Bot Framework authentication (Playground, local tests). */
  botAuth?: BotAuthConfig;
  /** One of AZURE_CLOUDS' Resource Managers; unset in demo mode: the embedded simulator's URL is used. */
  armEndpoint?: string;
  credentials: CredentialConfig;
  cacheTtlMs: number;
  lroPollIntervalMs: number;
  /** Polling of router reads: a read is seen this soon after it finishes (ARM's Retry-After wins). */
  devicePollIntervalMs: number;
  /** How long the Resource Graph inventory and Azure Monitor signals are reused. */
  inventoryTtlMs: number;
  /** How often received-prefix counts are read again in the background; 0 turns it off. */
  prefixSweepMs: number;
  /** How often the watcher checks every circuit for alerts; 0 turns it off. */
  watchIntervalMs: number;
  /** VERIFY_WINDOW_SECONDS: how long a post-change check may take before the change is judged failed; 0: none. */
  verifyWindowMs: number;
  /** VERIFY_LOOK_SECONDS: the pause between two looks of a post-change check. */
  verifyLookMs: number;
  /**
   * Demo mode, built-in fleet: when the on-call demo's BGP session drops after the simulator starts
   * (DEMO_INCIDENT_AFTER_SECONDS) and how long it stays down (DEMO_INCIDENT_LASTS_SECONDS); unset fields keep the
   * demo fleet's own timing (DEMO_INCIDENT: a minute, then four).
   */
  demoIncident?: { dropAfterMs?: number; lastsMs?: number };
  /**
   * The shared secret Azure Monitor action groups send to POST /api/azure-alerts (`?token=`, Bearer or Basic);
   * unset turns that endpoint off. A secret: never logged.
   */
  azureAlertsToken?: string;
  progressAfterMs: number;
  logLevel: string;
  /** Where change requests are kept: SQLite in dataDir, or Azure Table Storage shared by several instances. */
  store: StoreConfig;
}

function fail(problems: string[]): never {
  throw new CodedError(ErrorCode.Config, `The bot cannot start:\n- ${problems.join('\n- ')}`, {
    hint: 'Fix the environment variables above (see the README, "Configuration"), then start again.',
  });
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    fail(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const demo = !e.ARM_ENDPOINT && !e.AZURE_CREDENTIAL;
  // The cloud ARM_ENDPOINT names, however it spelled its host (a path, query or user there has no use).
  const cloud = e.ARM_ENDPOINT ? cloudOf(e.ARM_ENDPOINT) : undefined;

  let botAuth: BotAuthConfig | undefined;
  if (e.BOT_ID) {
    const appType = e.BOT_TYPE ?? (e.BOT_TENANT_ID ? 'SingleTenant' : 'MultiTenant');
    if (appType !== 'UserAssignedMSI' && !e.BOT_PASSWORD) problems.push('BOT_ID is set but BOT_PASSWORD is missing');
    if (appType !== 'MultiTenant' && !e.BOT_TENANT_ID) problems.push(`BOT_TYPE ${appType} needs BOT_TENANT_ID`);
    botAuth = { appId: e.BOT_ID, appType };
    if (e.BOT_PASSWORD) botAuth.appPassword = e.BOT_PASSWORD;
    if (e.BOT_TENANT_ID) botAuth.tenantId = e.BOT_TENANT_ID;
    if (e.BOT_OPENID_METADATA_URL) {
      const url = new URL(e.BOT_OPENID_METADATA_URL);
      // Whoever serves the keys can mint tokens the bot trusts: plain HTTP only to this machine.
      if (url.protocol === 'http:' && !listensOnLoopbackOnly(url.hostname)) {
        problems.push('BOT_OPENID_METADATA_URL over plain http must point at this machine (127.0.0.1, ::1 or localhost)');
      } else if (demo) botAuth.openIdMetadataUrl = e.BOT_OPENID_METADATA_URL;
      else problems.push("BOT_OPENID_METADATA_URL is a demo-mode setting: production trusts only Microsoft's signing keys");
    }
  } else if (e.BOT_PASSWORD || e.BOT_TENANT_ID || e.BOT_OPENID_METADATA_URL) {
    problems.push('BOT_PASSWORD, BOT_TENANT_ID or BOT_OPENID_METADATA_URL is set without BOT_ID');
  }

  let credentials: CredentialConfig = { kind: 'static', token: 'simulator' };
  if (!demo) {
    const clouds = AZURE_CLOUDS.map((c) => `${c.arm} for ${c.name}`).join(', ');
    if (!e.ARM_ENDPOINT) problems.push(`ARM_ENDPOINT is missing (${clouds})`);
    else if (!cloud) {
      problems.push(
        `ARM_ENDPOINT: ${new URL(e.ARM_ENDPOINT).host} is not the Resource Manager of a cloud the bot knows (${clouds}), ` +
          "so it cannot tell where that cloud's Azure Monitor metrics are",
      );
    }
    if (!e.DIRECTORY_FILE) problems.push('DIRECTORY_FILE is missing: production never falls back to demo data');
    if (e.FLEET_FILE) problems.push('FLEET_FILE is a demo-mode setting; unset it when ARM_ENDPOINT is set');
    if (!botAuth) problems.push('BOT_ID/BOT_PASSWORD are missing: production requires Bot Framework authentication');
    const kind = e.AZURE_CREDENTIAL ?? 'default';
    if (kind === 'secret') {
      if (!e.AZURE_CLIENT_ID || !e.AZURE_CLIENT_SECRET) {
        problems.push('AZURE_CREDENTIAL=secret needs AZURE_CLIENT_ID and AZURE_CLIENT_SECRET');
      } else credentials = { kind, clientId: e.AZURE_CLIENT_ID, clientSecret: e.AZURE_CLIENT_SECRET };
    } else if (kind === 'certificate') {
      if (!e.AZURE_CLIENT_ID || !e.AZURE_CLIENT_CERTIFICATE_PATH) {
        problems.push('AZURE_CREDENTIAL=certificate needs AZURE_CLIENT_ID and AZURE_CLIENT_CERTIFICATE_PATH');
      } else credentials = { kind, clientId: e.AZURE_CLIENT_ID, certificatePath: e.AZURE_CLIENT_CERTIFICATE_PATH };
    } else {
      credentials = e.AZURE_CLIENT_ID ? { kind: 'default', clientId: e.AZURE_CLIENT_ID } : { kind: 'default' };
    }
  }
  const incidentSet = e.DEMO_INCIDENT_AFTER_SECONDS !== undefined || e.DEMO_INCIDENT_LASTS_SECONDS !== undefined;
  if (incidentSet && !demo) problems.push('DEMO_INCIDENT_AFTER_SECONDS and DEMO_INCIDENT_LASTS_SECONDS are demo-mode settings');
  else if (incidentSet && e.FLEET_FILE) {
    problems.push('DEMO_INCIDENT_AFTER_SECONDS and DEMO_INCIDENT_LASTS_SECONDS time the built-in demo fleet; unset them with FLEET_FILE');
  }
  let store: StoreConfig = { kind: 'sqlite', dataDir: e.DATA_DIR };
  if (e.TABLE_STORAGE_CONNECTION_STRING && e.TABLE_STORAGE_ENDPOINT) {
    problems.push('set TABLE_STORAGE_CONNECTION_STRING or TABLE_STORAGE_ENDPOINT, not both');
  } else if (e.TABLE_STORAGE_CONNECTION_STRING || e.TABLE_STORAGE_ENDPOINT) {
    const insecure =
      /^http:/i.test(e.TABLE_STORAGE_ENDPOINT ?? '') ||
      /DefaultEndpointsProtocol=http;|TableEndpoint=http:/i.test(e.TABLE_STORAGE_CONNECTION_STRING ?? '');
    if (insecure && !demo) problems.push('Table Storage over plain HTTP is for Azurite in demo mode only');
    store = {
      kind: 'table',
      ...(e.TABLE_STORAGE_CONNECTION_STRING ? { connectionString: e.TABLE_STORAGE_CONNECTION_STRING } : {}),
      ...(e.TABLE_STORAGE_ENDPOINT ? { endpoint: e.TABLE_STORAGE_ENDPOINT } : {}),
      ...(e.TABLE_STORAGE_PREFIX ? { tablePrefix: e.TABLE_STORAGE_PREFIX } : {}),
      ...(insecure ? { allowInsecureConnection: true } : {}),
    };
  }
  if (problems.length > 0) fail(problems);

  const config: Config = {
    mode: demo ? 'demo' : 'production',
    port: e.PORT,
    dataDir: e.DATA_DIR,
    playground: demo && e.PLAYGROUND !== '0',
    playgroundPort: e.PLAYGROUND_PORT,
    credentials,
    cacheTtlMs: e.ARM_CACHE_TTL_SECONDS * 1000,
    lroPollIntervalMs: e.ARM_POLL_INTERVAL_MS,
    devicePollIntervalMs: e.DEVICE_POLL_INTERVAL_MS,
    inventoryTtlMs: e.INVENTORY_TTL_SECONDS * 1000,
    prefixSweepMs: e.PREFIX_SWEEP_MINUTES * 60_000,
    watchIntervalMs: Math.round(e.WATCH_INTERVAL_SECONDS * 1000),
    verifyWindowMs: e.VERIFY_WINDOW_SECONDS * 1000,
    verifyLookMs: Math.round(e.VERIFY_LOOK_SECONDS * 1000),
    progressAfterMs: e.PROGRESS_AFTER_MS,
    logLevel: e.LOG_LEVEL,
    store,
  };
  if (e.HOST) config.host = e.HOST;
  if (e.FLEET_FILE) config.fleetFile = e.FLEET_FILE;
  if (e.DIRECTORY_FILE) config.directoryFile = e.DIRECTORY_FILE;
  if (botAuth) config.botAuth = botAuth;
  // Resource Manager's own URL.
  if (cloud) config.armEndpoint = cloud.arm;
  if (e.AZURE_ALERTS_TOKEN) config.azureAlertsToken = e.AZURE_ALERTS_TOKEN;
  if (incidentSet) {
    config.demoIncident = {
      ...(e.DEMO_INCIDENT_AFTER_SECONDS !== undefined ? { dropAfterMs: Math.round(e.DEMO_INCIDENT_AFTER_SECONDS * 1000) } : {}),
      ...(e.DEMO_INCIDENT_LASTS_SECONDS !== undefined ? { lastsMs: Math.round(e.DEMO_INCIDENT_LASTS_SECONDS * 1000) } : {}),
    };
  }
  return config;
}

/**
 * Whether the bot listens on the loopback interface only. Unset means 127.0.0.1. A host name other than
 * `localhost` may resolve anywhere, so it counts as not loopback.
 */
export function listensOnLoopbackOnly(host: string | undefined): boolean {
  if (host === undefined) return true;
  const h = host.trim().replace(/^\[(.*)\]$/, '$1');
  if (h.toLowerCase() === 'localhost') return true;
  return isLoopbackAddress(h);
}

/** Demo mode without BOT_ID on a non-loopback interface: anyone who can reach the port can act as anyone. */
export function unauthenticatedExposure(config: Pick<Config, 'host' | 'botAuth'>): string | undefined {
  if (config.botAuth || listensOnLoopbackOnly(config.host)) return undefined;
  return (
    `HOST=${config.host ?? ''} is not a loopback address and BOT_ID is not set: /api/messages accepts unsigned ` +
    'requests from anyone who can reach this port, who can then act as any person in the directory. ' +
    'Set BOT_ID/BOT_PASSWORD, or listen on 127.0.0.1.'
  );
}
