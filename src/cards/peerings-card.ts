import { peeringLabel } from '../network/health';
import type { Circuit, Peering } from '../network/types';
import type { AdaptiveCardJson, CardElement } from './card-kit';
import { actionSet, adaptiveCard, clip, executeAction, factSet, heading, plain, text } from './card-kit';
import { armIdNameOf } from '../network/arm-id';
import type { DataHeader } from './header';
import { dataHeader } from './header';

export interface PeeringsView {
  header: DataHeader;
  circuit: Circuit;
}

function list(values: readonly string[] | undefined, max = 10): string | undefined {
  if (!values || values.length === 0) return undefined;
  const more = values.length > max ? ` and ${values.length - max} more` : '';
  return `${values
    .slice(0, max)
    .map((v) => plain(clip(v, 60)))
    .join(', ')}${more}`;
}

/** ARM's advertisedPublicPrefixesState, with what ValidationNeeded means for the customer. */
function prefixValidation(state: string | undefined): string | undefined {
  if (state === undefined) return undefined;
  return state.toLowerCase() === 'validationneeded'
    ? 'ValidationNeeded: Microsoft is validating the prefixes; nothing is advertised until then'
    : plain(clip(state, 40));
}

/** Only whether an MD5 key is set is shown: the key itself never reaches the domain, let alone a card. */
function peeringSection(p: Peering): CardElement[] {
  const filter = p.routeFilterId
    ? (armIdNameOf(p.routeFilterId, 'routeFilters') ?? p.routeFilterId)
    : p.kind === 'microsoft'
      ? 'none: Microsoft peering needs one to receive routes'
      : undefined;
  return [
    heading(`${peeringLabel(p.kind)} (${p.name})`),
    ...(p.state === 'Disabled' ? [text('Disabled: no BGP sessions on this peering.', { color: 'Warning', spacing: 'None' })] : []),
    ...factSet([
      ['State', p.state ?? 'Enabled'],
      ['ARM state', p.provisioningState],
      ['VLAN', p.vlanId],
      ['Azure ASN', p.azureAsn],
      ['Peer ASN', p.peerAsn],
      ['Primary subnet', p.primaryPeerAddressPrefix],
      ['Secondary subnet', p.secondaryPeerAddressPrefix],
      ['Primary subnet (IPv6)', p.ipv6?.primaryPeerAddressPrefix],
      ['Secondary subnet (IPv6)', p.ipv6?.secondaryPeerAddressPrefix],
      ['IPv6 state', p.ipv6 ? (p.ipv6.state ?? 'Enabled') : undefined],
      ['Azure ports', [p.primaryAzurePort, p.secondaryAzurePort].filter(Boolean).join(' / ') || undefined],
      ['MD5 key', p.hasSharedKey ? 'set' : 'not set'],
      ['Route filter', filter],
      ['Advertised prefixes', list(p.advertisedPublicPrefixes)],
      ['Prefix validation', prefixValidation(p.advertisedPublicPrefixesState)],
      [
        'Route filter (IPv6)',
        p.ipv6?.routeFilterId ? (armIdNameOf(p.ipv6.routeFilterId, 'routeFilters') ?? p.ipv6.routeFilterId) : undefined,
      ],
      ['Advertised prefixes (IPv6)', list(p.ipv6?.advertisedPublicPrefixes)],
      ['Prefix validation (IPv6)', prefixValidation(p.ipv6?.advertisedPublicPrefixesState)],
      ['Customer ASN', p.customerAsn],
      ['Routing registry', p.routingRegistryName],
      ['Connections', list(p.connections)],
    ]),
  ];
}

export function peeringsCard(view: PeeringsView): AdaptiveCardJson {
  const c = view.circuit;
  return adaptiveCard([
    ...dataHeader(`Peerings of ${clip(c.name, 60)}`, view.header),
    ...(c.peerings.length === 0 ? [text('No peerings configured on this circuit.', { subtle: true })] : []),
    ...c.peerings.flatMap(peeringSection),
    ...actionSet([
      executeAction('BGP', { kind: 'bgp', circuit: c.id }),
      executeAction('Circuit detail', { kind: 'circuit', circuit: c.id }),
    ]),
  ]);
}
