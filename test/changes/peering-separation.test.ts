import assert from 'node:assert/strict';
import { CodedError, ErrorCode } from '../../src/errors';
import { hintText } from '../../src/command-names';
import { buildDemoFleet, startSimulator, type RunningSimulator } from '../../src/simulator';
import { AMS, LON, startChangeKit, type ChangeKit } from './support/change-kit';

/**
 * Issue 11, posture-dependent separation: "depending on the customer's security posture, public and private traffic
 * may not be allowed on the same circuit". With `"security": { "separatePublicAndPrivate": true }` in the customer's
 * directory entry, adding the second kind of peering to a circuit is refused when requested, either way round.
 */

/** The demo fleet with contoso-ams-er1 carrying Microsoft peering only (its private peering left out). */
function fleetWithMicrosoftOnlyAms(): Record<string, unknown> {
  const fleet = buildDemoFleet({ now: Date.UTC(2025, 0, 1) }) as Record<string, unknown>;
  const ams = fleet[AMS] as { properties: { peerings: { name: string }[] } };
  ams.properties.peerings = ams.properties.peerings.filter((p) => p.name !== 'AzurePrivatePeering');
  for (const key of Object.keys(fleet)) if (key.startsWith(`${AMS}/peerings/AzurePrivatePeering/`)) delete fleet[key];
  return fleet;
}

const MICROSOFT = {
  vlanId: 777,
  peerAsn: 64496,
  primaryPeerAddressPrefix: '145.14.0.0/30',
  secondaryPeerAddressPrefix: '145.14.0.4/30',
  advertisedPublicPrefixes: '145.14.8.0/24',
  routingRegistryName: 'RIPENCC',
};
const PRIVATE = {
  vlanId: 778,
  peerAsn: 65020,
  primaryPeerAddressPrefix: '192.168.250.0/30',
  secondaryPeerAddressPrefix: '192.168.250.4/30',
};

const refusedFor = (reason: RegExp, alternative: RegExp) => (e: unknown) =>
  e instanceof CodedError && e.code === ErrorCode.Refused && reason.test(e.message) && alternative.test(hintText(e.hint ?? ''));

describe('change kinds: public and private peering kept apart where the customer’s posture says so', function () {
  this.timeout(60_000);
  let sim: RunningSimulator;
  let separated: ChangeKit;
  let open: ChangeKit;
  before(async () => {
    sim = await startSimulator({ fleet: fleetWithMicrosoftOnlyAms(), settings: { deviceReadMs: 0 } });
    const security = { separatePublicAndPrivate: true, forcedTunnelling: true };
    separated = await startChangeKit({ sim, directory: { customers: { contoso: { security } } } });
    open = await startChangeKit({ sim, directory: { customers: { contoso: { security: { separatePublicAndPrivate: false } } } } });
  });
  after(async () => {
    await separated?.close();
    await open?.close();
    await sim?.close();
  });

  it('should refuse Microsoft peering on a circuit that carries private peering, naming the posture and the way forward', async () => {
    await assert.rejects(
      separated.workflow.request(separated.people.engineer, 'contoso', LON, 'microsoft-peering', MICROSOFT),
      refusedFor(
        /^Contoso Ltd's security posture keeps public and private traffic on separate circuits \(separatePublicAndPrivate in the directory\), and contoso-lon-er2 already carries private peering, so Microsoft peering cannot be added to it\.$/,
        /^Use a separate circuit for Microsoft peering, one without private peering; `circuits contoso` lists them\.$/,
      ),
    );
  });

  it('should refuse private peering on a circuit that carries Microsoft peering', async () => {
    await assert.rejects(
      separated.workflow.request(separated.people.engineer, 'contoso', AMS, 'private-peering', PRIVATE),
      refusedFor(
        /contoso-ams-er1 already carries Microsoft peering, so private peering cannot be added to it/,
        /^Use a separate circuit for private peering, one without Microsoft or public peering/,
      ),
    );
    assert.equal(await separated.store.list({}).then((rows) => rows.length), 0, 'nothing was requested');
  });

  it('should still let a separated customer change the peering a circuit already has', async () => {
    const r = await separated.workflow.request(separated.people.engineer, 'contoso', LON, 'private-peering', { peerAsn: 65021 });
    assert.equal(r.state, 'pending');
  });

  it('should allow both peerings on one circuit when the flag is off', async () => {
    const microsoft = await open.workflow.request(open.people.engineer, 'contoso', LON, 'microsoft-peering', MICROSOFT);
    assert.equal(microsoft.state, 'pending');
    const priv = await open.workflow.request(open.people.engineer, 'contoso', AMS, 'private-peering', PRIVATE);
    assert.equal(priv.state, 'pending');
  });
});
