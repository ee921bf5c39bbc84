import type { CircuitHealthReport, PathReport } from '../network/health-check';
import type { HealthLevel, HealthVerdict } from '../network/health';
import { levelRank, peeringLabel } from '../network/health';
import { formatBps } from '../network/utilisation';
import type { AdaptiveCardJson, CardElement, Cell } from './card-kit';
import {
  LEVEL_STYLE,
  actionSet,
  adaptiveCard,
  clip,
  executeAction,
  factSet,
  fitToBudget,
  heading,
  moreNote,
  plain,
  table,
  text,
} from './card-kit';
import { bandwidthLabel, circuitModel, skuLabel } from './circuit-labels';
import type { DataHeader } from './header';
import { dataHeader } from './header';

export interface StatusRow {
  customerName: string;
  /** Full ARM id: the row's button must point at exactly this circuit. */
  circuitId: string;
  circuitName: string;
  verdict: HealthVerdict;
}

export interface FleetStatusView {
  header: DataHeader;
  rows: readonly StatusRow[];
}

export interface CircuitStatusView {
  header: DataHeader;
  customerName: string;
  report: CircuitHealthReport;
}

export type StatusView = ({ mode: 'fleet' } & FleetStatusView) | ({ mode: 'circuit' } & CircuitStatusView);

export function statusCard(view: StatusView): AdaptiveCardJson {
  return view.mode === 'fleet' ? fleetStatusCard(view) : circuitStatusCard(view);
}

/** How many reasons a fleet row shows; the circuit's own status card has them all. */
const REASONS_PER_ROW = 2;

function sortRows(rows: readonly StatusRow[]): StatusRow[] {
  return [...rows].sort(
    (a, b) =>
      levelRank(a.verdict.level) - levelRank(b.verdict.level) || a.circuitName.localeCompare(b.circuitName, 'en', { sensitivity: 'base' }),
  );
}

function counts(rows: readonly StatusRow[]): string {
  const n: Record<HealthLevel, number> = { red: 0, amber: 0, unknown: 0, green: 0 };
  for (const r of rows) n[r.verdict.level]++;
  return (['red', 'amber', 'unknown', 'green'] as const)
    .filter((l) => n[l] > 0)
    .map((l) => `${LEVEL_STYLE[l].icon} ${n[l]} ${LEVEL_STYLE[l].label.toLowerCase()}`)
    .join(' · ');
}

function problemRow(row: StatusRow): CardElement {
  const style = LEVEL_STYLE[row.verdict.level];
  const reasons = row.verdict.reasons
    .filter((r) => r.level !== 'green')
    .slice(0, REASONS_PER_ROW)
    .map((r) => `- ${plain(clip(r.text, 160))}`);
  const extra = row.verdict.reasons.length - REASONS_PER_ROW;
  if (extra > 0) reasons.push(`- and ${extra} more`);
  return {
    type: 'Container',
    separator: true,
    selectAction: executeAction(`Status of ${row.circuitName}`, { kind: 'status', target: row.circuitId }),
    items: [
      text(`${style.icon} **${plain(clip(row.circuitName, 60))}** · ${plain(clip(row.customerName, 40))}`, {
        color: style.color,
      }),
      text(reasons.join('\n'), { size: 'Small', spacing: 'None' }),
    ],
  };
}

/** The on-call view: every circuit worst first; greens collapse to names, then to a count, to fit 28 KB. */
export function fleetStatusCard(view: FleetStatusView): AdaptiveCardJson {
  const rows = sortRows(view.rows);
  const problems = rows.filter((r) => r.verdict.level !== 'green');
  const greens = rows.filter((r) => r.verdict.level === 'green');
  const summary = rows.length === 0 ? 'No circuits to check.' : counts(rows);

  const build = (shownProblems: number, greenNames: boolean) =>
    adaptiveCard([
      ...dataHeader('Status, worst first', view.header),
      text(summary, { weight: 'Bolder' }),
      ...(problems.length === 0 && rows.length > 0 ? [text('Nothing needs attention.', { color: 'Good' })] : []),
      ...problems.slice(0, shownProblems).map(problemRow),
      ...moreNote(problems.length - shownProblems, ['Ask per customer, e.g. ', { say: 'status', args: ['contoso'] }, '.']),
      ...(greens.length === 0
        ? []
        : [
            text(
              greenNames
                ? `${LEVEL_STYLE.green.icon} Green: ${greens.map((g) => plain(clip(greenLabel(g, greens), 60))).join(', ')}`
                : `${LEVEL_STYLE.green.icon} ${greens.length} circuits are green.`,
              { color: 'Good', separator: true, size: 'Small' },
            ),
          ]),
    ]);
  const withNames = fitToBudget(problems.length, (n) => build(n, true));
  const shownWithNames = withNames.body.filter((e) => e.type === 'Container').length;
  if (shownWithNames === problems.length) return withNames;
  // Problems matter more than green names: drop the names before dropping a problem.
  return fitToBudget(problems.length, (n) => build(n, false));
}

function pathCells(p: PathReport): Cell[] {
  const where = `${peeringLabel(p.kind)} · ${p.path}`;
  let bgp: Cell;
  let prefixes: Cell;
  if (p.bgp.state === 'unknown') {
    bgp = { text: `⚪ unknown (${p.bgp.error.code})` };
    prefixes = { text: `? / ${p.bgp.limit}` };
  } else {
    bgp =
      p.bgp.state === 'up'
        ? { text: '🟢 Established', color: 'Good' }
        : { text: `🔴 ${clip(p.bgp.detail ?? 'down', 60)}`, color: 'Attention' };
    const count = p.bgp.prefixes;
    const ratio = p.bgp.limit > 0 && count !== undefined ? count / p.bgp.limit : 0;
    prefixes = {
      text: count === undefined ? `not counted yet / ${p.bgp.limit}` : `${count} / ${p.bgp.limit}`,
      ...(ratio >= 0.8 ? { color: 'Warning' as const } : {}),
    };
  }
  const arp: Cell =
    'implied' in p.arp
      ? { text: 'not read: BGP is up' }
      : 'error' in p.arp
        ? { text: `⚪ unknown (${p.arp.error.code})` }
        : p.arp.count === undefined
          ? p.arp.ok
            ? { text: 'resolved (ArpAvailability 100%)' }
            : { text: 'missing (ArpAvailability 0%)', color: 'Warning' }
          : p.arp.ok
            ? { text: `${p.arp.count} entries` }
            : { text: `${p.arp.count} entries, none from your router`, color: 'Warning' };
  return [{ text: where }, bgp, prefixes, arp];
}

/** One circuit's full verdict, every reason, and what each peering × link looks like. */
export function circuitStatusCard(view: CircuitStatusView): AdaptiveCardJson {
  const { report } = view;
  const { circuit, verdict } = report;
  const style = LEVEL_STYLE[verdict.level];
  const u = report.utilisation;
  const utilisation = !u.ok
    ? `unknown (${u.error.code})`
    : u.value.busiest
      ? `busiest ${u.value.busiest.path} ${u.value.busiest.direction}: ${formatBps(u.value.busiest.averageBps)} average (${Math.round(u.value.busiest.averagePct)}%)`
      : 'totals only (no metrics)';
  return adaptiveCard([
    ...dataHeader(`Status of ${clip(circuit.name, 60)}`, view.header),
    text(`${style.icon} ${style.label}`, { size: 'Medium', weight: 'Bolder', color: style.color }),
    ...verdict.reasons.map((r) =>
      text(`${LEVEL_STYLE[r.level].icon} ${plain(clip(r.text, 300))}`, { color: LEVEL_STYLE[r.level].color, spacing: 'Small' }),
    ),
    ...factSet([
      ['Customer', plain(clip(view.customerName, 80))],
      ['Connectivity', circuitModel(circuit)],
      ['Bandwidth', bandwidthLabel(circuit)],
      ['SKU', skuLabel(circuit)],
      ['Provider state', circuit.serviceProviderProvisioningState],
      ['Circuit state', circuit.circuitProvisioningState],
      ['ARM state', circuit.provisioningState],
      ['Utilisation (1 h)', utilisation],
    ]),
    heading('BGP and ARP per link'),
    ...(report.peerings.length === 0
      ? [text('No enabled private or Microsoft peering to check.', { subtle: true })]
      : table(
          [
            { title: 'Peering · link', width: 3 },
            { title: 'BGP', width: 3 },
            { title: 'Prefixes / limit', width: 2 },
            { title: 'ARP', width: 3 },
          ],
          report.peerings.map(pathCells),
        )),
    ...actionSet([
      executeAction('BGP', { kind: 'bgp', circuit: circuit.id }),
      executeAction('Bandwidth', { kind: 'bandwidth', circuit: circuit.id }),
      executeAction('Circuit detail', { kind: 'circuit', circuit: circuit.id }),
    ]),
  ]);
}

/** A green circuit's name, or customer/name when another green circuit has the same name. */
function greenLabel(row: StatusRow, greens: readonly StatusRow[]): string {
  const twin = greens.some((g) => g !== row && g.circuitName.toLowerCase() === row.circuitName.toLowerCase());
  return twin ? `${row.customerName}/${row.circuitName}` : row.circuitName;
}
