import assert from 'node:assert/strict';
import { DEMO_CUSTOMERS } from '../../src/demo/customers';
import { buildDemoFleet, startSimulator, type RunningSimulator } from '../../src/simulator';
import { ManualClock, rawRequest } from './raw-request';

/**
 * Issue 10, item 4, on the simulator's own: ARM refuses a route filter rule with a BGP community the
 * subscription is not authorized to use (isAuthorizedToUse false in its bgpServiceCommunities list: Microsoft
 * 365 before Microsoft has authorized it), and accepts a private peer ASN on Microsoft peering (Azure validates
 * it by hand). The demo's Contoso subscription is authorized for Microsoft 365; Fabrikam's is not.
 */

const CONTOSO = DEMO_CUSTOMERS.contoso.subscriptions[0] ?? '';
const FABRIKAM = DEMO_CUSTOMERS.fabrikam.subscriptions[0] ?? '';
const FAB_NET = `/subscriptions/${FABRIKAM}/resourceGroups/rg-fabrikam-er/providers/Microsoft.Network`;
const CON_NET = `/subscriptions/${CONTOSO}/resourceGroups/rg-contoso-network/providers/Microsoft.Network`;
const AMS = `${CON_NET}/expressRouteCircuits/contoso-ams-er1`;

type Body = {
  properties?: Record<string, unknown>;
  value?: { properties: { bgpCommunities: { communityValue: string; isAuthorizedToUse: boolean; serviceGroup: string }[] } }[];
  error?: { code?: string; message?: string };
};
const rule = (...communities: string[]) => ({ properties: { access: 'Allow', routeFilterRuleType: 'Community', communities } });

describe('simulator: Microsoft peering write rules (issue 10, item 4)', () => {
  let sim: RunningSimulator;
  beforeEach(async () => {
    sim = await startSimulator({ fleet: buildDemoFleet(), clock: new ManualClock() });
  });
  afterEach(() => sim.close());
  const put = async (path: string, body: unknown) => {
    const r = await rawRequest(sim, 'PUT', path, { body });
    return { status: r.status, body: r.body as Body };
  };

  it('should mark Microsoft 365 communities isAuthorizedToUse only for an authorized subscription', async () => {
    const flags = async (sub: string) => {
      const list = (await rawRequest(sim, 'GET', `/subscriptions/${sub}/providers/Microsoft.Network/bgpServiceCommunities`)).body as Body;
      const all = (list.value ?? []).flatMap((s) => s.properties.bgpCommunities);
      return new Map(all.map((c) => [c.communityValue, c.isAuthorizedToUse]));
    };
    const [contoso, fabrikam] = [await flags(CONTOSO), await flags(FABRIKAM)];
    assert.equal(contoso.get('12076:5010'), true);
    assert.equal(fabrikam.get('12076:5010'), false, 'Exchange Online (O365) needs authorization');
    assert.equal(fabrikam.get('12076:51004'), true, 'an Azure region needs none');
  });

  it('should refuse a route filter, or a rule, with a Microsoft 365 community the subscription is not authorized to use', async () => {
    const create = await put(`${FAB_NET}/routeFilters/rf-m365`, {
      location: 'westus2',
      properties: { rules: [{ name: 'allow', ...rule('12076:51004', '12076:5010') }] },
    });
    assert.equal(create.status, 400, JSON.stringify(create.body));
    assert.equal(create.body.error?.code, 'BgpCommunityNotAuthorized');
    assert.match(create.body.error?.message ?? '', /'12076:5010' \(Exchange Online\).*Microsoft 365/);

    const azureOnly = await put(`${FAB_NET}/routeFilters/rf-azure`, {
      location: 'westus2',
      properties: { rules: [{ name: 'allow', ...rule('12076:51004') }] },
    });
    assert.equal(azureOnly.status, 201, JSON.stringify(azureOnly.body));
    const ruleChange = await put(`${FAB_NET}/routeFilters/rf-azure/routeFilterRules/allow`, rule('12076:51004', '12076:5020'));
    assert.equal(ruleChange.status, 400, JSON.stringify(ruleChange.body));
    assert.equal(ruleChange.body.error?.code, 'BgpCommunityNotAuthorized');

    const contoso = await put(`${CON_NET}/routeFilters/rf-m365-new`, {
      location: 'westeurope',
      properties: { rules: [{ name: 'allow', ...rule('12076:5010') }] },
    });
    assert.equal(contoso.status, 201, 'an authorized subscription may');
  });

  it('should accept a private peer ASN on Microsoft peering (manual validation), but not an Azure-reserved one', async () => {
    const ms = (await rawRequest(sim, 'GET', `${AMS}/peerings/MicrosoftPeering`)).body as Body;
    const privateAsn = await put(`${AMS}/peerings/MicrosoftPeering`, { properties: { ...ms.properties, peerASN: 65010 } });
    assert.equal(privateAsn.status, 200, JSON.stringify(privateAsn.body));
    const reserved = await put(`${AMS}/peerings/MicrosoftPeering`, { properties: { ...ms.properties, peerASN: 65515 } });
    assert.equal(reserved.status, 400);
  });
});
