import assert from 'node:assert/strict';
import type { Refusal, RouteTableSubject } from '../../src/changes/change-kind';
import { defaultChangeKinds } from '../../src/changes/change-kinds';
import { MemorySecretVault } from '../../src/changes/kinds/shared/secret-vault';
import { CodedError, ErrorCode } from '../../src/errors';
import { hintText } from '../../src/command-names';
import type { BgpServiceCommunity, Circuit, RouteFilter } from '../../src/network/types';
import { circuit, peering } from '../network/circuit-fixture';

const vault = new MemorySecretVault();
const kinds = defaultChangeKinds({ secrets: vault });
const privateKind = kinds.get('private-peering');
const msKind = kinds.get('microsoft-peering');
const stateKind = kinds.get('peering-state');
const filterKind = kinds.get('route-filter');
const ruleKind = kinds.get('route-filter-rule');
const udrKind = kinds.get('udr-route');
const authKind = kinds.get('authorization');

const bare = (o: Partial<Circuit> = {}) => circuit({ peerings: [], ...o });
const NEW_PRIVATE = { vlanId: 100, peerAsn: 65010, primaryPeerAddressPrefix: '10.0.0.0/30', secondaryPeerAddressPrefix: '10.0.0.4/30' };
const refusedInput = (kind: typeof privateKind, raw: unknown) =>
  assert.throws(
    () => kind.parseInput(raw),
    (e: unknown) => e instanceof CodedError && e.code === ErrorCode.BadInput,
    JSON.stringify(raw),
  );
const reason = (r: Refusal | undefined) => {
  assert.ok(r, 'expected a refusal');
  assert.ok(hintText(r.alternative).length > 0, 'a refusal always offers an alternative');
  return r.reason;
};

const SERVED: BgpServiceCommunity[] = [
  { serviceName: 'exchange', communityName: 'Exchange Online', value: '12076:5010' },
  { serviceName: 'azurewesteurope', communityName: 'Azure West Europe', value: '12076:51002' },
];
const filter = (o: Partial<RouteFilter> = {}): RouteFilter => ({
  id: '/subscriptions/s/resourceGroups/rg-network/providers/Microsoft.Network/routeFilters/rf-a',
  name: 'rf-a',
  subscriptionId: 's',
  resourceGroup: 'rg-network',
  location: 'westus2',
  rules: [{ name: 'allow', access: 'Allow', communities: ['12076:5010'] }],
  peeringIds: [],
  ...o,
});
const table = (o: Partial<RouteTableSubject> = {}): RouteTableSubject => ({
  kind: 'routeTable',
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/routeTables/rt-a',
  name: 'rt-a',
  subscriptionId: 's',
  resourceGroup: 'rg',
  location: 'westus2',
  etag: 'W/"1"',
  provisioningState: 'Succeeded',
  disableBgpRoutePropagation: false,
  routes: [{ name: 'to-fw', addressPrefix: '10.50.0.0/16', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.1.0.4' }],
  subnetIds: ['/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-a/subnets/app'],
  ...o,
});

describe('change kinds for peerings, filters, UDR and authorizations: every validation rule', () => {
  it('should register every kind of the issue on the same registry', () => {
    assert.deepEqual(kinds.names(), [
      'bandwidth',
      'sku',
      'private-peering',
      'microsoft-peering',
      'peering-state',
      'route-filter',
      'route-filter-rule',
      'udr-route',
      'authorization',
    ]);
    assert.equal(udrKind.target, 'routeTable');
    assert.equal(ruleKind.target, 'routeFilter');
    assert.equal(privateKind.target, 'expressRouteCircuit');
  });

  describe('private peering', () => {
    it('should refuse out-of-range VLANs and ASNs, reserved ASNs, bad, wrong-size or misaligned subnets, long keys and unknown fields', () => {
      for (const bad of [
        { vlanId: 0 },
        { vlanId: 4095 },
        { vlanId: 1.5 },
        { vlanId: 'abc' },
        { peerAsn: 0 },
        { peerAsn: 4294967296 },
        { peerAsn: 65515 },
        { peerAsn: 65520 },
        { primaryPeerAddressPrefix: '10.0.0.0/29' },
        { primaryPeerAddressPrefix: '10.0.0.1/30' },
        { primaryPeerAddressPrefix: '10.0.0.256/30' },
        { secondaryPeerAddressPrefix: '2001:db8::/64' },
        { secondaryPeerAddressPrefix: '2001:db8::1/126' },
        { sharedKey: 'x'.repeat(26) },
        { sharedKey: '' },
        { colour: 'red' },
        { sharedKey: 'abc', removeSharedKey: true },
      ])
        refusedInput(privateKind, bad);
      assert.deepEqual(privateKind.parseInput({ vlanId: '100', peerAsn: '65515'.replace('5', '6') }), { vlanId: 100, peerAsn: 66515 });
      assert.deepEqual(privateKind.parseInput({ primaryPeerAddressPrefix: '2001:db8::4/126' }), {
        primaryPeerAddressPrefix: '2001:db8::4/126',
      });
    });

    it('should accept ASNs next to the reserved range and 4-byte ASNs', () => {
      for (const asn of [65514, 65521, 4294967295, 1]) assert.equal(privateKind.parseInput({ peerAsn: asn }).peerAsn, asn);
    });

    it('should refuse a create without every field, a VLAN used by another peering, overlapping or equal subnets, and subnets another peering uses', () => {
      assert.match(
        reason(privateKind.check(bare(), privateKind.parseInput({ vlanId: 100 }), undefined)),
        /needs Peer ASN, Primary subnet, Secondary subnet/,
      );
      const withMs = bare({
        peerings: [
          peering('microsoft', { vlanId: 200, primaryPeerAddressPrefix: '203.0.113.0/30', secondaryPeerAddressPrefix: '203.0.113.4/30' }),
        ],
      });
      assert.match(
        reason(privateKind.check(withMs, privateKind.parseInput({ ...NEW_PRIVATE, vlanId: 200 }), undefined)),
        /VLAN 200 is already used by MicrosoftPeering/,
      );
      assert.match(
        reason(privateKind.check(bare(), privateKind.parseInput({ ...NEW_PRIVATE, secondaryPeerAddressPrefix: '10.0.0.0/30' }), undefined)),
        /are the same/,
      );
      assert.match(
        reason(
          privateKind.check(withMs, privateKind.parseInput({ ...NEW_PRIVATE, primaryPeerAddressPrefix: '203.0.113.4/30' }), undefined),
        ),
        /overlap those of MicrosoftPeering/,
      );
      assert.match(
        reason(
          privateKind.check(bare(), privateKind.parseInput({ ...NEW_PRIVATE, secondaryPeerAddressPrefix: '2001:db8::/126' }), undefined),
        ),
        /both be IPv4 or both be IPv6/,
      );
      assert.equal(privateKind.check(bare(), privateKind.parseInput(NEW_PRIVATE), undefined), undefined);
    });

    it('should refuse on a circuit that is not Provisioned/Enabled or is Updating, and a no-op update', () => {
      assert.match(
        reason(
          privateKind.check(bare({ serviceProviderProvisioningState: 'NotProvisioned' }), privateKind.parseInput(NEW_PRIVATE), undefined),
        ),
        /not provisioned/,
      );
      assert.match(
        reason(privateKind.check(bare({ circuitProvisioningState: 'Disabled' }), privateKind.parseInput(NEW_PRIVATE), undefined)),
        /not enabled/,
      );
      assert.match(
        reason(privateKind.check(bare({ provisioningState: 'Updating' }), privateKind.parseInput(NEW_PRIVATE), undefined)),
        /Updating right now/,
      );
      const existing = circuit();
      assert.match(reason(privateKind.check(existing, privateKind.parseInput({ vlanId: 100 }), undefined)), /already has these settings/);
    });

    it('should keep the MD5 key out of the input, the diff and the impact, and hand it only to the patch', () => {
      const secret = 'Md5-Secret-Value-42';
      const owner = { customerId: 'contoso', circuitId: bare().id, requesterId: 'dana-aad' };
      const input = privateKind.parseInput({ ...NEW_PRIVATE, sharedKey: secret }, owner);
      assert.ok(!JSON.stringify(input).includes(secret));
      assert.match(String(input.sharedKeyRef), /^secret-[0-9a-f]{32}$/);
      // A stored request (a reference) is never accepted as a person's input: a reference may be someone else's.
      refusedInput(privateKind, input);
      const d = privateKind.describe(bare(), input);
      assert.deepEqual(d.diff['MD5 key'], ['not set', 'set']);
      assert.ok(!JSON.stringify(d).includes(secret));
      const patch = privateKind.patch(bare(), input);
      assert.equal(patch.resource === 'circuitPeering' && patch.sharedKey, secret);
      assert.deepEqual(patch.resource === 'circuitPeering' && patch.set, NEW_PRIVATE);
      // A reference the vault does not hold (the bot restarted) fails with "ask again", never a write without the key.
      assert.throws(() => privateKind.patch(bare(), { ...input, sharedKeyRef: `secret-${'0'.repeat(32)}` }), /no longer held by the bot.*/);
    });

    it('should describe an update as disruptive (BGP resets) with before → after, and a create as not', () => {
      const d = privateKind.describe(circuit(), privateKind.parseInput({ vlanId: 150, peerAsn: 65011 }));
      assert.deepEqual(d.diff, { VLAN: ['100', '150'], 'Peer ASN': ['65010', '65011'] });
      assert.equal(d.impact.disruptive, true);
      assert.match(d.impact.downtime, /BGP sessions of this peering reset/);
      assert.equal(privateKind.describe(bare(), privateKind.parseInput(NEW_PRIVATE)).impact.disruptive, false);
    });
  });

  describe('microsoft peering', () => {
    const NEW_MS = {
      vlanId: 200,
      peerAsn: 64496 + 0,
      primaryPeerAddressPrefix: '145.14.0.0/30',
      secondaryPeerAddressPrefix: '145.14.0.4/30',
      advertisedPublicPrefixes: ['145.14.8.0/24'],
      routingRegistryName: 'ripencc',
    };

    it('should refuse unknown registries, empty prefix lists and too many prefixes at the boundary', () => {
      refusedInput(msKind, { routingRegistryName: 'EXAMPLE' });
      refusedInput(msKind, { advertisedPublicPrefixes: [] });
      refusedInput(msKind, { advertisedPublicPrefixes: Array.from({ length: 201 }, (_, i) => `145.${i}.0.0/24`) });
      refusedInput(msKind, { advertisedPublicPrefixes: ['not-a-prefix'] });
      assert.equal(msKind.parseInput({ routingRegistryName: 'ripe-ncc'.replace('-', '') }).routingRegistryName, 'RIPENCC');
    });

    it('should refuse private, shared, loopback, link-local, multicast and documentation prefixes, IPv4 and IPv6', () => {
      for (const p of [
        '10.1.0.0/16',
        '172.16.5.0/24',
        '192.168.1.0/24',
        '100.64.0.0/16',
        '127.0.0.0/8',
        '169.254.0.0/16',
        '224.0.0.0/8',
        '198.51.100.0/27',
        '0.0.0.0/0',
        'fd00::/48',
        'fe80::/64',
        '2001:db8:1::/48',
        'ff02::/16',
      ]) {
        assert.match(
          reason(msKind.check(bare(), msKind.parseInput({ ...NEW_MS, advertisedPublicPrefixes: [p] }), undefined)),
          /not a public prefix/,
          p,
        );
      }
      assert.match(
        reason(msKind.check(bare(), msKind.parseInput({ ...NEW_MS, advertisedPublicPrefixes: ['145.14.8.1/24'] }), undefined)),
        /not network-aligned/,
      );
      assert.match(
        reason(msKind.check(bare(), msKind.parseInput({ ...NEW_MS, primaryPeerAddressPrefix: '192.168.0.0/30' }), undefined)),
        /public link subnets/,
      );
      assert.equal(
        msKind.check(bare(), msKind.parseInput({ ...NEW_MS, advertisedPublicPrefixes: ['145.14.8.0/24', '2a01:111::/48'] }), undefined),
        undefined,
      );
    });

    it('should accept a private peer ASN with a manual-validation warning (issue 10, item 4), only when the ASN is new', () => {
      const privateAsn = msKind.parseInput({ ...NEW_MS, peerAsn: 65001 });
      assert.equal(msKind.check(bare(), privateAsn, undefined), undefined);
      const notes = msKind.describe(bare(), privateAsn).impact.notes;
      assert.ok(
        notes.some((n) => /^Warning: Peer ASN 65001 is private: Azure allows it on Microsoft peering only after manual validation/.test(n)),
        notes.join('\n'),
      );
      const already = circuit({ peerings: [peering('microsoft', { peerAsn: 65001 })] });
      const keyOnly = msKind.describe(already, msKind.parseInput({ vlanId: 201 })).impact.notes;
      assert.ok(!keyOnly.some((n) => /private/.test(n)), 'a private ASN already in place is not warned about again');
    });

    it('should refuse a create without prefixes, and Azure public peering (deprecated)', () => {
      const { advertisedPublicPrefixes: _drop, ...noPrefixes } = NEW_MS;
      assert.match(reason(msKind.check(bare(), msKind.parseInput(noPrefixes), undefined)), /needs Advertised prefixes/);
      const r = msKind.check(bare(), msKind.parseInput({ peeringType: 'AzurePublicPeering' }), undefined);
      assert.match(reason(r), /deprecated/);
      assert.match(hintText(r?.alternative ?? ''), /Microsoft peering with a route filter/);
    });

    it('should explain that nothing is advertised until a route filter is attached', () => {
      const d = msKind.describe(bare(), msKind.parseInput(NEW_MS));
      assert.ok(d.impact.notes.some((n) => /Nothing is advertised .* until a route filter is attached/.test(n)));
      assert.deepEqual(d.diff['Advertised prefixes'], ['(none)', '145.14.8.0/24']);
    });

    it('should not count a Failed Microsoft peering with the asked settings as applied, so a resumed change writes again', () => {
      const input = msKind.parseInput({ vlanId: 200, peerAsn: 64999 });
      const asked = (provisioningState: string) => circuit({ peerings: [peering('microsoft', { provisioningState })] });
      assert.equal(msKind.isApplied(asked('Succeeded'), input), true, 'the same settings, written');
      assert.equal(msKind.isApplied(asked('Failed'), input), false, 'the same settings, but the write failed');
    });
  });

  describe('peering state', () => {
    it('should refuse a missing peering, a no-op and bad words', () => {
      refusedInput(stateKind, { peering: 'public', state: 'Disabled' });
      refusedInput(stateKind, { peering: 'private', state: 'maybe' });
      assert.match(
        reason(stateKind.check(bare(), stateKind.parseInput({ peering: 'private', state: 'disable' }), undefined)),
        /has no AzurePrivatePeering/,
      );
      assert.match(
        reason(stateKind.check(circuit(), stateKind.parseInput({ peering: 'private', state: 'on' }), undefined)),
        /already Enabled/,
      );
    });

    it('should mark disabling a peering that carries traffic disruptive, and one that does not as not', () => {
      const input = stateKind.parseInput({ peering: 'private', state: 'Disabled' });
      const busy = stateKind.describe(circuit(), input, { bgpUp: true, routesReceived: 48 });
      assert.equal(busy.impact.disruptive, true);
      assert.ok(busy.impact.notes.some((n) => /BGP is up with 48 routes/.test(n)));
      assert.equal(stateKind.describe(circuit(), input, { bgpUp: false, routesReceived: 0, bytes: 0 }).impact.disruptive, false);
      assert.equal(
        stateKind.describe(circuit(), input, { unknown: 'BGP state could not be read' }).impact.disruptive,
        true,
        'unknown counts as carrying',
      );
      assert.equal(stateKind.describe(circuit(), input, { bgpUp: false, bytes: 10 }).impact.disruptive, true, 'byte counters moving');
      assert.deepEqual(stateKind.describe(circuit(), input).diff, { 'AzurePrivatePeering state': ['Enabled', 'Disabled'] });
    });
  });

  describe('route filter', () => {
    const ms = circuit({ peerings: [peering('microsoft', { routeFilterId: undefined })] });
    it('should refuse communities of the wrong shape at the boundary and ones ARM does not serve', () => {
      for (const c of ['12076:4010', '12075:5010', '12076:50', '12076:501000', 'exchange'])
        refusedInput(filterKind, { action: 'create', name: 'rf-b', communities: [c] });
      refusedInput(filterKind, { action: 'create', name: 'rf-b', communities: [] });
      refusedInput(filterKind, { action: 'create', name: '-bad', communities: ['12076:5010'] });
      const input = filterKind.parseInput({ action: 'create', name: 'rf-b', communities: ['12076:5010', '12076:5999'] });
      assert.match(
        reason(filterKind.check(ms, input, { filters: [], communities: SERVED })),
        /no service or region with the community 12076:5999/,
      );
      assert.match(reason(filterKind.check(ms, input, { filters: [] })), /could not read the BGP service communities/);
      const ok = filterKind.parseInput({ action: 'create', name: 'rf-b', communities: ['12076:5010', '12076:51002', '12076:5010'] });
      assert.deepEqual(ok.communities, ['12076:5010', '12076:51002'], 'duplicates dropped');
      assert.equal(filterKind.check(ms, ok, { filters: [], communities: SERVED }), undefined);
    });

    it('should refuse a Microsoft 365 community unless ARM marks it isAuthorizedToUse, for a new filter and a rule change (issue 10, item 4)', () => {
      const served = (authorized: boolean | undefined): BgpServiceCommunity[] => [
        {
          serviceName: 'exchange',
          communityName: 'Exchange Online',
          value: '12076:5010',
          serviceGroup: 'O365',
          ...(authorized === undefined ? {} : { isAuthorizedToUse: authorized }),
        },
        {
          serviceName: 'azurewesteurope',
          communityName: 'Azure West Europe',
          value: '12076:51002',
          serviceGroup: 'Azure',
          isAuthorizedToUse: true,
        },
      ];
      const input = filterKind.parseInput({ action: 'create', name: 'rf-b', communities: ['12076:5010', '12076:51002'] });
      for (const authorized of [false, undefined]) {
        const r = filterKind.check(ms, input, { filters: [], communities: served(authorized) });
        assert.match(reason(r), /not authorized to use the Microsoft 365 community 12076:5010 \(Exchange Online\)/);
        assert.match(
          hintText(r?.alternative ?? ''),
          /authorize the subscription for Microsoft 365 over ExpressRoute.*without it \(12076:51002\)/,
        );
      }
      assert.equal(filterKind.check(ms, input, { filters: [], communities: served(true) }), undefined);
      const rule = ruleKind.parseInput({ communities: ['12076:5010'] });
      assert.match(
        reason(
          ruleKind.check({ kind: 'routeFilter' as const, ...filter({ rules: [] }), provisioningState: 'Succeeded' }, rule, {
            communities: served(false),
          }),
        ),
        /not authorized/,
      );
    });

    it('should refuse a name already taken, attaching without Microsoft peering, an unknown filter, a filter in another region, and a no-op', () => {
      const create = filterKind.parseInput({ action: 'create', name: 'rf-a', communities: ['12076:5010'] });
      assert.match(reason(filterKind.check(ms, create, { filters: [filter()], communities: SERVED })), /already exists/);
      const attach = filterKind.parseInput({ action: 'attach', routeFilter: 'rf-a' });
      assert.match(reason(filterKind.check(bare(), attach, { filters: [filter()] })), /no Microsoft peering/);
      assert.match(
        reason(filterKind.check(ms, filterKind.parseInput({ action: 'attach', routeFilter: 'rf-zz' }), { filters: [filter()] })),
        /no route filter rf-zz/,
      );
      assert.match(reason(filterKind.check(ms, attach, { filters: [filter({ location: 'eastus' })] })), /must be in the circuit's region/);
      const attached = circuit({ peerings: [peering('microsoft', { routeFilterId: filter().id })] });
      assert.match(reason(filterKind.check(attached, attach, { filters: [filter()] })), /already attached/);
      assert.equal(filterKind.check(ms, attach, { filters: [filter()] }), undefined);
    });

    it('should refuse setting communities on a filter with more than one rule, a no-op, and unserved values', () => {
      const two = {
        kind: 'routeFilter' as const,
        ...filter({ rules: [filter().rules[0]!, { name: 'second', access: 'Allow', communities: [] }] }),
        provisioningState: 'Succeeded',
      };
      const input = ruleKind.parseInput({ communities: ['12076:51002'] });
      assert.match(reason(ruleKind.check(two, input, { communities: SERVED })), /exactly one/);
      const one = { kind: 'routeFilter' as const, ...filter(), provisioningState: 'Succeeded' };
      assert.match(
        reason(ruleKind.check(one, ruleKind.parseInput({ communities: ['12076:5010'] }), { communities: SERVED })),
        /already allows/,
      );
      assert.match(
        reason(ruleKind.check(one, ruleKind.parseInput({ communities: ['12076:5011'] }), { communities: SERVED })),
        /offers no service/,
      );
      assert.equal(ruleKind.check(one, input, { communities: SERVED }), undefined);
      assert.deepEqual(ruleKind.describe(one, input, { communities: SERVED }).diff, {
        'rf-a communities': ['12076:5010 (Exchange Online)', '12076:51002 (Azure West Europe)'],
      });
    });
  });

  describe('UDR route', () => {
    const add = (o: Record<string, unknown>) =>
      udrKind.parseInput({ action: 'add', name: 'r1', addressPrefix: '10.60.0.0/16', nextHopType: 'VirtualNetworkGateway', ...o });
    it('should refuse unknown next-hop types, bad prefixes and bad IPs at the boundary', () => {
      refusedInput(udrKind, { action: 'add', name: 'r1', addressPrefix: '10.60.0.0/16', nextHopType: 'Router' });
      // A declared alias means the same in card data as typed: "firewall" is a VirtualAppliance.
      assert.equal(add({ nextHopType: 'Firewall', nextHopIpAddress: '10.1.0.4' }).nextHopType, 'VirtualAppliance');
      refusedInput(udrKind, { action: 'add', name: 'r1', addressPrefix: '10.60.0.0/33', nextHopType: 'None' });
      refusedInput(udrKind, {
        action: 'add',
        name: 'r1',
        addressPrefix: '10.60.0.0/16',
        nextHopType: 'VirtualAppliance',
        nextHopIpAddress: '10.1.0.300',
      });
      refusedInput(udrKind, { action: 'delete', name: 'r1' });
    });

    it('should refuse VirtualAppliance without an IP or with the wrong family, an IP on other hops, duplicates by name or prefix, misaligned prefixes, the route limit, and removing a missing route', () => {
      assert.match(reason(udrKind.check(table(), add({ nextHopType: 'VirtualAppliance' }), {})), /needs the appliance's IP/);
      assert.match(
        reason(udrKind.check(table(), add({ nextHopType: 'VirtualAppliance', nextHopIpAddress: 'fd00::4' }), {})),
        /is IPv6 but 10.60.0.0\/16 is IPv4/,
      );
      assert.match(reason(udrKind.check(table(), add({ nextHopIpAddress: '10.1.0.4' }), {})), /takes no next-hop IP/);
      assert.match(reason(udrKind.check(table(), add({ name: 'TO-FW' }), {})), /already has a route called to-fw/);
      assert.match(
        reason(udrKind.check(table(), add({ addressPrefix: '10.50.0.0/16' }), {})),
        /already routes 10.50.0.0\/16 \(route to-fw/,
      );
      assert.match(reason(udrKind.check(table(), add({ addressPrefix: '10.60.1.0/16' }), {})), /not network-aligned/);
      const full = table({
        routes: Array.from({ length: 400 }, (_, i) => ({
          name: `r-${i}`,
          addressPrefix: `10.${Math.floor(i / 256)}.${i % 256}.0/24`,
          nextHopType: 'None',
        })),
      });
      assert.match(reason(udrKind.check(full, add({}), {})), /400 routes/);
      assert.match(reason(udrKind.check(table(), udrKind.parseInput({ action: 'remove', name: 'nope' }), {})), /no route called nope/);
      assert.equal(udrKind.check(table(), add({ nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.1.0.4' }), {}), undefined);
    });

    it('should warn (disruptive) about black holes: None on 0.0.0.0/0 or ::/0, or on a prefix covering the VNet', () => {
      const def = udrKind.describe(table(), add({ addressPrefix: '0.0.0.0/0', nextHopType: 'None' }), {});
      assert.equal(def.impact.disruptive, true);
      assert.match(def.impact.notes[0] ?? '', /Black hole: next hop None on 0.0.0.0\/0 drops ALL traffic/);
      assert.equal(udrKind.describe(table(), add({ addressPrefix: '::/0', nextHopType: 'None' }), {}).impact.disruptive, true);
      const covering = udrKind.describe(table(), add({ addressPrefix: '10.0.0.0/8', nextHopType: 'None' }), {
        vnetPrefixes: ['10.100.0.0/16'],
      });
      assert.match(covering.impact.downtime, /covers the VNet's own address space \(10.100.0.0\/16\)/);
      assert.equal(
        udrKind.describe(table(), add({ addressPrefix: '192.168.0.0/16', nextHopType: 'None' }), { vnetPrefixes: ['10.100.0.0/16'] }).impact
          .disruptive,
        false,
      );
      assert.deepEqual(udrKind.describe(table(), add({}), {}).diff, { 'Route r1': ['(none)', '10.60.0.0/16 → VirtualNetworkGateway'] });
    });

    describe('next to an ExpressRoute gateway (DESIGN.md Rules, UDR and ExpressRoute)', () => {
      const HUB = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-hub';
      const onGatewaySubnet = (o: Partial<RouteTableSubject> = {}) => table({ subnetIds: [`${HUB}/subnets/GatewaySubnet`], ...o });
      const appliance = (ip: string) => add({ nextHopType: 'VirtualAppliance', nextHopIpAddress: ip });
      const space = { vnets: [{ name: 'vnet-a', prefixes: ['10.100.0.0/16', '10.101.0.0/16'] }], unreadVnets: [] };

      it('should refuse a VirtualNetworkGateway next hop: ExpressRoute routes come from BGP, use a VirtualAppliance', () => {
        const r = udrKind.check(table(), add({}), {});
        assert.match(reason(r), /VirtualNetworkGateway next hop towards an ExpressRoute gateway.*ExpressRoute routes come from BGP/);
        assert.match(hintText(r?.alternative ?? ''), /Use a VirtualAppliance next hop.*advertise it from on-premises over BGP/);
        assert.equal(udrKind.check(table(), add({ nextHopType: 'Internet' }), {}), undefined);
      });

      it('should refuse a 0.0.0.0/0 route in a table on a GatewaySubnet, and allow other routes there', () => {
        const r = udrKind.check(onGatewaySubnet(), add({ addressPrefix: '0.0.0.0/0', nextHopType: 'Internet' }), {});
        assert.match(reason(r), /rt-a is associated with the GatewaySubnet of vnet-hub, where Azure does not support a 0\.0\.0\.0\/0/);
        assert.match(hintText(r?.alternative ?? ''), /advertise 0\.0\.0\.0\/0 from on-premises over BGP/);
        assert.match(
          reason(udrKind.check(onGatewaySubnet(), add({ addressPrefix: '0.0.0.0/0', nextHopType: 'None' }), {})),
          /GatewaySubnet/,
        );
        assert.equal(udrKind.check(onGatewaySubnet(), add({ addressPrefix: '10.30.0.0/16', nextHopType: 'Internet' }), {}), undefined);
        assert.equal(udrKind.check(table(), add({ addressPrefix: '0.0.0.0/0', nextHopType: 'Internet' }), {}), undefined);
      });

      it('should warn, not refuse, when BGP route propagation is off on the GatewaySubnet (Azure: the gateway won\u2019t function)', () => {
        const off = onGatewaySubnet({ disableBgpRoutePropagation: true });
        const note =
          /rt-a is associated with the GatewaySubnet of vnet-hub and has BGP route propagation disabled.*Enable gateway route propagation/;
        assert.equal(udrKind.check(off, add({ nextHopType: 'Internet' }), {}), undefined);
        assert.ok(udrKind.describe(off, add({ nextHopType: 'Internet' }), {}).impact.notes.some((n) => note.test(n)));
        const remove = udrKind.parseInput({ action: 'remove', name: 'to-fw' });
        assert.ok(udrKind.describe(off, remove, {}).impact.notes.some((n) => note.test(n)));
        assert.ok(!udrKind.describe(onGatewaySubnet(), add({ nextHopType: 'Internet' }), {}).impact.notes.some((n) => note.test(n)));
        assert.ok(
          !udrKind
            .describe(table({ disableBgpRoutePropagation: true }), add({ nextHopType: 'Internet' }), {})
            .impact.notes.some((n) => note.test(n)),
        );
      });

      it('should warn (not refuse: a hub firewall is in a peered VNet) about an appliance outside the VNets using the table, naming them', () => {
        assert.equal(udrKind.check(table(), appliance('10.1.0.4'), space), undefined);
        const notes = udrKind.describe(table(), appliance('10.1.0.4'), space).impact.notes.join('\n');
        assert.match(notes, /The appliance 10\.1\.0\.4 is outside the address space of vnet-a \(10\.100\.0\.0\/16, 10\.101\.0\.0\/16\)/);
        assert.match(notes, /not through the ExpressRoute\s+gateway/);
        assert.ok(
          !udrKind.describe(table(), appliance('10.101.0.4'), space).impact.notes.some((n) => /is outside the address space/.test(n)),
        );
        assert.equal(udrKind.check(table(), appliance('10.101.0.4'), space), undefined);
        assert.ok(!udrKind.describe(table(), appliance('10.101.0.4'), space).impact.notes.some((n) => /Could not read/.test(n)));
      });

      it('should warn, not refuse, when the VNet could not be read', () => {
        const unread = { vnets: [], unreadVnets: ['vnet-a'] };
        assert.equal(udrKind.check(table(), appliance('10.1.0.4'), unread), undefined);
        const notes = udrKind.describe(table(), appliance('10.1.0.4'), unread).impact.notes;
        assert.ok(
          notes.some((n) => /Could not read the address space of vnet-a to check that the appliance 10\.1\.0\.4 is reachable/.test(n)),
          notes.join('\n'),
        );
      });

      it('should gather each VNet’s address space, and the VNets it could not read', async () => {
        const other = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-b/subnets/app';
        const reader = {
          getVnetAddressPrefixes: (_scope: unknown, id: string) =>
            id.endsWith('/vnet-a') ? Promise.resolve({ value: ['10.100.0.0/16'], fetchedAt: 0 }) : Promise.reject(new Error('403')),
        };
        const ctx = { scope: { tenantId: 't', subscriptionId: 's' }, reader } as unknown as Parameters<typeof udrKind.gather>[0];
        const facts = await udrKind.gather(ctx, table({ subnetIds: [...table().subnetIds, other] }), appliance('10.1.0.4'));
        assert.deepEqual(facts, {
          vnetPrefixes: ['10.100.0.0/16'],
          vnets: [{ name: 'vnet-a', prefixes: ['10.100.0.0/16'] }],
          unreadVnets: ['vnet-b'],
        });
      });

      it('should take a service tag as the destination, typed or from the form, one route per tag and at most 25 of them', () => {
        for (const tag of ['AzureCloud', 'Storage.WestEurope', 'AzureCloud.canadacentral']) {
          const input = appliance('10.1.0.4');
          const tagged = udrKind.parseInput({ ...input, addressPrefix: tag });
          assert.equal(udrKind.check(table(), tagged, {}), undefined, tag);
          assert.deepEqual(udrKind.patch(table(), tagged), {
            resource: 'routeTableRoute',
            name: 'r1',
            action: 'put',
            route: { addressPrefix: tag, nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.1.0.4' },
          });
          assert.ok(udrKind.describe(table(), tagged, {}).impact.notes.some((n) => n.startsWith(`${tag} is a service tag`)));
        }
        refusedInput(udrKind, { action: 'add', name: 'r1', addressPrefix: 'Storage West', nextHopType: 'Internet' });
        refusedInput(udrKind, { action: 'add', name: 'r1', addressPrefix: '-Storage', nextHopType: 'Internet' });
        const withTag = table({ routes: [{ name: 'st', addressPrefix: 'Storage', nextHopType: 'Internet' }] });
        assert.match(
          reason(udrKind.check(withTag, add({ addressPrefix: 'storage', nextHopType: 'None' }), {})),
          /already routes the service tag Storage \(route st/,
        );
        assert.ok(
          udrKind.isApplied(withTag, udrKind.parseInput({ action: 'add', name: 'st', addressPrefix: 'Storage', nextHopType: 'Internet' })),
        );
        const full = table({
          routes: Array.from({ length: 25 }, (_, i) => ({ name: `t${i}`, addressPrefix: `Storage.Region${i}`, nextHopType: 'Internet' })),
        });
        assert.match(
          reason(udrKind.check(full, add({ addressPrefix: 'AzureCloud', nextHopType: 'Internet' }), {})),
          /already has 25 routes to service tags/,
        );
        assert.equal(udrKind.check(full, add({ addressPrefix: '10.70.0.0/16', nextHopType: 'Internet' }), {}), undefined);
      });
    });
  });

  describe('authorization', () => {
    const sea = () =>
      circuit({
        authorizations: [
          {
            name: 'auth-hub',
            useStatus: 'InUse',
            connectionId: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/connections/cn-hub',
          },
          { name: 'auth-spare', useStatus: 'Available' },
        ],
      });
    it('should refuse a duplicate name, revoking a missing one, and bad names', () => {
      refusedInput(authKind, { action: 'create', name: 'bad name' });
      assert.match(
        reason(authKind.check(sea(), authKind.parseInput({ action: 'create', name: 'AUTH-HUB' }), undefined)),
        /already has an authorization/,
      );
      assert.match(
        reason(authKind.check(sea(), authKind.parseInput({ action: 'revoke', name: 'nope' }), undefined)),
        /no authorization called nope/,
      );
    });

    it('should refuse an 11th authorization, naming the limit and the unused ones to revoke (issue 10, item 3)', () => {
      const ten = (inUse: number) =>
        circuit({
          authorizations: Array.from({ length: 10 }, (_, i) => ({
            name: `auth-${i + 1}`,
            useStatus: i < inUse ? 'InUse' : 'Available',
          })),
        });
      const create = authKind.parseInput({ action: 'create', name: 'auth-11' });
      const refusal = authKind.check(ten(8), create, undefined);
      assert.match(reason(refusal), /er-sv-01 has 10 authorizations; Azure allows at most 10 per circuit/);
      const next = hintText(refusal!.alternative);
      assert.match(next, /Revoke an unused one first .*: auth-9, auth-10\./);
      assert.match(next, /`authorization er-sv-01 revoke auth-9`/);
      assert.doesNotMatch(next, /auth-1,/, 'an authorization in use is not offered');
      // All in use: no name to offer, but the way forward is still said.
      assert.match(hintText(authKind.check(ten(10), create, undefined)!.alternative), /All 10 are in use.*`circuit er-sv-01`/);
      // Nine leave room for one more; revoking is never blocked by the limit.
      const nine = circuit({ authorizations: ten(0).authorizations.slice(0, 9) });
      assert.equal(authKind.check(nine, create, undefined), undefined);
      assert.equal(authKind.check(ten(0), authKind.parseInput({ action: 'revoke', name: 'auth-3' }), undefined), undefined);
      const [create10] = authKind.form({ circuit: ten(0) }, {});
      assert.match(create10?.unavailable ?? '', /at most 10/);
    });

    it('should tell VNet links from authorizations on a create: 10 authorizations on any SKU, links by SKU and bandwidth', () => {
      const notes = (c: Circuit) =>
        authKind.describe(c, authKind.parseInput({ action: 'create', name: 'auth-new' })).impact.notes.join('\n');
      assert.doesNotMatch(
        JSON.stringify(authKind.describe(sea(), authKind.parseInput({ action: 'create', name: 'a' }))),
        /10 on Standard\)/,
      );
      assert.match(notes(sea()), /Authorizations: 3 of the 10 Azure allows per circuit/);
      assert.match(notes(sea()), /10 on this Standard 1 Gbps circuit/);
      assert.match(notes(circuit({ sku: { tier: 'Premium', family: 'MeteredData' }, bandwidthMbps: 50 })), /20 on this Premium 50 Mbps/);
      assert.match(notes(circuit({ sku: { tier: 'Premium', family: 'MeteredData' }, bandwidthMbps: 2000 })), /60 on this Premium 2 Gbps/);
      assert.match(
        notes(circuit({ sku: { tier: 'Premium', family: 'UnlimitedData' }, bandwidthMbps: 100_000 })),
        /100 on this Premium 100 Gbps/,
      );
      assert.match(notes(circuit({ sku: { tier: 'Local', family: 'UnlimitedData' }, bandwidthMbps: 10_000 })), /10 on this Local 10 Gbps/);
    });

    it('should show which connection a revoke cuts, and mark it disruptive only when in use', () => {
      const d = authKind.describe(sea(), authKind.parseInput({ action: 'revoke', name: 'auth-hub' }));
      assert.equal(d.impact.disruptive, true);
      assert.ok(d.impact.notes.includes('Will be cut: the connection cn-hub.'));
      assert.deepEqual(d.diff, { 'Authorization auth-hub': ['InUse, used by cn-hub', '(revoked)'] });
      assert.equal(authKind.describe(sea(), authKind.parseInput({ action: 'revoke', name: 'auth-spare' })).impact.disruptive, false);
    });

    it('should name the key as a secret for the requester only once the create succeeded, never for a revoke', () => {
      const req = (state: 'pending' | 'succeeded', input: Record<string, unknown>) => ({ circuitId: '/c/er1', state, input });
      assert.deepEqual(authKind.secretForRequester(req('succeeded', { action: 'create', name: 'a1' })), {
        kind: 'authorizationKey',
        resourceId: '/c/er1/authorizations/a1',
        label: 'the authorization key of a1',
      });
      assert.equal(authKind.secretForRequester(req('pending', { action: 'create', name: 'a1' })), undefined);
      assert.equal(authKind.secretForRequester(req('succeeded', { action: 'revoke', name: 'a1' })), undefined);
      assert.equal(privateKind.secretForRequester(req('succeeded', NEW_PRIVATE)), undefined);
    });
  });

  it('should refuse a route-table kind on a circuit and a circuit kind on a route table (wiring bugs fail loudly)', () => {
    assert.throws(() => udrKind.check(circuit(), udrKind.parseInput({ action: 'remove', name: 'x' }), {}), /applies to a route table/);
    assert.throws(
      () => authKind.check(table(), authKind.parseInput({ action: 'create', name: 'x' }), undefined),
      /applies to an ExpressRoute circuit/,
    );
  });
});
