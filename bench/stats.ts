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

/**
 * The CPU this machine spends on a minor page fault (memory touched for the first time), in microseconds: `mb` of
 * fresh memory written once, against the same memory written again, over the faults the first write took. A
 * virtual machine can pay far more per fault than bare metal, and a cycle's faults are part of its CPU.
 */
export function pageFaultCost(mb = 64): { microseconds: number; faults: number } {
  // Not from node's pool and not zeroed: pages the process has not touched yet.
  const memory = Buffer.allocUnsafeSlow(mb * 1024 * 1024);
  const write = (value: number) => {
    const faults0 = process.resourceUsage().minorPageFault;
    const cpu0 = process.cpuUsage();
    memory.fill(value);
    const cpu = process.cpuUsage(cpu0);
    return { us: cpu.user + cpu.system, faults: process.resourceUsage().minorPageFault - faults0 };
  };
  const first = write(1);
  const again = write(2);
  return { microseconds: Math.max(0, first.us - again.us) / Math.max(1, first.faults), faults: first.faults };
}
