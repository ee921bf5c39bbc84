import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../clock';

/**
 * Row layout of the Table Storage adapter. Everything about one request lives in one partition (PartitionKey =
 * the encoded request id) so that a transition and its audit entry commit in one entity-group transaction.
 */
export const REQUEST_ROW = 'request';
export const APPROVAL_PREFIX = 'approval|';
export const AUDIT_PREFIX = 'audit|';
export const CARD_PREFIX = 'card|';
/**
 * In each request's partition, the request's claim on its target's lock. Whoever writes it first decides: the
 * creator, in one transaction with the request row, or another creator fencing out a request that took the lock
 * and never appeared (table-target-lock.ts).
 */
export const CLAIM_ROW = 'claim';
/** Each target's lock has a partition of its own in the changes table: `lock|` and a hash of its targetKey. */
export const LOCK_PARTITION_PREFIX = 'lock|';
export const LOCK_ROW = 'lock';
/** Conversation references share one partition in their own table. */
export const REFERENCE_PARTITION = 'ref';
/** In the same table, each conversation's customer links have a partition: one row per linked customer. */
export const LINK_PARTITION_PREFIX = 'link|';

/** Table Storage limits: keys up to 1 KiB and strings up to 64 KiB, both counted in UTF-16 bytes. */
export const MAX_KEY_BYTES = 1024;
export const MAX_STRING_BYTES = 64 * 1024;

export function utf16Bytes(s: string): number {
  return s.length * 2;
}

/**
 * Keys may not contain `/ \ # ?` or control characters. They are written as %XX (and `%` itself too, so the
 * mapping stays one-to-one and two different ids can never share a partition).
 */
export function encodeKey(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[/\\#?%\u0000-\u001f\u007f-\u009f]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export function fitsKey(key: string): boolean {
  return utf16Bytes(key) <= MAX_KEY_BYTES;
}

export function base64url(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64url');
}

/** The range [prefix, prefix + 1) of RowKeys that start with `prefix` (every prefix here ends in `|`). */
export function rowKeyRange(prefix: string): { from: string; to: string } {
  const last = prefix.charCodeAt(prefix.length - 1);
  return { from: prefix, to: prefix.slice(0, -1) + String.fromCharCode(last + 1) };
}

/** The partition of a conversation's links; base64url keeps any conversation id within the allowed characters. */
export function linkPartition(conversationId: string): string {
  return LINK_PARTITION_PREFIX + base64url(conversationId);
}

/** A hash keeps the key short and free of forbidden characters whatever the target id holds. */
export function lockPartition(targetKey: string): string {
  return LOCK_PARTITION_PREFIX + createHash('sha256').update(targetKey).digest('hex');
}

export function approvalRowKey(approverId: string): string {
  return APPROVAL_PREFIX + encodeKey(approverId);
}

/** A card post is identified by where it went; hashing keeps the RowKey short and free of forbidden characters. */
export function cardRowKey(conversationKey: string, activityId: string): string {
  return (
    CARD_PREFIX +
    createHash('sha256')
      .update(JSON.stringify([conversationKey, activityId]))
      .digest('hex')
  );
}

/**
 * Sortable, unique stamps: zero-padded milliseconds, a per-instance sequence, and randomness so that two
 * instances writing in the same millisecond never collide. Time never goes backwards within an instance, so
 * one instance's entries always sort in the order it appended them, whatever its clock does.
 */
export function createStamper(clock: Clock): () => string {
  let lastTime = 0;
  let seq = 0;
  return () => {
    const now = Math.max(0, Math.floor(clock.now()));
    if (now > lastTime) {
      lastTime = now;
      seq = 0;
    } else if (++seq > 999_999) {
      lastTime += 1;
      seq = 0;
    }
    return `${String(lastTime).padStart(15, '0')}-${String(seq).padStart(6, '0')}-${randomBytes(4).toString('hex')}`;
  };
}
