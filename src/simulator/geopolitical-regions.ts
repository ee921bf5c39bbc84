/**
 * The simulator's own copy of ExpressRoute's geopolitical regions, written as Microsoft's page "ExpressRoute
 * peering locations and connectivity partners" prints them: per region, its Azure regions (display names) and
 * its ExpressRoute locations, from "Azure regions to ExpressRoute locations within a geopolitical region". A few
 * Azure regions the page's mapping leaves out are added where the page's providers table names them as a listed
 * location's "Local Azure region" (Spain Central: Madrid; Mexico Central: Queretaro; Indonesia Central: Jakarta;
 * Malaysia West: Kuala Lumpur; Taiwan North: Taipei; New Zealand North: Auckland; Brazil Southeast: Rio de
 * Janeiro), and likewise a few locations (Stockholm2, Portland, Jakarta2, Kuala Lumpur2, Taipei2, Melbourne2,
 * Phoenix2) and the second sites of Atlanta and Dallas. The bot keeps its own table; neither reads the other's.
 */
const TABLE = `
Australia Government | Australia Central, Australia Central 2 | Canberra, Canberra2
Europe | France Central, France South, Germany North, Germany West Central, Italy North, North Europe, Norway East, Norway West, Poland Central, Sweden Central, Switzerland North, Switzerland West, UK West, UK South, West Europe, Spain Central | Amsterdam, Amsterdam2, Berlin, Copenhagen, Dublin, Dublin2, Frankfurt, Frankfurt2, Geneva, London, London2, Madrid, Madrid2, Marseille, Milan, Milan2, Munich, Newport(Wales), Oslo, Paris, Paris2, Stavanger, Stockholm, Stockholm2, Warsaw, Zurich, Zurich2
North America | East US, West US, East US 2, West US 2, West US 3, Central US, South Central US, North Central US, West Central US, Canada Central, Canada East, Mexico Central | Atlanta, Atlanta2, Chicago, Chicago2, Dallas, Dallas2, Denver, Las Vegas, Los Angeles, Los Angeles2, Miami, Minneapolis, Montreal, New York, Phoenix, Phoenix2, Portland, Quebec City, Queretaro(Mexico), Quincy, San Antonio, Seattle, Silicon Valley, Silicon Valley2, Toronto, Toronto2, Vancouver, Washington DC, Washington DC2
Asia | East Asia, Southeast Asia, Indonesia Central, Malaysia West, Taiwan North | Bangkok, Hong Kong, Hong Kong2, Jakarta, Jakarta2, Kuala Lumpur, Kuala Lumpur2, Singapore, Singapore2, Taipei, Taipei2
India | West India, Central India, South India | Chennai, Chennai2, Mumbai, Mumbai2, Pune
Israel | Israel Central | Tel Aviv, Tel Aviv2
Japan | Japan West, Japan East | Osaka, Tokyo, Tokyo2, Tokyo3
Oceania | Australia East, Australia Southeast, New Zealand North | Auckland, Melbourne, Melbourne2, Perth, Sydney, Sydney2
South Korea | Korea Central, Korea South | Busan, Seoul, Seoul2
UAE | UAE Central, UAE North | Abu Dhabi, Dubai, Dubai2
South Africa | South Africa West, South Africa North | Cape Town, Johannesburg
South America | Brazil South, Brazil Southeast | Campinas, Rio de Janeiro, Sao Paulo, Sao Paulo2, Santiago
Qatar | Qatar Central | Doha, Doha2
US Government cloud | US Gov Arizona, US Gov Iowa, US Gov Texas, US Gov Virginia, US DoD Central, US DoD East |
China East | China East, China East 2 | Shanghai, Shanghai2
China North | China North, China North 2, China North 3 | Beijing, Beijing2
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
