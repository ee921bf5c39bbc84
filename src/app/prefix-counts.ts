import type { CircuitHealthReport, PrefixCount } from '../network/health-check';
import type { DevicePath } from '../network/types';

/**
 * Received-prefix counts per circuit × peering × link, from the last router read that saw them. Azure
 * Monitor has no metric for them, so the fleet view shows these, with their age, instead of asking the routers.
 */
export class PrefixCounts {
  private readonly entries = new Map<string, PrefixCount>();

  constructor(private readonly maxEntries = 50_000) {}

  private static key(circuitId: string, peering: string, path: DevicePath): string {
    return `${circuitId}|${peering}|${path}`.toLowerCase();
  }

  get(circuitId: string, peering: string, path: DevicePath): PrefixCount | undefined {
    return this.entries.get(PrefixCounts.key(circuitId, peering, path));
  }

  /** The lookup assessFromSignals takes for one circuit. */
  lookup(circuitId: string): (peering: string, path: DevicePath) => PrefixCount | undefined {
    return (peering, path) => this.get(circuitId, peering, path);
  }

  set(circuitId: string, peering: string, path: DevicePath, count: PrefixCount): void {
    const key = PrefixCounts.key(circuitId, peering, path);
    const prior = this.entries.get(key);
    if (prior && prior.fetchedAt > count.fetchedAt) return;
    this.entries.delete(key);
    this.entries.set(key, count);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  /** Keeps what a live router check counted, so the next fleet view shows it. */
  recordReport(report: CircuitHealthReport): void {
    if (report.source !== 'routers') return;
    for (const p of report.peerings) {
      if (p.bgp.state === 'up' && p.bgp.counted) {
        this.set(report.circuit.id, p.peering, p.path, { prefixes: p.bgp.counted, fetchedAt: report.fetchedAt });
      }
    }
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
