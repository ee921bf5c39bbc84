import assert from 'node:assert/strict';
import { CodedError, ErrorCode } from '../../src/errors';
import { Access } from '../../src/directory/access';
import { parseDirectory } from '../../src/directory/directory';

const approval = { required: 1, ttlMinutes: 60 };
const customer = (id: string, name: string, n: number) => ({
  id,
  name,
  tenantId: `${n}${n}${n}${n}${n}${n}${n}${n}-0000-4000-8000-000000000000`,
  model: 'connect-through',
  subscriptions: [`${n}${n}${n}${n}${n}${n}${n}${n}-0000-4000-8000-00000000000${n}`],
  approval,
});

const access = new Access(
  parseDirectory(
    {
      customers: [
        customer('contoso', 'Contoso Ltd', 1),
        customer('fabrikam', 'Fabrikam Inc', 2),
        customer('northwind', 'Northwind Traders', 3),
      ],
      people: [
        { aadObjectId: 'dana', name: 'Dana', access: { '*': ['view'], contoso: ['request'] } },
        { aadObjectId: 'AAAAAAAA-0000-0000-0000-000000000001', name: 'Ada', access: { '*': ['admin'] } },
        { aadObjectId: 'casey', name: 'Casey', access: { contoso: ['view'] } },
        { aadObjectId: 'avery', name: 'Avery', access: { fabrikam: ['approve'] } },
        { aadObjectId: 'nobody', name: 'Nobody', access: {} },
        { aadObjectId: 'fab-admin', name: 'Fab admin', access: { fabrikam: ['admin'] } },
      ],
    },
    'test',
  ),
);

const dana = access.person('dana');
const ada = access.person('aaaaaaaa-0000-0000-0000-000000000001');
const casey = access.person('casey');
const avery = access.person('avery');
const nobody = access.person('nobody');
const fabAdmin = access.person('fab-admin');

const sorted = (s: ReadonlySet<string>) => [...s].sort();

describe('Access', () => {
  it('finds people by id, ignoring case and surrounding spaces', () => {
    assert.equal(ada?.name, 'Ada');
    assert.equal(access.person(' DANA ')?.name, 'Dana');
    assert.equal(access.person('stranger'), undefined);
    assert.equal(access.person(undefined), undefined);
    assert.equal(access.person(''), undefined);
  });

  it('refuses an unknown person politely, showing their id', () => {
    assert.throws(
      () => access.requirePerson('29:1abc-playground'),
      (e: unknown) =>
        e instanceof CodedError &&
        e.code === ErrorCode.UnknownPerson &&
        e.message.includes('29:1abc-playground') &&
        /admin/.test(e.hint ?? ''),
    );
    assert.throws(
      () => access.requirePerson(undefined),
      (e: unknown) => e instanceof CodedError && /no AAD object id/.test(e.message),
    );
    assert.equal(access.requirePerson('dana').name, 'Dana');
  });

  it("unions the '*' entry with the customer's entry", () => {
    assert.deepEqual(sorted(access.rights(dana, 'contoso')), ['request', 'view']);
    assert.deepEqual(sorted(access.rights(dana, 'fabrikam')), ['view']);
  });

  it('treats admin as every right', () => {
    assert.deepEqual(sorted(access.rights(ada, 'northwind')), ['admin', 'approve', 'oncall', 'request', 'view']);
    assert.ok(access.can(fabAdmin, 'approve', 'fabrikam'));
    assert.ok(!access.can(fabAdmin, 'view', 'contoso'));
  });

  it('denies by default', () => {
    assert.equal(access.rights(nobody, 'contoso').size, 0);
    assert.equal(access.rights(undefined, 'contoso').size, 0);
    assert.ok(!access.can(casey, 'view', 'fabrikam'));
    assert.ok(!access.can(casey, 'request', 'contoso'));
    assert.ok(!access.can(avery, 'view', 'fabrikam'), 'approve does not imply view');
    assert.ok(!access.can(ada, 'view', 'no-such-customer'), "'*' covers only customers in the directory");
  });

  it('lists the customers a person holds a right on', () => {
    assert.deepEqual(
      access.customersWith(dana, 'view').map((c) => c.id),
      ['contoso', 'fabrikam', 'northwind'],
    );
    assert.deepEqual(
      access.customersWith(dana, 'request').map((c) => c.id),
      ['contoso'],
    );
    assert.deepEqual(
      access.customersWith(casey, 'view').map((c) => c.id),
      ['contoso'],
    );
    assert.deepEqual(access.customersWith(nobody, 'view'), []);
    assert.deepEqual(access.customersWith(undefined, 'view'), []);
    assert.deepEqual(
      access.visibleCustomers(avery).map((c) => c.id),
      ['fabrikam'],
    );
  });

  it('collects the rights a person holds anywhere', () => {
    assert.deepEqual(sorted(access.rightsAnywhere(dana)), ['request', 'view']);
    assert.deepEqual(sorted(access.rightsAnywhere(avery)), ['approve']);
    assert.equal(access.rightsAnywhere(nobody).size, 0);
  });

  describe('requireRight', () => {
    it('passes when the right is held', () => {
      access.requireRight(dana, 'request', 'contoso');
      access.requireRight(ada, 'approve', 'fabrikam');
    });

    it('names a customer the person can see', () => {
      assert.throws(
        () => access.requireRight(dana, 'approve', 'fabrikam'),
        (e: unknown) =>
          e instanceof CodedError &&
          e.code === ErrorCode.Forbidden &&
          /approve changes for Fabrikam Inc/.test(e.message) &&
          /'approve' on fabrikam/.test(e.hint ?? ''),
      );
    });

    it("never names a customer the person can't see", () => {
      for (const person of [casey, nobody, undefined]) {
        assert.throws(
          () => access.requireRight(person, 'view', 'fabrikam'),
          (e: unknown) => {
            assert.ok(e instanceof CodedError);
            assert.equal(e.code, ErrorCode.Forbidden);
            const shown = `${e.message} ${e.hint} ${JSON.stringify(e.details)}`;
            assert.doesNotMatch(shown, /fabrikam/i);
            assert.match(e.message, /that circuit/);
            return true;
          },
        );
      }
    });

    it('uses the subject the caller names', () => {
      assert.throws(() => access.requireRight(casey, 'request', 'northwind', 'that route table'), /that route table/);
    });
  });
});
