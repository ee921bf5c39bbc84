import type { Circuit } from '../network/types';
import type { DomainPatch } from './change-kind';

/**
 * Port: turns a kind's domain patch into the exact ARM request, on top of the raw body just read. Implemented
 * in src/azure (ArmNetworkWriter); a separate port rather than a NetworkWriter method so that planning
 * needs no write access.
 *
 * `body` is what is sent (it may carry secrets ARM returned, e.g. peering MD5 keys, because a PUT must
 * repeat them). `stored` is the same body with secrets redacted: it is what a request keeps and what
 * `plan.bodyHash` covers, so nothing secret is ever persisted or hashed.
 */
export interface ArmBodyBuilder {
  buildBody(patch: DomainPatch, rawBody: unknown): BuiltWrite;
  /** The domain view of a raw body from `readForWrite` (without lookups such as a Direct port's size). */
  circuitOf(rawBody: unknown): Circuit;
}

export interface BuiltWrite {
  method: 'PUT' | 'PATCH' | 'DELETE';
  body: unknown;
  stored: unknown;
}
