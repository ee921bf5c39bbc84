import type { Clock } from '../clock';
import type { ChangeRequest, ChangeState, Operation } from './change-request';
import type { ChangeStore } from './ports';

/** Another instance took the change over (or the request left the leased state): stop without writing anything. */
export class LeaseLost extends Error {
  constructor() {
    super('the execution lease was lost');
  }
}

/**
 * This executor's hold on one executing request. Every write is a compare-and-set on the version this holder
 * wrote last, and the writes are queued, so a renewal never races the loop's own saves and a takeover by
 * another instance is noticed at the next write (which fails) rather than after a second PUT.
 */
export class ExecutionLease {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly lostController = new AbortController();

  constructor(
    public req: ChangeRequest,
    private readonly store: ChangeStore,
    private readonly clock: Clock,
    private readonly owner: string,
    private readonly leaseMs: number,
    /** The state the request holds while this lease does: executing, or succeeded while the change is verified. */
    private readonly state: ChangeState = 'executing',
  ) {}

  get lost(): boolean {
    return this.lostController.signal.aborted;
  }

  /** Aborts when the lease is lost, so a poll in flight stops. */
  get signal(): AbortSignal {
    return this.lostController.signal;
  }

  /** Runs `fn` after every write queued before it. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.then(fn, fn);
    this.chain = p.catch(() => undefined);
    return p;
  }

  /** Saves the operation with the lease renewed to cover `holdMs` more (or released); false once lost. */
  save(update: (op: Operation) => Operation, options: { holdMs?: number; release?: boolean } = {}): Promise<boolean> {
    return this.exclusive(async () => {
      if (this.lost) return false;
      const now = this.clock.now();
      const operation: Operation = {
        ...update(this.req.operation ?? { attempts: 0 }),
        owner: this.owner,
        leaseUntil: options.release ? 0 : now + (options.holdMs ?? 0) + this.leaseMs,
      };
      if (!(await this.store.saveOperation(this.req.id, operation, this.state, this.req.version))) {
        this.lostController.abort(new LeaseLost());
        return false;
      }
      this.req = { ...this.req, operation, version: this.req.version + 1 };
      return true;
    });
  }

  /** Renews once a third of the lease has passed, or when what is left would not cover `holdMs` more. */
  async keep(holdMs = 0): Promise<void> {
    if (this.lost) throw new LeaseLost();
    const left = (this.req.operation?.leaseUntil ?? 0) - this.clock.now();
    if (left > holdMs + (2 * this.leaseMs) / 3) return;
    if (!(await this.save((op) => op, { holdMs }))) throw new LeaseLost();
  }
}
