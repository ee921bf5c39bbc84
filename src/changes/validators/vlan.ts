/** 802.1Q VLAN ids an ExpressRoute peering may use: 0 and 4095 are reserved by the standard. */
export const VLAN_RANGE = { min: 1, max: 4094 } as const;

export function isValidVlan(vlan: number): boolean {
  return Number.isInteger(vlan) && vlan >= VLAN_RANGE.min && vlan <= VLAN_RANGE.max;
}

/** The peering already using the VLAN on this circuit (other than `except`), if any. */
export function vlanClash(peerings: ReadonlyArray<{ name: string; vlanId?: number }>, vlan: number, except: string): string | undefined {
  return peerings.find((p) => p.name.toLowerCase() !== except.toLowerCase() && p.vlanId === vlan)?.name;
}
