import type { Circuit } from '../../../network/types';
import type { KindContext, KindCustomer, Refusal, VnetLink } from '../../change-kind';
import { addressSpaceClash } from '../../validators/vnet-overlap';
import { readLinks } from './cross-reads';
import type { PeeringChange } from './peering-fields';
import { pairVlanRefusal, type PortPairRead, readPortPair, vlanUniqueOnPair } from './port-pair';

/**
 * The peering rules that need more than the circuit: link subnets against the VNets linked to the circuit,
 * and on ExpressRoute Direct with Dot1Q, a VLAN against every circuit on the port pair. Both fail closed: what
 * could not be read is a refusal, as the simulator (and Azure) would refuse the write.
 */
export interface PeeringFacts {
  /** The VNets linked to the circuit, read when the link subnets change (private peering). */
  links?: readonly VnetLink[];
  /** Why the links could not be read: the change is refused. */
  linksUnread?: string;
  /** Direct circuits on a Dot1Q (or unknown) port, when the VLAN changes: the circuits on the pair, or why not read. */
  port?: PortPairRead;
  /** The customer, for its posture rules (see separationRefusal). */
  customer?: KindCustomer;
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
  const facts: PeeringFacts = ctx.customer ? { customer: ctx.customer } : {};
  if (options.links && subnetsChange(change)) {
    const read = await readLinks(ctx, circuit);
    if (read.ok) facts.links = read.links;
    else facts.linksUnread = read.why;
  }
  if (vlanUniqueOnPair(circuit) && vlanChanges(change)) facts.port = await readPortPair(ctx, circuit);
  return facts;
}

/** Links whose VNet the bot cannot see: a refusal naming the connections, and how to make them visible. */
function unseenVnetsRefusal(circuit: Circuit, unseen: readonly VnetLink[]): Refusal {
  const hubs = unseen.filter((l) => l.hub);
  if (hubs.length > 0) {
    const shown = hubs.map((l) => `${l.name} (Virtual WAN hub gateway ${l.hub?.gatewayName ?? '?'})`).join(', ');
    return {
      reason:
        `The link subnets can't be checked against the VNets behind ${shown}, linked to ${circuit.name}: ` +
        "the bot does not read a Virtual WAN hub's VNets, and a subnet inside a linked VNet's address space conflicts with it.",
      alternative:
        "Check the subnets against the hub's address space and every VNet connected to the hub, then make the change in the Azure portal.",
    };
  }
  const subscriptions = [...new Set(unseen.flatMap((l) => l.subscriptionId ?? []))];
  return {
    reason:
      `I can't see the VNet behind ${unseen.map((l) => l.name).join(', ')}, linked to ${circuit.name}, so I can't check the link subnets ` +
      "against its address space; a subnet inside a linked VNet's address space conflicts with it.",
    alternative:
      `Ask an admin to grant the bot read on ${subscriptions.length > 0 ? `subscription ${subscriptions.join(', ')}` : 'the subscription of that connection'}` +
      ' (or link it to the customer), then ask again.',
  };
}

/** A refusal from the facts: the VLAN taken on the port pair (or the pair unread), or a subnet inside a linked VNet. */
export function peeringFactsRefusal(circuit: Circuit, change: PeeringChange, facts: PeeringFacts | undefined): Refusal | undefined {
  const vlan = change.to.vlanId;
  if (facts?.port && vlan !== undefined) {
    const refusal = pairVlanRefusal(circuit, vlan, facts.port);
    if (refusal) return refusal;
  }
  if (facts?.linksUnread !== undefined) {
    return {
      reason: `I could not read the VNets linked to ${circuit.name}: ${facts.linksUnread}; try again.`,
      alternative:
        "Link subnets are only changed once they are known to be outside every linked VNet's address space. Ask again in a minute.",
    };
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
  const unseen = links.filter((l) => !l.vnet);
  return unseen.length > 0 ? unseenVnetsRefusal(circuit, unseen) : undefined;
}
