import { geoOfAzureRegion, geoOfPeeringLocation } from './geopolitical-regions';
import type { Json } from './resource-store';
import { circuitConnections, list, obj, props, reject, str, type WriteAttempt, type WriteRule } from './write-rule';

/**
 * Premium → Standard as Network RP refuses it when the circuit uses more than Standard allows. Azure documents
 * the conditions ("Before you downgrade from premium to standard, you must ensure that the number of virtual
 * networks linked to the circuit is less than 10 … You must unlink all virtual networks in other geopolitical
 * regions. If you don't do so, your update request fails"), but no error code of its own: the code below,
 * CircuitSkuDowngradeNotAllowed, is the simulator's (as for the route limit in write-rules.ts), not Azure's.
 * Links are the connections whose peer is the circuit plus the Global Reach connections on its private peering,
 * which Azure counts against the same limit.
 */

const CIRCUITS = 'microsoft.network/expressroutecircuits';
const STANDARD_LINKS = 10;

const tierOf = (body: Json | undefined) => str(obj(body?.sku).tier)?.toLowerCase();

function isPremiumToStandard(a: WriteAttempt): boolean {
  return a.type === CIRCUITS && a.method !== 'DELETE' && tierOf(a.existing) === 'premium' && tierOf(a.proposed) === 'standard';
}

/** Global Reach on the private peering: connections made from this circuit and those made to it. */
function globalReach(circuit: Json | undefined): string[] {
  const peering = list(props(circuit).peerings).find((p) => str(p.name)?.toLowerCase() === 'azureprivatepeering');
  return [...list(props(peering).connections), ...list(props(peering).peeredConnections)].map((c) => str(c.name) ?? '?');
}

function peeringLocation(a: WriteAttempt): string | undefined {
  const p = props(a.existing);
  const provider = str(obj(p.serviceProviderProperties).peeringLocation);
  if (provider) return provider;
  const port = str(obj(p.expressRoutePort).id);
  return port ? str(props(a.store.get(port)).peeringLocation) : undefined;
}

const premiumDowngradeLinks: WriteRule = (a) => {
  if (!isPremiumToStandard(a)) return undefined;
  const connections = circuitConnections(a.store, a.id);
  const reach = globalReach(a.existing);
  const total = connections.length + reach.length;
  if (total > STANDARD_LINKS) {
    return reject(
      'CircuitSkuDowngradeNotAllowed',
      `Circuit '${a.name}' cannot move from Premium to Standard: it has ${total} links (${connections.length} virtual network ` +
        `connections and ${reach.length} Global Reach connections), and Standard allows at most ${STANDARD_LINKS}.`,
    );
  }
  if (connections.length === 0) return undefined;
  const where = peeringLocation(a) ?? '';
  const home = geoOfPeeringLocation(where);
  const outside = connections.filter((c) => home === undefined || geoOfAzureRegion(str(c.location) ?? '') !== home);
  if (outside.length === 0) return undefined;
  return reject(
    'CircuitSkuDowngradeNotAllowed',
    `Circuit '${a.name}' cannot move from Premium to Standard: virtual network connections ` +
      `${outside.map((c) => `'${str(c.name) ?? ''}' (${str(c.location) ?? ''})`).join(', ')} are outside the geopolitical region ` +
      `${home ? `'${home}' ` : ''}of peering location '${where}'. Unlink them first.`,
  );
};

export const SKU_WRITE_RULES: readonly WriteRule[] = [premiumDowngradeLinks];
