import type { Clock } from '../../../src/clock';

/** A clock that only moves when told to, or when something sleeps on it (the sleep returns at once). */
export class ManualClock implements Clock {
  readonly sleeps: number[] = [];

  constructor(private t = Date.UTC(2025, 0, 1)) {}

  now(): number {
    return this.t;
  }

  advance(ms: number): void {
    this.t += ms;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    this.sleeps.push(ms);
    this.t += ms;
    await Promise.resolve();
  }
}
