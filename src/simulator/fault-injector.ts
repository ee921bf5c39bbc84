import type { Fault } from './simulator-settings';

/** Finds the first live fault for "METHOD path" and uses one of its answers. */
export function takeFault(faults: Fault[] | undefined, method: string, path: string): Fault | undefined {
  if (!faults) return undefined;
  const target = `${method} ${path}`;
  for (const fault of faults) {
    const count = fault.count ?? 1;
    if (count === 0) continue;
    if (!matches(fault.match, target)) continue;
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
