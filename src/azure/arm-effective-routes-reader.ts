import type { EffectiveRoute as ArmEffectiveRoute, NetworkInterface, VirtualNetwork, VirtualNetworkGateway } from '@azure/arm-network';
import { isRestError } from '@azure/core-rest-pipeline';
import { CodedError, ErrorCode } from '../errors';
import type { Logger } from '../log';
import { parentArmId, parseArmId, sameArmId } from '../network/arm-id';
import {
  type EffectiveRoute,
  type EffectiveRouteTable,
  type EffectiveRoutesReader,
  type NetworkInterfaceRef,
  notReadable,
} from '../network/effective-routes';
import type { GatewayFact } from '../network/posture-facts';
import type { Fresh, ReadOptions } from '../network/types';
import { chunked, kqlString, queryResourceGraph, resourcesQuery } from './arg-query';
import { toCodedError } from './arm-errors';
import { ArmNetworkReader, DEFAULT_LRO_POLL_INTERVAL_MS } from './arm-network-reader';
import type { ClientPool } from './client-pool';
import {
  byIdsQuery,
  gatewaysInVnetsQuery,
  IDS_PER_QUERY,
  interfacesQuery,
  modelsOf,
  POSTURE_TYPES,
  powerStateOf,
  primaryIpConfig,
  primaryNicOf,
  toGatewayFact,
  toVnetFact,
  VmModel,
} from './posture-rows';
import type { ReadCache } from './read-cache';

export interface ArmEffectiveRoutesReaderOptions {
  pool: ClientPool;
  cache: ReadCache;
  logger: Logger;
  /** How often to poll ARM's long-running read; ARM's Retry-After wins. */
  lroPollIntervalMs?: number;
}

const lower = (s: string) => s.toLowerCase();

function toEffectiveRoute(r: ArmEffectiveRoute): EffectiveRoute {
  return {
    ...(r.name ? { name: r.name } : {}),
    source: r.source ?? 'Unknown',
    state: r.state ?? 'Active',
    addressPrefixes: r.addressPrefix ?? [],
    nextHopType: r.nextHopType ?? 'None',
    nextHopIps: r.nextHopIpAddress ?? [],
  };
}

/**
 * NICs and VMs found by name with Azure Resource Graph (a VM by its primary NIC), and a NIC's effective route table
 * through ARM's long-running POST (`effectiveRouteTable`), scheduled and cached like the circuits' device reads.
 */
export class ArmEffectiveRoutesReader implements EffectiveRoutesReader {
  constructor(private readonly options: ArmEffectiveRoutesReaderOptions) {}

  async findInterfaces(
    tenantId: string,
    subscriptions: readonly string[],
    nameOrId: string,
    options: ReadOptions = {},
  ): Promise<NetworkInterfaceRef[]> {
    try {
      const query = (text: string) => queryResourceGraph(this.options.pool, tenantId, subscriptions, text, options);
      const rows = await query(interfacesQuery(nameOrId));
      const namedNics = modelsOf<NetworkInterface>(rows, POSTURE_TYPES.nic);
      const namedVms = vmsOf(rows);
      const nicIds = namedVms.flatMap((vm) => primaryNicOf(vm) ?? []).filter((id) => !namedNics.some((n) => sameArmId(n.id ?? '', id)));
      const vmIds = namedNics.flatMap((n) => n.virtualMachine?.id ?? []).filter((id) => !namedVms.some((v) => sameArmId(v.id, id)));
      const [moreNics, moreVms] = await Promise.all([
        nicIds.length > 0 ? query(byIdsQuery(POSTURE_TYPES.nic, nicIds)) : Promise.resolve([]),
        vmIds.length > 0 ? query(byIdsQuery(POSTURE_TYPES.vm, vmIds)) : Promise.resolve([]),
      ]);
      const nics = new Map([...namedNics, ...modelsOf<NetworkInterface>(moreNics, POSTURE_TYPES.nic)].map((n) => [lower(n.id ?? ''), n]));
      const vms = new Map([...namedVms, ...vmsOf(moreVms)].map((v) => [lower(v.id), v]));
      const refs = new Map<string, NetworkInterfaceRef>();
      const add = (nic: NetworkInterface | undefined, named: 'nic' | 'vm') => {
        const ref = nic ? toRef(nic, vms, named) : undefined;
        if (ref && !refs.has(lower(ref.id))) refs.set(lower(ref.id), ref);
      };
      for (const vm of namedVms) add(nics.get(lower(primaryNicOf(vm) ?? '')), 'vm');
      for (const nic of namedNics) add(nic, 'nic');
      return [...refs.values()];
    } catch (e) {
      throw this.failed(e, `the network interfaces and VMs named ${nameOrId.slice(0, 80)}`);
    }
  }

  async interfacesInSubnets(
    tenantId: string,
    subscriptions: readonly string[],
    subnetIds: readonly string[],
    options: ReadOptions = {},
  ): Promise<NetworkInterfaceRef[]> {
    if (subnetIds.length === 0) return [];
    try {
      const query = (text: string) => queryResourceGraph(this.options.pool, tenantId, subscriptions, text, options);
      const nicRows = await Promise.all(chunked(subnetIds, IDS_PER_QUERY).map((ids) => query(interfacesInSubnetsQuery(ids))));
      const nics = modelsOf<NetworkInterface>(nicRows.flat(), POSTURE_TYPES.nic).filter((n) =>
        subnetIds.some((id) => sameArmId(primaryIpConfig(n)?.subnet?.id ?? '', id)),
      );
      const vmIds = [...new Set(nics.flatMap((n) => (n.virtualMachine?.id ? [lower(n.virtualMachine.id)] : [])))];
      const vmRows = await Promise.all(chunked(vmIds, IDS_PER_QUERY).map((ids) => query(byIdsQuery(POSTURE_TYPES.vm, ids))));
      const vms = new Map(vmRows.flatMap(vmsOf).map((v) => [lower(v.id), v]));
      const refs = nics.flatMap((n) => toRef(n, vms, 'nic') ?? []);
      // NICs of running VMs first: Azure shows effective routes only for those.
      return [...refs.filter((r) => notReadable(r) === undefined), ...refs.filter((r) => notReadable(r) !== undefined)];
    } catch (e) {
      throw this.failed(e, `the network interfaces in ${subnetIds.length === 1 ? 'the subnet' : `${subnetIds.length} subnets`}`);
    }
  }

  async effectiveRoutes(
    tenantId: string,
    subscriptions: readonly string[],
    nic: NetworkInterfaceRef,
    options: ReadOptions = {},
  ): Promise<Fresh<EffectiveRouteTable>> {
    const known = notReadable(nic);
    if (known) throw known;
    const scope = { tenantId, subscriptionId: nic.subscriptionId };
    const id = parseArmId(nic.id);
    // A table read without gateways (no subscriptions to find them in) must not answer a read that wants them.
    const key = `${ArmNetworkReader.cachePrefix(scope)}effectiveRoutes|${lower(nic.id)}${subscriptions.length === 0 ? '|no-gateways' : ''}`;
    try {
      return await this.options.cache.read<EffectiveRouteTable>(
        key,
        async () => {
          const [read, gateways] = await Promise.all([
            this.routesOf(scope, id.resourceGroup, id.name, options),
            this.gatewaysOf(tenantId, subscriptions, nic, options),
          ]);
          return { routes: read.routes, gateways, bgpPropagationDisabled: read.bgpPropagationDisabled };
        },
        { fresh: options.fresh === true },
      );
    } catch (e) {
      // Azure refuses a NIC whose VM isn't running (or that has none) with a 400 and a sentence saying so.
      if (isRestError(e) && e.statusCode === 400)
        throw notReadable(nic, e.message) ?? this.failed(e, `the effective routes of ${nic.name}`);
      throw this.failed(e, `the effective routes of ${nic.name}`);
    }
  }

  private async routesOf(
    scope: { tenantId: string; subscriptionId: string },
    resourceGroup: string,
    name: string,
    options: ReadOptions,
  ): Promise<{ routes: EffectiveRoute[]; bgpPropagationDisabled: boolean }> {
    const lro = {
      updateIntervalInMs: this.options.lroPollIntervalMs ?? DEFAULT_LRO_POLL_INTERVAL_MS,
      ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
    };
    let value: ArmEffectiveRoute[];
    try {
      // An answer without a body resolves to nothing at all: no rows.
      const read = await this.options.pool
        .networkClient(scope)
        .networkInterfaces.beginGetEffectiveRouteTableAndWait(resourceGroup, name, lro);
      value = read?.value ?? [];
    } catch (e) {
      if (!isRowlessAnswer(e)) throw e;
      value = [];
    }
    // Azure always has the VNet's system routes for a running NIC: no rows is an answer that lost them, not "no route".
    if (value.length === 0) throw noRoutes(name);
    return { routes: value.map(toEffectiveRoute), bgpPropagationDisabled: value.some((r) => r.disableBgpRoutePropagation === true) };
  }

  /**
   * The gateways of the NIC's VNet and of the hubs whose gateways it uses: what tells an ExpressRoute next hop from
   * a VPN one. Best effort: without them the card says which kind couldn't be read.
   */
  private async gatewaysOf(
    tenantId: string,
    subscriptions: readonly string[],
    nic: NetworkInterfaceRef,
    options: ReadOptions,
  ): Promise<GatewayFact[]> {
    const vnetId = nic.subnetId ? parentArmId(nic.subnetId, 'virtualNetworks') : undefined;
    if (!vnetId) return [];
    try {
      const query = (text: string) => queryResourceGraph(this.options.pool, tenantId, subscriptions, text, options);
      const vnet = modelsOf<VirtualNetwork>(await query(byIdsQuery(POSTURE_TYPES.vnet, [vnetId])), POSTURE_TYPES.vnet).flatMap(
        (v) => toVnetFact(v) ?? [],
      )[0];
      const hubs = vnet?.peerings.filter((p) => p.useRemoteGateways).map((p) => p.remoteVnetId) ?? [];
      const rows = await query(gatewaysInVnetsQuery([vnetId, ...hubs]));
      return modelsOf<VirtualNetworkGateway>(rows, POSTURE_TYPES.gateway).flatMap((g) => toGatewayFact(g) ?? []);
    } catch (e) {
      this.options.logger.info({ code: toCodedError(e).code, nic: nic.name }, 'could not read the gateways behind a NIC');
      return [];
    }
  }

  private failed(e: unknown, what: string) {
    const coded = toCodedError(e, { resource: what });
    this.options.logger.warn({ code: coded.code, what }, 'effective routes read failed');
    return coded;
  }
}

/**
 * arm-network's deserializer maps the answer's `value` unguarded, so a final answer without rows throws this
 * TypeError; any other TypeError is a bug to report, not an empty route table.
 */
function isRowlessAnswer(e: unknown): boolean {
  return (
    e instanceof TypeError &&
    !isRestError(e) &&
    /^Cannot read propert(?:y|ies) of (?:undefined|null) \(reading '(?:value|map)'\)/.test(e.message)
  );
}

function noRoutes(nic: string): CodedError {
  return new CodedError(
    ErrorCode.NoData,
    `Azure answered with no effective routes for ${nic}, not even the VNet's system routes that every running NIC has, so the route table couldn't be read.`,
    { hint: "Ask again with --fresh in a minute. If it stays empty, open the NIC's Effective routes in the Azure portal." },
  );
}

/** A NIC as the domain names it, with its VM (from `vms`, by id) and its primary IP configuration's address and subnet. */
function toRef(nic: NetworkInterface, vms: ReadonlyMap<string, VmModel>, named: 'nic' | 'vm'): NetworkInterfaceRef | undefined {
  if (!nic.id || !nic.name) return undefined;
  const vm = nic.virtualMachine?.id ? vms.get(lower(nic.virtualMachine.id)) : undefined;
  const config = primaryIpConfig(nic);
  const power = vm ? powerStateOf(vm) : undefined;
  return {
    id: nic.id,
    name: nic.name,
    subscriptionId: parseArmId(nic.id).subscriptionId,
    named,
    ...(vm ? { vm: { id: vm.id, name: vm.name, ...(power ? { powerState: power } : {}) } } : {}),
    ...(config?.privateIPAddress ? { privateIp: config.privateIPAddress } : {}),
    ...(config?.subnet?.id ? { subnetId: config.subnet.id } : {}),
  };
}

/**
 * NICs with an IP configuration in one of the subnets: Resource Graph cannot look inside the array without mv-expand,
 * so the configurations' text is searched for each subnet's id, followed by its closing quote (snet-a is not snet-ab).
 */
function interfacesInSubnetsQuery(subnetIds: readonly string[]): string {
  const any = subnetIds.map((id) => `tostring(properties.ipConfigurations) contains ${kqlString(`${id}"`)}`).join(' or ');
  return resourcesQuery(POSTURE_TYPES.nic, `(${any})`, 'id, name, type, location, subscriptionId, properties');
}

function vmsOf(rows: readonly unknown[]): VmModel[] {
  return modelsOf<unknown>(rows, POSTURE_TYPES.vm).flatMap((row) => {
    const vm = VmModel.safeParse(row);
    return vm.success ? [vm.data] : [];
  });
}
