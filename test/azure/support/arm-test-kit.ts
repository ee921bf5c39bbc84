import type { Clock } from '../../../src/clock';
import { createArmAccess, type ArmAccess, type CreateArmAccessOptions } from '../../../src/azure/create-arm-access';
import { DEMO_CUSTOMERS } from '../../../src/demo/customers';
import type { SubscriptionScope } from '../../../src/network/types';
import { buildDemoFleet, parseFleet, startSimulator } from '../../../src/simulator';
import { captureLog } from './log-capture';
import { buildTestFleet } from './test-fleet';

export const TOKEN = 'static-test-token-5f2c9a';

type Simulator = Awaited<ReturnType<typeof startSimulator>>;
type Fleet = ReturnType<typeof buildDemoFleet>;
export { buildDemoFleet };
type Settings = NonNullable<Parameters<typeof startSimulator>[0]['settings']>;

export interface ArmKit {
  sim: Simulator;
  access: ArmAccess;
  fleet: Fleet;
  log: ReturnType<typeof captureLog>;
  close(): Promise<void>;
}

/** The real simulator over HTTPS (serving the test fleet unless told otherwise) and real ARM access pointed at it. */
export async function startArmKit(
  options: { fleet?: unknown; settings?: Settings; access?: Partial<CreateArmAccessOptions>; clock?: Clock } = {},
): Promise<ArmKit> {
  const fleet = parseFleet(options.fleet ?? buildTestFleet());
  const sim = await startSimulator({
    fleet,
    ...(options.clock ? { clock: options.clock } : {}),
    settings: { deviceReadMs: 0, ...options.settings },
  });
  const log = captureLog();
  const access = createArmAccess({
    endpoint: sim.url,
    caPem: sim.caPem,
    credentials: { kind: 'static', token: TOKEN },
    logger: log.logger,
    lroPollIntervalMs: 5,
    random: () => 0.5,
    metricsEndpoint: () => sim.url,
    ...options.access,
  });
  return {
    sim,
    access,
    fleet,
    log,
    close: async () => {
      await access.close();
      await sim.close();
    },
  };
}

export const CONTOSO: SubscriptionScope = {
  tenantId: DEMO_CUSTOMERS.contoso.tenantId,
  subscriptionId: DEMO_CUSTOMERS.contoso.subscriptions[0] ?? '',
};

/** Every demo subscription with its tenant. */
export function demoScopes(): SubscriptionScope[] {
  return Object.values(DEMO_CUSTOMERS).flatMap((c) => c.subscriptions.map((subscriptionId) => ({ tenantId: c.tenantId, subscriptionId })));
}

/** A peering or authorization in a circuit's wire body. */
export interface RawSubResource {
  name: string;
  properties: Record<string, unknown>;
}

/** A circuit's wire body, as far as the tests read it (the direct or provider fields per kind); the rest stays untyped. */
export interface RawCircuit {
  id: string;
  name: string;
  sku?: Record<string, unknown>;
  properties: {
    expressRoutePort?: { id?: string };
    bandwidthInGbps: number;
    serviceProviderProperties: { bandwidthInMbps: number; serviceProviderName: string };
    peerings?: RawSubResource[];
    authorizations?: RawSubResource[];
    [key: string]: unknown;
  };
}

/** The raw wire bodies of the circuits in a fleet, by lower-cased id (names repeat across subscriptions). */
export function fleetCircuits(fleet: Fleet): Map<string, RawCircuit> {
  const out = new Map<string, RawCircuit>();
  for (const [key, body] of Object.entries(fleet)) {
    if (!/\/providers\/Microsoft\.Network\/expressRouteCircuits\/[^/]+$/i.test(key)) continue;
    const b = body as RawCircuit;
    out.set(b.id.toLowerCase(), b);
  }
  return out;
}

export function scopeOf(id: string): SubscriptionScope {
  const sub = /\/subscriptions\/([^/]+)/i.exec(id)?.[1] ?? '';
  const customer = Object.values(DEMO_CUSTOMERS).find((c) => c.subscriptions.some((s) => s.toLowerCase() === sub.toLowerCase()));
  return { tenantId: customer?.tenantId ?? 'unknown-tenant', subscriptionId: sub };
}

/** The id of a demo circuit by name. */
export function circuitId(fleet: Fleet, name: string): string {
  const found = [...fleetCircuits(fleet).values()].filter((c) => c.name.toLowerCase() === name.toLowerCase());
  if (found.length !== 1 || !found[0]) throw new Error(`${found.length} circuits named ${name} in the fleet`);
  return found[0].id;
}

/** The `value` rows of a POST-style read in the fleet, e.g. `${circuitId}/peerings/AzurePrivatePeering/arpTables/primary`. */
export function fleetRows(fleet: Fleet, path: string): unknown[] {
  const key = Object.keys(fleet).find((k) => k.toLowerCase() === path.toLowerCase());
  const body = key ? (fleet as Record<string, { value?: unknown[] }>)[key] : undefined;
  return body?.value ?? [];
}
