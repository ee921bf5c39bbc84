import type { Circuit } from '../../../network/types';
import type { KindContext, Refusal, VnetLink } from '../../change-kind';
import { failureText, readLinks } from '../shared/cross-reads';
import { geopoliticalRegionOfAzureRegion, geopoliticalRegionOfPeeringLocation } from './geopolitical-region';
import { azureRegionKey, localRegionsOfPeeringLocation } from './local-regions';

/** VNet links and Global Reach connections together: Standard's limit counts both (ExpressRoute FAQ). */
export const STANDARD_LINK_LIMIT = 10;
/** How many names a refusal lists before "and N more". */
const NAMES_SHOWN = 30;

/** What gathering found of the links; `linksError` when they could not be read (the change is then refused). */
export interface LinkFacts {
  vnetLinks?: VnetLink[];
  linksError?: string;
}

/** Reads the circuit's VNet links; a failure is kept as a fact, so the rule refuses instead of passing unread. */
export async function gatherLinks(ctx: KindContext, circuit: Circuit): Promise<LinkFacts> {
  const read = await readLinks(ctx, circuit);
  return read.ok ? { vnetLinks: read.links } : { linksError: read.why };
}

function names(list: readonly string[]): string {
  const shown = list.slice(0, NAMES_SHOWN);
  return list.length > shown.length ? `${shown.join(', ')} and ${list.length - shown.length} more` : shown.join(', ');
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The Global Reach connections on the private peering, both those made from this circuit and those made to it. */
function globalReachOf(circuit: Circuit): string[] {
  return circuit.peerings.filter((p) => p.kind === 'private').flatMap((p) => p.connections);
}

/** The peering location the circuit's geopolitical region is taken from: the provider's, or the Direct port's. */
function peeringLocationOf(circuit: Circuit): string | undefined {
  return circuit.provider?.peeringLocation || circuit.direct?.portPeeringLocation || undefined;
}

function limitRefusal(circuit: Circuit, tier: string, vnets: readonly VnetLink[]): Refusal | undefined {
  const reach = globalReachOf(circuit);
  const total = vnets.length + reach.length;
  if (total <= STANDARD_LINK_LIMIT) return undefined;
  const over = total - STANDARD_LINK_LIMIT;
  const vnetNames = vnets.map((l) => l.name);
  if (reach.length === 0) {
    return {
      reason: `${circuit.name} links ${total} VNets; ${tier} allows at most ${STANDARD_LINK_LIMIT}.`,
      alternative: `Unlink ${over} of the ${total} VNets first (${names(vnetNames)}), or keep Premium.`,
    };
  }
  return {
    reason:
      `${circuit.name} has ${total} links: ${count(vnets.length, 'VNet connection')} and ${count(reach.length, 'Global Reach connection')}, ` +
      `which count against the same limit; ${tier} allows at most ${STANDARD_LINK_LIMIT}.`,
    alternative:
      `Unlink ${over} of the ${total} first (${vnetNames.length > 0 ? `VNet connections ${names(vnetNames)}; ` : ''}` +
      `Global Reach connections ${names(reach)}), or keep Premium.`,
  };
}

function regionRefusal(circuit: Circuit, tier: string, vnets: readonly VnetLink[]): Refusal | undefined {
  if (vnets.length === 0) return undefined;
  const where = peeringLocationOf(circuit);
  const rule = `${tier} allows VNet links only in the geopolitical region of the circuit's peering location`;
  if (!where) {
    return {
      reason: `I can't tell the peering location of ${circuit.name}, so I can't check its VNet links: ${rule}.`,
      alternative: 'Keep Premium for now; ask again once the circuit (or its ExpressRoute Direct port) shows its peering location.',
    };
  }
  const home = geopoliticalRegionOfPeeringLocation(where);
  if (!home) {
    return {
      reason: `I can't tell the geopolitical region of peering location ${where}, so I can't check the VNet links of ${circuit.name}: ${rule}.`,
      alternative: `Keep Premium, and tell the bot's maintainers that ${where} is missing from its table of ExpressRoute locations.`,
    };
  }
  const unknown = vnets.filter((l) => !geopoliticalRegionOfAzureRegion(l.region));
  if (unknown.length > 0) {
    const shown = unknown.map((l) => (l.region ? `${l.name} (in ${l.region})` : `${l.name} (region unknown: Resource Graph can't see it)`));
    return {
      reason: `I can't tell the geopolitical region of ${names(shown)}; ${rule} (${where}, ${home}).`,
      alternative: 'Check that the customer lists every subscription those connections live in, or unlink them first, or keep Premium.',
    };
  }
  const crossing = vnets.filter((l) => geopoliticalRegionOfAzureRegion(l.region) !== home);
  if (crossing.length === 0) return undefined;
  return {
    reason:
      `${circuit.name}'s peering location ${where} is in ${home}, and ${tier} allows VNet links in ${home} only; ` +
      `${count(crossing.length, 'link is', 'links are')} elsewhere: ${names(crossing.map((l) => `${l.name} (${l.region}, ${geopoliticalRegionOfAzureRegion(l.region) ?? ''})`))}.`,
    alternative: `Unlink ${crossing.length === 1 ? 'it' : 'them'} first (or reach those VNets through a VNet in ${home}), or keep Premium.`,
  };
}

function unreadRefusal(circuit: Circuit, from: string, tier: string, facts: LinkFacts | undefined): Refusal {
  const why = failureText(facts?.linksError ?? 'they were not read');
  return {
    reason: `I could not read the VNet links of ${circuit.name}: ${why}; try again.`,
    alternative: `${from} → ${tier} is only allowed once the links are known to fit ${tier}'s limits. Ask again in a minute, or keep ${from}.`,
  };
}

/** Premium → Standard: the links must be known, at most 10 with Global Reach, and all in the peering location's region. */
export function linkRefusal(circuit: Circuit, tier: string, facts: LinkFacts | undefined): Refusal | undefined {
  const vnets = facts?.vnetLinks;
  if (!vnets) return unreadRefusal(circuit, 'Premium', tier, facts);
  return limitRefusal(circuit, tier, vnets) ?? regionRefusal(circuit, tier, vnets);
}

/**
 * ExpressRoute Local's own rules (ExpressRoute FAQ, "What features are available and what aren't on ExpressRoute
 * Local?"): the same as Standard except that "Scope of access to Azure regions is limited to one or two Azure
 * regions in or near the same metro as the ExpressRoute peering location" and "ExpressRoute Global Reach isn't
 * available on Local"; "ExpressRoute Local also has the same limits on resources as Standard".
 */
function localRegionRefusal(circuit: Circuit, from: string, vnets: readonly VnetLink[]): Refusal | undefined {
  const where = peeringLocationOf(circuit);
  if (!where) {
    return {
      reason: `I can't tell the peering location of ${circuit.name}, so I can't tell which Azure regions ExpressRoute Local would reach from it.`,
      alternative: `Keep ${from} for now; ask again once the circuit (or its ExpressRoute Direct port) shows its peering location.`,
    };
  }
  const local = localRegionsOfPeeringLocation(where);
  if (local === undefined) {
    return {
      reason: `I can't tell which Azure regions ExpressRoute Local reaches from peering location ${where}, so I can't check ${circuit.name}'s VNet links against them.`,
      alternative: `Keep ${from}, and tell the bot's maintainers that ${where} is missing from its table of ExpressRoute Local regions.`,
    };
  }
  if (local.length === 0) {
    return {
      reason: `ExpressRoute Local isn't available at peering location ${where}: Microsoft lists no local Azure region for it.`,
      alternative: `Keep ${from}, or use a circuit at a peering location that offers Local.`,
    };
  }
  const reach = new Set(local.map(azureRegionKey));
  const outside = vnets.filter((l) => !l.region || !reach.has(azureRegionKey(l.region)));
  if (outside.length === 0) return undefined;
  const shown = outside.map((l) => (l.region ? `${l.name} (${l.region})` : `${l.name} (region unknown: Resource Graph can't see it)`));
  return {
    reason:
      `ExpressRoute Local at ${where} reaches ${local.join(' and ')} only; ` +
      `${count(outside.length, 'VNet link is', 'VNet links are')} elsewhere or in a region I can't see: ${names(shown)}.`,
    alternative: `Unlink ${outside.length === 1 ? 'it' : 'them'} first (or move the VNets to ${local.join(' or ')}), or keep ${from}.`,
  };
}

/** Standard or Premium → Local: no Global Reach, Local offered at the peering location, every VNet link in its local region(s). */
export function localRefusal(circuit: Circuit, from: string, facts: LinkFacts | undefined): Refusal | undefined {
  const reach = globalReachOf(circuit);
  if (reach.length > 0) {
    return {
      reason: `${circuit.name} has ${count(reach.length, 'Global Reach connection')} (${names(reach)}), and ExpressRoute Global Reach isn't available on Local.`,
      alternative: `Remove the Global Reach connections first, or keep ${from}.`,
    };
  }
  const vnets = facts?.vnetLinks;
  if (!vnets) return unreadRefusal(circuit, from, 'Local', facts);
  return (same(from, 'Premium') ? limitRefusal(circuit, 'Local', vnets) : undefined) ?? localRegionRefusal(circuit, from, vnets);
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
