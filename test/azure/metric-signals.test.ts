import assert from 'node:assert/strict';
import fc from 'fast-check';
import { linkSignals, rateLimitDrops, throughput, type SeriesMetric } from '../../src/azure/metric-signals';
import { pathOfDimension, peeringKindOfDimension } from '../../src/network/metric-dimensions';
import type { LinkSignals, LinkThroughput, MetricSample, RateLimitDrops } from '../../src/network/types';

/*
 * The signal readers run over every series of every circuit in a watch cycle, so they match names in place. These
 * tests hold them to a plain reading of the same rules (an oracle written with regular expressions and lower-cased
 * copies): a metric is known by the last segment of its id after /metrics/, in any case, or without such an id by
 * its name with spacing and case aside; a dimension by its name in any case.
 */

type Series = NonNullable<SeriesMetric['timeseries']>[number];
type Point = NonNullable<Series['data']>[number];

const squash = (s: string) => s.replace(/[^a-z0-9]/gi, '').toLowerCase();

function oracleIs(m: SeriesMetric, name: string): boolean {
  const fromId = /\/metrics\/([^/]+)$/i.exec(m.id ?? '')?.[1];
  return fromId ? fromId.toLowerCase() === name.toLowerCase() : squash(m.name.value) === squash(name);
}

function oracleDimension(s: Series, name: string): string {
  return (s.metadatavalues ?? []).find((d) => (d.name?.value ?? '').toLowerCase() === name)?.value ?? '';
}

function oracleLatest(s: Series, pick: (p: Point) => number | undefined): MetricSample | undefined {
  for (const p of [...(s.data ?? [])].reverse()) {
    const value = pick(p);
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    const at = typeof p.timeStamp === 'string' ? Date.parse(p.timeStamp) : p.timeStamp.getTime();
    if (Number.isFinite(at)) return { value, at };
  }
  return undefined;
}

function oracleLinks(metrics: SeriesMetric[]): LinkSignals[] {
  const links = new Map<string, LinkSignals>();
  for (const [name, field] of [
    ['BgpAvailability', 'bgpAvailability'],
    ['ArpAvailability', 'arpAvailability'],
  ] as const) {
    for (const m of metrics.filter((x) => oracleIs(x, name))) {
      for (const s of m.timeseries ?? []) {
        const kind = peeringKindOfDimension(oracleDimension(s, 'peeringtype'));
        const path = pathOfDimension(oracleDimension(s, 'peer'));
        const sample = oracleLatest(s, (p) => p.average);
        if (!kind || !path || !sample) continue;
        const link = links.get(`${kind}/${path}`) ?? { kind, path };
        if (!link[field] || sample.value < link[field].value) link[field] = sample;
        links.set(`${kind}/${path}`, link);
      }
    }
  }
  return [...links.values()];
}

function oracleThroughput(metrics: SeriesMetric[]): LinkThroughput[] {
  const out: LinkThroughput[] = [];
  for (const path of ['primary', 'secondary'] as const) {
    for (const [name, direction] of [
      ['BitsInPerSecond', 'in'],
      ['BitsOutPerSecond', 'out'],
    ] as const) {
      const points = metrics
        .filter((m) => oracleIs(m, name))
        .flatMap((m) => m.timeseries ?? [])
        .filter((s) => pathOfDimension(oracleDimension(s, 'devicerole')) === path)
        .flatMap((s) => s.data ?? []);
      const averages = points.map((p) => p.average).filter((x): x is number => typeof x === 'number');
      const peaks = points.map((p) => p.maximum ?? p.average).filter((x): x is number => typeof x === 'number');
      if (averages.length === 0) continue;
      out.push({
        path,
        direction,
        averageBps: averages.reduce((a, b) => a + b, 0) / averages.length,
        peakBps: peaks.reduce((a, b) => Math.max(a, b), 0),
      });
    }
  }
  return out;
}

function oracleDrops(metrics: SeriesMetric[]): RateLimitDrops | undefined {
  const sample = (name: string) =>
    metrics
      .filter((m) => oracleIs(m, name))
      .flatMap((m) => m.timeseries ?? [])
      .map((s) => oracleLatest(s, (p) => p.average ?? p.maximum))
      .find((x) => x !== undefined);
  const inS = sample('QosDropBitsInPerSecond');
  const outS = sample('QosDropBitsOutPerSecond');
  if (!inS && !outS) return undefined;
  return { inBps: inS?.value ?? 0, outBps: outS?.value ?? 0, at: Math.max(inS?.at ?? 0, outS?.at ?? 0) };
}

const CIRCUIT = '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/er-1';
const NAMES = [
  'BgpAvailability',
  'ArpAvailability',
  'BitsInPerSecond',
  'BitsOutPerSecond',
  'QosDropBitsInPerSecond',
  'QosDropBitsOutPerSecond',
  'GlobalReachBitsInPerSecond',
];

/** A name as Azure or a changed spelling might give it: its case varied, spaces or dashes put in. */
const spelled = (name: string) =>
  fc.constantFrom(
    name,
    name.toUpperCase(),
    name.toLowerCase(),
    name.replace(/([a-z])([A-Z])/g, '$1 $2'),
    name.replace(/([a-z])([A-Z])/g, '$1-$2'),
  );

const metricArb: fc.Arbitrary<SeriesMetric> = fc.constantFrom(...NAMES).chain((name) =>
  fc.record(
    {
      id: fc.oneof(
        spelled(name).map((n) => `${CIRCUIT}/providers/Microsoft.Insights/metrics/${n}`),
        // A longer name that starts with a known one is another metric.
        spelled(name).map((n) => `${CIRCUIT}/providers/Microsoft.Insights/metrics/${n}V2`),
        spelled(name).map((n) => `${CIRCUIT}/providers/Microsoft.Insights/METRICS/${n}`),
        spelled(name).map((n) => `${CIRCUIT}/providers/Microsoft.Insights/metricz/${n}`),
        fc.constant(`${CIRCUIT}/providers/Microsoft.Insights/metrics/`),
        fc.constant(''),
      ),
      name: spelled(name).map((value) => ({ value })),
      timeseries: fc.array(
        fc.record(
          {
            metadatavalues: fc.array(
              fc.record({
                name: fc
                  .oneof(spelled('PeeringType'), spelled('Peer'), spelled('DeviceRole'), fc.constant('Other'))
                  .map((value) => ({ value })),
                value: fc.constantFrom(
                  'AzurePrivatePeering',
                  'MicrosoftPeering',
                  'Primary-IPv4',
                  'Secondary-IPv6',
                  'primary',
                  'Secondary',
                  'x',
                ),
              }),
              { maxLength: 3 },
            ),
            data: fc.array(
              fc.record(
                {
                  timeStamp: fc.oneof(
                    fc.integer({ min: 0, max: 59 }).map((m) => `2026-12-02T10:${String(m).padStart(2, '0')}:00Z`),
                    fc.constant('not a time'),
                  ),
                  // Mostly numbers (negative ones too, which a peak's floor of 0 must hide), now and then NaN.
                  average: fc.oneof(
                    { arbitrary: fc.double({ min: -1e10, max: 1e10, noNaN: true }), weight: 9 },
                    { arbitrary: fc.constant(Number.NaN), weight: 1 },
                  ),
                  maximum: fc.double({ min: -1e10, max: 1e10, noNaN: true }),
                },
                { requiredKeys: ['timeStamp'] },
              ),
              { maxLength: 8 },
            ),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 4 },
      ),
    },
    { requiredKeys: ['name'] },
  ),
);

describe('metric signals (the readers of metrics:getBatch answers)', () => {
  it('agree with a plain reading of the rules on generated metrics: names in any case or spacing, odd ids, dimensions and points', () => {
    fc.assert(
      fc.property(fc.array(metricArb, { maxLength: 6 }), (metrics) => {
        assert.deepEqual(linkSignals(metrics), oracleLinks(metrics));
        assert.deepEqual(throughput(metrics), oracleThroughput(metrics));
        assert.deepEqual(rateLimitDrops(metrics), oracleDrops(metrics));
      }),
      { numRuns: 500 },
    );
  });

  const series = (peeringType: string, peer: string, average: number, minute = 5): Series => ({
    metadatavalues: [
      { name: { value: 'PeeringType' }, value: peeringType },
      { name: { value: 'Peer' }, value: peer },
    ],
    data: [{ timeStamp: `2026-12-02T10:0${minute}:00Z`, average }],
  });

  it('gives the highest drops of every interval since a time, with the newest interval’s time, or the latest alone', () => {
    const t = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
    const series = (name: string, values: (number | undefined)[]): SeriesMetric => ({
      name: { value: name },
      timeseries: [{ data: values.map((average, i) => ({ timeStamp: t(i * 5), ...(average === undefined ? {} : { average }) })) }],
    });
    // 00:00 5 Mbps in, 00:05 none, 00:10 nothing ingested yet; out 1 Mbps at 00:00 only.
    const metrics = [series('QosDropBitsInPerSecond', [5e6, 0, undefined]), series('QosDropBitsOutPerSecond', [1e6, 0, undefined])];
    const at = Date.parse(t(5));
    assert.deepEqual(rateLimitDrops(metrics), { inBps: 0, outBps: 0, at });
    assert.deepEqual(rateLimitDrops(metrics, Date.parse(t(0))), { inBps: 5e6, outBps: 1e6, at });
    assert.deepEqual(rateLimitDrops(metrics, Date.parse(t(5))), { inBps: 0, outBps: 0, at });
  });

  it('knows a metric by the end of its id whatever its case, and lists BGP links first even when ARP comes first', () => {
    const arp: SeriesMetric = {
      id: `${CIRCUIT}/providers/Microsoft.Insights/metrics/ARPAVAILABILITY`,
      name: { value: 'Arp Availability' },
      timeseries: [series('AzurePrivatePeering', 'Secondary-IPv4', 100)],
    };
    const bgp: SeriesMetric = {
      id: `${CIRCUIT}/providers/Microsoft.Insights/Metrics/bgpavailability`,
      name: { value: 'Bgp Availability' },
      timeseries: [series('AzurePrivatePeering', 'Primary-IPv4', 0), series('AzurePrivatePeering', 'Primary-IPv6', 100)],
    };
    assert.deepEqual(linkSignals([arp, bgp]), [
      { kind: 'private', path: 'primary', bgpAvailability: { value: 0, at: Date.parse('2026-12-02T10:05:00Z') } },
      { kind: 'private', path: 'secondary', arpAvailability: { value: 100, at: Date.parse('2026-12-02T10:05:00Z') } },
    ]);
  });

  it('goes by the name only when the id has no metric segment, and then spacing and case aside', () => {
    const byName: SeriesMetric = { name: { value: 'bgp availability' }, timeseries: [series('MicrosoftPeering', 'Secondary', 100)] };
    // The id names another metric: the name does not count.
    const otherId: SeriesMetric = {
      id: `${CIRCUIT}/providers/Microsoft.Insights/metrics/ArpAvailability`,
      name: { value: 'BgpAvailability' },
      timeseries: [series('AzurePrivatePeering', 'Primary', 0)],
    };
    assert.deepEqual(
      linkSignals([byName, otherId]).map((l) => [l.kind, l.path, l.bgpAvailability?.value, l.arpAvailability?.value]),
      [
        ['microsoft', 'secondary', 100, undefined],
        ['private', 'primary', undefined, 0],
      ],
    );
  });

  it('sums a link’s averages in the order Azure gives them (floating point remembers the order)', () => {
    const t = '2026-12-02T10:00:00Z';
    const metric: SeriesMetric = {
      id: `${CIRCUIT}/providers/Microsoft.Insights/metrics/BitsInPerSecond`,
      name: { value: 'BitsInPerSecond' },
      timeseries: [
        {
          metadatavalues: [{ name: { value: 'DeviceRole' }, value: 'Primary' }],
          data: [0.1, 0.2, 0.3].map((average) => ({ timeStamp: t, average })),
        },
      ],
    };
    assert.deepEqual(throughput([metric]), [{ path: 'primary', direction: 'in', averageBps: (0.1 + 0.2 + 0.3) / 3, peakBps: 0.3 }]);
    assert.notEqual((0.1 + 0.2 + 0.3) / 3, (0.3 + 0.2 + 0.1) / 3);
  });

  it('averages throughput per link and direction across series of one device role, peak from the maxima, in a fixed order', () => {
    const bits = (name: string, role: string, points: Point[]): SeriesMetric => ({
      id: `${CIRCUIT}/providers/Microsoft.Insights/metrics/${name}`,
      name: { value: name },
      timeseries: [{ metadatavalues: [{ name: { value: 'DeviceRole' }, value: role }], data: points }],
    });
    const t = '2026-12-02T10:00:00Z';
    assert.deepEqual(
      throughput([
        bits('BitsOutPerSecond', 'Secondary', [{ timeStamp: t, average: 10, maximum: 40 }]),
        bits('BitsInPerSecond', 'Primary', [
          { timeStamp: t, average: 100, maximum: 300 },
          { timeStamp: t, average: 200 },
        ]),
        bits('BitsInPerSecond', 'primary', [{ timeStamp: t, average: 300, maximum: 250 }]),
      ]),
      [
        { path: 'primary', direction: 'in', averageBps: 200, peakBps: 300 },
        { path: 'secondary', direction: 'out', averageBps: 10, peakBps: 40 },
      ],
    );
  });
});
