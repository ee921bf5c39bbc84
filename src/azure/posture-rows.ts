import type {
  ExpressRoutePort,
  NetworkInterface,
  NetworkSecurityGroup,
  SecurityRule,
  VirtualNetwork,
  VirtualNetworkGateway,
  VirtualNetworkGatewayConnection,
} from '@azure/arm-network';
import { z } from 'zod';
import { parentArmId, subscriptionOfArmId } from '../network/arm-id';
import type { GatewayFact, IpsecConnectionFact, NsgFact, PortFact, SecurityRuleFact, VnetFact } from '../network/posture-facts';
import { idIn, kqlString, resourcesQuery } from './arg-query';
import { flattenArm } from './arg-rows';

/**
 * Resource Graph rows of the networks behind circuits (VNets with their subnets, NSGs, gateways, IPsec
 * connections, Direct ports, NICs and VMs), mapped to the posture's domain facts. Every query projects the whole
 * `properties`: Resource Graph's KQL has no mv-expand worth relying on here, so the work is done client-side.
 */

export const POSTURE_TYPES = {
  vnet: 'microsoft.network/virtualnetworks',
  nsg: 'microsoft.network/networksecuritygroups',
  routeTable: 'microsoft.network/routetables',
  gateway: 'microsoft.network/virtualnetworkgateways',
  connection: 'microsoft.network/connections',
  port: 'microsoft.network/expressrouteports',
  nic: 'microsoft.network/networkinterfaces',
  vm: 'microsoft.compute/virtualmachines',
} as const;

const COLUMNS = 'id, name, type, location, subscriptionId, properties';
/** Ids (or VNets) per query: keeps each KQL text small. */
export const IDS_PER_QUERY = 100;

export const byIdsQuery = (type: string, ids: readonly string[]) => resourcesQuery(type, idIn(ids), COLUMNS);

/** The virtual network gateways with an IP configuration in one of these VNets (their GatewaySubnet). */
export const gatewaysInVnetsQuery = (vnetIds: readonly string[]) =>
  resourcesQuery(
    POSTURE_TYPES.gateway,
    `(${vnetIds.map((id) => `tostring(properties.ipConfigurations) contains ${kqlString(`${id}/subnets/`)}`).join(' or ')})`,
    COLUMNS,
  );

/** The site-to-site IPsec connections of the subscriptions (filtered to the gateways wanted client-side). */
export const ipsecConnectionsQuery = () =>
  resourcesQuery(POSTURE_TYPES.connection, "tostring(properties.connectionType) =~ 'IPsec'", COLUMNS);

/** NICs and VMs called `name` (ARM compares names case-insensitively), or with that id. */
export function interfacesQuery(nameOrId: string): string {
  const match = nameOrId.startsWith('/') ? `id =~ ${kqlString(nameOrId)}` : `name =~ ${kqlString(nameOrId)}`;
  return [
    'Resources',
    `| where type in~ (${kqlString(POSTURE_TYPES.nic)}, ${kqlString(POSTURE_TYPES.vm)}) and ${match}`,
    `| project ${COLUMNS}`,
    '| order by id asc',
  ].join('\n');
}

const Row = z.looseObject({ id: z.string().min(1), name: z.string(), type: z.string() });

/** The rows of one resource type as ARM SDK models (properties flattened); rows without an id or name are left out. */
export function modelsOf<T>(rows: readonly unknown[], type: string): T[] {
  return rows.flatMap((row) => {
    const parsed = Row.safeParse(row);
    return parsed.success && parsed.data.type.toLowerCase() === type ? [flattenArm(row) as T] : [];
  });
}

const listOf = (one: string | undefined, many: string[] | undefined): string[] => (many && many.length > 0 ? many : one ? [one] : []);

export function toVnetFact(v: VirtualNetwork): VnetFact | undefined {
  if (!v.id || !v.name) return undefined;
  return {
    id: v.id,
    name: v.name,
    subscriptionId: subscriptionOfArmId(v.id) ?? '',
    addressPrefixes: v.addressSpace?.addressPrefixes ?? [],
    subnets: (v.subnets ?? []).flatMap((s) =>
      s.id && s.name
        ? [
            {
              id: s.id,
              name: s.name,
              addressPrefixes: listOf(s.addressPrefix, s.addressPrefixes),
              ...(s.networkSecurityGroup?.id ? { nsgId: s.networkSecurityGroup.id } : {}),
              ...(s.routeTable?.id ? { routeTableId: s.routeTable.id } : {}),
            },
          ]
        : [],
    ),
    peerings: (v.virtualNetworkPeerings ?? []).flatMap((p) =>
      p.remoteVirtualNetwork?.id
        ? [
            {
              remoteVnetId: p.remoteVirtualNetwork.id,
              state: p.peeringState ?? 'Connected',
              useRemoteGateways: p.useRemoteGateways === true,
            },
          ]
        : [],
    ),
  };
}

function toRule(r: SecurityRule, isDefault: boolean): SecurityRuleFact | undefined {
  const direction = r.direction === 'Inbound' || r.direction === 'Outbound' ? r.direction : undefined;
  const access = r.access === 'Allow' || r.access === 'Deny' ? r.access : undefined;
  if (!r.name || typeof r.priority !== 'number' || !direction || !access) return undefined;
  return {
    name: r.name,
    priority: r.priority,
    direction,
    access,
    protocol: r.protocol ?? '*',
    sources: listOf(r.sourceAddressPrefix, r.sourceAddressPrefixes),
    destinations: listOf(r.destinationAddressPrefix, r.destinationAddressPrefixes),
    destinationPorts: listOf(r.destinationPortRange, r.destinationPortRanges),
    isDefault,
  };
}

/** An NSG with a rule that can't be read is left out whole: a rule not seen must not make the NSG look closed. */
export function toNsgFact(n: NetworkSecurityGroup): NsgFact | undefined {
  if (!n.id || !n.name) return undefined;
  const rules = [...(n.securityRules ?? []).map((r) => toRule(r, false)), ...(n.defaultSecurityRules ?? []).map((r) => toRule(r, true))];
  if (rules.some((r) => r === undefined)) return undefined;
  return { id: n.id, name: n.name, rules: rules as SecurityRuleFact[] };
}

export function toGatewayFact(g: VirtualNetworkGateway): GatewayFact | undefined {
  const subnet = g.ipConfigurations?.find((c) => c.subnet?.id)?.subnet?.id;
  const vnetId = subnet ? parentArmId(subnet, 'virtualNetworks') : undefined;
  if (!g.id || !g.name || !vnetId) return undefined;
  return {
    id: g.id,
    name: g.name,
    vnetId,
    kind: g.gatewayType ?? '',
    privateIpAddresses: (g.ipConfigurations ?? []).flatMap((c) => (c.privateIPAddress ? [c.privateIPAddress] : [])),
    enablePrivateIpAddress: g.enablePrivateIpAddress === true,
  };
}

export function toIpsecFact(c: VirtualNetworkGatewayConnection): IpsecConnectionFact | undefined {
  const gatewayId = c.virtualNetworkGateway1?.id;
  if (!c.id || !c.name || !gatewayId || c.connectionType?.toLowerCase() !== 'ipsec') return undefined;
  return {
    id: c.id,
    name: c.name,
    gatewayId,
    useLocalAzureIpAddress: c.useLocalAzureIpAddress === true,
    ...(c.connectionStatus ? { status: c.connectionStatus } : {}),
  };
}

export function toPortFact(p: ExpressRoutePort): PortFact | undefined {
  if (!p.id || !p.name) return undefined;
  return {
    id: p.id,
    name: p.name,
    links: (p.links ?? []).map((l) => ({
      link: l.name ?? '?',
      ...(l.macSecConfig?.cipher ? { cipher: l.macSecConfig.cipher } : {}),
      keysSet: Boolean(l.macSecConfig?.cknSecretIdentifier && l.macSecConfig.cakSecretIdentifier),
    })),
  };
}

/** The NIC's primary IP configuration (or its first). */
export function primaryIpConfig(nic: NetworkInterface) {
  const configs = nic.ipConfigurations ?? [];
  return configs.find((c) => c.primary === true) ?? configs[0];
}

/** A VM as Resource Graph indexes it, flattened: its NICs and, under `extended`, its power state. */
export const VmModel = z.looseObject({
  id: z.string().min(1),
  name: z.string().min(1),
  networkProfile: z
    .looseObject({ networkInterfaces: z.array(z.looseObject({ id: z.string().nullish(), primary: z.boolean().nullish() })).nullish() })
    .nullish(),
  extended: z
    .looseObject({ instanceView: z.looseObject({ powerState: z.looseObject({ code: z.string().nullish() }).nullish() }).nullish() })
    .nullish(),
});
export type VmModel = z.infer<typeof VmModel>;

/** The VM's primary NIC (or its only one). */
export function primaryNicOf(vm: VmModel): string | undefined {
  const nics = vm.networkProfile?.networkInterfaces ?? [];
  return (nics.find((n) => n.primary === true) ?? nics[0])?.id ?? undefined;
}

/** running, deallocated, stopped… from PowerState/<state>; undefined when Resource Graph doesn't say. */
export function powerStateOf(vm: VmModel): string | undefined {
  const code = vm.extended?.instanceView?.powerState?.code;
  return code?.toLowerCase().startsWith('powerstate/') ? code.slice('PowerState/'.length).toLowerCase() : undefined;
}
