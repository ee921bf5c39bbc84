import type { Fault, OperationFailure } from './simulator-settings';

/** Finds the first live fault for "METHOD path" (and its decoded query parameters) and uses one of its answers. */
export function takeFault<T extends Pick<Fault, 'match' | 'count'> & { query?: string | undefined }>(
  faults: T[] | undefined,
  method: string,
  path: string,
  query: Readonly<Record<string, string>> = {},
): T | undefined {
  if (!faults) return undefined;
  const target = `${method} ${path}`;
  // Written out only when a fault asks about it: most requests meet no fault at all.
  let queryText: string | undefined;
  const queryHas = (part: string) => {
    queryText ??= Object.entries(query)
      .map(([k, v]) => `${k}=${v}`)
      .join('&')
      .toLowerCase();
    return queryText.includes(part.toLowerCase());
  };
  for (const fault of faults) {
    const count = fault.count ?? 1;
    if (count === 0) continue;
    if (!matches(fault.match, target)) continue;
    if (fault.query !== undefined && !queryHas(fault.query)) continue;
    if (count > 0) fault.count = count - 1;
    return fault;
  }
  return undefined;
}

function matches(pattern: string, target: string): boolean {
  const re = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
  if (re) {
    try {
      return new RegExp(re[1] ?? '', re[2]).test(target);
    } catch {
      return false;
    }
  }
  return target.toLowerCase().includes(pattern.toLowerCase());
}

/** The failure a write's operation should end with, if one is configured for it. */
export function takeOperationFailure(failures: OperationFailure[] | undefined, method: string, path: string): OperationFailure | undefined {
  return takeFault(failures, method, path);
}
