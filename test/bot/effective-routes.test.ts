import assert from 'node:assert/strict';
import { Harness } from '../support/harness';
import { answerTo, buttonOf, clickFinal, textOf, validCard } from '../support/cards';
import { CONTOSO_VIEWER, ENGINEER } from '../support/demo-world';
import { ROUTING_SUB, routingFleet } from '../support/posture-fleets';

/**
 * `effective-routes <nic|vm> [destination IP]` through the running app: the simulator computes the table from live
 * state, the bot pages it, and for a destination says which route wins, why, and where the traffic goes.
 */

const ROUTER = { aadObjectId: 'router', name: 'Rae' };
const routingDirectory = {
  customers: [
    {
      id: 'routing',
      name: 'Routing Ltd',
      tenantId: '5e5e5e5e-0000-4000-8000-0000000000e0',
      model: 'connect-through',
      subscriptions: [ROUTING_SUB],
      approval: { required: 1, ttlMinutes: 60 },
    },
  ],
  people: [{ ...ROUTER, access: { routing: ['view'] } }],
};

describe('bot: effective-routes <nic|vm> [destination IP]', function () {
  this.timeout(60_000);

  describe('in the routing world', () => {
    let h: Harness;
    before(async () => {
      h = await Harness.start({ fleet: routingFleet(), directory: routingDirectory });
    });
    after(() => h?.stop());

    it('should send 10.20.1.5 to the appliance: the user route beats the BGP route of the same prefix', async () => {
      const text = textOf(await answerTo(h, ROUTER, 'effective-routes vm-app 10.20.1.5'));
      assert.match(text, /^Effective routes of VM vm-app$/m);
      assert.match(text, /^Traffic to 10\.20\.1\.5$/m);
      assert.match(text, /^To the virtual appliance at 10\.1\.0\.4 \(a firewall or NVA\)\.$/m);
      assert.match(text, /Wins: User \(UDR\) route onprem-1-via-nva 10\.20\.1\.0\/24 → VirtualAppliance 10\.1\.0\.4/);
      assert.match(text, /Invalid: Azure overrides it with another route of the same prefix/);
    });

    it("should let a spoke cross ExpressRoute through its hub's gateway", async () => {
      const text = textOf(await answerTo(h, ROUTER, 'effective-routes routing/vm-spoke 10.20.1.5'));
      assert.match(
        text,
        /Crosses ExpressRoute through gateway ergw-hub \(next hops 10\.255\.0\.2, 10\.255\.0\.6: the Microsoft edge routers\)\./,
      );
    });

    it('should list the whole table without a destination', async () => {
      const text = textOf(await answerTo(h, ROUTER, 'effective-routes vm-app-nic'));
      assert.match(text, /^Effective routes of NIC vm-app-nic$/m);
      assert.match(text, /^14: 2 user \(udr\), 5 bgp \/ gateway, 7 system$/m);
      assert.match(text, /Routes 1–14 of 14 · page 1 of 1/);
    });

    it('should say plainly why a deallocated VM or a NIC without one has no effective routes', async () => {
      const off = textOf(validCard(await h.say(ROUTER, 'effective-routes vm-off')));
      assert.match(off, /I can't show the effective routes of VM vm-off: it is deallocated\./);
      assert.match(off, /Start the VM, or ask about a running VM in the same subnet/);
      const loose = textOf(validCard(await h.say(ROUTER, 'effective-routes nic-loose')));
      assert.match(loose, /I can't show the effective routes of NIC nic-loose: it isn't attached to a VM\./);
    });

    it('should refuse a bad destination before reading anything', async () => {
      const before = h.app.simulator?.requests.length ?? 0;
      assert.match(
        textOf(validCard(await h.say(ROUTER, 'effective-routes vm-app 10.20.1.300'))),
        /'10\.20\.1\.300' isn't a valid IP address/,
      );
      assert.match(
        textOf(validCard(await h.say(ROUTER, 'effective-routes vm-app 10.20.1.0/24'))),
        /'10\.20\.1\.0\/24' is a prefix; give one destination address/,
      );
      assert.equal(h.app.simulator?.requests.length, before);
    });
  });

  describe('on the demo fleet', () => {
    let h: Harness;
    before(async () => {
      h = await Harness.start();
    });
    after(() => h?.stop());

    it('should page a long table, the buttons keeping the VM', async () => {
      const first = await answerTo(h, ENGINEER, 'effective-routes vm-contoso-app01');
      assert.match(textOf(first), /Routes 1–40 of 56 · page 1 of 2/);
      const second = await clickFinal(h, ENGINEER, buttonOf(first, 'Next ▶'));
      assert.match(textOf(second), /^Effective routes of VM vm-contoso-app01$/m);
      assert.match(textOf(second), /Routes 41–56 of 56 · page 2 of 2/);
    });

    it("should not find another customer's VM for a viewer of Contoso", async () => {
      // The last: a Contoso VM's name qualified by a customer the viewer can't see is not looked for in Contoso.
      for (const name of ['vm-northwind-app01', 'northwind/vm-northwind-app01', 'northwind/vm-contoso-app01']) {
        const text = textOf(validCard(await h.say(CONTOSO_VIEWER, `effective-routes ${name}`)));
        assert.match(text, /I can't find a NIC or VM '.*' among the customers you can see\./);
        assert.ok(!/Northwind Traders|10\.10\.|rg-northwind/.test(text), text);
      }
    });
  });
});
