import assert from 'node:assert/strict';
import type { ChangeSubject, RouteFilterSubject, RouteTableSubject, Undo } from '../../src/changes/change-kind';
import { defaultChangeKinds, type RegisteredKind } from '../../src/changes/change-kinds';
import { MemorySecretVault } from '../../src/changes/kinds/shared/secret-vault';
import type { Circuit, Peering, RouteFilter } from '../../src/network/types';
import { circuit, peering } from '../network/circuit-fixture';

const kinds = defaultChangeKinds({ secrets: new MemorySecretVault() });
const OWNER = { customerId: 'contoso', requesterId: 'engineer', circuitId: circuit().id };

const RF_M365 = peering('microsoft').routeFilterId ?? '';
const RF_OTHER = RF_M365.replace(/rf-m365$/, 'rf-other');
const filterNamed = (id: string): RouteFilter => ({
  id,
  name: id.split('/').pop() ?? '',
  subscriptionId: circuit().subscriptionId,
  resourceGroup: 'rg-network',
  location: 'westus2',
  provisioningState: 'Succeeded',
  rules: [{ name: 'allow', access: 'Allow', communities: ['12076:5010'] }],
  peeringIds: [],
});

const table = (routes: RouteTableSubject['routes']): RouteTableSubject => ({
  kind: 'routeTable',
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/routeTables/rt-a',
  name: 'rt-a',
  subscriptionId: 's',
  resourceGroup: 'rg',
  location: 'westus2',
  etag: 'W/"1"',
  provisioningState: 'Succeeded',
  disableBgpRoutePropagation: false,
  routes,
  subnetIds: ['/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-a/subnets/app'],
});
const TO_FW = { name: 'to-fw', addressPrefix: '10.50.0.0/16', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.1.0.4' };

const ruleFilter = (communities: string[]): RouteFilterSubject => ({
  kind: 'routeFilter',
  ...filterNamed(RF_M365),
  provisioningState: 'Succeeded',
  rules: [{ name: 'allow', access: 'Allow', communities }],
});

/** A circuit whose peering of `kind` has these settings over the fixture's. */
const withPeering = (kind: 'private' | 'microsoft', o: Partial<Peering>, c: Partial<Circuit> = {}): Circuit => {
  const base = circuit(c);
  return { ...base, peerings: base.peerings.map((p) => (p.kind === kind ? { ...p, ...o } : p)) };
};

interface Case {
  kind: string;
  /** The target when the change was asked for. */
  before: ChangeSubject;
  /** As a person gives it (parsed with the kind's parseInput, with an owner for typed keys). */
  input: Record<string, unknown>;
  /** The target once the change was made. */
  after: ChangeSubject;
  /** What the rollback's `check` is given (the facts its gather would find). */
  facts?: unknown;
}

const stored = (c: Pick<Case, 'kind' | 'input'>) => kinds.get(c.kind).parseInput(c.input, OWNER);
const undoOf = (c: Pick<Case, 'kind' | 'before' | 'input'>): Undo => kinds.get(c.kind).undo(c.before, stored(c));

function reversible(c: Case): { undo: Extract<Undo, { kind: string }>; back: RegisteredKind; input: Record<string, unknown> } {
  const undo = undoOf(c);
  assert.ok('kind' in undo, `${c.kind} ${JSON.stringify(c.input)} should be reversible, but: ${'oneWay' in undo ? undo.oneWay : ''}`);
  for (const v of Object.values(undo.input)) assert.ok(['string', 'number', 'boolean'].includes(typeof v), 'flat input only');
  const back = kinds.get(undo.kind);
  const input = back.parseInput(undo.input);
  assert.equal(back.isApplied(c.before, input), true, 'the way back leads to the target as it was');
  assert.equal(back.isApplied(c.after, input), false, 'the way back changes the target as it is now');
  assert.equal(back.check(c.after, input, c.facts)?.reason, undefined, 'the way back may be asked for');
  return { undo, back, input };
}

const oneWay = (c: Pick<Case, 'kind' | 'before' | 'input'>): string => {
  const undo = undoOf(c);
  assert.ok('oneWay' in undo, `${c.kind} ${JSON.stringify(c.input)} should be one-way`);
  assert.doesNotMatch(undo.oneWay, /^The bot can't undo a /, 'a reason of its own, not the default');
  return undo.oneWay;
};

const STANDARD_FACTS = { privateRoutes: 10, vnetLinks: [] };

/** One change of every kind, each with a way back (or a reason there is none). */
const SAMPLES: Record<string, Pick<Case, 'kind' | 'before' | 'input'>> = {
  bandwidth: { kind: 'bandwidth', before: circuit(), input: { bandwidth: '2 Gbps' } },
  sku: { kind: 'sku', before: circuit(), input: { tier: 'Premium' } },
  'private-peering': { kind: 'private-peering', before: circuit(), input: { vlanId: 101 } },
  'microsoft-peering': { kind: 'microsoft-peering', before: circuit(), input: { peerAsn: 64998 } },
  'peering-state': { kind: 'peering-state', before: circuit(), input: { peering: 'private', state: 'Disabled' } },
  'route-filter': { kind: 'route-filter', before: circuit(), input: { action: 'attach', routeFilter: RF_OTHER } },
  'route-filter-rule': { kind: 'route-filter-rule', before: ruleFilter(['12076:5010']), input: { communities: '12076:5010,12076:51002' } },
  'udr-route': { kind: 'udr-route', before: table([]), input: { action: 'add', ...TO_FW } },
  authorization: { kind: 'authorization', before: circuit(), input: { action: 'create', name: 'auth-new' } },
};

describe('change kinds: the way back from each change, worked out from the target before it', () => {
  it('should declare, for every registered kind, a way back or a reason of its own why there is none', () => {
    assert.deepEqual(Object.keys(SAMPLES).sort(), kinds.names().sort(), 'every kind has a sample here');
    for (const sample of Object.values(SAMPLES)) {
      const undo = undoOf(sample);
      if ('oneWay' in undo) assert.doesNotMatch(undo.oneWay, /^The bot can't undo a /, `${sample.kind} says why it is one-way`);
      else assert.equal(undo.kind, sample.kind, `${sample.kind} is undone by a change of its own kind`);
    }
  });

  describe('bandwidth', () => {
    it('should call an increase one-way, in the words of the refusal of a decrease', () => {
      const why = oneWay({ kind: 'bandwidth', before: circuit({ bandwidthMbps: 1000 }), input: { bandwidth: '2 Gbps' } });
      assert.match(why, /can't lower a circuit's bandwidth in place \(2 Gbps → 1 Gbps\)/);
      assert.match(why, /new, smaller circuit/);
    });
  });

  describe('sku', () => {
    const standard = circuit();
    const premium = circuit({ sku: { tier: 'Premium', family: 'MeteredData' } });

    it('should go back from Premium to Standard only within the Standard limits, which the rollback checks', () => {
      const c: Case = { kind: 'sku', before: standard, input: { tier: 'Premium' }, after: premium, facts: STANDARD_FACTS };
      const { undo, back, input } = reversible(c);
      assert.deepEqual(undo.input, { tier: 'Standard' });
      assert.match(undo.precondition ?? '', /^Back to Standard only within the Standard limits: at most 10 VNet links/);
      const links = Array.from({ length: 11 }, (_, i) => ({ name: `link-${i}`, region: 'westus2' }));
      assert.match(back.check(premium, input, { privateRoutes: 10, vnetLinks: links })?.reason ?? '', /Standard allows at most 10/);
      assert.match(back.check(premium, input, { privateRoutes: 4000, vnetLinks: [] })?.reason ?? '', /4000 routes/);
    });

    it('should go back from Standard to Premium without a precondition', () => {
      const { undo } = reversible({ kind: 'sku', before: premium, input: { tier: 'Standard' }, after: standard });
      assert.deepEqual(undo, { kind: 'sku', input: { tier: 'Premium' } });
    });

    it('should go back between Standard and Local, to Local only within its limits', () => {
      // Local has no Global Reach: the fixture's private peering has none here.
      const unlimited = (tier: string) => withPeering('private', { connections: [] }, { sku: { tier, family: 'UnlimitedData' } });
      const back = (before: string, after: string) =>
        reversible({ kind: 'sku', before: unlimited(before), input: { tier: after }, after: unlimited(after), facts: STANDARD_FACTS });
      const fromLocal = back('Local', 'Standard');
      assert.match(fromLocal.undo.precondition ?? '', /^Back to Local only within the Local limits/);
      const withReach = withPeering('private', {}, { sku: { tier: 'Standard', family: 'UnlimitedData' } });
      assert.match(fromLocal.back.check(withReach, fromLocal.input, STANDARD_FACTS)?.reason ?? '', /Global Reach isn't available on Local/);
      const toLocal = back('Standard', 'Local');
      assert.equal(toLocal.undo.precondition, undefined);
    });

    it('should call Metered → Unlimited one-way, with or without a tier change', () => {
      for (const input of [{ family: 'UnlimitedData' }, { tier: 'Premium', family: 'unlimited' }]) {
        assert.match(oneWay({ kind: 'sku', before: standard, input }), /cannot move a circuit from Unlimited to Metered data/);
      }
    });
  });

  describe('private and Microsoft peering', () => {
    it('should set the changed settings back, and only those', () => {
      const before = circuit();
      const after = withPeering('private', { vlanId: 101, peerAsn: 65011 });
      const { undo, back, input } = reversible({ kind: 'private-peering', before, input: { vlanId: 101, peerAsn: 65011 }, after });
      assert.deepEqual(undo.input, { vlanId: 100, peerAsn: 65010 });
      const patch = back.patch(after, input);
      assert.ok(patch.resource === 'circuitPeering');
      assert.equal(patch.set.vlanId, 100);
      assert.equal(patch.set.peerAsn, 65010);
      assert.equal('sharedKey' in patch, false, 'the key is left as it is');
    });

    it('should put the IPv6 side back from its own settings', () => {
      const v6 = { primaryPeerAddressPrefix: 'fd00:10::/126', secondaryPeerAddressPrefix: 'fd00:10::4/126' };
      const before = withPeering('private', { ipv6: v6 });
      const after = withPeering('private', {
        ipv6: { primaryPeerAddressPrefix: 'fd00:20::/126', secondaryPeerAddressPrefix: 'fd00:20::4/126' },
      });
      const input = { primaryPeerAddressPrefix: 'fd00:20::/126', secondaryPeerAddressPrefix: 'fd00:20::4/126' };
      const { undo } = reversible({ kind: 'private-peering', before, input, after });
      assert.deepEqual(undo.input, v6);
    });

    it("should give a Microsoft peering's advertised prefixes back as the list a person types", () => {
      const before = withPeering('microsoft', { advertisedPublicPrefixes: ['145.14.8.0/24', '145.14.9.0/24'] });
      const after = withPeering('microsoft', { advertisedPublicPrefixes: ['145.14.10.0/24'] });
      const input = { advertisedPublicPrefixes: '145.14.10.0/24' };
      const { undo, input: back } = reversible({ kind: 'microsoft-peering', before, input, after });
      assert.deepEqual(undo.input, { advertisedPublicPrefixes: '145.14.8.0/24,145.14.9.0/24' });
      assert.deepEqual(back.advertisedPublicPrefixes, ['145.14.8.0/24', '145.14.9.0/24']);
    });

    it('should remove a key that was set where there was none', () => {
      const before = withPeering('private', { hasSharedKey: false });
      const after = withPeering('private', { hasSharedKey: true, vlanId: 102 });
      const { undo } = reversible({ kind: 'private-peering', before, input: { vlanId: 102, sharedKey: 'k-1' }, after });
      assert.deepEqual(undo.input, { vlanId: 100, removeSharedKey: true });
    });

    it('should call a change that replaced or removed an MD5 key one-way: the old key was never known', () => {
      const before = withPeering('private', { hasSharedKey: true });
      for (const input of [{ sharedKey: 'k-2' }, { vlanId: 103, removeSharedKey: true }]) {
        assert.match(oneWay({ kind: 'private-peering', before, input }), /MD5 key can't be put back: the bot never knew the old one/);
      }
    });

    it('should call a new peering, or a setting that had no value, one-way', () => {
      const bare = circuit({ peerings: [] });
      const create = { vlanId: 100, peerAsn: 65010, primaryPeerAddressPrefix: '10.0.0.0/30', secondaryPeerAddressPrefix: '10.0.0.4/30' };
      assert.match(
        oneWay({ kind: 'private-peering', before: bare, input: create }),
        /did not exist before.*no change that deletes a peering/,
      );
      const noCustomerAsn = withPeering('microsoft', { customerAsn: undefined });
      assert.match(
        oneWay({ kind: 'microsoft-peering', before: noCustomerAsn, input: { customerAsn: 64500 } }),
        /Customer ASN had no value/,
      );
    });
  });

  describe('peering state', () => {
    it('should enable again what it disabled, and disable again what it enabled', () => {
      const disabled = withPeering('private', { state: 'Disabled' });
      const off = reversible({
        kind: 'peering-state',
        before: circuit(),
        input: { peering: 'private', state: 'disable' },
        after: disabled,
      });
      assert.deepEqual(off.undo.input, { peering: 'private', state: 'Enabled' });
      const on = reversible({ kind: 'peering-state', before: disabled, input: { peering: 'private', state: 'Enabled' }, after: circuit() });
      assert.deepEqual(on.undo.input, { peering: 'private', state: 'Disabled' });
    });
  });

  describe('route filters', () => {
    it('should attach the filter that was attached before', () => {
      const after = withPeering('microsoft', { routeFilterId: RF_OTHER });
      const c: Case = {
        kind: 'route-filter',
        before: circuit(),
        input: { action: 'attach', routeFilter: RF_OTHER },
        after,
        facts: { filters: [filterNamed(RF_M365), filterNamed(RF_OTHER)] },
      };
      const { undo } = reversible(c);
      assert.deepEqual(undo.input, { action: 'attach', routeFilter: RF_M365 });
    });

    it('should call a first attachment, and a new filter, one-way: no kind detaches or deletes a filter', () => {
      const none = withPeering('microsoft', { routeFilterId: undefined });
      assert.match(
        oneWay({ kind: 'route-filter', before: none, input: { action: 'attach', routeFilter: RF_OTHER } }),
        /had no route filter before/,
      );
      const create = { action: 'create', name: 'rf-new', communities: '12076:5010' };
      assert.match(oneWay({ kind: 'route-filter', before: circuit(), input: create }), /no change that deletes a route filter/);
    });

    it("should set a filter rule's communities back", () => {
      const c: Case = {
        kind: 'route-filter-rule',
        before: ruleFilter(['12076:5010', '12076:51002']),
        input: { communities: '12076:5010' },
        after: ruleFilter(['12076:5010']),
        facts: {
          communities: [
            { serviceName: 'x', communityName: 'x', value: '12076:5010' },
            { serviceName: 'y', communityName: 'y', value: '12076:51002' },
          ],
        },
      };
      assert.deepEqual(reversible(c).undo.input, { communities: '12076:5010,12076:51002' });
      assert.match(
        oneWay({ kind: 'route-filter-rule', before: ruleFilter([]), input: { communities: '12076:5010' } }),
        /allowed no communities/,
      );
    });
  });

  describe('UDR routes', () => {
    it('should remove a route it added', () => {
      const { undo } = reversible({ kind: 'udr-route', before: table([]), input: { action: 'add', ...TO_FW }, after: table([TO_FW]) });
      assert.deepEqual(undo.input, { action: 'remove', name: 'to-fw' });
    });

    it('should put back a route it removed, as it was', () => {
      const { undo } = reversible({
        kind: 'udr-route',
        before: table([TO_FW]),
        input: { action: 'remove', name: 'TO-FW' },
        after: table([]),
      });
      assert.deepEqual(undo.input, { action: 'add', ...TO_FW });
      const drop = { name: 'drop', addressPrefix: '10.99.0.0/16', nextHopType: 'None' };
      const none = reversible({ kind: 'udr-route', before: table([drop]), input: { action: 'remove', name: 'drop' }, after: table([]) });
      assert.deepEqual(none.undo.input, { action: 'add', ...drop });
    });

    it('should put back a route an add replaced, once the new one is removed', () => {
      const replaced = { ...TO_FW, nextHopIpAddress: '10.1.0.9' };
      const undo = undoOf({ kind: 'udr-route', before: table([TO_FW]), input: { action: 'add', ...replaced } });
      assert.ok('kind' in undo);
      assert.deepEqual(undo.input, { action: 'add', ...TO_FW });
      assert.match(undo.precondition ?? '', /must be removed first/);
      assert.equal(kinds.get('udr-route').isApplied(table([TO_FW]), kinds.get('udr-route').parseInput(undo.input)), true);
    });
  });

  describe('authorizations', () => {
    it('should revoke an authorization it created', () => {
      const after = circuit({ authorizations: [...circuit().authorizations, { name: 'auth-new', provisioningState: 'Succeeded' }] });
      const { undo } = reversible({ kind: 'authorization', before: circuit(), input: { action: 'create', name: 'auth-new' }, after });
      assert.deepEqual(undo.input, { action: 'revoke', name: 'auth-new' });
    });

    it('should call a revocation one-way: a revoked key never comes back', () => {
      const why = oneWay({ kind: 'authorization', before: circuit(), input: { action: 'revoke', name: 'fabrikam-auth' } });
      assert.match(why, /revoked key can never be used again.*new key/);
    });
  });
});
