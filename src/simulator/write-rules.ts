import { AUTHORIZATION_WRITE_RULES } from './authorization-write-rules';
import { DIRECT_PORT_WRITE_RULES } from './direct-port-write-rules';
import { IPV6_PEERING_WRITE_RULES } from './ipv6-peering-write-rules';
import { LINKED_VNET_WRITE_RULES } from './linked-vnet-write-rules';
import { MACSEC_WRITE_RULES } from './macsec-write-rules';
import { parsePrefix } from './ip-prefix';
import { MICROSOFT_PEERING_WRITE_RULES } from './microsoft-peering-write-rules';
import { NETWORK_WRITE_RULES } from './network-write-rules';
import { NSG_WRITE_RULES } from './nsg-write-rules';
import { SKU_WRITE_RULES } from './sku-write-rules';
import type { Json } from './resource-store';
import { obj, props, reject, str, text, type WriteAttempt, type WriteRejection, type WriteRule } from './write-rule';

/**
 * ExpressRoute rules that ARM itself enforces on writes, so the bot's own checks are not the only line of
 * defence in tests. Each rule is a small function; add new ones to WRITE_RULES.
 */

const CIRCUITS = 'microsoft.network/expressroutecircuits';
const PEERINGS = 'microsoft.network/expressroutecircuits/peerings';
const ROUTE_FILTERS = 'microsoft.network/routefilters';
const ROUTE_FILTER_RULES = 'microsoft.network/routefilters/routefilterrules';

const PROVIDER_MBPS = [50, 100, 200, 500, 1000, 2000, 5000, 10000];
const DIRECT_GBPS = [1, 2, 5, 10, 40, 100];
const PRIVATE_ROUTE_LIMIT_STANDARD = 4000;

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

const bandwidthMbps = (b: Json | undefined) => num(obj(props(b).serviceProviderProperties).bandwidthInMbps);
const bandwidthGbps = (b: Json | undefined) => num(props(b).bandwidthInGbps);
const skuOf = (b: Json | undefined) => obj(b?.sku);

const circuitBandwidthNoDecrease: WriteRule = (a) => {
  if (a.type !== CIRCUITS || !a.existing || !a.proposed) return undefined;
  const [oldMbps, newMbps] = [bandwidthMbps(a.existing), bandwidthMbps(a.proposed)];
  if (oldMbps !== undefined && newMbps !== undefined && newMbps < oldMbps) {
    return reject(
      'CircuitBandwidthDecreaseNotAllowed',
      `Bandwidth of ExpressRoute circuit '${a.name}' cannot be decreased from ${oldMbps} Mbps to ${newMbps} Mbps. ` +
        'To lower it, create a new circuit with the lower bandwidth, move the connections, then delete this one.',
    );
  }
  const [oldGbps, newGbps] = [bandwidthGbps(a.existing), bandwidthGbps(a.proposed)];
  if (oldGbps !== undefined && newGbps !== undefined && newGbps < oldGbps) {
    return reject(
      'CircuitBandwidthDecreaseNotAllowed',
      `Bandwidth of ExpressRoute circuit '${a.name}' cannot be decreased from ${oldGbps} Gbps to ${newGbps} Gbps.`,
    );
  }
  return undefined;
};

const circuitBandwidthOffered: WriteRule = (a) => {
  if (a.type !== CIRCUITS || !a.proposed) return undefined;
  const mbps = bandwidthMbps(a.proposed);
  if (mbps !== undefined && mbps !== bandwidthMbps(a.existing) && !PROVIDER_MBPS.includes(mbps)) {
    return reject(
      'InvalidCircuitBandwidth',
      `Bandwidth ${mbps} Mbps is not offered for ExpressRoute circuits. Valid values: ${PROVIDER_MBPS.join(', ')} Mbps.`,
    );
  }
  const gbps = bandwidthGbps(a.proposed);
  if (gbps === undefined || gbps === bandwidthGbps(a.existing)) return undefined;
  if (!DIRECT_GBPS.includes(gbps)) {
    return reject('InvalidCircuitBandwidth', `Bandwidth ${gbps} Gbps is not offered on ExpressRoute Direct ports.`);
  }
  const portId = str(obj(props(a.proposed).expressRoutePort).id);
  const portGbps = portId ? num(props(a.store.get(portId)).bandwidthInGbps) : undefined;
  if (portGbps !== undefined && gbps > portGbps) {
    return reject(
      'CircuitBandwidthExceedsPortBandwidth',
      `Circuit bandwidth ${gbps} Gbps exceeds the ${portGbps} Gbps of ExpressRoute port '${portId}'.`,
    );
  }
  return undefined;
};

const skuFamilyNoDowngrade: WriteRule = (a) => {
  if (a.type !== CIRCUITS || !a.existing || !a.proposed) return undefined;
  const [from, to] = [str(skuOf(a.existing).family), str(skuOf(a.proposed).family)];
  if (from?.toLowerCase() === 'unlimiteddata' && to?.toLowerCase() === 'metereddata') {
    return reject(
      'CircuitSkuFamilyDowngradeNotAllowed',
      `The SKU family of ExpressRoute circuit '${a.name}' cannot be changed from UnlimitedData to MeteredData. ` +
        'Create a new MeteredData circuit instead.',
    );
  }
  return undefined;
};

const localNeedsUnlimited: WriteRule = (a) => {
  if (a.type !== CIRCUITS || !a.proposed) return undefined;
  const sku = skuOf(a.proposed);
  if (str(sku.tier)?.toLowerCase() === 'local' && str(sku.family)?.toLowerCase() !== 'unlimiteddata') {
    return reject('LocalSkuRequiresUnlimitedData', 'ExpressRoute Local circuits are available with UnlimitedData only.');
  }
  return undefined;
};

/** Premium → Standard is refused when the private peering carries more routes than Standard allows. */
const premiumDowngradeWithinLimits: WriteRule = (a) => {
  if (a.type !== CIRCUITS || !a.existing || !a.proposed) return undefined;
  const [from, to] = [str(skuOf(a.existing).tier), str(skuOf(a.proposed).tier)];
  if (from?.toLowerCase() !== 'premium' || to?.toLowerCase() !== 'standard') return undefined;
  let most = 0;
  for (const path of ['primary', 'secondary']) {
    const summary = a.store.body(`${a.id}/peerings/AzurePrivatePeering/routeTablesSummary/${path}`);
    for (const row of Array.isArray(summary?.value) ? summary.value : []) {
      const n = Number.parseInt(text(obj(row).statePfxRcd), 10);
      if (Number.isFinite(n)) most = Math.max(most, n);
    }
  }
  if (most >= PRIVATE_ROUTE_LIMIT_STANDARD) {
    return reject(
      'CircuitSkuDowngradeNotAllowed',
      `Circuit '${a.name}' cannot move from Premium to Standard: its private peering has ${most} routes, ` +
        `and Standard allows fewer than ${PRIVATE_ROUTE_LIMIT_STANDARD}.`,
    );
  }
  return undefined;
};

const peeringNeedsProvisionedCircuit: WriteRule = (a) => {
  // Create, update and delete alike: Network RP refuses peering changes until the provider has provisioned.
  if (a.type !== PEERINGS) return undefined;
  const state = str(props(a.parent).serviceProviderProvisioningState);
  if (state !== undefined && state !== 'Provisioned') {
    return reject(
      'ExpressRouteCircuitNotProvisioned',
      `Peering '${a.name}' cannot be configured: the circuit's service provider provisioning state is '${state}', not 'Provisioned'.`,
    );
  }
  return undefined;
};

/** An IPv4 /30 or IPv6 /126, checked as written: padding is refused here although other rules trim it. */
function isLinkSubnet(text: string): boolean {
  const prefix = parsePrefix(text);
  return text === text.trim() && prefix !== undefined && prefix.length === (prefix.address.kind() === 'ipv4' ? 30 : 126);
}

const peeringValues: WriteRule = (a) => {
  if (a.type !== PEERINGS || a.method === 'DELETE' || !a.proposed) return undefined;
  const p = props(a.proposed);
  if (!a.existing && a.name.toLowerCase() === 'azurepublicpeering') {
    return reject('AzurePublicPeeringNotSupported', 'Azure public peering cannot be created on new circuits.');
  }
  const vlan = num(p.vlanId);
  if (vlan !== undefined && (vlan < 1 || vlan > 4094 || !Number.isInteger(vlan))) {
    return reject('InvalidVlanId', `VLAN ID ${vlan} is invalid; use 1-4094.`);
  }
  if (vlan !== undefined) {
    const clash = (Array.isArray(props(a.parent).peerings) ? (props(a.parent).peerings as unknown[]) : [])
      .map(obj)
      .find((s) => str(s.name)?.toLowerCase() !== a.name.toLowerCase() && num(props(s).vlanId) === vlan);
    if (clash) return reject('VlanIdAlreadyInUse', `VLAN ID ${vlan} is already used by peering '${str(clash.name)}'.`);
  }
  const asn = num(p.peerASN);
  if (asn !== undefined && (asn < 1 || asn > 4294967295 || (asn >= 65515 && asn <= 65520))) {
    return reject('InvalidPeerAsn', `Peer ASN ${asn} is invalid: use 1-4294967295, excluding 65515-65520 (reserved by Azure).`);
  }
  const key = str(p.sharedKey);
  if (key !== undefined && key.length > 25) {
    return reject('InvalidSharedKey', 'The MD5 shared key must be at most 25 characters.');
  }
  const primary = str(p.primaryPeerAddressPrefix);
  const secondary = str(p.secondaryPeerAddressPrefix);
  for (const prefix of [primary, secondary]) {
    if (prefix !== undefined && !isLinkSubnet(prefix)) {
      return reject('InvalidPeeringSubnet', `Peer address prefix '${prefix}' must be a /30 (IPv4) or /126 (IPv6).`);
    }
  }
  if (primary !== undefined && primary === secondary) {
    return reject('InvalidPeeringSubnet', 'Primary and secondary peer address prefixes must be different subnets.');
  }
  return undefined;
};

function checkRouteFilterRule(rule: Json, name: string): WriteRejection | undefined {
  const p = props(rule);
  if (str(p.access) !== undefined && str(p.access) !== 'Allow') {
    return reject('InvalidRouteFilterRuleAccess', `Route filter rule '${name}' must have access 'Allow'.`);
  }
  const communities: unknown[] = Array.isArray(p.communities) ? p.communities : [];
  const bad = communities.find((c) => typeof c !== 'string' || !/^12076:5\d{3,4}$/.test(c));
  if (bad !== undefined) {
    return reject(
      'InvalidBgpCommunity',
      `BGP community '${bad === null ? 'null' : text(bad)}' is not a Microsoft service or regional community (12076:5NNN or 12076:5NNNN).`,
    );
  }
  return undefined;
}

const routeFilterShape: WriteRule = (a) => {
  if (a.method === 'DELETE' || !a.proposed) return undefined;
  if (a.type === ROUTE_FILTER_RULES) {
    const others = (Array.isArray(props(a.parent).rules) ? (props(a.parent).rules as unknown[]) : [])
      .map(obj)
      .filter((r) => str(r.name)?.toLowerCase() !== a.name.toLowerCase());
    if (others.length > 0) {
      return reject('RouteFilterRuleLimitExceeded', 'A route filter can have only one rule.');
    }
    return checkRouteFilterRule(a.proposed, a.name);
  }
  if (a.type !== ROUTE_FILTERS) return undefined;
  const rules = Array.isArray(props(a.proposed).rules) ? (props(a.proposed).rules as unknown[]).map(obj) : [];
  if (rules.length > 1) return reject('RouteFilterRuleLimitExceeded', 'A route filter can have only one rule.');
  for (const r of rules) {
    const bad = checkRouteFilterRule(r, str(r.name) ?? '');
    if (bad) return bad;
  }
  return undefined;
};

export const WRITE_RULES: readonly WriteRule[] = [
  circuitBandwidthNoDecrease,
  circuitBandwidthOffered,
  skuFamilyNoDowngrade,
  localNeedsUnlimited,
  premiumDowngradeWithinLimits,
  ...SKU_WRITE_RULES,
  peeringNeedsProvisionedCircuit,
  peeringValues,
  routeFilterShape,
  ...NETWORK_WRITE_RULES,
  ...AUTHORIZATION_WRITE_RULES,
  ...MICROSOFT_PEERING_WRITE_RULES,
  ...IPV6_PEERING_WRITE_RULES,
  ...DIRECT_PORT_WRITE_RULES,
  ...LINKED_VNET_WRITE_RULES,
  ...NSG_WRITE_RULES,
  ...MACSEC_WRITE_RULES,
];

export function checkWriteRules(attempt: WriteAttempt, rules: readonly WriteRule[] = WRITE_RULES): WriteRejection | undefined {
  for (const rule of rules) {
    const rejection = rule(attempt);
    if (rejection) return rejection;
  }
  return undefined;
}
