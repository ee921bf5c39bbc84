import type { Circuit } from '../../../network/types';
import type { KindContext, Refusal, VnetLink } from '../../change-kind';
import { nearestFreeVlan, portVlanClash } from '../../validators/vlan';
import { addressSpaceClash } from '../../validators/vnet-overlap';
import type { PeeringChange } from './peering-fields';
import { failureText, type PortPairRead, portUnreadRefusal, readPortPair } from './port-pair';

/**
 * The peering rules that need more than the circuit: link subnets against the VNets linked to the circuit,
 * and on ExpressRoute Direct, a VLAN against every circuit on the port pair.
 */
export interface PeeringFacts {
  /** The VNets linked to the circuit, read when the link subnets change (private peering). */
  links?: readonly VnetLink[];
  /** Why the links could not be read: the overlap check did not run, and the request says so. */
  linksUnread?: string;
  /** Direct circuits, when the VLAN changes: the circuits on the port pair, or why they could not be read. */
  port?: PortPairRead;
}

const subnetsOf = (c: PeeringChange) => [c.to.primaryPeerAddressPrefix, c.to.secondaryPeerAddressPrefix].filter((s): s is string => !!s);
const subnetsChange = (c: PeeringChange) =>
  c.to.primaryPeerAddressPrefix !== c.now.primaryPeerAddressPrefix || c.to.secondaryPeerAddressPrefix !== c.now.secondaryPeerAddressPrefix;
const vlanChanges = (c: PeeringChange) => c.to.vlanId !== undefined && (c.peering === undefined || c.to.vlanId !== c.now.vlanId);

/** Reads only what the change needs: links when its subnets change (if asked for), the port pair when its VLAN does. */
export async function gatherPeeringFacts(
  ctx: KindContext,
  circuit: Circuit,
  change: PeeringChange,
  options: { links: boolean },
): Promise<PeeringFacts> {
  const facts: PeeringFacts = {};
  if (options.links && subnetsChange(change)) {
    if (!ctx.links) facts.linksUnread = 'the bot has no reader for VNet links';
    else {
      try {
        facts.links = await ctx.links.listVnetLinks(ctx.scope, ctx.subscriptions, circuit);
      } catch (e) {
        facts.linksUnread = failureText(e);
      }
    }
  }
  if (circuit.direct && vlanChanges(change)) facts.port = await readPortPair(ctx, circuit.direct.portId);
  return facts;
}

/** A refusal from the facts: the VLAN taken on the port pair (or the pair unread), or a subnet inside a linked VNet. */
export function peeringFactsRefusal(circuit: Circuit, change: PeeringChange, facts: PeeringFacts | undefined): Refusal | undefined {
  const vlan = change.to.vlanId;
  if (facts?.port && vlan !== undefined) {
    if (!facts.port.ok) {
      return portUnreadRefusal(
        circuit,
        facts.port.why,
        `VLAN ${vlan} must be unique on the whole port pair, and a C-Tag used twice takes both circuits down, so it is not changed unchecked.`,
      );
    }
    const clash = portVlanClash(facts.port.circuits, circuit.id, vlan);
    if (clash) {
      const used = new Set([
        ...facts.port.circuits.flatMap((c) => c.vlans.map((v) => v.vlanId)),
        ...circuit.peerings.flatMap((p) => p.vlanId ?? []),
      ]);
      const free = nearestFreeVlan(used, vlan);
      const sorted = [...used].sort((a, b) => a - b);
      const shown = `${sorted.slice(0, 20).join(', ')}${sorted.length > 20 ? ` and ${sorted.length - 20} more` : ''}`;
      return {
        reason:
          `VLAN ${vlan} is already used by ${clash.peering} of ${clash.circuit} on the same ExpressRoute Direct port pair; ` +
          'a VLAN (C-Tag) must be unique across every circuit and peering on the pair, and a duplicate takes both circuits down.',
        alternative:
          `Pick a VLAN no circuit on the port pair uses${free === undefined ? '' : `, e.g. ${free}`}. ` + `In use there: ${shown}.`,
      };
    }
  }
  const links = facts?.links ?? [];
  const clash = addressSpaceClash(
    subnetsOf(change),
    links.flatMap((l) => (l.vnet ? [{ connection: l.name, vnet: l.vnet.name, addressPrefixes: l.vnet.addressPrefixes }] : [])),
  );
  if (clash) {
    return {
      reason:
        `The link subnet ${clash.subnet} overlaps ${clash.prefix} of VNet ${clash.vnet}, linked to ${circuit.name} by ${clash.connection}. ` +
        "Link subnets carry the BGP sessions between your routers and Microsoft's; inside a linked VNet's address space they conflict with it.",
      alternative: "Use link subnets outside every linked VNet's address space.",
    };
  }
  return undefined;
}

/** What the request must say when a check could not run, in full or for some links. */
export function peeringFactsNotes(circuit: Circuit, facts: PeeringFacts | undefined): string[] {
  const unseen = (facts?.links ?? []).filter((l) => !l.vnet).map((l) => l.name);
  const why = facts?.linksUnread ?? (unseen.length > 0 ? `the VNets behind ${unseen.join(', ')} are not visible to the bot` : undefined);
  if (why === undefined) return [];
  return [
    `Warning: the link subnets could not be checked against the VNets linked to ${circuit.name} (${why}). ` +
      "Make sure they do not overlap any linked VNet's address space before approving.",
  ];
}
