import { DEMO_CUSTOMERS } from '../demo/customers';
import { addCircuit, circuitId, privatePeering, type FleetRecord, type PeeringSpec } from './fleet-gen/circuit-fixture';
import { addBgpServiceCommunities, addRouteFilter, addRouteTable, addExpressRoutePort } from './fleet-gen/network-resources';
import { addGlobalReach, addVnetLink } from './fleet-gen/vnet-links';
import { addDemoPosture } from './demo-posture';
import { parseFleet, type Fleet } from './fleet';
import { parsePrefix, subnetAt } from './ip-prefix';

/** The built-in demo fleet that demo mode serves and most tests start from. */

export interface DemoFleetOptions {
  /** The end of the metrics hour; the fleet is otherwise identical on every call. Default: now. */
  now?: number;
  /**
   * The on-call demo (`$simulator.timeline`): contoso-ams-er1's primary BGP session on private peering drops a
   * minute after the start and comes back four minutes later (or as timed here: DEMO_INCIDENT_AFTER_SECONDS and
   * DEMO_INCIDENT_LASTS_SECONDS). `npm start` turns it on; tests start without it.
   */
  incident?: boolean | DemoIncidentTiming;
}

/** When the demo incident's session drops after the simulator starts, and how long it stays down. */
export interface DemoIncidentTiming {
  dropAfterMs?: number;
  lastsMs?: number;
}

/** When the demo incident begins and ends, after the simulator starts. */
export const DEMO_INCIDENT = { dropAfterMs: 60_000, restoreAfterMs: 5 * 60_000 };

/** The demo incident's drop and restoration times, DEMO_INCIDENT's where `timing` leaves them unset. */
export function demoIncidentTimes(timing: DemoIncidentTiming = {}): typeof DEMO_INCIDENT {
  const dropAfterMs = timing.dropAfterMs ?? DEMO_INCIDENT.dropAfterMs;
  return { dropAfterMs, restoreAfterMs: dropAfterMs + (timing.lastsMs ?? DEMO_INCIDENT.restoreAfterMs - DEMO_INCIDENT.dropAfterMs) };
}

const NW = 'Microsoft.Network';
export const DEMO_DEVICE_READ_MS = 3000;

/**
 * The built-in demo world: 12 circuits across Contoso, Fabrikam (Connect-To) and Northwind, each showing one
 * thing an on-call engineer must spot. Circuit names are a contract for other tests.
 */
export function buildDemoFleet(options: DemoFleetOptions = {}): Fleet {
  const now = options.now ?? Date.now();
  const fleet: FleetRecord = {};
  const [contoso0 = '', contoso1 = ''] = DEMO_CUSTOMERS.contoso.subscriptions;
  const [fabrikam0 = ''] = DEMO_CUSTOMERS.fabrikam.subscriptions;
  const [northwind0 = ''] = DEMO_CUSTOMERS.northwind.subscriptions;
  const low = (inP: number) => ({ inPrimary: inP, inSecondary: inP * 0.8, outPrimary: inP * 0.6, outSecondary: inP * 0.5 });

  // Contoso (Connect-Through)
  const contosoRg = 'rg-contoso-network';
  const rfM365 = addRouteFilter(fleet, {
    subscriptionId: contoso0,
    resourceGroup: contosoRg,
    name: 'rf-contoso-m365',
    location: 'westeurope',
    ruleName: 'allow-m365-and-westeurope',
    communities: ['12076:5010', '12076:51002'],
  });
  addCircuit(
    fleet,
    {
      subscriptionId: contoso0,
      resourceGroup: contosoRg,
      name: 'contoso-ams-er1',
      location: 'westeurope',
      tier: 'Standard',
      family: 'MeteredData',
      provider: { name: 'Equinix', peeringLocation: 'Amsterdam', bandwidthInMbps: 1000 },
      peerings: [
        privatePeering({
          vlanId: 100,
          peerAsn: 65010,
          subnetBase: '10.1.0.0',
          routes: 48,
          routesBase: '10.20.0.0',
          portPrefix: 'EQIX-AMS-09GMR-CIS-1',
          azurePrefixes: ['10.100.0.0/16', '10.101.0.0/16'],
        }),
        microsoftPeering({
          vlanId: 200,
          peerAsn: 64496,
          subnetBase: '203.0.113.0',
          advertised: ['198.51.100.0/27'],
          routeFilterId: rfM365,
          portPrefix: 'EQIX-AMS-09GMR-CIS-1',
        }),
      ],
      utilisation: low(0.32),
      tags: { env: 'prod', owner: 'contoso-netops' },
    },
    now,
  );
  // Contoso's hub VNet in West Europe reaches on-premises through the Amsterdam circuit.
  addVnetLink(fleet, {
    circuitId: circuitId({ subscriptionId: contoso0, resourceGroup: contosoRg, name: 'contoso-ams-er1' }),
    subscriptionId: contoso0,
    resourceGroup: contosoRg,
    location: 'westeurope',
    vnet: 'vnet-contoso-hub',
    addressPrefixes: ['10.100.0.0/16'],
    gatewaySubnet: '10.100.255.0/27',
    connection: 'cn-contoso-hub-ams',
    gateway: 'gw-contoso-er',
  });
  // ARM lists, on the filter, the peerings it is attached to.
  (fleet[rfM365] as { properties: { peerings: unknown[] } }).properties.peerings = [
    {
      id: `/subscriptions/${contoso0}/resourceGroups/${contosoRg}/providers/${NW}/expressRouteCircuits/contoso-ams-er1/peerings/MicrosoftPeering`,
    },
  ];
  addCircuit(
    fleet,
    {
      subscriptionId: contoso0,
      resourceGroup: contosoRg,
      name: 'contoso-lon-er2',
      location: 'uksouth',
      tier: 'Standard',
      family: 'MeteredData',
      provider: { name: 'Equinix', peeringLocation: 'London', bandwidthInMbps: 1000 },
      peerings: [
        privatePeering({
          vlanId: 110,
          peerAsn: 65010,
          subnetBase: '10.1.1.0',
          routes: 36,
          routesBase: '10.21.0.0',
          portPrefix: 'EQIX-LON-06GMR-CIS-2',
          secondaryUp: false,
          secondaryArp: false,
          azurePrefixes: ['10.110.0.0/16'],
        }),
      ],
      utilisation: { inPrimary: 0.41, inSecondary: 0, outPrimary: 0.22, outSecondary: 0 },
      tags: { env: 'prod' },
    },
    now,
  );
  addCircuit(
    fleet,
    {
      subscriptionId: contoso0,
      resourceGroup: contosoRg,
      name: 'contoso-fra-er3',
      location: 'germanywestcentral',
      tier: 'Standard',
      family: 'MeteredData',
      provider: { name: 'Megaport', peeringLocation: 'Frankfurt', bandwidthInMbps: 200 },
      serviceProviderProvisioningState: 'NotProvisioned',
      peerings: [],
      tags: { env: 'prod', note: 'awaiting provider' },
    },
    now,
  );
  addRouteTable(fleet, {
    subscriptionId: contoso0,
    resourceGroup: contosoRg,
    name: 'rt-contoso-spoke',
    location: 'westeurope',
    // Traffic to on-premises goes through the hub firewall and from there over ExpressRoute. Azure allows no
    // VirtualNetworkGateway next hop towards an ExpressRoute gateway: its routes come from BGP.
    routes: [{ name: 'onprem-via-er', addressPrefix: '10.20.0.0/16', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.100.0.4' }],
    subnets: [`/subscriptions/${contoso0}/resourceGroups/${contosoRg}/providers/${NW}/virtualNetworks/vnet-contoso-spoke/subnets/snet-app`],
  });

  const contosoDr = 'rg-contoso-dr';
  addCircuit(
    fleet,
    {
      subscriptionId: contoso1,
      resourceGroup: contosoDr,
      name: 'contoso-par-er4',
      location: 'francecentral',
      tier: 'Standard',
      family: 'MeteredData',
      provider: { name: 'Equinix', peeringLocation: 'Paris', bandwidthInMbps: 500 },
      peerings: [
        privatePeering({
          vlanId: 120,
          peerAsn: 65011,
          subnetBase: '10.2.0.0',
          routes: 22,
          routesBase: '10.30.0.0',
          portPrefix: 'EQIX-PAR-02GMR-CIS-1',
          azurePrefixes: ['10.120.0.0/16'],
        }),
      ],
      utilisation: low(0.18),
      tags: { env: 'dr' },
    },
    now,
  );
  addCircuit(
    fleet,
    {
      subscriptionId: contoso1,
      resourceGroup: contosoDr,
      name: 'er-shared',
      location: 'northeurope',
      tier: 'Standard',
      family: 'MeteredData',
      provider: { name: 'Equinix', peeringLocation: 'Dublin', bandwidthInMbps: 200 },
      peerings: [
        privatePeering({
          vlanId: 130,
          peerAsn: 65011,
          subnetBase: '10.2.1.0',
          routes: 12,
          routesBase: '10.31.0.0',
          portPrefix: 'EQIX-DUB-01GMR-CIS-1',
          azurePrefixes: ['10.130.0.0/16'],
        }),
      ],
      utilisation: low(0.12),
      tags: { env: 'shared' },
    },
    now,
  );

  // Fabrikam (Connect-To)
  const fabrikamRg = 'rg-fabrikam-er';
  addCircuit(
    fleet,
    {
      subscriptionId: fabrikam0,
      resourceGroup: fabrikamRg,
      name: 'fabrikam-dal-er1',
      location: 'southcentralus',
      tier: 'Premium',
      family: 'UnlimitedData',
      provider: { name: 'AT&T Netbond', peeringLocation: 'Dallas', bandwidthInMbps: 2000 },
      peerings: [
        privatePeering({
          vlanId: 300,
          peerAsn: 65100,
          subnetBase: '172.16.0.0',
          routes: 9000,
          routesBase: '10.64.0.0',
          portPrefix: 'ATT-DAL-06GMR-CIS-3',
          azurePrefixes: ['10.200.0.0/16', '10.201.0.0/16'],
        }),
      ],
      utilisation: low(0.45),
      tags: { env: 'prod', model: 'connect-to' },
    },
    now,
  );
  const portId = addExpressRoutePort(fleet, {
    subscriptionId: fabrikam0,
    resourceGroup: fabrikamRg,
    name: 'erport-fabrikam-chi',
    location: 'northcentralus',
    peeringLocation: 'Chicago',
    bandwidthInGbps: 100,
  });
  addCircuit(
    fleet,
    {
      subscriptionId: fabrikam0,
      resourceGroup: fabrikamRg,
      name: 'fabrikam-chi-direct',
      location: 'northcentralus',
      tier: 'Standard',
      family: 'UnlimitedData',
      direct: { portId, bandwidthInGbps: 10 },
      peerings: [
        privatePeering({
          vlanId: 310,
          peerAsn: 65100,
          subnetBase: '172.16.1.0',
          routes: 120,
          routesBase: '10.96.0.0',
          portPrefix: 'CHG-06GMR-DIRECT-1',
          azurePrefixes: ['10.210.0.0/16'],
        }),
      ],
      utilisation: low(0.21),
      tags: { env: 'prod', model: 'connect-to' },
    },
    now,
  );
  addCircuit(
    fleet,
    {
      subscriptionId: fabrikam0,
      resourceGroup: fabrikamRg,
      name: 'fabrikam-sea-er3',
      location: 'westus2',
      tier: 'Standard',
      family: 'MeteredData',
      provider: { name: 'Equinix', peeringLocation: 'Seattle', bandwidthInMbps: 1000 },
      peerings: [
        privatePeering({
          vlanId: 320,
          peerAsn: 65100,
          subnetBase: '172.16.2.0',
          routes: 64,
          routesBase: '10.97.0.0',
          portPrefix: 'EQIX-SEA-01GMR-CIS-2',
          azurePrefixes: ['10.220.0.0/16'],
        }),
      ],
      authorizations: [
        {
          name: 'auth-fabrikam-hub',
          useStatus: 'InUse',
          // Redeemed from Fabrikam's own subscription (Connect-To): the connection lives there, not here.
          connectionResourceUri:
            '/subscriptions/9f1e2d3c-4b5a-4789-8abc-0fab1e000002/resourceGroups/rg-fabrikam-hub/providers/Microsoft.Network/connections/cn-fabrikam-hub-er',
        },
        { name: 'auth-fabrikam-spare', useStatus: 'Available' },
      ],
      utilisation: { inPrimary: 0.88, inSecondary: 0.86, outPrimary: 0.41, outSecondary: 0.38 },
      tags: { env: 'prod', model: 'connect-to' },
    },
    now,
  );

  // Fabrikam's Premium circuit carries its hub in South Central US and, as only Premium allows, a VNet in West
  // Europe; Global Reach joins its on-premises sites to Seattle's. Premium → Standard would have to unlink Europe.
  const dalId = circuitId({ subscriptionId: fabrikam0, resourceGroup: fabrikamRg, name: 'fabrikam-dal-er1' });
  const fabrikamNet = { circuitId: dalId, subscriptionId: fabrikam0, resourceGroup: 'rg-fabrikam-network' };
  addVnetLink(fleet, {
    ...fabrikamNet,
    location: 'southcentralus',
    vnet: 'vnet-fabrikam-hub-scus',
    addressPrefixes: ['10.200.0.0/16'],
    gatewaySubnet: '10.200.255.0/27',
    connection: 'cn-fabrikam-hub-dal',
  });
  addVnetLink(fleet, {
    ...fabrikamNet,
    location: 'westeurope',
    vnet: 'vnet-fabrikam-weu',
    addressPrefixes: ['10.201.0.0/16'],
    gatewaySubnet: '10.201.255.0/27',
    connection: 'cn-fabrikam-weu-dal',
  });
  addGlobalReach(fleet, {
    from: dalId,
    to: circuitId({ subscriptionId: fabrikam0, resourceGroup: fabrikamRg, name: 'fabrikam-sea-er3' }),
    name: 'gr-fabrikam-dal-sea',
    addressPrefix: '192.168.250.0/29',
  });

  // Northwind (Connect-Through)
  const nwRg = 'rg-northwind';
  const nwCircuit = (
    name: string,
    vlanId: number,
    subnetBase: string,
    routesBase: string,
    extra: { provisioningState?: 'Updating'; down?: boolean } = {},
  ) =>
    addCircuit(
      fleet,
      {
        subscriptionId: northwind0,
        resourceGroup: nwRg,
        name,
        location: 'eastus',
        tier: 'Standard',
        family: 'MeteredData',
        provider: { name: 'Equinix', peeringLocation: name.includes('wdc') ? 'Washington DC' : 'New York', bandwidthInMbps: 1000 },
        ...(extra.provisioningState ? { provisioningState: extra.provisioningState } : {}),
        peerings: [
          privatePeering({
            vlanId,
            peerAsn: 65200,
            subnetBase,
            routes: 30,
            routesBase,
            portPrefix: name.includes('wdc') ? 'EQIX-WDC-02GMR-CIS-4' : 'EQIX-NYC-01GMR-CIS-1',
            primaryUp: !extra.down,
            secondaryUp: !extra.down,
            azurePrefixes: ['10.10.0.0/16'],
          }),
        ],
        ...(extra.down ? {} : { utilisation: low(0.25) }),
        tags: { env: 'prod' },
      },
      now,
    );
  nwCircuit('northwind-nyc-er1', 400, '192.168.40.0', '10.40.0.0');
  nwCircuit('northwind-nyc-er2', 410, '192.168.41.0', '10.41.0.0', { provisioningState: 'Updating' });
  nwCircuit('northwind-wdc-er3', 420, '192.168.42.0', '10.42.0.0', { down: true });
  nwCircuit('er-shared', 430, '192.168.43.0', '10.43.0.0');
  addRouteTable(fleet, {
    subscriptionId: northwind0,
    resourceGroup: nwRg,
    name: 'rt-northwind-fw',
    location: 'eastus',
    routes: [
      { name: 'default-to-firewall', addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.10.0.4' },
      { name: 'rfc1918-10-to-firewall', addressPrefix: '10.0.0.0/8', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.10.0.4' },
    ],
    subnets: [
      `/subscriptions/${northwind0}/resourceGroups/${nwRg}/providers/${NW}/virtualNetworks/vnet-northwind-hub/subnets/snet-workloads`,
    ],
  });

  // Subnets, NSGs, VMs and encryption: each customer's security posture, one meeting every criterion.
  addDemoPosture(fleet);

  // Contoso's subscriptions are authorized for Microsoft 365 over ExpressRoute; Fabrikam's and Northwind's are not.
  for (const sub of [contoso0, contoso1]) addBgpServiceCommunities(fleet, sub);
  for (const sub of [fabrikam0, northwind0]) addBgpServiceCommunities(fleet, sub, { microsoft365Authorized: false });
  // Device reads take seconds in Azure: long enough for the bot's 2-second progress card to show.
  const incident = options.incident ? (options.incident === true ? {} : options.incident) : undefined;
  fleet.$simulator = {
    deviceReadMs: DEMO_DEVICE_READ_MS,
    ...(incident ? { timeline: incidentTimeline(fleet, demoIncidentTimes(incident)) } : {}),
  };
  return parseFleet(fleet, 'the built-in demo fleet');
}

function microsoftPeering(o: {
  vlanId: number;
  peerAsn: number;
  subnetBase: string;
  advertised: string[];
  routeFilterId: string;
  portPrefix: string;
}): PeeringSpec {
  const block = `${o.subnetBase}/24`;
  const [prefix = '198.51.100.0/27'] = o.advertised;
  const first = parsePrefix(prefix);
  return {
    kind: 'microsoft',
    vlanId: o.vlanId,
    peerAsn: o.peerAsn,
    portPrefix: o.portPrefix,
    primary: { subnet: subnetAt(block, 30, 0), bgpUp: true, arp: true },
    secondary: { subnet: subnetAt(block, 30, 1), bgpUp: true, arp: true },
    routes: { received: o.advertised.length, base: first?.address.toString() ?? '198.51.100.0', length: first?.length ?? 27 },
    advertisedPublicPrefixes: o.advertised,
    routeFilterId: o.routeFilterId,
  };
}

/** The demo incident: the session's summary shows it Idle, then as it was. */
function incidentTimeline(fleet: FleetRecord, times: typeof DEMO_INCIDENT): unknown[] {
  const circuit = circuitId({
    subscriptionId: DEMO_CUSTOMERS.contoso.subscriptions[0] ?? '',
    resourceGroup: 'rg-contoso-network',
    name: 'contoso-ams-er1',
  });
  const path = `${circuit}/peerings/AzurePrivatePeering/routeTablesSummary/primary`;
  const before = fleet[path] as { value?: Record<string, unknown>[] } | undefined;
  const rows = before?.value ?? [];
  return [
    { afterMs: times.dropAfterMs, path, merge: { value: rows.map((r) => ({ ...r, upDown: '00:00:03', statePfxRcd: 'Idle' })) } },
    { afterMs: times.restoreAfterMs, path, merge: { value: rows } },
  ];
}
