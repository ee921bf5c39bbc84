import { parsePrefix } from './ip-prefix';
import { obj, props, reject, str, type WriteRule } from './write-rule';

/**
 * A peering's IPv6 side (ipv6PeeringConfig, Ipv6ExpressRouteCircuitPeeringConfig in the REST spec) carries its
 * own link subnets: two IPv6 /126s, as "ExpressRoute routing requirements" sets them.
 */

const PEERINGS = 'microsoft.network/expressroutecircuits/peerings';

const ipv6LinkSubnets: WriteRule = (a) => {
  if (a.type !== PEERINGS || a.method === 'DELETE' || !a.proposed) return undefined;
  const v6 = obj(props(a.proposed).ipv6PeeringConfig);
  const [primary, secondary] = [str(v6.primaryPeerAddressPrefix), str(v6.secondaryPeerAddressPrefix)];
  for (const text of [primary, secondary]) {
    if (text === undefined) continue;
    const p = parsePrefix(text);
    if (p?.address.kind() !== 'ipv6' || p.length !== 126) {
      return reject('InvalidPeeringSubnet', `IPv6 peer address prefix '${text}' must be an IPv6 /126.`);
    }
  }
  // Equal or overlapping /126s: network-write-rules.ts refuses them for both families.
  return undefined;
};

export const IPV6_PEERING_WRITE_RULES: readonly WriteRule[] = [ipv6LinkSubnets];
