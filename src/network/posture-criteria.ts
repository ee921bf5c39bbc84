import { armIdName, sameArmId, subscriptionOfArmId } from './arm-id';
import { describeRule, internetOutbound, openToInternet } from './nsg-rules';
import type { CircuitLinkFact } from './posture-facts';
import {
  applianceNextHops,
  checkedSubnets,
  type CircuitSubject,
  defaultRouteOf,
  describePath,
  internetPath,
  ipsecOverPrivatePeering,
  isGatewaySubnet,
  isSentHome,
  isTunnelled,
  key,
  names,
  skippedSubnets,
  type SubscriptionOwner,
  unread,
  type Verdict,
  type VnetSubject,
} from './posture-subjects';
import type { PeeringKind } from './types';

/**
 * The security criteria of the ExpressRoute-for-CSP guidance, each declared once: what it checks, how, and what
 * to do about a gap. The security card, its summary and the tests all derive from these declarations.
 */

export type CriterionId =
  | 'isolation'
  | 'separation'
  | 'encryption'
  | 'nsg-on-subnets'
  | 'no-open-inbound'
  | 'gateway-subnet-nsg'
  | 'forced-tunnelling'
  | 'internet-backstop';

interface Declaration<S> {
  id: CriterionId;
  title: string;
  /** How it is evaluated, in one sentence. */
  rule: string;
  /** What to do about a gap. */
  fix: string;
  evaluate(subject: S): Verdict;
}

const met = (...evidence: string[]): Verdict => ({ status: 'met', evidence });
const gap = (...evidence: string[]): Verdict => ({ status: 'gap', evidence });
const na = (...evidence: string[]): Verdict => ({ status: 'na', evidence });
const unknown = (...evidence: string[]): Verdict => ({ status: 'unknown', evidence });
const advice = (...evidence: string[]): Verdict => ({ status: 'advice', evidence });
const NOT_REQUIRED = "not required by the customer's directory entry";

/**
 * A link from outside the customer, in words that name neither another customer nor its resources: only the
 * subscription, and only when the directory lists it for no customer.
 */
function outsider(link: CircuitLinkFact, owner: SubscriptionOwner): string {
  const what = link.authorization ? `Authorization ${link.authorization} was redeemed` : 'A VNet link comes';
  if (owner === 'other') return `${what} from a subscription outside this customer.`;
  if (!link.subscriptionId) return `${what} from a connection Azure doesn't name.`;
  return `${what} from subscription ${link.subscriptionId}, which the directory lists for no customer.`;
}

const isolation: Declaration<CircuitSubject> = {
  id: 'isolation',
  title: 'Isolation',
  rule: "Every VNet link and redeemed authorization of the circuit comes from the customer's own subscriptions, per the directory.",
  fix:
    'Remove the links and revoke the authorizations that come from outside the customer: a circuit is shared only between ' +
    "subscriptions of one customer. If a subscription is the customer's, add it to their directory entry.",
  evaluate: (s) => {
    if (!s.links.ok) return unread('the VNet links', s.links.error);
    const links = s.links.value;
    const inUse = s.circuit.authorizations.filter((a) => a.useStatus?.toLowerCase() === 'inuse');
    const named = new Set(links.flatMap((l) => (l.authorization ? [key(l.authorization)] : [])));
    // A redeemed authorization no link accounts for is judged by its connection's subscription, not trusted.
    const unlinked = inUse.flatMap((a): CircuitLinkFact[] => {
      const connectionId = a.connectionId;
      if (!connectionId || named.has(key(a.name)) || links.some((l) => l.connectionId && sameArmId(l.connectionId, connectionId)))
        return [];
      const subscriptionId = subscriptionOfArmId(connectionId);
      return [{ name: a.name, connectionId, authorization: a.name, ...(subscriptionId ? { subscriptionId } : {}) }];
    });
    const outside = [...links, ...unlinked].flatMap((l) => {
      const owner: SubscriptionOwner = l.subscriptionId ? s.ownerOf(l.subscriptionId) : 'unknown';
      return owner === 'own' ? [] : [outsider(l, owner)];
    });
    if (outside.length > 0) return gap(...outside);
    const unnamed = inUse.filter((a) => !a.connectionId && !named.has(key(a.name)));
    if (unnamed.length > 0) {
      return unknown(`Authorization ${names(unnamed.map((a) => a.name))} is in use, but Azure doesn't say by which connection.`);
    }
    if (links.length === 0) return met('No VNet links and no redeemed authorizations.');
    return met(
      `${links.length} link${links.length === 1 ? '' : 's'}, all from the customer's own subscriptions: ${names(links.map((l) => l.name))}.`,
    );
  },
};

const PEERING_WORDS: Record<PeeringKind, string> = { private: 'private', microsoft: 'Microsoft', public: 'Azure public' };

const separation: Declaration<CircuitSubject> = {
  id: 'separation',
  title: 'Public/private separation',
  rule:
    'Where the directory asks for it (separatePublicAndPrivate), a circuit carries public peering (Microsoft, or Azure public) ' +
    'or private peering, not both.',
  fix: 'Move the public peering to a circuit of its own: this customer keeps public and private traffic on separate circuits.',
  evaluate: (s) => {
    const kinds = [...new Set(s.circuit.peerings.map((p) => p.kind))];
    // As the change kinds' refusal has it (peering-separation.ts): Azure public peering is public traffic too.
    const both = kinds.includes('private') && kinds.some((k) => k !== 'private');
    const carries = both
      ? `Carries ${kinds.map((k) => PEERING_WORDS[k]).join(' and ')} peering`
      : kinds.length === 0
        ? 'No peerings yet'
        : `Carries ${kinds.map((k) => PEERING_WORDS[k]).join(' and ')} peering only`;
    if (!s.requirements.separatePublicAndPrivate) return na(`${carries}; separation is ${NOT_REQUIRED}.`);
    return both ? gap(`${carries} on one circuit.`) : met(`${carries}.`);
  },
};

/** MACsec on every link of the circuit's Direct port: undefined when it isn't a Direct circuit. */
function macsec(s: CircuitSubject): Verdict | undefined {
  const direct = s.circuit.direct;
  if (!direct) return undefined;
  if (!s.ports.ok) return unread(`ExpressRoute Direct port ${armIdName(direct.portId)}`, s.ports.error);
  const port = s.ports.value.find((p) => key(p.id) === key(direct.portId));
  if (!port) return unknown(`ExpressRoute Direct port ${armIdName(direct.portId)} wasn't found.`);
  const on = port.links.filter((l) => l.cipher && l.keysSet);
  if (port.links.length > 0 && on.length === port.links.length) {
    return met(`MACsec on both links of ${port.name} (${[...new Set(on.map((l) => l.cipher))].join(', ')}).`);
  }
  return gap(
    on.length > 0
      ? `MACsec on ${names(on.map((l) => l.link))} of ${port.name} only.`
      : `No MACsec on ExpressRoute Direct port ${port.name}.`,
  );
}

const encryption: Declaration<CircuitSubject> = {
  id: 'encryption',
  title: 'Encryption',
  rule:
    'MACsec on the ExpressRoute Direct port, IPsec over private peering (a VPN gateway with private IPs), or a firewall ' +
    'appliance as the UDR next hop at both ends; required where the directory says requireEncryption.',
  fix:
    'Turn on MACsec on the ExpressRoute Direct port, or run IPsec over private peering (a VPN gateway with private IPs and ' +
    'connections that use them), or route through firewalls that encrypt at both ends.',
  evaluate: (s) => {
    const required = s.requirements.requireEncryption === true;
    const port = macsec(s);
    if (port?.status === 'met') return port;
    if (!s.vnets.ok) return unread('the VNets behind the circuit', s.vnets.error);
    // Every VNet behind the circuit must be read to call its traffic encrypted, or to say there is none.
    const unreadVnets =
      s.unreadVnets.length > 0 ? [`${names(s.unreadVnets)}: not read, so whether its traffic is encrypted isn't known.`] : [];
    if (s.vnets.value.length === 0) {
      if (port?.status === 'unknown') return port;
      if (unreadVnets.length > 0) return unknown(...unreadVnets);
      return na('No VNet is linked from the customer\u2019s subscriptions: no private traffic to encrypt.');
    }
    const seen: string[] = [];
    const noMacsec = port ? port.evidence : ['No MACsec: a provider circuit (MACsec is for ExpressRoute Direct ports).'];
    const bare: string[] = [];
    let applianceOnly = false;
    for (const v of s.vnets.value) {
      const tunnels = ipsecOverPrivatePeering(v);
      if (!tunnels.ok) return unread(`the gateways of ${v.vnet.name}`, tunnels.error);
      if (tunnels.value.length > 0) {
        seen.push(`${v.vnet.name}: ${names(tunnels.value, 2)}.`);
        continue;
      }
      const hops = applianceNextHops(v);
      if (!hops.ok) return unread(`the route tables of ${v.vnet.name}`, hops.error);
      if (hops.value) {
        applianceOnly = true;
        seen.push(`${v.vnet.name}: appliance next hop on every subnet (${names(hops.value, 2)}).`);
      } else bare.push(v.vnet.name);
    }
    const missing = `${names(bare)}: no IPsec over private peering and no appliance next hop.`;
    if (bare.length > 0 && required) return gap(missing, ...noMacsec, ...seen, ...unreadVnets);
    if (unreadVnets.length > 0) return unknown(...unreadVnets, ...(bare.length > 0 ? [missing] : []), ...seen);
    if (bare.length === 0 && !applianceOnly) return met(...seen);
    if (bare.length === 0) {
      const unseen = "Azure's side has appliances; the on-premises side can't be seen from Azure: confirm a firewall that encrypts there.";
      return required ? unknown(unseen, ...seen) : na(`Encryption is ${NOT_REQUIRED}.`, unseen, ...seen);
    }
    return na(`Encryption is ${NOT_REQUIRED}.`, missing, ...noMacsec, ...seen);
  },
};

const nsgOnSubnets: Declaration<VnetSubject> = {
  id: 'nsg-on-subnets',
  title: 'NSG on every subnet',
  rule:
    'Every subnet of the VNet that takes one has a network security group: not the GatewaySubnet, nor Azure Firewall’s ' +
    'or Azure Route Server’s subnets, where Azure supports none.',
  fix: 'Associate an NSG with each subnet listed (never with the GatewaySubnet).',
  evaluate: (s) => {
    const subnets = checkedSubnets(s.vnet, 'nsg');
    const skipped = skippedSubnets(s.vnet, 'nsg');
    if (subnets.length === 0) return na('No subnets that take an NSG besides the GatewaySubnet.', ...skipped);
    const bare = subnets.filter((x) => !x.nsgId).map((x) => x.name);
    if (bare.length > 0) return gap(`No NSG on ${names(bare)}.`, ...skipped);
    return met(
      subnets.length === 1 ? `Its one subnet, ${subnets[0]?.name ?? ''}, has an NSG.` : `All ${subnets.length} subnets have an NSG.`,
      ...skipped,
    );
  },
};

const noOpenInbound: Declaration<VnetSubject> = {
  id: 'no-open-inbound',
  title: 'No open inbound rule',
  rule:
    'No NSG rule on the subnets allows inbound traffic from Internet or * to every port, or to a management port (SSH 22, ' +
    'RDP 3389); one service port such as 443 is a choice.',
  fix: 'Narrow the rule to the sources and ports the workload needs (reach SSH and RDP through Azure Bastion or a VPN), or remove it.',
  evaluate: (s) => {
    const attached = s.vnet.subnets.filter((x) => x.nsgId);
    if (attached.length === 0) return na('No NSG on the subnets to check.');
    if (!s.nsgs.ok) return unread('the NSGs', s.nsgs.error);
    const nsgs = s.nsgs.value;
    const open: string[] = [];
    const missing: string[] = [];
    for (const subnet of attached) {
      const nsg = nsgs.get(key(subnet.nsgId ?? ''));
      if (!nsg) missing.push(armIdName(subnet.nsgId ?? ''));
      else
        for (const r of nsg.rules) {
          const what = openToInternet(r);
          if (what) open.push(`${nsg.name}: ${describeRule(r)} allows ${what} from ${r.sources.join(', ')} (${subnet.name}).`);
        }
    }
    if (open.length > 0) return gap(...open);
    if (missing.length > 0) return unknown(`NSG ${names(missing)} wasn't found.`);
    return met(
      `No rule in ${names([...new Set(attached.map((x) => armIdName(x.nsgId ?? '')))])} opens every port, SSH or RDP to the internet.`,
    );
  },
};

const gatewaySubnetNsg: Declaration<VnetSubject> = {
  id: 'gateway-subnet-nsg',
  title: 'GatewaySubnet as Azure supports it',
  rule:
    'The GatewaySubnet has no NSG, no 0.0.0.0/0 UDR, and keeps BGP route propagation on: Azure supports none of those ' +
    "there (with propagation off, Azure says the gateway won't function).",
  fix:
    'Remove the NSG from the GatewaySubnet, and the 0.0.0.0/0 route from its route table; turn BGP route propagation ' +
    "back on there. The gateway's traffic can break otherwise.",
  evaluate: (s) => {
    const subnet = s.vnet.subnets.find(isGatewaySubnet);
    if (!subnet) return na(s.hub ? `A spoke: it uses ${s.hub.name}'s gateway.` : 'No GatewaySubnet.');
    const wrong = subnet.nsgId ? [`NSG ${armIdName(subnet.nsgId)} is on the GatewaySubnet.`] : [];
    if (!subnet.routeTableId) return wrong.length > 0 ? gap(...wrong) : met('The GatewaySubnet has no NSG.');
    const tableName = armIdName(subnet.routeTableId);
    const table = s.routeTables.ok ? s.routeTables.value.get(key(subnet.routeTableId)) : undefined;
    if (!table) {
      const why = s.routeTables.ok
        ? [`Route table ${tableName} wasn't found.`]
        : unread(`route table ${tableName}`, s.routeTables.error).evidence;
      return wrong.length > 0 ? gap(...wrong, ...why) : unknown(...why);
    }
    const route = defaultRouteOf(table);
    if (route) wrong.push(`UDR ${route.name} in ${table.name} sends 0.0.0.0/0 from the GatewaySubnet: Azure doesn't support that.`);
    if (table.disableBgpRoutePropagation) {
      wrong.push(`${table.name} turns BGP route propagation off on the GatewaySubnet: Azure says the gateway won't function like that.`);
    }
    if (wrong.length > 0) return gap(...wrong);
    return met(`The GatewaySubnet has no NSG; ${table.name} on it has no 0.0.0.0/0 route and keeps BGP route propagation on.`);
  },
};

const forcedTunnelling: Declaration<VnetSubject> = {
  id: 'forced-tunnelling',
  title: 'Forced tunnelling',
  rule:
    'Internet-bound traffic goes back home: 0.0.0.0/0 learned over private peering, or set by UDR to a firewall (or to a ' +
    'VPN gateway, then over site-to-site VPN), on every subnet that takes a route table; required where the directory ' +
    'says forcedTunnelling.',
  fix: 'Advertise 0.0.0.0/0 from on-premises over private peering, or add a 0.0.0.0/0 UDR to the firewall on each subnet listed.',
  evaluate: (s) => {
    const subnets = checkedSubnets(s.vnet, 'routes');
    const skipped = skippedSubnets(s.vnet, 'routes');
    if (subnets.length === 0) return na('No subnets that take a route table besides the GatewaySubnet.', ...skipped);
    const paths = subnets.map((subnet) => ({ subnet, path: internetPath(subnet, s) }));
    const on = paths.filter((p) => isTunnelled(p.path));
    const off = paths.filter((p) => p.path.kind === 'direct');
    const unsure = paths.filter((p) => p.path.kind === 'unknown');
    const lines = (items: typeof paths) => {
      const byWhy = new Map<string, string[]>();
      for (const p of items) byWhy.set(describePath(p.path), [...(byWhy.get(describePath(p.path)) ?? []), p.subnet.name]);
      return [...byWhy].map(([why, subnetNames]) => `${names(subnetNames)}: ${why}.`);
    };
    if (off.length === 0 && unsure.length === 0) return met(...lines(on), ...skipped);
    if (off.length === 0) return unknown(...lines(unsure), ...lines(on), ...skipped);
    const required = s.requirements.forcedTunnelling === true;
    const evidence = [...lines(off), ...lines(unsure), ...lines(on), ...skipped];
    return required
      ? gap(...evidence)
      : na(`Off on ${names(off.map((p) => p.subnet.name))}; forced tunnelling is ${NOT_REQUIRED}.`, ...evidence);
  },
};

const internetBackstop: Declaration<VnetSubject> = {
  id: 'internet-backstop',
  title: 'Outbound deny-Internet backstop',
  rule:
    'Where forced tunnelling is on, each tunnelled subnet’s NSG denies outbound traffic to Internet, so that nothing leaves ' +
    'directly if the default route is withdrawn: recommended, and a gap where the directory says forcedTunnelling.',
  fix: 'Add an outbound rule denying destination Internet (e.g. priority 4000) to the NSG of each subnet listed.',
  evaluate: (s) => {
    const tunnelled = checkedSubnets(s.vnet, 'routes').filter((subnet) => isSentHome(internetPath(subnet, s)));
    if (tunnelled.length === 0) return na('Forced tunnelling is off: nothing to back up.');
    if (!s.nsgs.ok) return unread('the NSGs', s.nsgs.error);
    const nsgs = s.nsgs.value;
    const open: string[] = [];
    const backed: string[] = [];
    const missing: string[] = [];
    for (const subnet of tunnelled) {
      const nsg = subnet.nsgId ? nsgs.get(key(subnet.nsgId)) : undefined;
      if (!subnet.nsgId) open.push(`${subnet.name} has no NSG.`);
      else if (!nsg) missing.push(armIdName(subnet.nsgId));
      else {
        const out = internetOutbound(nsg);
        const except = out.exceptions.length > 0 ? ` with exceptions: ${names(out.exceptions.map(describeRule), 3)}` : '';
        if (out.denied && out.rule) backed.push(`${nsg.name}: deny Internet by ${describeRule(out.rule)}${except}`);
        else open.push(`${subnet.name}: ${nsg.name} lets traffic out to the internet${out.rule ? ` (${describeRule(out.rule)})` : ''}.`);
      }
    }
    // Recommended by the guidance; the customer's directory entry makes it a requirement with forcedTunnelling.
    if (open.length > 0) return s.requirements.forcedTunnelling === true ? gap(...open) : advice(...open);
    if (missing.length > 0) return unknown(`NSG ${names(missing)} wasn't found.`);
    return met(`Outbound Internet denied: ${names([...new Set(backed)], 3)}.`);
  },
};

/** Checked once per circuit. */
export const CIRCUIT_CRITERIA: readonly Declaration<CircuitSubject>[] = [isolation, separation, encryption];
/** Checked once per VNet behind a circuit. */
export const VNET_CRITERIA: readonly Declaration<VnetSubject>[] = [
  nsgOnSubnets,
  noOpenInbound,
  gatewaySubnetNsg,
  forcedTunnelling,
  internetBackstop,
];

export type CriterionDeclaration = Omit<Declaration<never>, 'evaluate'>;
const ALL: readonly CriterionDeclaration[] = [...CIRCUIT_CRITERIA, ...VNET_CRITERIA];

export function criterion(id: CriterionId): CriterionDeclaration {
  const found = ALL.find((c) => c.id === id);
  if (!found) throw new Error(`no criterion ${id}`);
  return found;
}
