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
