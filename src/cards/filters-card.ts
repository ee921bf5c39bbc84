import type { RouteFilter } from '../network/types';
import type { AdaptiveCardJson, CardElement } from './card-kit';
import { adaptiveCard, clip, factSet, fitToBudget, heading, moreNote, plain, table, text } from './card-kit';
import { armIdNameOf } from '../network/arm-id';
import type { DataHeader } from './header';
import { dataHeader } from './header';

export interface FiltersView {
  header: DataHeader;
  filters: readonly RouteFilter[];
}

/** "er1 / MicrosoftPeering" from a peering's ARM id. */
export function peeringFromId(id: string): string {
  const circuit = armIdNameOf(id, 'expressRouteCircuits');
  const peering = armIdNameOf(id, 'peerings');
  return circuit && peering ? `${circuit} / ${peering}` : id;
}

function filterSection(f: RouteFilter): CardElement[] {
  return [
    heading(plain(clip(f.name, 80))),
    ...factSet([
      ['Resource group', f.resourceGroup],
      ['Location', f.location],
      ['ARM state', f.provisioningState],
      ['Attached to', f.peeringIds.length > 0 ? f.peeringIds.slice(0, 10).map(peeringFromId).join(', ') : 'no peering'],
    ]),
    ...(f.rules.length === 0
      ? [text('No rule: a Microsoft peering with this filter receives no routes.', { color: 'Warning' })]
      : table(
          [
            { title: 'Rule', width: 2 },
            { title: 'Access', width: 1 },
            { title: 'Communities', width: 5 },
          ],
          f.rules.map((r) => [
            plain(clip(r.name, 60)),
            r.access === 'Allow' ? r.access : { text: r.access, color: 'Warning' },
            clip(r.communities.join(', '), 400),
          ]),
        )),
  ];
}

/** Route filters with their BGP communities and the Microsoft peerings they are attached to. */
export function filtersCard(view: FiltersView): AdaptiveCardJson {
  const filters = [...view.filters].sort((a, b) => a.name.localeCompare(b.name));
  return fitToBudget(filters.length, (shown) =>
    adaptiveCard([
      ...dataHeader('Route filters', view.header),
      ...(filters.length === 0 ? [text('No route filters in the subscriptions you can see.', { subtle: true })] : []),
      ...filters.slice(0, shown).flatMap(filterSection),
      ...moreNote(filters.length - shown, ['Ask per customer, e.g. ', { say: 'filters', args: ['contoso'] }, '.']),
    ]),
  );
}
