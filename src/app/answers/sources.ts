import { age } from '../../cards/header';
import type { CircuitHealthReport } from '../../network/health-check';

const hhmm = (at: number) => `${new Date(at).toISOString().slice(11, 16)} UTC`;
const ago = (at: number, now: number) => age(Math.max(0, Math.round((now - at) / 1000)));

/** What a card built from Azure's batched sources says about each source and its age. */
export function signalSources(reports: readonly CircuitHealthReport[], now: number): string[] {
  const asOf = reports.map((r) => r.metricsAsOf).filter((x): x is number => x !== undefined);
  const counted = reports.map((r) => r.prefixesAt).filter((x): x is number => x !== undefined);
  const withBgp = reports.some((r) => r.peerings.some((p) => p.bgp.state === 'up'));
  return [
    asOf.length > 0
      ? `BGP, ARP and throughput: Azure Monitor, 1-minute data as of ${hhmm(Math.max(...asOf))}`
      : 'BGP, ARP and throughput: Azure Monitor had no recent data points',
    'Circuits: Azure Resource Graph',
    ...(withBgp
      ? [
          counted.length > 0
            ? `Prefix counts: router reads, the oldest ${ago(Math.min(...counted), now)} old`
            : 'Prefix counts: not read from the routers yet (ask for one circuit, or wait for the background reads)',
        ]
      : []),
  ];
}

/** What a card built from a live check of one circuit says about its sources. */
export function liveSources(report: CircuitHealthReport): string[] {
  return [
    `Live from the routers: BGP summaries and ARP as of ${new Date(report.fetchedAt).toISOString().slice(11, 19)} UTC`,
    'Throughput: Azure Monitor, the last hour',
  ];
}
