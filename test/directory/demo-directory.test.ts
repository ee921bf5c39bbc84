import assert from 'node:assert/strict';
import { DEMO_CUSTOMERS, DEMO_PEOPLE } from '../../src/demo/customers';
import { Access } from '../../src/directory/access';
import { buildDemoDirectory } from '../../src/demo/demo-directory';

describe('buildDemoDirectory', () => {
  const directory = buildDemoDirectory();
  const access = new Access(directory);
  const ids = (person: keyof typeof DEMO_PEOPLE, right: 'view' | 'request' | 'approve' | 'oncall' | 'admin') =>
    access.customersWith(access.person(DEMO_PEOPLE[person].aadObjectId), right).map((c) => c.id);
  const all = Object.values(DEMO_CUSTOMERS).map((c) => c.id);

  it('has the demo customers with one approver and a day to approve', () => {
    assert.deepEqual(
      directory.customers.map((c) => c.id),
      all,
    );
    for (const c of directory.customers) {
      assert.deepEqual(c.approval, { required: 1, ttlMinutes: 1440 });
      assert.deepEqual(c.subscriptions, DEMO_CUSTOMERS[c.id as keyof typeof DEMO_CUSTOMERS].subscriptions);
    }
  });

  it('gives each demo person their rights', () => {
    assert.deepEqual(ids('engineer', 'view'), all);
    assert.deepEqual(ids('engineer', 'request'), all);
    assert.deepEqual(ids('engineer', 'approve'), []);
    assert.deepEqual(ids('approver', 'approve'), all);
    assert.deepEqual(ids('oncall', 'view'), all);
    assert.deepEqual(ids('oncall', 'request'), []);
    assert.deepEqual(ids('oncall', 'approve'), []);
    // Omar is on call, and so is Dana, the Playground's user: the demo's alerts reach her 1:1 chat.
    assert.deepEqual(ids('oncall', 'oncall'), all);
    assert.deepEqual(ids('engineer', 'oncall'), all);
    assert.deepEqual(ids('contosoOnly', 'oncall'), []);
    assert.deepEqual(ids('contosoOnly', 'view'), ['contoso']);
    for (const right of ['request', 'approve', 'admin'] as const) assert.deepEqual(ids('contosoOnly', right), [], right);
  });

  it('makes the CSP lead the only admin, so that `approvals here` can be tried in demo mode', () => {
    assert.deepEqual(ids('approver', 'admin'), all);
    const admins = (Object.keys(DEMO_PEOPLE) as (keyof typeof DEMO_PEOPLE)[]).filter((p) => ids(p, 'admin').length > 0);
    assert.deepEqual(admins, ['approver']);
  });

  it('makes Fabrikam Connect-To with Erin on its side, so the Playground shows a customer-side approval', () => {
    assert.deepEqual(
      directory.customers.map((c) => [c.id, c.model]),
      [
        ['contoso', 'connect-through'],
        ['fabrikam', 'connect-to'],
        ['northwind', 'connect-through'],
      ],
    );
    assert.deepEqual(
      access.customerSideApprovers('fabrikam').map((p) => p.aadObjectId),
      [DEMO_PEOPLE.fabrikamLead.aadObjectId],
    );
    assert.deepEqual(ids('fabrikamLead', 'view'), ['fabrikam']);
    assert.deepEqual(ids('fabrikamLead', 'request'), []);
  });
});
