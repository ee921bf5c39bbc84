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
