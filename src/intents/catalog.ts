import type { Right } from '../directory/rights';
import { expandRights } from '../directory/rights';
import type { ArgSpec } from './command-args';
import type { CommandName, Hint } from '../command-names';
import type { IntentKind } from './intent';
import { changeUsage } from './change-usage';
import { ALERT_CONDITIONS } from '../alerts/alert-conditions';

/**
 * The one list of commands: `help` is generated from it, the parser finds commands (and their aliases) and
 * reads their arguments by it, and the Teams manifest's commandLists can be generated from it. A new command
 * is a new entry here plus its Intent variant and the line in parse-command.ts that builds it.
 */
export interface CommandSpec {
  kind: IntentKind;
  /** What the user types first; also the Teams command title (≤ 32 characters). */
  name: string;
  /** Other words accepted for the command; not advertised. */
  aliases?: readonly string[];
  usage: string;
  /** What follows the name; `usage` shows the same (catalog.test.ts checks they agree). */
  args: ArgSpec;
  /** One line, ≤ 128 characters (the Teams command description limit). */
  summary: string;
  /** What `help <command>` adds to the summary; other commands named by reference (command-names.ts). */
  details?: Hint;
  examples: readonly string[];
  /** The right the person needs on at least one customer for the command to be listed. */
  right: Right;
}

const FRESH = 'Add `--fresh` to skip the short read cache.';

/**
 * Keyed by CommandName (command-names.ts): every entry's name is one of COMMAND_NAMES and every name has an
 * entry (EVERY_NAME_LISTED below), so the hints that refer to commands by name follow a rename or a removal.
 */
const ENTRIES = [
  {
    kind: 'help',
    name: 'help',
    aliases: ['?', 'commands'],
    usage: 'help [command]',
    args: { target: { ref: 'command', optional: true }, fresh: 'flag' },
    summary: 'The commands you can use, or the details of one.',
    examples: ['help', 'help routes'],
    right: 'view',
  },
  {
    kind: 'customers',
    name: 'customers',
    aliases: ['customer', 'tenants'],
    usage: 'customers',
    args: { fresh: 'flag' },
    summary: 'The customers you can see.',
    examples: ['customers'],
    right: 'view',
  },
  {
    kind: 'circuits',
    name: 'circuits',
    aliases: ['list'],
    usage: 'circuits [customer]',
    args: { target: { ref: 'customer', optional: true }, fresh: 'flag-or-word' },
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
    args: { target: { ref: 'customerOrCircuit', optional: true }, fresh: 'flag-or-word' },
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
    args: { target: { ref: 'circuit' }, fresh: 'flag-or-word' },
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
    args: { target: { ref: 'circuit' }, fresh: 'flag-or-word' },
    summary: 'Provisioned vs used bandwidth (in/out, primary/secondary, average and peak), headroom, upgrades.',
    details: FRESH,
    examples: ['bandwidth contoso/er1'],
    right: 'view',
  },
  {
    kind: 'routes',
    name: 'routes',
    aliases: ['routetable', 'rib'],
    usage: 'routes <circuit> [private|microsoft] [primary|secondary] [prefix] [page N]',
    args: { target: { ref: 'circuit' }, options: ['peering', 'path', 'prefix', 'page'], fresh: 'flag-or-word' },
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
    args: { target: { ref: 'circuit' }, options: ['peering'], showsBothPaths: true, fresh: 'flag-or-word' },
    summary: 'BGP summary for both paths: neighbour, AS, up/down, prefixes received vs the SKU limit.',
    details: FRESH,
    examples: ['bgp er1', 'bgp contoso/er1 microsoft'],
    right: 'view',
  },
  {
    kind: 'arp',
    name: 'arp',
    usage: 'arp <circuit> [private|microsoft] [primary|secondary]',
    args: { target: { ref: 'circuit' }, options: ['peering', 'path'], fresh: 'flag-or-word' },
    summary: 'The ARP table of a peering on one path.',
    details: `Options come after the circuit in any order. ${FRESH}`,
    examples: ['arp er1', 'arp contoso/er1 private secondary'],
    right: 'view',
  },
  {
    kind: 'peerings',
    name: 'peerings',
    usage: 'peerings <circuit>',
    args: { target: { ref: 'circuit' }, fresh: 'flag-or-word' },
    summary: "Each peering's VLAN, ASNs, subnets, state and route filter.",
    details: FRESH,
    examples: ['peerings contoso/er1'],
    right: 'view',
  },
  {
    kind: 'filters',
    name: 'filters',
    aliases: ['route-filters', 'routefilters', 'communities'],
    usage: 'filters [customer]',
    args: { target: { ref: 'customer', optional: true }, fresh: 'flag-or-word' },
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
    args: { target: { ref: 'customerOrRouteTable', optional: true }, fresh: 'flag-or-word' },
    summary: 'User-defined route tables and their routes.',
    details: `A route table is its name, customer/name, or its full ARM id. ${FRESH}`,
    examples: ['udr', 'udr contoso', 'udr contoso/rt-firewall'],
    right: 'view',
  },
  {
    kind: 'security',
    name: 'security',
    aliases: ['posture'],
    usage: 'security <customer|circuit>',
    args: { target: { ref: 'customerOrCircuit', missing: 'name the customer or circuit whose security to check' }, fresh: 'flag-or-word' },
    summary: 'Security posture of each circuit and VNet behind it: isolation, separation, NSGs, forced tunnelling, encryption.',
    details:
      'Each criterion is met, a gap (with the fix), not applicable, or unknown when Azure could not be read. The customer’s ' +
      `directory entry says which of separation, forced tunnelling and encryption are required. ${FRESH}`,
    examples: ['security contoso', 'security contoso/contoso-ams-er1'],
    right: 'view',
  },
  {
    kind: 'effective-routes',
    name: 'effective-routes',
    aliases: ['effective', 'nic-routes'],
    usage: 'effective-routes <nic|vm> [destination IP] [page N]',
    args: { target: { ref: 'nicOrVm' }, options: ['destination', 'page'], fresh: 'flag-or-word' },
    summary: "A NIC's effective routes (system, UDR, BGP) and, for a destination, which route wins, why, and where traffic goes.",
    details:
      'A VM is read through its primary NIC; name either by name, customer/name or ARM id. Azure computes the table only for ' +
      `a running VM. With a destination IP: the longest prefix wins, then a user route over BGP over a system route. ${FRESH}`,
    examples: ['effective-routes vm-contoso-app01', 'effective-routes contoso/vm-contoso-app01 10.20.1.5'],
    right: 'view',
  },
  {
    kind: 'upgrade',
    name: 'upgrade',
    usage: 'upgrade <circuit> <bandwidth>',
    args: {
      target: { ref: 'circuit' },
      rest: { value: 'bandwidth', missing: 'name the new bandwidth after the circuit' },
      fresh: 'none',
    },
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
    args: { target: { ref: 'changeTarget' }, fresh: 'none' },
    summary: 'A form for every change: bandwidth, SKU, peerings, route filters, authorizations; or a route table’s routes.',
    details:
      'Name a circuit for its form (bandwidth, SKU, private and Microsoft peering, enable/disable, route filter, ' +
      'authorizations), a route table for adding or removing UDR routes, or a route filter for its communities. ' +
      'The request then goes to the approvers, as an upgrade does. Type MD5 keys into the form, not into chat.',
    examples: ['change contoso/er1', 'change contoso/rt-contoso-spoke'],
    right: 'request',
  },
  {
    kind: 'peering',
    name: 'peering',
    usage: changeUsage('peering'),
    args: { changeKinds: true, fresh: 'none' },
    summary: 'Ask to create or change private or Microsoft peering, or to enable or disable one.',
    details: [
      'Give every field to create a peering, or only what changes. Microsoft peering advertises nothing until a route ' +
        'filter is attached. A key typed in chat stays in its history (and a channel sees it): prefer ',
      { say: 'change', args: ['<circuit>'] },
      ' in a 1:1 chat. Azure public peering is deprecated and cannot be created. With only a circuit, it lists the peerings like ',
      { say: 'peerings', args: ['<circuit>'] },
      '.',
    ],
    examples: [
      'peering contoso/er1 private vlan 100 asn 65010 primary 10.0.0.0/30 secondary 10.0.0.4/30',
      'peering er1 microsoft prefixes 145.14.8.0/24 registry RIPENCC',
      'peering er1 private disable',
    ],
    right: 'request',
  },
  {
    kind: 'filter',
    name: 'filter',
    aliases: ['route-filter', 'routefilter'],
    usage: changeUsage('filter'),
    args: { changeKinds: true, fresh: 'none' },
    summary: 'Ask to create a route filter, attach it to Microsoft peering, or set its BGP communities.',
    details: [
      'A filter is created in the circuit’s region with one Allow rule. Communities are 12076:5NNN (a service) or ' +
        '12076:5NNNN (a region), as Azure lists them; ',
      { say: 'filters' },
      ' shows the ones in use. With only a customer, or nothing, it lists the filters like ',
      { say: 'filters', args: ['<customer>'] },
      '.',
    ],
    examples: [
      'filter contoso/er1 create rf-m365 communities 12076:5010,12076:51004',
      'filter er1 attach rf-m365',
      'filter rf-m365 communities 12076:5010',
    ],
    right: 'request',
  },
  {
    kind: 'route',
    name: 'route',
    aliases: ['udr-route'],
    usage: changeUsage('route'),
    args: { changeKinds: true, fresh: 'none' },
    summary: 'Ask to add or remove a user-defined route in a route table (e.g. through a firewall appliance).',
    details: [
      'Next-hop types: VirtualAppliance (needs its IP), VirtualNetworkGateway (not towards an ExpressRoute gateway: its routes come from BGP), VnetLocal, Internet, None (drops traffic). ' +
        'With a circuit and no add or remove, it shows the BGP routes like ',
      { say: 'routes', args: ['<circuit>'] },
      '.',
    ],
    examples: ['route contoso/rt-spoke add to-fw 0.0.0.0/0 VirtualAppliance 10.10.0.4', 'route rt-spoke remove to-fw'],
    right: 'request',
  },
  {
    kind: 'authorization',
    name: 'authorization',
    aliases: ['auth', 'authorisation'],
    usage: changeUsage('authorization'),
    args: { changeKinds: true, fresh: 'none' },
    summary: 'Ask to create or revoke a circuit authorization (Connect-To); the key goes only to you, in a 1:1 chat.',
    details: 'Revoking cuts the VNet connection that redeemed it; the request card names it.',
    examples: ['authorization contoso/er1 create auth-contoso-hub', 'authorization er1 revoke auth-contoso-hub'],
    right: 'request',
  },
  {
    kind: 'key',
    name: 'key',
    aliases: ['show-key'],
    usage: 'key <id>',
    args: { target: { ref: 'requestId' }, fresh: 'none' },
    summary: 'In your 1:1 chat with the bot: the key of an authorization your request created, read from Azure.',
    details: 'Only the requester gets it, and only in a 1:1 chat; never in a channel or a group chat.',
    examples: ['key CR-7F3K2QX'],
    right: 'request',
  },
  {
    kind: 'requests',
    name: 'requests',
    aliases: ['changes'],
    usage: 'requests [pending|mine|all]',
    args: { options: ['filter'], fresh: 'none' },
    summary: 'Change requests and their state: pending ones (default), the ones you asked for, or all.',
    examples: ['requests', 'requests mine', 'requests all'],
    right: 'view',
  },
  {
    kind: 'request',
    name: 'request',
    usage: 'request <id>',
    args: { target: { ref: 'requestId' }, fresh: 'none' },
    summary: 'One change request: what it changes, who approved it, and where it stands.',
    examples: ['request CR-7F3K2QX'],
    right: 'view',
  },
  {
    kind: 'approve',
    name: 'approve',
    usage: 'approve <id>',
    args: { target: { ref: 'requestId' }, fresh: 'none' },
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
    args: {
      target: { ref: 'requestId' },
      rest: { value: 'reason', missing: 'a rejection needs a reason the requester will read' },
      fresh: 'none',
    },
    summary: 'Reject a change request, with a reason the requester will see.',
    examples: ['reject CR-7F3K2QX not during the trading freeze'],
    right: 'approve',
  },
  {
    kind: 'cancel',
    name: 'cancel',
    aliases: ['withdraw'],
    usage: 'cancel <id>',
    args: { target: { ref: 'requestId' }, fresh: 'none' },
    summary: 'Withdraw a change request you asked for, while it is still pending.',
    examples: ['cancel CR-7F3K2QX'],
    right: 'request',
  },
  {
    kind: 'rollback',
    name: 'rollback',
    aliases: ['undo', 'revert'],
    usage: 'rollback <id>',
    args: { target: { ref: 'requestId' }, fresh: 'none' },
    summary: 'Ask for the change that undoes a succeeded one (the same as its card’s Rollback); it is approved like any change.',
    details:
      'The way back is worked out from the target as it was when the change was asked for, and planned on the target as it ' +
      'is now. A one-way change (a bandwidth increase, Metered → Unlimited) has none, and its card says why.',
    examples: ['rollback CR-7F3K2QX'],
    right: 'request',
  },
  {
    kind: 'emergency',
    name: 'emergency',
    usage: 'emergency <change command> because <reason>',
    args: { wraps: { what: 'change command', joiner: 'because', rest: 'reason' }, fresh: 'none' },
    summary: 'Admins: ask for a change during a freeze or outside the change windows, with a reason; it needs one approval more.',
    details: [
      'Needs the admin right on the customer. The change is any typed change command (',
      { say: 'upgrade', args: ['<circuit>', '<bandwidth>'] },
      ', peering, filter, route, authorization, or ',
      { say: 'rollback', args: ['<id>'] },
      '); the override and its reason are shown on the card and in the audit. It is typed only, never a button.',
    ],
    examples: [
      'emergency upgrade contoso/er1 2 Gbps because the provider link is saturated',
      'emergency rollback CR-7F3K2QX because BGP is down',
    ],
    right: 'admin',
  },
  {
    kind: 'audit',
    name: 'audit',
    aliases: ['history', 'log'],
    usage: 'audit [customer] [count]',
    args: { target: { ref: 'customer', optional: true }, options: ['count'], fresh: 'none' },
    summary: 'The audit trail of change requests: who did what, when, before and after. Read-only.',
    examples: ['audit', 'audit contoso', 'audit contoso 50'],
    right: 'view',
  },
  {
    kind: 'approvals-channel',
    name: 'approvals',
    usage: 'approvals here <customer>',
    args: {
      lead: { word: 'here', where: 'in the channel to register' },
      target: { ref: 'customer', missing: 'name the customer whose approvals this channel gets' },
      fresh: 'none',
    },
    summary: "Run in a channel: it becomes the customer's approvals channel, where new requests are posted.",
    details: 'Needs the admin right on that customer.',
    examples: ['approvals here contoso'],
    right: 'admin',
  },
  {
    kind: 'link-here',
    name: 'link',
    usage: 'link here [customer]',
    args: {
      lead: { word: 'here', where: 'in the channel or group chat to link' },
      target: { ref: 'customer', optional: true },
      fresh: 'none',
    },
    summary: "In a channel or group chat: it may show the customer's data. Without a customer: the customers it shows.",
    details: [
      'Needs the admin right on that customer. A channel or group chat shows only the data of the customers linked to it ' +
        '(and of those, only what the asker may see); anything else goes to the asker’s 1:1 chat with the bot. ',
      { say: 'unlink', args: ['here', '<customer>'] },
      ' undoes it.',
    ],
    examples: ['link here contoso', 'link here'],
    right: 'admin',
  },
  {
    kind: 'unlink-here',
    name: 'unlink',
    usage: 'unlink here <customer>',
    args: {
      lead: { word: 'here', where: 'in the channel or group chat to unlink' },
      target: { ref: 'customer', missing: 'name the customer whose data this conversation should no longer show' },
      fresh: 'none',
    },
    summary: "In a channel or group chat: it no longer shows the customer's data (nor gets its approval cards).",
    details: 'Needs the admin right on that customer.',
    examples: ['unlink here contoso'],
    right: 'admin',
  },
  {
    kind: 'alerts',
    name: 'alerts',
    aliases: ['alert', 'alarms'],
    usage: 'alerts [customer] [open|all]',
    args: { target: { ref: 'customer', optional: true }, options: ['alertFilter'], fresh: 'none' },
    summary: 'Alerts, worst and newest first: what fired, when, who acknowledged it, silenced or resolved.',
    details: [
      `Open ones unless you say all. The bot checks every circuit on its own and raises: ${ALERT_CONDITIONS.map((c) => c.title).join('; ')}. ` +
        'A customer’s admin makes a channel its alerts channel (and links it to the customer) with ',
      { say: 'alerts', args: ['here', '<customer>'] },
      '; without one, its on-call people get the alerts in their 1:1 chat with the bot.',
    ],
    examples: ['alerts', 'alerts contoso', 'alerts contoso all', 'alerts here contoso'],
    right: 'view',
  },
  {
    kind: 'ack',
    name: 'ack',
    aliases: ['acknowledge'],
    usage: 'ack <id>',
    args: { target: { ref: 'alertId' }, fresh: 'none' },
    summary: 'Acknowledge an alert (the same as its card’s Acknowledge): you are on it, and it is not escalated.',
    details: 'Needs the oncall (or admin) right on the alert’s customer. The alert resolves by itself once the signal recovers.',
    examples: ['ack AL-7F3K2QX'],
    right: 'oncall',
  },
  {
    kind: 'silence',
    name: 'silence',
    aliases: ['mute'],
    usage: 'silence <circuit|customer> <duration> <reason>',
    args: {
      target: { ref: 'circuitOrCustomer' },
      duration: { missing: 'say for how long, e.g. 30m, 2h or 1d' },
      rest: { value: 'reason', missing: 'a silence needs a reason the on-call will read' },
      fresh: 'none',
    },
    summary: 'Record a circuit’s or a customer’s alerts without posting them, for a while (e.g. 2h, 30m, 1d).',
    details: ['Needs the oncall (or admin) right on the customer. ', { say: 'unsilence', args: ['<id>'] }, ' ends it early.'],
    examples: ['silence contoso/contoso-ams-er1 2h provider maintenance', 'silence contoso 30m planned BGP work'],
    right: 'oncall',
  },
  {
    kind: 'silences',
    name: 'silences',
    usage: 'silences',
    args: { fresh: 'none' },
    summary: 'The silences in force for the customers you can see.',
    examples: ['silences'],
    right: 'view',
  },
  {
    kind: 'unsilence',
    name: 'unsilence',
    aliases: ['unmute'],
    usage: 'unsilence <id>',
    args: { target: { ref: 'silenceId' }, fresh: 'none' },
    summary: 'End a silence early: the alerts it held back are posted.',
    details: 'Needs the oncall (or admin) right on its customer.',
    examples: ['unsilence SI-7F3K2QX'],
    right: 'oncall',
  },
] as const satisfies readonly (CommandSpec & { name: CommandName })[];

type Unlisted = Exclude<CommandName, (typeof ENTRIES)[number]['name']>;
/** Fails to compile, naming it, when a CommandName has no entry above. */
const EVERY_NAME_LISTED: [Unlisted] extends [never] ? true : Unlisted = true;
void EVERY_NAME_LISTED;

export const CATALOG: readonly CommandSpec[] = ENTRIES;

/** Intents that only a card button produces (the change form's submit): nothing to type, so no entry above. */
export const CARD_ONLY_KINDS: readonly IntentKind[] = ['submit-change'];

const byWord = new Map<string, CommandSpec>();
for (const spec of CATALOG) {
  for (const word of [spec.name, ...(spec.aliases ?? [])]) byWord.set(word.toLowerCase(), spec);
}

/** The entry for a name; every CommandName has one. */
export function commandNamed(name: CommandName): CommandSpec {
  const spec = byWord.get(name);
  if (!spec || spec.name !== name) throw new Error(`no catalog entry named ${name}`);
  return spec;
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
