import type { HealthVerdict } from '../network/health';
import { peeringLabel } from '../network/health';
import type { Circuit } from '../network/types';
import type { AdaptiveCardJson } from './card-kit';
import { LEVEL_STYLE, actionSet, adaptiveCard, clip, executeAction, factSet, heading, plain, table, text } from './card-kit';
import { armIdNameOf } from '../network/arm-id';
import { bandwidthLabel, circuitModel, portPairLabel, skuLabel } from './circuit-labels';
import type { DataHeader } from './header';
import { modelLine } from './model-words';
import { dataHeader } from './header';

export interface CircuitDetailView {
  header: DataHeader;
  customerName: string;
  /** The customer's connection model (directory `model`), shown with who configures the on-premises routers. */
  model?: string;
  circuit: Circuit;
  /** The health verdict, when it was assessed for this answer. */
  verdict?: HealthVerdict;
}

/** The full picture of one circuit: SKU, every state, peerings, authorizations, connections, route filter. */
export function circuitCard(view: CircuitDetailView): AdaptiveCardJson {
  const c = view.circuit;
  const tags = Object.entries(c.tags)
    .slice(0, 10)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const connections = c.peerings.flatMap((p) => p.connections.map((name) => [peeringLabel(p.kind), name]));
  const style = view.verdict ? LEVEL_STYLE[view.verdict.level] : undefined;
  return adaptiveCard([
    ...dataHeader(`Circuit ${clip(c.name, 60)}`, view.header),
    ...(style && view.verdict
      ? [
          text(`${style.icon} ${style.label}: ${plain(clip(view.verdict.reasons[0]?.text ?? '', 200))}`, {
            color: style.color,
            weight: 'Bolder',
          }),
        ]
      : []),
    ...factSet([
      ['Customer', plain(clip(view.customerName, 80))],
      ['Model', view.model ? plain(modelLine(view.model)) : undefined],
      ['Resource group', c.resourceGroup],
      ['Location', c.location],
      ['Connectivity', circuitModel(c)],
      ['Port pair', portPairLabel(c)],
      ['Bandwidth', bandwidthLabel(c)],
      ['SKU', skuLabel(c)],
      ['Provider state', c.serviceProviderProvisioningState],
      ['Circuit state', c.circuitProvisioningState],
      ['ARM state', c.provisioningState],
      ['Global Reach', c.globalReachEnabled ? 'enabled' : 'off'],
      ['Tags', tags ? plain(clip(tags, 300)) : undefined],
    ]),
    heading('Peerings'),
    ...(c.peerings.length === 0
      ? [text('No peerings configured.', { subtle: true })]
      : table(
          [
            { title: 'Peering', width: 3 },
            { title: 'State', width: 2 },
            { title: 'VLAN', width: 1 },
            { title: 'Peer ASN', width: 2 },
            { title: 'Route filter', width: 3 },
          ],
          c.peerings.map((p) => [
            { text: peeringLabel(p.kind), weight: 'Bolder' },
            { text: p.state ?? 'Enabled', ...(p.state === 'Disabled' ? { color: 'Warning' as const } : {}) },
            p.vlanId === undefined ? '' : String(p.vlanId),
            p.peerAsn === undefined ? '' : String(p.peerAsn),
            p.routeFilterId
              ? (armIdNameOf(p.routeFilterId, 'routeFilters') ?? p.routeFilterId)
              : p.kind === 'microsoft'
                ? { text: 'none (needed)', color: 'Warning' }
                : '',
          ]),
        )),
    heading('Authorizations'),
    ...(c.authorizations.length === 0
      ? [text('None.', { subtle: true })]
      : table(
          [
            { title: 'Name', width: 3 },
            { title: 'Use', width: 2 },
            { title: 'State', width: 2 },
          ],
          c.authorizations.map((a) => [plain(clip(a.name, 60)), a.useStatus ?? '', a.provisioningState ?? '']),
        )),
    heading('Connections'),
    ...(connections.length === 0
      ? [text('None.', { subtle: true })]
      : table(
          [
            { title: 'Peering', width: 2 },
            { title: 'Connection', width: 4 },
          ],
          connections.slice(0, 50).map(([peering, name]) => [peering ?? '', plain(clip(name ?? '', 80))]),
        )),
    ...actionSet([
      executeAction('Status', { kind: 'status', target: c.id }),
      executeAction('Bandwidth', { kind: 'bandwidth', circuit: c.id }),
      executeAction('Peerings', { kind: 'peerings', circuit: c.id }),
      executeAction('BGP', { kind: 'bgp', circuit: c.id }),
      executeAction('Routes', { kind: 'routes', circuit: c.id }),
    ]),
  ]);
}
