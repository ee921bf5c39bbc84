import { z } from 'zod';
import { CodedError, ErrorCode } from '../errors';
import type { Logger } from '../log';
import { AuditEntry } from '../changes/change-request';
import { unreadableRow } from './store-errors';

/**
 * JSON as every store writes it into a row and reads it back. Rows are an untrusted boundary: what no longer
 * parses fails loudly, naming the row, and never crashes the process.
 */
export const INVALID_JSON = Symbol('invalid JSON');

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return INVALID_JSON;
  }
}

/** A conversation reference is kept as opaque JSON, so anything JSON cannot hold is refused before it is stored. */
export function referenceJson(key: string, reference: unknown): string {
  const json = reference === undefined ? undefined : JSON.stringify(reference);
  if (json === undefined) {
    throw new CodedError(ErrorCode.BadInput, `A conversation reference for ${key} must be JSON.`, {
      hint: 'Pass the reference from TurnContext.getConversationReference().',
    });
  }
  return json;
}

export function parseStoredReference(json: string, key: string, logger: Logger): unknown {
  const value = safeJson(json);
  if (value === INVALID_JSON) throw unreadableRow(logger, `conversation reference ${key}`, 'not valid JSON');
  return value;
}

/** `what` names the row in the refusal, e.g. "audit entry 12 of change request CR-ABC123". */
export function parseStoredAudit(json: string, what: string, logger: Logger): AuditEntry {
  const parsed = AuditEntry.safeParse(safeJson(json));
  if (!parsed.success) throw unreadableRow(logger, what, parsed.error);
  return parsed.data;
}

/** A link between a conversation and a customer, as every store accepts it: two non-empty ids of sane length. */
const Link = z.object({ conversationId: z.string().min(1).max(500), customerId: z.string().min(1).max(100) });

export function parseLink(conversationId: string, customerId: string): z.infer<typeof Link> {
  return Link.parse({ conversationId, customerId });
}

/** A linked customer's id read back from a row. */
export function parseLinkedCustomer(value: unknown, conversationId: string, logger: Logger): string {
  const parsed = Link.shape.customerId.safeParse(value);
  if (!parsed.success) throw unreadableRow(logger, `a customer link of conversation ${conversationId.slice(0, 80)}`, parsed.error);
  return parsed.data;
}

/** A row's JSON document read back through its schema; `what` names the row in the refusal. */
export function parseStoredJson<S extends z.ZodType>(schema: S, json: unknown, what: string, logger: Logger): z.infer<S> {
  const value = typeof json === 'string' ? safeJson(json) : INVALID_JSON;
  if (value === INVALID_JSON) throw unreadableRow(logger, what, 'its JSON is missing or not valid');
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw unreadableRow(logger, what, parsed.error);
  return parsed.data;
}
