/**
 * ExpressRoute's geopolitical regions, as Microsoft's "ExpressRoute peering locations and connectivity partners"
 * page maps them ("Azure regions to ExpressRoute locations within a geopolitical region", and "Azure regions and
 * geopolitical boundaries for national clouds"). A Standard circuit reaches the Azure regions of the
 * geopolitical region of its *peering location* only; Premium lifts that.
 *
 * Azure regions are ARM location names. Some Azure regions the mapping table leaves out are the "Local Azure
 * region" of a peering location it does list (the page's providers table); they are added to that location's
 * geopolitical region and marked "local region of …". A few peering locations the mapping table leaves out share
 * a city with one it lists, or have a listed local region; they are marked too. Anything else is unknown, and the
 * callers refuse rather than guess: a wrong guess either way cuts a customer off or lets a change fail in Azure.
 */
export interface GeopoliticalRegion {
  name: string;
  azureRegions: readonly string[];
  peeringLocations: readonly string[];
}

export const GEOPOLITICAL_REGIONS: readonly GeopoliticalRegion[] = [
  { name: 'Australia Government', azureRegions: ['australiacentral', 'australiacentral2'], peeringLocations: ['Canberra', 'Canberra2'] },
  {
    name: 'Europe',
    azureRegions: [
      'francecentral',
      'francesouth',
      'germanynorth',
      'germanywestcentral',
      'italynorth',
      'northeurope',
      'norwayeast',
      'norwaywest',
      'polandcentral',
      'swedencentral',
      'switzerlandnorth',
      'switzerlandwest',
      'ukwest',
      'uksouth',
      'westeurope',
      // local region of Madrid
      'spaincentral',
    ],
    peeringLocations: [
      'Amsterdam',
      'Amsterdam2',
      'Berlin',
      'Copenhagen',
      'Dublin',
      'Dublin2',
      'Frankfurt',
      'Frankfurt2',
      'Geneva',
      'London',
      'London2',
      'Madrid',
      'Madrid2',
      'Marseille',
      'Milan',
      'Milan2',
      'Munich',
      'Newport(Wales)',
      'Oslo',
      'Paris',
      'Paris2',
      'Stavanger',
      'Stockholm',
      // local region Sweden Central
      'Stockholm2',
      'Warsaw',
      'Zurich',
      'Zurich2',
    ],
  },
  {
    name: 'North America',
    azureRegions: [
      'eastus',
      'westus',
      'eastus2',
      'westus2',
      'westus3',
      'centralus',
      'southcentralus',
      'northcentralus',
      'westcentralus',
      'canadacentral',
      'canadaeast',
      // local region of Queretaro (Mexico)
      'mexicocentral',
    ],
    peeringLocations: [
      'Atlanta',
      // same city as Atlanta
      'Atlanta2',
      'Chicago',
      'Chicago2',
      'Dallas',
      // same city as Dallas
      'Dallas2',
      'Denver',
      'Las Vegas',
      'Los Angeles',
      'Los Angeles2',
      'Miami',
      'Minneapolis',
      'Montreal',
      'New York',
      'Phoenix',
      // local region West US 3, as Phoenix
      'Phoenix2',
      // local region West US 2
      'Portland',
      'Quebec City',
      'Queretaro(Mexico)',
      'Quincy',
      'San Antonio',
      'Seattle',
      'Silicon Valley',
      'Silicon Valley2',
      'Toronto',
      'Toronto2',
      'Vancouver',
      'Washington DC',
      'Washington DC2',
    ],
  },
  {
    name: 'Asia',
    // local regions of Jakarta, Kuala Lumpur and Taipei
    azureRegions: ['eastasia', 'southeastasia', 'indonesiacentral', 'malaysiawest', 'taiwannorth'],
    peeringLocations: [
      'Bangkok',
      'Hong Kong',
      'Hong Kong2',
      'Jakarta',
      // local region Indonesia Central, as Jakarta
      'Jakarta2',
      'Kuala Lumpur',
      // local region Malaysia West, as Kuala Lumpur
      'Kuala Lumpur2',
      'Singapore',
      'Singapore2',
      'Taipei',
      // local region Taiwan North, as Taipei
      'Taipei2',
    ],
  },
  {
    name: 'India',
    azureRegions: ['westindia', 'centralindia', 'southindia'],
    peeringLocations: ['Chennai', 'Chennai2', 'Mumbai', 'Mumbai2', 'Pune'],
  },
  { name: 'Israel', azureRegions: ['israelcentral'], peeringLocations: ['Tel Aviv', 'Tel Aviv2'] },
  { name: 'Japan', azureRegions: ['japanwest', 'japaneast'], peeringLocations: ['Osaka', 'Tokyo', 'Tokyo2', 'Tokyo3'] },
  {
    name: 'Oceania',
    // local region of Auckland
    azureRegions: ['australiaeast', 'australiasoutheast', 'newzealandnorth'],
    // Melbourne2: local region Australia Southeast, as Melbourne
    peeringLocations: ['Auckland', 'Melbourne', 'Melbourne2', 'Perth', 'Sydney', 'Sydney2'],
  },
  { name: 'South Korea', azureRegions: ['koreacentral', 'koreasouth'], peeringLocations: ['Busan', 'Seoul', 'Seoul2'] },
  { name: 'UAE', azureRegions: ['uaecentral', 'uaenorth'], peeringLocations: ['Abu Dhabi', 'Dubai', 'Dubai2'] },
  { name: 'South Africa', azureRegions: ['southafricawest', 'southafricanorth'], peeringLocations: ['Cape Town', 'Johannesburg'] },
  {
    name: 'South America',
    // local region of Rio de Janeiro
    azureRegions: ['brazilsouth', 'brazilsoutheast'],
    peeringLocations: ['Campinas', 'Rio de Janeiro', 'Sao Paulo', 'Sao Paulo2', 'Santiago'],
  },
  { name: 'Qatar', azureRegions: ['qatarcentral'], peeringLocations: ['Doha', 'Doha2'] },
  // National clouds. Their regions are known so that a link into one reads as another geopolitical region; the
  // US Government cloud's peering locations are commercial ones too, so only China's are listed.
  {
    name: 'US Government cloud',
    azureRegions: ['usgovarizona', 'usgoviowa', 'usgovtexas', 'usgovvirginia', 'usdodcentral', 'usdodeast'],
    peeringLocations: [],
  },
  { name: 'China East', azureRegions: ['chinaeast', 'chinaeast2'], peeringLocations: ['Shanghai', 'Shanghai2'] },
  { name: 'China North', azureRegions: ['chinanorth', 'chinanorth2', 'chinanorth3'], peeringLocations: ['Beijing', 'Beijing2'] },
];

/** "West Europe" and "westeurope" alike. */
const regionKey = (region: string) => region.replace(/\s+/g, '').toLowerCase();
/** "Newport(Wales)", "Newport (Wales)" and "newport" alike; "Washington DC2" and "washingtondc2" alike. */
const locationKey = (location: string) =>
  location
    .replace(/\(.*?\)/g, '')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();

const BY_REGION = new Map<string, string>();
const BY_LOCATION = new Map<string, string>();
for (const g of GEOPOLITICAL_REGIONS) {
  for (const r of g.azureRegions) BY_REGION.set(regionKey(r), g.name);
  for (const l of g.peeringLocations) BY_LOCATION.set(locationKey(l), g.name);
}

/** The geopolitical region of an Azure region (ARM name or display name); undefined when the table has no such region. */
export function geopoliticalRegionOfAzureRegion(azureRegion: string): string | undefined {
  return BY_REGION.get(regionKey(azureRegion));
}

/** The geopolitical region of an ExpressRoute peering location; undefined when the table has no such location. */
export function geopoliticalRegionOfPeeringLocation(peeringLocation: string): string | undefined {
  return BY_LOCATION.get(locationKey(peeringLocation));
}
