import { randomUUID } from 'node:crypto';

/** A fresh weak etag, as ARM gives a resource (and its parent) on every write. */
export function newEtag(): string {
  return `W/"${randomUUID()}"`;
}
