import { systemClock, type Clock } from '../../../src/clock';
import { ArmNetworkWriter } from '../../../src/azure/arm-network-writer';
import { createArmAccess, type ArmAccess } from '../../../src/azure/create-arm-access';
import type { ArmLimits } from '../../../src/azure/scheduler';
import type { ChangeEvent } from '../../../src/changes/change-events';
import type { CircuitLinksReader, PortCircuitsReader } from '../../../src/changes/change-kind';
import type { ExecutorLimits } from '../../../src/changes/executor';
import type { ChangeStore, NetworkWriter } from '../../../src/changes/ports';
import { ChangeWorkflow } from '../../../src/changes/workflow';
import { DEMO_CUSTOMERS } from '../../../src/demo/customers';
import { Access } from '../../../src/directory/access';
import { parseDirectory, type Person } from '../../../src/directory/directory';
import { silentLogger } from '../../../src/log';
import type { SubscriptionScope } from '../../../src/network/types';
import { buildDemoFleet, startSimulator, type RunningSimulator } from '../../../src/simulator';
import type { SimulatorSettings } from '../../../src/simulator/simulator-settings';
import { openTempSqliteStore } from '../../store/open-temp-sqlite-store';

export const CONTOSO = DEMO_CUSTOMERS.contoso;
export const FABRIKAM = DEMO_CUSTOMERS.fabrikam;
export const NORTHWIND = DEMO_CUSTOMERS.northwind;
const NW = 'providers/Microsoft.Network/expressRouteCircuits';
export const AMS = `/subscriptions/${CONTOSO.subscriptions[0]}/resourceGroups/rg-contoso-network/${NW}/contoso-ams-er1`;
export const LON = `/subscriptions/${CONTOSO.subscriptions[0]}/resourceGroups/rg-contoso-network/${NW}/contoso-lon-er2`;
export const FRA = `/subscriptions/${CONTOSO.subscriptions[0]}/resourceGroups/rg-contoso-network/${NW}/contoso-fra-er3`;
export const DAL = `/subscriptions/${FABRIKAM.subscriptions[0]}/resourceGroups/rg-fabrikam-er/${NW}/fabrikam-dal-er1`;
export const CHI_DIRECT = `/subscriptions/${FABRIKAM.subscriptions[0]}/resourceGroups/rg-fabrikam-er/${NW}/fabrikam-chi-direct`;
export const SEA = `/subscriptions/${FABRIKAM.subscriptions[0]}/resourceGroups/rg-fabrikam-er/${NW}/fabrikam-sea-er3`;
export const NYC2 = `/subscriptions/${NORTHWIND.subscriptions[0]}/resourceGroups/rg-northwind/${NW}/northwind-nyc-er2`;
export const CONTOSO_SCOPE: SubscriptionScope = { tenantId: CONTOSO.tenantId, subscriptionId: CONTOSO.subscriptions[0] ?? '' };

export const APPROVER_COUNT = 50;

export interface People {
  engineer: Person;
  /** approvers[0..49]: approve on every customer. */
  approvers: Person[];
  /** request and approve on contoso. */
  lead: Person;
  /** view on northwind only. */
  northwindViewer: Person;
  /** in the directory with no rights at all. */
  nobody: Person;
  /** On Fabrikam's side (Fabrikam is Connect-To): view + approve on fabrikam. */
  fabrikamLead: Person;
}

/** Changes a test makes to the kit's directory. */
export interface DirectoryChanges {
  /** Fields merged over a demo customer's entry, by customer id (model, security…). */
  customers?: Record<string, Record<string, unknown>>;
  /** People added; one with the aadObjectId of a kit person replaces that person. */
  people?: readonly { aadObjectId: string; name: string; access: Record<string, string[]>; side?: string }[];
}

export function buildAccess(
  approval: { required: number; ttlMinutes: number },
  changes: DirectoryChanges = {},
): { access: Access; people: People } {
  const customers = Object.values(DEMO_CUSTOMERS).map((c) => ({
    id: c.id,
    name: c.name,
    tenantId: c.tenantId,
    model: c.model,
    subscriptions: [...c.subscriptions],
    approval: { ...approval },
    ...changes.customers?.[c.id],
  }));
  const approvers = Array.from({ length: APPROVER_COUNT }, (_, i) => ({
    aadObjectId: `approver-${i}`,
    name: `Approver ${i}`,
    access: { '*': ['view', 'approve'] },
  }));
  const people = [
    { aadObjectId: 'engineer', name: 'Dana', access: { '*': ['view', 'request'] } },
    { aadObjectId: 'lead', name: 'Lee', access: { contoso: ['request', 'approve'] } },
    { aadObjectId: 'nw-viewer', name: 'Nia', access: { northwind: ['view'] } },
    { aadObjectId: 'nobody', name: 'Noor', access: {} },
    { aadObjectId: 'fabrikam-lead', name: 'Erin', side: 'customer', access: { fabrikam: ['view', 'approve'] } },
    ...approvers,
  ];
  const added = changes.people ?? [];
  const replaced = new Set(added.map((p) => p.aadObjectId));
  const directory = parseDirectory(
    { customers, people: [...people.filter((p) => !replaced.has(p.aadObjectId)), ...added] },
    'test directory',
  );
  const access = new Access(directory);
  const get = (id: string) => {
    const p = access.person(id);
    if (!p) throw new Error(`no person ${id}`);
    return p;
  };
  return {
    access,
    people: {
      engineer: get('engineer'),
      approvers: approvers.map((a) => get(a.aadObjectId)),
      lead: get('lead'),
      northwindViewer: get('nw-viewer'),
      nobody: get('nobody'),
      fabrikamLead: get('fabrikam-lead'),
    },
  };
}

export interface ChangeKitOptions {
  /** The simulator's clock: decides when LROs finish and how long latency sleeps. */
  simClock?: Clock;
  /** The workflow's and executor's clock (and the ARM scheduler's). */
  clock?: Clock;
  settings?: SimulatorSettings;
  store?: ChangeStore;
  required?: number;
  ttlMinutes?: number;
  executorLimits?: Partial<ExecutorLimits>;
  armLimits?: Partial<ArmLimits>;
  links?: CircuitLinksReader;
  /** Replaces the Resource Graph reader of the circuits on a Direct port pair (e.g. one that fails). */
  ports?: PortCircuitsReader;
  /** Reuse a running simulator (a "restarted bot" talks to the same ARM). */
  sim?: RunningSimulator;
  /** Talk to ARM through this URL instead of the simulator's (a proxy in front of it, same certificate). */
  endpoint?: string;
  /** Wraps the real writer the workflow writes with (e.g. to hold a write at a chosen point). */
  wrapWriter?: (writer: NetworkWriter) => NetworkWriter;
  directory?: DirectoryChanges;
}

export interface ChangeKit {
  sim: RunningSimulator;
  arm: ArmAccess;
  writer: ArmNetworkWriter;
  store: ChangeStore;
  workflow: ChangeWorkflow;
  access: Access;
  people: People;
  events: ChangeEvent[];
  puts(path?: string): number;
  close(): Promise<void>;
}

let ids = 0;
/** Deterministic, valid and unique request ids. */
export function sequentialIds(): () => string {
  return () => `CR-T${String(++ids).padStart(6, '0')}`;
}

export async function startChangeKit(options: ChangeKitOptions = {}): Promise<ChangeKit> {
  const ownSim = !options.sim;
  const sim =
    options.sim ??
    (await startSimulator({
      fleet: buildDemoFleet({ now: Date.UTC(2025, 0, 1) }),
      ...(options.simClock ? { clock: options.simClock } : {}),
      settings: { deviceReadMs: 0, ...options.settings },
    }));
  const clock = options.clock;
  const arm = createArmAccess({
    endpoint: options.endpoint ?? sim.url,
    caPem: sim.caPem,
    credentials: { kind: 'static', token: 'change-test-token' },
    logger: silentLogger,
    lroPollIntervalMs: 5,
    random: () => 0.5,
    ...(clock ? { clock } : {}),
    ...(options.armLimits ? { limits: options.armLimits } : {}),
  });
  const writer = new ArmNetworkWriter({ pool: arm.pool, logger: silentLogger, updateIntervalInMs: 5, onWritten: (s) => arm.invalidate(s) });
  // A kit given no store gets a real SQLite file of its own; a "restarted bot" is handed the first one's store.
  const store = options.store ?? (await openTempSqliteStore(clock ? { clock } : {}));
  const ownStore = options.store ? undefined : store;
  const { access, people } = buildAccess({ required: options.required ?? 1, ttlMinutes: options.ttlMinutes ?? 60 }, options.directory);
  const events: ChangeEvent[] = [];
  const workflow = new ChangeWorkflow({
    store,
    reader: arm.reader,
    writer: options.wrapWriter ? options.wrapWriter(writer) : writer,
    builder: writer,
    access,
    clock: clock ?? systemClock,
    logger: silentLogger,
    idGenerator: sequentialIds(),
    // Post-change checks are off unless a test turns them on (verifyWindowMs), as VERIFY_WINDOW_SECONDS=0 does.
    executorLimits: { retryDelayMs: 10, followIntervalMs: 10, verifyWindowMs: 0, verifyIntervalMs: 10, ...options.executorLimits },
    effectiveRoutes: arm.effectiveRoutes,
    onEvent: (e) => events.push(e),
    // As the composition root wires it: the VNet links from Resource Graph, unless a test hands in its own.
    links: options.links ?? arm.links,
    ports: options.ports ?? arm.ports,
  });
  return {
    sim,
    arm,
    writer,
    store,
    workflow,
    access,
    people,
    events,
    puts: (path = AMS) => sim.requests.filter((r) => r.method === 'PUT' && r.path.toLowerCase() === path.toLowerCase()).length,
    close: async () => {
      workflow.executor.stop();
      await arm.close();
      await ownStore?.close();
      if (ownSim) await sim.close();
    },
  };
}
