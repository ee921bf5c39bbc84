import type { Json, ResourceStore } from './resource-store';

/**
 * The shape of one ARM write rule and the small readers every rule uses; write-rules.ts and
 * network-write-rules.ts hold the rules themselves.
 */
export interface WriteAttempt {
  method: 'PUT' | 'PATCH' | 'DELETE';
  id: string;
  /** Lower-case type chain, e.g. microsoft.network/expressroutecircuits/peerings. */
  type: string;
  name: string;
  /** The current composed body, if the resource exists. */
  existing?: Json;
  /** The body as it would be stored (PUT/PATCH). */
  proposed?: Json;
  /** The parent's current body, for child resources. */
  parent?: Json;
  store: ResourceStore;
}

export interface WriteRejection {
  status: number;
  code: string;
  message: string;
}

export type WriteRule = (a: WriteAttempt) => WriteRejection | undefined;

export function reject(code: string, message: string, status = 400): WriteRejection {
  return { status, code, message };
}

export function obj(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
}

export function props(body: Json | undefined): Json {
  return obj(body?.properties);
}

/** A JSON value as String() shows it, '' for null or absent, and objects as JSON rather than '[object Object]'. */
export function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return v === undefined || v === null ? '' : JSON.stringify(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
