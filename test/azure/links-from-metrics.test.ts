import assert from 'node:assert/strict';
import type { Metric } from '@azure/arm-monitor';
import { linksFromMetrics, metricsInterval } from '../../src/azure/links-from-metrics';

function metric(name: string, series: { role: string; points: [number, number][] }[]): Metric {
  return {
    id: `x/${name}`,
    type: 'Microsoft.Insights/metrics',
    name: { value: name },
    unit: 'BitsPerSecond',
    timeseries: series.map((s) => ({
      metadatavalues: [{ name: { value: 'DeviceRole' }, value: s.role }],
      data: s.points.map(([average, maximum], i) => ({ timeStamp: new Date(i * 60_000), average, maximum })),
    })),
  };
}

describe('links-from-metrics', () => {
  it('should compute average and peak per device role and direction', () => {
    const links = linksFromMetrics([
      metric('BitsInPerSecond', [
        {
          role: 'Primary',
          points: [
            [100, 150],
            [300, 900],
          ],
        },
        { role: 'Secondary', points: [[10, 20]] },
      ]),
      metric('BitsOutPerSecond', [{ role: 'Primary', points: [[50, 60]] }]),
    ]);
    assert.deepEqual(links, [
      { path: 'primary', direction: 'in', averageBps: 200, peakBps: 900 },
      { path: 'primary', direction: 'out', averageBps: 50, peakBps: 60 },
      { path: 'secondary', direction: 'in', averageBps: 10, peakBps: 20 },
    ]);
  });

  it('should ignore series without data or without a known role', () => {
    assert.deepEqual(
      linksFromMetrics([
        metric('BitsInPerSecond', [
          { role: 'Primary', points: [] },
          { role: 'Tertiary', points: [[1, 1]] },
        ]),
      ]),
      [],
    );
  });

  it('should pick a coarser grain for longer windows', () => {
    assert.equal(metricsInterval(3_600_000), 'PT1M');
    assert.equal(metricsInterval(24 * 3_600_000), 'PT15M');
    assert.equal(metricsInterval(30 * 24 * 3_600_000), 'PT6H');
  });
});
