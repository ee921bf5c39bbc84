/** Keys whose values ARM returns but nobody outside src/azure may keep: MD5 keys, authorization and service keys. */
const SECRET_KEYS = new Set(['sharedkey', 'authorizationkey', 'servicekey', 'primarykey', 'secondarykey']);

export const REDACTED = '[redacted]';

/** A deep copy with every secret value replaced, so the body can be stored, hashed and shown. */
export function redactSecrets<T>(value: T): T {
  return redact(value) as T;
}

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEYS.has(k.toLowerCase()) && v !== undefined && v !== null ? REDACTED : redact(v);
  }
  return out;
}
