import type { SeededRandom } from './seeded-random';

export interface UtilisationSpec {
  /** Share of the bandwidth used inbound on the primary / secondary link, 0..1. */
  inPrimary: number;
  inSecondary: number;
  outPrimary: number;
  outSecondary: number;
}

const MINUTE = 60_000;

/** Traffic dropped by the circuit's rate limiter, in bits per second (QosDropBits…PerSecond). */
export interface DropSpec {
  inBps: number;
  outBps: number;
}

/**
 * What Azure Monitor's metrics.list returns for BitsInPerSecond / BitsOutPerSecond split by DeviceRole over
 * the last hour at PT1M, with average and maximum per minute; with `drops`, also the QosDrop metrics, which
 * have no dimensions and a 5-minute grain.
 */
export function metricsBody(
  circuitId: string,
  location: string,
  bandwidthBps: number,
  use: UtilisationSpec,
  now: number,
  random: SeededRandom,
  drops?: DropSpec,
): unknown {
  const end = Math.floor(now / MINUTE) * MINUTE;
  const start = end - 60 * MINUTE;
  const series = (role: 'Primary' | 'Secondary', share: number) => ({
    metadatavalues: [{ name: { value: 'DeviceRole', localizedValue: 'DeviceRole' }, value: role }],
    data: Array.from({ length: 60 }, (_, i) => {
      const average = Math.round(bandwidthBps * clamp(share + (random.next() - 0.5) * 0.04));
      const maximum = Math.round(Math.min(bandwidthBps, average * (1 + random.next() * 0.06)));
      return { timeStamp: new Date(start + i * MINUTE).toISOString(), average, maximum };
    }),
  });
  const metric = (name: string, display: string, primary: number, secondary: number) => ({
    id: `${circuitId}/providers/Microsoft.Insights/metrics/${name}`,
    type: 'Microsoft.Insights/metrics',
    name: { value: name, localizedValue: display },
    displayDescription: `${display} of the circuit, per device role.`,
    unit: 'BitsPerSecond',
    timeseries: [series('Primary', primary), series('Secondary', secondary)],
    errorCode: 'Success',
  });
  const dropped = (name: string, display: string, bps: number) => ({
    id: `${circuitId}/providers/Microsoft.Insights/metrics/${name}`,
    type: 'Microsoft.Insights/metrics',
    name: { value: name, localizedValue: display },
    displayDescription: `${display}: traffic dropped by the circuit's rate limiter.`,
    unit: 'BitsPerSecond',
    timeseries: [
      {
        metadatavalues: [],
        data: Array.from({ length: 12 }, (_, i) => ({
          timeStamp: new Date(start + i * 5 * MINUTE).toISOString(),
          average: bps,
          maximum: bps,
        })),
      },
    ],
    errorCode: 'Success',
  });
  return {
    cost: 59,
    timespan: `${new Date(start).toISOString()}/${new Date(end).toISOString()}`,
    interval: 'PT1M',
    value: [
      metric('BitsInPerSecond', 'BitsInPerSecond', use.inPrimary, use.inSecondary),
      metric('BitsOutPerSecond', 'BitsOutPerSecond', use.outPrimary, use.outSecondary),
      ...(drops
        ? [
            dropped('QosDropBitsInPerSecond', 'DroppedInBitsPerSecond', drops.inBps),
            dropped('QosDropBitsOutPerSecond', 'DroppedOutBitsPerSecond', drops.outBps),
          ]
        : []),
    ],
    namespace: 'Microsoft.Network/expressRouteCircuits',
    resourceregion: location,
  };
}

function clamp(x: number): number {
  return Math.max(0, Math.min(1, x));
}
