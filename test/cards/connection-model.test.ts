import assert from 'node:assert/strict';
import { circuitCard } from '../../src/cards/circuit-card';
import { customersCard } from '../../src/cards/customers-card';
import { textOf } from '../support/harness';
import { circuit } from '../network/circuit-fixture';
import { assertValidCard } from './card-check';

/** Issue 11: the circuit card and `customers` show the connection model and who configures the on-premises routers. */

const THROUGH = 'Connect-Through: the CSP runs the BGP routes and network plumbing';
const TO =
  'Connect-To: the customer configures their own routers; the customer decides the VNet security policy or gives its requirements to the CSP';

describe('cards: the connection model', () => {
  it('circuit: should show the customer’s model with who configures the routers', () => {
    const c = circuit();
    const build = (model?: string) =>
      circuitCard({
        header: {
          customers: [{ name: 'Fabrikam Inc', tenantId: 't' }],
          fetchedAt: 0,
          fromCache: false,
          now: 0,
          refresh: { kind: 'circuit', circuit: c.id },
        },
        customerName: 'Fabrikam Inc',
        ...(model ? { model } : {}),
        circuit: c,
      });
    assertValidCard(build('connect-to'));
    assert.ok(textOf(build('connect-to')).includes(`Model\n${TO}`), textOf(build('connect-to')));
    assert.ok(textOf(build('connect-through')).includes(`Model\n${THROUGH}`));
    assert.doesNotMatch(textOf(build()), /Model\n/);
  });

  it('customers: should show each model in its row and, once per model shown, who configures the routers', () => {
    const card = customersCard({
      customers: [
        { id: 'contoso', name: 'Contoso Ltd', tenantId: 't1', model: 'connect-through', subscriptions: ['s1'] },
        { id: 'northwind', name: 'Northwind Traders', tenantId: 't3', model: 'connect-through', subscriptions: ['s3'] },
        { id: 'fabrikam', name: 'Fabrikam Inc', tenantId: 't2', model: 'connect-to', subscriptions: ['s2'] },
      ],
    });
    assertValidCard(card);
    const text = textOf(card);
    assert.match(text, /Fabrikam Inc\nt2\nConnect-To\n/);
    assert.equal(text.split(THROUGH).length - 1, 1, 'one reminder per model');
    assert.equal(text.split(TO).length - 1, 1);
    const only = textOf(
      customersCard({ customers: [{ id: 'contoso', name: 'Contoso Ltd', tenantId: 't1', model: 'connect-through', subscriptions: [] }] }),
    );
    assert.ok(only.includes(THROUGH) && !only.includes(TO), 'only the models shown');
  });
});
