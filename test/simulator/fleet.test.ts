import { strict as assert } from 'node:assert';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_CUSTOMERS } from '../../src/demo/customers';
import { CodedError, ErrorCode } from '../../src/errors';
import { buildDemoFleet, buildScaleFleet, generateCertificate, loadFleetFile, parseFleet } from '../../src/simulator';

const SUB = '00000000-0000-0000-0000-000000000001';
const CIRCUIT = `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Network/expressRouteCircuits/er1`;

function configError(fn: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof CodedError, `expected a CodedError, got ${String(e)}`);
    assert.equal(e.code, ErrorCode.Config);
    for (const p of patterns) assert.match(e.message, p);
    assert.ok(e.hint);
    return true;
  });
}

function circuitNames(fleet: Record<string, unknown>): string[] {
  return Object.keys(fleet)
    .filter((k) => /\/expressRouteCircuits\/[^/]+$/.test(k))
    .map((k) => k.split('/').at(-1) ?? '');
}

describe('simulator: fleet fixtures', () => {
  it('should accept resources, lists, POST-style reads and settings', () => {
    const fleet = parseFleet({
      $simulator: { pageSize: 5, lroDurationMs: 10, throttle: false, faults: [{ match: 'GET', status: 500 }] },
      [CIRCUIT]: { id: CIRCUIT.toUpperCase(), name: 'er1', properties: {} },
      [`${CIRCUIT}/peerings/AzurePrivatePeering/routeTables/primary`]: { value: [] },
      [`${CIRCUIT}/stats`]: { primarybytesIn: 1 },
      [`/subscriptions/${SUB}/providers/Microsoft.Network/bgpServiceCommunities`]: { value: [] },
    });
    assert.equal(fleet.$simulator?.pageSize, 5);
  });

  it('should reject a fixture that is not an object', () => {
    configError(() => parseFleet([], 'fleet.json'), /fleet\.json/, /must be a JSON object/);
    configError(() => parseFleet('nope'), /must be a JSON object/);
  });

  it('should reject a key that is not an ARM path, naming the key', () => {
    configError(
      () => parseFleet({ 'expressRouteCircuits/er1': { id: 'x', name: 'x' } }),
      /"expressRouteCircuits\/er1"/,
      /\/subscriptions\//,
    );
    configError(() => parseFleet({ [`${CIRCUIT}?api-version=2024-05-01`]: { id: CIRCUIT, name: 'er1' } }), /query string/);
  });

  it('should reject a value that is not an object, naming the key', () => {
    configError(() => parseFleet({ [CIRCUIT]: [1, 2] }), new RegExp(`"${CIRCUIT.replace(/\//g, '\\/')}"`), /JSON object/);
  });

  it('should reject a resource whose id does not match its key, or that has no id or name', () => {
    const other = CIRCUIT.replace('er1', 'er2');
    configError(() => parseFleet({ [CIRCUIT]: { id: other, name: 'er2' } }), /er1/, /does not match its key/);
    configError(() => parseFleet({ [CIRCUIT]: { name: 'er1' } }), /er1/, /no string "id"/);
    configError(() => parseFleet({ [CIRCUIT]: { id: CIRCUIT } }), /no string "name"/);
    // A resource whose name merely looks like an action verb is still a resource.
    configError(() => parseFleet({ [CIRCUIT.replace('er1', 'listener')]: { value: 1 } }), /listener/, /no string "id"/);
  });

  it('should reject bad simulator settings', () => {
    configError(() => parseFleet({ $simulator: { pageSize: -1 } }), /pageSize/);
    configError(() => parseFleet({ $simulator: { lroDurationMS: 5 } }), /lroDurationMS/);
  });

  it('should name the file when it is missing or not JSON', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fleet-'));
    const missing = path.join(dir, 'missing.json');
    configError(() => loadFleetFile(missing), new RegExp(missing.replace(/[/.]/g, '\\$&')));
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{ "a": ');
    configError(() => loadFleetFile(broken), /broken\.json/, /not valid JSON/);
    const good = path.join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ [CIRCUIT]: { id: CIRCUIT, name: 'er1' } }));
    assert.ok(loadFleetFile(good)[CIRCUIT]);
  });

  it('should build the demo fleet deterministically, with the named circuits in the right places', () => {
    const now = Date.UTC(2026, 0, 1);
    const fleet = buildDemoFleet({ now });
    assert.equal(JSON.stringify(buildDemoFleet({ now })), JSON.stringify(fleet));
    assert.doesNotThrow(() => parseFleet(JSON.parse(JSON.stringify(fleet))));
    const names = circuitNames(fleet);
    assert.ok(names.length >= 11);
    const where = (sub: string, rg: string, name: string) =>
      `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Network/expressRouteCircuits/${name}`;
    const [c0 = '', c1 = ''] = DEMO_CUSTOMERS.contoso.subscriptions;
    const [f0 = ''] = DEMO_CUSTOMERS.fabrikam.subscriptions;
    const [n0 = ''] = DEMO_CUSTOMERS.northwind.subscriptions;
    for (const id of [
      where(c0, 'rg-contoso-network', 'contoso-ams-er1'),
      where(c0, 'rg-contoso-network', 'contoso-lon-er2'),
      where(c0, 'rg-contoso-network', 'contoso-fra-er3'),
      where(c1, 'rg-contoso-dr', 'contoso-par-er4'),
      where(c1, 'rg-contoso-dr', 'er-shared'),
      where(f0, 'rg-fabrikam-er', 'fabrikam-dal-er1'),
      where(f0, 'rg-fabrikam-er', 'fabrikam-chi-direct'),
      where(f0, 'rg-fabrikam-er', 'fabrikam-sea-er3'),
      where(n0, 'rg-northwind', 'northwind-nyc-er1'),
      where(n0, 'rg-northwind', 'northwind-nyc-er2'),
      where(n0, 'rg-northwind', 'northwind-wdc-er3'),
      where(n0, 'rg-northwind', 'er-shared'),
    ]) {
      assert.ok(fleet[id], `missing ${id}`);
    }
    const fra = fleet[where(c0, 'rg-contoso-network', 'contoso-fra-er3')] as {
      properties: { serviceProviderProvisioningState: string; peerings: unknown[] };
    };
    assert.equal(fra.properties.serviceProviderProvisioningState, 'NotProvisioned');
    assert.deepEqual(fra.properties.peerings, []);
    const wdc = where(n0, 'rg-northwind', 'northwind-wdc-er3');
    for (const p of ['primary', 'secondary']) {
      const rows = (fleet[`${wdc}/peerings/AzurePrivatePeering/routeTablesSummary/${p}`] as { value: Array<{ statePfxRcd: string }> })
        .value;
      assert.match(rows[0]?.statePfxRcd ?? '', /^(Idle|Active)$/);
    }
  });

  it('should build a scale fleet spread evenly over subscriptions', () => {
    const { fleet, subscriptions } = buildScaleFleet({ circuits: 200, subscriptions: 20, tenantId: 't1' });
    assert.equal(subscriptions.length, 20);
    assert.equal(new Set(subscriptions).size, 20);
    const circuits = Object.keys(fleet).filter((k) => /\/expressRouteCircuits\/[^/]+$/.test(k));
    assert.equal(circuits.length, 200);
    for (const sub of subscriptions) assert.equal(circuits.filter((c) => c.includes(sub)).length, 10);
    const first = circuits[0] ?? '';
    for (const p of ['primary', 'secondary']) {
      assert.ok(fleet[`${first}/peerings/AzurePrivatePeering/routeTablesSummary/${p}`]);
      assert.ok(fleet[`${first}/peerings/AzurePrivatePeering/arpTables/${p}`]);
    }
    assert.notDeepEqual(
      buildScaleFleet({ circuits: 1, subscriptions: 1, tenantId: 't2' }).subscriptions,
      buildScaleFleet({ circuits: 1, subscriptions: 1, tenantId: 't1' }).subscriptions,
    );
  });

  it('should generate a certificate for 127.0.0.1 and localhost', async () => {
    const { certPem, keyPem } = await generateCertificate();
    const cert = new X509Certificate(certPem);
    assert.match(cert.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
    assert.match(cert.subjectAltName ?? '', /DNS:localhost/);
    assert.match(keyPem, /PRIVATE KEY/);
  });
});
