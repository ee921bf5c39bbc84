import { SETUP_ERRORS } from '../errors';
import type { PartFailure } from '../network/part';
import { clip, plain } from './card-kit';
import { ERROR_WORDS } from './outcome-words';
import { duration, utcTime } from './time-words';

/** The watcher lost sight of a customer, or has it again: what its alerts channel is told (WatchNotice). */
export type WatchNoticeView =
  | { type: 'unreadable'; customerName: string; since: number; error: PartFailure }
  | { type: 'readable'; customerName: string; since: number; until: number };

/** One message each way: what happened, what it means for the customer's alerts, and what to do. */
export function watchNoticeText(view: WatchNoticeView): string {
  if (view.type === 'readable') {
    return (
      `✅ Watching ${view.customerName} again: its inventory can be read. It was not watched for ` +
      `${duration(view.until - view.since)}, from ${utcTime(view.since)}.`
    );
  }
  const { error } = view;
  // Azure's words, as an error card shows them: plain text (no markdown nor links), clipped, ending a sentence.
  const said = (words: string) => plain(clip(words, 300)).replace(/[.!?…]?$/, (end) => end || '.');
  // What to grant or set, for a failure that will not mend by itself; others' hints are for someone asking again.
  const hint = error.hint && SETUP_ERRORS.has(error.code) ? ` ${said(error.hint)}` : '';
  return (
    `⚠️ Not watching ${view.customerName} since ${utcTime(view.since)}. ${ERROR_WORDS[error.code].title}: ` +
    `${said(error.message)}${hint} Until I can read its inventory, its alerts hold as they were and nothing new is ` +
    'raised for it.'
  );
}
