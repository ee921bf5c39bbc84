import type { UdrRoute, UdrTable } from '../network/types';
import type { AdaptiveCardJson, CardElement, Cell } from './card-kit';
import { adaptiveCard, clip, factSet, fitToBudget, heading, moreNote, plain, table, text } from './card-kit';
import { armIdNameOf } from '../network/arm-id';
import type { DataHeader } from './header';
import { dataHeader } from './header';

export interface UdrView {
  header: DataHeader;
  tables: readonly UdrTable[];
}

/** "vnet-hub / GatewaySubnet" from a subnet's ARM id. */
function subnetFromId(id: string): string {
  const vnet = armIdNameOf(id, 'virtualNetworks');
  const subnet = armIdNameOf(id, 'subnets');
  return vnet && subnet ? `${vnet} / ${subnet}` : id;
}

/** Traffic sent to an appliance bypasses the ExpressRoute gateway's routes: the usual cause of "routes look fine". */
function isAppliance(r: UdrRoute): boolean {
  return r.nextHopType === 'VirtualAppliance';
}

function routeRow(r: UdrRoute): Cell[] {
  const flagged = isAppliance(r);
  const prefix = r.addressPrefix === '0.0.0.0/0' ? '0.0.0.0/0 (default)' : r.addressPrefix;
  return [
    { text: plain(clip(r.name, 60)) },
    { text: clip(prefix, 60) },
    flagged ? { text: `⚠ ${r.nextHopType}`, color: 'Warning' } : { text: r.nextHopType },
    { text: r.nextHopIpAddress ?? '' },
  ];
}

function tableSection(t: UdrTable): CardElement[] {
  const appliances = t.routes.filter(isAppliance).length;
  return [
    heading(plain(clip(t.name, 80))),
    ...factSet([
      ['Resource group', t.resourceGroup],
      ['Location', t.location],
      ['BGP route propagation', t.disableBgpRoutePropagation ? 'disabled: ExpressRoute routes are not learnt' : 'enabled'],
      [
        'Subnets',
        t.subnetIds.length > 0
          ? `${t.subnetIds.slice(0, 8).map(subnetFromId).join(', ')}${t.subnetIds.length > 8 ? ` and ${t.subnetIds.length - 8} more` : ''}`
          : 'none',
      ],
    ]),
    ...(appliances > 0
      ? [
          text(`${appliances} route${appliances === 1 ? '' : 's'} send traffic to a virtual appliance (firewall/NVA).`, {
            color: 'Warning',
            size: 'Small',
          }),
        ]
      : []),
    ...(t.routes.length === 0
      ? [text('No routes.', { subtle: true })]
      : table(
          [
            { title: 'Route', width: 3 },
            { title: 'Prefix', width: 3 },
            { title: 'Next hop', width: 3 },
            { title: 'Next hop IP', width: 2 },
          ],
          t.routes.map(routeRow),
        )),
  ];
}

/** User-defined route tables and their routes, flagging next hops that go through an appliance. */
export function udrCard(view: UdrView): AdaptiveCardJson {
  const tables = [...view.tables].sort((a, b) => a.name.localeCompare(b.name));
  return fitToBudget(tables.length, (shown) =>
    adaptiveCard([
      ...dataHeader('User-defined routes', view.header),
      ...(tables.length === 0 ? [text('No route tables in the subscriptions you can see.', { subtle: true })] : []),
      ...tables.slice(0, shown).flatMap(tableSection),
      ...moreNote(tables.length - shown, ['Ask for one route table by name, e.g. ', { say: 'udr', args: ['rt-hub'] }, '.']),
    ]),
  );
}
