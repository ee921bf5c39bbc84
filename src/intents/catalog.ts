import type { Right } from '../directory/rights';
import { expandRights } from '../directory/rights';
import type { IntentKind } from './intent';

/**
 * The one list of commands: `help` is generated from it, the parser finds commands (and their aliases) in it,
 * and the Teams manifest's commandLists can be generated from it. A new command is a new entry here plus its
 * Intent variant and argument parser.
 */
export interface CommandSpec {
  kind: IntentKind;
  /** What the user types first; also the Teams command title (≤ 32 characters). */
  name: string;
  /** Other words accepted for the command; not advertised. */
  aliases?: readonly string[];
  usage: string;
  /** One line, ≤ 128 characters (the Teams command description limit). */
  summary: string;
  /** What `help <command>` adds to the summary. */
  details?: string;
  examples: readonly string[];
  /** The right the person needs on at least one customer for the command to be listed. */
  right: Right;
}

const FRESH = 'Add `--fresh` to skip the short read cache.';

export const CATALOG: readonly CommandSpec[] = [
  {
    kind: 'help',
    name: 'help',
    aliases: ['?', 'commands'],
    usage: 'help [command]',
    summary: 'The commands you can use, or the details of one.',
    examples: ['help', 'help routes'],
    right: 'view',
  },
  {
    kind: 'customers',
    name: 'customers',
    aliases: ['customer', 'tenants'],
    usage: 'customers',
    summary: 'The customers you can see.',
    examples: ['customers'],
    right: 'view',
  },
  {
    kind: 'circuits',
    name: 'circuits',
    aliases: ['list'],
    usage: 'circuits [customer]',
    summary: 'Each circuit: customer, provider and location, bandwidth, SKU, provider state and health.',
    details: `Without a customer, lists the circuits of every customer you can see. ${FRESH}`,
    examples: ['circuits', 'circuits contoso'],
    right: 'view',
  },
  {
    kind: 'status',
    name: 'status',
    aliases: ['health', 'broken'],
    usage: 'status [customer|circuit]',
    summary: 'Health, worst first: provisioning, BGP per peering and path, ARP, utilisation, prefixes vs limit.',
    details: `Without a target, covers every circuit you can see: the on-call view. ${FRESH}`,
    examples: ['status', 'status contoso', 'status contoso/er1'],
    right: 'view',
  },
  {
    kind: 'circuit',
    name: 'circuit',
    aliases: ['show', 'detail'],
    usage: 'circuit <circuit>',
    summary: 'One circuit in full: SKU, states, peerings, authorizations, connections, route filter.',
    details: `A <circuit> is its name, customer/name, or its full ARM id. ${FRESH}`,
    examples: ['circuit er1', 'circuit contoso/er1'],
    right: 'view',
  },
  {
    kind: 'bandwidth',
    name: 'bandwidth',
    aliases: ['bw', 'usage', 'utilisation', 'utilization'],
    usage: 'bandwidth <circuit>',
    summary: 'Provisioned vs used bandwidth (in/out, primary/secondary, average and peak), headroom, upgrades.',
    details: FRESH,
    examples: ['bandwidth contoso/er1'],
    right: 'view',
  },
  {
    kind: 'routes',
    name: 'routes',
    aliases: ['route', 'routetable', 'rib'],
    usage: 'routes <circuit> [private|microsoft] [primary|secondary] [prefix] [page N]',
    summary: 'The BGP route table learnt from the edge routers, filtered and paged.',
    details:
      'Options come after the circuit in any order. The peering defaults to private and the path to primary. ' +
      `A prefix (10.1.0.0/16) or address (10.1.2.3) shows the routes overlapping it. ${FRESH}`,
    examples: ['routes contoso/er1', 'routes er1 microsoft secondary', 'routes er1 10.1.0.0/16', 'routes er1 page 2'],
    right: 'view',
  },
  {
    kind: 'bgp',
    name: 'bgp',
    aliases: ['summary', 'neighbors', 'neighbours'],
    usage: 'bgp <circuit> [private|microsoft]',
    summary: 'BGP summary for both paths: neighbour, AS, up/down, prefixes received vs the SKU limit.',
    details: FRESH,
    examples: ['bgp er1', 'bgp contoso/er1 microsoft'],
    right: 'view',
  },
  {
    kind: 'arp',
    name: 'arp',
    usage: 'arp <circuit> [private|microsoft] [primary|secondary]',
    summary: 'The ARP table of a peering on one path.',
    details: `Options come after the circuit in any order. ${FRESH}`,
    examples: ['arp er1', 'arp contoso/er1 private secondary'],
    right: 'view',
  },
  {
    kind: 'peerings',
    name: 'peerings',
    aliases: ['peering'],
    usage: 'peerings <circuit>',
    summary: "Each peering's VLAN, ASNs, subnets, state and route filter.",
    details: FRESH,
    examples: ['peerings contoso/er1'],
    right: 'view',
  },
  {
    kind: 'filters',
    name: 'filters',
    aliases: ['filter', 'route-filters', 'routefilters', 'communities'],
    usage: 'filters [customer]',
    summary: 'Route filters and their BGP communities.',
    details: FRESH,
    examples: ['filters', 'filters contoso'],
    right: 'view',
  },
  {
    kind: 'udr',
    name: 'udr',
    aliases: ['udrs', 'route-tables', 'routetables'],
    usage: 'udr [customer|route table]',
    summary: 'User-defined route tables and their routes.',
    details: `A route table is its name, customer/name, or its full ARM id. ${FRESH}`,
    examples: ['udr', 'udr contoso', 'udr contoso/rt-firewall'],
    right: 'view',
  },
  {
    kind: 'upgrade',
    name: 'upgrade',
    usage: 'upgrade <circuit> <bandwidth>',
    summary: 'Ask for a bandwidth upgrade; it runs once the customer’s approvers approve it.',
    details:
      'The bandwidth is a provider step such as `2 Gbps` or `2000` (Mbps). A decrease, or a step the provider or port ' +
      "doesn't offer, is refused at once with what to do instead.",
    examples: ['upgrade contoso/er1 2 Gbps', 'upgrade er1 2000'],
    right: 'request',
  },
  {
    kind: 'change',
    name: 'change',
    aliases: ['modify'],
    usage: 'change <circuit>',
    summary: 'A form for every change to a circuit: bandwidth, SKU tier and SKU family.',
    details: 'Pick the change on the form; the request then goes to the approvers like `upgrade` does.',
    examples: ['change contoso/er1'],
    right: 'request',
  },
  {
    kind: 'requests',
    name: 'requests',
    aliases: ['changes'],
    usage: 'requests [pending|mine|all]',
    summary: 'Change requests and their state: pending ones (default), the ones you asked for, or all.',
    examples: ['requests', 'requests mine', 'requests all'],
    right: 'view',
  },
  {
    kind: 'request',
    name: 'request',
    usage: 'request <id>',
    summary: 'One change request: what it changes, who approved it, and where it stands.',
    examples: ['request CR-7F3K2QX'],
    right: 'view',
  },
  {
    kind: 'approve',
    name: 'approve',
    usage: 'approve <id>',
    summary: 'Approve a change request (the same as its card’s Approve button).',
    details: 'You cannot approve your own request, nor approve one twice.',
    examples: ['approve CR-7F3K2QX'],
    right: 'approve',
  },
  {
    kind: 'reject',
    name: 'reject',
    aliases: ['deny'],
    usage: 'reject <id> <reason>',
    summary: 'Reject a change request, with a reason the requester will see.',
    examples: ['reject CR-7F3K2QX not during the trading freeze'],
    right: 'approve',
  },
  {
    kind: 'cancel',
    name: 'cancel',
    aliases: ['withdraw'],
    usage: 'cancel <id>',
    summary: 'Withdraw a change request you asked for, while it is still pending.',
    examples: ['cancel CR-7F3K2QX'],
    right: 'request',
  },
  {
    kind: 'audit',
    name: 'audit',
    aliases: ['history', 'log'],
    usage: 'audit [customer] [count]',
    summary: 'The audit trail of change requests: who did what, when, before and after. Read-only.',
    examples: ['audit', 'audit contoso', 'audit contoso 50'],
    right: 'view',
  },
  {
    kind: 'approvals-channel',
    name: 'approvals',
    usage: 'approvals here <customer>',
    summary: "Run in a channel: it becomes the customer's approvals channel, where new requests are posted.",
    details: 'Needs the admin right on that customer.',
    examples: ['approvals here contoso'],
    right: 'admin',
  },
];

/** Intents that only a card button produces (the change form's submit): nothing to type, so no entry above. */
export const CARD_ONLY_KINDS: readonly IntentKind[] = ['submit-change'];

const byWord = new Map<string, CommandSpec>();
for (const spec of CATALOG) {
  for (const word of [spec.name, ...(spec.aliases ?? [])]) byWord.set(word.toLowerCase(), spec);
}

/** The command a word names (name or alias, any case). */
export function findCommand(word: string): CommandSpec | undefined {
  return byWord.get(word.trim().toLowerCase());
}

/** Names, for "did you mean". Aliases are included so that a near-miss of one still gets an answer. */
export function commandWords(): string[] {
  return [...byWord.keys()];
}

/** The commands a person holding `rights` (on at least one customer) may use. `help` is always there. */
export function commandsFor(rights: Iterable<Right>): CommandSpec[] {
  const held = expandRights(rights);
  return CATALOG.filter((spec) => spec.kind === 'help' || held.has(spec.right));
}

export const helpFor = commandsFor;
