import { formatBandwidth, knownPortPairUsage, portPairText } from '../network/bandwidth';
import type { Circuit } from '../network/types';
import { clip, plain } from './card-kit';

/** "Equinix · Silicon Valley" or "ExpressRoute Direct (100 Gbps port)". */
export function circuitModel(circuit: Circuit): string {
  if (circuit.direct) {
    const port = circuit.direct.portBandwidthInGbps;
    return port === undefined ? 'ExpressRoute Direct' : `ExpressRoute Direct (${port} Gbps port)`;
  }
  if (circuit.provider) return `${plain(clip(circuit.provider.name, 40))} · ${plain(clip(circuit.provider.peeringLocation, 40))}`;
  return '—';
}

export function skuLabel(circuit: Circuit): string {
  const family = circuit.sku.family.replace(/Data$/, '');
  return `${circuit.sku.tier} · ${family}`;
}

export function bandwidthLabel(circuit: Circuit): string {
  return formatBandwidth(circuit.bandwidthMbps);
}

/** ExpressRoute Direct: "10 of 200 Gbps subscribed, 190 left" on the port pair, when the port was read. */
export function portPairLabel(circuit: Circuit): string | undefined {
  const usage = knownPortPairUsage(circuit);
  return usage ? portPairText(usage).replace(/^port pair: /, '') : undefined;
}
