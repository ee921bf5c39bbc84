/** 802.1Q VLAN ids an ExpressRoute peering may use: 0 and 4095 are reserved by the standard. */
export const VLAN_RANGE = { min: 1, max: 4094 } as const;

export function isValidVlan(vlan: number): boolean {
  return Number.isInteger(vlan) && vlan >= VLAN_RANGE.min && vlan <= VLAN_RANGE.max;
}

/** The peering already using the VLAN on this circuit (other than `except`), if any. */
export function vlanClash(peerings: ReadonlyArray<{ name: string; vlanId?: number }>, vlan: number, except: string): string | undefined {
  return peerings.find((p) => p.name.toLowerCase() !== except.toLowerCase() && p.vlanId === vlan)?.name;
}

/** A circuit on an ExpressRoute Direct port pair and the VLANs (C-Tags) its peerings use. */
export interface PortCircuitVlans {
  id: string;
  name: string;
  vlans: readonly { peering: string; vlanId: number }[];
}

/**
 * Another circuit on the same Direct port pair using this VLAN: a C-Tag is unique across every circuit and
 * peering of the pair, not only within a circuit, and a duplicate takes both circuits down.
 */
export function portVlanClash(
  circuits: readonly PortCircuitVlans[],
  circuitId: string,
  vlan: number,
): { circuit: string; peering: string } | undefined {
  for (const c of circuits) {
    if (c.id.toLowerCase() === circuitId.toLowerCase()) continue;
    const used = c.vlans.find((v) => v.vlanId === vlan);
    if (used) return { circuit: c.name, peering: used.peering };
  }
  return undefined;
}

/** The free VLAN nearest to `wanted` (above it first), or undefined when all 4,094 are taken. */
export function nearestFreeVlan(used: ReadonlySet<number>, wanted: number): number | undefined {
  for (let d = 1; d < VLAN_RANGE.max; d++) {
    for (const v of [wanted + d, wanted - d]) if (isValidVlan(v) && !used.has(v)) return v;
  }
  return undefined;
}
