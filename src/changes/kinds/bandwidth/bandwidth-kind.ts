import { z } from 'zod';
import {
  allowedUpgrades,
  checkBandwidthChange,
  checkPortCapacity,
  formatBandwidth,
  knownPortPairUsage,
  parseBandwidthMbps,
  portPairText,
} from '../../../network/bandwidth';
import type { Circuit } from '../../../network/types';
import type { ChangeKind, Refusal } from '../../change-kind';
import { declareFields, labelsOf } from '../../kind-fields';
import { circuitVerification } from '../shared/circuit-verification';
import { capacityUnknownRefusal, type PortPairRead, portUnreadRefusal, readPortPair } from '../shared/port-pair';

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

/** Why the way back from a bandwidth increase is a new circuit (the same rule that refuses a decrease). */
const ONE_WAY = 'One-way in practice: ExpressRoute cannot lower a bandwidth in place; going back means a new circuit.';

/** ExpressRoute Direct: the circuits on the port pair, read when the bandwidth of a Direct circuit goes up. */
export interface BandwidthFacts {
  port?: PortPairRead;
}

const isIncrease = (circuit: Circuit, input: BandwidthInput) => input.bandwidthMbps > circuit.bandwidthMbps;

/** Whether the raised bandwidth still fits the Direct port pair: a refusal when it does not or cannot be known. */
function portCapacityRefusal(circuit: Circuit, input: BandwidthInput, port: PortPairRead | undefined): Refusal | undefined {
  if (!circuit.direct || !port || !isIncrease(circuit, input)) return undefined;
  const risk = 'Every circuit on the pair shares its capacity, so a bandwidth that may not fit is not raised unchecked.';
  if (!port.ok) return portUnreadRefusal(circuit, port.why, risk);
  const portGbps = circuit.direct.portBandwidthInGbps;
  if (portGbps === undefined) return portUnreadRefusal(circuit, 'the port pair did not say its bandwidth', risk);
  const unknown = capacityUnknownRefusal(circuit, port, risk);
  if (unknown) return unknown;
  const verdict = checkPortCapacity(circuit, portGbps, port.circuits, input.bandwidthMbps);
  return verdict.ok ? undefined : { reason: verdict.reason, alternative: verdict.alternative };
}

/** "ExpressRoute Direct port pair: 20 of 200 Gbps subscribed, 180 left; after this change 30 of 200 Gbps, 170 left." */
function portPairNote(circuit: Circuit, input: BandwidthInput, port: PortPairRead | undefined): string | undefined {
  const portGbps = circuit.direct?.portBandwidthInGbps;
  if (!port?.ok || portGbps === undefined) return undefined;
  const verdict = checkPortCapacity(circuit, portGbps, port.circuits, input.bandwidthMbps);
  const after = verdict.ok
    ? `; after this change ${verdict.after.subscribedGbps} of ${verdict.after.capacityGbps} Gbps, ${verdict.after.leftGbps} left`
    : '';
  return `ExpressRoute Direct ${portPairText(verdict.before)}${after}.`;
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

export const bandwidthKind: ChangeKind<BandwidthInput, BandwidthFacts> = {
  name: 'bandwidth',
  title: 'Bandwidth upgrade',
  right: 'request',
  scope: 'circuit',
  fields: BANDWIDTH_FIELDS,
  form(on) {
    if (!('circuit' in on)) return [];
    const circuit = on.circuit;
    const steps = allowedUpgrades(circuit);
    const pair = knownPortPairUsage(circuit);
    return [
      {
        summary:
          `Now ${formatBandwidth(circuit.bandwidthMbps)}. Raised in place without downtime; a decrease is not possible in place.` +
          (pair ? ` ExpressRoute Direct ${portPairText(pair)}.` : ''),
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
  // Only a Direct circuit's increase reads the port pair: its circuits share the pair's capacity.
  gather: async (ctx, circuit, input) => (circuit.direct && isIncrease(circuit, input) ? { port: await readPortPair(ctx, circuit) } : {}),
  check(circuit, input, facts) {
    const verdict = checkBandwidthChange(circuit, input.bandwidthMbps);
    if (!verdict.ok) return { reason: verdict.reason, alternative: verdict.alternative };
    return portCapacityRefusal(circuit, input, facts?.port);
  },
  describe(circuit, input, facts) {
    const notes = circuit.direct
      ? [portPairNote(circuit, input, facts?.port) ?? 'ExpressRoute Direct: the new bandwidth must fit in what is left of the port pair.']
      : [`${circuit.provider?.name ?? 'The provider'} must also carry the new bandwidth on its side; ask them if you are unsure.`];
    return {
      diff: { [LABELS.bandwidth]: [formatBandwidth(circuit.bandwidthMbps), formatBandwidth(input.bandwidthMbps)] },
      impact: {
        downtime: 'none: the bandwidth is raised in place without interrupting traffic',
        // Lowering it again needs a new circuit, so in practice there is no way back.
        oneWay: true,
        billing: billing(circuit, input.bandwidthMbps),
        disruptive: false,
        notes: [...notes, ONE_WAY],
      },
    };
  },
  patch(_circuit, input) {
    return { resource: 'expressRouteCircuit', bandwidthMbps: input.bandwidthMbps };
  },
  isApplied(circuit, input) {
    return circuit.bandwidthMbps === input.bandwidthMbps;
  },
  verify: circuitVerification({
    what: 'the bandwidth',
    now: (circuit) => formatBandwidth(circuit.bandwidthMbps),
    asked: (_circuit, input) => formatBandwidth(input.bandwidthMbps),
  }),
  // Going back is the decrease the kind refuses: its refusal, as it would be given after the change, says why.
  undo(before, input) {
    const back = checkBandwidthChange({ ...before, bandwidthMbps: input.bandwidthMbps }, before.bandwidthMbps);
    return { oneWay: back.ok ? ONE_WAY : `${back.reason} ${back.alternative}` };
  },
};
