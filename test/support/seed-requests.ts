import { ChangeRequest, type AuditEntry, type Actor } from '../../src/changes/change-request';
import type { ChangeStore } from '../../src/changes/ports';
import { DEMO_CUSTOMERS, DEMO_PEOPLE } from '../../src/demo/customers';

const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);
let counter = 0;

/** A fresh, typeable id that matches the model's pattern; unique within a process. */
export function nextRequestId(): string {
  counter += 1;
  return `CR-${(Date.now() % 1_000_000).toString(36).toUpperCase().padStart(4, '0')}${counter.toString(36).toUpperCase().padStart(4, '0')}`;
}

/** A valid pending bandwidth change on a Contoso demo circuit; override any field. */
export function makeChangeRequest(overrides: Partial<ChangeRequest> = {}): ChangeRequest {
  const c = DEMO_CUSTOMERS.contoso;
  const subscriptionId = c.subscriptions[0] ?? '1a1a1a1a-0000-4000-8000-00000000c001';
  const circuitId = `/subscriptions/${subscriptionId}/resourceGroups/rg-er/providers/Microsoft.Network/expressRouteCircuits/er-contoso-ams`;
  const createdAt = overrides.createdAt ?? T0;
  return ChangeRequest.parse({
    id: nextRequestId(),
    customerId: c.id,
    tenantId: c.tenantId,
    subscriptionId,
    circuitId,
    circuitName: 'er-contoso-ams',
    kind: 'bandwidth',
    input: { bandwidthMbps: 2000 },
    plan: {
      targetId: circuitId,
      etag: 'W/"00000000-0000-0000-0000-000000000001"',
      diff: { Bandwidth: ['1 Gbps', '2 Gbps'] },
      method: 'PUT',
      body: { properties: { serviceProviderProperties: { bandwidthInMbps: 2000 } } },
      bodyHash: 'sha256:0f1e2d3c',
      impact: { downtime: 'none', oneWay: true, billing: 'billed at the 2 Gbps rate from the change' },
    },
    requester: DEMO_PEOPLE.engineer,
    approvals: [],
    required: 1,
    state: 'pending',
    createdAt,
    expiresAt: createdAt + 60 * 60_000,
    updatedAt: createdAt,
    version: 1,
    ...overrides,
  });
}

export function makeAudit(request: Pick<ChangeRequest, 'id' | 'customerId'>, action: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  const actor: Actor = DEMO_PEOPLE.engineer;
  return { requestId: request.id, customerId: request.customerId, at: T0, actor, action, ...extra };
}

/**
 * Fills a store with `n` pending requests (for the throughput benchmark and list tests), spread over the demo
 * customers. Returns them in creation order.
 */
export async function seedPendingRequests(store: ChangeStore, n: number, overrides: Partial<ChangeRequest> = {}): Promise<ChangeRequest[]> {
  const customers = Object.values(DEMO_CUSTOMERS);
  const created: ChangeRequest[] = [];
  for (let i = 0; i < n; i++) {
    const customer = customers[i % customers.length] ?? DEMO_CUSTOMERS.contoso;
    const subscriptionId = customer.subscriptions[0] ?? DEMO_CUSTOMERS.contoso.subscriptions[0] ?? '';
    // One change per circuit: every seeded request is on a circuit of its own.
    const circuitName = `er-seed-${i}`;
    const circuitId = `/subscriptions/${subscriptionId}/resourceGroups/rg-er/providers/Microsoft.Network/expressRouteCircuits/${circuitName}`;
    const base = makeChangeRequest();
    const r = makeChangeRequest({
      customerId: customer.id,
      tenantId: customer.tenantId,
      subscriptionId,
      circuitId,
      circuitName,
      plan: { ...base.plan, targetId: circuitId },
      createdAt: T0 + i,
      updatedAt: T0 + i,
      expiresAt: T0 + i + 60 * 60_000,
      ...overrides,
    });
    await store.create(r, makeAudit(r, 'requested', { to: 'pending', at: r.createdAt }));
    created.push(r);
  }
  return created;
}
