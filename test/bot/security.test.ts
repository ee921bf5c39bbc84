import assert from 'node:assert/strict';
import { Harness } from '../support/harness';
import { answerTo, finalReply, isProgressCard, textOf, validCard } from '../support/cards';
import { CONTOSO_VIEWER, ENGINEER, NOT_CONTOSO } from '../support/demo-world';
import { ACME_VIEWER, GLOBEX_SECRETS, GLOBEX_VIEWER, securityDirectory, securityFleet } from '../support/security-fleets';

/**
 * `security <customer|circuit>` through the running app (real HTTP to /api/messages, the simulator over HTTPS): the
 * demo's Contoso shows its gaps and Northwind meets every criterion; a link from another customer is reported
 * without naming it; a viewer of one customer can't ask about another.
 */
describe('bot: security <customer|circuit>', function () {
  this.timeout(60_000);

  describe('on the demo fleet', () => {
    let h: Harness;
    before(async () => {
      h = await Harness.start({ env: { PROGRESS_AFTER_MS: '150' }, simulator: { deviceReadMs: 600 } });
    });
    after(() => h?.stop());

    it("should show Contoso's gaps, each with its evidence and fix, after a progress card while the routers are read", async () => {
      const reply = await h.say(ENGINEER, 'security contoso --fresh');
      const progress = validCard(reply);
      assert.ok(isProgressCard(progress), textOf(progress));
      assert.match(textOf(progress), /Checking the security posture of contoso/);
      const text = textOf(validCard(await finalReply(h, reply)));
      assert.match(text, /^Security posture of Contoso Ltd$/m);
      assert.match(text, /Required by the directory: public\/private separation, forced tunnelling, encryption\./);
      // Public and private peering on contoso-ams-er1; a VNet of another customer's on contoso-par-er4, not named.
      assert.match(text, /🔴 \*\*Public\/private separation\*\*: Carries private and Microsoft peering on one circuit\. \*\*Fix:\*\*/);
      assert.match(
        text,
        /🔴 \*\*contoso-par-er4\*\*[^\n]*\n[^\n]*\n- 🔴 \*\*Isolation\*\*: Authorization auth-dr-partner was redeemed from a subscription outside this customer\./,
      );
      for (const secret of NOT_CONTOSO) assert.ok(!text.includes(secret), `shows ${secret}`);
      assert.match(text, /🔴 \*\*NSG on every subnet\*\*: No NSG on snet-shared\. \*\*Fix:\*\*/);
      assert.match(text, /🔴 \*\*GatewaySubnet as Azure supports it\*\*: NSG nsg-contoso-gateway is on the GatewaySubnet\./);
      assert.match(
        text,
        /🔴 \*\*No open inbound rule\*\*: nsg-contoso-app: allow-any-from-internet \(priority 100\) allows any port from Internet/,
      );
      assert.match(text, /🔴 \*\*Forced tunnelling\*\*: snet-nva, snet-shared: no 0\.0\.0\.0\/0 UDR, nor learned over private peering\./);
      assert.match(text, /🔴 \*\*Encryption\*\*: vnet-contoso-hub: no IPsec over private peering and no appliance next hop\./);
      assert.match(text, /VNet \*\*vnet-contoso-spoke\*\* · spoke of vnet-contoso-hub/);
    });

    it('should show Northwind meeting every criterion: nothing red, nothing unknown', async () => {
      const text = textOf(await answerTo(h, ENGINEER, 'security northwind'));
      assert.match(text, /^✅ \d+ met · ➖ \d+ n\/a$/m);
      assert.ok(!/🔴|⚪/.test(text), text);
      assert.match(text, /✅ \*\*Encryption\*\*: vnet-northwind-hub: IPsec cn-northwind-ipsec-pci over private peering/);
      assert.match(text, /✅ \*\*Outbound deny-Internet backstop\*\*/);
    });

    it('should answer for one circuit, named by customer/name', async () => {
      const text = textOf(await answerTo(h, ENGINEER, 'security fabrikam/fabrikam-dal-er1'));
      assert.match(text, /^Security posture of fabrikam-dal-er1$/m);
      // A gap: Fabrikam's directory entry requires forced tunnelling, and snet-web is tunnelled with no backstop.
      assert.match(
        text,
        /🔴 \*\*Outbound deny-Internet backstop\*\*: snet-web: nsg-fabrikam-web lets traffic out to the internet.* \*\*Fix:\*\* Add an outbound rule/,
      );
      assert.ok(!text.includes('fabrikam-sea-er3'), 'only the circuit asked about');
    });

    it("should not let a viewer of Contoso ask about Northwind, nor show any of Northwind's", async () => {
      const reply = await h.say(CONTOSO_VIEWER, 'security northwind');
      const text = textOf(validCard(reply));
      assert.match(text, /I can't find a customer or circuit 'northwind' among those you can see/);
      // Only the word typed comes back.
      for (const secret of NOT_CONTOSO.filter((s) => s !== 'northwind')) assert.ok(!text.includes(secret), `shows ${secret}`);
    });
  });

  describe('on a world where another customer links to the circuit', () => {
    let h: Harness;
    before(async () => {
      h = await Harness.start({ fleet: securityFleet(), directory: securityDirectory() });
    });
    after(() => h?.stop());

    it("should report the other customer's link as a subscription outside this customer, naming nothing of it", async () => {
      const card = await answerTo(h, ACME_VIEWER, 'security acme');
      const text = textOf(card);
      assert.match(text, /🔴 \*\*Isolation\*\*: A VNet link comes from a subscription outside this customer\./);
      assert.match(text, /Authorization auth-stranger was redeemed from subscription acacacac-0000-4000-8000-00000000c001/);
      const everything = JSON.stringify(card);
      for (const secret of GLOBEX_SECRETS) assert.ok(!everything.includes(secret), `the card shows ${secret}`);
    });

    it("should not let Globex's viewer read Acme's posture", async () => {
      const text = textOf(validCard(await h.say(GLOBEX_VIEWER, 'security acme')));
      assert.match(text, /I can't find a customer or circuit 'acme'/);
      assert.ok(!text.includes('Acme Corp') && !text.includes('er-acme'), text);
    });
  });
});
