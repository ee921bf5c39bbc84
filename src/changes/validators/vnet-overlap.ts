import { overlaps, parsePrefix } from '../../network/ip-prefix';

/** A VNet linked to a circuit, by its connection, with its address space. */
export interface LinkedAddressSpace {
  connection: string;
  vnet: string;
  addressPrefixes: readonly string[];
}

export interface AddressSpaceClash {
  subnet: string;
  vnet: string;
  connection: string;
  prefix: string;
}

/**
 * A link subnet that overlaps the address space of a VNet linked to the circuit. The /30s (and /126s) are the
 * on-premises side of the BGP sessions; inside a linked VNet's space they would be routed into the VNet, and
 * the VNet's own addresses would be advertised back over the circuit.
 */
export function addressSpaceClash(subnets: readonly string[], linked: readonly LinkedAddressSpace[]): AddressSpaceClash | undefined {
  for (const subnet of subnets) {
    const mine = parsePrefix(subnet);
    if (!mine.ok) continue;
    for (const l of linked) {
      for (const prefix of l.addressPrefixes) {
        const theirs = parsePrefix(prefix);
        if (theirs.ok && overlaps(mine.prefix, theirs.prefix)) return { subnet, vnet: l.vnet, connection: l.connection, prefix };
      }
    }
  }
  return undefined;
}
