/**
 * `items.map(fn)` with at most `limit` calls in flight, results in input order. Each reader call is several
 * ARM round trips, so running them together is what keeps `status` fast; the limit keeps one answer from
 * spending a subscription's whole read budget at once.
 */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T, i);
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}

/**
 * `items.map(fn)`, results in input order, starting items while the weights of those in flight stay within
 * `budget`. An item heavier than the whole budget still runs, alone. Use it where what an item holds while it
 * runs grows with its weight, so that work in progress, not the whole list, is what is held at once. After a
 * failure no more items start; it rejects with the first failure once those in flight have settled.
 */
export async function mapWeighted<T, R>(
  items: readonly T[],
  budget: number,
  weightOf: (item: T) => number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  const running = new Map<number, Promise<void>>();
  let inUse = 0;
  let failure: { error: unknown } | undefined;
  for (let i = 0; i < items.length && !failure; i++) {
    const item = items[i] as T;
    const asked = weightOf(item);
    // An infinite weight counts as just over the budget (it runs alone), so that it cannot poison the sum.
    const weight = asked > 0 ? (Number.isFinite(asked) ? asked : budget + 1) : 0;
    while (running.size > 0 && inUse + weight > budget) await Promise.race(running.values());
    if (failure) break;
    inUse += weight;
    // Started from a microtask, so that it is in `running` before it can end (fn may throw at once).
    running.set(
      i,
      Promise.resolve().then(async () => {
        try {
          results[i] = await fn(item, i);
        } catch (error) {
          failure ??= { error };
        } finally {
          inUse -= weight;
          running.delete(i);
        }
      }),
    );
  }
  await Promise.all(running.values());
  if (failure) throw failure.error;
  return results;
}
