import { addGlobalReach, addHubLink, addVnetLink } from '../../src/simulator/fleet-gen/vnet-links';
import { buildDemoFleet, parseFleet } from '../../src/simulator';
import { CIRCUIT_IDS, SUBSCRIPTIONS } from './demo-world';

/** contoso-ams-er1 (Amsterdam, 48 private routes, already linked to vnet-contoso-hub in West Europe), made Premium. */
export const PREMIUM_AMS = CIRCUIT_IDS.contosoAms;
/** contoso-lon-er2, the other end of Global Reach. */
const LON = PREMIUM_AMS.replace(/contoso-ams-er1$/, 'contoso-lon-er2');

export interface LinkFleetOptions {
  /** Where the extra VNets are; default westeurope (Amsterdam's own geopolitical region). */
  region?: string;
  /** Global Reach connections from contoso-ams-er1 to contoso-lon-er2. */
  globalReach?: number;
  /** Overrides the circuit's peering location (Amsterdam). */
  peeringLocation?: string;
  /** ExpressRoute connections from a Virtual WAN hub's gateway (ergw-hub-contoso) to the circuit's private peering. */
  hubLinks?: number;
  /** Where that hub is; default westeurope. */
  hubRegion?: string;
}

/**
 * The demo fleet with contoso-ams-er1 made Premium and `extra` more VNets linked to it from Contoso's second
 * subscription: 10 extra links make 11 (over Standard's 10), one in eastus crosses into North America.
 */
export function premiumAmsWithLinks(extra: number, o: LinkFleetOptions = {}): Record<string, unknown> {
  const fleet = buildDemoFleet({ now: Date.UTC(2025, 0, 1) }) as Record<string, unknown>;
  const ams = fleet[PREMIUM_AMS] as
    { sku: Record<string, unknown>; properties: { serviceProviderProperties: Record<string, unknown> } } | undefined;
  if (!ams) throw new Error('the demo fleet has no contoso-ams-er1');
  ams.sku = { name: 'Premium_MeteredData', tier: 'Premium', family: 'MeteredData' };
  if (o.peeringLocation) ams.properties.serviceProviderProperties.peeringLocation = o.peeringLocation;
  for (let i = 0; i < extra; i++) {
    addVnetLink(fleet, {
      circuitId: PREMIUM_AMS,
      subscriptionId: SUBSCRIPTIONS.contoso1,
      resourceGroup: 'rg-contoso-spokes',
      location: o.region ?? 'westeurope',
      vnet: `vnet-spoke-${i}`,
      addressPrefixes: [`10.${150 + i}.0.0/16`],
      gatewaySubnet: `10.${150 + i}.255.0/27`,
      connection: `cn-spoke-${i}`,
    });
  }
  for (let i = 0; i < (o.hubLinks ?? 0); i++) {
    addHubLink(fleet, {
      circuitId: PREMIUM_AMS,
      subscriptionId: SUBSCRIPTIONS.contoso1,
      resourceGroup: 'rg-contoso-vwan',
      location: o.hubRegion ?? 'westeurope',
      gateway: 'ergw-hub-contoso',
      connection: `cn-hub-${i}`,
    });
  }
  for (let i = 0; i < (o.globalReach ?? 0); i++) {
    addGlobalReach(fleet, { from: PREMIUM_AMS, to: LON, name: `gr-ams-lon-${i}`, addressPrefix: `192.168.${200 + i}.0/29` });
  }
  return parseFleet(fleet);
}
