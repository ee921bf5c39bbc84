import { CodedError, ErrorCode } from '../errors';
import type { Circuit } from './types';

/** The bandwidths a provider (Connect-To / Connect-Through via a partner) circuit can be set to, in Mbps. */
export const PROVIDER_BANDWIDTHS_MBPS: readonly number[] = [50, 100, 200, 500, 1000, 2000, 5000, 10000];

/** ExpressRoute Direct circuit bandwidths by the port's size, both in Gbps. */
export const DIRECT_BANDWIDTHS_GBPS: Readonly<Record<10 | 100, readonly number[]>> = {
  10: [1, 2, 5, 10],
  100: [5, 10, 40, 100],
};

const EXAMPLES = '`2 Gbps`, `2G`, `2000`, `2000 Mbps` or `500m`';

/**
 * A bandwidth as people type it → Mbps. A bare number is Mbps because that is how the portal and the provider
 * steps are written ("50", "200", "1000").
 */
export function parseBandwidthMbps(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:(g|gb|gbps|gbit|gbits|gbit\/s|gb\/s)|(m|mb|mbps|mbit|mbits|mbit\/s|mb\/s))?\s*$/i.exec(text);
  const amount = m?.[1] === undefined ? NaN : Number(m[1]);
  const mbps = m?.[2] !== undefined ? amount * 1000 : amount;
  if (!m || !Number.isFinite(mbps) || mbps <= 0) {
    throw new CodedError(ErrorCode.BadInput, `I can't read '${text.trim().slice(0, 40)}' as a bandwidth.`, {
      hint: `Write it like ${EXAMPLES}.`,
    });
  }
  const rounded = Math.round(mbps);
  if (Math.abs(rounded - mbps) > 1e-9) {
    throw new CodedError(ErrorCode.BadInput, `'${text.trim().slice(0, 40)}' isn't a whole number of Mbps.`, {
      hint: `ExpressRoute bandwidths are whole steps; write it like ${EXAMPLES}.`,
    });
  }
  return rounded;
}

/** "500 Mbps", "2 Gbps", "1.5 Gbps". */
export function formatBandwidth(mbps: number): string {
  if (mbps >= 1000) return `${Number((mbps / 1000).toFixed(3))} Gbps`;
  return `${Number(mbps.toFixed(3))} Mbps`;
}

/** The port size of a Direct circuit. ARM doesn't always tell us; a bandwidth above 10 Gbps proves 100G. */
function directPortGbps(circuit: Circuit): 10 | 100 {
  const port = circuit.direct?.portBandwidthInGbps;
  if (port !== undefined && port >= 100) return 100;
  if (port !== undefined) return 10;
  // Unknown port: assume the smaller one, so we never offer a step the port can't carry.
  return circuit.bandwidthMbps > 10_000 ? 100 : 10;
}

/** Every bandwidth the circuit's model allows, in Mbps, ascending. */
export function bandwidthSteps(circuit: Circuit): readonly number[] {
  if (circuit.direct) return DIRECT_BANDWIDTHS_GBPS[directPortGbps(circuit)].map((g) => g * 1000);
  return PROVIDER_BANDWIDTHS_MBPS;
}

/** The steps above the current bandwidth. Never a decrease: that needs a new circuit. */
export function allowedUpgrades(circuit: Circuit): number[] {
  return bandwidthSteps(circuit).filter((mbps) => mbps > circuit.bandwidthMbps);
}

export type BandwidthCheck =
  | { ok: true; fromMbps: number; toMbps: number }
  | { ok: false; kind: 'decrease' | 'not-offered' | 'same'; reason: string; alternative: string };

const DECREASE_ALTERNATIVE = 'Create a new, smaller circuit, move the connections and peerings to it, then delete the old circuit.';

export function checkBandwidthChange(circuit: Circuit, mbps: number): BandwidthCheck {
  const from = circuit.bandwidthMbps;
  const upgrades = allowedUpgrades(circuit);
  const offered = upgrades.length > 0 ? upgrades.map(formatBandwidth).join(', ') : 'none: it is already at the top step';
  if (mbps === from) {
    return {
      ok: false,
      kind: 'same',
      reason: `${circuit.name} is already provisioned at ${formatBandwidth(from)}.`,
      alternative: `Pick a larger bandwidth. Allowed upgrades: ${offered}.`,
    };
  }
  if (mbps < from) {
    return {
      ok: false,
      kind: 'decrease',
      reason: `ExpressRoute can't lower a circuit's bandwidth in place (${formatBandwidth(from)} → ${formatBandwidth(mbps)}).`,
      alternative: DECREASE_ALTERNATIVE,
    };
  }
  if (!upgrades.includes(mbps)) {
    const model = circuit.direct ? `an ExpressRoute Direct circuit on a ${directPortGbps(circuit)} Gbps port` : 'a provider circuit';
    return {
      ok: false,
      kind: 'not-offered',
      reason: `${formatBandwidth(mbps)} isn't a bandwidth offered for ${model}.`,
      alternative: `Allowed upgrades for ${circuit.name}: ${offered}.`,
    };
  }
  return { ok: true, fromMbps: from, toMbps: mbps };
}

/**
 * ExpressRoute Direct: the circuits on a port pair may together subscribe twice the port's bandwidth (20 Gbps
 * on a pair of 10G ports, 200 Gbps on a pair of 100G ports), since each circuit runs over both ports.
 */
export const DIRECT_PORT_PAIR_FACTOR = 2;

/** How much of a port pair its circuits subscribe, in Gbps. */
export interface PortPairUsage {
  capacityGbps: number;
  subscribedGbps: number;
  leftGbps: number;
}

export function portPairUsage(portGbps: number, subscribedGbps: number): PortPairUsage {
  const capacityGbps = portGbps * DIRECT_PORT_PAIR_FACTOR;
  return { capacityGbps, subscribedGbps, leftGbps: Math.max(0, capacityGbps - subscribedGbps) };
}

/** "port pair: 10 of 200 Gbps subscribed, 190 left". */
export function portPairText(u: PortPairUsage): string {
  return `port pair: ${u.subscribedGbps} of ${u.capacityGbps} Gbps subscribed, ${u.leftGbps} left`;
}

/** A Direct circuit's port pair usage as ARM reports it on the port (provisionedBandwidthInGbps), when read. */
export function knownPortPairUsage(circuit: Circuit): PortPairUsage | undefined {
  const d = circuit.direct;
  if (d?.portBandwidthInGbps === undefined || d.portSubscribedGbps === undefined) return undefined;
  return portPairUsage(d.portBandwidthInGbps, d.portSubscribedGbps);
}

/** One circuit on a port pair and its bandwidth, as the capacity check sees it. */
export interface PortPairCircuit {
  id: string;
  name: string;
  bandwidthInGbps: number;
}

export type PortCapacityCheck =
  { ok: true; before: PortPairUsage; after: PortPairUsage } | { ok: false; reason: string; alternative: string; before: PortPairUsage };

/**
 * Whether a Direct circuit raised to `toMbps` still fits its port pair, given the circuits on the pair the bot
 * can read (this one included or not: it is counted at its new bandwidth either way). The circuits it cannot read
 * (other subscriptions or tenants) are counted through the port's own sum, ARM's provisionedBandwidthInGbps
 * (`direct.portSubscribedGbps`): the larger of that and what the readable circuits add up to is what is used.
 */
export function checkPortCapacity(
  circuit: Circuit,
  portGbps: number,
  onPair: readonly PortPairCircuit[],
  toMbps: number,
): PortCapacityCheck {
  const fromGbps = circuit.bandwidthMbps / 1000;
  const seen = onPair.filter((c) => c.id.toLowerCase() !== circuit.id.toLowerCase());
  const seenGbps = seen.reduce((sum, c) => sum + c.bandwidthInGbps, 0);
  const reported = circuit.direct?.portSubscribedGbps;
  const unseenGbps = reported === undefined ? 0 : Math.max(0, reported - fromGbps - seenGbps);
  const others = unseenGbps > 0 ? [...seen, { name: 'circuits the bot cannot read', bandwidthInGbps: unseenGbps }] : seen;
  const othersGbps = seenGbps + unseenGbps;
  const toGbps = toMbps / 1000;
  const before = portPairUsage(portGbps, othersGbps + fromGbps);
  const after = portPairUsage(portGbps, othersGbps + toGbps);
  if (after.subscribedGbps <= after.capacityGbps) return { ok: true, before, after };
  const users = [...others, { name: circuit.name, bandwidthInGbps: fromGbps }]
    .sort((a, b) => b.bandwidthInGbps - a.bandwidthInGbps)
    .map((c) => `${c.name} ${c.bandwidthInGbps} Gbps`)
    .join(', ');
  const fits = bandwidthSteps(circuit).filter((mbps) => mbps > circuit.bandwidthMbps && mbps / 1000 - fromGbps <= before.leftGbps);
  return {
    ok: false,
    before,
    reason:
      `${formatBandwidth(toMbps)} does not fit the ExpressRoute Direct port pair of ${circuit.name}: ${portPairText(before)} ` +
      `(${users}); raising ${circuit.name} by ${toGbps - fromGbps} Gbps needs more than the ${before.leftGbps} Gbps left.`,
    alternative:
      `${fits.length > 0 ? `Pick a bandwidth that fits (${fits.map(formatBandwidth).join(', ')}), or make room: ` : 'Make room: '}` +
      'a bandwidth cannot be lowered in place, so move a circuit to another port pair (a new circuit there, then delete the old one), or put this one on a port pair with room.',
  };
}
