import { armKey, lastSegment } from '../arm-path';
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
  // The state cannot change while one request is answered, so current bodies are read (and cloned) once.
  const current = new Map<string, Json | undefined>();
  const currentBody = (path: string): Json | undefined => {
    const key = armKey(path);
    if (!current.has(key)) current.set(key, state.store.get(path) ?? state.store.body(path));
    return current.get(key);
  };
  return {
    now,
    changeTimes: state.timeline.changeTimes(),
    at: (path, t) => state.timeline.bodyAt(path, t, () => currentBody(path)),
    peeringNames: (circuitId) => state.store.listCollection(`${circuitId}/peerings`).map((p) => lastSegment(String(p.id ?? p.name ?? ''))),
  };
}
