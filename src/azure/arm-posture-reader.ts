import type {
  ExpressRoutePort,
  NetworkSecurityGroup,
  RouteTable,
  VirtualNetwork,
  VirtualNetworkGateway,
  VirtualNetworkGatewayConnection,
} from '@azure/arm-network';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { sameArmId, subscriptionOfArmId } from '../network/arm-id';
import { partFailure, type Part } from '../network/part';
import type { CircuitLinkFact, PostureFacts, PostureReader, PostureRequest, VnetFact } from '../network/posture-facts';
import type { Circuit, ReadOptions } from '../network/types';
import { chunked, queryResourceGraph } from './arg-query';
import { toCodedError } from './arm-errors';
import type { ArmLinksReader } from './arm-links-reader';
import type { ClientPool } from './client-pool';
import { toUdrTable } from './map-arm-models';
import {
  byIdsQuery,
  gatewaysInVnetsQuery,
  IDS_PER_QUERY,
  ipsecConnectionsQuery,
  modelsOf,
  POSTURE_TYPES,
  toGatewayFact,
  toIpsecFact,
  toNsgFact,
  toPortFact,
  toVnetFact,
} from './posture-rows';

export interface ArmPostureReaderOptions {
  pool: ClientPool;
  /** The circuits' VNet links, read as the Premium → Standard rule reads them (all the circuits at once). */
  links: ArmLinksReader;
  clock: Clock;
  logger: Logger;
}

/** Circuits whose links are read in one go: a few Resource Graph queries, whatever the count (15 per 5 seconds allowed). */
const CIRCUITS_PER_LINK_READ = 50;

const lower = (s: string) => s.toLowerCase();
const unique = (ids: readonly string[]) => [...new Map(ids.map((id) => [lower(id), id])).values()];

/**
 * The networks behind a customer's circuits, from Azure Resource Graph: each circuit's links (across every
 * subscription the directory lists in the tenant, so that a link from another customer's is seen), the VNets linked
 * from the customer's own subscriptions and the VNets peered to them, their NSGs, route tables and gateways, the
 * IPsec connections, and the Direct ports' MACsec. Each part is read on its own: one that fails is reported as
 * such, and the criteria that need it say "unknown", never "met".
 */
export class ArmPostureReader implements PostureReader {
  constructor(private readonly options: ArmPostureReaderOptions) {}

  async readPosture(request: PostureRequest, options: ReadOptions = {}): Promise<PostureFacts> {
    const own = new Set(request.subscriptions.map(lower));
    const byIds = async <T>(type: string, ids: readonly string[]): Promise<T[]> => {
      const out: T[] = [];
      for (const slice of chunked(unique(ids), IDS_PER_QUERY))
        out.push(...modelsOf<T>(await this.query(request, byIdsQuery(type, slice), options), type));
      return out;
    };
    const links = new Map<string, Part<CircuitLinkFact[]>>();
    for (const group of chunked(request.circuits, CIRCUITS_PER_LINK_READ)) {
      const read = await this.part(`the VNet links of ${group.length === 1 ? (group[0]?.name ?? '') : `${group.length} circuits`}`, () =>
        this.linksOf(request, group),
      );
      for (const c of group) links.set(lower(c.id), read.ok ? { ...read, value: read.value.get(lower(c.id)) ?? [] } : read);
    }
    const linkedVnets = [...links.values()].flatMap((p) =>
      p.ok ? p.value.flatMap((l) => (l.vnetId && own.has(lower(subscriptionOfArmId(l.vnetId) ?? '')) ? [l.vnetId] : [])) : [],
    );
    const vnets = await this.part('the VNets behind the circuits', async () => {
      const linked = (await byIds<VirtualNetwork>(POSTURE_TYPES.vnet, linkedVnets)).flatMap((v) => toVnetFact(v) ?? []);
      const seen = new Set(linked.map((v) => lower(v.id)));
      const peered = linked
        .flatMap((v) => v.peerings.map((p) => p.remoteVnetId))
        .filter((id) => !seen.has(lower(id)) && own.has(lower(subscriptionOfArmId(id) ?? '')));
      const spokes = peered.length > 0 ? (await byIds<VirtualNetwork>(POSTURE_TYPES.vnet, peered)).flatMap((v) => toVnetFact(v) ?? []) : [];
      return [...linked, ...spokes];
    });
    const portIds = request.circuits.flatMap((c) => (c.direct ? [c.direct.portId] : []));
    const ports = this.part('the ExpressRoute Direct ports', async () =>
      (await byIds<ExpressRoutePort>(POSTURE_TYPES.port, portIds)).flatMap((p) => toPortFact(p) ?? []),
    );
    if (!vnets.ok) {
      return { links, vnets, nsgs: vnets, routeTables: vnets, gateways: vnets, ipsecConnections: vnets, ports: await ports };
    }
    const subnets = vnets.value.flatMap((v: VnetFact) => v.subnets);
    const [nsgs, routeTables, gateways, ipsecConnections] = await Promise.all([
      this.part('the NSGs', async () =>
        (
          await byIds<NetworkSecurityGroup>(
            POSTURE_TYPES.nsg,
            subnets.flatMap((s) => s.nsgId ?? []),
          )
        ).flatMap((n) => toNsgFact(n) ?? []),
      ),
      this.part('the route tables', async () =>
        (
          await byIds<RouteTable>(
            POSTURE_TYPES.routeTable,
            subnets.flatMap((s) => s.routeTableId ?? []),
          )
        ).map(toUdrTable),
      ),
      this.part('the virtual network gateways', async () => {
        const out = [];
        for (const slice of chunked(
          vnets.value.map((v) => v.id),
          IDS_PER_QUERY,
        )) {
          const rows = await this.query(request, gatewaysInVnetsQuery(slice), options);
          out.push(...modelsOf<VirtualNetworkGateway>(rows, POSTURE_TYPES.gateway).flatMap((g) => toGatewayFact(g) ?? []));
        }
        return out;
      }),
      this.part('the IPsec connections', async () =>
        vnets.value.length === 0
          ? []
          : modelsOf<VirtualNetworkGatewayConnection>(
              await this.query(request, ipsecConnectionsQuery(), options),
              POSTURE_TYPES.connection,
            ).flatMap((c) => toIpsecFact(c) ?? []),
      ),
    ]);
    return { links, vnets, nsgs, routeTables, gateways, ipsecConnections, ports: await ports };
  }

  private query(request: PostureRequest, text: string, options: ReadOptions): Promise<unknown[]> {
    return queryResourceGraph(this.options.pool, request.tenantId, request.subscriptions, text, options);
  }

  private async linksOf(request: PostureRequest, circuits: readonly Circuit[]): Promise<Map<string, CircuitLinkFact[]>> {
    const [first] = circuits;
    const scope = { tenantId: request.tenantId, subscriptionId: first?.subscriptionId ?? request.subscriptions[0] ?? '' };
    const byCircuit = await this.options.links.listVnetLinksOf(scope, request.linkSubscriptions, circuits);
    return new Map(
      circuits.map((circuit) => [
        lower(circuit.id),
        (byCircuit.get(lower(circuit.id)) ?? []).map((l) => {
          const authorization = circuit.authorizations.find(
            (a) => a.connectionId && l.connectionId && sameArmId(a.connectionId, l.connectionId),
          );
          return {
            name: l.name,
            ...(l.connectionId ? { connectionId: l.connectionId } : {}),
            ...(l.subscriptionId ? { subscriptionId: l.subscriptionId } : {}),
            ...(l.vnet ? { vnetId: l.vnet.id } : {}),
            ...(l.hub ? { hubGateway: l.hub.gatewayName } : {}),
            ...(authorization ? { authorization: authorization.name } : {}),
          };
        }),
      ]),
    );
  }

  /** One part of the read: its value, or why it failed (logged, and shown on the card). */
  private async part<T>(what: string, load: () => Promise<T>): Promise<Part<T>> {
    try {
      const value = await load();
      return { ok: true, value, fetchedAt: this.options.clock.now() };
    } catch (e) {
      const coded = toCodedError(e, { resource: what });
      this.options.logger.warn({ code: coded.code, what }, 'reading the security posture failed in part');
      return { ok: false, error: partFailure(coded) };
    }
  }
}
