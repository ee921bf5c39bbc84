import type { Json } from '../resource-store';
import type { SimState } from '../sim-state';

/** What metrics are derived from: the state at any time (timeline-aware), seen from one request. */
export interface MetricsWorld {
  now: number;
  /** When timeline changes landed; derived values only change at these times. */
  changeTimes: readonly number[];
  /** The body at an ARM path as it was at time `t`. Read-only. */
  at(path: string, t: number): Json | undefined;
  /** The names of a circuit's peerings now. */
  peeringNames(circuitId: string): string[];
}

export function metricsWorld(state: SimState, now: number): MetricsWorld {
  // Derived metrics only read: the stored bodies are looked at in place, never composed or cloned (a batch of
  // 50 circuits reads hundreds of them).
  return {
    now,
    changeTimes: state.timeline.changeTimes(),
    at: (path, t) => state.timeline.bodyAt(path, t, () => state.store.peek(path)),
    peeringNames: (circuitId) => state.store.childNames(`${circuitId}/peerings`),
  };
}
