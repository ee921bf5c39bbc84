import assert from 'node:assert/strict';
import type { Alert } from '../../src/alerts/alert';
import { suppress, type SuppressionFacts } from '../../src/alerts/alert-lifecycle';

const NOW = 1_800_000_000_000;
const CIRCUIT =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-er/providers/Microsoft.Network/expressRouteCircuits/ams-er1';
const OTHER = CIRCUIT.replace('ams-er1', 'par-er1');

let serial = 0;
function alert(circuitId: string, condition: Alert['condition'], extra: Partial<Alert> = {}): Alert {
  serial += 1;
  return {
    id: `AL-TEST${String(serial).padStart(3, '0')}`,
    key: `${circuitId.toLowerCase()}|AzurePrivatePeering|${extra.link ?? ''}|${condition}`,
    customerId: 'contoso',
    circuitId,
    circuitName: circuitId.split('/').at(-1)!,
    peering: 'AzurePrivatePeering',
    condition,
    severity: condition === 'bgp-outage' ? 'critical' : 'warning',
    state: 'firing',
    sources: ['watcher'],
    evidence: [],
    createdAt: NOW - 60_000,
    updatedAt: NOW - 60_000,
    firedAt: NOW - 60_000,
    seenCycles: 1,
    recoveredCycles: 0,
    changes: [NOW - 60_000],
    version: 1,
    ...extra,
  };
}

const facts: SuppressionFacts = { now: NOW, silences: [], maintenance: new Map() };

describe('alerts: inhibition of one alert (suppress)', () => {
  it("should let a circuit's outage inhibit its link alert whatever the case of the circuit's id", () => {
    // Azure Monitor and Resource Graph may spell one resource id in different cases.
    const outage = alert(CIRCUIT.toUpperCase(), 'bgp-outage');
    const link = alert(CIRCUIT, 'bgp-link-down', { link: 'primary' });
    const next = suppress(link, [outage, link], facts);
    assert.equal(next?.inhibitedBy, outage.id);
    assert.equal(next?.version, 2);
    assert.equal(next?.updatedAt, NOW);
    // Already inhibited by it: nothing to write.
    assert.equal(suppress(next, [outage, next], facts), undefined);
  });

  it("should not let another circuit's outage inhibit it, even when passed among the candidates", () => {
    const elsewhere = alert(OTHER, 'bgp-outage');
    const link = alert(CIRCUIT, 'bgp-link-down', { link: 'secondary' });
    assert.equal(suppress(link, [elsewhere, link], facts), undefined);
    // And an inhibition that no longer holds is lifted.
    const stale = { ...link, inhibitedBy: elsewhere.id };
    const lifted = suppress(stale, [elsewhere, stale], facts);
    assert.ok(lifted);
    assert.equal(lifted.inhibitedBy, undefined);
  });

  it('should not be inhibited by a resolved outage, nor by itself', () => {
    const resolved = alert(CIRCUIT, 'bgp-outage', { state: 'resolved', resolvedAt: NOW - 1_000 });
    const link = alert(CIRCUIT, 'bgp-link-down', { link: 'primary' });
    assert.equal(suppress(link, [resolved, link], facts), undefined);
    // An outage alert that is the same alert (a newer copy of it, say) is not another alert inhibiting it.
    const itself = { ...link, condition: 'bgp-outage' as const, severity: 'critical' as const };
    assert.equal(suppress(link, [itself], facts), undefined);
    assert.equal(suppress(link, [alert(CIRCUIT, 'bgp-outage')], facts)?.inhibitedBy?.startsWith('AL-'), true);
  });
});
