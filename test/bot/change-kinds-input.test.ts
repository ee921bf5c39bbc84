import assert from 'node:assert/strict';
import { Harness } from '../support/harness';
import { buttonOf, textOf, validCard } from '../support/cards';
import { PEOPLE, changeDirectory } from '../support/change-world';

/**
 * The typed change commands and the forms, over real HTTP: every parse error names the problem and shows the
 * usage with an example; every rule of every change kind reaches the person as a clear refusal, nothing is
 * requested, and nothing is written to ARM.
 */

const AMS = 'contoso/contoso-ams-er1';
const LON = 'contoso/contoso-lon-er2';
const FRA = 'contoso/contoso-fra-er3';
const RT = 'contoso/rt-contoso-spoke';
const MS_NEW = `peering ${LON} microsoft vlan 210 asn 12076 primary 145.14.0.0/30 secondary 145.14.0.4/30 registry RIPENCC`;

/** Command → what the answer must say. Shape mistakes, caught before anything is read from Azure. */
const PARSE_ERRORS: readonly [string, RegExp][] = [
  ['peering', /`peering` needs a circuit/],
  [`peering ${AMS} bogus`, /'bogus' isn't a peering; choose private or microsoft/],
  [`peering ${AMS} public`, /Azure public peering is deprecated/],
  [`peering ${AMS} private`, /say what to change on private peering/i],
  [`peering ${AMS} private vlan`, /`vlan` needs a VLAN id after it/],
  [`peering ${AMS} private vlan ten`, /'ten' isn't a number/],
  [`peering ${AMS} private asn x1`, /'x1' isn't an AS number/],
  [`peering ${AMS} private primary 10.0.0.0`, /'10\.0\.0\.0' isn't a subnet/],
  [`peering ${AMS} private colour blue`, /I don't know 'colour' here; private peering takes vlan, asn/],
  [`peering ${AMS} private vlan 1 vlan 2`, /you gave `vlan` twice/],
  [`peering ${AMS} private prefixes 145.14.8.0/24`, /`prefixes` is for Microsoft peering only/],
  [`peering ${AMS} private key`, /`key` needs the MD5 key after it/],
  [`peering ${AMS} private key abc no-key`, /give a new `key` or `no-key`, not both/],
  [`peering ${AMS} private disable now`, /I didn't expect 'now' at the end/],
  [`peering ${AMS} microsoft prefixes 145.14.8.0`, /'145\.14\.8\.0' isn't a prefix/],
  ['filter contoso-ams-er1 create', /give the route filter's name/],
  ['filter contoso-ams-er1 create rf-1 communities', /give the BGP communities/],
  ['filter contoso-ams-er1 create rf-1 communities abc', /'abc' isn't a BGP community/],
  ['filter contoso-ams-er1 attach', /give the route filter to attach/],
  ['filter contoso-ams-er1 frob rf-1', /'frob' isn't something `filter` does; use create, attach or communities/],
  [`route ${RT} add`, /give the route's name/],
  [`route ${RT} add x`, /give the route's address prefix/],
  [`route ${RT} add x 10.0.0.0`, /'10\.0\.0\.0' isn't an address prefix or a service tag/],
  [`route ${RT} add x Storage/WestEurope`, /'Storage\/WestEurope' isn't an address prefix or a service tag/],
  [`route ${RT} add x 10.0.0.0/8`, /give the next-hop type: VirtualAppliance/],
  [`route ${RT} add x 10.0.0.0/8 teleport`, /'teleport' isn't a next-hop type/],
  [`route ${RT} add x 10.0.0.0/8 appliance 10.0.0`, /'10\.0\.0' isn't an IP address/],
  [`route ${RT} remove`, /give the route's name/],
  [`route ${RT} remove a b`, /I didn't expect 'b' at the end/],
  ['authorization', /`authorization` needs a circuit/],
  [`authorization ${AMS}`, /say create or revoke/],
  [`authorization ${AMS} grant x`, /'grant' isn't something `authorization` does/],
  [`authorization ${AMS} create`, /give the authorization's name/],
  [`authorization ${AMS} create bad!name`, /'bad!name' isn't a valid authorization name/],
  ['key', /`key` needs a change request id/],
  ['change', /`change` needs a circuit, a route table or a route filter/],
];

/** Command → the rule it breaks, as the refusal says it. Each is read against the live resource. */
const REFUSALS: readonly [string, RegExp][] = [
  // private peering
  [`peering ${AMS} private vlan 5000`, /VLAN: a VLAN is 1–4094/],
  [`peering ${AMS} private vlan 200`, /VLAN 200 is already used by MicrosoftPeering/],
  [`peering ${AMS} private asn 65515`, /ASN 65515 is reserved by Azure/],
  [`peering ${AMS} private asn 4294967296`, /out of range/],
  [`peering ${AMS} private primary 10.9.0.1/30 secondary 10.9.0.4/30`, /aligned/],
  [`peering ${AMS} private primary 10.9.0.0/29 secondary 10.9.0.8/29`, /\/30/],
  [`peering ${AMS} private primary 10.9.0.0/30 secondary 10.9.0.0/30`, /distinct|overlap/],
  [`peering ${AMS} private primary 203.0.113.0/30 secondary 203.0.113.4/30`, /overlap those of MicrosoftPeering/],
  [`peering ${AMS} private key 12345678901234567890123456`, /MD5 key: the MD5 key is at most 25 characters/],
  [`peering ${AMS} private vlan 100`, /already has these settings/],
  [`peering ${FRA} private vlan 10 asn 65001 primary 10.9.0.0/30 secondary 10.9.0.4/30`, /not provisioned by its provider/],
  // Microsoft peering
  [`peering ${LON} microsoft vlan 210`, /needs Peer ASN, Primary subnet, Secondary subnet, Advertised prefixes, Routing registry/],
  [`${MS_NEW} prefixes 10.10.0.0/16`, /10\.10\.0\.0\/16 is not a public prefix \(private \(RFC 1918\)\)/],
  [`${MS_NEW} prefixes 145.14.8.1/24`, /not network-aligned/],
  [`${MS_NEW.replace('RIPENCC', 'NOPE')} prefixes 145.14.8.0/24`, /isn't a routing registry; use ARIN/],
  // peering state
  [`peering ${LON} microsoft disable`, /has no MicrosoftPeering/],
  [`peering ${AMS} private enable`, /already Enabled/],
  // route filter
  [`filter ${AMS} create rf-x communities 12076:9999`, /12076:9999|a community is 12076:5NNN/],
  [`filter ${AMS} create rf-x communities 12076:5999`, /Azure offers no service or region with the community 12076:5999/],
  [`filter ${AMS} create rf-contoso-m365 communities 12076:5010`, /A route filter called rf-contoso-m365 already exists/],
  [`filter ${LON} attach rf-contoso-m365`, /has no Microsoft peering to attach a route filter to/],
  [`filter ${AMS} attach rf-nope`, /There is no route filter rf-nope/],
  [`filter ${AMS} attach rf-contoso-m365`, /already attached/],
  ['filter contoso/rf-contoso-m365 communities 12076:5010,12076:51002', /already allows exactly these communities/],
  // UDR routes
  [`route ${RT} add fw 0.0.0.0/0 VirtualAppliance`, /A VirtualAppliance route needs the appliance's IP address/],
  [`route ${RT} add onprem-via-er 10.30.0.0/16 Internet`, /already has a route called onprem-via-er/],
  [`route ${RT} add dup 10.20.0.0/16 Internet`, /already routes 10\.20\.0\.0\/16/],
  [`route ${RT} add x 10.30.0.1/16 Internet`, /not network-aligned/],
  [`route ${RT} add x 10.30.0.0/16 Internet 10.0.0.4`, /takes no next-hop IP address/],
  [`route ${RT} add x 2a01:111::/48 VirtualAppliance 10.0.0.4`, /IPv4 but 2a01:111::\/48 is IPv6/],
  [`route ${RT} remove nope`, /has no route called nope/],
  // Azure's rules next to an ExpressRoute gateway; a service tag is read as a destination, typed as on the form.
  [
    `route ${RT} add onprem2 10.30.0.0/16 VirtualNetworkGateway`,
    /not support a VirtualNetworkGateway next hop towards an ExpressRoute gateway/,
  ],
  [`route ${RT} add st Storage.WestEurope gateway`, /ExpressRoute routes come from BGP/],
  // authorizations
  ['authorization fabrikam/fabrikam-sea-er3 create auth-fabrikam-spare', /already has an authorization called auth-fabrikam-spare/],
  [`authorization ${AMS} revoke nope`, /has no authorization called nope/],
];

/** A form's input by id, wherever the card nests it. */
function inputOf(card: unknown, id: string): { id: string; regex?: string } {
  if (Array.isArray(card)) {
    for (const item of card) {
      const found = inputOf(item, id);
      if (found.id === id) return found;
    }
  } else if (card !== null && typeof card === 'object') {
    const o = card as Record<string, unknown>;
    if (o.id === id) return o as { id: string; regex?: string };
    for (const v of Object.values(o)) {
      const found = inputOf(v, id);
      if (found.id === id) return found;
    }
  }
  return { id: '' };
}

describe('bot: typed change commands and forms, every mistake and every rule', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => {
    h = await Harness.start({ directory: changeDirectory() });
  });
  after(async () => h?.stop());

  const armWrites = () => (h.app.simulator?.requests ?? []).filter((r) => r.method !== 'GET' && r.method !== 'POST').length;

  it('should answer each parse error with the problem, the usage and an example, and request nothing', async () => {
    for (const [command, problem] of PARSE_ERRORS) {
      const text = textOf(validCard(await h.say(PEOPLE.engineer, command)));
      assert.match(text, new RegExp(problem.source, 'i'), `${command}\n${text}`);
      assert.match(text, /Usage: `\w+ .*`, for example `\w+ /, `${command}: usage and example`);
    }
    assert.deepEqual(await h.app.store.list({}), []);
  });

  it('should never repeat a typed MD5 key in an error, whichever word is wrong', async () => {
    for (const command of [
      `peering ${AMS} private key S3cret-Key-1 bogus`,
      `peering ${AMS} private vlan x key S3cret-Key-1`,
      `peering ${AMS} privat key S3cret-Key-1`,
    ]) {
      const text = textOf(validCard(await h.say(PEOPLE.engineer, command)));
      assert.match(text, /not repeated here/, command);
      assert.ok(!text.includes('S3cret-Key-1'), command);
    }
    assert.ok(!h.logLines.some((l) => l.includes('S3cret-Key-1')));
  });

  it('should refuse every rule of every kind with the reason and what to do instead, before anyone approves', async () => {
    for (const [command, reason] of REFUSALS) {
      const text = textOf(validCard(await h.say(PEOPLE.engineer, command)));
      assert.match(text, reason, `${command}\n${text}`);
      assert.match(text, /Not possible as asked|Usage: `/, `${command}: says what to do instead`);
    }
    assert.deepEqual(await h.app.store.list({}), [], 'nothing was requested');
    assert.equal(armWrites(), 0, 'nothing was written');
  });

  it('should refuse the same rules from the form, with the form’s words', async () => {
    const form = validCard(await h.say(PEOPLE.engineer, `change ${AMS}`));
    const peering = buttonOf(form, 'Request private peering');
    const vlan = textOf(
      validCard(await h.click(PEOPLE.engineer, peering.verb, { ...(peering.data as object), 'private-peering:vlanId': '0' })),
    );
    assert.match(vlan, /VLAN: a VLAN is 1–4094/);
    assert.match(vlan, /Correct that field on the form/);
    const clash = textOf(
      validCard(await h.click(PEOPLE.engineer, peering.verb, { ...(peering.data as object), 'private-peering:vlanId': '200' })),
    );
    assert.match(clash, /already used by MicrosoftPeering/);
    const create = buttonOf(form, 'Request create a route filter');
    const bad = textOf(
      validCard(
        await h.click(PEOPLE.engineer, create.verb, {
          ...(create.data as object),
          'route-filter-create:name': 'rf-x',
          'route-filter-create:communities': '12076:5999',
        }),
      ),
    );
    assert.match(bad, /Azure offers no service or region with the community 12076:5999/);
    const rt = validCard(await h.say(PEOPLE.engineer, `change ${RT}`));
    const add = buttonOf(rt, 'Request add a UDR route');
    // The form's own check takes a service tag as well as a prefix.
    const destination = inputOf(rt, 'udr-route-add:addressPrefix');
    const accepts = new RegExp(destination.regex ?? '');
    for (const ok of ['0.0.0.0/0', 'AzureCloud', 'Storage.WestEurope']) assert.ok(accepts.test(ok), ok);
    for (const bad of ['10.0.0.0', 'Storage West']) assert.ok(!accepts.test(bad), bad);
    const noIp = textOf(
      validCard(
        await h.click(PEOPLE.engineer, add.verb, {
          ...(add.data as object),
          'udr-route-add:name': 'fw',
          'udr-route-add:addressPrefix': '0.0.0.0/0',
          'udr-route-add:nextHopType': 'VirtualAppliance',
        }),
      ),
    );
    assert.match(noIp, /needs the appliance's IP address/);
    const tagToGateway = textOf(
      validCard(
        await h.click(PEOPLE.engineer, add.verb, {
          ...(add.data as object),
          'udr-route-add:name': 'azure-via-er',
          'udr-route-add:addressPrefix': 'AzureCloud',
          'udr-route-add:nextHopType': 'VirtualNetworkGateway',
        }),
      ),
    );
    assert.match(tagToGateway, /use a VirtualAppliance next hop/i);
    assert.deepEqual(await h.app.store.list({}), []);
  });

  it('should offer every kind on a circuit’s form, and a route table’s and a route filter’s own forms', async () => {
    const form = validCard(await h.say(PEOPLE.engineer, `change ${AMS}`));
    const text = textOf(form);
    for (const section of [
      'Bandwidth upgrade',
      'SKU change',
      'Private peering',
      'Microsoft peering',
      'Peering enable/disable',
      'Create a route filter',
      'Attach a route filter',
      'Route filter communities of rf-contoso-m365',
      'Create an authorization',
      'Revoke an authorization',
    ]) {
      assert.ok(text.includes(section), section);
    }
    const vlan = JSON.stringify(form).match(/"id":"private-peering:vlanId".*?"errorMessage"/)?.[0] ?? '';
    assert.match(vlan, /"value":"100"/, `current values are filled in: ${vlan}`);
    assert.match(vlan, /"regex"/);
    assert.match(textOf(validCard(await h.say(PEOPLE.engineer, `change ${FRA}`))), /has not provisioned contoso-fra-er3/);
    const filter = validCard(await h.say(PEOPLE.engineer, 'change rf-contoso-m365'));
    assert.match(textOf(filter), /Now 12076:5010, 12076:51002/);
    assert.ok(buttonOf(filter, /Request route filter communities/));
    assert.match(textOf(validCard(await h.say(PEOPLE.viewer, `change ${RT}`))), /right to request/);
    assert.match(textOf(validCard(await h.say(PEOPLE.engineer, 'change rt-nope'))), /Not found|no circuit/i);
  });

  it('should still answer the old aliases: `peering <circuit>`, `filter` and `route <circuit>` read', async () => {
    assert.match(textOf(validCard(await h.say(PEOPLE.engineer, `peering ${AMS}`))), /AzurePrivatePeering/);
    assert.match(textOf(validCard(await h.say(PEOPLE.engineer, 'filter contoso'))), /rf-contoso-m365/);
    assert.match(textOf(validCard(await h.say(PEOPLE.engineer, `route ${AMS} --fresh`))), /Next hop|Network/i);
    assert.deepEqual(await h.app.store.list({}), []);
  });
});
