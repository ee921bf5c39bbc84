import { type IpPrefix, isAligned, overlaps, parsePrefix } from '../../network/ip-prefix';

/** A peering's link subnets: /30 for IPv4 (one address each side, as ExpressRoute assigns them), /126 for IPv6. */
export const PEERING_PREFIX_LENGTH = { 4: 30, 6: 126 } as const;

export type SubnetsVerdict = { ok: true; primary: IpPrefix; secondary: IpPrefix } | { ok: false; reason: string };

/** One peer subnet: parses, is /30 or /126, and is network-aligned. */
export function checkPeeringSubnet(label: string, text: string): { ok: true; prefix: IpPrefix } | { ok: false; reason: string } {
  const parsed = parsePrefix(text);
  if (!parsed.ok) return { ok: false, reason: `${label}: ${parsed.reason}.` };
  const c = parsed.prefix;
  const want = PEERING_PREFIX_LENGTH[c.version];
  if (c.prefixLength !== want) {
    return { ok: false, reason: `${label} ${text.slice(0, 50)} must be a /${want} (IPv${c.version}), not a /${c.prefixLength}.` };
  }
  if (!isAligned(c)) {
    return { ok: false, reason: `${label} ${text.slice(0, 50)} is not network-aligned; the /${want} that holds it starts at ${c.text}.` };
  }
  return { ok: true, prefix: c };
}

/** Primary and secondary: each valid, same family, distinct and non-overlapping. */
export function checkPeeringSubnets(primary: string, secondary: string): SubnetsVerdict {
  const p = checkPeeringSubnet('The primary subnet', primary);
  if (!p.ok) return p;
  const s = checkPeeringSubnet('The secondary subnet', secondary);
  if (!s.ok) return s;
  if (p.prefix.version !== s.prefix.version)
    return { ok: false, reason: 'The primary and secondary subnets must both be IPv4 or both be IPv6.' };
  if (overlaps(p.prefix, s.prefix)) {
    return {
      ok: false,
      reason:
        p.prefix.text === s.prefix.text
          ? `The primary and secondary subnets are the same (${p.prefix.text}); each link needs its own.`
          : `The primary subnet ${p.prefix.text} and the secondary ${s.prefix.text} overlap.`,
    };
  }
  return { ok: true, primary: p.prefix, secondary: s.prefix };
}
