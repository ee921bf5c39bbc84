import { ARP_ADVICE, arpFinding, peeringLabel } from '../network/health';
import type { Part } from '../network/part';
import type { ArpEntry, DevicePath, PeeringKind } from '../network/types';
import type { AdaptiveCardJson, CardElement } from './card-kit';
import { adaptiveCard, clip, fitToBudget, heading, moreNote, table, text } from './card-kit';
import type { DataHeader } from './header';
import { dataHeader } from './header';

export interface ArpTableView {
  kind: PeeringKind;
  path: DevicePath;
  entries: Part<ArpEntry[]>;
}

export interface ArpView {
  header: DataHeader;
  circuit: { id: string; name: string };
  tables: readonly ArpTableView[];
}

function section(t: ArpTableView, maxRows: number): { elements: CardElement[]; hidden: number } {
  const elements: CardElement[] = [heading(`${peeringLabel(t.kind)} · ${t.path}`)];
  if (!t.entries.ok) {
    elements.push(text(`⚪ Unknown: ${clip(t.entries.error.message, 200)}`, { subtle: true }));
    return { elements, hidden: 0 };
  }
  const entries = t.entries.value;
  const finding = arpFinding(entries);
  if (finding !== 'ok') elements.push(text(ARP_ADVICE[finding], { color: 'Warning' }));
  const shown = entries.slice(0, maxRows);
  if (shown.length > 0) {
    elements.push(
      ...table(
        [
          { title: 'Interface', width: 2 },
          { title: 'IP address', width: 3 },
          { title: 'MAC address', width: 3 },
          { title: 'Age', width: 1 },
        ],
        shown.map((e) => [
          clip(e.interface ?? '', 30),
          clip(e.ipAddress, 45),
          clip(e.macAddress, 30),
          e.age === undefined ? '' : String(e.age),
        ]),
      ),
    );
  }
  return { elements, hidden: entries.length - shown.length };
}

export function arpCard(view: ArpView): AdaptiveCardJson {
  const biggest = Math.max(0, ...view.tables.map((t) => (t.entries.ok ? t.entries.value.length : 0)));
  return fitToBudget(biggest, (maxRows) => {
    const sections = view.tables.map((t) => section(t, maxRows));
    const hidden = sections.reduce((n, s) => n + s.hidden, 0);
    const cut = view.tables[sections.findIndex((s) => s.hidden > 0)] ?? view.tables[0];
    return adaptiveCard([
      ...dataHeader(`ARP of ${clip(view.circuit.name, 60)}`, view.header),
      ...(view.tables.length === 0 ? [text('No enabled private or Microsoft peering.', { subtle: true })] : []),
      ...sections.flatMap((s) => s.elements),
      ...moreNote(hidden, [
        'Ask for one peering and link, e.g. ',
        { say: 'arp', args: [view.circuit.name, cut?.kind ?? 'private', cut?.path ?? 'primary'] },
        '.',
      ]),
    ]);
  });
}
