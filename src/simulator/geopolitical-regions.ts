/**
 * The simulator's own copy of ExpressRoute's geopolitical regions, exactly as Microsoft's page "ExpressRoute
 * peering locations and connectivity partners" prints them (the include "Azure regions to ExpressRoute locations
 * within a geopolitical region", and "Azure regions and geopolitical boundaries for national clouds"), and
 * nothing more: a region or location the table leaves out is outside every region, so the simulator refuses what
 * it cannot place, as Azure's table would. The page writes India's regions "India West, India Central, India
 * South"; they are written here by their Azure names (West India…) so that ARM locations match. The US Government
 * cloud's ExpressRoute locations are commercial ones too, so they stay with North America. The bot keeps its own
 * table (with more locations, each justified by the page's providers table); neither reads the other's.
 */
const TABLE = `
Australia Government | Australia Central, Australia Central 2 | Canberra, Canberra2
Europe | France Central, France South, Germany North, Germany West Central, Italy North, North Europe, Norway East, Norway West, Poland Central, Sweden Central, Switzerland North, Switzerland West, UK West, UK South, West Europe | Amsterdam, Amsterdam2, Berlin, Copenhagen, Dublin, Dublin2, Frankfurt, Frankfurt2, Geneva, London, London2, Madrid, Madrid2, Marseille, Milan, Milan2, Munich, Newport(Wales), Oslo, Paris, Paris2, Stavanger, Stockholm, Warsaw, Zurich, Zurich2
North America | East US, West US, East US 2, West US 2, West US 3, Central US, South Central US, North Central US, West Central US, Canada Central, Canada East | Atlanta, Chicago, Chicago2, Dallas, Denver, Las Vegas, Los Angeles, Los Angeles2, Miami, Minneapolis, Montreal, New York, Phoenix, Quebec City, Queretaro(Mexico), Quincy, San Antonio, Seattle, Silicon Valley, Silicon Valley2, Toronto, Toronto2, Vancouver, Washington DC, Washington DC2
Asia | East Asia, Southeast Asia | Bangkok, Hong Kong, Hong Kong2, Jakarta, Kuala Lumpur, Singapore, Singapore2, Taipei
India | West India, Central India, South India | Chennai, Chennai2, Mumbai, Mumbai2, Pune
Israel | Israel Central | Tel Aviv, Tel Aviv2
Japan | Japan West, Japan East | Osaka, Tokyo, Tokyo2, Tokyo3
Oceania | Australia East, Australia Southeast | Auckland, Melbourne, Perth, Sydney, Sydney2
South Korea | Korea Central, Korea South | Busan, Seoul, Seoul2
UAE | UAE Central, UAE North | Abu Dhabi, Dubai, Dubai2
South Africa | South Africa West, South Africa North | Cape Town, Johannesburg
South America | Brazil South | Campinas, Rio de Janeiro, Sao Paulo, Sao Paulo2, Santiago
Qatar | Qatar Central | Doha, Doha2
US Government cloud | US Gov Arizona, US Gov Iowa, US Gov Texas, US Gov Virginia, US DoD Central, US DoD East |
China East | China East, China East2 | Shanghai, Shanghai2
China North | China North, China North2, China North3 | Beijing, Beijing2
`;

/** Names compared as ARM compares locations: case, spaces, punctuation and a "(country)" suffix ignored. */
const plain = (name: string) =>
  name
    .replace(/\(.*?\)/g, '')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();

const REGION_OF = new Map<string, string>();
const LOCATION_OF = new Map<string, string>();
for (const line of TABLE.split('\n')) {
  const [geo, regions, locations] = line.split('|').map((part) => part.trim());
  if (!geo) continue;
  for (const r of (regions ?? '').split(',')) if (r.trim()) REGION_OF.set(plain(r), geo);
  for (const l of (locations ?? '').split(',')) if (l.trim()) LOCATION_OF.set(plain(l), geo);
}

/** The geopolitical region of an Azure region (westeurope or West Europe); undefined when not in the table. */
export function geoOfAzureRegion(region: string): string | undefined {
  return REGION_OF.get(plain(region));
}

/** The geopolitical region of an ExpressRoute peering location; undefined when not in the table. */
export function geoOfPeeringLocation(location: string): string | undefined {
  return LOCATION_OF.get(plain(location));
}
