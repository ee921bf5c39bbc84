import { systemClock, type Clock } from '../../src/clock';

/**
 * Real time plus an offset the test moves: waits stay real (HTTP, polling), but "now" can jump past a TTL
 * without sleeping.
 */
export class OffsetClock implements Clock {
  offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return systemClock.sleep(ms, signal);
  }
}
