import assert from 'node:assert/strict';
import { Alert, onCard } from '../../src/alerts/alert';
import { makeAlert } from '../store/alert-store-contract';

describe('onCard', () => {
  const T0 = Date.UTC(2026, 0, 5, 3, 0, 0);
  // Every optional field set, in an order of its own: what validating gives back is in the schema's order.
  const full = Alert.parse({
    ...makeAlert(),
    escalatedAt: T0 + 9,
    escalations: 2,
    claimedAt: T0 + 8,
    groupId: 'G-OLD01',
    expected: 'change CR-1 executing',
    inhibitedBy: 'AL-OUTAGE1',
    silencedBy: 'SI-SILENT1',
    flapping: true,
    acknowledged: { by: { aadObjectId: 'demo-oncall', name: 'Omar' }, at: T0 + 5 },
    resolvedAt: T0 + 7,
    firedAt: T0 + 1,
    version: 4,
  });

  for (const [what, alert] of [
    ['an alert with every field', full],
    ['an alert on no card yet', makeAlert()],
  ] as const) {
    it(`should give ${what} its card, as validating it would write it`, () => {
      const next = onCard(alert, { groupId: 'G-NEW01', claimedAt: T0 + 60_000 });
      assert.equal(JSON.stringify(next), JSON.stringify(Alert.parse(next)));
      assert.deepEqual(next, { ...alert, groupId: 'G-NEW01', claimedAt: T0 + 60_000, updatedAt: T0 + 60_000, version: alert.version + 1 });
    });
  }
});
