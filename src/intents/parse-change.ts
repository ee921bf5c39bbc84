import { isIP } from 'node:net';
import type { CommandSpec } from './catalog';
import type { Intent, IntentOf } from './intent';
import {
  changeTargetProblem,
  circuitRefProblem,
  clip,
  parsePrefix,
  RESOURCE_NAME_PATTERN,
  ROUTE_FILTER_ID_PATTERN,
  routeTableRefProblem,
} from './references';
import { badInput } from './usage-error';

/**
 * The typed change commands (`peering`, `filter`, `route`, `authorization`): one line that asks for the same
 * change the form would. Only the shape is checked here (numbers, prefixes, names); every rule (VLAN range,
 * reserved ASNs, overlaps, known communities…) is the change kind's, on the server, so typed and form input
 * get the same answers.
 *
 * An MD5 key typed after `key` is never repeated in an error: once a line holds one, no error quotes any of
 * its words.
 */

export interface ChangeArgs {
  spec: CommandSpec;
  tokens: string[];
}

/** Runs a read command's parser on the same words: the change commands' names were once their aliases. */
export type ViewFallback = (kind: 'peerings' | 'filters' | 'routes', tokens: string[]) => Intent;

type Input = Record<string, string | number | boolean>;

const KEY_WORDS = new Set(['key', 'md5', 'md5-key', 'md5key', 'shared-key', 'sharedkey']);

/** Quotes a word in an error, unless the line holds a secret. */
function quoter(tokens: readonly string[]): (raw: string) => string {
  const secret = tokens.some((t) => KEY_WORDS.has(t.toLowerCase()));
  return (raw) => (secret ? 'a word (not repeated here: your message holds a key)' : `'${clip(raw)}'`);
}

function needTarget(spec: CommandSpec, what: string): never {
  throw badInput(spec, `\`${spec.name}\` needs ${what} first`);
}

function checkName(spec: CommandSpec, raw: string | undefined, what: string, q: (s: string) => string): string {
  if (raw === undefined) throw badInput(spec, `give the ${what}'s name`);
  if (!RESOURCE_NAME_PATTERN.test(raw)) throw badInput(spec, `${q(raw)} isn't a valid ${what} name: use letters, digits, '.', '_' and '-' (1–80 characters)`);
  return raw;
}

function noMore(spec: CommandSpec, extra: string | undefined, q: (s: string) => string): void {
  if (extra !== undefined) throw badInput(spec, `I didn't expect ${q(extra)} at the end`);
}

/** A comma-separated list that may have been typed with spaces after the commas: `a, b` or `a,b`. */
function takeList(tokens: string[], start: number): { items: string[]; next: number } {
  let text = tokens[start] ?? '';
  let i = start + 1;
  while (i < tokens.length && (text.endsWith(',') || (tokens[i] ?? '').startsWith(','))) text += tokens[i++] ?? '';
  return { items: text.split(',').map((s) => s.trim()).filter((s) => s.length > 0), next: i };
}

const isCidr = (s: string) => s.includes('/') && parsePrefix(s) !== undefined;

// ---- peering ----

const PEERING_TYPES: Record<string, 'private' | 'microsoft'> = {
  private: 'private',
  priv: 'private',
  azureprivatepeering: 'private',
  microsoft: 'microsoft',
  ms: 'microsoft',
  msft: 'microsoft',
  microsoftpeering: 'microsoft',
};
const STATE_WORDS: Record<string, 'Enabled' | 'Disabled'> = {
  enable: 'Enabled',
  enabled: 'Enabled',
  on: 'Enabled',
  disable: 'Disabled',
  disabled: 'Disabled',
  off: 'Disabled',
};

type FieldKind = 'number' | 'asn' | 'cidr' | 'secret' | 'flag' | 'prefixes' | 'word';
interface Field {
  key: string;
  kind: FieldKind;
  label: string;
  example: string;
  microsoftOnly?: boolean;
}
const F = (key: string, kind: FieldKind, label: string, example: string, microsoftOnly = false): Field => ({ key, kind, label, example, microsoftOnly });
const PEERING_FIELDS: Record<string, Field> = {
  vlan: F('vlanId', 'number', 'a VLAN id', 'vlan 100'),
  asn: F('peerAsn', 'asn', 'a peer ASN', 'asn 65010'),
  'peer-asn': F('peerAsn', 'asn', 'a peer ASN', 'asn 65010'),
  peerasn: F('peerAsn', 'asn', 'a peer ASN', 'asn 65010'),
  primary: F('primaryPeerAddressPrefix', 'cidr', 'the primary link subnet', 'primary 10.0.0.0/30'),
  secondary: F('secondaryPeerAddressPrefix', 'cidr', 'the secondary link subnet', 'secondary 10.0.0.4/30'),
  'no-key': F('removeSharedKey', 'flag', '', 'no-key'),
  nokey: F('removeSharedKey', 'flag', '', 'no-key'),
  'remove-key': F('removeSharedKey', 'flag', '', 'no-key'),
  prefixes: F('advertisedPublicPrefixes', 'prefixes', 'the advertised public prefixes', 'prefixes 145.14.8.0/24,145.14.9.0/24', true),
  prefix: F('advertisedPublicPrefixes', 'prefixes', 'the advertised public prefixes', 'prefixes 145.14.8.0/24', true),
  advertise: F('advertisedPublicPrefixes', 'prefixes', 'the advertised public prefixes', 'prefixes 145.14.8.0/24', true),
  'customer-asn': F('customerAsn', 'asn', 'a customer ASN', 'customer-asn 64500', true),
  customerasn: F('customerAsn', 'asn', 'a customer ASN', 'customer-asn 64500', true),
  registry: F('routingRegistryName', 'word', 'a routing registry', 'registry RIPENCC', true),
  rir: F('routingRegistryName', 'word', 'a routing registry', 'registry RIPENCC', true),
};
for (const w of KEY_WORDS) PEERING_FIELDS[w] = F('sharedKey', 'secret', 'the MD5 key', 'key <md5 key>');

function fieldValue(spec: CommandSpec, word: string, field: Field, tokens: string[], at: number, q: (s: string) => string): { value: string | number | boolean; next: number } {
  if (field.kind === 'flag') return { value: true, next: at };
  const raw = tokens[at];
  if (raw === undefined) {
    throw badInput(spec, field.kind === 'secret' ? '`key` needs the MD5 key after it' : `\`${word}\` needs ${field.label} after it, e.g. \`${field.example}\``);
  }
  switch (field.kind) {
    case 'secret':
      return { value: raw, next: at + 1 };
    case 'number':
      if (!/^\d{1,10}$/.test(raw)) throw badInput(spec, `${q(raw)} isn't a number; \`${word}\` takes ${field.label}, e.g. \`${field.example}\``);
      return { value: Number(raw), next: at + 1 };
    case 'asn': {
      const digits = raw.replace(/^as/i, '');
      if (!/^\d{1,10}$/.test(digits)) throw badInput(spec, `${q(raw)} isn't an AS number; \`${word}\` takes ${field.label}, e.g. \`${field.example}\``);
      return { value: Number(digits), next: at + 1 };
    }
    case 'cidr':
      if (!isCidr(raw)) throw badInput(spec, `${q(raw)} isn't a subnet; \`${word}\` takes ${field.label} as address/length, e.g. \`${field.example}\``);
      return { value: raw, next: at + 1 };
    case 'prefixes': {
      const { items, next } = takeList(tokens, at);
      const bad = items.find((p) => !isCidr(p));
      if (items.length === 0 || bad !== undefined) {
        throw badInput(spec, `${bad === undefined ? 'that' : q(bad)} isn't a prefix; \`${word}\` takes prefixes as address/length separated by commas, e.g. \`${field.example}\``);
      }
      return { value: items.join(','), next };
    }
    case 'word':
      if (!/^[A-Za-z0-9-]{2,20}$/.test(raw)) throw badInput(spec, `${q(raw)} isn't ${field.label}, e.g. \`${field.example}\``);
      return { value: raw, next: at + 1 };
  }
}

export function parsePeering({ spec, tokens }: ChangeArgs, view: ViewFallback): IntentOf<'peering'> | Intent {
  const q = quoter(tokens);
  const [target, type, ...rest] = tokens;
  if (target === undefined) needTarget(spec, 'a circuit: its name, customer/name, or its ARM id');
  const problem = circuitRefProblem(target);
  if (problem) throw badInput(spec, problem);
  if (type === undefined) return view('peerings', [target]);
  const t = type.toLowerCase();
  if (t === 'public' || t === 'azurepublicpeering') {
    throw badInput(spec, 'Azure public peering is deprecated: it cannot be created any more. Use Microsoft peering with a route filter for Azure public services (`peering <circuit> microsoft …`)');
  }
  const peering = PEERING_TYPES[t];
  if (!peering) throw badInput(spec, `${q(type)} isn't a peering; choose private or microsoft`);
  const [first, second] = rest;
  if (first === undefined) throw badInput(spec, `say what to change on ${peering} peering: its fields (vlan, asn, primary, secondary${peering === 'microsoft' ? ', prefixes, customer-asn, registry' : ''}, key), or enable / disable`);
  const state = STATE_WORDS[first.toLowerCase()];
  if (state) {
    noMore(spec, second, q);
    return { kind: 'peering', target, change: 'peering-state', input: { peering, state } };
  }
  const input: Input = {};
  for (let i = 0; i < rest.length; ) {
    const word = (rest[i] ?? '').toLowerCase();
    const field = PEERING_FIELDS[word];
    if (!field) {
      const known = Object.keys(PEERING_FIELDS).filter((k) => ['vlan', 'asn', 'primary', 'secondary', 'key', 'no-key'].includes(k) || (peering === 'microsoft' && ['prefixes', 'customer-asn', 'registry'].includes(k)));
      throw badInput(spec, `I don't know ${q(rest[i] ?? '')} here; ${peering} peering takes ${known.join(', ')}${STATE_WORDS[word] ? ' (enable/disable go alone)' : ''}`);
    }
    if (field.microsoftOnly && peering !== 'microsoft') throw badInput(spec, `\`${word}\` is for Microsoft peering only`);
    if (input[field.key] !== undefined) throw badInput(spec, `you gave \`${word}\` twice; give it once`);
    const { value, next } = fieldValue(spec, word, field, rest, i + 1, q);
    input[field.key] = value;
    i = next;
  }
  if (input.sharedKey !== undefined && input.removeSharedKey !== undefined) throw badInput(spec, 'give a new `key` or `no-key`, not both');
  return { kind: 'peering', target, change: peering === 'private' ? 'private-peering' : 'microsoft-peering', input };
}

// ---- filter ----

const FILTER_ACTIONS: Record<string, 'create' | 'attach' | 'communities'> = {
  create: 'create',
  new: 'create',
  add: 'create',
  attach: 'attach',
  apply: 'attach',
  communities: 'communities',
  community: 'communities',
  set: 'communities',
};

function communities(spec: CommandSpec, tokens: string[], at: number, q: (s: string) => string): { value: string; next: number } {
  const { items, next } = takeList(tokens, at);
  const bad = items.find((c) => !/^\d{1,10}:\d{1,10}$/.test(c));
  if (items.length === 0) throw badInput(spec, 'give the BGP communities, separated by commas, e.g. `12076:5010,12076:51004`');
  if (bad !== undefined) throw badInput(spec, `${q(bad)} isn't a BGP community; Microsoft's look like 12076:5010 (a service) or 12076:51004 (a region)`);
  return { value: items.join(','), next };
}

export function parseFilter({ spec, tokens }: ChangeArgs, view: ViewFallback): IntentOf<'filter'> | Intent {
  const q = quoter(tokens);
  const [target, actionWord, ...rest] = tokens;
  const action = actionWord === undefined ? undefined : FILTER_ACTIONS[actionWord.toLowerCase()];
  // `filter [customer]`: the old alias of `filters` (customer names may hold a space).
  if (target === undefined || (action === undefined && tokens.length <= 2)) return view('filters', tokens);
  if (action === undefined) throw badInput(spec, `${q(actionWord ?? '')} isn't something \`filter\` does; use create, attach or communities`);
  if (action === 'communities') {
    const problem = changeTargetProblem(target);
    if (problem) throw badInput(spec, problem);
    const { value, next } = communities(spec, rest, 0, q);
    noMore(spec, rest[next], q);
    return { kind: 'filter', target, change: 'route-filter-rule', input: { communities: value } };
  }
  const problem = circuitRefProblem(target);
  if (problem) throw badInput(spec, problem);
  if (action === 'attach') {
    const [filter, extra] = rest;
    if (filter === undefined) throw badInput(spec, 'name the route filter to attach (its name or ARM id; `filters` lists them)');
    if (!ROUTE_FILTER_ID_PATTERN.test(filter) && !RESOURCE_NAME_PATTERN.test(filter)) throw badInput(spec, `${q(filter)} isn't a route filter name or id`);
    noMore(spec, extra, q);
    return { kind: 'filter', target, change: 'route-filter', input: { action: 'attach', routeFilter: filter } };
  }
  const name = checkName(spec, rest[0], 'route filter', q);
  let at = 1;
  if (/^communit(y|ies)$/i.test(rest[at] ?? '')) at++;
  const { value, next } = communities(spec, rest, at, q);
  noMore(spec, rest[next], q);
  return { kind: 'filter', target, change: 'route-filter', input: { action: 'create', name, communities: value } };
}

// ---- route ----

const ROUTE_ACTIONS: Record<string, 'add' | 'remove'> = { add: 'add', create: 'add', new: 'add', remove: 'remove', delete: 'remove', del: 'remove', rm: 'remove' };
const NEXT_HOPS: Record<string, string> = {
  virtualappliance: 'VirtualAppliance',
  appliance: 'VirtualAppliance',
  nva: 'VirtualAppliance',
  firewall: 'VirtualAppliance',
  virtualnetworkgateway: 'VirtualNetworkGateway',
  gateway: 'VirtualNetworkGateway',
  vnetgateway: 'VirtualNetworkGateway',
  vnetlocal: 'VnetLocal',
  local: 'VnetLocal',
  internet: 'Internet',
  none: 'None',
  drop: 'None',
};

export function parseRoute({ spec, tokens }: ChangeArgs, view: ViewFallback): IntentOf<'route'> | Intent {
  const q = quoter(tokens);
  const [target, actionWord, ...rest] = tokens;
  const action = actionWord === undefined ? undefined : ROUTE_ACTIONS[actionWord.toLowerCase()];
  // `route <circuit> [options]`: the old alias of `routes`, the BGP route table.
  if (action === undefined) return view('routes', tokens);
  if (target === undefined) needTarget(spec, 'a route table');
  const problem = routeTableRefProblem(target);
  if (problem) throw badInput(spec, problem);
  const name = checkName(spec, rest[0], 'route', q);
  if (action === 'remove') {
    noMore(spec, rest[1], q);
    return { kind: 'route', target, change: 'udr-route', input: { action: 'remove', name } };
  }
  const [, prefix, hopWord, ip, extra] = rest;
  if (prefix === undefined) throw badInput(spec, 'give the route\'s address prefix after its name, e.g. `0.0.0.0/0`');
  if (!isCidr(prefix)) throw badInput(spec, `${q(prefix)} isn't an address prefix; write it as address/length, e.g. 10.20.0.0/16`);
  const types = 'VirtualAppliance, VirtualNetworkGateway, VnetLocal, Internet or None';
  if (hopWord === undefined) throw badInput(spec, `give the next-hop type after the prefix: ${types}`);
  const nextHopType = NEXT_HOPS[hopWord.toLowerCase().replace(/[\s_-]/g, '')];
  if (!nextHopType) throw badInput(spec, `${q(hopWord)} isn't a next-hop type; use ${types}`);
  if (ip !== undefined && isIP(ip) === 0) throw badInput(spec, `${q(ip)} isn't an IP address; the next hop of a VirtualAppliance route is the appliance's IP, e.g. 10.10.0.4`);
  noMore(spec, extra, q);
  return { kind: 'route', target, change: 'udr-route', input: { action: 'add', name, addressPrefix: prefix, nextHopType, ...(ip ? { nextHopIpAddress: ip } : {}) } };
}

// ---- authorization ----

const AUTH_ACTIONS: Record<string, 'create' | 'revoke'> = { create: 'create', add: 'create', new: 'create', revoke: 'revoke', delete: 'revoke', remove: 'revoke' };

export function parseAuthorization({ spec, tokens }: ChangeArgs): IntentOf<'authorization'> {
  const q = quoter(tokens);
  const [target, actionWord, name, extra] = tokens;
  if (target === undefined) needTarget(spec, 'a circuit: its name, customer/name, or its ARM id');
  const problem = circuitRefProblem(target);
  if (problem) throw badInput(spec, problem);
  if (actionWord === undefined) throw badInput(spec, 'say create or revoke, then the authorization\'s name');
  const action = AUTH_ACTIONS[actionWord.toLowerCase()];
  if (!action) throw badInput(spec, `${q(actionWord)} isn't something \`authorization\` does; use create or revoke`);
  const checked = checkName(spec, name, 'authorization', q);
  noMore(spec, extra, q);
  return { kind: 'authorization', target, change: 'authorization', input: { action, name: checked } };
}
