import assert from 'node:assert/strict';
import { CodedError, ErrorCode } from '../../src/errors';
import { resolveCircuit, resolveCustomer, resolveTarget, type CircuitCandidate } from '../../src/directory/resolve-circuit';

const id = (sub: string, name: string) =>
  `/subscriptions/${sub}/resourceGroups/rg-net/providers/Microsoft.Network/expressRouteCircuits/${name}`;
const C = '1a1a1a1a-0000-4000-8000-00000000c001';
const F = '2b2b2b2b-0000-4000-8000-00000000f001';
const N = '3c3c3c3c-0000-4000-8000-00000000a001';

const candidate = (customerId: string, customerName: string, sub: string, name: string): CircuitCandidate => ({
  customerId,
  customerName,
  circuit: { id: id(sub, name), name },
});

const contosoAms = candidate('contoso', 'Contoso Ltd', C, 'er-ams-01');
const contosoLon = candidate('contoso', 'Contoso Ltd', C, 'er-lon-01');
const contosoShared = candidate('contoso', 'Contoso Ltd', C, 'er-shared');
const fabrikamShared = candidate('fabrikam', 'Fabrikam Inc', F, 'er-shared');
const fabrikamSea = candidate('fabrikam', 'Fabrikam Inc', F, 'er-sea-01');
/** Northwind is never visible in these tests. */
const northwindSecret = candidate('northwind', 'Northwind Traders', N, 'er-ams-02');

const visible = [contosoAms, contosoLon, contosoShared, fabrikamShared, fabrikamSea];

function coded(fn: () => unknown, code: ErrorCode): CodedError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof CodedError, String(e));
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail('expected a CodedError');
}

describe('resolveCircuit', () => {
  it('finds a circuit by its bare name, in any case', () => {
    assert.equal(resolveCircuit('er-ams-01', visible), contosoAms);
    assert.equal(resolveCircuit('ER-AMS-01', visible), contosoAms);
  });

  it('finds a circuit by customer/name, by customer id or name', () => {
    assert.equal(resolveCircuit('fabrikam/er-shared', visible), fabrikamShared);
    assert.equal(resolveCircuit('Contoso/ER-SHARED', visible), contosoShared);
    assert.equal(resolveCircuit('contoso ltd/er-shared', visible), contosoShared);
  });

  it('finds a circuit by its full ARM id, in any case, with a trailing slash', () => {
    assert.equal(resolveCircuit(id(F, 'er-sea-01').toUpperCase(), visible), fabrikamSea);
    assert.equal(resolveCircuit(`${id(C, 'er-lon-01')}/`, visible), contosoLon);
  });

  it('refuses to guess between two customers with the same circuit name', () => {
    const e = coded(() => resolveCircuit('er-shared', visible), ErrorCode.Ambiguous);
    assert.deepEqual(e.details?.candidates, ['contoso/er-shared', 'fabrikam/er-shared']);
    assert.match(e.hint ?? '', /contoso\/er-shared/);
  });

  it('suggests near names when nothing matches', () => {
    const e = coded(() => resolveCircuit('er-ams-1', visible), ErrorCode.NotFound);
    assert.deepEqual(e.details?.suggestions, ['contoso/er-ams-01']);
    assert.match(e.hint ?? '', /Did you mean `contoso\/er-ams-01`\?/);
    assert.deepEqual(coded(() => resolveCircuit('er-', visible), ErrorCode.NotFound).details?.suggestions, [
      'contoso/er-ams-01',
      'contoso/er-lon-01',
      'contoso/er-shared',
      'fabrikam/er-shared',
      'fabrikam/er-sea-01',
    ]);
    assert.deepEqual(coded(() => resolveCircuit('lon', visible), ErrorCode.NotFound).details?.suggestions, ['contoso/er-lon-01']);
  });

  it('suggests within the customer named in customer/name', () => {
    const e = coded(() => resolveCircuit('fabrikam/er-ams-01', visible), ErrorCode.NotFound);
    assert.deepEqual(e.details?.suggestions, ['fabrikam/er-sea-01'], 'not contoso/er-ams-01');
  });

  it('says so, with no suggestions, when nothing is close', () => {
    const e = coded(() => resolveCircuit('zzzzzzzz', visible), ErrorCode.NotFound);
    assert.deepEqual(e.details?.suggestions, []);
    assert.match(e.hint ?? '', /`circuits`/);
  });

  it("never reveals or suggests an invisible customer's circuit", () => {
    for (const query of ['er-ams-02', 'northwind/er-ams-02', northwindSecret.circuit.id, 'er-ams-0']) {
      const e = coded(() => resolveCircuit(query, visible), ErrorCode.NotFound);
      const shown = `${e.message} ${e.hint} ${JSON.stringify(e.details)}`;
      assert.doesNotMatch(shown, /Northwind Traders/i);
      assert.ok(!(e.details?.suggestions as string[]).some((s) => s.startsWith('northwind')));
    }
  });

  it('answers identically whether or not the circuit exists in an invisible customer', () => {
    const withHidden = coded(() => resolveCircuit('er-ams-02', visible), ErrorCode.NotFound);
    const trulyAbsent = coded(() => resolveCircuit('er-ams-03', visible), ErrorCode.NotFound);
    assert.equal(withHidden.message.replace('02', 'XX'), trulyAbsent.message.replace('03', 'XX'));
    assert.deepEqual(withHidden.details, trulyAbsent.details);
  });

  it('finds nothing among no candidates', () => {
    const e = coded(() => resolveCircuit('er-ams-01', []), ErrorCode.NotFound);
    assert.deepEqual(e.details?.suggestions, []);
  });
});

describe('resolveCustomer', () => {
  const customers = [
    { id: 'contoso', name: 'Contoso Ltd' },
    { id: 'fabrikam', name: 'Fabrikam Inc' },
    { id: 'fabrikam-eu', name: 'Fabrikam Inc' },
  ];

  it('finds a customer by id or name, in any case', () => {
    assert.equal(resolveCustomer('CONTOSO', customers), customers[0]);
    assert.equal(resolveCustomer('contoso ltd', customers), customers[0]);
    assert.equal(resolveCustomer('fabrikam', customers), customers[1], 'an exact id beats a name');
  });

  it('refuses to guess between customers with the same name', () => {
    const e = coded(() => resolveCustomer('Fabrikam Inc', customers), ErrorCode.Ambiguous);
    assert.deepEqual(e.details?.candidates, ['fabrikam', 'fabrikam-eu']);
  });

  it('suggests only visible customers', () => {
    const e = coded(() => resolveCustomer('contso', customers), ErrorCode.NotFound);
    assert.deepEqual(e.details?.suggestions, ['contoso']);
    const hidden = coded(() => resolveCustomer('northwind', customers), ErrorCode.NotFound);
    assert.deepEqual(hidden.details?.suggestions, []);
    assert.doesNotMatch(`${hidden.message} ${hidden.hint}`, /Northwind Traders/);
  });
});

describe('resolveTarget', () => {
  const customers = [
    { id: 'contoso', name: 'Contoso Ltd' },
    { id: 'fabrikam', name: 'Fabrikam Inc' },
  ];

  it('prefers a customer, then a circuit', () => {
    assert.deepEqual(resolveTarget('Contoso Ltd', customers, visible), { kind: 'customer', customer: customers[0] });
    assert.deepEqual(resolveTarget('er-lon-01', customers, visible), { kind: 'circuit', circuit: contosoLon });
    assert.deepEqual(resolveTarget('fabrikam/er-shared', customers, visible), { kind: 'circuit', circuit: fabrikamShared });
  });

  it('passes an ambiguity through', () => {
    coded(() => resolveTarget('er-shared', customers, visible), ErrorCode.Ambiguous);
  });

  it('suggests from both lists when nothing matches', () => {
    const e = coded(() => resolveTarget('fabrikm', customers, visible), ErrorCode.NotFound);
    assert.deepEqual(e.details?.suggestions, ['fabrikam']);
    const c = coded(() => resolveTarget('er-lon', customers, visible), ErrorCode.NotFound);
    assert.deepEqual(c.details?.suggestions, ['contoso/er-lon-01']);
  });
});
