import { DEMO_CUSTOMERS } from '../../src/demo/customers';
import type { User } from './harness';

/**
 * A directory for change-request suites: the demo customers with a chosen approval policy, and people with
 * every combination of rights the invariants talk about.
 */
export const PEOPLE = {
  engineer: { aadObjectId: 'cw-engineer', name: 'Dana' },
  /** view + request + approve on contoso: may approve others' requests, never their own. */
  lead: { aadObjectId: 'cw-lead', name: 'Lee' },
  viewer: { aadObjectId: 'cw-viewer', name: 'Casey' },
  /** Rights on northwind only: must not even see contoso's requests. */
  outsider: { aadObjectId: 'cw-outsider', name: 'Nia' },
  admin: { aadObjectId: 'cw-admin', name: 'Ada' },
  /** view + request everywhere, and never says anything in a 1:1 chat unless a test makes them. */
  channelOnly: { aadObjectId: 'cw-channel-only', name: 'Remy' },
  /** On Fabrikam's side (Fabrikam is Connect-To): view + approve on fabrikam. */
  fabrikamLead: { aadObjectId: 'cw-fabrikam-lead', name: 'Erin' },
} satisfies Record<string, User>;

export const approver = (i: number): User => ({ aadObjectId: `cw-approver-${i}`, name: `Approver ${i}` });

export function changeDirectory(options: { required?: number; ttlMinutes?: number; approvers?: number } = {}): unknown {
  const approval = { required: options.required ?? 1, ttlMinutes: options.ttlMinutes ?? 60 };
  const customers = Object.values(DEMO_CUSTOMERS).map((c) => ({
    id: c.id,
    name: c.name,
    tenantId: c.tenantId,
    model: c.model,
    subscriptions: [...c.subscriptions],
    approval: { ...approval },
  }));
  const approvers = Array.from({ length: options.approvers ?? 3 }, (_, i) => ({ ...approver(i), access: { '*': ['view', 'approve'] } }));
  return {
    customers,
    people: [
      { ...PEOPLE.engineer, access: { '*': ['view', 'request'] } },
      { ...PEOPLE.lead, access: { contoso: ['view', 'request', 'approve'] } },
      { ...PEOPLE.viewer, access: { contoso: ['view'] } },
      { ...PEOPLE.outsider, access: { northwind: ['view', 'request', 'approve'] } },
      { ...PEOPLE.admin, access: { contoso: ['admin'] } },
      { ...PEOPLE.channelOnly, access: { '*': ['view', 'request'] } },
      { ...PEOPLE.fabrikamLead, side: 'customer', access: { fabrikam: ['view', 'approve'] } },
      ...approvers,
    ],
  };
}

export const AMS = 'contoso/contoso-ams-er1';
