import { z } from 'zod';
import { checkBandwidthChange, formatBandwidth, parseBandwidthMbps } from '../../network/bandwidth';
import type { Circuit } from '../../network/types';
import type { ChangeKind } from '../change-kind';

/** Card data and chat send "2 Gbps" or 2000; stored requests hold the parsed Mbps. */
export const BandwidthInput = z.union([
  z.strictObject({ bandwidthMbps: z.number().int().positive().max(1_000_000) }),
  z
    .strictObject({ bandwidth: z.string().min(1).max(40) })
    .transform((v) => ({ bandwidthMbps: parseBandwidthMbps(v.bandwidth) })),
]);
export type BandwidthInput = z.output<typeof BandwidthInput>;

function billing(circuit: Circuit, toMbps: number): string {
  const plan = circuit.sku.family === 'UnlimitedData' ? 'unlimited-data' : 'metered-data';
  if (circuit.direct) {
    return `The circuit is billed at the ${formatBandwidth(toMbps)} ${plan} rate from the moment the change completes; the ExpressRoute Direct port fee does not change.`;
  }
  return (
    `The circuit is billed at the ${formatBandwidth(toMbps)} ${plan} rate from the moment the change completes, ` +
    `and ${circuit.provider?.name ?? 'the provider'} usually bills its port at the new bandwidth too.`
  );
}

export const bandwidthKind: ChangeKind<BandwidthInput> = {
  name: 'bandwidth',
  title: 'Bandwidth upgrade',
  right: 'request',
  input: BandwidthInput,
  needsProvisioned: true,
  check(circuit, input) {
    const verdict = checkBandwidthChange(circuit, input.bandwidthMbps);
    return verdict.ok ? undefined : { reason: verdict.reason, alternative: verdict.alternative };
  },
  describe(circuit, input) {
    const notes = circuit.direct
      ? ['ExpressRoute Direct: the new bandwidth must fit in what is left of the port.']
      : [`${circuit.provider?.name ?? 'The provider'} must also carry the new bandwidth on its side; ask them if you are unsure.`];
    return {
      diff: { Bandwidth: [formatBandwidth(circuit.bandwidthMbps), formatBandwidth(input.bandwidthMbps)] },
      impact: {
        downtime: 'none: the bandwidth is raised in place without interrupting traffic',
        // Lowering it again needs a new circuit, so in practice there is no way back.
        oneWay: true,
        billing: billing(circuit, input.bandwidthMbps),
        disruptive: false,
        notes: [...notes, 'One-way in practice: ExpressRoute cannot lower a bandwidth in place; going back means a new circuit.'],
      },
    };
  },
  patch(_circuit, input) {
    return { resource: 'expressRouteCircuit', bandwidthMbps: input.bandwidthMbps };
  },
  isApplied(circuit, input) {
    return circuit.bandwidthMbps === input.bandwidthMbps;
  },
};
