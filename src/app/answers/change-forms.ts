import { allowedUpgrades, formatBandwidth } from '../../network/bandwidth';
import type { Circuit, Peering, RouteFilter, UdrTable } from '../../network/types';
import { ROUTING_REGISTRIES } from '../../changes/kinds/microsoft-peering-kind';
import { NEXT_HOP_TYPES } from '../../changes/kinds/udr-route-kind';
import type { FormField, FormSection } from '../../cards/change-form-card';

/**
 * The change form's sections for each change kind, keyed by the kind's registry name. A kind registered in
 * src/changes shows on `change <x>` once it has an entry here; the fields' names are the kind's input keys,
 * and its zod schema (plus its rules) validates what comes back. The regex hints here are convenience only.
 */

/** What a circuit's form may show beyond the circuit: the route filters of its subscription. */
export interface CircuitFormFacts {
  filters?: readonly RouteFilter[];
}

type CircuitForm = (circuit: Circuit, title: string, facts: CircuitFormFacts) => FormSection | FormSection[];

const DIGITS = '^\\s*\\d{1,10}\\s*$';
const VLAN = '^\\s*\\d{1,4}\\s*$';
/** IPv4 or IPv6 address/length; the server checks alignment and sizes. */
const CIDR = '^\\s*[0-9A-Fa-f:.]{2,45}/\\d{1,3}\\s*$';
const CIDR_LIST = '^\\s*[0-9A-Fa-f:.]{2,45}/\\d{1,3}(\\s*[,; ]\\s*[0-9A-Fa-f:.]{2,45}/\\d{1,3})*\\s*$';
const COMMUNITY_LIST = '^\\s*\\d{1,10}:\\d{1,10}(\\s*[,; ]\\s*\\d{1,10}:\\d{1,10})*\\s*$';
const NAME = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,78}[A-Za-z0-9_]$|^[A-Za-z0-9]$';
const IP = '^\\s*[0-9A-Fa-f:.]{2,45}\\s*$';

const NOT_PROVISIONED = (c: Circuit): string | undefined =>
  c.serviceProviderProvisioningState !== 'Provisioned'
    ? `Not possible yet: ${c.provider?.name ?? 'the provider'} has not provisioned ${c.name} (provider state ${c.serviceProviderProvisioningState || 'unknown'}).`
    : undefined;

const peeringOf = (c: Circuit, kind: 'private' | 'microsoft'): Peering | undefined => c.peerings.find((p) => p.kind === kind);
const lastSegment = (id: string) => id.split('/').filter(Boolean).pop() ?? id;
const show = (v: unknown) => (v === undefined || v === '' ? undefined : String(v));

function peeringFields(p: Peering | undefined): FormField[] {
  const create = p === undefined;
  const text = (name: string, label: string, value: unknown, regex: string, errorMessage: string, placeholder: string): FormField => ({
    type: 'text',
    name,
    label,
    regex,
    errorMessage,
    placeholder,
    isRequired: create,
    maxLength: 60,
    ...(show(value) !== undefined ? { value: show(value) as string } : {}),
  });
  const fields: FormField[] = [
    text('vlanId', 'VLAN (1–4094, unique on the circuit)', p?.vlanId, VLAN, 'A VLAN is a number from 1 to 4094.', 'e.g. 100'),
    text('peerAsn', 'Peer ASN', p?.peerAsn, DIGITS, 'An ASN is a whole number (65515–65520 are Azure’s).', 'e.g. 65010'),
    text('primaryPeerAddressPrefix', 'Primary link subnet (/30, or /126 for IPv6)', p?.primaryPeerAddressPrefix, CIDR, 'Write it as address/length, e.g. 10.0.0.0/30.', 'e.g. 10.0.0.0/30'),
    text('secondaryPeerAddressPrefix', 'Secondary link subnet (/30, or /126 for IPv6)', p?.secondaryPeerAddressPrefix, CIDR, 'Write it as address/length, e.g. 10.0.0.4/30.', 'e.g. 10.0.0.4/30'),
  ];
  return fields;
}

function keyFields(p: Peering | undefined): FormField[] {
  return [
    {
      type: 'text',
      name: 'sharedKey',
      label: 'MD5 key (optional, at most 25 characters; never shown or stored)',
      placeholder: p?.hasSharedKey ? 'leave empty to keep the current key' : 'leave empty for no key',
      maxLength: 25,
      secret: true,
    },
    ...(p?.hasSharedKey ? [{ type: 'toggle', name: 'removeSharedKey', label: 'Current MD5 key', title: 'Remove the MD5 key' } as const] : []),
  ];
}

function peeringNow(p: Peering | undefined, what: string): string {
  if (!p) return `No ${what} yet: give every field to create it.`;
  return `Now VLAN ${p.vlanId ?? '?'}, ASN ${p.peerAsn ?? '?'}, ${p.primaryPeerAddressPrefix ?? '?'} and ${p.secondaryPeerAddressPrefix ?? '?'}, MD5 key ${p.hasSharedKey ? 'set' : 'not set'}. Changing a field resets both BGP sessions (disruptive).`;
}

export const CIRCUIT_FORMS: Readonly<Record<string, CircuitForm>> = {
  bandwidth: (circuit, title) => {
    const steps = allowedUpgrades(circuit);
    return {
      kind: 'bandwidth',
      title,
      summary: `Now ${formatBandwidth(circuit.bandwidthMbps)}. Raised in place without downtime; a decrease is not possible in place.`,
      fields:
        steps.length > 0
          ? [
              {
                type: 'choice',
                name: 'bandwidth',
                label: 'New bandwidth',
                choices: steps.map((mbps) => ({ title: formatBandwidth(mbps), value: String(mbps) })),
                value: String(steps[0]),
              },
            ]
          : [],
      ...(steps.length === 0 ? { unavailable: `${formatBandwidth(circuit.bandwidthMbps)} is already the largest step offered here.` } : {}),
    };
  },
  sku: (circuit, title) => ({
    kind: 'sku',
    title,
    summary: `Now ${circuit.sku.tier} / ${circuit.sku.family}. Metered → Unlimited is one-way; Premium → Standard only within Standard's limits.`,
    fields: [
      {
        type: 'choice',
        name: 'tier',
        label: 'SKU tier',
        choices: ['Local', 'Standard', 'Premium'].map((t) => ({ title: t, value: t })),
        value: circuit.sku.tier,
      },
      {
        type: 'choice',
        name: 'family',
        label: 'SKU family (billing)',
        choices: [
          { title: 'Metered data', value: 'MeteredData' },
          { title: 'Unlimited data', value: 'UnlimitedData' },
        ],
        value: circuit.sku.family,
      },
    ],
  }),
  'private-peering': (circuit, title) => {
    const p = peeringOf(circuit, 'private');
    const unavailable = NOT_PROVISIONED(circuit);
    return {
      kind: 'private-peering',
      title,
      summary: peeringNow(p, 'private peering'),
      fields: unavailable ? [] : [...peeringFields(p), ...keyFields(p)],
      ...(unavailable ? { unavailable } : {}),
    };
  },
  'microsoft-peering': (circuit, title) => {
    const p = peeringOf(circuit, 'microsoft');
    const unavailable = NOT_PROVISIONED(circuit);
    const filter = p?.routeFilterId ? `Route filter ${lastSegment(p.routeFilterId)} is attached.` : 'Nothing is advertised to you until a route filter is attached.';
    const prefixes = p?.advertisedPublicPrefixes?.join(', ');
    const fields: FormField[] = [
      ...peeringFields(p),
      {
        type: 'text',
        name: 'advertisedPublicPrefixes',
        label: 'Advertised public prefixes (comma-separated; no private ranges)',
        placeholder: 'e.g. 145.14.8.0/24, 145.14.9.0/24',
        regex: CIDR_LIST,
        errorMessage: 'Write prefixes as address/length, separated by commas.',
        isRequired: p === undefined,
        maxLength: 2000,
        ...(prefixes ? { value: prefixes } : {}),
      },
      {
        type: 'text',
        name: 'customerAsn',
        label: 'Customer ASN (optional: when the prefixes are your customer’s)',
        regex: DIGITS,
        errorMessage: 'An ASN is a whole number.',
        maxLength: 10,
        ...(show(p?.customerAsn) !== undefined ? { value: String(p?.customerAsn) } : {}),
      },
      {
        type: 'choice',
        name: 'routingRegistryName',
        label: 'Routing registry the prefixes are registered in',
        choices: ROUTING_REGISTRIES.map((r) => ({ title: r, value: r })),
        ...(p?.routingRegistryName ? { value: p.routingRegistryName } : { placeholder: 'Pick one' }),
      },
      ...keyFields(p),
    ];
    return {
      kind: 'microsoft-peering',
      title,
      summary: `${peeringNow(p, 'Microsoft peering')} ${filter} Azure public peering is deprecated and cannot be created.`,
      fields: unavailable ? [] : fields,
      ...(unavailable ? { unavailable } : {}),
    };
  },
  'peering-state': (circuit, title) => {
    const peerings = circuit.peerings.filter((p) => p.kind === 'private' || p.kind === 'microsoft');
    const first = peerings[0];
    return {
      kind: 'peering-state',
      title,
      summary: 'For maintenance. Disabling a peering that carries traffic stops it (the request is marked disruptive) and always needs someone else’s approval.',
      fields: first
        ? [
            {
              type: 'choice',
              name: 'peering',
              label: 'Peering',
              choices: peerings.map((p) => ({ title: `${p.kind === 'private' ? 'Private' : 'Microsoft'} (${p.state ?? 'Enabled'})`, value: p.kind })),
              value: first.kind,
            },
            {
              type: 'choice',
              name: 'state',
              label: 'New state',
              choices: [
                { title: 'Disabled (BGP sessions down)', value: 'Disabled' },
                { title: 'Enabled', value: 'Enabled' },
              ],
              value: first.state === 'Disabled' ? 'Enabled' : 'Disabled',
            },
          ]
        : [],
      ...(first ? {} : { unavailable: `${circuit.name} has no peerings yet.` }),
    };
  },
  'route-filter': (circuit, _title, facts) => {
    const ms = peeringOf(circuit, 'microsoft');
    const here = (facts.filters ?? []).filter((f) => f.location.replace(/\s+/g, '').toLowerCase() === circuit.location.replace(/\s+/g, '').toLowerCase());
    const create: FormSection = {
      kind: 'route-filter',
      id: 'route-filter-create',
      preset: { action: 'create' },
      title: 'Create a route filter',
      summary: `Created in ${circuit.location} with one Allow rule. Communities are checked against the BGP service communities Azure lists.`,
      fields: [
        { type: 'text', name: 'name', label: 'Route filter name', regex: NAME, isRequired: true, errorMessage: 'Letters, digits, ".", "-" or "_".', placeholder: 'e.g. rf-m365', maxLength: 80 },
        {
          type: 'text',
          name: 'communities',
          label: 'BGP communities to allow (comma-separated)',
          regex: COMMUNITY_LIST,
          isRequired: true,
          errorMessage: 'Communities look like 12076:5010 (a service) or 12076:51004 (a region).',
          placeholder: 'e.g. 12076:5010, 12076:51004',
          maxLength: 1000,
        },
      ],
    };
    const unavailable = !ms
      ? `${circuit.name} has no Microsoft peering to attach a filter to; create it first.`
      : here.length === 0
        ? `No route filter in ${circuit.location} yet: create one first.`
        : undefined;
    const attach: FormSection = {
      kind: 'route-filter',
      id: 'route-filter-attach',
      preset: { action: 'attach' },
      title: 'Attach a route filter to Microsoft peering',
      summary: ms?.routeFilterId
        ? `Now ${lastSegment(ms.routeFilterId)}. Replacing it withdraws services only the old filter allows.`
        : 'Microsoft starts advertising the filter’s services once it is attached.',
      fields: unavailable
        ? []
        : [
            {
              type: 'choice',
              name: 'routeFilter',
              label: `Route filter (in ${circuit.location})`,
              choices: here.map((f) => ({ title: `${f.name} (${f.rules.flatMap((r) => r.communities).join(', ') || 'no communities'})`, value: f.id })),
              value: here[0]?.id ?? '',
            },
          ],
      ...(unavailable ? { unavailable } : {}),
    };
    return [create, attach];
  },
  'route-filter-rule': (circuit, title, facts) => {
    const id = peeringOf(circuit, 'microsoft')?.routeFilterId;
    if (!id) return [];
    const filter = (facts.filters ?? []).find((f) => f.id.toLowerCase() === id.toLowerCase());
    return routeFilterSection(filter ?? { id, name: lastSegment(id), rules: [], peeringIds: [] }, `${title} of ${filter?.name ?? lastSegment(id)}`);
  },
  authorization: (circuit) => {
    const auths = circuit.authorizations;
    return [
      {
        kind: 'authorization',
        id: 'authorization-create',
        preset: { action: 'create' },
        title: 'Create an authorization',
        summary: 'For Connect-To: the customer redeems its key to link a VNet from its own subscription. The key goes only to you, in a 1:1 chat with the bot.',
        fields: [{ type: 'text', name: 'name', label: 'Authorization name', regex: NAME, isRequired: true, errorMessage: 'Letters, digits, ".", "-" or "_".', placeholder: 'e.g. auth-contoso-hub', maxLength: 80 }],
      },
      {
        kind: 'authorization',
        id: 'authorization-revoke',
        preset: { action: 'revoke' },
        title: 'Revoke an authorization',
        summary: 'Revoking cuts the VNet connection that redeemed it; the request card names it.',
        fields:
          auths.length > 0
            ? [
                {
                  type: 'choice',
                  name: 'name',
                  label: 'Authorization',
                  choices: auths.map((a) => ({
                    title: `${a.name} (${a.useStatus ?? 'unknown'}${a.connectionId ? `, used by ${lastSegment(a.connectionId)}` : ''})`,
                    value: a.name,
                  })),
                  value: auths[0]?.name ?? '',
                },
              ]
            : [],
        ...(auths.length === 0 ? { unavailable: `${circuit.name} has no authorizations.` } : {}),
      },
    ];
  },
};

function routeFilterSection(filter: Pick<RouteFilter, 'id' | 'name' | 'rules' | 'peeringIds'>, title: string): FormSection {
  const now = filter.rules.flatMap((r) => r.communities);
  return {
    kind: 'route-filter-rule',
    targetId: filter.id,
    title,
    summary: `Now ${now.join(', ') || 'no communities'}. The filter’s single Allow rule gets exactly the communities given; removing one withdraws that service.`,
    fields: [
      {
        type: 'text',
        name: 'communities',
        label: 'BGP communities to allow (comma-separated)',
        regex: COMMUNITY_LIST,
        isRequired: true,
        errorMessage: 'Communities look like 12076:5010 (a service) or 12076:51004 (a region).',
        maxLength: 1000,
        ...(now.length > 0 ? { value: now.join(', ') } : {}),
      },
    ],
  };
}

/** `change <route table>`: add or remove a UDR route. */
export function routeTableForms(table: UdrTable, title: string): FormSection[] {
  return [
    {
      kind: 'udr-route',
      id: 'udr-route-add',
      preset: { action: 'add' },
      title: `Add a ${title}`,
      summary: `Applies to the ${table.subnetIds.length} subnet(s) using ${table.name}. A VirtualAppliance route needs the appliance's IP; None drops the traffic.`,
      fields: [
        { type: 'text', name: 'name', label: 'Route name', regex: NAME, isRequired: true, errorMessage: 'Letters, digits, ".", "-" or "_".', placeholder: 'e.g. default-to-firewall', maxLength: 80 },
        { type: 'text', name: 'addressPrefix', label: 'Address prefix', regex: CIDR, isRequired: true, errorMessage: 'Write it as address/length, e.g. 0.0.0.0/0.', placeholder: 'e.g. 0.0.0.0/0', maxLength: 60 },
        { type: 'choice', name: 'nextHopType', label: 'Next hop type', choices: NEXT_HOP_TYPES.map((t) => ({ title: t, value: t })), value: 'VirtualAppliance' },
        { type: 'text', name: 'nextHopIpAddress', label: 'Next hop IP (VirtualAppliance only)', regex: IP, errorMessage: 'An IPv4 or IPv6 address, e.g. 10.10.0.4.', placeholder: 'e.g. 10.10.0.4', maxLength: 45 },
      ],
    },
    {
      kind: 'udr-route',
      id: 'udr-route-remove',
      preset: { action: 'remove' },
      title: 'Remove a route',
      summary: 'Traffic then follows Azure’s system routes (or BGP routes) again.',
      fields:
        table.routes.length > 0
          ? [
              {
                type: 'choice',
                name: 'name',
                label: 'Route',
                choices: table.routes.map((r) => ({ title: `${r.name}: ${r.addressPrefix} → ${r.nextHopType}${r.nextHopIpAddress ? ` ${r.nextHopIpAddress}` : ''}`, value: r.name })),
                value: table.routes[0]?.name ?? '',
              },
            ]
          : [],
      ...(table.routes.length === 0 ? { unavailable: `${table.name} has no routes.` } : {}),
    },
  ];
}

/** `change <route filter>`: its communities. */
export function routeFilterForms(filter: RouteFilter, title: string): FormSection[] {
  return [routeFilterSection(filter, title)];
}
