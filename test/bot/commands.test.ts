import assert from 'node:assert/strict';
import { Harness } from '../support/harness';
import { answerTo, buttonOf, buttonsOf, clickFinal, intentOf, linesOf, textOf } from '../support/cards';
import { CONTOSO_VIEWER, ENGINEER, ONCALL } from '../support/demo-world';

/**
 * One scenario per query command (DESIGN.md Contract 1) over real HTTP against the demo fleet: typed, and
 * through the card's own buttons. Assertions are on what a user reads on the card.
 */
describe('bot: every query command, typed and clicked', function () {
  let h: Harness;
  before(async () => {
    h = await Harness.start();
  });
  after(async () => h?.stop());

  const tenant = {
    contoso: '11111111-1111-4111-8111-111111111111',
    fabrikam: '22222222-2222-4222-8222-222222222222',
    northwind: '33333333-3333-4333-8333-333333333333',
  };

  describe('help', () => {
    it('lists the query commands with examples', async () => {
      const card = await answerTo(h, ENGINEER, 'help');
      const text = textOf(card);
      for (const usage of [
        'help [command]',
        'customers',
        'circuits [customer]',
        'status [customer|circuit]',
        'circuit <circuit>',
        'bandwidth <circuit>',
        'routes <circuit> [private|microsoft] [primary|secondary]',
        'bgp <circuit> [private|microsoft]',
        'arp <circuit> [private|microsoft] [primary|secondary]',
        'peerings <circuit>',
        'filters [customer]',
        'udr [customer|route table]',
      ]) {
        const shown = usage.replace(/</g, '‹').replace(/>/g, '›');
        assert.ok(text.includes(shown), `help lists ${shown}`);
      }
      assert.match(text, /You can see 3 customers/);
      assert.match(text, /demo mode/);
    });

    it('`help routes` explains that one command only', async () => {
      const text = textOf(await answerTo(h, ENGINEER, 'help routes'));
      assert.match(text, /routes ‹circuit› \[private\|microsoft\] \[primary\|secondary\] \[prefix\]/);
      assert.match(text, /defaults to private and the path to primary/);
      assert.doesNotMatch(text, /bandwidth <circuit>/);
    });

    it('an empty message is answered with help', async () => {
      const text = textOf(await answerTo(h, ONCALL, '   '));
      assert.match(text, /Commands you can use/);
    });
  });

  describe('customers and circuits', () => {
    it('`customers` lists the three demo customers with tenant and model; a name opens its circuits', async () => {
      const card = await answerTo(h, ENGINEER, 'customers');
      const text = textOf(card);
      for (const name of ['Contoso Ltd', 'Fabrikam Inc', 'Northwind Traders']) assert.ok(text.includes(name), name);
      for (const id of Object.values(tenant)) assert.ok(text.includes(id), id);
      assert.match(text, /Connect-To/);
      assert.match(text, /Connect-Through/);

      const circuits = await clickFinal(h, ENGINEER, buttonOf(card, 'Fabrikam Inc'));
      const lines = textOf(circuits);
      assert.match(lines, /fabrikam-dal-er1/);
      assert.match(lines, /fabrikam-sea-er3/);
      assert.doesNotMatch(lines, /contoso-ams-er1|northwind-nyc-er1/);
    });

    it('`customers` for the Contoso viewer shows Contoso only', async () => {
      const text = textOf(await answerTo(h, CONTOSO_VIEWER, 'customers'));
      assert.match(text, /Contoso Ltd/);
      assert.doesNotMatch(text, /Fabrikam|Northwind/);
    });

    it('`circuits` lists all 12 circuits with provider, bandwidth, SKU, provider state and health', async () => {
      const card = await answerTo(h, ENGINEER, 'circuits');
      const text = textOf(card);
      assert.match(text, /12 circuits/);
      const lines = linesOf(card);
      // One row: name (button + text), customer, provider · location, bandwidth, SKU, provider state, health.
      const row = lines.indexOf('contoso-fra-er3');
      assert.ok(row >= 0);
      const cells = lines.slice(row, row + 8).join(' | ');
      assert.match(cells, /Contoso Ltd \| Megaport · Frankfurt \| 200 Mbps \| Standard · Metered \| NotProvisioned \| 🟠 Amber/);
      assert.match(text, /ExpressRoute Direct \(100 Gbps port\)/);
      assert.match(text, /Premium · Unlimited/);
    });

    it("`circuits northwind` lists only Northwind's, and a circuit name opens its detail card", async () => {
      const card = await answerTo(h, ENGINEER, 'circuits northwind');
      const text = textOf(card);
      assert.match(text, /Northwind Traders · tenant 33333333-3333-4333-8333-333333333333/);
      assert.match(text, /4 circuits/);
      assert.doesNotMatch(text, /contoso|fabrikam/i);
      const detail = await clickFinal(h, ENGINEER, buttonOf(card, 'northwind-wdc-er3'));
      assert.match(textOf(detail), /Circuit northwind-wdc-er3/);
      assert.match(textOf(detail), /🔴 Red/);
    });
  });

  describe('status', () => {
    it('`status` from Azure Monitor says so, and shows no prefix warning before any router has counted them', async () => {
      h.app.prefixCounts.clear();
      const text = textOf(await answerTo(h, ONCALL, 'status --fresh'));
      assert.match(text, /BGP, ARP and throughput: Azure Monitor, 1-minute data as of \d\d:\d\d UTC/);
      assert.match(text, /Prefix counts: not read from the routers yet/);
      assert.doesNotMatch(text, /🟠 \*\*fabrikam-dal-er1/, 'its 9,000 of 10,000 prefixes are not known yet');
    });

    it('`status` is worst first: red, then amber, then green, naming the red circuits with their reasons', async () => {
      // Prefix counts have no metric: the background router reads supply them, with their age.
      await h.app.sweeper.sweep();
      const card = await answerTo(h, ONCALL, 'status');
      const text = textOf(card);
      assert.match(text, /🔴 1 red · 🟠 5 amber · 🟢 6 green/);
      const at = (s: string) => {
        const i = text.indexOf(s);
        assert.ok(i >= 0, `status shows ${s}`);
        return i;
      };
      const reds = [at('🔴 **northwind-wdc-er3**')];
      // A new circuit the provider has not provisioned yet is a normal stage, not a fault (issue 10, item 5).
      const ambers = ['contoso-fra-er3', 'contoso-lon-er2', 'fabrikam-dal-er1', 'fabrikam-sea-er3', 'northwind-nyc-er2'].map((n) =>
        at(`🟠 **${n}**`),
      );
      const green = at('🟢 Green:');
      assert.ok(Math.max(...reds) < Math.min(...ambers), 'red before amber');
      assert.ok(Math.max(...ambers) < green, 'amber before green');
      assert.match(text, /Not in service yet \(NotProvisioned\): a new circuit waiting for Megaport/);
      assert.match(text, /Both BGP sessions of private peering are down/);
      assert.match(text, /secondary BGP session is down/);
      assert.match(text, /9000 prefixes of 10000 allowed \(90%\)/);
      assert.match(text, /averaged 88% of provisioned inbound/);
      assert.match(text, /change is in progress \(Updating\)/);
      assert.match(text, /🟢 Green: .*contoso-ams-er1/);
    });

    it('`status contoso` covers Contoso only, under its tenant banner', async () => {
      const text = textOf(await answerTo(h, ENGINEER, 'status contoso'));
      assert.match(text, /Contoso Ltd · tenant 11111111-1111-4111-8111-111111111111/);
      assert.match(text, /🟠 2 amber · 🟢 3 green/);
      assert.doesNotMatch(text, /fabrikam|northwind/i);
    });

    it('`status <circuit>` shows the verdict, its reasons, and BGP/ARP per link; its buttons lead on', async () => {
      const card = await answerTo(h, ENGINEER, 'status contoso-lon-er2');
      const text = textOf(card);
      assert.match(text, /Status of contoso-lon-er2/);
      assert.match(text, /🟠 Amber/);
      assert.match(text, /secondary BGP session is down \(10\.1\.1\.5 Idle\)/);
      assert.match(text, /ARP on the secondary link of private peering fails\. The ARP table is empty/);
      assert.match(text, /36 \/ 4000/);

      const bgp = await clickFinal(h, ENGINEER, buttonOf(card, 'BGP'));
      assert.match(textOf(bgp), /BGP of contoso-lon-er2/);
      const bandwidth = await clickFinal(h, ENGINEER, buttonOf(card, 'Bandwidth'));
      assert.match(textOf(bandwidth), /Bandwidth of contoso-lon-er2/);
      const detail = await clickFinal(h, ENGINEER, buttonOf(card, 'Circuit detail'));
      assert.match(textOf(detail), /Circuit contoso-lon-er2/);
    });

    it("clicking a circuit on the fleet status card opens that circuit's status", async () => {
      const card = await answerTo(h, ONCALL, 'status');
      const status = await clickFinal(h, ONCALL, buttonOf(card, 'Status of northwind-wdc-er3'));
      const text = textOf(status);
      assert.match(text, /Status of northwind-wdc-er3/);
      assert.match(text, /🔴 Red/);
      assert.match(text, /Northwind Traders · tenant 33333333-3333-4333-8333-333333333333/);
    });
  });

  describe('circuit', () => {
    it('`circuit <circuit>` shows the customer and tenant banner, freshness, SKU, peerings and authorizations', async () => {
      const card = await answerTo(h, ENGINEER, 'circuit fabrikam-sea-er3');
      const text = textOf(card);
      assert.match(text, /Circuit fabrikam-sea-er3/);
      assert.match(text, /Fabrikam Inc · tenant 22222222-2222-4222-8222-222222222222/);
      assert.match(text, /Data: (live|\d+ s old \(cached\))/);
      assert.match(text, /🟠 Amber: Busy/);
      assert.match(text, /Standard · Metered/);
      assert.match(text, /1 Gbps/);
      assert.match(text, /auth-fabrikam-hub/);
      assert.match(text, /auth-fabrikam-spare/);
      assert.ok(linesOf(card).includes('320'), 'the private peering VLAN');
      assert.match(linesOf(card).join(' | '), /Connectivity \| Equinix · Seattle/);
    });

    it('accepts customer/name and the full ARM id, case-insensitively', async () => {
      const byQualified = textOf(await answerTo(h, ENGINEER, 'CIRCUIT Contoso/ER-Shared'));
      assert.match(byQualified, /Circuit er-shared/);
      assert.match(byQualified, /Contoso Ltd/);
      const byId = textOf(
        await answerTo(
          h,
          ENGINEER,
          'circuit /subscriptions/3c3c3c3c-0000-4000-8000-00000000a001/resourceGroups/rg-northwind/providers/Microsoft.Network/expressRouteCircuits/er-shared',
        ),
      );
      assert.match(byId, /Circuit er-shared/);
      assert.match(byId, /Northwind Traders/);
    });

    it('its buttons open status, bandwidth, peerings, BGP and routes of the same circuit', async () => {
      const card = await answerTo(h, ENGINEER, 'circuit contoso-ams-er1');
      for (const [title, heading] of [
        ['Status', 'Status of contoso-ams-er1'],
        ['Bandwidth', 'Bandwidth of contoso-ams-er1'],
        ['Peerings', 'Peerings of contoso-ams-er1'],
        ['BGP', 'BGP of contoso-ams-er1'],
        ['Routes', 'Routes of contoso-ams-er1'],
      ] as const) {
        const next = await clickFinal(h, ENGINEER, buttonOf(card, title));
        assert.ok(textOf(next).includes(heading), `${title} → ${heading}`);
      }
    });
  });

  describe('bandwidth', () => {
    it('fabrikam-sea-er3 runs above 80% and is told to upgrade, with the allowed steps', async () => {
      const text = textOf(await answerTo(h, ENGINEER, 'bandwidth fabrikam-sea-er3'));
      assert.match(text, /1 Gbps per link/);
      assert.match(text, /Azure Monitor/);
      assert.match(text, /primary in: 879 Mbps average, 88%/);
      assert.match(text, /above 80% of provisioned/);
      assert.match(text, /2 Gbps, 5 Gbps, 10 Gbps/);
      assert.match(text, /upgrade fabrikam-sea-er3 2 Gbps/);
      assert.match(text, /Lowering bandwidth is not possible in place/);
    });

    it('an ExpressRoute Direct circuit offers the steps of its 100 Gbps port', async () => {
      const text = textOf(await answerTo(h, ENGINEER, 'bandwidth fabrikam-chi-direct'));
      assert.match(text, /ExpressRoute Direct \(100 Gbps port\)/);
      assert.match(text, /10 Gbps per link/);
      assert.match(text, /40 Gbps, 100 Gbps/);
      assert.doesNotMatch(text, /above 80%/);
    });

    it('a circuit without metrics falls back to the byte counters', async () => {
      // Azure Monitor derives metrics for every circuit; only a metrics API that fails leaves the counters.
      h.app.simulator!.addFaults([
        { match: '/northwind-wdc-er3\\/providers\\/microsoft\\.insights\\/metrics/i', status: 404, code: 'ResourceNotFound', count: -1 },
      ]);
      const text = textOf(await answerTo(h, ENGINEER, 'bandwidth northwind-wdc-er3 --fresh'));
      assert.match(text, /\(counters\)/);
      assert.match(text, /metrics were not available/);
    });
  });

  describe('routes', () => {
    it('defaults to private peering, primary path; Show secondary switches path', async () => {
      const card = await answerTo(h, ENGINEER, 'routes contoso-ams-er1');
      const text = textOf(card);
      assert.match(text, /Routes of contoso-ams-er1/);
      assert.match(text, /private peering · primary link/);
      assert.match(text, /Rows 1–50 of 50 · page 1 of 1/);
      assert.match(text, /10\.20\.0\.0\/24/);
      assert.match(text, /10\.1\.0\.1/); // next hop: the customer edge of the primary /30
      assert.match(text, /10\.100\.0\.0\/16/);
      const secondary = await clickFinal(h, ENGINEER, buttonOf(card, 'Show secondary'));
      assert.match(textOf(secondary), /private peering · secondary link/);
      assert.match(textOf(secondary), /10\.1\.0\.5/);
    });

    it('`microsoft` reads the Microsoft peering', async () => {
      const text = textOf(await answerTo(h, ENGINEER, 'routes contoso-ams-er1 microsoft'));
      assert.match(text, /Microsoft peering · primary link/);
      assert.match(text, /198\.51\.100\.0\/27/);
      assert.match(text, /Rows 1–1 of 1/);
    });

    it('`secondary` on a link whose BGP is down shows no routes', async () => {
      const text = textOf(await answerTo(h, ENGINEER, 'routes contoso-lon-er2 secondary'));
      assert.match(text, /private peering · secondary link/);
      assert.match(text, /No routes\./);
    });

    it('a prefix filter shows only the overlapping routes', async () => {
      const card = await answerTo(h, ENGINEER, 'routes fabrikam-dal-er1 10.64.1.0/24');
      const text = textOf(card);
      assert.match(text, /Rows 1–1 of 1 overlapping 10\.64\.1\.0\/24/);
      assert.match(text, /10\.64\.1\.0\/24/);
      assert.doesNotMatch(text, /10\.64\.2\.0\/24/);
      const wide = textOf(await answerTo(h, ENGINEER, 'routes fabrikam-dal-er1 10.64.0.0/20 secondary'));
      assert.match(wide, /Rows 1–16 of 16 overlapping 10\.64\.0\.0\/20/);
      assert.match(wide, /secondary link/);
    });
  });

  describe('bgp, arp, peerings', () => {
    it('`bgp` shows each peering and link with neighbour, AS, state and prefixes against the limit', async () => {
      const card = await answerTo(h, ENGINEER, 'bgp contoso-ams-er1');
      const text = textOf(card);
      assert.match(text, /BGP of contoso-ams-er1/);
      assert.match(text, /private peering · primary\n10\.1\.0\.1\n65010\n🟢 Established/);
      assert.match(text, /48 \/ 4000/);
      assert.match(text, /Microsoft peering · secondary\n203\.0\.113\.5\n64496/);
      assert.match(text, /1 \/ 200/);
      const routes = await clickFinal(h, ENGINEER, buttonOf(card, 'Routes'));
      assert.match(textOf(routes), /Routes of contoso-ams-er1/);
      const arp = await clickFinal(h, ENGINEER, buttonOf(card, 'ARP'));
      assert.match(textOf(arp), /ARP of contoso-ams-er1/);
    });

    it('`bgp <circuit> microsoft` shows only the Microsoft peering; a down pair shows both sessions down', async () => {
      const ms = textOf(await answerTo(h, ENGINEER, 'bgp contoso-ams-er1 microsoft'));
      assert.match(ms, /Microsoft peering · primary/);
      assert.doesNotMatch(ms, /private peering · primary/);
      const down = textOf(await answerTo(h, ENGINEER, 'bgp northwind-wdc-er3'));
      assert.equal((down.match(/Idle|Active/g) ?? []).length >= 2, true, down);
    });

    it('`arp` shows both links; the one without the customer router says so', async () => {
      const text = textOf(await answerTo(h, ENGINEER, 'arp contoso-lon-er2'));
      assert.match(text, /private peering · primary\nInterface\nIP address\nMAC address\nAge\nOn-Prem\n10\.1\.1\.1/);
      assert.match(
        text,
        /private peering · secondary\nThe ARP table is empty: Azure's ARP troubleshooting guide puts that on the Microsoft side/,
      );
      const one = textOf(await answerTo(h, ENGINEER, 'arp contoso-ams-er1 microsoft secondary'));
      assert.match(one, /Microsoft peering · secondary/);
      assert.match(one, /203\.0\.113\.5/);
      assert.doesNotMatch(one, /· primary/);
    });

    it('`peerings` shows VLAN, ASNs, subnets, state and the route filter', async () => {
      const card = await answerTo(h, ENGINEER, 'peerings contoso-ams-er1');
      const lines = linesOf(card).join(' | ');
      assert.match(lines, /private peering \(AzurePrivatePeering\)/);
      assert.match(lines, /VLAN \| 100/);
      assert.match(lines, /Peer ASN \| 65010/);
      assert.match(lines, /Primary subnet \| 10\.1\.0\.0\/30/);
      assert.match(lines, /Microsoft peering \(MicrosoftPeering\)/);
      assert.match(lines, /VLAN \| 200/);
      assert.match(lines, /rf-contoso-m365/);
    });
  });

  describe('filters and udr', () => {
    it('`filters` shows route filters with their communities', async () => {
      const text = textOf(await answerTo(h, ENGINEER, 'filters'));
      assert.match(text, /rf-contoso-m365/);
      assert.match(text, /12076:5010, 12076:51002/);
      assert.match(text, /Allow/);
      const none = textOf(await answerTo(h, ENGINEER, 'filters fabrikam'));
      assert.match(none, /Fabrikam Inc · tenant/);
      assert.doesNotMatch(none, /rf-contoso-m365/);
    });

    it('`udr` lists every route table, flagging the routes to a firewall appliance', async () => {
      const text = textOf(await answerTo(h, ENGINEER, 'udr'));
      assert.match(text, /rt-contoso-spoke/);
      assert.match(text, /rt-northwind-fw/);
      assert.match(text, /2 routes send traffic to a virtual appliance/);
      assert.match(text, /0\.0\.0\.0\/0 \(default\)\n⚠ VirtualAppliance\n10\.10\.0\.4/);
    });

    it('`udr <customer>` and `udr <route table>` narrow to one customer or one table', async () => {
      const customer = textOf(await answerTo(h, ENGINEER, 'udr contoso'));
      assert.match(customer, /Contoso Ltd · tenant/);
      assert.match(customer, /rt-contoso-spoke/);
      assert.doesNotMatch(customer, /rt-northwind-fw/);
      const table = await answerTo(h, ENGINEER, 'udr rt-northwind-fw');
      assert.match(textOf(table), /Northwind Traders · tenant 33333333/);
      assert.match(textOf(table), /default-to-firewall/);
      assert.doesNotMatch(textOf(table), /rt-contoso-spoke/);
      const refreshed = await clickFinal(h, ENGINEER, buttonOf(table, 'Refresh'));
      assert.match(textOf(refreshed), /Data: live/);
      assert.match(textOf(refreshed), /default-to-firewall/);
    });
  });

  it('every Refresh button re-runs its own query with fresh: true', async () => {
    for (const command of ['circuits', 'status', 'circuit contoso-ams-er1', 'routes contoso-ams-er1 microsoft', 'filters']) {
      const card = await answerTo(h, ENGINEER, command);
      const refresh = buttonOf(card, 'Refresh');
      assert.equal(intentOf(refresh).fresh, true, command);
      const again = await clickFinal(h, ENGINEER, refresh);
      assert.match(textOf(again), /Data: live/, command);
      assert.equal(textOf(again).split('\n')[0], textOf(card).split('\n')[0], `${command}: same card title`);
      assert.ok(buttonsOf(again).length > 0);
    }
  });
});
