import type { IntentOf } from '../intents/intent';
import { armIdNameOf } from '../network/arm-id';
import type {
  Candidate,
  Destination,
  EffectiveRoute,
  EffectiveRouteTable,
  NetworkInterfaceRef,
  RouteChoice,
} from '../network/effective-routes';
import type { Page } from '../network/paging';
import type { AdaptiveCardJson, CardElement, Cell, TextColor } from './card-kit';
import { actionSet, adaptiveCard, clip, executeAction, factSet, heading, plain, table, text } from './card-kit';
import type { DataHeader } from './header';
import { dataHeader } from './header';

/** A hub NIC can hold thousands of routes (every prefix learned over private peering): small pages stay under 28 KB. */
export const EFFECTIVE_ROUTES_PAGE_SIZE = 40;
/** Routes covering a destination shown under the verdict; more would only repeat the table. */
const CANDIDATES_SHOWN = 12;

export interface EffectiveRoutesView {
  header: DataHeader;
  nic: NetworkInterfaceRef;
  /** What the buttons ask about: the NIC's ARM id. */
  target: string;
  table: EffectiveRouteTable;
  page: Page<EffectiveRoute>;
  choice?: RouteChoice;
}

const GOES_COLOR: Record<Destination, TextColor> = {
  expressroute: 'Accent',
  'ipsec-over-expressroute': 'Good',
  vpn: 'Accent',
  gateway: 'Default',
  appliance: 'Warning',
  internet: 'Warning',
  vnet: 'Good',
  peering: 'Good',
  dropped: 'Attention',
  'no-route': 'Attention',
};

const SOURCE_WORDS: Record<string, string> = { default: 'System', user: 'User (UDR)', virtualnetworkgateway: 'BGP / gateway' };
const sourceLabel = (source: string) => SOURCE_WORDS[source.toLowerCase()] ?? source;

function routeLabel(r: EffectiveRoute, prefix?: string): string {
  const hops = r.nextHopIps.length > 0 ? ` ${clip(r.nextHopIps.join(', '), 60)}` : '';
  const name = r.name ? ` ${plain(clip(r.name, 60))}` : '';
  return `${sourceLabel(r.source)} route${name} ${clip(prefix ?? r.addressPrefixes.join(', '), 60)} → ${r.nextHopType}${hops}`;
}

function routeCells(r: EffectiveRoute): Cell[] {
  const invalid = r.state.toLowerCase() === 'invalid';
  return [
    { text: sourceLabel(r.source) },
    invalid ? { text: 'Invalid', color: 'Warning' } : { text: r.state },
    { text: clip(r.addressPrefixes.join(', '), 60) },
    { text: r.nextHopType },
    { text: clip(r.nextHopIps.join(', '), 50) },
  ];
}

const COLUMNS = [
  { title: 'Source', width: 2 },
  { title: 'State', width: 1 },
  { title: 'Prefix', width: 3 },
  { title: 'Next hop', width: 2 },
  { title: 'Next hop IP', width: 3 },
];

function choiceSection(choice: RouteChoice): CardElement[] {
  const winner = choice.winner;
  const losers = choice.candidates.filter((c) => c !== winner);
  const candidateRow = (c: Candidate): Cell[] => [
    { text: sourceLabel(c.route.source) },
    { text: clip(c.prefix, 45) },
    { text: `${c.route.nextHopType}${c.route.nextHopIps.length > 0 ? ` ${clip(c.route.nextHopIps.join(', '), 40)}` : ''}` },
    { text: clip(c.lost ?? '', 120) },
  ];
  return [
    heading(`Traffic to ${choice.destination}`),
    text(choice.goes.text, { weight: 'Bolder', color: GOES_COLOR[choice.goes.kind] }),
    text(winner ? `Wins: ${routeLabel(winner.route, winner.prefix)}` : 'No route covers this address.', { spacing: 'Small' }),
    ...(choice.why.length > 0 ? [text(choice.why.map((w) => `- ${w}`).join('\n'), { size: 'Small', spacing: 'None' })] : []),
    ...(losers.length > 0
      ? [
          text('Other routes covering it, and why they lose:', { size: 'Small', weight: 'Bolder' }),
          ...table(
            [
              { title: 'Source', width: 2 },
              { title: 'Prefix', width: 2 },
              { title: 'Next hop', width: 3 },
              { title: 'Why not', width: 4 },
            ],
            losers.slice(0, CANDIDATES_SHOWN).map(candidateRow),
          ),
          ...(losers.length > CANDIDATES_SHOWN
            ? [text(`… and ${losers.length - CANDIDATES_SHOWN} more.`, { size: 'Small', subtle: true })]
            : []),
        ]
      : []),
  ];
}

function nicTitle(nic: NetworkInterfaceRef): string {
  return nic.named === 'vm' && nic.vm ? `VM ${clip(nic.vm.name, 50)}` : `NIC ${clip(nic.name, 50)}`;
}

/**
 * A NIC's effective routes: system routes, UDRs and what the VNet's gateways learned, paged; with a destination,
 * which route carries it, why, and where the traffic goes (across ExpressRoute, to an appliance, to the internet,
 * or nowhere).
 */
export function effectiveRoutesCard(view: EffectiveRoutesView): AdaptiveCardJson {
  const { nic, page, choice } = view;
  const intent = (change: { page?: number; destination?: string | null }): IntentOf<'effective-routes'> => {
    const destination = change.destination === null ? undefined : (change.destination ?? choice?.destination);
    return { kind: 'effective-routes', target: view.target, ...(destination ? { destination } : {}), page: change.page ?? page.page };
  };
  const subnet = nic.subnetId
    ? `${armIdNameOf(nic.subnetId, 'virtualNetworks') ?? '?'} / ${armIdNameOf(nic.subnetId, 'subnets') ?? '?'}`
    : undefined;
  const counts = ['User', 'VirtualNetworkGateway', 'Default'].map(
    (s) => `${view.table.routes.filter((r) => r.source.toLowerCase() === s.toLowerCase()).length} ${sourceLabel(s).toLowerCase()}`,
  );
  const buttons: CardElement[] = [];
  if (choice) buttons.push(executeAction('All routes', intent({ destination: null, page: 1 })));
  else {
    if (page.page > 1) buttons.push(executeAction('◀ Previous', intent({ page: page.page - 1 })));
    if (page.page < page.pages) buttons.push(executeAction('Next ▶', intent({ page: page.page + 1 })));
  }
  return adaptiveCard([
    ...dataHeader(`Effective routes of ${plain(nicTitle(nic))}`, view.header),
    ...factSet([
      ['NIC', plain(clip(nic.name, 80))],
      ['VM', nic.vm ? `${plain(clip(nic.vm.name, 80))}${nic.vm.powerState ? ` (${nic.vm.powerState})` : ''}` : undefined],
      ['Private IP', nic.privateIp],
      ['Subnet', subnet ? plain(subnet) : undefined],
      ['Routes', `${view.table.routes.length}: ${counts.join(', ')}`],
    ]),
    ...(view.table.bgpPropagationDisabled
      ? [
          text("BGP route propagation is off on this subnet's route table: routes learned over ExpressRoute are not used here.", {
            color: 'Warning',
            size: 'Small',
          }),
        ]
      : []),
    ...(choice
      ? choiceSection(choice)
      : [
          text(
            page.total === 0 ? 'No routes.' : `Routes ${page.first}–${page.last} of ${page.total} · page ${page.page} of ${page.pages}`,
            { size: 'Small', subtle: true },
          ),
          ...(page.rows.length > 0 ? table(COLUMNS, page.rows.map(routeCells), { wrap: false }) : []),
        ]),
    ...actionSet(buttons),
  ]);
}
