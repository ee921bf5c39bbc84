import { armIdName } from '../../../network/arm-id';
import type { Circuit } from '../../../network/types';
import type { KindContext, PortCircuit, Refusal } from '../../change-kind';
import { nearestFreeVlan, portVlanClash } from '../../validators/vlan';
import { failureText } from './cross-reads';

/**
 * The circuits on a Direct circuit's port pair that Resource Graph shows, or why they could not be read.
 * `unseen`: the circuits the port itself lists (ARM's circuits[]) that Resource Graph did not show, because they
 * sit in subscriptions or tenants outside the customer's; undefined when the port's own list was not read.
 */
export type PortPairRead = { ok: true; circuits: PortCircuit[]; unseen?: string[] } | { ok: false; why: string };

const key = (id: string) => id.toLowerCase();

/** Every circuit on the port pair of a Direct circuit, across the customer's subscriptions (Resource Graph). */
export async function readPortPair(ctx: KindContext, circuit: Circuit): Promise<PortPairRead> {
  const direct = circuit.direct;
  if (!direct) return { ok: false, why: `${circuit.name} is not on an ExpressRoute Direct port` };
  if (!ctx.ports) return { ok: false, why: 'the bot has no reader for ExpressRoute Direct ports' };
  let circuits: PortCircuit[];
  try {
    circuits = await ctx.ports.listPortCircuits(ctx.scope, ctx.subscriptions, direct.portId);
  } catch (e) {
    return { ok: false, why: failureText(e) };
  }
  if (!direct.portCircuitIds) return { ok: true, circuits };
  const seen = new Set([key(circuit.id), ...circuits.map((c) => key(c.id))]);
  return { ok: true, circuits, unseen: direct.portCircuitIds.filter((id) => !seen.has(key(id))) };
}

/**
 * Fail closed: a rule of the port pair that cannot be checked is a refusal, because what it guards against (a
 * duplicate C-Tag, an oversubscribed pair) hits every circuit on the pair, not only this one.
 */
export function portUnreadRefusal(circuit: Circuit, why: string, risk: string): Refusal {
  const port = circuit.direct ? armIdName(circuit.direct.portId) : 'its port';
  return {
    reason: `The circuits on ${circuit.name}'s ExpressRoute Direct port pair ${port} could not be read (${why}). ${risk}`,
    alternative:
      'Try again in a few minutes. If it keeps failing, check that the bot can read every subscription of the customer: circuits on a port pair can sit in any of them.',
  };
}

/** Circuits the port lists but the bot cannot read: a refusal naming them and how to go on. */
function unseenRefusal(circuit: Circuit, unseen: readonly string[], risk: string, agree: string): Refusal {
  const port = circuit.direct ? armIdName(circuit.direct.portId) : 'its port';
  const n = unseen.length;
  const shown = unseen.slice(0, 10).map(armIdName).join(', ') + (n > 10 ? ` and ${n - 10} more` : '');
  return {
    reason:
      `${n} ${n === 1 ? 'circuit' : 'circuits'} on ${circuit.name}'s ExpressRoute Direct port pair ${port} ` +
      `${n === 1 ? 'is' : 'are'} outside what the bot can read (in a subscription or tenant not linked to this customer): ${shown}. ${risk}`,
    alternative:
      'Link the subscriptions those circuits live in to the customer (or have an admin grant the bot read on them), then ask again. ' +
      `If they belong to another tenant, ${agree} with the port's owner and make the change in the Azure portal.`,
  };
}

/** The port's encapsulation, as ARM spells it, when read. */
function encapsulationOf(circuit: Circuit): 'Dot1Q' | 'QinQ' | undefined {
  const e = circuit.direct?.portEncapsulation?.toLowerCase();
  return e === 'dot1q' ? 'Dot1Q' : e === 'qinq' ? 'QinQ' : undefined;
}

/**
 * Whether a VLAN (C-Tag) must be unique on the whole port pair. "About ExpressRoute Direct", VLAN Tagging:
 * "QinQ VLAN Tagging allows for isolated routing domains on a per ExpressRoute circuit basis. Azure dynamically
 * gives an S-Tag at circuit creation [...] The C-Tag isn't required to be unique across circuits on the
 * ExpressRoute Direct ports." "Dot1Q VLAN Tagging [...] A C-Tag used on a peering must be unique across all
 * circuits and peerings on the ExpressRoute Direct port pair." An unknown encapsulation takes the stricter rule.
 */
export function vlanUniqueOnPair(circuit: Circuit): boolean {
  return circuit.direct !== undefined && encapsulationOf(circuit) !== 'QinQ';
}

/** A VLAN on a Dot1Q (or unknown) port pair: refused when the pair is not fully known or another circuit uses it. */
export function pairVlanRefusal(circuit: Circuit, vlan: number, read: PortPairRead): Refusal | undefined {
  const risk =
    `VLAN ${vlan} must be unique on the whole port pair${encapsulationOf(circuit) ? '' : ' (its encapsulation is unknown, so Dot1Q is assumed)'}, ` +
    'and a C-Tag used twice takes both circuits down, so it is not changed unchecked.';
  if (!read.ok) return portUnreadRefusal(circuit, read.why, risk);
  if (!read.unseen) return portUnreadRefusal(circuit, 'the port did not list its circuits', risk);
  if (read.unseen.length > 0) return unseenRefusal(circuit, read.unseen, risk, 'agree a free VLAN');
  const clash = portVlanClash(read.circuits, circuit.id, vlan);
  if (!clash) return undefined;
  const used = new Set([...read.circuits.flatMap((c) => c.vlans.map((v) => v.vlanId)), ...circuit.peerings.flatMap((p) => p.vlanId ?? [])]);
  const free = nearestFreeVlan(used, vlan);
  const sorted = [...used].sort((a, b) => a - b);
  const shown = `${sorted.slice(0, 20).join(', ')}${sorted.length > 20 ? ` and ${sorted.length - 20} more` : ''}`;
  return {
    reason:
      `VLAN ${vlan} is already used by ${clash.peering} of ${clash.circuit} on the same ExpressRoute Direct port pair; ` +
      'on a Dot1Q port a VLAN (C-Tag) must be unique across every circuit and peering on the pair, and a duplicate takes both circuits down.',
    alternative: `Pick a VLAN no circuit on the port pair uses${free === undefined ? '' : `, e.g. ${free}`}. ` + `In use there: ${shown}.`,
  };
}

/**
 * What the capacity rule cannot know: the port's own sum (provisionedBandwidthInGbps) covers circuits the bot
 * cannot read; without it, the circuits Resource Graph shows must be all the port lists.
 */
export function capacityUnknownRefusal(circuit: Circuit, read: PortPairRead & { ok: true }, risk: string): Refusal | undefined {
  if (circuit.direct?.portSubscribedGbps !== undefined) return undefined;
  if (!read.unseen) return portUnreadRefusal(circuit, 'the port said neither what its circuits subscribe nor which they are', risk);
  return read.unseen.length > 0 ? unseenRefusal(circuit, read.unseen, risk, "check the pair's free capacity") : undefined;
}
