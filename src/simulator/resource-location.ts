import { parseArmPath, topLevelId } from './arm-path';
import type { SimState } from './sim-state';

/** The Azure region of the top-level resource a path belongs to (operation URLs carry it, as in ARM). */
export function locationOf(state: SimState, path: string): string {
  const top = topLevelId(parseArmPath(path));
  const body = top ? state.store.peek(top) : undefined;
  return typeof body?.location === 'string' ? body.location : 'westus';
}
