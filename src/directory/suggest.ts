/**
 * "Did you mean" ranking shared by the command parser and the name resolvers. Inputs are user text, so every
 * comparison is bounded: long strings are cut and the edit distance gives up past a small limit.
 */

const MAX_COMPARED = 100;

/** Levenshtein distance, or `limit + 1` as soon as it is known to exceed `limit`. */
export function editDistance(a: string, b: string, limit = 3): number {
  const s = a.slice(0, MAX_COMPARED);
  const t = b.slice(0, MAX_COMPARED);
  if (Math.abs(s.length - t.length) > limit) return limit + 1;
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      const value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[t.length] ?? limit + 1;
}

/**
 * A closeness score for `candidate` against `query` (lower is closer), or undefined if it is not worth
 * suggesting. Prefixes beat substrings, which beat typos.
 */
export function closeness(query: string, candidate: string): number | undefined {
  const q = query.toLowerCase().slice(0, MAX_COMPARED);
  const c = candidate.toLowerCase();
  if (q.length === 0) return undefined;
  if (c === q) return 0;
  if (c.startsWith(q) || (q.length >= 3 && q.startsWith(c))) return 1;
  if (q.length >= 2 && c.includes(q)) return 2;
  const limit = Math.max(1, Math.min(3, Math.floor(q.length / 3)));
  const distance = editDistance(q, c, limit);
  return distance <= limit ? 2 + distance : undefined;
}

/** The best `limit` labels for `query`, closest first, ties in the candidates' own order. */
export function suggest(query: string, labels: Iterable<string>, limit = 5): string[] {
  const scored: { label: string; score: number; order: number }[] = [];
  const seen = new Set<string>();
  let order = 0;
  for (const label of labels) {
    if (seen.has(label)) continue;
    seen.add(label);
    const score = closeness(query, label);
    if (score !== undefined) scored.push({ label, score, order: order++ });
  }
  scored.sort((x, y) => x.score - y.score || x.order - y.order);
  return scored.slice(0, limit).map((s) => s.label);
}
