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

/**
 * A serialized LRO poller state with secrets redacted. core-lro keeps the first response's body in it (a
 * peering PUT echoes its MD5 key, a circuit its authorization keys), and the state is stored with the
 * request; resuming needs only the operation URLs, never those values.
 */
export function redactPollerState(serialized: string): string {
  try {
    return JSON.stringify(redactSecrets(JSON.parse(serialized) as unknown));
  } catch {
    // Not JSON: nothing we can safely keep; resuming will fail and the executor reconciles by reading.
    return '{}';
  }
}
