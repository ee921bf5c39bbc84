import assert from 'node:assert/strict';
import { defaultChangeKinds } from '../../src/changes/change-kinds';
import type { VnetLink } from '../../src/changes/change-kind';
import { CodedError, ErrorCode } from '../../src/errors';
import { hintText } from '../../src/command-names';
import { circuit, peering } from '../network/circuit-fixture';

const kinds = defaultChangeKinds();
const bandwidth = kinds.get('bandwidth');
const sku = kinds.get('sku');

/** A Premium circuit at Amsterdam (Europe) with no Global Reach, so only the VNet links given count. */
const premium = (o: Parameters<typeof circuit>[0] = {}) =>
  circuit({
    sku: { tier: 'Premium', family: 'MeteredData' },
    location: 'westeurope',
    provider: { name: 'Equinix', peeringLocation: 'Amsterdam' },
    peerings: [peering('private', { connections: [] })],
    ...o,
  });
const links = (n: number, region = 'northeurope'): VnetLink[] => Array.from({ length: n }, (_, i) => ({ name: `vnet-${i}`, region }));

describe('change kinds', () => {
  describe('registry', () => {
    it('should know every change kind, and refuse an unknown kind with the list of kinds', () => {
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
      assert.throws(
        () => kinds.get('delete-everything'),
        (e: unknown) => e instanceof CodedError && e.code === ErrorCode.BadInput && /bandwidth, sku, private-peering/.test(e.hint ?? ''),
      );
      assert.throws(() => kinds.get(42), CodedError);
    });

    it('should refuse registering the same kind twice', () => {
      assert.throws(() => defaultChangeKinds().add(bandwidth as never));
    });
  });

  describe('bandwidth', () => {
    it('should parse "2 Gbps" and Mbps numbers into the same input, and refuse junk with BadInput', () => {
      assert.deepEqual(bandwidth.parseInput({ bandwidth: '2 Gbps' }), { bandwidthMbps: 2000 });
      assert.deepEqual(bandwidth.parseInput({ bandwidthMbps: 2000 }), { bandwidthMbps: 2000 });
      for (const bad of [
        { bandwidth: 'lots' },
        { bandwidthMbps: -5 },
        { bandwidthMbps: '2000' },
        {},
        null,
        'x',
        { bandwidthMbps: 2000, extra: 1 },
      ]) {
        assert.throws(
          () => bandwidth.parseInput(bad),
          (e: unknown) => e instanceof CodedError && e.code === ErrorCode.BadInput,
          JSON.stringify(bad),
        );
      }
    });

    it('should refuse a decrease and offer a new, smaller circuit as the alternative', () => {
      const refusal = bandwidth.check(circuit({ bandwidthMbps: 1000 }), { bandwidthMbps: 500 }, undefined);
      assert.match(refusal?.reason ?? '', /can't lower/);
      assert.match(hintText(refusal?.alternative ?? ''), /new, smaller circuit.*delete the old/);
    });

    it('should refuse a step the provider does not offer, listing the allowed upgrades', () => {
      const refusal = bandwidth.check(circuit({ bandwidthMbps: 1000 }), { bandwidthMbps: 3000 }, undefined);
      assert.match(refusal?.reason ?? '', /isn't a bandwidth offered for a provider circuit/);
      assert.match(hintText(refusal?.alternative ?? ''), /2 Gbps, 5 Gbps, 10 Gbps/);
    });

    it('should use ExpressRoute Direct steps for a circuit on a port', () => {
      const direct = circuit({ bandwidthMbps: 10_000, direct: { portId: '/x/port', bandwidthInGbps: 10, portBandwidthInGbps: 100 } });
      assert.equal(bandwidth.check(direct, { bandwidthMbps: 40_000 }, undefined), undefined);
      assert.match(hintText(bandwidth.check(direct, { bandwidthMbps: 20_000 }, undefined)?.alternative ?? ''), /40 Gbps, 100 Gbps/);
      const small = circuit({ bandwidthMbps: 5000, direct: { portId: '/x/port', bandwidthInGbps: 5, portBandwidthInGbps: 10 } });
      assert.match(bandwidth.check(small, { bandwidthMbps: 40_000 }, undefined)?.reason ?? '', /10 Gbps port/);
    });

    it('should refuse while another write runs, and when the provider has not provisioned the circuit', () => {
      for (const state of ['Updating', 'Creating', 'Deleting']) {
        const r = bandwidth.check(circuit({ provisioningState: state }), { bandwidthMbps: 2000 }, undefined);
        assert.match(r?.reason ?? '', new RegExp(`is ${state} right now`));
        assert.match(hintText(r?.alternative ?? ''), /Succeeded/);
      }
      assert.match(
        bandwidth.check(circuit({ serviceProviderProvisioningState: 'NotProvisioned' }), { bandwidthMbps: 2000 }, undefined)?.reason ?? '',
        /not provisioned/,
      );
      assert.match(
        bandwidth.check(circuit({ circuitProvisioningState: 'Disabled' }), { bandwidthMbps: 2000 }, undefined)?.reason ?? '',
        /not enabled/,
      );
    });

    it('should describe an upgrade: before → after, no downtime, one-way in practice, billing in words', () => {
      const d = bandwidth.describe(circuit({ bandwidthMbps: 1000 }), { bandwidthMbps: 2000 });
      assert.deepEqual(d.diff, { Bandwidth: ['1 Gbps', '2 Gbps'] });
      assert.match(d.impact.downtime, /^none/);
      assert.equal(d.impact.oneWay, true);
      assert.match(d.impact.billing, /2 Gbps metered-data rate/);
      assert.ok(d.impact.notes.some((n) => /cannot lower/.test(n)));
      assert.deepEqual(bandwidth.patch(circuit(), { bandwidthMbps: 2000 }), { resource: 'expressRouteCircuit', bandwidthMbps: 2000 });
      assert.equal(bandwidth.isApplied(circuit({ bandwidthMbps: 2000 }), { bandwidthMbps: 2000 }), true);
      assert.equal(bandwidth.isApplied(circuit({ bandwidthMbps: 1000 }), { bandwidthMbps: 2000 }), false);
    });
  });

  describe('sku', () => {
    it('should accept tier and family words case-insensitively, and refuse empty or unknown ones', () => {
      assert.deepEqual(sku.parseInput({ tier: 'premium' }), { tier: 'Premium' });
      assert.deepEqual(sku.parseInput({ family: 'unlimited' }), { family: 'UnlimitedData' });
      for (const bad of [{}, { tier: 'Gold' }, { family: 'Free' }, { tier: 3 }, { tier: 'Premium', color: 'red' }]) {
        assert.throws(() => sku.parseInput(bad), CodedError, JSON.stringify(bad));
      }
    });

    it('should allow Metered → Unlimited as a one-way change and say so', () => {
      const c = circuit();
      assert.equal(sku.check(c, { family: 'UnlimitedData' }, {}), undefined);
      const d = sku.describe(c, { family: 'UnlimitedData' });
      assert.deepEqual(d.diff, { 'SKU family': ['Metered', 'Unlimited'] });
      assert.equal(d.impact.oneWay, true);
      assert.match(d.impact.billing, /flat monthly price/);
    });

    it('should refuse Unlimited → Metered with a new circuit as the alternative', () => {
      const r = sku.check(circuit({ sku: { tier: 'Standard', family: 'UnlimitedData' } }), { family: 'MeteredData' }, {});
      assert.match(r?.reason ?? '', /Unlimited to Metered/);
      assert.match(hintText(r?.alternative ?? ''), /new Metered circuit/);
    });

    it('should refuse Local with Metered data', () => {
      const r = sku.check(circuit(), { tier: 'Local' }, {});
      assert.match(r?.reason ?? '', /Local is sold with Unlimited data only/);
      // Silicon Valley's local region is West US; no Global Reach (the fixture's private peering has one).
      const bare = circuit({ peerings: [] });
      assert.equal(
        sku.check(bare, { tier: 'Local', family: 'UnlimitedData' }, { vnetLinks: [{ name: 'v', region: 'westus' }] }),
        undefined,
      );
    });

    it('should refuse Premium → Standard with 4,000 or more private routes, but not with fewer', () => {
      assert.match(sku.check(premium(), { tier: 'Standard' }, { privateRoutes: 4000, vnetLinks: [] })?.reason ?? '', /4000 routes/);
      assert.equal(sku.check(premium(), { tier: 'Standard' }, { privateRoutes: 3999, vnetLinks: [] }), undefined);
    });

    it('should refuse Premium → Standard with more than 10 VNet links, but not with 10', () => {
      assert.match(sku.check(premium(), { tier: 'Standard' }, { privateRoutes: 10, vnetLinks: links(11) })?.reason ?? '', /links 11 VNets/);
      assert.equal(sku.check(premium(), { tier: 'Standard' }, { privateRoutes: 10, vnetLinks: links(10) }), undefined);
    });

    it('should refuse Premium → Standard with any cross-geopolitical link', () => {
      const r = sku.check(
        premium(),
        { tier: 'Standard' },
        { privateRoutes: 10, vnetLinks: [...links(2), { name: 'vnet-us', region: 'eastus' }] },
      );
      assert.match(r?.reason ?? '', /Amsterdam is in Europe.*vnet-us \(eastus, North America\)/);
      assert.match(hintText(r?.alternative ?? ''), /keep Premium/);
    });

    it('should read the route count only for a Premium downgrade', async () => {
      let reads = 0;
      const reader = {
        listBgpNeighbours: () => {
          reads += 1;
          return Promise.resolve({
            value: [
              { neighbor: '10.0.0.1', upDown: '1d', statePfxRcd: '4100' },
              { neighbor: '10.0.0.2', upDown: '1d', statePfxRcd: 'Idle' },
            ],
            fetchedAt: 0,
            fromCache: false,
          });
        },
      } as unknown as Parameters<typeof sku.gather>[0]['reader'];
      const scope = { tenantId: 't', subscriptionId: 's' };
      const subscriptions = ['s'];
      assert.deepEqual(await sku.gather({ scope, subscriptions, reader }, circuit(), { tier: 'Premium' }), {});
      assert.equal(reads, 0);
      const facts = await sku.gather({ scope, subscriptions, reader }, premium(), { tier: 'Standard' });
      assert.deepEqual(
        facts,
        { privateRoutes: 4100, linksError: 'the bot has no reader for VNet links' },
        'no links reader: unread, so refused',
      );
      assert.equal(reads, 2, 'primary and secondary');
    });

    it('should refuse a no-op and describe billing for the Premium add-on', () => {
      assert.match(sku.check(circuit(), { tier: 'Standard' }, {})?.reason ?? '', /already Standard/);
      assert.match(sku.describe(circuit(), { tier: 'Premium' }).impact.billing, /Premium add-on is charged/);
      assert.equal(sku.describe(circuit(), { tier: 'Premium' }).impact.oneWay, false);
      assert.deepEqual(sku.patch(circuit(), { tier: 'Premium' }), {
        resource: 'expressRouteCircuit',
        sku: { tier: 'Premium', family: 'MeteredData' },
      });
    });

    it('should allow a SKU change on a circuit the provider has not provisioned, but not while it is Updating', () => {
      assert.equal(sku.check(circuit({ serviceProviderProvisioningState: 'NotProvisioned' }), { tier: 'Premium' }, {}), undefined);
      assert.match(sku.check(circuit({ provisioningState: 'Updating' }), { tier: 'Premium' }, {})?.reason ?? '', /Updating/);
    });
  });
});
