import type { TableEntity } from '@azure/data-tables';
import { CodedError, ErrorCode } from '../errors';
import type { Logger } from '../log';
import { ChangeRequest, type AuditEntry, type Approval } from '../changes/change-request';
import { unreadableRequest } from './store-errors';
import { INVALID_JSON, safeJson } from './stored-json';
import { AUDIT_PREFIX, MAX_STRING_BYTES, REQUEST_ROW, approvalRowKey, encodeKey, fitsKey, utf16Bytes } from './table-keys';

/**
 * ChangeRequest ↔ Table entities. The request row keeps the whole request as JSON plus the columns that queries
 * filter on; approval and audit rows sit in the request's partition so that they commit in one transaction with it.
 */
export type RequestEntity = {
  customerId: string;
  state: string;
  requesterId: string;
  version: number;
  createdAt: number;
  /** updatedAt as a zero-padded string, so that a filter can compare it (rows written before it have none). */
  updatedStamp?: string;
  json: string;
};

/** A time as a column a filter can compare: zero-padded milliseconds. */
export const timeStamp = (ms: number): string => String(Math.max(0, Math.floor(ms))).padStart(15, '0');

export function partitionOf(id: string): string {
  const pk = encodeKey(id);
  if (!fitsKey(pk)) {
    throw new CodedError(ErrorCode.BadInput, `The change request id ${id.slice(0, 40)}… is too long to store.`, {
      details: { requestId: id },
    });
  }
  return pk;
}

export function requestEntity(r: ChangeRequest): TableEntity<RequestEntity> {
  const json = JSON.stringify(r);
  checkSize(`change request ${r.id}`, json, r.id);
  return {
    partitionKey: partitionOf(r.id),
    rowKey: REQUEST_ROW,
    customerId: r.customerId,
    state: r.state,
    requesterId: r.requester.aadObjectId,
    version: r.version,
    createdAt: r.createdAt,
    updatedStamp: timeStamp(r.updatedAt),
    json,
  };
}

/** `pk` is the partition the row was read from; `id` names the request in messages. */
export function requestFromEntity(row: Partial<RequestEntity>, pk: string, id: string, logger: Logger): ChangeRequest {
  const value = typeof row.json === 'string' ? safeJson(row.json) : INVALID_JSON;
  if (value === INVALID_JSON) throw unreadableRequest(logger, id, 'its JSON is missing or not valid');
  const parsed = ChangeRequest.safeParse(value);
  if (!parsed.success) throw unreadableRequest(logger, id, parsed.error);
  const r = parsed.data;
  // The columns are what queries filter on; if they disagree with the document, a query could show a request
  // to the wrong customer.
  if (encodeKey(r.id) !== pk) throw unreadableRequest(logger, id, `it holds request ${r.id}`);
  if (row.customerId !== undefined && row.customerId !== r.customerId)
    throw unreadableRequest(logger, id, 'its customer column disagrees with its document');
  if (row.state !== undefined && row.state !== r.state) throw unreadableRequest(logger, id, 'its state column disagrees with its document');
  return r;
}

export function approvalEntity(pk: string, a: Approval): TableEntity {
  return { partitionKey: pk, rowKey: approvalRowKey(a.by.aadObjectId), approverId: a.by.aadObjectId, at: a.at };
}

/** `stamp` gives the RowKey's sortable suffix, so that audit rows sort in the order they were appended. */
export function auditEntity(pk: string, entry: AuditEntry, stamp: () => string): TableEntity {
  const json = JSON.stringify(entry);
  checkSize(`an audit entry of change request ${entry.requestId}`, json, entry.requestId);
  return {
    partitionKey: pk,
    rowKey: AUDIT_PREFIX + stamp(),
    requestId: entry.requestId,
    customerId: entry.customerId,
    action: entry.action,
    json,
  };
}

/** Table Storage keeps a string property up to 64 KiB (UTF-16); a longer one would be refused or cut. */
export function checkSize(what: string, json: string, requestId?: string): void {
  const bytes = utf16Bytes(json);
  if (bytes <= MAX_STRING_BYTES) return;
  throw new CodedError(
    ErrorCode.BadInput,
    `${what[0]?.toUpperCase() ?? ''}${what.slice(1)} is too large for Azure Table Storage (${Math.ceil(bytes / 1024)} KB; the limit is 64 KB).`,
    {
      hint: 'Split the change into smaller ones, or shorten its free-text fields.',
      details: { ...(requestId ? { requestId } : {}), bytes, limit: MAX_STRING_BYTES },
    },
  );
}
