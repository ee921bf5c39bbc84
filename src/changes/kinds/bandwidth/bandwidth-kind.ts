import { z } from 'zod';
import { allowedUpgrades, checkBandwidthChange, formatBandwidth, parseBandwidthMbps } from '../../../network/bandwidth';
import type { Circuit } from '../../../network/types';
import type { ChangeKind } from '../../change-kind';
import { declareFields, labelsOf } from '../../kind-fields';

/** "2 Gbps", "2000" (Mbps): read into Mbps, or a complaint in the field's words. */
const BandwidthText = z
  .string()
  .min(1)
  .max(40)
  .transform((text, ctx) => {
    try {
      return parseBandwidthMbps(text);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: e instanceof Error ? e.message.replace(/\.$/, '') : 'not a bandwidth' });
      return z.NEVER;
    }
  });

/** Card data and chat send "2 Gbps" or 2000; stored requests hold the parsed Mbps. */
export const BandwidthInput = z.union([
  z.strictObject({ bandwidthMbps: z.number().int().positive().max(1_000_000) }),
  z.strictObject({ bandwidth: BandwidthText }).transform((v) => ({ bandwidthMbps: v.bandwidth })),
]);
export type BandwidthInput = z.output<typeof BandwidthInput>;

/** What a person gives (text, or Mbps from a re-request), so that a wrong value is named by its field. */
const BandwidthRequestInput = z
  .strictObject({ bandwidth: BandwidthText.optional(), bandwidthMbps: z.number().int().positive().max(1_000_000).optional() })
  .refine((v) => (v.bandwidth === undefined) !== (v.bandwidthMbps === undefined), 'give the new bandwidth once')
  .transform((v) => ({ bandwidthMbps: v.bandwidth ?? v.bandwidthMbps ?? 0 }));

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

/** The one field: the new provider step (typed with `upgrade <circuit> <bandwidth>`). */
export const BANDWIDTH_FIELDS = declareFields([
  {
    key: 'bandwidth',
    label: 'Bandwidth',
    noun: 'the new bandwidth',
    help: 'a provider step such as 2 Gbps or 2000 (Mbps)',
    shape: 'bandwidth',
    example: '2 Gbps',
    maxLength: 40,
    schema: BandwidthText,
    storedAs: 'bandwidthMbps',
  },
]);
const LABELS = labelsOf(BANDWIDTH_FIELDS);

export const bandwidthKind: ChangeKind<BandwidthInput> = {
  name: 'bandwidth',
  title: 'Bandwidth upgrade',
  right: 'request',
  fields: BANDWIDTH_FIELDS,
  form(on) {
    if (!('circuit' in on)) return [];
    const circuit = on.circuit;
    const steps = allowedUpgrades(circuit);
    return [
      {
        summary: `Now ${formatBandwidth(circuit.bandwidthMbps)}. Raised in place without downtime; a decrease is not possible in place.`,
        choices: { bandwidth: steps.map((mbps) => ({ title: formatBandwidth(mbps), value: String(mbps) })) },
        values: { bandwidth: steps[0] === undefined ? undefined : String(steps[0]) },
        ...(steps.length === 0
          ? { unavailable: `${formatBandwidth(circuit.bandwidthMbps)} is already the largest step offered here.` }
          : {}),
      },
    ];
  },
  input: BandwidthInput,
  requestInput: () => BandwidthRequestInput,
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
      diff: { [LABELS.bandwidth]: [formatBandwidth(circuit.bandwidthMbps), formatBandwidth(input.bandwidthMbps)] },
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
