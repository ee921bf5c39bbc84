import assert from 'node:assert/strict';
import { CodedError, ErrorCode } from '../../src/errors';
import { checkCircuitHealth, sortWorstFirst } from '../../src/network/health-check';
import type {
  ArpEntry,
  BandwidthUsage,
  BgpNeighbour,
  Circuit,
  DevicePath,
  Fresh,
  NetworkReader,
  ReadOptions,
} from '../../src/network/types';
import { circuit, neighbour, peering } from './circuit-fixture';

const scope = { tenantId: '11111111-1111-4111-8111-111111111111', subscriptionId: '1a1a1a1a-0000-4000-8000-00000000c001' };
const NOW = 1_700_000_000_000;

interface Call {
  method: string;
  peering?: string;
  path?: DevicePath;
  options?: ReadOptions;
}

/** A small in-memory implementation of the port: canned answers per peering/path, with failures on demand. */
class MemoryReader implements NetworkReader {
  calls: Call[] = [];
  inFlight = 0;
  maxInFlight = 0;
  bgp = new Map<string, BgpNeighbour[] | Error>();
  arp = new Map<string, ArpEntry[] | Error>();
  usage: BandwidthUsage | Error = {
    source: 'metrics',
    windowStart: NOW - 3_600_000,
    windowEnd: NOW,
    links: [{ path: 'primary', direction: 'in', averageBps: 100e6, peakBps: 200e6 }],
  };
  /** fetchedAt per key; default NOW. */
  ages = new Map<string, number>();

  private async answer<T>(key: string, call: Call, value: T | Error | undefined): Promise<Fresh<T>> {
    this.calls.push(call);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      // Yield so that calls started together really overlap, as ARM round trips do.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (value instanceof Error) throw value;
      if (value === undefined) throw new CodedError(ErrorCode.ArmNotFound, `nothing at ${key}`);
      const fetchedAt = this.ages.get(key) ?? NOW;
      return { value, fetchedAt, fromCache: fetchedAt !== NOW };
    } finally {
      this.inFlight--;
    }
  }

  listBgpNeighbours(_s: typeof scope, _c: string, peeringName: string, path: DevicePath, options?: ReadOptions) {
    const key = `bgp ${peeringName} ${path}`;
    return this.answer(
      key,
      { method: 'bgp', peering: peeringName, path, ...(options ? { options } : {}) },
      this.bgp.get(`${peeringName} ${path}`),
    );
  }
  listArp(_s: typeof scope, _c: string, peeringName: string, path: DevicePath, options?: ReadOptions) {
    const key = `arp ${peeringName} ${path}`;
    return this.answer(
      key,
      { method: 'arp', peering: peeringName, path, ...(options ? { options } : {}) },
      this.arp.get(`${peeringName} ${path}`),
    );
  }
  getBandwidthUsage(_s: typeof scope, _c: string, _w: number, options?: ReadOptions) {
    return this.answer('usage', { method: 'usage', ...(options ? { options } : {}) }, this.usage);
  }
  listCircuits(): Promise<Fresh<Circuit[]>> {
    throw new Error('not used by the health check');
  }
  getCircuit(): Promise<Fresh<Circuit>> {
    throw new Error('not used by the health check');
  }
  listRoutes(): never {
    throw new Error('not used by the health check');
  }
  listRouteFilters(): never {
    throw new Error('not used by the health check');
  }
  listUdrTables(): never {
    throw new Error('not used by the health check');
  }
}

const goodArp: ArpEntry[] = [{ interface: 'On-Prem', ipAddress: '192.168.10.1', macAddress: 'aa:bb:cc:dd:ee:01', age: 5 }];

function healthyReader(): MemoryReader {
  const r = new MemoryReader();
  for (const p of ['AzurePrivatePeering', 'MicrosoftPeering']) {
    for (const path of ['primary', 'secondary']) {
      r.bgp.set(`${p} ${path}`, [neighbour(p === 'MicrosoftPeering' ? 20 : 150)]);
      r.arp.set(`${p} ${path}`, goodArp);
    }
  }
  return r;
}

describe('checkCircuitHealth', () => {
  it('should read BGP and ARP for each enabled peering × path plus usage, and be green', async () => {
    const reader = healthyReader();
    const report = await checkCircuitHealth(reader, scope, circuit());
    assert.equal(report.verdict.level, 'green');
    assert.equal(reader.calls.filter((c) => c.method === 'bgp').length, 4);
    assert.equal(reader.calls.filter((c) => c.method === 'arp').length, 4);
    assert.equal(reader.calls.filter((c) => c.method === 'usage').length, 1);
    assert.deepEqual(
      report.peerings.map((p) => [p.peering, p.path, p.bgp.state, 'prefixes' in p.bgp ? p.bgp.prefixes : -1, p.bgp.limit]),
      [
        ['AzurePrivatePeering', 'primary', 'up', 150, 4000],
        ['AzurePrivatePeering', 'secondary', 'up', 150, 4000],
        ['MicrosoftPeering', 'primary', 'up', 20, 200],
        ['MicrosoftPeering', 'secondary', 'up', 20, 200],
      ],
    );
    assert.equal(report.utilisation.ok, true);
    assert.equal(report.fetchedAt, NOW);
    assert.equal(report.fromCache, false);
  });

  it('should read ARP only where BGP is down when asked for a triage read, and still flag missing ARP there', async () => {
    const reader = healthyReader();
    reader.bgp.set('AzurePrivatePeering secondary', [neighbour('Idle')]);
    reader.arp.set('AzurePrivatePeering secondary', []);
    const report = await checkCircuitHealth(reader, scope, circuit(), { arpReads: 'when-bgp-down' });
    assert.deepEqual(
      reader.calls.filter((c) => c.method === 'arp').map((c) => `${c.peering} ${c.path}`),
      ['AzurePrivatePeering secondary'],
    );
    assert.equal(report.verdict.level, 'amber');
    assert.ok(
      report.verdict.reasons.some((r) => /ARP on the secondary link of private peering fails\. The ARP table is empty/.test(r.text)),
    );
    const implied = report.peerings.filter((p) => 'implied' in p.arp);
    assert.equal(implied.length, 3);
  });

  it('should read ARP after a failed BGP read in triage mode, rather than assume it', async () => {
    const reader = healthyReader();
    reader.bgp.set('MicrosoftPeering primary', new CodedError(ErrorCode.ArmUnavailable, 'ARM is down.'));
    await checkCircuitHealth(reader, scope, circuit(), { arpReads: 'when-bgp-down' });
    assert.deepEqual(
      reader.calls.filter((c) => c.method === 'arp').map((c) => `${c.peering} ${c.path}`),
      ['MicrosoftPeering primary'],
    );
  });

  it('should run the reads concurrently, up to the limit', async () => {
    const wide = healthyReader();
    await checkCircuitHealth(wide, scope, circuit(), { concurrency: 4 });
    assert.equal(wide.maxInFlight, 4);
    const narrow = healthyReader();
    await checkCircuitHealth(narrow, scope, circuit(), { concurrency: 1 });
    assert.equal(narrow.maxInFlight, 1);
  });

  it('should turn a failed read into an unknown part that keeps its code, not fail the report', async () => {
    const reader = healthyReader();
    reader.bgp.set('AzurePrivatePeering secondary', new CodedError(ErrorCode.ArmThrottled, 'Azure is throttling reads.'));
    reader.usage = new Error('socket hang up');
    const report = await checkCircuitHealth(reader, scope, circuit());
    assert.equal(report.verdict.level, 'unknown');
    const secondary = report.peerings.find((p) => p.peering === 'AzurePrivatePeering' && p.path === 'secondary');
    assert.equal(secondary?.bgp.state, 'unknown');
    assert.equal(secondary && 'error' in secondary.bgp ? secondary.bgp.error.code : undefined, ErrorCode.ArmThrottled);
    assert.equal(report.utilisation.ok, false);
    // An unexpected error is shown as Internal, without its raw text.
    assert.equal(!report.utilisation.ok && report.utilisation.error.code, ErrorCode.Internal);
    assert.ok(report.verdict.reasons.some((r) => r.level === 'unknown' && /throttling/.test(r.text)));
  });

  it('should be red when both private BGP sessions are down', async () => {
    const reader = healthyReader();
    reader.bgp.set('AzurePrivatePeering primary', [neighbour('Idle')]);
    reader.bgp.set('AzurePrivatePeering secondary', [neighbour('Active')]);
    const report = await checkCircuitHealth(reader, scope, circuit());
    assert.equal(report.verdict.level, 'red');
  });

  it('should read no device table of disabled and public peerings, yet flag the public one as retired (issue 10, item 5)', async () => {
    const reader = healthyReader();
    const c = circuit({
      peerings: [
        peering('private'),
        peering('microsoft', { state: 'Disabled' }),
        { ...peering('private'), name: 'AzurePublicPeering', kind: 'public' },
      ],
    });
    const report = await checkCircuitHealth(reader, scope, c);
    assert.deepEqual([...new Set(reader.calls.filter((x) => x.peering).map((x) => x.peering))], ['AzurePrivatePeering']);
    assert.equal(report.peerings.length, 2);
    assert.equal(report.verdict.level, 'amber', 'not silently green');
    assert.match(report.verdict.reasons[0]?.text ?? '', /Azure public peering \(AzurePublicPeering\) is retired.*Microsoft peering/);
  });

  it('should pass fresh through to every read', async () => {
    const reader = healthyReader();
    await checkCircuitHealth(reader, scope, circuit(), { fresh: true });
    assert.ok(reader.calls.every((c) => c.options?.fresh === true));
  });

  it('should stamp the report with the oldest read, including the circuit read', async () => {
    const reader = healthyReader();
    reader.ages.set('arp MicrosoftPeering secondary', NOW - 30_000);
    const fromReads = await checkCircuitHealth(reader, scope, circuit());
    assert.equal(fromReads.fetchedAt, NOW - 30_000);
    assert.equal(fromReads.fromCache, true);
    const fromCircuit = await checkCircuitHealth(healthyReader(), scope, { value: circuit(), fetchedAt: NOW - 90_000, fromCache: true });
    assert.equal(fromCircuit.fetchedAt, NOW - 90_000);
  });

  it('should use the clock when a circuit has nothing to read and usage failed', async () => {
    const reader = new MemoryReader();
    reader.usage = new CodedError(ErrorCode.ArmUnavailable, 'down');
    const report = await checkCircuitHealth(reader, scope, circuit({ peerings: [] }), { clock: { now: () => 42 } });
    assert.equal(report.fetchedAt, 42);
  });
});

describe('sortWorstFirst', () => {
  it('should order red, amber, unknown, green and then by name', () => {
    const r = (name: string, level: 'red' | 'amber' | 'unknown' | 'green') => ({ circuit: { name }, verdict: { level } });
    const sorted = sortWorstFirst([r('b', 'green'), r('z', 'unknown'), r('a', 'green'), r('y', 'amber'), r('m', 'red'), r('c', 'red')]);
    assert.deepEqual(
      sorted.map((x) => `${x.verdict.level}:${x.circuit.name}`),
      ['red:c', 'red:m', 'amber:y', 'unknown:z', 'green:a', 'green:b'],
    );
  });
});
