import assert from 'node:assert/strict';
import { bodyHash, canonicalJson } from '../../src/changes/canonical-json';
import { defaultChangeKinds } from '../../src/changes/change-kinds';
import { bindWrite, planChange } from '../../src/changes/plan-change';
import { rawRequest } from '../simulator/raw-request';
import { AMS, CONTOSO_SCOPE, FABRIKAM, SEA, startChangeKit, type ChangeKit } from './support/change-kit';

const kinds = defaultChangeKinds();
const FABRIKAM_SCOPE = { tenantId: FABRIKAM.tenantId, subscriptionId: FABRIKAM.subscriptions[0] ?? '' };

describe('planning a change', () => {
  let kit: ChangeKit;
  beforeEach(async () => {
    kit = await startChangeKit();
  });
  afterEach(() => kit.close());
  const deps = () => ({ writer: kit.writer, builder: kit.writer });

  it('should hash canonical JSON: key order does not matter, values do', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 1 }], c: undefined } }), '{"a":{"d":[1,{"e":1,"f":2}]},"b":1}');
    assert.equal(bodyHash({ a: 1, b: 2 }), bodyHash({ b: 2, a: 1 }));
    assert.notEqual(bodyHash({ a: 1, b: 2 }), bodyHash({ a: 1, b: 3 }));
    assert.match(bodyHash({}), /^[0-9a-f]{64}$/);
  });

  it('should bind the plan to the etag read for writing and the hash of the exact body', async () => {
    const circuit = (await kit.arm.reader.getCircuit(CONTOSO_SCOPE, AMS, { fresh: true })).value;
    const kind = kinds.get('bandwidth');
    const plan = await planChange(deps(), CONTOSO_SCOPE, circuit, kind, { bandwidthMbps: 2000 });
    const armNow = (await rawRequest(kit.sim, 'GET', AMS)).body as { etag: string };
    assert.equal(plan.etag, armNow.etag);
    assert.equal(plan.targetId, AMS);
    assert.equal(plan.method, 'PUT');
    assert.equal(plan.bodyHash, bodyHash(plan.body));
    const body = plan.body as { serviceProviderProperties: { bandwidthInMbps: number }; etag?: string };
    assert.equal(body.serviceProviderProperties.bandwidthInMbps, 2000);
    assert.equal(body.etag, undefined, 'ARM-computed fields are not part of the request');
    assert.deepEqual(plan.diff, { Bandwidth: ['1 Gbps', '2 Gbps'] });

    // The same change planned again hashes the same; a different one does not.
    const again = await planChange(deps(), CONTOSO_SCOPE, circuit, kind, { bandwidthMbps: 2000 });
    assert.equal(again.bodyHash, plan.bodyHash);
    const other = await planChange(deps(), CONTOSO_SCOPE, circuit, kind, { bandwidthMbps: 5000 });
    assert.notEqual(other.bodyHash, plan.bodyHash);

    const bound = await bindWrite(deps(), CONTOSO_SCOPE, plan, kind, { bandwidthMbps: 2000 });
    assert.equal(bound.ok, true);
  });

  it('should find the plan unbound once the circuit has changed (new etag), and when the body would differ', async () => {
    const circuit = (await kit.arm.reader.getCircuit(CONTOSO_SCOPE, AMS, { fresh: true })).value;
    const kind = kinds.get('bandwidth');
    const plan = await planChange(deps(), CONTOSO_SCOPE, circuit, kind, { bandwidthMbps: 2000 });
    assert.deepEqual(
      await bindWrite(deps(), CONTOSO_SCOPE, { ...plan, bodyHash: 'f'.repeat(64) }, kind, { bandwidthMbps: 2000 }).then((b) => [
        b.ok,
        !b.ok && b.why,
      ]),
      [false, 'body'],
    );
    await kit.arm.pool
      .networkClient(CONTOSO_SCOPE)
      .expressRouteCircuits.updateTags('rg-contoso-network', 'contoso-ams-er1', { tags: { touched: 'yes' } });
    const bound = await bindWrite(deps(), CONTOSO_SCOPE, plan, kind, { bandwidthMbps: 2000 });
    assert.equal(bound.ok, false);
    assert.equal(!bound.ok && bound.why, 'etag');
  });

  it('should keep secrets ARM returns out of the stored body and its hash, but send them', async () => {
    const circuit = (await kit.arm.reader.getCircuit(FABRIKAM_SCOPE, SEA, { fresh: true })).value;
    const raw = await kit.writer.readForWrite(FABRIKAM_SCOPE, SEA);
    const rawText = JSON.stringify(raw.body);
    const key = /"authorizationKey":"([^"]+)"/.exec(rawText)?.[1];
    assert.ok(key && key !== '[redacted]', 'the fixture has an authorization key to protect');
    const plan = await planChange(deps(), FABRIKAM_SCOPE, circuit, kinds.get('bandwidth'), { bandwidthMbps: 2000 });
    const stored = JSON.stringify(plan.body);
    assert.ok(!stored.includes(key), 'no authorization key in the stored plan');
    assert.match(stored, /"authorizationKey":"\[redacted\]"/);
    const built = kit.writer.buildBody({ resource: 'expressRouteCircuit', bandwidthMbps: 2000 }, raw.body);
    assert.ok(JSON.stringify(built.body).includes(key), 'the body sent keeps what ARM needs repeated');
  });

  it('should write bandwidthInGbps for an ExpressRoute Direct circuit and sku name from tier and family', () => {
    const direct = {
      id: 'x',
      expressRoutePort: { id: '/port' },
      bandwidthInGbps: 10,
      sku: { name: 'Standard_MeteredData', tier: 'Standard', family: 'MeteredData' },
    };
    const built = kit.writer.buildBody(
      { resource: 'expressRouteCircuit', bandwidthMbps: 40_000, sku: { tier: 'Premium', family: 'UnlimitedData' } },
      direct,
    );
    assert.deepEqual(built.body, {
      id: 'x',
      expressRoutePort: { id: '/port' },
      bandwidthInGbps: 40,
      sku: { name: 'Premium_UnlimitedData', tier: 'Premium', family: 'UnlimitedData' },
    });
    assert.equal(direct.bandwidthInGbps, 10, 'the raw body is not modified');
  });
});
