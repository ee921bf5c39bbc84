import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CodedError } from '../../src/errors';
import { AMS, DAL, startChangeKit, type ChangeKit } from './support/change-kit';

describe('change workflow: random and forged input (property)', function () {
  this.timeout(120_000);
  let kit: ChangeKit;
  let fabrikamRequest = '';
  before(async () => {
    kit = await startChangeKit({ required: 2 });
    // A real request of another customer: its id is what a forged card would carry.
    fabrikamRequest = (await kit.workflow.request(kit.people.engineer, 'fabrikam', DAL, 'bandwidth', { bandwidth: '5 Gbps' })).id;
  });
  after(() => kit.close());

  const snapshot = async () =>
    JSON.stringify([await kit.store.list({}), kit.sim.requests.filter((r) => r.method !== 'GET' && r.method !== 'POST').length]);

  const junk = fc.oneof(
    fc.anything(),
    fc.string({ maxLength: 2000 }),
    fc.constantFrom(null, undefined, 0, -1, NaN, [], {}, '__proto__', 'constructor'),
  );

  it('should refuse malformed requests with a CodedError and change nothing', async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constant('contoso'), fc.constant('fabrikam'), fc.constant('northwind'), junk),
        fc.oneof(fc.constant(AMS), fc.constant(DAL), fc.constant(`${AMS}/peerings/AzurePrivatePeering`), junk),
        fc.oneof(fc.constant('bandwidth'), fc.constant('sku'), fc.constant('delete'), junk),
        fc.oneof(
          junk,
          fc.record({ bandwidth: junk }),
          fc.record({ bandwidthMbps: fc.oneof(fc.integer(), fc.double(), fc.string()) }),
          fc.record({ tier: junk, family: junk }, { requiredKeys: [] }),
          fc.constant({ bandwidthMbps: 2000, __proto__: { admin: true } }),
        ),
        async (customerId, circuitId, kind, input) => {
          // Valid combinations exist in this space (contoso + AMS + a good input); skip those, forge the rest.
          const plausible = customerId === 'contoso' && circuitId === AMS && (kind === 'bandwidth' || kind === 'sku');
          fc.pre(!plausible);
          await assert.rejects(
            kit.workflow.request(kit.people.engineer, customerId as string, circuitId as string, kind as string, input),
            (e: unknown) => e instanceof CodedError,
          );
        },
      ),
      { numRuns: 300 },
    );
    assert.equal(await snapshot(), before);
  });

  it('should refuse forged decisions (junk ids, another customer’s id, wrong types) and change nothing', async () => {
    const before = await snapshot();
    const verbs = ['approve', 'reject', 'cancel', 'get'] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...verbs),
        fc.oneof(fc.constant(fabrikamRequest), fc.constant(fabrikamRequest.toLowerCase()), fc.stringMatching(/^CR-[0-9A-Z]{5,12}$/), junk),
        junk,
        async (verb, id, reason) => {
          // The contoso lead cannot see fabrikam; the fabrikam request must look exactly like a missing one.
          const person = kit.people.lead;
          const act = async () => {
            if (verb === 'approve') return kit.workflow.approve(person, id);
            if (verb === 'reject') return kit.workflow.reject(person, id, reason);
            if (verb === 'cancel') return kit.workflow.cancel(person, id);
            return kit.workflow.get(person, id);
          };
          await assert.rejects(act(), (e: unknown) => e instanceof CodedError);
        },
      ),
      { numRuns: 300 },
    );
    assert.equal(await snapshot(), before);
    const row = await kit.store.get(fabrikamRequest);
    assert.equal(row?.state, 'pending');
    assert.equal(row?.approvals.length, 0);
  });
});
