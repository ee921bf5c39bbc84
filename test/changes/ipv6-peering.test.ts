import assert from 'node:assert/strict';
import { peeringsCard } from '../../src/cards/peerings-card';
import type { Refusal } from '../../src/changes/change-kind';
import { defaultChangeKinds } from '../../src/changes/change-kinds';
import type { ChangeRequest } from '../../src/changes/change-request';
import { MemorySecretVault } from '../../src/changes/kinds/shared/secret-vault';
import { OutcomeCode } from '../../src/errors';
import type { Circuit } from '../../src/network/types';
import type { SqliteChangeStore } from '../../src/store';
import { circuit, peering } from '../network/circuit-fixture';
import { overwriteStoredRequest } from '../store/open-temp-sqlite-store';
import { AMS, CONTOSO_SCOPE, startChangeKit, type ChangeKit } from './support/change-kit';

const kinds = defaultChangeKinds({ secrets: new MemorySecretVault() });
const privateKind = kinds.get('private-peering');
const V6 = { primaryPeerAddressPrefix: '2001:db8:100::/126', secondaryPeerAddressPrefix: '2001:db8:100::4/126' };
const dualStack = (o: Partial<NonNullable<Circuit['peerings'][number]['ipv6']>> = {}) =>
  circuit({ peerings: [peering('private', { ipv6: { ...V6, state: 'Enabled', ...o } })] });
const reason = (r: Refusal | undefined) => {
  assert.ok(r, 'expected a refusal');
  return r.reason;
};
type PeeringProps = { properties?: Record<string, unknown> };

describe('private peering over IPv6 (issue 10, rule 7): the IPv6 side is compared with the IPv6 side', () => {
  describe('rules and before/after', () => {
    it('should show an IPv6 change as IPv6 rows, before → after, and leave the IPv4 subnets out of it', () => {
      const v4only = circuit({ peerings: [peering('private')] });
      assert.deepEqual(privateKind.describe(v4only, privateKind.parseInput(V6)).diff, {
        'Primary subnet (IPv6)': ['(none)', V6.primaryPeerAddressPrefix],
        'Secondary subnet (IPv6)': ['(none)', V6.secondaryPeerAddressPrefix],
      });
      const moved = privateKind.parseInput({
        primaryPeerAddressPrefix: '2001:db8:200::/126',
        secondaryPeerAddressPrefix: '2001:db8:200::4/126',
      });
      assert.deepEqual(privateKind.describe(dualStack(), moved).diff, {
        'Primary subnet (IPv6)': [V6.primaryPeerAddressPrefix, '2001:db8:200::/126'],
        'Secondary subnet (IPv6)': [V6.secondaryPeerAddressPrefix, '2001:db8:200::4/126'],
      });
      // And an IPv4 change of a dual-stack peering shows (and writes) only the IPv4 side.
      const v4 = privateKind.parseInput({ primaryPeerAddressPrefix: '10.9.0.0/30', secondaryPeerAddressPrefix: '10.9.0.4/30' });
      assert.deepEqual(privateKind.describe(dualStack(), v4).diff, {
        'Primary subnet': ['192.168.10.0/30', '10.9.0.0/30'],
        'Secondary subnet': ['192.168.10.4/30', '10.9.0.4/30'],
      });
      const patch = privateKind.patch(dualStack(), v4);
      assert.equal(patch.resource, 'circuitPeering');
      assert.equal(patch.resource === 'circuitPeering' && patch.set.primaryPeerAddressPrefix, '10.9.0.0/30');
    });

    it('should find an IPv6 change applied when the IPv6 side shows it, whatever the IPv4 side says', () => {
      const input = privateKind.parseInput(V6);
      assert.equal(privateKind.isApplied(dualStack(), input), true);
      assert.equal(privateKind.isApplied(circuit({ peerings: [peering('private')] }), input), false);
      assert.equal(privateKind.isApplied(dualStack({ secondaryPeerAddressPrefix: '2001:db8:100::8/126' }), input), false);
      // Already in place: nothing to ask for.
      assert.match(reason(privateKind.check(dualStack(), input, undefined)), /already has these settings/);
    });

    it('should refuse IPv6 subnets that are not two distinct, network-aligned /126s, and adding IPv6 with one subnet', () => {
      const v4only = circuit({ peerings: [peering('private')] });
      const check = (raw: Record<string, string>) => privateKind.check(v4only, privateKind.parseInput(raw), undefined);
      assert.match(reason(check({ ...V6, secondaryPeerAddressPrefix: V6.primaryPeerAddressPrefix })), /are the same/);
      assert.match(reason(check({ ...V6, secondaryPeerAddressPrefix: '10.9.0.4/30' })), /both be IPv4 or both be IPv6/);
      assert.match(
        reason(check({ primaryPeerAddressPrefix: V6.primaryPeerAddressPrefix })),
        /Adding IPv6 to AzurePrivatePeering on er-sv-01 needs Secondary subnet \(IPv6\)/,
      );
      assert.throws(() => privateKind.parseInput({ primaryPeerAddressPrefix: '2001:db8:100::/125' }), /must be a \/126/);
      assert.throws(() => privateKind.parseInput({ secondaryPeerAddressPrefix: '2001:db8:100::2/126' }), /not network-aligned/);
      assert.equal(check(V6), undefined);
    });

    it('should show the IPv6 side on the peerings card', () => {
      const c = dualStack();
      const header = {
        customers: [{ name: 'Contoso Ltd', tenantId: 't' }],
        fetchedAt: 0,
        fromCache: false,
        now: 0,
        refresh: { kind: 'peerings', circuit: c.id },
      } as const;
      const text = JSON.stringify(peeringsCard({ header, circuit: c }));
      assert.match(text, /Primary subnet \(IPv6\).*2001:db8:100::\/126/);
      assert.match(text, /Secondary subnet \(IPv6\).*2001:db8:100::4\/126/);
    });
  });

  describe('end to end: request → approve → ARM write → read back (simulator over HTTPS)', function () {
    this.timeout(60_000);
    const kits: ChangeKit[] = [];
    afterEach(async () => {
      for (const k of kits.splice(0).reverse()) await k.close();
    });
    const kit = async (o: Parameters<typeof startChangeKit>[0] = {}) => {
      const k = await startChangeKit(o);
      kits.push(k);
      return k;
    };
    const run = async (k: ChangeKit, input: Record<string, unknown>): Promise<ChangeRequest> => {
      const r = await k.workflow.request(k.people.engineer, 'contoso', AMS, 'private-peering', input);
      const done = await (await k.workflow.approve(k.people.approvers[0]!, r.id)).execution;
      assert.ok(done);
      return done;
    };
    const stored = (k: ChangeKit) => (k.sim.resource(`${AMS}/peerings/AzurePrivatePeering`) as PeeringProps).properties ?? {};

    it('should write the IPv6 side to ipv6PeeringConfig, read it back through the SDK and find it applied; IPv4 untouched, and back', async () => {
      const k = await kit();
      const before = stored(k);
      const done = await run(k, V6);
      assert.equal(done.state, 'succeeded', JSON.stringify(done.outcome));
      assert.equal(done.outcome?.code, OutcomeCode.Applied);
      assert.equal(done.outcome?.after?.['Primary subnet (IPv6)'], V6.primaryPeerAddressPrefix);
      assert.deepEqual(stored(k).ipv6PeeringConfig, V6);
      assert.equal(stored(k).primaryPeerAddressPrefix, before.primaryPeerAddressPrefix, 'the IPv4 side is not touched');
      assert.equal(stored(k).secondaryPeerAddressPrefix, before.secondaryPeerAddressPrefix);

      const { value: read } = await k.arm.reader.getCircuit(CONTOSO_SCOPE, AMS, { fresh: true });
      const p = read.peerings.find((x) => x.kind === 'private');
      assert.equal(p?.ipv6?.primaryPeerAddressPrefix, V6.primaryPeerAddressPrefix);
      assert.equal(p?.ipv6?.secondaryPeerAddressPrefix, V6.secondaryPeerAddressPrefix);
      assert.equal(p?.primaryPeerAddressPrefix, before.primaryPeerAddressPrefix);
      assert.equal(k.workflow.kinds.get('private-peering').isApplied(read, done.input), true);

      // An IPv4 change afterwards keeps the IPv6 side as it is.
      const v4 = await run(k, { primaryPeerAddressPrefix: '10.1.0.248/30', secondaryPeerAddressPrefix: '10.1.0.252/30' });
      assert.equal(v4.state, 'succeeded', JSON.stringify(v4.outcome));
      assert.deepEqual(v4.plan.diff, {
        'Primary subnet': [String(before.primaryPeerAddressPrefix), '10.1.0.248/30'],
        'Secondary subnet': [String(before.secondaryPeerAddressPrefix), '10.1.0.252/30'],
      });
      assert.deepEqual(stored(k).ipv6PeeringConfig, V6, 'the IPv6 side is not touched');
      assert.equal(stored(k).primaryPeerAddressPrefix, '10.1.0.248/30');
    });

    it('should report a succeeded IPv6 change as succeeded after a restart, not as changed elsewhere', async () => {
      const a = await kit();
      const done = await run(a, V6);
      assert.equal(done.state, 'succeeded');
      // The crash window: ARM took the PUT and finished it, the bot died before saving anything past `executing`.
      const { outcome: _outcome, ...asLeft } = done;
      overwriteStoredRequest(a.store as SqliteChangeStore, {
        ...asLeft,
        state: 'executing',
        operation: { attempts: 0, startedAt: done.operation?.startedAt ?? Date.now() },
      });
      const b = await kit({ sim: a.sim, store: a.store });
      const [final] = await b.workflow.resumeExecuting();
      assert.equal(final?.state, 'succeeded', JSON.stringify(final?.outcome));
      assert.equal(final?.outcome?.code, OutcomeCode.FoundApplied);
      assert.equal(a.puts(`${AMS}/peerings/AzurePrivatePeering`), 1, 'nothing was written again');
    });
  });
});
