/**
 * Azure regions by geopolitical region, as ExpressRoute's "cross-geopolitical" limit counts them (a Standard
 * circuit may only link VNets in its own geopolitical region; Premium lifts that). Unknown regions return
 * undefined and are treated as crossing, because being wrong the other way cuts a customer off.
 */
const GEO: Record<string, readonly string[]> = {
  'North America': [
    'eastus',
    'eastus2',
    'centralus',
    'northcentralus',
    'southcentralus',
    'westcentralus',
    'westus',
    'westus2',
    'westus3',
    'canadacentral',
    'canadaeast',
    'mexicocentral',
  ],
  'South America': ['brazilsouth', 'brazilsoutheast', 'chilecentral'],
  Europe: [
    'northeurope',
    'westeurope',
    'uksouth',
    'ukwest',
    'francecentral',
    'francesouth',
    'germanywestcentral',
    'germanynorth',
    'switzerlandnorth',
    'switzerlandwest',
    'norwayeast',
    'norwaywest',
    'swedencentral',
    'swedensouth',
    'polandcentral',
    'italynorth',
    'spaincentral',
    'austriaeast',
    'belgiumcentral',
    'denmarkeast',
  ],
  'Asia Pacific': [
    'eastasia',
    'southeastasia',
    'japaneast',
    'japanwest',
    'koreacentral',
    'koreasouth',
    'centralindia',
    'southindia',
    'westindia',
    'jioindiawest',
    'jioindiacentral',
    'indonesiacentral',
    'malaysiawest',
    'newzealandnorth',
  ],
  Australia: ['australiaeast', 'australiasoutheast', 'australiacentral', 'australiacentral2'],
  'Middle East': ['uaenorth', 'uaecentral', 'qatarcentral', 'israelcentral', 'saudiarabiaeast'],
  Africa: ['southafricanorth', 'southafricawest'],
  China: ['chinaeast', 'chinaeast2', 'chinaeast3', 'chinanorth', 'chinanorth2', 'chinanorth3'],
  'US Government': ['usgovvirginia', 'usgovtexas', 'usgovarizona', 'usdodeast', 'usdodcentral'],
};

const BY_REGION = new Map<string, string>();
for (const [geo, regions] of Object.entries(GEO)) for (const r of regions) BY_REGION.set(r, geo);

export function geopoliticalRegion(azureRegion: string): string | undefined {
  return BY_REGION.get(azureRegion.replace(/\s+/g, '').toLowerCase());
}
