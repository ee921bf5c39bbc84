import type { Circuit } from '../network/types';
import type { ChangeSubject, ChangeTargetType, DomainPatch } from './change-kind';

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
  /** Like circuitOf for any target type; builders that only know circuits may leave it out. */
  subjectOf?(target: ChangeTargetType, rawBody: unknown): ChangeSubject;
}

export interface BuiltWrite {
  method: 'PUT' | 'PATCH' | 'DELETE';
  body: unknown;
  stored: unknown;
}

/** The domain view of a target's raw body, whatever its type. */
export function subjectOf(builder: ArmBodyBuilder, target: ChangeTargetType, rawBody: unknown): ChangeSubject {
  if (builder.subjectOf) return builder.subjectOf(target, rawBody);
  return builder.circuitOf(rawBody);
}

/**
 * A write that goes to a resource other than the target the approval binds to: a peering or an
 * authorization of the circuit, a route of the route table, a route filter created for the circuit. The
 * builder wraps the ARM model so that the writer (and a resume after a restart) knows where it goes;
 * everything inside stays opaque to the domain.
 */
export interface RelatedWrite {
  $write: { resourceId: string };
  model?: unknown;
}

export function isRelatedWrite(body: unknown): body is RelatedWrite {
  if (typeof body !== 'object' || body === null) return false;
  const w = (body as { $write?: unknown }).$write;
  return typeof w === 'object' && w !== null && typeof (w as { resourceId?: unknown }).resourceId === 'string';
}
