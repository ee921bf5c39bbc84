/**
 * ExpressRoute Local's reach per peering location, from the "Local Azure regions" column of Microsoft's page
 * "ExpressRoute peering locations and connectivity partners" (Global commercial Azure; "&cross; indicates that
 * ExpressRoute Local isn't available at that peering location"). The ExpressRoute FAQ: "a Local circuit at an
 * ExpressRoute peering location gives you access only to one or two Azure regions in or near the same metro".
 *
 * A location maps to its local Azure regions (display names, as the page prints them), or to none when Local is
 * not offered there. A location the table does not have is unknown, and the caller refuses rather than guesses.
 */
const LOCAL_REGIONS: Readonly<Record<string, readonly string[]>> = {
  'Abu Dhabi': ['UAE Central'],
  Amsterdam: ['West Europe'],
  Amsterdam2: ['West Europe'],
  Atlanta: [],
  Atlanta2: [],
  Auckland: ['New Zealand North'],
  Bangkok: [],
  Berlin: ['Germany North'],
  Brussels: [],
  Brussels2: [],
  Busan: ['Korea South'],
  Campinas: ['Brazil South'],
  Canberra: ['Australia Central'],
  Canberra2: ['Australia Central 2'],
  'Cape Town': ['South Africa West'],
  Chennai: ['South India'],
  Chennai2: ['South India'],
  Chicago: ['North Central US'],
  Chicago2: ['North Central US'],
  Copenhagen: [],
  Dallas: [],
  Dallas2: [],
  Denver: ['West Central US'],
  Doha: ['Qatar Central'],
  Doha2: ['Qatar Central'],
  Dubai: ['UAE North'],
  Dubai2: ['UAE North'],
  Dublin: ['North Europe'],
  Dublin2: ['North Europe'],
  Frankfurt: ['Germany West Central'],
  Frankfurt2: ['Germany West Central'],
  Geneva: ['Switzerland West'],
  'Hong Kong': ['East Asia'],
  'Hong Kong2': ['East Asia'],
  Jakarta: ['Indonesia Central'],
  Jakarta2: ['Indonesia Central'],
  Johannesburg: ['South Africa North'],
  'Kuala Lumpur': ['Malaysia West'],
  'Kuala Lumpur2': ['Malaysia West'],
  'Las Vegas': [],
  London: ['UK South'],
  London2: ['UK South'],
  'Los Angeles': [],
  'Los Angeles2': [],
  Madrid: ['Spain Central'],
  Madrid2: ['Spain Central'],
  Marseille: ['France South'],
  Melbourne: ['Australia Southeast'],
  Melbourne2: ['Australia Southeast'],
  Miami: [],
  Milan: ['Italy North'],
  Milan2: ['Italy North'],
  Minneapolis: [],
  Montreal: [],
  Mumbai: ['West India'],
  Mumbai2: ['West India'],
  Munich: [],
  'New York': [],
  'Newport(Wales)': ['UK West'],
  Osaka: ['Japan West'],
  Oslo: ['Norway East'],
  Paris: ['France Central'],
  Paris2: ['France Central'],
  Perth: [],
  Phoenix: ['West US 3'],
  Phoenix2: ['West US 3'],
  Portland: ['West US 2'],
  Pune: ['Central India'],
  'Quebec City': ['Canada East'],
  'Queretaro (Mexico)': ['Mexico Central'],
  Quincy: ['West US 2'],
  'Rio de Janeiro': ['Brazil Southeast'],
  'San Antonio': ['South Central US'],
  Santiago: [],
  'Sao Paulo': ['Brazil South'],
  'Sao Paulo2': ['Brazil South'],
  Seattle: ['West US 2'],
  Seoul: ['Korea Central'],
  Seoul2: ['Korea Central'],
  'Silicon Valley': ['West US'],
  'Silicon Valley2': ['West US'],
  Singapore: ['Southeast Asia'],
  Singapore2: ['Southeast Asia'],
  Stavanger: ['Norway West'],
  Stockholm: ['Sweden Central'],
  Stockholm2: ['Sweden Central'],
  Sydney: ['Australia East'],
  Sydney2: ['Australia East'],
  Taipei: ['Taiwan North'],
  Taipei2: ['Taiwan North'],
  'Tel Aviv': ['Israel Central'],
  'Tel Aviv2': ['Israel Central'],
  Tokyo: ['Japan East'],
  Tokyo2: ['Japan East'],
  Tokyo3: ['Japan East'],
  Toronto: ['Canada Central'],
  Toronto2: ['Canada Central'],
  Vancouver: [],
  Vienna: [],
  Vienna2: [],
  Warsaw: ['Poland Central'],
  'Washington DC': ['East US', 'East US 2'],
  'Washington DC2': ['East US', 'East US 2'],
  Zurich: ['Switzerland North'],
  Zurich2: ['Switzerland North'],
};

/** "West Europe" and "westeurope" alike. */
export const azureRegionKey = (region: string) => region.replace(/\s+/g, '').toLowerCase();
/** "Queretaro (Mexico)", "Queretaro(Mexico)" and "queretaro" alike; "Washington DC2" and "washingtondc2" alike. */
const locationKey = (location: string) =>
  location
    .replace(/\(.*?\)/g, '')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();

const BY_LOCATION = new Map(Object.entries(LOCAL_REGIONS).map(([location, regions]) => [locationKey(location), regions]));

/**
 * The Azure regions (display names) ExpressRoute Local reaches from a peering location: [] when Local is not
 * offered there, undefined when the location is not in the table.
 */
export function localRegionsOfPeeringLocation(peeringLocation: string): readonly string[] | undefined {
  return BY_LOCATION.get(locationKey(peeringLocation));
}
