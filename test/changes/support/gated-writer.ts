import type { NetworkWriter } from '../../../src/changes/ports';

/** A point a call waits at until the test opens it: how a test holds an executor at an exact step. */
export class Gate {
  /** Calls that reached the gate so far. */
  arrived = 0;
  private armed = false;
  private release: () => void = () => undefined;
  private readonly opened = new Promise<void>((resolve) => (this.release = resolve));

  /** From now on, calls wait here until `open`. */
  arm(): void {
    this.armed = true;
  }

  open(): void {
    this.armed = false;
    this.release();
  }

  async pass(): Promise<void> {
    if (!this.armed) return;
    this.arrived += 1;
    await this.opened;
  }
}

/** The real writer, with gates before its reads and before its writes (resuming a poll is never held). */
export function gatedWriter(inner: NetworkWriter, gates: { beforeRead?: Gate; beforeExecute?: Gate }): NetworkWriter {
  return {
    readForWrite: async (scope, targetId) => {
      await gates.beforeRead?.pass();
      return inner.readForWrite(scope, targetId);
    },
    execute: async (scope, write, hooks) => {
      await gates.beforeExecute?.pass();
      return inner.execute(scope, write, hooks);
    },
    resume: (scope, write, pollerState, hooks) => inner.resume(scope, write, pollerState, hooks),
  };
}
