/** Small helpers for the benchmark's figures. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);

export const ms = (n: number): string => `${n.toFixed(n < 10 ? 2 : 1)} ms`;
export const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;

/** The minor page faults this process has taken so far (memory touched for the first time). */
export const minorFaults = (): number => process.resourceUsage().minorPageFault;

/** What `freshPageCost` measured: CPU per 4 KB page touched for the first time, and the faults that took. */
export interface FreshPageCost {
  /** Microseconds of CPU per 4 KB page; NaN when the first write cost no more than the second. */
  microsecondsPerPage: number;
  /** 4 KB pages written. */
  pages: number;
  /** Faults the first write took (fewer than `pages` where the kernel maps larger pages at once). */
  faults: number;
  /** Faults the second write took: ~0, or the pages were not the process's own by then. */
  faultsOnSecondWrite: number;
}

/**
 * The CPU this machine spends on memory touched for the first time: `mb` of fresh memory written once and then
 * again, the difference per 4 KB page; the median over `samples` buffers, as the process's other threads count too.
 * A virtual machine can pay far more per page than bare metal, and a watch cycle's first touches are part of its CPU.
 */
export function freshPageCost(mb = 64, samples = 3): FreshPageCost {
  const pages = (mb * 1024 * 1024) / 4096;
  const runs = Array.from({ length: samples }, () => {
    // Above glibc's largest mmap threshold (32 MB) and not from node's pool: pages the process has not touched.
    const memory = Buffer.allocUnsafeSlow(mb * 1024 * 1024);
    const write = (value: number) => {
      const faults0 = minorFaults();
      const cpu0 = process.cpuUsage();
      memory.fill(value);
      const cpu = process.cpuUsage(cpu0);
      return { us: cpu.user + cpu.system, faults: minorFaults() - faults0 };
    };
    const first = write(1);
    const again = write(2);
    return { perPage: first.us > again.us ? (first.us - again.us) / pages : NaN, faults: first.faults, again: again.faults };
  });
  const measured = runs.map((r) => r.perPage).filter((x) => !Number.isNaN(x));
  return {
    microsecondsPerPage: measured.length > 0 ? median(measured) : NaN,
    pages,
    faults: median(runs.map((r) => r.faults)),
    faultsOnSecondWrite: Math.max(...runs.map((r) => r.again)),
  };
}
