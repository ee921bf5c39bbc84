import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Harness } from '../support/harness';
import { textOf, validCard } from '../support/cards';
import { PEOPLE, approver, changeDirectory } from '../support/change-world';
import { requestIdOf } from '../support/change-cards';

/**
 * Forged and random Action.Execute payloads, posted over HTTP to /api/messages by people who may not decide on
 * the request (another customer's person, a viewer): every one gets a clear refusal card, and nothing moves.
 */
const FOREIGN: [string, string][] = [
  ['contoso-ams-er1', 'qzxvbn-kkk-er7'],
  ['contoso', 'qzxvbn'],
  ['Contoso', 'Qzxvbn'],
];

/** The payload with every real Contoso name (and the Contoso request id) replaced by a made-up one. */
function maskForeignNames(data: unknown, requestId: string): { data: unknown; changed: boolean } {
  const json = JSON.stringify(data ?? null);
  let masked = json.replaceAll(requestId, fakeId(requestId)).replaceAll(requestId.toLowerCase(), fakeId(requestId).toLowerCase());
  for (const [real, fake] of FOREIGN) masked = masked.replaceAll(real, fake);
  return { data: JSON.parse(masked) as unknown, changed: masked !== json };
}

function unmask(text: string, requestId: string): string {
  let out = text.replaceAll(fakeId(requestId), requestId).replaceAll(fakeId(requestId).toLowerCase(), requestId.toLowerCase());
  for (const [real, fake] of FOREIGN) out = out.replaceAll(fake, real);
  return out;
}

/** Same length and alphabet as a request id, so that truncation and parsing treat both alike. */
function fakeId(id: string): string {
  return id.replace(/[A-Z0-9](?=[A-Z0-9]*$)/g, (c) => (c === 'Q' ? 'R' : 'Q'));
}

describe('bot: forged card data (property)', function () {
  this.timeout(60_000);
  let h: Harness;
  let target: string;
  let otherCustomers: string;
  before(async () => {
    h = await Harness.start({ directory: changeDirectory(), logLevel: 'warn' });
    target = requestIdOf(validCard(await h.say(PEOPLE.engineer, 'upgrade contoso/contoso-ams-er1 2 Gbps')));
    otherCustomers = requestIdOf(validCard(await h.say(PEOPLE.engineer, 'upgrade northwind/northwind-nyc-er1 2 Gbps')));
  });
  after(async () => h?.stop());

  it('should refuse clearly and change nothing', async () => {
    const ids = () =>
      fc.oneof(
        fc.constant(target),
        fc.constant(otherCustomers),
        fc.constant(target.toLowerCase()),
        fc.string({ maxLength: 30 }),
        fc.integer(),
        fc.constant(null),
        fc.string({ minLength: 3000, maxLength: 5000 }),
      );
    const deciding = fc.record(
      {
        kind: fc.constantFrom(
          'approve',
          'reject',
          'cancel',
          'request',
          'submit-change',
          'upgrade',
          'audit',
          'requests',
          'approvals-channel',
          'reboot',
          '',
        ),
        id: ids(),
        reason: fc.oneof(fc.string({ maxLength: 20 }), fc.constant('x'.repeat(10_000)), fc.integer()),
        circuit: fc.oneof(fc.constant('contoso/contoso-ams-er1'), fc.constant('../../etc'), fc.string({ maxLength: 50 })),
        change: fc.oneof(fc.constantFrom('bandwidth', 'sku', 'delete'), fc.string({ maxLength: 10 })),
        input: fc.oneof(
          fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.object())),
          fc.constant('nope'),
        ),
      },
      { requiredKeys: ['kind'] },
    );
    const payload = fc.record({
      verb: fc.oneof(fc.constant('intent'), fc.string({ maxLength: 30 }), fc.constant('x'.repeat(5000))),
      data: fc.oneof(
        fc.record({ intent: deciding }),
        fc.record({ intent: deciding, rejectReason: fc.string({ maxLength: 50 }), 'bandwidth:bandwidth': fc.string({ maxLength: 10 }) }),
        fc.anything(),
        fc.constant({ intent: { kind: 'approve', id: target, by: PEOPLE.lead } }),
      ),
      who: fc.constantFrom(PEOPLE.outsider, PEOPLE.viewer),
    });
    const before = await h.app.store.get(target);
    const otherBefore = await h.app.store.get(otherCustomers);
    const auditBefore = await h.app.store.audit({ customerIds: ['contoso', 'northwind'], limit: 200 });
    const putsBefore = h.app.simulator!.requests.filter((r) => r.method !== 'GET').length;
    await fc.assert(
      fc.asyncProperty(payload, async ({ verb, data, who }) => {
        // The outsider may decide on northwind's request: only ids of customers they have no rights on are forgeries.
        fc.pre(
          !(
            who === PEOPLE.outsider &&
            JSON.stringify(data ?? null)
              .toUpperCase()
              .includes(otherCustomers)
          ),
        );
        const body = await h.click(who, verb, data);
        const card = validCard(body);
        const text = textOf(card);
        // Either a refusal, or something a viewer may legitimately read (a list, a form, their own request).
        assert.ok(!/Approved:|Running in Azure|Rejected|Cancelled/.test(text), text.slice(0, 300));
        if (who === PEOPLE.outsider) {
          // Isolation: naming another customer's real circuit or request gets the same answer as naming one that
          // does not exist, apart from the echoed name itself.
          const madeUp = maskForeignNames(data, target);
          if (madeUp.changed) {
            const other = textOf(validCard(await h.click(who, verb, madeUp.data)));
            assert.equal(unmask(other, target), text, 'a real foreign name is answered like a made-up one');
          }
        }
      }),
      { numRuns: 120 },
    );
    const after = await h.app.store.get(target);
    assert.equal(after?.state, 'pending');
    assert.equal(after?.version, before?.version);
    assert.deepEqual(after?.approvals, []);
    assert.deepEqual(await h.app.store.get(otherCustomers), otherBefore);
    assert.deepEqual(await h.app.store.audit({ customerIds: ['contoso', 'northwind'], limit: 200 }), auditBefore);
    assert.equal(h.app.simulator!.requests.filter((r) => r.method !== 'GET').length, putsBefore, 'no write reached ARM');
    // And a real approver still can: the refusals above were about who and what, not a broken request.
    assert.match(textOf(validCard(await h.say(approver(0), `request ${target}`))), /Waiting for approval \(0\/1\)/);
  });
});
