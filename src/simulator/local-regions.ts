/**
 * The simulator's own copy of ExpressRoute Local's reach, the "Local Azure regions" column of Microsoft's page
 * "ExpressRoute peering locations and connectivity partners" (Global commercial Azure): per peering location, the
 * Azure regions a Local circuit there reaches, or none where the page marks Local unavailable (&cross;). A
 * location the page does not list is not here either. The bot keeps its own table; neither reads the other's.
 */
const TABLE = `
Abu Dhabi: UAE Central
Amsterdam: West Europe
Amsterdam2: West Europe
Atlanta:
Atlanta2:
Auckland: New Zealand North
Bangkok:
Berlin: Germany North
Brussels:
Brussels2:
Busan: Korea South
Campinas: Brazil South
Canberra: Australia Central
Canberra2: Australia Central 2
Cape Town: South Africa West
Chennai: South India
Chennai2: South India
Chicago: North Central US
Chicago2: North Central US
Copenhagen:
Dallas:
Dallas2:
Denver: West Central US
Doha: Qatar Central
Doha2: Qatar Central
Dubai: UAE North
Dubai2: UAE North
Dublin: North Europe
Dublin2: North Europe
Frankfurt: Germany West Central
Frankfurt2: Germany West Central
Geneva: Switzerland West
Hong Kong: East Asia
Hong Kong2: East Asia
Jakarta: Indonesia Central
Jakarta2: Indonesia Central
Johannesburg: South Africa North
Kuala Lumpur: Malaysia West
Kuala Lumpur2: Malaysia West
Las Vegas:
London: UK South
London2: UK South
Los Angeles:
Los Angeles2:
Madrid: Spain Central
Madrid2: Spain Central
Marseille: France South
Melbourne: Australia Southeast
Melbourne2: Australia Southeast
Miami:
Milan: Italy North
Milan2: Italy North
Minneapolis:
Montreal:
Mumbai: West India
Mumbai2: West India
Munich:
New York:
Newport(Wales): UK West
Osaka: Japan West
Oslo: Norway East
Paris: France Central
Paris2: France Central
Perth:
Phoenix: West US 3
Phoenix2: West US 3
Portland: West US 2
Pune: Central India
Quebec City: Canada East
Queretaro (Mexico): Mexico Central
Quincy: West US 2
Rio de Janeiro: Brazil Southeast
San Antonio: South Central US
Santiago:
Sao Paulo: Brazil South
Sao Paulo2: Brazil South
Seattle: West US 2
Seoul: Korea Central
Seoul2: Korea Central
Silicon Valley: West US
Silicon Valley2: West US
Singapore: Southeast Asia
Singapore2: Southeast Asia
Stavanger: Norway West
Stockholm: Sweden Central
Stockholm2: Sweden Central
Sydney: Australia East
Sydney2: Australia East
Taipei: Taiwan North
Taipei2: Taiwan North
Tel Aviv: Israel Central
Tel Aviv2: Israel Central
Tokyo: Japan East
Tokyo2: Japan East
Tokyo3: Japan East
Toronto: Canada Central
Toronto2: Canada Central
Vancouver:
Vienna:
Vienna2:
Warsaw: Poland Central
Washington DC: East US, East US 2
Washington DC2: East US, East US 2
Zurich: Switzerland North
Zurich2: Switzerland North
`;

/** Names compared as ARM compares locations: case, spaces, punctuation and a "(country)" suffix ignored. */
export const plainLocation = (name: string) =>
  name
    .replace(/\(.*?\)/g, '')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();

const LOCAL = new Map<string, string[]>();
for (const line of TABLE.split('\n')) {
  const at = line.indexOf(':');
  if (at < 0) continue;
  const regions = line
    .slice(at + 1)
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  LOCAL.set(plainLocation(line.slice(0, at)), regions);
}

/** The Azure regions (display names) Local reaches from a peering location: [] where it is not offered, undefined when unlisted. */
export function localRegionsOf(location: string): string[] | undefined {
  return LOCAL.get(plainLocation(location));
}
