import { randomBytes } from 'node:crypto';
import type { Clock } from '../../../clock';
import { systemClock } from '../../../clock';
import { CodedError, ErrorCode } from '../../../errors';

/**
 * Where a secret the requester typed (a peering's MD5 key) waits between request and execution. A request
 * row keeps only the opaque reference, so the key is never persisted, hashed, audited or shown.
 *
 * The default vault is in memory: a bot restart loses the keys, and a request that needs one then fails with
 * a clear "ask again" instead of writing a peering without its key. A scale-out deployment can implement
 * this port over a real secret store (Key Vault) without any other change.
 */
export interface SecretVault {
  /** Keeps the value for one request's owner and returns a reference to it. */
  put(value: string, owner: SecretOwner): string;
  /** The value and whom it was given for, or undefined if it was never kept, has expired or was lost in a restart. */
  get(ref: string): HeldSecret | undefined;
}

/**
 * Whom a kept secret was given for. A reference alone is not enough to use it: it travels in stored input,
 * and a reference that leaks (a card, a log line) must not write one customer's key onto another's circuit.
 */
export interface SecretOwner {
  customerId: string;
  /** ARM id of the circuit the key is for. */
  circuitId: string;
  /** AAD object id of the person who typed it. */
  requesterId: string;
}

export interface HeldSecret {
  value: string;
  owner: SecretOwner;
}

export interface MemorySecretVaultOptions {
  clock?: Clock;
  /** How long a secret is kept; default 8 days (longer than any approval TTL we expect). */
  ttlMs?: number;
  /** At most this many secrets; the oldest go first. */
  maxEntries?: number;
}

const REF = /^secret-[0-9a-f]{32}$/;

export class MemorySecretVault implements SecretVault {
  private readonly entries = new Map<string, { value: string; owner: SecretOwner; until: number }>();
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(options: MemorySecretVaultOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.ttlMs = options.ttlMs ?? 8 * 24 * 60 * 60_000;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  put(value: string, owner: SecretOwner): string {
    const now = this.clock.now();
    for (const [k, e] of this.entries) if (e.until <= now) this.entries.delete(k);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    const ref = `secret-${randomBytes(16).toString('hex')}`;
    this.entries.set(ref, { value, owner: { ...owner }, until: now + this.ttlMs });
    return ref;
  }

  get(ref: string): HeldSecret | undefined {
    const e = this.entries.get(ref);
    if (!e) return undefined;
    if (e.until <= this.clock.now()) {
      this.entries.delete(ref);
      return undefined;
    }
    return { value: e.value, owner: { ...e.owner } };
  }
}

export function isSecretRef(value: string): boolean {
  return REF.test(value);
}

// ARM ids and AAD object ids are case-insensitive; customer ids are the bot's own and compared as given.
const sameOwner = (a: SecretOwner, b: SecretOwner): boolean =>
  a.customerId === b.customerId &&
  a.circuitId.toLowerCase() === b.circuitId.toLowerCase() &&
  a.requesterId.toLowerCase() === b.requesterId.toLowerCase();

/**
 * The secret behind a reference, for the request that uses it: a CodedError telling the requester to ask
 * again if the vault no longer holds it, and a refusal if it was given for another customer, circuit or
 * person (a leaked reference is never a way to reuse someone else's key).
 */
export function requireSecret(vault: SecretVault, ref: string, what: string, use: SecretOwner | undefined): string {
  const held = vault.get(ref);
  if (held === undefined) {
    throw new CodedError(
      ErrorCode.BadInput,
      `The ${what} for this request is no longer held by the bot (it keeps such keys only in memory, and it has restarted or the key expired).`,
      {
        hint: 'Ask for the change again with the key; nothing was sent to Azure.',
      },
    );
  }
  if (use === undefined || !sameOwner(held.owner, use)) {
    throw new CodedError(
      ErrorCode.Forbidden,
      `The ${what} referenced by this request was given for another request, so the bot will not use it here.`,
      {
        hint: 'Ask for the change again and type the key yourself; nothing was sent to Azure.',
      },
    );
  }
  return held.value;
}
