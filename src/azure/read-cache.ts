import type { Clock } from '../clock';
import type { Fresh } from '../network/types';

export interface ReadCacheOptions {
  clock: Clock;
  /** How long an answer is reused; short, because a user asks about a circuit because something changed. */
  ttlMs?: number;
  /** The oldest entries go first once this many are held. */
  maxEntries?: number;
}

interface Entry {
  value: unknown;
  fetchedAt: number;
}

export const DEFAULT_CACHE_TTL_MS = 30_000;
export const DEFAULT_CACHE_MAX_ENTRIES = 2_000;

/**
 * A short-lived cache of ARM reads. Identical reads in flight share one ARM call, which matters when
 * "status" fans out over many circuits and several people ask at once during an incident.
 */
export class ReadCache {
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<Entry>>();

  constructor(options: ReadCacheOptions) {
    this.clock = options.clock;
    this.ttlMs = options.ttlMs ?? DEFAULT_CACHE_TTL_MS;
    this.maxEntries = options.maxEntries ?? DEFAULT_CACHE_MAX_ENTRIES;
  }

  /**
   * The cached value for `key` if younger than the TTL (unless `fresh`), else the result of `load`.
   * Callers must make `key` unique per tenant, subscription, operation and arguments.
   */
  async read<T>(key: string, load: () => Promise<T>, options: { fresh?: boolean } = {}): Promise<Fresh<T>> {
    if (!options.fresh) {
      const hit = this.entries.get(key);
      if (hit && this.clock.now() - hit.fetchedAt < this.ttlMs) {
        return { value: hit.value as T, fetchedAt: hit.fetchedAt, fromCache: true };
      }
    }
    // A read already on its way to ARM is as fresh as a new one would be, even for `fresh`.
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.load(key, load);
      this.inFlight.set(key, pending);
    }
    const entry = await pending;
    return { value: entry.value as T, fetchedAt: entry.fetchedAt, fromCache: false };
  }

  /** Drops entries whose key starts with `prefix` (all of them without one), e.g. after a write. */
  invalidate(prefix?: string): void {
    if (prefix === undefined) return this.entries.clear();
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private async load(key: string, load: () => Promise<unknown>): Promise<Entry> {
    try {
      const value = await load();
      const entry = { value, fetchedAt: this.clock.now() };
      this.entries.delete(key);
      this.entries.set(key, entry);
      while (this.entries.size > this.maxEntries) {
        const oldest = this.entries.keys().next();
        if (oldest.done) break;
        this.entries.delete(oldest.value);
      }
      return entry;
    } finally {
      this.inFlight.delete(key);
    }
  }
}
