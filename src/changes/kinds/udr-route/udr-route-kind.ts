import { z } from 'zod';
import { armIdName, parentArmId } from '../../../network/arm-id';
import type { UdrRoute } from '../../../network/types';
import type { ChangeKind, Refusal, RouteTableSubject, VerifyBaseline } from '../../change-kind';
import { declareFields, schemaOf } from '../../kind-fields';
import { contains, type IpPrefix, isAligned, overlaps, parseAddress, parsePrefix } from '../../../network/ip-prefix';
import { IpAddress, oneOf, ResourceName } from '../shared/input-parts';
import {
  gatewayNextHop,
  gatewayPropagationNote,
  gatewaySubnetDefaultRoute,
  type ReachFacts,
  unreachableAppliance,
  unverifiedAppliance,
  type VnetSpace,
} from './expressroute-route-rules';
import { isServiceTag, RouteDestination, SERVICE_TAG_ROUTE_LIMIT } from './route-destination';
import { lookAtNextHops, type NextHopExpectation } from './effective-next-hop';
import { guardedLook, readFor } from '../shared/verify-reads';

export const NEXT_HOP_TYPES = ['VirtualAppliance', 'VirtualNetworkGateway', 'VnetLocal', 'Internet', 'None'] as const;
/** Azure's limit of routes in one route table. */
export const ROUTE_TABLE_LIMIT = 400;

/** Other words for a next-hop type. */
const NEXT_HOP_ALIASES = {
  appliance: 'VirtualAppliance',
  nva: 'VirtualAppliance',
  firewall: 'VirtualAppliance',
  gateway: 'VirtualNetworkGateway',
  vnetgateway: 'VirtualNetworkGateway',
  local: 'VnetLocal',
  drop: 'None',
} as const;

/** The route's name: what both adding and removing name. */
const ROUTE_NAME = declareFields([
  {
    key: 'name',
    label: 'Route name',
    noun: "the route's name",
    shape: 'name',
    example: 'default-to-firewall',
    maxLength: 80,
    schema: ResourceName,
  },
]);

/**
 * The route's properties, named as ARM names them: the write sends them as they are, and `isApplied` reads
 * them back, so a property added here needs nothing else in this file.
 */
const ROUTE_PROPERTIES = declareFields([
  {
    key: 'addressPrefix',
    label: 'Address prefix',
    noun: "the route's address prefix",
    help: 'or a service tag, e.g. Storage.WestEurope',
    shape: 'prefixOrServiceTag',
    example: '0.0.0.0/0',
    actions: ['add'],
    maxLength: 80,
    schema: RouteDestination,
  },
  {
    key: 'nextHopType',
    label: 'Next-hop type',
    noun: 'the next-hop type',
    shape: 'choice',
    choices: NEXT_HOP_TYPES,
    aliases: NEXT_HOP_ALIASES,
    example: 'VirtualAppliance',
    actions: ['add'],
    schema: oneOf(NEXT_HOP_TYPES, NEXT_HOP_ALIASES),
  },
  {
    key: 'nextHopIpAddress',
    label: 'Next-hop IP',
    noun: "the appliance's IP",
    help: 'VirtualAppliance only',
    shape: 'ip',
    example: '10.10.0.4',
    actions: ['add'],
    optional: true,
    maxLength: 45,
    schema: IpAddress.optional(),
  },
]);

/** A route of a route table: typed `route <table> add <name> <prefix> <next-hop-type> [next-hop-ip]`. */
export const UDR_ROUTE_FIELDS = [...ROUTE_NAME, ...ROUTE_PROPERTIES] as const;

export const UdrRouteInput = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('add'), ...schemaOf(UDR_ROUTE_FIELDS) }),
  z.strictObject({ action: z.literal('remove'), ...schemaOf(ROUTE_NAME) }),
]);
export type UdrRouteInput = z.output<typeof UdrRouteInput>;

/**
 * The address space of the VNets whose subnets use the table: every prefix (for black-hole warnings) and per
 * VNet (an appliance's reachability), with the VNets that could not be read.
 */
export interface UdrFacts extends ReachFacts {
  vnetPrefixes?: string[];
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const hop = (r: Pick<UdrRoute, 'addressPrefix' | 'nextHopType' | 'nextHopIpAddress'>) =>
  `${r.addressPrefix} → ${r.nextHopType}${r.nextHopIpAddress ? ` ${r.nextHopIpAddress}` : ''}`;
const cidrOf = (text: string): IpPrefix | undefined => {
  const r = parsePrefix(text);
  return r.ok ? r.prefix : undefined;
};

/** Why the route would drop traffic, if it would. */
function blackHole(
  input: Extract<UdrRouteInput, { action: 'add' }>,
  table: RouteTableSubject,
  facts: UdrFacts | undefined,
): string | undefined {
  if (input.nextHopType !== 'None') return undefined;
  const c = cidrOf(input.addressPrefix);
  if (!c) return undefined;
  const subnets = table.subnetIds.length;
  if (c.prefixLength === 0) {
    return `next hop None on ${c.text} drops ALL traffic leaving the ${subnets} associated subnet(s) that no more specific route carries, including to on-premises and the internet`;
  }
  const vnet = (facts?.vnetPrefixes ?? []).map(cidrOf).find((v) => v !== undefined && (contains(c, v) || overlaps(c, v)));
  if (vnet)
    return `next hop None on ${c.text} covers the VNet's own address space (${vnet.text}), so traffic between its subnets is dropped`;
  return undefined;
}

/** A route whose destination is a service tag rather than a prefix. */
const isTagRoute = (prefix: string) => cidrOf(prefix) === undefined && isServiceTag(prefix);

/** A property's value in canonical text (prefixes and addresses as Azure writes them back; a service tag as it is). */
function canonical(key: string, value: string): string {
  const field = ROUTE_PROPERTIES.find((f) => f.key === key);
  if (field?.shape === 'prefixOrServiceTag') return cidrOf(value)?.text ?? value;
  if (field?.shape === 'ip') return parseAddress(value)?.text ?? value;
  return value;
}

/** The route's properties the input gives, canonical, keyed as ARM names them. */
function routeProperties(input: Extract<UdrRouteInput, { action: 'add' }>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key } of ROUTE_PROPERTIES) {
    const value = (input as Readonly<Record<string, unknown>>)[key];
    if (typeof value === 'string' && value !== '') out[key] = canonical(key, value);
  }
  return out;
}

/** A prefix must be network-aligned and a destination unique in the table; service tags have their own limit. */
function destinationRefusal(table: RouteTableSubject, destination: string): Refusal | undefined {
  if (isTagRoute(destination)) {
    const dup = table.routes.find((r) => same(r.addressPrefix, destination));
    if (dup) {
      return {
        reason: `${table.name} already routes the service tag ${dup.addressPrefix} (route ${dup.name}: ${hop(dup)}); Azure allows one route per destination.`,
        alternative: `Remove route ${dup.name} first, or use another service tag.`,
      };
    }
    const tagged = table.routes.filter((r) => isTagRoute(r.addressPrefix)).length;
    if (tagged >= SERVICE_TAG_ROUTE_LIMIT) {
      return {
        reason: `${table.name} already has ${tagged} routes to service tags, Azure's limit per route table.`,
        alternative: 'Use a broader service tag (Storage rather than its regional tags), or put the routes in another route table.',
      };
    }
    return undefined;
  }
  const c = cidrOf(destination);
  if (!c) return { reason: `${destination} is not a prefix.`, alternative: 'Write it as address/length, or give a service tag.' };
  if (!isAligned(c)) return { reason: `${destination} is not network-aligned.`, alternative: `Use ${c.text}.` };
  const dup = table.routes.find((r) => cidrOf(r.addressPrefix)?.text === c.text);
  if (dup) {
    return {
      reason: `${table.name} already routes ${c.text} (route ${dup.name}: ${hop(dup)}); Azure allows one route per prefix.`,
      alternative: `Remove route ${dup.name} first, or use a different prefix.`,
    };
  }
  return undefined;
}

/** What the table shows of the route that the change did not ask for, or undefined when it shows the change. */
function routeMismatch(table: RouteTableSubject, input: UdrRouteInput): string | undefined {
  const r = table.routes.find((x) => same(x.name, input.name));
  if (input.action === 'remove') return r ? `route ${r.name} is still in ${table.name} (${hop(r)})` : undefined;
  if (!r) return `route ${input.name} is not in ${table.name}`;
  const now = r as unknown as Readonly<Record<string, unknown>>;
  const wrong = Object.entries(routeProperties(input)).filter(
    ([key, value]) => !(typeof now[key] === 'string' && canonical(key, now[key]) === value),
  );
  return wrong.length === 0 ? undefined : `route ${r.name} reads ${hop(r)}, not ${hop(input)}`;
}

/** The baseline of a removal keeps the removed route's destination: its effective routes are checked without it. */
const REMOVED_PREFIX = 'addressPrefix';

function nextHopExpectation(input: UdrRouteInput, baseline: Readonly<Record<string, unknown>> | undefined): NextHopExpectation {
  const prefix = input.action === 'add' ? input.addressPrefix : baseline?.[REMOVED_PREFIX];
  if (typeof prefix !== 'string') return { notChecked: 'the removed route’s destination was not recorded before the change' };
  if (isTagRoute(prefix)) return { notChecked: `${prefix} is a service tag, which Azure expands into prefixes of its own` };
  if (input.action === 'remove') return { prefix, removed: true };
  const route = routeProperties(input);
  return {
    prefix,
    nextHopType: input.nextHopType,
    ...(route.nextHopIpAddress !== undefined ? { nextHopIpAddress: route.nextHopIpAddress } : {}),
  };
}

export const udrRouteKind: ChangeKind<UdrRouteInput, UdrFacts, RouteTableSubject> = {
  name: 'udr-route',
  title: 'UDR route',
  right: 'request',
  scope: 'vnet',
  target: 'routeTable',
  fields: UDR_ROUTE_FIELDS,
  syntax: [
    {
      command: 'route',
      target: 'routeTable',
      select: ['add', 'create', 'new'],
      preset: { action: 'add' },
      style: 'positional',
      order: UDR_ROUTE_FIELDS.map((f) => f.key),
    },
    {
      command: 'route',
      target: 'routeTable',
      select: ['remove', 'delete', 'del', 'rm'],
      preset: { action: 'remove' },
      style: 'positional',
      order: ROUTE_NAME.map((f) => f.key),
    },
  ],
  form(on) {
    if (!('routeTable' in on)) return [];
    const table = on.routeTable;
    return [
      {
        id: 'udr-route-add',
        action: 'add',
        title: 'Add a UDR route',
        summary: `Applies to the ${table.subnetIds.length} subnet(s) using ${table.name}. A VirtualAppliance route needs the appliance's IP; None drops the traffic.`,
        creating: true,
        values: { nextHopType: 'VirtualAppliance' },
        placeholders: { name: 'e.g. default-to-firewall', addressPrefix: 'e.g. 0.0.0.0/0', nextHopIpAddress: 'e.g. 10.10.0.4' },
      },
      {
        id: 'udr-route-remove',
        action: 'remove',
        title: 'Remove a route',
        summary: 'Traffic then follows Azure’s system routes (or BGP routes) again.',
        choices: { name: table.routes.map((r) => ({ title: `${r.name}: ${hop(r)}`, value: r.name })) },
        values: { name: table.routes[0]?.name },
        ...(table.routes.length === 0 ? { unavailable: `${table.name} has no routes.` } : {}),
      },
    ];
  },
  input: UdrRouteInput,
  needsProvisioned: false,
  async gather(ctx, table) {
    const read = ctx.reader.getVnetAddressPrefixes?.bind(ctx.reader);
    const ids = [...new Set(table.subnetIds.map((id) => parentArmId(id, 'virtualNetworks')).filter((v): v is string => v !== undefined))];
    const vnets: VnetSpace[] = [];
    const unreadVnets: string[] = [];
    for (const id of ids) {
      try {
        if (!read) throw new Error('no VNet reader');
        vnets.push({ name: armIdName(id), prefixes: (await read(ctx.scope, id, { fresh: true })).value });
      } catch {
        // A VNet in another subscription may not be readable: the reachability check then becomes a warning.
        unreadVnets.push(armIdName(id));
      }
    }
    return { vnetPrefixes: vnets.flatMap((v) => v.prefixes), vnets, unreadVnets };
  },
  check(table, input): Refusal | undefined {
    const existing = table.routes.find((r) => same(r.name, input.name));
    if (input.action === 'remove') {
      return existing
        ? undefined
        : {
            reason: `${table.name} has no route called ${input.name}.`,
            alternative: [{ say: 'udr', args: [table.name] }, ' lists its routes.'],
          };
    }
    if (existing) {
      return {
        reason: `${table.name} already has a route called ${existing.name} (${hop(existing)}).`,
        alternative: 'Pick another name, or remove that route first.',
      };
    }
    const destination = destinationRefusal(table, input.addressPrefix);
    if (destination) return destination;
    const c = cidrOf(input.addressPrefix);
    if (table.routes.length >= ROUTE_TABLE_LIMIT) {
      return {
        reason: `${table.name} already has ${table.routes.length} routes, Azure's limit per route table.`,
        alternative: 'Summarise routes, or use another route table.',
      };
    }
    if (input.nextHopType === 'VirtualAppliance') {
      const ip = input.nextHopIpAddress ? parseAddress(input.nextHopIpAddress) : undefined;
      if (!ip) {
        return {
          reason: "A VirtualAppliance route needs the appliance's IP address as its next hop.",
          alternative: 'Give nextHopIpAddress: the private IP of the firewall or IDS appliance (or its load balancer).',
        };
      }
      if (c && ip.version !== c.version) {
        return {
          reason: `The next hop ${input.nextHopIpAddress} is IPv${ip.version} but ${c.text} is IPv${c.version}.`,
          alternative: 'Use an appliance address of the same IP family as the prefix.',
        };
      }
    } else if (input.nextHopIpAddress) {
      return {
        reason: `A ${input.nextHopType} route takes no next-hop IP address (only VirtualAppliance does).`,
        alternative: 'Leave the next-hop IP empty, or use VirtualAppliance.',
      };
    }
    return gatewaySubnetDefaultRoute(table, c) ?? gatewayNextHop(input.nextHopType, c?.text ?? input.addressPrefix);
  },
  describe(table, input, facts) {
    if (input.action === 'remove') {
      const r = table.routes.find((x) => same(x.name, input.name));
      const notes =
        r?.nextHopType === 'VirtualAppliance'
          ? [
              `Traffic to ${r.addressPrefix} no longer passes through the appliance at ${r.nextHopIpAddress ?? '?'}; check that this is intended (firewall or IDS bypass).`,
            ]
          : [];
      const propagation = gatewayPropagationNote(table);
      if (propagation) notes.push(propagation);
      return {
        diff: { [`Route ${input.name}`]: [r ? hop(r) : '(none)', '(removed)'] },
        impact: {
          downtime: 'none expected: Azure falls back to its system routes',
          oneWay: false,
          billing: 'No change.',
          disruptive: false,
          notes,
        },
      };
    }
    const hole = blackHole(input, table, facts);
    const notes: string[] = [`Applies to the ${table.subnetIds.length} subnet(s) associated with ${table.name}.`];
    if (hole) notes.unshift(`Black hole: ${hole}.`);
    if (input.nextHopType === 'VirtualAppliance' && cidrOf(input.addressPrefix)?.prefixLength === 0) {
      notes.push('All traffic goes through the appliance: if it is down, traffic from these subnets stops.');
    }
    if (isTagRoute(input.addressPrefix)) {
      notes.push(
        `${input.addressPrefix} is a service tag: Azure keeps its prefixes up to date, and a route with an explicit prefix wins over it on an exact match.`,
      );
    }
    const appliance = input.nextHopIpAddress ? parseAddress(input.nextHopIpAddress) : undefined;
    const toAppliance = input.nextHopType === 'VirtualAppliance' && appliance;
    const unverified = toAppliance ? unverifiedAppliance(appliance, facts) : undefined;
    const unreachable = toAppliance ? unreachableAppliance(table, appliance, facts) : undefined;
    const propagation = gatewayPropagationNote(table);
    for (const note of [unreachable, unverified, propagation]) if (note) notes.push(note);
    return {
      diff: { [`Route ${input.name}`]: ['(none)', hop(input)] },
      impact: {
        downtime: hole ? `expected: ${hole}` : 'none expected: the route only changes where matching traffic goes',
        oneWay: false,
        billing: 'No change.',
        disruptive: hole !== undefined,
        notes,
      },
    };
  },
  patch(_table, input) {
    if (input.action === 'remove') return { resource: 'routeTableRoute', name: input.name, action: 'delete' };
    return { resource: 'routeTableRoute', name: input.name, action: 'put', route: routeProperties(input) };
  },
  isApplied(table, input) {
    return routeMismatch(table, input) === undefined;
  },
  summary(table, input) {
    const r = table.routes.find((x) => same(x.name, input.name));
    return {
      'Route table': table.name,
      [`Route ${input.name}`]: r ? hop(r) : '(none)',
      Routes: String(table.routes.length),
      'Provisioning state': table.provisioningState,
    };
  },
  // The table Succeeded with the route as asked, and each associated subnet's effective next hop as asked.
  verify: {
    baseline: (_ctx, before, input): Promise<VerifyBaseline> => {
      const r = input.action === 'remove' ? before.routes.find((x) => same(x.name, input.name)) : undefined;
      const baseline: VerifyBaseline = r ? { [REMOVED_PREFIX]: r.addressPrefix } : {};
      return Promise.resolve(baseline);
    },
    look: (ctx, input, baseline) =>
      guardedLook('the route table', async () => {
        const table = await readFor('the route table', () => ctx.target());
        if (table.provisioningState !== 'Succeeded') {
          return { healthy: false, why: `${table.name} is ${table.provisioningState || 'in an unknown state'}, not Succeeded` };
        }
        const mismatch = routeMismatch(table, input);
        if (mismatch !== undefined) return { healthy: false, why: mismatch };
        const hops = await lookAtNextHops(ctx, table, nextHopExpectation(input, baseline));
        if (!hops.healthy) return hops;
        const r = table.routes.find((x) => same(x.name, input.name));
        const route = r ? `route ${r.name} reads ${hop(r)}` : `route ${input.name} is gone`;
        return { healthy: true, evidence: `${table.name} Succeeded, ${route}; ${hops.evidence}` };
      }),
  },
  /** Adding a new route is undone by removing it; removing (or replacing) one by putting the old one back. */
  undo(table, input) {
    const was = table.routes.find((x) => same(x.name, input.name));
    if (!was) {
      return input.action === 'add'
        ? { kind: 'udr-route', input: { action: 'remove', name: input.name } }
        : { oneWay: `${table.name} had no route called ${input.name}: there is nothing to put back.` };
    }
    return {
      kind: 'udr-route',
      input: {
        action: 'add',
        name: was.name,
        addressPrefix: was.addressPrefix,
        nextHopType: was.nextHopType,
        ...(was.nextHopIpAddress ? { nextHopIpAddress: was.nextHopIpAddress } : {}),
      },
      ...(input.action === 'add'
        ? { precondition: `Route ${was.name} must be removed first: a route table holds one route per name.` }
        : {}),
    };
  },
};
