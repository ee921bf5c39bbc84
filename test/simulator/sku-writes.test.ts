import { strict as assert } from 'node:assert';
import { isRestError } from '@azure/core-rest-pipeline';
import { parseFleet, startSimulator, type RunningSimulator } from '../../src/simulator';
import { SUBSCRIPTIONS } from '../support/demo-world';
import { premiumAmsWithLinks, type LinkFleetOptions } from '../support/link-fleets';
import { fastPolling, networkClient } from './sdk-clients';

const RG = 'rg-contoso-network';
const STANDARD = { name: 'Standard_MeteredData', tier: 'Standard', family: 'MeteredData' };
const LOCAL = { name: 'Local_UnlimitedData', tier: 'Local', family: 'UnlimitedData' };

/**
 * The simulator refuses Premium → Standard on its own, as Network RP does, when the circuit has more than 10
 * links (VNet connections and Global Reach together) or a VNet outside its peering location's geopolitical
 * region: the bot's checks are not the only line of defence.
 */
describe('simulator: Premium → Standard against the circuit links', () => {
  let sim: RunningSimulator | undefined;
  afterEach(() => sim?.close());

  /** Tries the downgrade of contoso-ams-er1 (already linked to vnet-contoso-hub) with `extra` more links. */
  async function downgrade(extra: number, o: LinkFleetOptions = {}, sku: typeof STANDARD = STANDARD): Promise<unknown> {
    await sim?.close();
    sim = await startSimulator({ fleet: parseFleet(premiumAmsWithLinks(extra, o)), settings: { deviceReadMs: 0, lroDurationMs: 0 } });
    const client = networkClient(sim, SUBSCRIPTIONS.contoso0);
    const ams = await client.expressRouteCircuits.get(RG, 'contoso-ams-er1');
    assert.equal(ams.sku?.tier, 'Premium');
    try {
      const after = await client.expressRouteCircuits.beginCreateOrUpdateAndWait(RG, 'contoso-ams-er1', { ...ams, sku }, fastPolling);
      return after.sku?.tier;
    } catch (e) {
      assert.ok(isRestError(e), String(e));
      return { status: e.statusCode, code: e.code, message: e.message };
    }
  }

  it('should reject 11 VNet links with 400, and accept 10', async () => {
    const refused = (await downgrade(10)) as { status: number; code: string; message: string };
    assert.equal(refused.status, 400);
    assert.equal(refused.code, 'CircuitSkuDowngradeNotAllowed');
    assert.match(refused.message, /11 links \(11 virtual network connections and 0 Global Reach connections\)/);
    assert.equal(await downgrade(9), 'Standard');
  });

  it('should count Global Reach connections against the same limit', async () => {
    const refused = (await downgrade(8, { globalReach: 2 })) as { code: string; message: string };
    assert.equal(refused.code, 'CircuitSkuDowngradeNotAllowed');
    assert.match(refused.message, /11 links \(9 virtual network connections and 2 Global Reach connections\)/);
    assert.equal(await downgrade(7, { globalReach: 2 }), 'Standard');
  });

  it('should reject a VNet outside the geopolitical region of the peering location, whatever the circuit region', async () => {
    const east = (await downgrade(1, { region: 'eastus' })) as { status: number; code: string; message: string };
    assert.equal(east.status, 400);
    assert.equal(east.code, 'CircuitSkuDowngradeNotAllowed');
    assert.match(east.message, /'cn-spoke-0' \(eastus\) are outside the geopolitical region 'Europe' of peering location 'Amsterdam'/);
    assert.equal(await downgrade(1, { region: 'northeurope' }), 'Standard');
    // The circuit resource stays in West Europe; peered in Washington DC, its West Europe hub is out of region.
    const dc = (await downgrade(0, { peeringLocation: 'Washington DC' })) as { message: string };
    assert.match(dc.message, /'cn-contoso-hub-ams' \(westeurope\) are outside the geopolitical region 'North America'/);
  });

  it('should count the ExpressRoute connections of a Virtual WAN hub gateway to the circuit, in the hub region', async () => {
    const refused = (await downgrade(8, { hubLinks: 2 })) as { code: string; message: string };
    assert.equal(refused.code, 'CircuitSkuDowngradeNotAllowed');
    assert.match(refused.message, /11 links \(11 virtual network connections and 0 Global Reach connections\)/);
    assert.equal(await downgrade(7, { hubLinks: 2 }), 'Standard');
    const east = (await downgrade(0, { hubLinks: 1, hubRegion: 'eastus' })) as { message: string };
    assert.match(east.message, /'cn-hub-0' \(eastus\) are outside the geopolitical region 'Europe'/);
  });

  it('should judge by the published geopolitical table only: a region it leaves out is outside every region', async () => {
    // Spain Central is Madrid's local region on the providers table, but not in the geopolitical table.
    const spain = (await downgrade(1, { region: 'spaincentral' })) as { code: string; message: string };
    assert.equal(spain.code, 'CircuitSkuDowngradeNotAllowed');
    assert.match(spain.message, /'cn-spoke-0' \(spaincentral\) are outside/);
  });

  describe('→ Local', () => {
    it('should take VNets in the local region of the peering location, and refuse one elsewhere in the geopolitical region', async () => {
      assert.equal(await downgrade(2, {}, LOCAL), 'Local');
      const neu = (await downgrade(1, { region: 'northeurope' }, LOCAL)) as { status: number; code: string; message: string };
      assert.equal(neu.status, 400);
      assert.equal(neu.code, 'CircuitSkuLocalNotAllowed');
      assert.match(
        neu.message,
        /'cn-spoke-0' \(northeurope\) are outside the local Azure regions of peering location 'Amsterdam' \(West Europe\)/,
      );
      const hub = (await downgrade(0, { hubLinks: 1, hubRegion: 'northeurope' }, LOCAL)) as { message: string };
      assert.match(hub.message, /'cn-hub-0' \(northeurope\) are outside the local Azure regions/);
    });

    it('should refuse Global Reach, a peering location without Local, and more than 10 links from Premium', async () => {
      const reach = (await downgrade(0, { globalReach: 1 }, LOCAL)) as { code: string; message: string };
      assert.equal(reach.code, 'CircuitSkuLocalNotAllowed');
      assert.match(reach.message, /Global Reach isn't available on Local.*'gr-ams-lon-0'/);
      const atlanta = (await downgrade(0, { peeringLocation: 'Atlanta' }, LOCAL)) as { message: string };
      assert.match(atlanta.message, /ExpressRoute Local isn't available at peering location 'Atlanta'/);
      const many = (await downgrade(10, {}, LOCAL)) as { code: string; message: string };
      assert.equal(many.code, 'CircuitSkuDowngradeNotAllowed');
      assert.match(many.message, /cannot move from Premium to Local: it has 11 links/);
    });
  });
});
