import { allowedUpgrades, formatBandwidth } from '../network/bandwidth';
import type { BandwidthUsage, Circuit } from '../network/types';
import { computeUtilisation, formatBps, formatBytes, HOT_RATIO } from '../network/utilisation';
import type { AdaptiveCardJson, CardElement, Cell } from './card-kit';
import { actionSet, adaptiveCard, clip, executeAction, factSet, heading, table, text } from './card-kit';
import { bandwidthLabel, circuitModel, portPairLabel } from './circuit-labels';
import type { DataHeader } from './header';
import { dataHeader } from './header';
import { hintWords } from './hint-words';

export interface BandwidthView {
  header: DataHeader;
  customerName: string;
  circuit: Circuit;
  usage: BandwidthUsage;
}

function minutes(ms: number): string {
  const m = Math.round(ms / 60000);
  return m >= 60 && m % 60 === 0 ? `${m / 60} h` : `${m} min`;
}

function pctCell(pct: number, hotAt: number): Cell {
  return { text: `${pct.toFixed(pct < 10 ? 1 : 0)}%`, ...(pct > hotAt ? { color: 'Warning' as const } : {}) };
}

/** Provisioned vs used per link and direction, headroom, and the upgrades this circuit's model allows. */
export function bandwidthCard(view: BandwidthView): AdaptiveCardJson {
  const { circuit } = view;
  const u = computeUtilisation(view.usage, circuit.bandwidthMbps);
  const upgrades = allowedUpgrades(circuit);
  const window = minutes(u.windowEnd - u.windowStart);
  const hotPct = HOT_RATIO * 100;

  let usage: CardElement[];
  if (u.links.length > 0) {
    usage = table(
      [
        { title: 'Link', width: 2 },
        { title: 'Dir', width: 1 },
        { title: 'Average', width: 2 },
        { title: 'Avg %', width: 1 },
        { title: 'Peak', width: 2 },
        { title: 'Peak %', width: 1 },
      ],
      u.links.map((l) => [
        l.path,
        l.direction,
        formatBps(l.averageBps),
        pctCell(l.averagePct, hotPct),
        formatBps(l.peakBps),
        pctCell(l.peakPct, hotPct),
      ]),
    );
  } else if (u.totals) {
    const c = u.totals.counters;
    usage = [
      text(
        'Azure Monitor metrics were not available, so these are byte totals since the counters were last reset; no rate can be derived from them.',
        {
          size: 'Small',
          subtle: true,
        },
      ),
      ...table(
        [
          { title: 'Link', width: 2 },
          { title: 'In', width: 2 },
          { title: 'Out', width: 2 },
        ],
        [
          ['primary', formatBytes(c.primaryBytesIn), formatBytes(c.primaryBytesOut)],
          ['secondary', formatBytes(c.secondaryBytesIn), formatBytes(c.secondaryBytesOut)],
        ],
      ),
    ];
  } else {
    usage = [text('No usage figures were returned for this window.', { subtle: true })];
  }

  const busiest = u.busiest;
  return adaptiveCard([
    ...dataHeader(`Bandwidth of ${clip(circuit.name, 60)}`, view.header),
    ...factSet([
      ['Customer', clip(view.customerName, 80)],
      ['Connectivity', circuitModel(circuit)],
      ['Port pair', portPairLabel(circuit)],
      ['Provisioned', `${bandwidthLabel(circuit)} per link`],
      ['Window', `last ${window} (${u.source === 'metrics' ? 'Azure Monitor' : 'counters'})`],
      [
        'Busiest link',
        busiest
          ? `${busiest.path} ${busiest.direction}: ${formatBps(busiest.averageBps)} average, ${Math.round(busiest.averagePct)}%`
          : undefined,
      ],
      ['Headroom', u.headroomBps !== undefined ? formatBps(u.headroomBps) : undefined],
    ]),
    ...(u.hot
      ? [text(`Average use is above ${hotPct}% of provisioned: consider an upgrade.`, { color: 'Warning', weight: 'Bolder' })]
      : []),
    heading('Used'),
    ...usage,
    heading('Allowed upgrades'),
    text(
      upgrades.length > 0
        ? hintWords([
            `${upgrades.map(formatBandwidth).join(', ')}. In place, without downtime: `,
            { say: 'upgrade', args: [circuit.name, formatBandwidth(upgrades[0] ?? 0)] },
            '.',
          ])
        : `${bandwidthLabel(circuit)} is the top step for this circuit's model.`,
    ),
    text('Lowering bandwidth is not possible in place: it needs a new, smaller circuit.', { size: 'Small', subtle: true }),
    ...actionSet([executeAction('Status', { kind: 'status', target: circuit.id })]),
  ]);
}
