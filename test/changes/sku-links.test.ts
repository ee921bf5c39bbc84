import assert from 'node:assert/strict';
import { defaultChangeKinds } from '../../src/changes/change-kinds';
import type { CircuitLinksReader, KindContext, Refusal, VnetLink } from '../../src/changes/change-kind';
import {
  GEOPOLITICAL_REGIONS,
  geopoliticalRegionOfAzureRegion,
  geopoliticalRegionOfPeeringLocation,
} from '../../src/changes/kinds/sku/geopolitical-region';
import { hintText } from '../../src/command-names';
import { CodedError, ErrorCode } from '../../src/errors';
import type { Circuit } from '../../src/network/types';
import { geoOfAzureRegion, geoOfPeeringLocation } from '../../src/simulator/geopolitical-regions';
import { circuit, peering } from '../network/circuit-fixture';

const sku = defaultChangeKinds().get('sku');

/** A Premium circuit at `peeringLocation`, with the Global Reach connections given and nothing else linked. */
function premium(peeringLocation: string, o: { location?: string; globalReach?: string[] } & Partial<Circuit> = {}): Circuit {
  const { globalReach = [], ...rest } = o;
  return circuit({
    sku: { tier: 'Premium', family: 'MeteredData' },
    location: o.location ?? 'westeurope',
    provider: { name: 'Equinix', peeringLocation },
    peerings: [peering('private', { connections: globalReach })],
    ...rest,
  });
}

const vnets = (n: number, region: string, prefix = 'vnet'): VnetLink[] =>
  Array.from({ length: n }, (_, i) => ({ name: `${prefix}-${i}`, region }));

function downgrade(c: Circuit, links: VnetLink[]): Refusal | undefined {
  return sku.check(c, { tier: 'Standard' }, { privateRoutes: 10, vnetLinks: links });
}

const words = (r: Refusal | undefined) => `${r?.reason ?? ''} ${hintText(r?.alternative ?? '')}`;

describe('sku: Premium → Standard against the VNet links and Global Reach', () => {
  describe('the link limit', () => {
    it('should refuse 11 VNet links, naming them and how many to unlink, and allow 10', () => {
      const r = downgrade(premium('Amsterdam'), vnets(11, 'westeurope'));
      assert.match(r?.reason ?? '', /links 11 VNets; Standard allows at most 10/);
      assert.match(hintText(r?.alternative ?? ''), /Unlink 1 of the 11 VNets first \(vnet-0, vnet-1, .*vnet-10\), or keep Premium/);
      assert.equal(downgrade(premium('Amsterdam'), vnets(10, 'westeurope')), undefined);
    });

    it('should count Global Reach connections with the VNet links: 9 links and 2 Global Reach are 11', () => {
      const r = downgrade(premium('Amsterdam', { globalReach: ['gr-ams-lon', 'gr-ams-par'] }), vnets(9, 'westeurope'));
      assert.match(r?.reason ?? '', /has 11 links: 9 VNet connections and 2 Global Reach connections, which count against the same limit/);
      assert.match(
        hintText(r?.alternative ?? ''),
        /Unlink 1 of the 11 first \(VNet connections vnet-0, .*vnet-8; Global Reach connections gr-ams-lon, gr-ams-par\)/,
      );
      assert.equal(downgrade(premium('Amsterdam', { globalReach: ['gr-ams-lon', 'gr-ams-par'] }), vnets(8, 'westeurope')), undefined);
      assert.match(
        downgrade(premium('Amsterdam', { globalReach: Array.from({ length: 11 }, (_, i) => `gr-${i}`) }), [])?.reason ?? '',
        /11 links/,
      );
    });
  });

  describe('the geopolitical region of the peering location', () => {
    it('should judge by the peering location, not the circuit ARM region: in Europe, peered in Washington DC', () => {
      const r = downgrade(premium('Washington DC', { location: 'westeurope' }), vnets(2, 'westeurope'));
      assert.match(
        r?.reason ?? '',
        /peering location Washington DC is in North America, and Standard allows VNet links in North America only; 2 links are elsewhere: vnet-0 \(westeurope, Europe\), vnet-1 \(westeurope, Europe\)/,
      );
      assert.match(hintText(r?.alternative ?? ''), /Unlink them first .*or keep Premium/);
    });

    it('should allow links in the peering location region although the circuit resource lives elsewhere', () => {
      assert.equal(downgrade(premium('Amsterdam', { location: 'eastus' }), vnets(3, 'westeurope')), undefined);
      assert.equal(
        downgrade(premium('Amsterdam', { location: 'eastus' }), [...vnets(1, 'northeurope'), ...vnets(1, 'uksouth', 'uk')]),
        undefined,
      );
    });

    it('should not take Japan and Korea for one region, nor India for Asia, nor New Zealand for Asia', () => {
      assert.match(words(downgrade(premium('Tokyo'), vnets(1, 'koreacentral'))), /Tokyo is in Japan.*vnet-0 \(koreacentral, South Korea\)/);
      assert.equal(downgrade(premium('Tokyo'), vnets(1, 'japanwest')), undefined);
      assert.match(words(downgrade(premium('Mumbai'), vnets(1, 'southeastasia'))), /Mumbai is in India.*southeastasia, Asia/);
      assert.match(words(downgrade(premium('Singapore'), vnets(1, 'newzealandnorth'))), /Singapore is in Asia.*newzealandnorth, Oceania/);
      assert.equal(downgrade(premium('Auckland'), vnets(1, 'australiaeast')), undefined);
      assert.match(words(downgrade(premium('Canberra'), vnets(1, 'australiaeast'))), /Australia Government.*australiaeast, Oceania/);
    });

    it('should take a Direct circuit region from its port peering location', () => {
      const direct = (portPeeringLocation?: string) =>
        circuit({
          sku: { tier: 'Premium', family: 'UnlimitedData' },
          location: 'westeurope',
          peerings: [peering('private', { connections: [] })],
          direct: {
            portId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/expressRoutePorts/p',
            bandwidthInGbps: 10,
            ...(portPeeringLocation ? { portPeeringLocation } : {}),
          },
          provider: undefined,
        });
      assert.equal(downgrade(direct('Chicago'), vnets(1, 'eastus')), undefined);
      assert.match(words(downgrade(direct('Chicago'), vnets(1, 'westeurope'))), /Chicago is in North America/);
      assert.match(words(downgrade(direct(), vnets(1, 'eastus'))), /can't tell the peering location of er-sv-01/);
    });

    it('should fail closed on a peering location or an Azure region it does not know, naming it', () => {
      const atlantis = downgrade(premium('Atlantis'), vnets(1, 'westeurope'));
      assert.match(atlantis?.reason ?? '', /I can't tell the geopolitical region of peering location Atlantis/);
      assert.match(hintText(atlantis?.alternative ?? ''), /keep Premium.*Atlantis is missing/i);
      assert.match(
        words(downgrade(premium('Amsterdam'), vnets(1, 'marsnorth'))),
        /can't tell the geopolitical region of vnet-0 \(in marsnorth\)/,
      );
      assert.match(words(downgrade(premium('Amsterdam'), vnets(1, ''))), /vnet-0 \(region unknown: Resource Graph can't see it\)/);
      assert.equal(downgrade(premium('Atlantis'), []), undefined, 'with no VNet links there is nothing to place');
    });
  });

  describe('reading the links', () => {
    it('should refuse when the links could not be read, saying why, rather than allow the change unread', () => {
      const r = sku.check(
        premium('Amsterdam'),
        { tier: 'Standard' },
        { privateRoutes: 10, linksError: 'Azure is throttling this subscription.' },
      );
      assert.match(r?.reason ?? '', /could not read the VNet links of er-sv-01: Azure is throttling this subscription; try again/);
      assert.match(words(sku.check(premium('Amsterdam'), { tier: 'Standard' }, { privateRoutes: 10 })), /could not read the VNet links/);
    });

    it('should keep a reader failure as a fact, and read the links across the customer subscriptions', async () => {
      const reader = {
        listBgpNeighbours: () => Promise.resolve({ value: [], fetchedAt: 0, fromCache: false }),
      } as unknown as KindContext['reader'];
      const scope = { tenantId: 't', subscriptionId: 's1' };
      const asked: Array<readonly string[]> = [];
      const links: CircuitLinksReader = {
        listVnetLinks: (_scope, subscriptions) => {
          asked.push(subscriptions);
          return Promise.reject(new CodedError(ErrorCode.ArmThrottled, 'Azure is throttling requests.'));
        },
      };
      const facts = await sku.gather({ scope, subscriptions: ['s1', 's2'], reader, links }, premium('Amsterdam'), { tier: 'Standard' });
      assert.deepEqual(asked, [['s1', 's2']]);
      assert.deepEqual(facts, { privateRoutes: 0, linksError: 'Azure is throttling requests' });
      assert.match(words(sku.check(premium('Amsterdam'), { tier: 'Standard' }, facts)), /Azure is throttling requests; try again/);
    });
  });

  describe('the table of geopolitical regions', () => {
    it('should follow Microsoft table: separate Japan, South Korea, India, Oceania, Asia, UAE, Qatar, Israel', () => {
      const regions = new Map([
        ['japaneast', 'Japan'],
        ['koreasouth', 'South Korea'],
        ['centralindia', 'India'],
        ['australiasoutheast', 'Oceania'],
        ['eastasia', 'Asia'],
        ['uaenorth', 'UAE'],
        ['qatarcentral', 'Qatar'],
        ['israelcentral', 'Israel'],
        ['canadaeast', 'North America'],
        ['brazilsouth', 'South America'],
        ['southafricanorth', 'South Africa'],
        ['australiacentral', 'Australia Government'],
        ['West Europe', 'Europe'],
      ]);
      for (const [region, geo] of regions) assert.equal(geopoliticalRegionOfAzureRegion(region), geo, region);
      for (const [location, geo] of [
        ['Newport (Wales)', 'Europe'],
        ['Newport(Wales)', 'Europe'],
        ['washington dc2', 'North America'],
        ['Queretaro', 'North America'],
        ['Seoul', 'South Korea'],
        ['Osaka', 'Japan'],
        ['Chennai2', 'India'],
        ['Auckland', 'Oceania'],
        ['Hong Kong2', 'Asia'],
        ['Dubai2', 'UAE'],
      ]) {
        assert.equal(geopoliticalRegionOfPeeringLocation(location ?? ''), geo, location);
      }
      assert.equal(geopoliticalRegionOfPeeringLocation('Atlantis'), undefined);
      assert.equal(geopoliticalRegionOfAzureRegion('marsnorth'), undefined);
    });

    it('should agree with the simulator own table on every published entry, the simulator carrying only those', () => {
      // The bot's extras, each a "Local Azure region" or a location of the page's providers table, not of the
      // published geopolitical table: the simulator must not share them.
      const extraLocations = [
        'Stockholm2',
        'Atlanta2',
        'Dallas2',
        'Phoenix2',
        'Portland',
        'Jakarta2',
        'Kuala Lumpur2',
        'Taipei2',
        'Melbourne2',
      ];
      const extraRegions = [
        'spaincentral',
        'mexicocentral',
        'indonesiacentral',
        'malaysiawest',
        'taiwannorth',
        'newzealandnorth',
        'brazilsoutheast',
      ];
      for (const l of extraLocations) assert.equal(geoOfPeeringLocation(l), undefined, l);
      for (const r of extraRegions) assert.equal(geoOfAzureRegion(r), undefined, r);
      let shared = 0;
      for (const g of GEOPOLITICAL_REGIONS) {
        for (const l of g.peeringLocations.filter((x) => !extraLocations.includes(x))) {
          assert.equal(geoOfPeeringLocation(l), g.name, l);
          shared++;
        }
        for (const r of g.azureRegions.filter((x) => !extraRegions.includes(x))) {
          assert.equal(geoOfAzureRegion(r), g.name, r);
          shared++;
        }
      }
      assert.ok(shared > 150, 'every published entry is in both tables');
    });
  });
});

describe('sku: → Local against the VNet links, the peering location and Global Reach', () => {
  const toLocal = (c: Circuit, links: VnetLink[] | undefined, extra: Record<string, unknown> = {}) =>
    sku.check(c, { tier: 'Local', family: 'UnlimitedData' }, { privateRoutes: 10, ...(links ? { vnetLinks: links } : {}), ...extra });
  const standard = (peeringLocation: string, o: { globalReach?: string[] } = {}) =>
    premium(peeringLocation, { ...o, sku: { tier: 'Standard', family: 'MeteredData' } });

  it('should allow VNets in the peering location local region only, where Standard allows the whole geopolitical region', () => {
    assert.equal(toLocal(premium('Amsterdam'), vnets(2, 'westeurope')), undefined);
    assert.equal(toLocal(standard('Amsterdam'), vnets(2, 'West Europe')), undefined);
    // North Europe is in Amsterdam's geopolitical region (Standard takes it) but not local to Amsterdam.
    assert.equal(downgrade(premium('Amsterdam'), vnets(1, 'northeurope')), undefined);
    const r = toLocal(premium('Amsterdam'), [...vnets(1, 'westeurope'), ...vnets(1, 'northeurope', 'neu')]);
    assert.match(
      r?.reason ?? '',
      /ExpressRoute Local at Amsterdam reaches West Europe only; 1 VNet link is elsewhere .*: neu-0 \(northeurope\)/,
    );
    assert.match(hintText(r?.alternative ?? ''), /Unlink it first .*or keep Premium/);
    assert.match(words(toLocal(standard('Amsterdam'), vnets(1, 'eastus'))), /reaches West Europe only.*vnet-0 \(eastus\).*keep Standard/);
  });

  it('should know locations with two local regions, and fail closed on a VNet whose region is unknown', () => {
    assert.equal(toLocal(premium('Washington DC'), [...vnets(1, 'eastus'), ...vnets(1, 'eastus2', 'e2')]), undefined);
    assert.match(words(toLocal(premium('Washington DC'), vnets(1, 'centralus'))), /reaches East US and East US 2 only/);
    assert.match(words(toLocal(premium('Amsterdam'), vnets(1, ''))), /vnet-0 \(region unknown: Resource Graph can't see it\)/);
  });

  it('should refuse where Local is not offered, and a peering location it does not know', () => {
    assert.match(words(toLocal(premium('Atlanta'), [])), /ExpressRoute Local isn't available at peering location Atlanta/);
    assert.match(
      words(toLocal(premium('Atlantis'), [])),
      /can't tell which Azure regions ExpressRoute Local reaches from peering location Atlantis/,
    );
  });

  it('should refuse Global Reach, which Local does not support', () => {
    const r = toLocal(standard('Amsterdam', { globalReach: ['gr-ams-lon'] }), []);
    assert.match(r?.reason ?? '', /1 Global Reach connection \(gr-ams-lon\), and ExpressRoute Global Reach isn't available on Local/);
    assert.match(hintText(r?.alternative ?? ''), /Remove the Global Reach connections first, or keep Standard/);
  });

  it('should keep Standard limits from Premium, and refuse when the links could not be read', () => {
    assert.match(words(toLocal(premium('Amsterdam'), vnets(11, 'westeurope'))), /links 11 VNets; Local allows at most 10/);
    assert.match(words(toLocal(premium('Amsterdam'), vnets(1, 'westeurope'), { privateRoutes: 4000 })), /receives 4000 routes/);
    assert.match(
      words(toLocal(standard('Amsterdam'), undefined, { linksError: 'Azure is throttling requests.' })),
      /could not read the VNet links of er-sv-01: Azure is throttling requests; try again.*Standard → Local/,
    );
  });

  it('should read the links for Standard → Local, and nothing for a family change alone', async () => {
    const reader = {
      listBgpNeighbours: () => Promise.reject(new Error('no routes are read for Standard')),
    } as unknown as KindContext['reader'];
    let reads = 0;
    const links: CircuitLinksReader = {
      listVnetLinks: () => {
        reads++;
        return Promise.resolve(vnets(1, 'westeurope'));
      },
    };
    const ctx = { scope: { tenantId: 't', subscriptionId: 's1' }, subscriptions: ['s1'], reader, links };
    const facts = await sku.gather(ctx, standard('Amsterdam'), { tier: 'Local', family: 'UnlimitedData' });
    assert.deepEqual(facts, { vnetLinks: vnets(1, 'westeurope') });
    assert.deepEqual(await sku.gather(ctx, standard('Amsterdam'), { family: 'UnlimitedData' }), {});
    assert.equal(reads, 1);
  });
});
