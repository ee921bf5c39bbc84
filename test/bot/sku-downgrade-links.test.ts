import assert from 'node:assert/strict';
import { buildDemoDirectory } from '../../src/demo/demo-directory';
import { CodedError, ErrorCode } from '../../src/errors';
import { hintText } from '../../src/command-names';
import { Harness } from '../support/harness';
import { PREMIUM_AMS, premiumAmsWithLinks } from '../support/link-fleets';

const engineer = buildDemoDirectory().people.find((p) => p.aadObjectId === 'demo-engineer');

/**
 * Premium → Standard through the app as src/index.ts builds it (the real composition root, the simulator over
 * HTTPS): the VNet links are read from Resource Graph across the customer's subscriptions, so the downgrade is
 * refused before anyone is asked to approve it.
 */
describe('Premium → Standard in the running app: the VNet links are read and counted', function () {
  this.timeout(60_000);
  let h: Harness | undefined;
  afterEach(() => h?.stop());

  async function requestDowngrade(fleet: Record<string, unknown>): Promise<CodedError> {
    h = await Harness.start({ fleet });
    assert.ok(engineer);
    const error = await h.app.workflow.request(engineer, 'contoso', PREMIUM_AMS, 'sku', { tier: 'Standard' }).then(
      () => assert.fail('the downgrade was accepted'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof CodedError, String(error));
    assert.equal(error.code, ErrorCode.Refused);
    assert.equal((await h.app.store.list({})).length, 0, 'nothing pending');
    return error;
  }

  it('should refuse 11 VNet links found across both Contoso subscriptions, listing them', async () => {
    const e = await requestDowngrade(premiumAmsWithLinks(10));
    assert.match(e.message, /contoso-ams-er1 links 11 VNets; Standard allows at most 10/);
    assert.match(hintText(e.hint ?? ''), /Unlink 1 of the 11 VNets first \(.*cn-contoso-hub-ams.*cn-spoke-9.*\)/);
  });

  it('should refuse a VNet in North America behind an Amsterdam circuit', async () => {
    const e = await requestDowngrade(premiumAmsWithLinks(1, { region: 'eastus' }));
    assert.match(e.message, /peering location Amsterdam is in Europe.*cn-spoke-0 \(eastus, North America\)/);
  });
});
