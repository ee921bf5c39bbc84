import type { Alert } from '../../../src/alerts/alert';
import { buildDemoFleet, type TimelineEntry } from '../../../src/simulator';
import { metricsBody } from '../../../src/simulator/fleet-gen/metrics-fixture';
import { SeededRandom } from '../../../src/simulator/fleet-gen/seeded-random';
import { DEMO_CUSTOMERS } from '../../../src/demo/customers';
import { Harness, type HarnessOptions, type User } from '../../support/harness';
import type { ConnectorCall } from '../../support/fake-connector';
import { OffsetClock } from '../../support/offset-clock';
import { SUBSCRIPTIONS } from '../../support/demo-world';

export const MIN = 60_000;

const NW = 'providers/Microsoft.Network/expressRouteCircuits';

/** Full ARM ids of the demo circuits the alert tests break (src/simulator/demo-fleet.ts). */
export const CIRCUITS = {
  contosoAms: `/subscriptions/${SUBSCRIPTIONS.contoso0}/resourceGroups/rg-contoso-network/${NW}/contoso-ams-er1`,
  contosoFra: `/subscriptions/${SUBSCRIPTIONS.contoso0}/resourceGroups/rg-contoso-network/${NW}/contoso-fra-er3`,
  contosoPar: `/subscriptions/${SUBSCRIPTIONS.contoso1}/resourceGroups/rg-contoso-dr/${NW}/contoso-par-er4`,
  contosoShared: `/subscriptions/${SUBSCRIPTIONS.contoso1}/resourceGroups/rg-contoso-dr/${NW}/er-shared`,
  fabrikamDal: `/subscriptions/${SUBSCRIPTIONS.fabrikam0}/resourceGroups/rg-fabrikam-er/${NW}/fabrikam-dal-er1`,
  fabrikamChi: `/subscriptions/${SUBSCRIPTIONS.fabrikam0}/resourceGroups/rg-fabrikam-er/${NW}/fabrikam-chi-direct`,
  northwindNyc1: `/subscriptions/${SUBSCRIPTIONS.northwind0}/resourceGroups/rg-northwind/${NW}/northwind-nyc-er1`,
  northwindNyc2: `/subscriptions/${SUBSCRIPTIONS.northwind0}/resourceGroups/rg-northwind/${NW}/northwind-nyc-er2`,
  northwindShared: `/subscriptions/${SUBSCRIPTIONS.northwind0}/resourceGroups/rg-northwind/${NW}/er-shared`,
};

export const ALL_CUSTOMERS = Object.values(DEMO_CUSTOMERS).map((c) => c.id);

type Body = Record<string, unknown>;

/** The demo fleet's bodies, to break a copy of one and put it back. */
export const DEMO_FLEET = buildDemoFleet() as unknown as Record<string, Body>;

export const summaryPath = (circuitId: string, path: 'primary' | 'secondary', peering = 'AzurePrivatePeering') =>
  `${circuitId}/peerings/${peering}/routeTablesSummary/${path}`;
export const arpPath = (circuitId: string, path: 'primary' | 'secondary', peering = 'AzurePrivatePeering') =>
  `${circuitId}/peerings/${peering}/arpTables/${path}`;
export const metricsPath = (circuitId: string) => `${circuitId}/providers/Microsoft.Insights/metrics`;

/** A route-table summary row with the session in `state` (Idle, Active…) or a prefix count. */
export function summaryWith(path: string, statePfxRcd: string): Body {
  const original = DEMO_FLEET[path] as { value: Body[] };
  return { value: original.value.map((row) => ({ ...row, statePfxRcd, upDown: '00:00:07' })) };
}

/** Only Microsoft's own entry: the customer's router no longer answers ARP. */
export function arpWithoutCustomer(path: string): Body {
  const original = DEMO_FLEET[path] as { value: Body[] };
  return { value: original.value.filter((row) => row.interface === 'Microsoft') };
}

/** The circuit's Azure Monitor recording with this share of the bandwidth used, and these rate-limiter drops. */
export function metricsWith(circuitId: string, bandwidthMbps: number, share: number, dropsBps = 0): Body {
  const body = metricsBody(
    circuitId,
    'westeurope',
    bandwidthMbps * 1e6,
    { inPrimary: share, inSecondary: share / 2, outPrimary: share / 3, outSecondary: share / 4 },
    Date.now(),
    new SeededRandom(circuitId),
    { inBps: dropsBps, outBps: 0 },
  );
  return body as Body;
}

/** A timeline entry: at `afterMs` from the simulator's start, `path`'s body becomes `body` (arrays are replaced whole). */
export const at = (afterMs: number, path: string, merge: Body): TimelineEntry => ({ afterMs, path, merge });

/** The body `path` had in the demo fleet, to put back. */
export const original = (path: string): Body => DEMO_FLEET[path] as Body;

export interface Watching {
  h: Harness;
  clock: OffsetClock;
  /** Moves the clock to `ms` after the start and runs one watch cycle. */
  cycleAt(ms: number): Promise<void>;
  /** Every alert of the demo customers, open and resolved, newest first. */
  alerts(): Promise<Alert[]>;
  /** The alerts of one circuit (by ARM id) and condition. */
  on(circuitId: string, condition?: Alert['condition']): Promise<Alert[]>;
}

/** The bot on the demo fleet with `timeline`, its clock moved by the test and its watcher run cycle by cycle. */
export async function watching(timeline: TimelineEntry[], options: HarnessOptions = {}): Promise<Watching> {
  const clock = new OffsetClock();
  const fleet = buildDemoFleet() as unknown as Body & { $simulator?: Body };
  fleet.$simulator = { ...fleet.$simulator, timeline };
  const h = await Harness.start({ clock, logLevel: 'warn', fleet, ...options });
  const alerts = () => h.app.alertStore.listAlerts({ customerIds: ALL_CUSTOMERS, resolvedSince: 0 });
  return {
    h,
    clock,
    cycleAt: async (ms) => {
      clock.offsetMs = ms;
      await h.app.watcher.runCycle();
    },
    alerts,
    on: async (circuitId, condition) =>
      (await alerts()).filter((a) => a.circuitId.toLowerCase() === circuitId.toLowerCase() && (!condition || a.condition === condition)),
  };
}

/** People of the alert suites, each with the rights a test needs. */
export const ALERT_PEOPLE = {
  /** Admin of Contoso and Fabrikam: may make channels their alerts channels. */
  admin: { aadObjectId: 'al-admin', name: 'Ada' },
  /** On call for Contoso. */
  oncall: { aadObjectId: 'al-oncall', name: 'Omar' },
  /** Sees Contoso, may not acknowledge nor silence. */
  viewer: { aadObjectId: 'al-viewer', name: 'Casey' },
  /** On call for Northwind only: Contoso's alerts are none of theirs. */
  outsider: { aadObjectId: 'al-outsider', name: 'Nia' },
  /** On call for Fabrikam. */
  fabrikamOncall: { aadObjectId: 'al-fabrikam-oncall', name: 'Erin' },
  /** Asks for changes everywhere. */
  engineer: { aadObjectId: 'al-engineer', name: 'Dana' },
  /** Approves changes everywhere. */
  approver: { aadObjectId: 'al-approver', name: 'Avery' },
} satisfies Record<string, User>;

export function alertDirectory(extra: Partial<Record<string, unknown>> = {}): unknown {
  return {
    customers: Object.values(DEMO_CUSTOMERS).map((c) => ({
      id: c.id,
      name: c.name,
      tenantId: c.tenantId,
      model: c.model,
      subscriptions: [...c.subscriptions],
      approval: { required: 1, ttlMinutes: 60 },
      ...extra,
    })),
    people: [
      { ...ALERT_PEOPLE.admin, access: { contoso: ['admin'], fabrikam: ['admin'] } },
      { ...ALERT_PEOPLE.oncall, access: { contoso: ['view', 'oncall'] } },
      { ...ALERT_PEOPLE.viewer, access: { contoso: ['view'] } },
      { ...ALERT_PEOPLE.outsider, access: { northwind: ['view', 'oncall'] } },
      { ...ALERT_PEOPLE.fabrikamOncall, access: { fabrikam: ['view', 'oncall'] } },
      { ...ALERT_PEOPLE.engineer, access: { '*': ['view', 'request'] } },
      { ...ALERT_PEOPLE.approver, access: { '*': ['view', 'approve'] } },
    ],
  };
}

/** A team channel, as Teams sends its conversation. */
export const channel = (name: string) => ({ id: `19:${name}@thread.tacv2`, conversationType: 'channel' });

/** Says something in a conversation and waits for the bot's reply there. */
export async function sayIn(
  h: Harness,
  user: User,
  conversation: { id: string; conversationType: string },
  text: string,
): Promise<ConnectorCall> {
  const activity = h.activityFor(user, { type: 'message', text, conversation });
  const res = await h.post(activity);
  if (res.status !== 200) throw new Error(`POST /api/messages answered ${res.status}`);
  return h.replyTo(String(activity.id));
}

/** What the bot posted on its own (not replies) into a conversation, in order. */
export const postsIn = (h: Harness, conversationId: string): ConnectorCall[] => h.connector.postsTo(conversationId);

/** Whether a post's text is a watch notice ("Not watching …", "Watching … again"), not an alert card. */
export const isWatchNotice = (text: string): boolean => /Not watching|Watching .* again/.test(text);

/**
 * A simulator fault, new each time (the simulator counts faults down in place): Resource Graph refuses every tenant's
 * query, as ARM does once the bot's access is taken away.
 */
export const resourceGraphForbidden = () => ({
  match: 'POST /providers/Microsoft.ResourceGraph/resources',
  status: 403,
  code: 'AuthorizationFailed',
  message: 'The client does not have authorization to perform action Microsoft.ResourceGraph/resources/read.',
  count: -1,
});

/** The updates of one posted message, in order. */
export const updatesOf = (h: Harness, activityId: string): ConnectorCall[] =>
  h.connector.calls.filter((c) => c.op === 'update' && c.targetId === activityId);

/** Clicks a button of a card posted in a conversation: returns the invoke response body (what the clicker sees). */
export async function clickIn(
  h: Harness,
  user: User,
  conversation: { id: string; conversationType: string },
  cardId: string,
  data: unknown,
): Promise<unknown> {
  const activity = h.activityFor(user, {
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: cardId,
    conversation,
    value: { action: { type: 'Action.Execute', verb: 'intent', data } },
  });
  const res = await h.post(activity);
  if (res.status !== 200) throw new Error(`invoke answered HTTP ${res.status}`);
  return res.body;
}
