import { formatBandwidth } from '../../../network/bandwidth';
import type { Circuit } from '../../../network/types';

/** The circuit as a card shows it after a change. */
export function circuitSummary(circuit: Circuit): Record<string, string> {
  return {
    Bandwidth: formatBandwidth(circuit.bandwidthMbps),
    'SKU tier': circuit.sku.tier,
    'SKU family': circuit.sku.family,
    'Provisioning state': circuit.provisioningState,
    'Provider state': circuit.serviceProviderProvisioningState,
  };
}
