import type { PartFailure } from '../network/part';
import { duration, utcTime } from './time-words';

/** The watcher lost sight of a customer, or has it again: what its alerts channel is told (WatchNotice). */
export type WatchNoticeView =
  | { type: 'unreadable'; customerName: string; since: number; error: PartFailure }
  | { type: 'readable'; customerName: string; since: number; until: number };

/** One message each way: what happened, what it means for the customer's alerts, and what to do. */
export function watchNoticeText(view: WatchNoticeView): string {
  if (view.type === 'readable') {
    return (
      `✅ Watching ${view.customerName} again: its inventory can be read, and its alerts are brought up to date from ` +
      `now. It was not watched for ${duration(view.until - view.since)}, from ${utcTime(view.since)}.`
    );
  }
  const { error } = view;
  const hint = error.hint ? ` ${error.hint}` : '';
  return (
    `⚠️ Not watching ${view.customerName} since ${utcTime(view.since)}: I can't read its inventory from Azure. ` +
    `${error.message.replace(/\.?$/, '.')}${hint} Until I can, its alerts hold as they were and nothing new is raised ` +
    "for it; I'll say here when it is watched again."
  );
}
