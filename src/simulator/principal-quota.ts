import type { PrincipalQuotaSettings } from './simulator-settings';

export type QuotaVerdict =
  { allowed: true; remaining: number; resetsAfterMs: number } | { allowed: false; remaining: 0; resetsAfterMs: number };

/**
 * A fixed window per principal, as Resource Graph describes its user quota: up to `queries` in a window that
 * starts with the principal's first query; when it ends the count resets in full.
 */
export class PrincipalQuota {
  private readonly windows = new Map<string, { startedAt: number; used: number }>();

  take(principal: string, quota: PrincipalQuotaSettings, now: number): QuotaVerdict {
    const key = `${principal}|${quota.queries}|${quota.windowMs}`;
    let w = this.windows.get(key);
    if (!w || now >= w.startedAt + quota.windowMs) {
      w = { startedAt: now, used: 0 };
      this.windows.set(key, w);
    }
    const resetsAfterMs = w.startedAt + quota.windowMs - now;
    if (w.used >= quota.queries) return { allowed: false, remaining: 0, resetsAfterMs };
    w.used += 1;
    return { allowed: true, remaining: quota.queries - w.used, resetsAfterMs };
  }
}

/** hh:mm:ss, rounded up to whole seconds, as in `x-ms-user-quota-resets-after`. */
export function hhmmss(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(total / 3600))}:${two(Math.floor(total / 60) % 60)}:${two(total % 60)}`;
}
