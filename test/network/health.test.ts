import assert from 'node:assert/strict';
import { ErrorCode } from '../../src/errors';
import { arpFromEntries, assessHealth, bgpFromNeighbours } from '../../src/network/health';
import type { HealthInput, PathObservation } from '../../src/network/health';
import type { Part } from '../../src/network/part';
import type { ArpEntry, BgpNeighbour, DevicePath } from '../../src/network/types';
import { computeUtilisation } from '../../src/network/utilisation';
import type { Utilisation } from '../../src/network/utilisation';
import { circuit, neighbour, peering } from './circuit-fixture';

const ok = <T>(value: T): Part<T> => ({ ok: true, value, fetchedAt: 0 });
const failed = (code: ErrorCode, message: string): Part<never> => ({ ok: false, error: { code, message } });

const arpOk: ArpEntry[] = [
  { interface: 'Microsoft', ipAddress: '192.168.10.2', macAddress: '00:0d:3a:11:22:33', age: 0 },
  { interface: 'On-Prem', ipAddress: '192.168.10.1', macAddress: 'aa:bb:cc:dd:ee:01', age: 12 },
];
const arpMissing: ArpEntry[] = [
  { interface: 'Microsoft', ipAddress: '192.168.10.2', macAddress: '00:0d:3a:11:22:33', age: 0 },
  { interface: 'On-Prem', ipAddress: '192.168.10.1', macAddress: 'Incomplete' },
];

function path(
  p: DevicePath,
  bgp: Part<BgpNeighbour[]> = ok([neighbour(120)]),
  arp: Part<ArpEntry[]> = ok(arpOk),
  kind: 'private' | 'microsoft' = 'private',
): PathObservation {
  const as = <T, E>(part: Part<T>, f: (v: T) => E): Part<E> => (part.ok ? { ...part, value: f(part.value) } : part);
  return {
    peering: kind === 'private' ? 'AzurePrivatePeering' : 'MicrosoftPeering',
    kind,
    path: p,
    bgp: as(bgp, bgpFromNeighbours),
    arp: as(arp, arpFromEntries),
  };
}

const healthyPaths = [path('primary'), path('secondary')];
const calm = ok(
  computeUtilisation(
    {
      source: 'metrics',
      windowStart: 0,
      windowEnd: 3_600_000,
      links: [{ path: 'primary', direction: 'in', averageBps: 100e6, peakBps: 300e6 }],
    },
    1000,
  ),
);

function judge(input: Partial<HealthInput>) {
  return assessHealth({ circuit: circuit({ peerings: [peering('private')] }), paths: healthyPaths, utilisation: calm, ...input });
}

function hot(averageBps: number): Part<Utilisation> {
  return ok(
    computeUtilisation(
      {
        source: 'metrics',
        windowStart: 0,
        windowEnd: 3_600_000,
        links: [{ path: 'secondary', direction: 'out', averageBps, peakBps: averageBps }],
      },
      1000,
    ),
  );
}

describe('assessHealth', () => {
  it('should be green with one green reason when everything is fine', () => {
    const v = judge({});
    assert.equal(v.level, 'green');
    assert.equal(v.reasons.length, 1);
    assert.equal(v.reasons[0]?.level, 'green');
    assert.equal(v.writeInProgress, undefined);
  });

  describe('red', () => {
    it('should be red when the provider state is not one Azure documents', () => {
      const v = judge({ circuit: circuit({ serviceProviderProvisioningState: '', peerings: [] }), paths: [] });
      assert.equal(v.level, 'red');
      assert.match(v.reasons[0]?.text ?? '', /Not usable: the provider state is unknown, not Provisioned/);
    });
    it("should be red when Microsoft's side is not Enabled", () => {
      const v = judge({ circuit: circuit({ circuitProvisioningState: 'Disabled', peerings: [] }), paths: [] });
      assert.equal(v.level, 'red');
      assert.match(v.reasons[0]?.text ?? '', /not Enabled/);
    });
    it('should be red when both BGP sessions of a peering are down', () => {
      const v = judge({ paths: [path('primary', ok([neighbour('Idle')])), path('secondary', ok([neighbour('Active')]))] });
      assert.equal(v.level, 'red');
      assert.match(v.reasons[0]?.text ?? '', /Both BGP sessions of private peering are down.*Idle.*Active/);
    });
    it('should be red when neither link has a BGP neighbour configured', () => {
      const v = judge({ paths: [path('primary', ok([])), path('secondary', ok([]))] });
      assert.equal(v.level, 'red');
    });
  });

  describe('amber', () => {
    it('should be amber when only one of primary/secondary is up (HA lost)', () => {
      const v = judge({ paths: [path('primary'), path('secondary', ok([neighbour('Connect')]))] });
      assert.equal(v.level, 'amber');
      assert.match(v.reasons[0]?.text ?? '', /High availability lost.*secondary.*Connect/);
    });
    it('should put an unresolved on-premises MAC on the on-premises or provider side, not on cabling', () => {
      for (const entries of [arpMissing, arpMissing.slice(0, 1)]) {
        const v = judge({ paths: [path('primary'), path('secondary', undefined, ok(entries))] });
        assert.equal(v.level, 'amber');
        const text = v.reasons[0]?.text ?? '';
        assert.match(text, /^ARP on the secondary link of private peering fails\. The on-premises MAC is not resolved/);
        assert.match(text, /on-premises or connectivity provider side.*C-Tag and S-Tag/);
        assert.doesNotMatch(text, /cabling/);
      }
    });
    it("should put an empty ARP table on the Microsoft side, as Azure's ARP guide does (issue 10, item 5)", () => {
      const v = judge({ paths: [path('primary'), path('secondary', undefined, ok([]))] });
      assert.equal(v.level, 'amber');
      const text = v.reasons[0]?.text ?? '';
      assert.match(
        text,
        /^ARP on the secondary link of private peering fails\. The ARP table is empty.*Microsoft side.*Microsoft support ticket/,
      );
      assert.doesNotMatch(text, /cabling|your router/);
    });
    it('should say which side ARP points at only when the table was read (Azure Monitor has just a percentage)', () => {
      const metrics: PathObservation = { ...path('secondary'), arp: ok({ ok: false }) };
      const text = judge({ paths: [path('primary'), metrics] }).reasons[0]?.text ?? '';
      assert.match(text, /^ARP on the secondary link of private peering fails \(ArpAvailability\): read its ARP table/);
    });
    it('should be amber when average use over the hour is above 80%', () => {
      const v = judge({ utilisation: hot(850e6) });
      assert.equal(v.level, 'amber');
      assert.match(v.reasons[0]?.text ?? '', /secondary link averaged 85% of provisioned outbound/);
    });
    it('should stay green at exactly 80% average use', () => {
      assert.equal(judge({ utilisation: hot(800e6) }).level, 'green');
    });
    it('should be amber when received prefixes pass 80% of the Standard private limit', () => {
      const v = judge({ paths: [path('primary', ok([neighbour(3300)])), path('secondary')] });
      assert.equal(v.level, 'amber');
      assert.match(v.reasons[0]?.text ?? '', /3300 prefixes of 4000/);
    });
    it('should judge prefixes against the Premium limit on a Premium circuit', () => {
      const premium = circuit({ sku: { tier: 'Premium', family: 'MeteredData' }, peerings: [peering('private')] });
      assert.equal(judge({ circuit: premium, paths: [path('primary', ok([neighbour(3300)])), path('secondary')] }).level, 'green');
      assert.equal(judge({ circuit: premium, paths: [path('primary', ok([neighbour(8100)])), path('secondary')] }).level, 'amber');
    });
    it('should use the IPv6 limit of 100 for an IPv6 neighbour', () => {
      const v = judge({ paths: [path('primary', ok([neighbour(90, { neighbor: '2001:db8::1' })])), path('secondary')] });
      assert.equal(v.level, 'amber');
      assert.match(v.reasons[0]?.text ?? '', /90 IPv6 prefixes of 100/);
    });
    it('should use the 200 limit on Microsoft peering', () => {
      const c = circuit({ peerings: [peering('microsoft')] });
      const ms = (n: number) => [
        path('primary', ok([neighbour(n)]), undefined, 'microsoft'),
        path('secondary', undefined, undefined, 'microsoft'),
      ];
      assert.equal(judge({ circuit: c, paths: ms(159) }).level, 'green');
      assert.equal(judge({ circuit: c, paths: ms(160) }).level, 'amber');
    });
  });

  describe('provider states and retired peerings (issue 10, item 5)', () => {
    for (const state of ['NotProvisioned', 'Provisioning']) {
      it(`should rate ${state} as not in service yet (amber), a normal stage of a new circuit, with the provider's next step`, () => {
        const v = judge({ circuit: circuit({ serviceProviderProvisioningState: state, peerings: [] }), paths: [] });
        assert.equal(v.level, 'amber');
        const text = v.reasons[0]?.text ?? '';
        assert.match(text, new RegExp(`^Not in service yet \\(${state}\\)`));
        assert.match(text, /Next: Equinix (provisions it with its service key|finishes); then peerings can be set up\./);
        assert.doesNotMatch(text, /Not usable/);
      });
    }
    it('should rate NotProvisioned red when the circuit has peerings: the provider took a circuit in service back', () => {
      const v = judge({ circuit: circuit({ serviceProviderProvisioningState: 'NotProvisioned', peerings: [peering('private')] }) });
      assert.equal(v.level, 'red');
      assert.match(v.reasons.map((r) => r.text).join('\n'), /Out of service \(NotProvisioned\): Equinix has deprovisioned this circuit/);
    });
    it('should say "the provider" when the circuit names none, and warn of Deprovisioning', () => {
      const bare = circuit({ serviceProviderProvisioningState: 'NotProvisioned', peerings: [] });
      delete bare.provider;
      assert.match(judge({ circuit: bare, paths: [] }).reasons[0]?.text ?? '', /waiting for the provider\. Next: the provider provisions/);
      const leaving = judge({ circuit: circuit({ serviceProviderProvisioningState: 'Deprovisioning', peerings: [] }), paths: [] });
      assert.equal(leaving.level, 'amber');
      assert.match(leaving.reasons[0]?.text ?? '', /Going out of service \(Deprovisioning\)/);
    });
    it('should flag an existing Azure public peering as retired, with the move to Microsoft peering as the next step', () => {
      const publicPeering = peering('microsoft', { name: 'AzurePublicPeering', kind: 'public' });
      const c = circuit({ peerings: [peering('private'), publicPeering] });
      const v = judge({ circuit: c });
      assert.equal(v.level, 'amber');
      assert.match(
        v.reasons[0]?.text ?? '',
        /Azure public peering \(AzurePublicPeering\) is retired.*Next: move its traffic to Microsoft peering/,
      );
      // Also in a quick list (no device reads), and when the peering is disabled.
      const off = circuit({ peerings: [{ ...publicPeering, state: 'Disabled' }] });
      assert.equal(assessHealth({ circuit: off }).level, 'amber');
    });
  });

  describe('Microsoft peering (issue 10, item 4)', () => {
    const idle = ok([neighbour('Idle', { neighbor: '203.0.113.1' })]);
    const msDown = [path('primary', idle, undefined, 'microsoft'), path('secondary', idle, undefined, 'microsoft')];

    it('should make ValidationNeeded its own amber verdict with the next step, instead of "both BGP sessions down"', () => {
      const c = circuit({ peerings: [peering('microsoft', { advertisedPublicPrefixesState: 'ValidationNeeded' })] });
      const v = judge({ circuit: c, paths: msDown });
      assert.equal(v.level, 'amber', JSON.stringify(v.reasons));
      assert.match(
        v.reasons[0]?.text ?? '',
        /^Microsoft peering: Microsoft is validating the advertised prefixes \(ValidationNeeded\); until then nothing is advertised/,
      );
      assert.match(v.reasons[0]?.text ?? '', /Next: check that the prefixes are registered to AS 64999 in ARIN/);
      assert.ok(!v.reasons.some((r) => /BGP session/.test(r.text) && /down \(/.test(r.text)), JSON.stringify(v.reasons));
      // Also in a quick list (no device reads); and a Configured peering with both sessions down is still red.
      assert.equal(assessHealth({ circuit: c }).level, 'amber');
      const configured = circuit({ peerings: [peering('microsoft', { advertisedPublicPrefixesState: 'Configured' })] });
      assert.match(judge({ circuit: configured, paths: msDown }).reasons[0]?.text ?? '', /Both BGP sessions of Microsoft peering are down/);
    });

    it('should flag a Microsoft peering without a route filter (amber), with the command that attaches one', () => {
      const c = circuit({ peerings: [peering('microsoft', { routeFilterId: undefined })] });
      const v = assessHealth({ circuit: c });
      assert.equal(v.level, 'amber');
      assert.match(
        v.reasons[0]?.text ?? '',
        /^Microsoft peering has no route filter: nothing is advertised to you until one is attached\. Next: `filter er-sv-01 attach <filter>`/,
      );
      assert.equal(assessHealth({ circuit: circuit({ peerings: [peering('microsoft')] }) }).level, 'green', 'with a filter');
      const off = circuit({ peerings: [peering('microsoft', { routeFilterId: undefined, state: 'Disabled' })] });
      assert.equal(assessHealth({ circuit: off }).level, 'green', 'a disabled peering advertises nothing anyway');
    });
  });

  describe('write in progress', () => {
    for (const state of ['Updating', 'Creating', 'Deleting']) {
      it(`should report ${state} as a write in progress, with a reason`, () => {
        const v = judge({ circuit: circuit({ provisioningState: state, peerings: [peering('private')] }) });
        assert.equal(v.writeInProgress, state);
        assert.ok(v.reasons.some((r) => r.text.includes(`in progress (${state})`)));
      });
    }
    it('should not report a write when the circuit is Succeeded', () => {
      assert.equal(judge({}).writeInProgress, undefined);
    });
  });

  describe('unknown parts', () => {
    it('should be unknown, not green, when a BGP read failed', () => {
      const v = judge({ paths: [path('primary', failed(ErrorCode.ArmThrottled, 'Azure is throttling reads.')), path('secondary')] });
      assert.equal(v.level, 'unknown');
      assert.match(v.reasons[0]?.text ?? '', /BGP on the primary link of private peering is unknown: Azure is throttling/);
    });
    it('should be unknown when ARP or utilisation could not be read', () => {
      assert.equal(
        judge({ paths: [path('primary', undefined, failed(ErrorCode.ArmUnavailable, 'x')), path('secondary')] }).level,
        'unknown',
      );
      assert.equal(judge({ utilisation: failed(ErrorCode.ArmUnavailable, 'metrics down') }).level, 'unknown');
    });
    it('should still be amber when one link is down and the other is unknown', () => {
      const v = judge({
        paths: [path('primary', ok([neighbour('Idle')])), path('secondary', failed(ErrorCode.ArmThrottled, 'slow down'))],
      });
      assert.equal(v.level, 'amber');
      assert.deepEqual(
        v.reasons.map((r) => r.level),
        ['amber', 'unknown'],
      );
    });
  });

  it('should not judge BGP on a disabled peering', () => {
    const c = circuit({ peerings: [peering('private', { state: 'Disabled' })] });
    const v = judge({ circuit: c, paths: [path('primary', ok([neighbour('Idle')])), path('secondary', ok([neighbour('Idle')]))] });
    assert.equal(v.level, 'green');
  });

  it('should list reasons worst first', () => {
    const v = judge({
      circuit: circuit({ circuitProvisioningState: 'Disabled', provisioningState: 'Updating', peerings: [peering('private')] }),
      paths: [path('primary', failed(ErrorCode.ArmThrottled, 't')), path('secondary', ok([neighbour('Idle')]))],
      utilisation: hot(900e6),
    });
    const levels = v.reasons.map((r) => r.level);
    assert.equal(v.level, 'red');
    assert.deepEqual(
      levels,
      [...levels].sort((a, b) => ['red', 'amber', 'unknown', 'green'].indexOf(a) - ['red', 'amber', 'unknown', 'green'].indexOf(b)),
    );
    assert.ok(levels.includes('amber') && levels.includes('unknown'));
  });

  it('should judge only the circuit states when no paths or utilisation are given', () => {
    assert.equal(assessHealth({ circuit: circuit() }).level, 'green');
  });
});
