import { describeUpDown, neighbourState } from '../network/bgp';
import { peeringLabel } from '../network/health';
import type { Part } from '../network/part';
import { assessPrefixCount, familyOf, prefixLimit } from '../network/prefix-limits';
import type { BgpNeighbour, Circuit, DevicePath, PeeringKind } from '../network/types';
import type { AdaptiveCardJson, Cell } from './card-kit';
import { actionSet, adaptiveCard, clip, executeAction, table, text } from './card-kit';
import type { DataHeader } from './header';
import { dataHeader } from './header';

export interface BgpPathView {
  kind: PeeringKind;
  path: DevicePath;
  neighbours: Part<BgpNeighbour[]>;
}

export interface BgpView {
  header: DataHeader;
  circuit: Circuit;
  paths: readonly BgpPathView[];
}

function rows(circuit: Circuit, p: BgpPathView): Cell[][] {
  const where = `${peeringLabel(p.kind)} · ${p.path}`;
  if (!p.neighbours.ok) {
    return [pad([{ text: where }, { text: `⚪ unknown: ${clip(p.neighbours.error.message, 120)}` }])];
  }
  if (p.neighbours.value.length === 0) {
    return [pad([{ text: where }, { text: '🔴 no BGP neighbour', color: 'Attention' }])];
  }
  return p.neighbours.value.map((n) => {
    const s = neighbourState(n);
    const limit = prefixLimit(p.kind, circuit.sku, familyOf(n.neighbor));
    const usage = s.prefixes === undefined ? undefined : assessPrefixCount(s.prefixes, limit);
    const prefixes: Cell = usage
      ? { text: `${usage.count} / ${usage.limit}`, ...(usage.level === 'ok' ? {} : { color: 'Warning' as const }) }
      : { text: `— / ${limit}` };
    return [
      { text: where },
      { text: n.neighbor },
      { text: n.as === undefined ? '' : String(n.as) },
      s.established ? { text: '🟢 Established', color: 'Good' } : { text: `🔴 ${clip(s.state, 30)}`, color: 'Attention' },
      { text: describeUpDown(n) },
      prefixes,
    ];
  });
}

const COLUMNS = 6;

function pad(cells: Cell[]): Cell[] {
  return [...cells, ...Array.from({ length: COLUMNS - cells.length }, () => ({ text: '' }))];
}

/** The route table summary: each neighbour's AS, state, how long, and prefixes received against the limit. */
export function bgpCard(view: BgpView): AdaptiveCardJson {
  const c = view.circuit;
  return adaptiveCard([
    ...dataHeader(`BGP of ${clip(c.name, 60)}`, view.header),
    text(
      `Prefix limits: private peering ${prefixLimit('private', c.sku)} IPv4${c.sku.tier === 'Premium' ? ' (Premium)' : ''} and ${prefixLimit('private', c.sku, 'ipv6')} IPv6, Microsoft peering ${prefixLimit('microsoft', c.sku)}. Past the limit the session drops.`,
      { size: 'Small', subtle: true },
    ),
    ...(view.paths.length === 0
      ? [text('No enabled private or Microsoft peering.', { subtle: true })]
      : table(
          [
            { title: 'Peering · link', width: 3 },
            { title: 'Neighbour', width: 3 },
            { title: 'AS', width: 2 },
            { title: 'State', width: 2 },
            { title: 'Up/down', width: 2 },
            { title: 'Prefixes / limit', width: 2 },
          ],
          view.paths.flatMap((p) => rows(c, p)),
        )),
    ...actionSet([
      executeAction('Routes', { kind: 'routes', circuit: c.id }),
      executeAction('ARP', { kind: 'arp', circuit: c.id }),
      executeAction('Status', { kind: 'status', target: c.id }),
    ]),
  ]);
}
