import { armKey, isResourcePath, lastSegment, normalizePath, parentId, parseArmPath } from './arm-path';
import { newEtag } from './etag';
import { isResultPath } from './fleet';
import { mergePatch } from './merge-patch';
import { clone, type Json, type ResourceStore } from './resource-store';
import type { SimulatorSettings, TimelineEntry } from './simulator-settings';

/** Scheduled fleet changes (`$simulator.timeline`) and the history of what they changed. */

interface History {
  /** The body before the first change (undefined when the change created it). */
  original: Json | undefined;
  changes: Array<{ at: number; body: Json }>;
}

/**
 * `$simulator.timeline`: merge patches that land at set times. Like LRO completion they are applied lazily:
 * whoever looks first (a request, `sim.resource()`) applies every entry that is due, in due-time order, each once.
 * Each change is remembered with the time it was due, so metrics can show the state before and after it.
 */
export class Timeline {
  private readonly applied = new WeakSet<TimelineEntry>();
  private readonly firstWriteAt = new WeakMap<TimelineEntry, number>();
  private readonly history = new Map<string, History>();
  private readonly times: number[] = [];

  constructor(
    private readonly store: ResourceStore,
    private readonly settings: () => SimulatorSettings,
    private readonly startedAt: number,
  ) {}

  /** Starts the clock of entries waiting for a write to a path like this one. */
  noteWrite(path: string, at: number): void {
    const target = path.toLowerCase();
    for (const entry of this.settings().timeline ?? []) {
      if (!entry.afterWriteTo || this.firstWriteAt.has(entry)) continue;
      if (target.includes(entry.afterWriteTo.toLowerCase())) this.firstWriteAt.set(entry, at);
    }
  }

  apply(now: number): void {
    const due: Array<{ entry: TimelineEntry; at: number; index: number }> = [];
    (this.settings().timeline ?? []).forEach((entry, index) => {
      if (this.applied.has(entry)) return;
      const at = this.dueAt(entry);
      if (at !== undefined && at <= now) due.push({ entry, at, index });
    });
    due.sort((a, b) => a.at - b.at || a.index - b.index);
    for (const { entry, at } of due) {
      this.applied.add(entry);
      this.applyEntry(entry, at);
    }
  }

  /**
   * The body at `path` as it was at time `t`, for paths a timeline entry changed; otherwise (and from the
   * last change on) whatever `current` gives. Callers must not mutate the result.
   */
  bodyAt(path: string, t: number, current: () => Json | undefined): Json | undefined {
    const h = this.history.get(armKey(path));
    const last = h?.changes.at(-1);
    if (!h || !last || t >= last.at) return current();
    let found = h.original;
    for (const change of h.changes) {
      if (change.at > t) break;
      found = change.body;
    }
    return found;
  }

  /** When applied changes were due, ascending: the only moments at which timeline-driven state changes. */
  changeTimes(): readonly number[] {
    return this.times;
  }

  private dueAt(entry: TimelineEntry): number | undefined {
    if (!entry.afterWriteTo) return this.startedAt + entry.afterMs;
    const writeAt = this.firstWriteAt.get(entry);
    return writeAt === undefined ? undefined : writeAt + entry.afterMs;
  }

  private applyEntry(entry: TimelineEntry, at: number): void {
    const path = normalizePath(entry.path);
    const asResource = this.store.has(path) || (!this.store.body(path) && !isResultPath(path) && isResourcePath(parseArmPath(path)));
    const before = asResource ? this.store.get(path) : this.store.body(path);
    const after = mergePatch(before ?? {}, entry.merge) as Json;
    if (asResource) {
      after.id ??= path;
      after.name ??= lastSegment(path);
      // A change to a resource is a new version of it, as after any ARM write (approvals compare etags).
      if (!('etag' in entry.merge)) after.etag = newEtag();
      this.store.put(path, after);
      const parent = parentId(parseArmPath(path));
      if (parent) this.store.patchOwn(parent, (own) => (own.etag = newEtag()));
    } else {
      this.store.setBody(path, after);
    }
    const key = armKey(path);
    const h = this.history.get(key) ?? { original: before ? clone(before) : undefined, changes: [] };
    h.changes.push({ at, body: (asResource ? this.store.get(path) : this.store.body(path)) ?? after });
    h.changes.sort((a, b) => a.at - b.at);
    this.history.set(key, h);
    this.times.push(at);
    this.times.sort((a, b) => a - b);
  }
}
