import type { LroOperations } from './lro-operations';
import type { ResourceStore } from './resource-store';
import type { SimulatorSettings } from './simulator-settings';
import type { Timeline } from './timeline';

/** What the request handlers share. `settings` is the live object that tests may change. */
export interface SimState {
  store: ResourceStore;
  ops: LroOperations;
  settings: SimulatorSettings;
  timeline: Timeline;
}

export function retryAfterHeader(state: SimState): Record<string, string> {
  const s = state.settings.lroRetryAfterSeconds ?? 0;
  // Without the header the client's own polling interval applies, which is what tests want by default.
  return s > 0 ? { 'Retry-After': String(Math.ceil(s)) } : {};
}
