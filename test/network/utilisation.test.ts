import assert from 'node:assert/strict';
import { computeUtilisation, formatBps, formatBytes, isHot } from '../../src/network/utilisation';
import type { BandwidthUsage } from '../../src/network/types';

const window = { windowStart: 0, windowEnd: 3_600_000 };

function metrics(links: BandwidthUsage['links']): BandwidthUsage {
  return { source: 'metrics', ...window, links };
}

describe('utilisation', () => {
  it('should express each link and direction as a share of provisioned bandwidth', () => {
    const u = computeUtilisation(
      metrics([
        { path: 'primary', direction: 'in', averageBps: 250e6, peakBps: 900e6 },
        { path: 'primary', direction: 'out', averageBps: 100e6, peakBps: 200e6 },
        { path: 'secondary', direction: 'in', averageBps: 500e6, peakBps: 1000e6 },
      ]),
      1000,
    );
    assert.equal(u.provisionedBps, 1e9);
    assert.deepEqual(
      u.links.map((l) => [l.path, l.direction, l.averagePct, l.peakPct, l.headroomBps]),
      [
        ['primary', 'in', 25, 90, 750e6],
        ['primary', 'out', 10, 20, 900e6],
        ['secondary', 'in', 50, 100, 500e6],
      ],
    );
    assert.equal(u.busiest?.path, 'secondary');
    assert.equal(u.headroomBps, 500e6);
    assert.equal(u.hot, false);
  });

  it('should be hot only when the average is over 80%, not when a peak is', () => {
    const peaky = computeUtilisation(metrics([{ path: 'primary', direction: 'in', averageBps: 400e6, peakBps: 1e9 }]), 1000);
    assert.equal(peaky.hot, false);
    const at80 = computeUtilisation(metrics([{ path: 'primary', direction: 'out', averageBps: 800e6, peakBps: 900e6 }]), 1000);
    assert.equal(at80.hot, false);
    const over = computeUtilisation(metrics([{ path: 'primary', direction: 'out', averageBps: 801e6, peakBps: 900e6 }]), 1000);
    assert.equal(over.hot, true);
    assert.equal(isHot(81, 100), true);
    assert.equal(isHot(1, 0), false);
  });

  it('should never report negative headroom when use exceeds provisioned (bursting)', () => {
    const u = computeUtilisation(metrics([{ path: 'primary', direction: 'in', averageBps: 1.2e9, peakBps: 1.5e9 }]), 1000);
    assert.equal(u.headroomBps, 0);
    assert.equal(u.links[0]?.averagePct, 120);
  });

  it('should give only totals from counters, with no percentages and no hot verdict', () => {
    const u = computeUtilisation(
      {
        source: 'counters',
        ...window,
        links: [],
        counters: { primaryBytesIn: 10, primaryBytesOut: 20, secondaryBytesIn: 1, secondaryBytesOut: 2 },
      },
      1000,
    );
    assert.deepEqual(u.links, []);
    assert.equal(u.busiest, undefined);
    assert.equal(u.hot, false);
    assert.equal(u.totals?.bytesIn, 11);
    assert.equal(u.totals?.bytesOut, 22);
  });

  it('should format rates and sizes readably', () => {
    assert.equal(formatBps(850e6), '850 Mbps');
    assert.equal(formatBps(1.25e9), '1.25 Gbps');
    assert.equal(formatBps(12), '12 bps');
    assert.equal(formatBytes(1.5e9), '1.5 GB');
  });
});
