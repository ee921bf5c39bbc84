import { z } from 'zod';
import type { Hint } from '../command-names';
import { awaitsPrefixValidation, peeringLabel } from '../network/health';
import type { CircuitHealthReport, PathReport } from '../network/health-check';
import { assessPrefixCount, prefixLimit as limitOf } from '../network/prefix-limits';
import { formatBps } from '../network/utilisation';
import type { DevicePath } from '../network/types';

/**
 * Every alert condition, declared once: what it reads, how it is judged from a circuit's health report (the very
 * report `status` shows, from Resource Graph and metrics:getBatch), its severity, title and next step. The watcher,
 * the cards, `help` and the messages all derive from these declarations.
 */

export const ALERT_CONDITION_IDS = [
  'circuit-state',
  'provider-state',
  'bgp-outage',
  'bgp-link-down',
  'arp-missing',
  'utilisation-high',
  'rate-limit-drops',
  'prefix-limit',
  'change-failed',
  'azure-health',
] as const;
export const AlertConditionId = z.enum(ALERT_CONDITION_IDS);
export type AlertConditionId = z.infer<typeof AlertConditionId>;

export const AlertSeverity = z.enum(['critical', 'warning']);
export type AlertSeverity = z.infer<typeof AlertSeverity>;

/** Where a condition holds: the whole circuit, one peering (both links), or one link of a peering. */
export type AlertScope = 'circuit' | 'peering' | 'link';

/** What a condition found on one circuit this cycle: it holds there, or the data to tell is missing. */
export interface Finding {
  status: 'firing' | 'unknown';
  peering?: string;
  link?: DevicePath;
  /** Metric values and router reads, in words (only for `firing`). */
  evidence: string[];
}

/** What the next-step words may name. */
export interface AlertPlace {
  customerId: string;
  circuitName: string;
  peering?: string | undefined;
  link?: DevicePath | undefined;
}

export interface AlertCondition {
  id: AlertConditionId;
  severity: AlertSeverity;
  scope: AlertScope;
  /** What broke, as a card's title says it. */
  title: string;
  /** Where the facts come from, for help and the card. */
  reads: string;
  /** Cycles in a row the condition must hold before the alert fires (it is pending meanwhile). */
  raiseAfterCycles: number;
  /**
   * Finer conditions this one suppresses while it is open on the same circuit (and, for a peering-level one,
   * the same peering): they are recorded, not posted (inhibition).
   */
  inhibits?: readonly AlertConditionId[];
  /** Paged even inside the customer's change window, where other trouble is planned work. */
  pagedInChangeWindow?: true;
  /** Judged from the circuit's health report each cycle; absent for conditions that arrive as events. */
  evaluate?: (report: CircuitHealthReport) => Finding[];
  nextStep: (place: AlertPlace) => Hint;
}

const LINK_CONDITIONS: readonly AlertConditionId[] = ['bgp-link-down', 'arp-missing', 'prefix-limit'];

function byPeering(report: CircuitHealthReport): Map<string, PathReport[]> {
  const groups = new Map<string, PathReport[]>();
  for (const p of report.peerings) groups.set(p.peering, [...(groups.get(p.peering) ?? []), p]);
  return groups;
}

/** Microsoft peering while Microsoft validates its prefixes: down on purpose, `status` says why. */
function validating(report: CircuitHealthReport, peering: string): boolean {
  return awaitsPrefixValidation(report.circuit.peerings.find((p) => p.name === peering));
}

function bgpWords(p: PathReport): string {
  if (p.bgp.state === 'unknown') return `${p.path}: unknown (${p.bgp.error.message})`;
  return `${p.path}: ${p.bgp.state}${p.bgp.detail ? ` (${p.bgp.detail})` : ''}`;
}

function label(report: CircuitHealthReport, peering: string): string {
  const kind = report.circuit.peerings.find((p) => p.name === peering)?.kind;
  return kind ? peeringLabel(kind) : peering;
}

function bgpOutage(report: CircuitHealthReport): Finding[] {
  const out: Finding[] = [];
  for (const [peering, paths] of byPeering(report)) {
    if (validating(report, peering)) continue;
    const down = paths.filter((p) => p.bgp.state === 'down').length;
    const up = paths.filter((p) => p.bgp.state === 'up').length;
    if (paths.length > 1 && down === paths.length) {
      out.push({ status: 'firing', peering, evidence: [`BGP on ${label(report, peering)}: ${paths.map(bgpWords).join('; ')}`] });
    } else if (up === 0 && down < paths.length) out.push({ status: 'unknown', peering, evidence: [] });
  }
  return out;
}

function bgpLinkDown(report: CircuitHealthReport): Finding[] {
  const out: Finding[] = [];
  for (const [peering, paths] of byPeering(report)) {
    if (validating(report, peering)) continue;
    for (const p of paths) {
      if (p.bgp.state === 'unknown') out.push({ status: 'unknown', peering, link: p.path, evidence: [] });
      else if (p.bgp.state === 'down') {
        const other = paths.filter((o) => o !== p).map(bgpWords);
        out.push({
          status: 'firing',
          peering,
          link: p.path,
          evidence: [`BGP on ${label(report, peering)}: ${bgpWords(p)}`, ...(other.length > 0 ? [`Other link: ${other.join('; ')}`] : [])],
        });
      }
    }
  }
  return out;
}

function arpMissing(report: CircuitHealthReport): Finding[] {
  const out: Finding[] = [];
  for (const p of report.peerings) {
    if ('error' in p.arp) out.push({ status: 'unknown', peering: p.peering, link: p.path, evidence: [] });
    else if ('ok' in p.arp && !p.arp.ok) {
      const table =
        p.arp.count === undefined
          ? 'ArpAvailability under 50% (Azure Monitor)'
          : `${p.arp.count} ARP entries, ${p.arp.resolved ?? 0} resolved`;
      out.push({
        status: 'firing',
        peering: p.peering,
        link: p.path,
        evidence: [`ARP on the ${p.path} link of ${label(report, p.peering)}: ${table}`],
      });
    }
  }
  return out;
}

/** NotProvisioned and Provisioning are a new circuit's normal stages; a circuit with peerings was in service. */
function providerState(report: CircuitHealthReport): Finding[] {
  const c = report.circuit;
  const state = c.serviceProviderProvisioningState;
  const s = state.toLowerCase();
  if (s === 'provisioned') return [];
  if ((s === 'notprovisioned' || s === 'provisioning') && c.peerings.length === 0) return [];
  return [
    { status: 'firing', evidence: [`Provider state ${state || 'unknown'} (${c.provider?.name ?? 'the provider'}), not Provisioned`] },
  ];
}

function circuitState(report: CircuitHealthReport): Finding[] {
  const state = report.circuit.circuitProvisioningState;
  if (state.toLowerCase() === 'enabled') return [];
  return [{ status: 'firing', evidence: [`Circuit state (Microsoft's side) ${state || 'unknown'}, not Enabled`] }];
}

function utilisationHigh(report: CircuitHealthReport): Finding[] {
  const u = report.utilisation;
  if (!u.ok) return [{ status: 'unknown', evidence: [] }];
  const busiest = u.value.busiest;
  if (!u.value.hot || !busiest) return [];
  const direction = busiest.direction === 'in' ? 'inbound' : 'outbound';
  return [
    {
      status: 'firing',
      evidence: [
        `The ${busiest.path} link averaged ${Math.round(busiest.averagePct)}% of ${formatBps(u.value.provisionedBps)} ${direction} ` +
          `(${formatBps(busiest.averageBps)}, peak ${formatBps(busiest.peakBps)}) over the last hour`,
      ],
    },
  ];
}

function rateLimitDrops(report: CircuitHealthReport): Finding[] {
  const u = report.utilisation;
  if (!u.ok || u.value.dropsUnread) return [{ status: 'unknown', evidence: [] }];
  const drops = u.value.drops;
  if (!drops || (drops.inBps <= 0 && drops.outBps <= 0)) return [];
  return [
    {
      status: 'firing',
      evidence: [
        `QosDropBitsInPerSecond ${formatBps(drops.inBps)}, QosDropBitsOutPerSecond ${formatBps(drops.outBps)} ` +
          `(5-minute average; newest interval ${new Date(drops.at).toISOString().slice(11, 16)} UTC)`,
      ],
    },
  ];
}

function prefixLimit(report: CircuitHealthReport): Finding[] {
  const out: Finding[] = [];
  for (const p of report.peerings) {
    if (p.bgp.state !== 'up') {
      if (p.bgp.state === 'unknown') out.push({ status: 'unknown', peering: p.peering, link: p.path, evidence: [] });
      continue;
    }
    const counts = p.bgp.counted ?? (p.bgp.prefixes === undefined ? undefined : [{ count: p.bgp.prefixes, family: 'ipv4' as const }]);
    // Azure Monitor has no prefix metric: without a router read there is nothing to judge yet.
    if (counts === undefined) {
      out.push({ status: 'unknown', peering: p.peering, link: p.path, evidence: [] });
      continue;
    }
    const over = counts
      .map((c) => ({ ...c, usage: assessPrefixCount(c.count, limitOf(p.kind, report.circuit.sku, c.family)) }))
      .filter((c) => c.usage.level !== 'ok');
    if (over.length === 0) continue;
    const at = p.bgp.prefixesAt ?? report.fetchedAt;
    out.push({
      status: 'firing',
      peering: p.peering,
      link: p.path,
      evidence: over.map(
        (c) =>
          `${label(report, p.peering)} ${p.path} receives ${c.usage.count} ${c.family === 'ipv6' ? 'IPv6 ' : ''}prefixes of ${c.usage.limit} ` +
          `allowed (${Math.round(c.usage.ratio * 100)}%); last router read ${new Date(at).toISOString().slice(11, 16)} UTC`,
      ),
    });
  }
  return out;
}

const CONDITIONS: readonly AlertCondition[] = [
  {
    id: 'circuit-state',
    severity: 'critical',
    scope: 'circuit',
    title: 'Circuit not Enabled on Microsoft’s side',
    reads: 'the circuit’s circuitProvisioningState (Resource Graph)',
    raiseAfterCycles: 1,
    inhibits: ['bgp-outage', ...LINK_CONDITIONS],
    evaluate: circuitState,
    nextStep: (p) => [
      'The circuit carries no traffic until Microsoft’s side is Enabled. Open an Azure support request; ',
      { say: 'circuit', args: [p.circuitName] },
      ' shows its states.',
    ],
  },
  {
    id: 'provider-state',
    severity: 'critical',
    scope: 'circuit',
    title: 'Provider state not Provisioned',
    reads: 'the circuit’s serviceProviderProvisioningState (Resource Graph)',
    raiseAfterCycles: 1,
    inhibits: ['bgp-outage', ...LINK_CONDITIONS],
    evaluate: providerState,
    nextStep: (p) => ['Contact the connectivity provider with the service key; ', { say: 'circuit', args: [p.circuitName] }, ' shows it.'],
  },
  {
    id: 'bgp-outage',
    severity: 'critical',
    scope: 'peering',
    title: 'BGP down on both links (outage)',
    reads: 'Azure Monitor BgpAvailability per peering and link (metrics:getBatch)',
    raiseAfterCycles: 1,
    inhibits: LINK_CONDITIONS,
    evaluate: bgpOutage,
    nextStep: (p) => [
      'Traffic over this peering has stopped. Check the customer edge routers and the provider’s links; ',
      { say: 'bgp', args: [p.circuitName] },
      ' reads both sessions live from the Microsoft edge routers.',
    ],
  },
  {
    id: 'bgp-link-down',
    severity: 'warning',
    scope: 'link',
    title: 'BGP down on one link (high availability lost)',
    reads: 'Azure Monitor BgpAvailability per peering and link (metrics:getBatch)',
    raiseAfterCycles: 1,
    evaluate: bgpLinkDown,
    nextStep: (p) => [
      'Traffic still flows over the other link, without redundancy. Check the router and the provider on this link; ',
      { say: 'bgp', args: [p.circuitName] },
      ' reads the session live.',
    ],
  },
  {
    id: 'arp-missing',
    severity: 'warning',
    scope: 'link',
    title: 'ARP missing on a link',
    reads: 'Azure Monitor ArpAvailability per peering and link (metrics:getBatch)',
    raiseAfterCycles: 1,
    evaluate: arpMissing,
    nextStep: (p) => [
      'Read the ARP table to tell which side is at fault: ',
      { say: 'arp', args: [p.circuitName, ...(p.link ? [p.link] : [])] },
      '. An empty table points at the Microsoft side, an unresolved on-premises MAC at the customer’s or the provider’s side.',
    ],
  },
  {
    id: 'utilisation-high',
    severity: 'warning',
    scope: 'circuit',
    title: 'Utilisation over 80%',
    reads: 'Azure Monitor BitsInPerSecond and BitsOutPerSecond per link, over the last hour (metrics:getBatch)',
    raiseAfterCycles: 3,
    evaluate: utilisationHigh,
    nextStep: (p) => [
      'Plan an upgrade before the circuit saturates: ',
      { say: 'bandwidth', args: [p.circuitName] },
      ' shows the headroom and the allowed upgrades.',
    ],
  },
  {
    id: 'rate-limit-drops',
    severity: 'warning',
    scope: 'circuit',
    title: 'Rate limiting is dropping traffic',
    reads:
      'Azure Monitor QosDropBitsInPerSecond and QosDropBitsOutPerSecond (metrics:getBatch; a 5-minute metric, read once per 5 minutes)',
    raiseAfterCycles: 1,
    evaluate: rateLimitDrops,
    nextStep: (p) => [
      'More is sent than the provisioned bandwidth: upgrade the circuit or shape the traffic; ',
      { say: 'bandwidth', args: [p.circuitName] },
      ' shows the figures.',
    ],
  },
  {
    id: 'prefix-limit',
    severity: 'warning',
    scope: 'link',
    title: 'Prefixes over 80% of the limit',
    reads: 'received prefixes from the last router read (route table summaries) against the SKU’s limit',
    raiseAfterCycles: 1,
    evaluate: prefixLimit,
    nextStep: (p) => [
      'Past the limit the BGP session drops. Summarise the routes advertised, or move to Premium for private peering; ',
      { say: 'bgp', args: [p.circuitName] },
      ' counts them live.',
    ],
  },
  {
    id: 'change-failed',
    severity: 'warning',
    scope: 'circuit',
    title: 'A change request failed',
    reads: 'the change workflow’s events',
    raiseAfterCycles: 1,
    // The window is when changes run: one that fails there is exactly what on-call must hear.
    pagedInChangeWindow: true,
    nextStep: () => ['Read why in the request, and what the resource was left as; ', { say: 'requests', args: ['all'] }, ' lists them.'],
  },
  {
    id: 'azure-health',
    severity: 'warning',
    scope: 'circuit',
    title: 'Azure reports a health event',
    reads: 'Azure Monitor Service Health and Resource Health (action group webhook)',
    raiseAfterCycles: 1,
    nextStep: (p) => [
      'Follow the event in the Azure portal’s Service Health; ',
      { say: 'status', args: [p.circuitName] },
      ' shows how the circuit is doing now.',
    ],
  },
];

const BY_ID = new Map(CONDITIONS.map((c) => [c.id, c]));

export const ALERT_CONDITIONS: readonly AlertCondition[] = CONDITIONS;

export function alertCondition(id: AlertConditionId): AlertCondition {
  const c = BY_ID.get(id);
  if (!c) throw new Error(`no alert condition ${id}`);
  return c;
}

/** The conditions the watcher judges each cycle (the others arrive as events). */
export const WATCHED_CONDITIONS: readonly AlertCondition[] = CONDITIONS.filter((c) => c.evaluate !== undefined);

/** Every condition's id appears once, in the order above (checked at load: a typo'd id fails the start). */
for (const id of ALERT_CONDITION_IDS) if (!BY_ID.has(id)) throw new Error(`alert condition ${id} is not declared`);

/** Whether an open alert of condition `by` on `byPeering` suppresses one of condition `target` on `targetPeering`. */
export function inhibits(
  by: AlertConditionId,
  byPeering: string | undefined,
  target: AlertConditionId,
  targetPeering: string | undefined,
): boolean {
  const c = alertCondition(by);
  if (!c.inhibits?.includes(target)) return false;
  return c.scope === 'circuit' || (byPeering ?? '').toLowerCase() === (targetPeering ?? '').toLowerCase();
}
