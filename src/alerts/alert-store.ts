import type { Alert, AlertPost, CardClaim, Silence, WatchGap } from './alert';

/**
 * Persistence port for alerts, silences, alert cards and the watcher's leases. src/store implements it
 * (SQLite embedded; Azure Table Storage for scale-out) and both pass test/store/alert-store-contract.ts.
 */
export interface AlertStore {
  /**
   * Adds a new alert. False when an open alert with the same key exists already: the store is what makes
   * "one open alert per (circuit, peering, link, condition)" hold across instances.
   */
  createAlert(alert: Alert): Promise<boolean>;
  /**
   * Compare-and-set: writes `next` (its version one above `expectVersion`) only if the stored alert is still at
   * `expectVersion`, and (when `next` is open) no other open alert holds its key. False when it lost.
   */
  updateAlert(next: Alert, expectVersion: number): Promise<boolean>;
  /**
   * Creates and updates at once, each as `createAlert` or `updateAlert` would (each wins or loses on its own), in
   * one transaction where the store has them: what a watch cycle changed costs one commit.
   */
  saveAlerts(writes: readonly AlertWrite[]): Promise<boolean[]>;
  /**
   * Puts alerts on one card: each still at its `expectVersion` becomes `onCard(alert, claim)`, nothing else of it
   * changing; a compare-and-set each, winning or losing on its own, in one transaction where the store has them.
   * Returns, in order, each alert as now stored, or undefined where the claim lost (it changed or went meanwhile,
   * or is not the customer's). The store writes what it read and checked, so the alerts are not validated again.
   */
  claimAlerts(claims: readonly AlertClaim[], claim: CardClaim): Promise<(Alert | undefined)[]>;
  getAlert(id: string): Promise<Alert | undefined>;
  /** Newest first. Open alerts of these customers, plus those resolved at or after `resolvedSince` when given. */
  listAlerts(filter: AlertFilter): Promise<Alert[]>;
  /** How many alerts `listAlerts` would give without its `limit`. */
  countAlerts(filter: AlertFilter): Promise<number>;
  /** The alerts shown on one card. */
  alertsInGroup(customerId: string, groupId: string): Promise<Alert[]>;

  /** Where a group's card went; idempotent. */
  addAlertPost(post: AlertPost): Promise<void>;
  alertPosts(customerId: string, groupId: string): Promise<AlertPost[]>;

  createSilence(silence: Silence): Promise<void>;
  getSilence(id: string): Promise<Silence | undefined>;
  /** Silences of these customers that end after `endingAfter` (and were not ended early), newest first. */
  listSilences(filter: { customerIds: readonly string[]; endingAfter: number }): Promise<Silence[]>;
  /** Ends a silence early; false when it was already ended (or does not exist). */
  endSilence(id: string, ended: NonNullable<Silence['ended']>): Promise<boolean>;

  /**
   * Takes or renews, for `owner`, each named lease that is free, expired or already `owner`'s, until `now + ttlMs`;
   * returns the names it holds now. A compare-and-set per lease, so two instances never both hold one.
   */
  claimLeases(names: readonly string[], owner: string, now: number, ttlMs: number): Promise<string[]>;
  /** Gives back the leases `owner` holds among these, so another instance takes over at once. */
  releaseLeases(names: readonly string[], owner: string): Promise<void>;

  /** The watch gaps (customers the watcher could not read) open for these customers. */
  listWatchGaps(customerIds: readonly string[]): Promise<WatchGap[]>;
  /** Opens a gap for the customer from `since`, unless one is open already: the gap as it stands now. */
  openWatchGap(customerId: string, since: number): Promise<WatchGap>;
  /**
   * Marks the customer's gap open since `since` as told `by` (an instance), a compare-and-set: true for the one
   * caller that did so, and again whenever that caller asks (so a write that landed though its answer was lost is
   * still its own: the caller must not say it twice); false when another told it, or that gap is not open (closed,
   * or another opened since).
   */
  tellWatchGap(customerId: string, since: number, by: string): Promise<boolean>;
  /**
   * Takes back a tell `by` an instance whose notice reached no one (every post of it failed): the customer's gap open
   * since `since` is untold again, so that the next tell, by any instance, says it. Nothing happens when that gap is
   * not open, or was not told by `by`. Idempotent.
   */
  untellWatchGap(customerId: string, since: number, by: string): Promise<void>;
  /**
   * Closes the customer's gap open since `since`, `by` an instance, a compare-and-set: the gap as it was for the one
   * caller that closed it, so it says the end only if the loss was told; undefined when no such gap was open. Where
   * a close is two writes (Table Storage: a mark, then the removal), that caller asking again before the removal (its
   * first answer lost) gets the gap again: it must not say it twice.
   */
  closeWatchGap(customerId: string, since: number, by: string): Promise<WatchGap | undefined>;

  /**
   * Forgets what is over: alerts resolved before `before` (and the posts of cards none of whose alerts is left), and
   * silences whose end is before it (ended early or not). Idempotent; any instance may run it.
   */
  prune(before: number): Promise<PruneOutcome>;
  close(): Promise<void>;
}

/** A new alert (no `expectVersion`), or the next version of one stored at `expectVersion`. */
export interface AlertWrite {
  alert: Alert;
  expectVersion?: number;
}

/** One alert to put on a card: the version it was read at. */
export interface AlertClaim {
  id: string;
  customerId: string;
  expectVersion: number;
}

export interface AlertFilter {
  /** An empty list matches nothing. */
  customerIds: readonly string[];
  /** Also resolved alerts, resolved at or after this time. */
  resolvedSince?: number;
  /** Only alerts that fired (what people are shown): not pending ones, nor those resolved while still pending. */
  firedOnly?: boolean;
  limit?: number;
}

/** What one `prune` removed. */
export interface PruneOutcome {
  alerts: number;
  silences: number;
}
