import type { HealthLevel } from '../network/health';
import type { Circuit } from '../network/types';
import type { AdaptiveCardJson, Cell } from './card-kit';
import { LEVEL_STYLE, adaptiveCard, clip, fitToBudget, moreNote, plain, table, text } from './card-kit';
import { bandwidthLabel, circuitModel, skuLabel } from './circuit-labels';
import type { DataHeader } from './header';
import { dataHeader } from './header';

export interface CircuitRow {
  customerName: string;
  circuit: Circuit;
  /** Omitted when health wasn't assessed for this list. */
  health?: HealthLevel;
}

export interface CircuitsView {
  header: DataHeader;
  rows: readonly CircuitRow[];
}

export function circuitsCard(view: CircuitsView): AdaptiveCardJson {
  const rows = [...view.rows].sort((a, b) => a.customerName.localeCompare(b.customerName) || a.circuit.name.localeCompare(b.circuit.name));
  const build = (shown: number) =>
    adaptiveCard([
      ...dataHeader('Circuits', view.header),
      text(`${rows.length} circuit${rows.length === 1 ? '' : 's'}. Select a name for its detail.`, {
        subtle: true,
        size: 'Small',
      }),
      ...(rows.length === 0
        ? [text('No ExpressRoute circuits in the subscriptions you can see.')]
        : table(
            [
              { title: 'Circuit', width: 3 },
              { title: 'Customer', width: 3 },
              { title: 'Provider · location', width: 4 },
              { title: 'Bandwidth', width: 2 },
              { title: 'SKU', width: 2 },
              { title: 'Provider state', width: 2 },
              { title: 'Health', width: 2 },
            ],
            rows.slice(0, shown).map((r): Cell[] => {
              const style = r.health ? LEVEL_STYLE[r.health] : undefined;
              return [
                { text: plain(clip(r.circuit.name, 60)), weight: 'Bolder', intent: { kind: 'circuit', circuit: r.circuit.id } },
                { text: plain(clip(r.customerName, 40)) },
                { text: circuitModel(r.circuit) },
                { text: bandwidthLabel(r.circuit) },
                { text: skuLabel(r.circuit) },
                {
                  text: r.circuit.serviceProviderProvisioningState,
                  ...(r.circuit.serviceProviderProvisioningState === 'Provisioned' ? {} : { color: 'Attention' as const }),
                },
                style ? { text: `${style.icon} ${style.label}`, color: style.color } : { text: '—' },
              ];
            }),
          )),
      ...moreNote(rows.length - shown, ['List one customer at a time, e.g. ', { say: 'circuits', args: ['contoso'] }, '.']),
    ]);
  return fitToBudget(rows.length, build);
}
