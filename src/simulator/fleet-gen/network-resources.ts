import type { FleetRecord } from './circuit-fixture';
import { SeededRandom } from './seeded-random';

export interface Scope {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
}

export function resourceId(s: Omit<Scope, 'location'>, type: string): string {
  return `/subscriptions/${s.subscriptionId}/resourceGroups/${s.resourceGroup}/providers/Microsoft.Network/${type}/${s.name}`;
}

/** A top-level Microsoft.Network resource as ARM returns it, put in the fleet under its id. Returns its id. */
export function putNetworkResource(fleet: FleetRecord, o: Scope, type: string, etag: string, properties: Record<string, unknown>): string {
  const id = resourceId(o, type);
  fleet[id] = { name: o.name, id, etag, type: `Microsoft.Network/${type}`, location: o.location, tags: {}, properties };
  return id;
}

/** A route filter with its single Allow rule (ARM allows exactly one). Returns its id. */
export function addRouteFilter(fleet: FleetRecord, o: Scope & { ruleName: string; communities: string[] }): string {
  const random = new SeededRandom(o.name);
  const id = resourceId(o, 'routeFilters');
  fleet[id] = {
    name: o.name,
    id,
    etag: random.etag(),
    type: 'Microsoft.Network/routeFilters',
    location: o.location,
    tags: {},
    properties: {
      provisioningState: 'Succeeded',
      rules: [
        {
          name: o.ruleName,
          id: `${id}/routeFilterRules/${o.ruleName}`,
          etag: random.etag(),
          properties: { provisioningState: 'Succeeded', access: 'Allow', routeFilterRuleType: 'Community', communities: o.communities },
        },
      ],
      peerings: [],
      ipv6Peerings: [],
    },
  };
  return id;
}

export interface UdrRoute {
  name: string;
  addressPrefix: string;
  nextHopType: 'VirtualAppliance' | 'VirtualNetworkGateway' | 'Internet' | 'VnetLocal' | 'None';
  nextHopIpAddress?: string;
}

/** A user-defined route table, associated to the given subnets. */
export function addRouteTable(fleet: FleetRecord, o: Scope & { routes: UdrRoute[]; subnets: string[] }): string {
  const random = new SeededRandom(o.name);
  const id = resourceId(o, 'routeTables');
  fleet[id] = {
    name: o.name,
    id,
    etag: random.etag(),
    type: 'Microsoft.Network/routeTables',
    location: o.location,
    tags: {},
    properties: {
      provisioningState: 'Succeeded',
      resourceGuid: random.guid(),
      disableBgpRoutePropagation: false,
      routes: o.routes.map((r) => ({
        name: r.name,
        id: `${id}/routes/${r.name}`,
        etag: random.etag(),
        type: 'Microsoft.Network/routeTables/routes',
        properties: {
          provisioningState: 'Succeeded',
          addressPrefix: r.addressPrefix,
          nextHopType: r.nextHopType,
          ...(r.nextHopIpAddress ? { nextHopIpAddress: r.nextHopIpAddress } : {}),
          hasBgpOverride: false,
        },
      })),
      subnets: o.subnets.map((s) => ({ id: s })),
    },
  };
  return id;
}

/** An ExpressRoute Direct port pair, without circuits yet (addCircuit with `direct` adds them). Returns its id. */
export function addExpressRoutePort(fleet: FleetRecord, o: Scope & { peeringLocation: string; bandwidthInGbps: number }): string {
  const random = new SeededRandom(o.name);
  const id = resourceId(o, 'expressRoutePorts');
  const link = (n: 1 | 2) => ({
    name: `link${n}`,
    id: `${id}/links/link${n}`,
    etag: random.etag(),
    properties: {
      provisioningState: 'Succeeded',
      adminState: 'Enabled',
      connectorType: 'LC',
      interfaceName: `HundredGigE2/2/${n}`,
      patchPanelId: `PP:0123:${random.int(1000000, 9999999)}`,
      rackId: `CHG-06GMR-R${n}`,
      routerName: `chg-06gmr-msee-${n}`,
    },
  });
  fleet[id] = {
    name: o.name,
    id,
    etag: random.etag(),
    type: 'Microsoft.Network/expressRoutePorts',
    location: o.location,
    tags: {},
    properties: {
      provisioningState: 'Succeeded',
      peeringLocation: o.peeringLocation,
      bandwidthInGbps: o.bandwidthInGbps,
      // Grows as addCircuit puts circuits on the port, as ARM sums them.
      provisionedBandwidthInGbps: 0,
      encapsulation: 'QinQ',
      etherType: '0x8100',
      allocationDate: 'Tuesday, March 5, 2024',
      billingType: 'MeteredData',
      resourceGuid: random.guid(),
      links: [link(1), link(2)],
      circuits: [],
    },
  };
  return id;
}

const SERVICE_COMMUNITIES: Array<{ service: string; name: string; value: string; group: string; region: string; prefixes: string[] }> = [
  {
    service: 'exchange',
    name: 'Exchange Online',
    value: '12076:5010',
    group: 'O365',
    region: 'Global',
    prefixes: ['40.92.0.0/15', '52.100.0.0/14'],
  },
  {
    service: 'sharepoint',
    name: 'SharePoint Online',
    value: '12076:5020',
    group: 'O365',
    region: 'Global',
    prefixes: ['13.107.136.0/22', '40.108.128.0/17'],
  },
  {
    service: 'skype',
    name: 'Skype For Business Online',
    value: '12076:5030',
    group: 'O365',
    region: 'Global',
    prefixes: ['13.107.64.0/18', '52.112.0.0/14'],
  },
  {
    service: 'othero365',
    name: 'Other Office 365 Services',
    value: '12076:5100',
    group: 'O365',
    region: 'Global',
    prefixes: ['13.107.6.152/31', '13.107.18.10/31'],
  },
  {
    service: 'azurewesteurope',
    name: 'Azure West Europe',
    value: '12076:51002',
    group: 'Azure',
    region: 'West Europe',
    prefixes: ['13.69.0.0/17', '20.50.0.0/18'],
  },
  {
    service: 'azureeastus',
    name: 'Azure East US',
    value: '12076:51004',
    group: 'Azure',
    region: 'East US',
    prefixes: ['20.42.0.0/17', '40.71.0.0/16'],
  },
];

/**
 * The BGP service communities list (ServiceCommunityList.json's shape) for a subscription. ARM marks each
 * community with isAuthorizedToUse for that subscription: Microsoft 365 communities (serviceGroup O365) only
 * once Microsoft has authorized the subscription for Microsoft 365 over ExpressRoute.
 */
export function addBgpServiceCommunities(fleet: FleetRecord, subscriptionId: string, o: { microsoft365Authorized?: boolean } = {}): void {
  const m365 = o.microsoft365Authorized ?? true;
  const list = `/subscriptions/${subscriptionId}/providers/Microsoft.Network/bgpServiceCommunities`;
  fleet[list] = {
    value: SERVICE_COMMUNITIES.map((c) => ({
      name: c.service,
      type: 'Microsoft.Network/bgpServiceCommunities',
      id: `${list}/${c.service}`,
      properties: {
        serviceName: c.service,
        bgpCommunities: [
          {
            communityName: c.name,
            communityValue: c.value,
            communityPrefixes: c.prefixes,
            isAuthorizedToUse: c.group === 'O365' ? m365 : true,
            serviceGroup: c.group,
            serviceSupportedRegion: c.region,
          },
        ],
      },
    })),
  };
}
