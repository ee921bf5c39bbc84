import { strict as assert } from 'node:assert';
import { OUTAGES, outageFailures } from '../bench/outages';
import { world } from '../bench/world';

interface CircuitBody {
  properties?: { serviceProviderProperties?: { peeringLocation?: string } };
}

describe("the bench: the on-call engineer's bad days", () => {
  it('should take down what each title says: every Amsterdam circuit, 20 per customer; then all of one customer', () => {
    const [location, customer] = OUTAGES;
    assert.ok(location && customer);
    const circuits = (outage: typeof location) => {
      const w = world(2_000, outage.tenants, outage.subscriptionsPerTenant, outageFailures(outage));
      const bodies = Object.entries(w.fleet as unknown as Record<string, CircuitBody>).filter(([id]) =>
        /\/expressRouteCircuits\/[^/]+$/i.test(id),
      );
      const customerOf = new Map(w.directory.customers.flatMap((c) => c.subscriptions.map((s) => [s.toLowerCase(), c.id] as const)));
      return bodies.map(([id, body]) => {
        const parts = id.split('/');
        const name = parts.at(-1)!;
        return {
          name,
          customer: customerOf.get(parts[2]!.toLowerCase()),
          location: body.properties?.serviceProviderProperties?.peeringLocation,
          down: w.modes[name],
        };
      });
    };

    const day = circuits(location);
    assert.equal(day.length, 2_000);
    const down = day.filter((c) => c.down);
    assert.equal(down.length, 400);
    assert.ok(
      down.every((c) => c.down === 'bgp-both-down'),
      'only BGP down on both links',
    );
    // Exactly the circuits at Amsterdam, no more and no fewer.
    assert.deepEqual(
      down.map((c) => c.name),
      day.filter((c) => c.location === 'Amsterdam').map((c) => c.name),
    );
    const perCustomer = new Map<string | undefined, number>();
    for (const c of down) perCustomer.set(c.customer, (perCustomer.get(c.customer) ?? 0) + 1);
    assert.equal(perCustomer.size, 20);
    assert.ok(
      [...perCustomer.values()].every((n) => n === 20),
      JSON.stringify([...perCustomer]),
    );

    const all = circuits(customer);
    assert.equal(all.length, 2_000);
    assert.ok(all.every((c) => c.down === 'bgp-both-down' && c.customer === 'customer-1'));
  });
});
