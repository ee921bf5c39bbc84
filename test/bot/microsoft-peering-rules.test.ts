import assert from 'node:assert/strict';
import { buildDemoFleet } from '../../src/simulator';
import { addRouteFilter } from '../../src/simulator/fleet-gen/network-resources';
import { Harness } from '../support/harness';
import { textOf, validCard } from '../support/cards';
import { requestIdOf } from '../support/change-cards';
import { PEOPLE, changeDirectory } from '../support/change-world';
import { CIRCUIT_IDS, SUBSCRIPTIONS } from '../support/demo-world';

/**
 * Issue 10, item 4: Microsoft peering as Azure really has it (DESIGN.md, Rules, Microsoft peering), over real
 * HTTP against the simulator:
 * - advertisedPublicPrefixesState ValidationNeeded is its own verdict, not "both BGP sessions down";
 * - a Microsoft peering without a route filter is flagged, with the command that attaches one;
 * - a Microsoft 365 community the subscription is not authorized to use (isAuthorizedToUse) is refused;
 * - a private peer ASN is accepted, with a warning that Microsoft validates it by hand.
 */

const NW = 'providers/Microsoft.Network';
const AMS = CIRCUIT_IDS.contosoAms;
const LON = `/subscriptions/${SUBSCRIPTIONS.contoso0}/resourceGroups/rg-contoso-network/${NW}/expressRouteCircuits/contoso-lon-er2`;

type Body = { properties: Record<string, unknown> & { peerings: Body[] }; id: string; name: string };

/**
 * The demo fleet, with contoso-ams-er1's Microsoft peering waiting for prefix validation (both sessions Idle, as
 * Azure keeps them), contoso-lon-er2 given a Microsoft peering with no route filter, and a Fabrikam route filter
 * that allows only an Azure region (Fabrikam's subscription is not authorized for Microsoft 365).
 */
function fleet(): Record<string, unknown> {
  const f = buildDemoFleet() as Record<string, unknown>;
  const ams = f[AMS] as Body;
  const ms = ams.properties.peerings.find((p) => p.name === 'MicrosoftPeering')!;
  const copy = structuredClone(ms);
  (ms.properties.microsoftPeeringConfig as Record<string, unknown>).advertisedPublicPrefixesState = 'ValidationNeeded';
  for (const side of ['primary', 'secondary']) {
    const key = `${AMS}/peerings/MicrosoftPeering/routeTablesSummary/${side}`;
    const summary = structuredClone(f[key]) as { value: { statePfxRcd: string; upDown: string }[] };
    for (const n of summary.value) Object.assign(n, { statePfxRcd: 'Idle', upDown: 'never' });
    f[key] = summary;
  }
  const lon = f[LON] as Body;
  copy.id = `${LON}/peerings/MicrosoftPeering`;
  delete copy.properties.routeFilter;
  lon.properties.peerings.push(copy);
  for (const key of Object.keys(f).filter((k) => k.startsWith(`${AMS}/peerings/MicrosoftPeering/`))) {
    f[key.replace(AMS, LON)] = structuredClone(f[key]);
  }
  // The copies of AMS's session summaries above are already Idle; LON's own sessions are up.
  for (const side of ['primary', 'secondary']) {
    f[`${LON}/peerings/MicrosoftPeering/routeTablesSummary/${side}`] = {
      value: [{ neighbor: '203.0.113.1', v: 4, as: 64496, upDown: '5d15h', statePfxRcd: '1' }],
    };
  }
  addRouteFilter(f, {
    subscriptionId: SUBSCRIPTIONS.fabrikam0,
    resourceGroup: 'rg-fabrikam-er',
    name: 'rf-fabrikam-azure',
    location: 'westus2',
    ruleName: 'allow-eastus',
    communities: ['12076:51004'],
  });
  return f;
}

describe('bot: Microsoft peering rules (issue 10, item 4)', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => {
    h = await Harness.start({ directory: changeDirectory(), fleet: fleet() });
  });
  after(async () => h?.stop());

  const armWrites = () => (h.app.simulator?.requests ?? []).filter((r) => r.method !== 'GET' && r.method !== 'POST').length;
  const ask = async (command: string) => textOf(validCard(await h.say(PEOPLE.engineer, command)));

  it('should say that Microsoft is validating the advertised prefixes (ValidationNeeded), not just that both BGP sessions are down', async () => {
    const status = await ask('status contoso/contoso-ams-er1');
    assert.match(status, /Microsoft is validating the advertised prefixes \(ValidationNeeded\); until then nothing is advertised/, status);
    assert.match(status, /Next: check that the prefixes are registered to AS 64496 in ARIN/, status);
    assert.doesNotMatch(status, /Both BGP sessions of Microsoft peering are down/, status);
    const peerings = await ask('peerings contoso/contoso-ams-er1');
    assert.match(peerings, /Prefix validation\s*ValidationNeeded: Microsoft is validating the prefixes/, peerings);
  });

  it('should flag a Microsoft peering with no route filter, and say how to attach one', async () => {
    const status = await ask('status contoso/contoso-lon-er2');
    assert.match(status, /Microsoft peering has no route filter: nothing is advertised to you until one is attached/, status);
    assert.match(status, /`filter contoso-lon-er2 attach <filter>`/, status);
    const ams = await ask('status contoso/contoso-ams-er1');
    assert.doesNotMatch(ams, /has no route filter/, 'a peering with a filter is not flagged');
  });

  it('should refuse a Microsoft 365 community the subscription is not authorized to use, naming it and the way forward', async () => {
    const before = armWrites();
    const create = await ask('filter fabrikam/fabrikam-sea-er3 create rf-fabrikam-m365 communities 12076:5010,12076:51004');
    assert.match(create, /not authorized to use the Microsoft 365 community 12076:5010 \(Exchange Online\)/, create);
    assert.match(create, /do not mark it isAuthorizedToUse/, create);
    assert.match(create, /authorize the subscription for Microsoft 365 over ExpressRoute.*without it \(12076:51004\)/s, create);
    const rule = await ask('filter fabrikam/rf-fabrikam-azure communities 12076:51004,12076:5020');
    assert.match(rule, /not authorized to use the Microsoft 365 community 12076:5020 \(SharePoint Online\)/, rule);
    assert.deepEqual(await h.app.store.list({}), [], 'nothing requested');
    assert.equal(armWrites(), before, 'nothing written');
    // Contoso's subscription is authorized: the same community is fine there.
    const ok = validCard(await h.say(PEOPLE.engineer, 'filter contoso/contoso-ams-er1 create rf-contoso-exo communities 12076:5010'));
    assert.match(requestIdOf(ok), /^CR-/);
  });

  it('should accept a private peer ASN on Microsoft peering, warning that Microsoft validates it by hand', async () => {
    const card = validCard(await h.say(PEOPLE.engineer, 'peering contoso/contoso-lon-er2 microsoft asn 65010'));
    const text = textOf(card);
    assert.match(requestIdOf(card), /^CR-/, text);
    assert.match(text, /Peer ASN\s+64496 → 65010/, text);
    assert.match(
      text,
      /Warning: Peer ASN 65010 is private: Azure allows it on Microsoft peering only after manual validation.*Open an Azure support request, or use a public ASN\./,
      text,
    );
  });
});
