import type { ChangeRequest } from '../../src/changes/change-request';
import { makeChangeRequest } from '../support/seed-requests';

let targets = 0;

/** An ARM id no other request in this process uses, so that a test's requests do not hold each other's target. */
export function freshTarget(): string {
  targets += 1;
  return `/subscriptions/1a1a1a1a-0000-4000-8000-00000000c001/resourceGroups/rg-er/providers/Microsoft.Network/expressRouteCircuits/er-lock-${process.pid}-${targets}`;
}

/**
 * A pending request on `targetId` that holds its lock for an hour of real time (makeChangeRequest's default
 * dates are long past, so its pending requests hold nothing).
 */
export function makeRequestOn(targetId: string, overrides: Partial<ChangeRequest> = {}): ChangeRequest {
  const base = makeChangeRequest();
  const now = Date.now();
  return makeChangeRequest({
    createdAt: now,
    updatedAt: now,
    expiresAt: now + 60 * 60_000,
    ...overrides,
    plan: { ...base.plan, ...overrides.plan, targetId },
  });
}
