import { geoOfAzureRegion, geoOfPeeringLocation } from './geopolitical-regions';
import { localRegionsOf, plainLocation } from './local-regions';
import type { Json } from './resource-store';
import { circuitConnections, circuitHubConnections, list, obj, props, reject, str, type WriteAttempt, type WriteRule } from './write-rule';

/**
 * SKU tier changes as Network RP refuses them when the circuit uses more than the new tier allows.
 *
 * Premium → Standard: Azure documents the conditions ("Before you downgrade from premium to standard, you must
 * ensure that the number of virtual networks linked to the circuit is less than 10 … You must unlink all virtual
 * networks in other geopolitical regions. If you don't do so, your update request fails").
 *
 * → Local (ExpressRoute FAQ): "a Local circuit at an ExpressRoute peering location gives you access only to one
 * or two Azure regions in or near the same metro", the regions the locations page lists as the location's "Local
 * Azure regions"; "ExpressRoute Global Reach isn't available on Local"; and "ExpressRoute Local also has the same
 * limits on resources as Standard".
 *
 * Azure documents no error code of its own for these: CircuitSkuDowngradeNotAllowed and CircuitSkuLocalNotAllowed
 * are the simulator's (as for the route limit in write-rules.ts), not Azure's. Links are the connections whose
 * peer is the circuit, the ExpressRoute connections of Virtual WAN hub gateways to its peerings, and the Global
 * Reach connections on its private peering, which Azure counts against the same limit.
 */

const CIRCUITS = 'microsoft.network/expressroutecircuits';
const STANDARD_LINKS = 10;

const tierOf = (body: Json | undefined) => str(obj(body?.sku).tier)?.toLowerCase();
const isCircuitWrite = (a: WriteAttempt) => a.type === CIRCUITS && a.method !== 'DELETE';

const isPremiumDown = (a: WriteAttempt) => isCircuitWrite(a) && tierOf(a.existing) === 'premium' && tierOf(a.proposed) !== 'premium';
const isToLocal = (a: WriteAttempt) => isCircuitWrite(a) && tierOf(a.existing) !== 'local' && tierOf(a.proposed) === 'local';

/** Global Reach on the private peering: connections made from this circuit and those made to it. */
function globalReach(circuit: Json | undefined): string[] {
  const peering = list(props(circuit).peerings).find((p) => str(p.name)?.toLowerCase() === 'azureprivatepeering');
  return [...list(props(peering).connections), ...list(props(peering).peeredConnections)].map((c) => str(c.name) ?? '?');
}

/** Every VNet link of the circuit, by name and Azure region: connections, and hub connections in their gateway's region. */
function vnetLinks(a: WriteAttempt): { name: string; location: string }[] {
  return [
    ...circuitConnections(a.store, a.id).map((c) => ({ name: str(c.name) ?? '?', location: str(c.location) ?? '' })),
    ...circuitHubConnections(a.store, a.id).map(({ gateway, connection }) => ({
      name: str(connection.name) ?? '?',
      location: str(gateway.location) ?? '',
    })),
  ];
}

function peeringLocation(a: WriteAttempt): string | undefined {
  const p = props(a.existing);
  const provider = str(obj(p.serviceProviderProperties).peeringLocation);
  if (provider) return provider;
  const port = str(obj(p.expressRoutePort).id);
  return port ? str(props(a.store.get(port)).peeringLocation) : undefined;
}

const shown = (links: readonly { name: string; location: string }[]) => links.map((l) => `'${l.name}' (${l.location})`).join(', ');

/** Premium → Standard or Local: at most 10 links, Global Reach included. */
const premiumDowngradeLimit: WriteRule = (a) => {
  if (!isPremiumDown(a)) return undefined;
  const links = vnetLinks(a);
  const reach = globalReach(a.existing);
  const total = links.length + reach.length;
  if (total <= STANDARD_LINKS) return undefined;
  const tier = str(obj(a.proposed?.sku).tier) ?? '?';
  return reject(
    'CircuitSkuDowngradeNotAllowed',
    `Circuit '${a.name}' cannot move from Premium to ${tier}: it has ${total} links (${links.length} virtual network ` +
      `connections and ${reach.length} Global Reach connections), and ${tier} allows at most ${STANDARD_LINKS}.`,
  );
};

/** Premium → Standard: every VNet in the geopolitical region of the peering location. */
const premiumDowngradeRegion: WriteRule = (a) => {
  if (!isPremiumDown(a) || tierOf(a.proposed) !== 'standard') return undefined;
  const links = vnetLinks(a);
  if (links.length === 0) return undefined;
  const where = peeringLocation(a) ?? '';
  const home = geoOfPeeringLocation(where);
  const outside = links.filter((l) => home === undefined || geoOfAzureRegion(l.location) !== home);
  if (outside.length === 0) return undefined;
  return reject(
    'CircuitSkuDowngradeNotAllowed',
    `Circuit '${a.name}' cannot move from Premium to Standard: virtual network connections ${shown(outside)} are outside ` +
      `the geopolitical region ${home ? `'${home}' ` : ''}of peering location '${where}'. Unlink them first.`,
  );
};

/** → Local: no Global Reach, Local offered at the peering location, every VNet in its local region(s). */
const toLocal: WriteRule = (a) => {
  if (!isToLocal(a)) return undefined;
  const from = str(obj(a.existing?.sku).tier) ?? '?';
  const reach = globalReach(a.existing);
  if (reach.length > 0) {
    return reject(
      'CircuitSkuLocalNotAllowed',
      `Circuit '${a.name}' cannot move from ${from} to Local: ExpressRoute Global Reach isn't available on Local, and the circuit ` +
        `has Global Reach connections ${reach.map((r) => `'${r}'`).join(', ')}. Remove them first.`,
    );
  }
  const where = peeringLocation(a) ?? '';
  const local = localRegionsOf(where) ?? [];
  if (local.length === 0) {
    return reject('CircuitSkuLocalNotAllowed', `ExpressRoute Local isn't available at peering location '${where}'.`);
  }
  const reachable = new Set(local.map(plainLocation));
  const outside = vnetLinks(a).filter((l) => !reachable.has(plainLocation(l.location)));
  if (outside.length === 0) return undefined;
  return reject(
    'CircuitSkuLocalNotAllowed',
    `Circuit '${a.name}' cannot move from ${from} to Local: virtual network connections ${shown(outside)} are outside ` +
      `the local Azure regions of peering location '${where}' (${local.join(', ')}). Unlink them first.`,
  );
};

export const SKU_WRITE_RULES: readonly WriteRule[] = [premiumDowngradeLimit, premiumDowngradeRegion, toLocal];
